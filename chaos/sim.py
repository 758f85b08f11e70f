"""The campaign's simulator: its own process per worker, steered over the ``/_sim`` API.

A process of its own, so its answers are timed by the simulator alone: a worker busy with
Airflow (or a warm-up next to it) never holds its GIL, and a call only times out when a
fault says so.

``python -m chaos.sim`` starts one on 127.0.0.1 (a free port), prints one JSON line
``{"url": ..., "connection": {...}}`` and serves until its stdin closes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import httpx

#: Phase timings and default job length: quick jobs, so a cycle takes about a second.
PHASE_SECONDS = 0.05


def serve() -> None:
    from airflow_provider_ips.simulator import IpsSimulator, JobOutcome, SimulatorConfig, Timing

    config = SimulatorConfig(
        timing=Timing(
            new_seconds=PHASE_SECONDS,
            waiting_seconds=PHASE_SECONDS,
            done_seconds=PHASE_SECONDS,
            stopping_seconds=PHASE_SECONDS,
        ),
        default_outcome=JobOutcome(duration=0.3),
    )
    with IpsSimulator(host="127.0.0.1", port=0, config=config) as sim:
        print(json.dumps({"url": sim.url, "connection": sim.connection()}), flush=True)
        sys.stdin.read()  # until the worker closes it (or dies)


def available_fault_types() -> frozenset[str]:
    """The fault types this simulator offers (new ones appear as the simulator grows)."""
    from airflow_provider_ips.simulator import FaultType

    return frozenset(member.value for member in FaultType)


class SimProcess:
    """A simulator process this worker started; stopped by closing its stdin, then its PID."""

    def __init__(self, log_path: Path, env: dict[str, str]) -> None:
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "chaos.sim"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=env,
            start_new_session=True,
        )
        self.log_path = log_path
        self.url = ""
        self.connection: dict[str, Any] = {}

    def wait_ready(self) -> None:
        """Read the line the simulator prints once it listens: its URL and connection."""
        if self.url:
            return
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=30)
            raise RuntimeError(f"the simulator did not start; see {self.log_path}")
        info = json.loads(line)
        self.url = info["url"]
        self.connection = info["connection"]

    def stop(self) -> None:
        stdin: IO[bytes] | None = self.process.stdin
        if stdin is not None:
            stdin.close()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait(timeout=15)
        self._log.close()


class SimControl:
    """The documented control API (``/_sim``), plus a cursor over the call records."""

    def __init__(self, url: str) -> None:
        self._http = httpx.Client(base_url=url, timeout=30.0)

    def close(self) -> None:
        self._http.close()

    def calls(self, since: int = 0) -> list[dict[str, Any]]:
        response = self._http.get("/_sim/calls", params={"since": since})
        response.raise_for_status()
        calls: list[dict[str, Any]] = response.json()
        return calls

    def add_fault(self, rule: dict[str, Any]) -> dict[str, Any] | None:
        """Add a rule; ``None`` if the simulator refuses it (a type it does not have)."""
        response = self._http.post("/_sim/faults", json=rule)
        if response.status_code == 400:
            return None
        response.raise_for_status()
        stored: dict[str, Any] = response.json()
        return stored

    def faults(self) -> list[dict[str, Any]]:
        response = self._http.get("/_sim/faults")
        response.raise_for_status()
        rules: list[dict[str, Any]] = response.json()
        return rules

    def clear_faults(self) -> None:
        self._http.delete("/_sim/faults").raise_for_status()

    def script_outcome(self, **fields: Any) -> None:
        """Every run from now on (any name, any count) ends like this."""
        self._http.delete("/_sim/outcomes").raise_for_status()
        body = {**fields, "job_name": None, "count": None}
        self._http.post("/_sim/outcomes", json=body).raise_for_status()


class CallCursor:
    """Reads new call records as they come, from record ``start`` on (one thread only)."""

    def __init__(self, control: SimControl, start: int = 0) -> None:
        self.control = control
        self.start = start
        self.records: list[dict[str, Any]] = []

    @property
    def position(self) -> int:
        """How many records the simulator had at the last refresh."""
        return self.start + len(self.records)

    def refresh(self) -> list[dict[str, Any]]:
        new = self.control.calls(since=self.position)
        self.records.extend(new)
        return new

    def wait_for(
        self,
        predicate: Callable[[dict[str, Any]], bool],
        *,
        start: int,
        timeout: float,
        alive: Callable[[], bool] = lambda: True,
        interval: float = 0.005,
    ) -> dict[str, Any] | None:
        """The first record from position ``start`` on that matches, waiting up to ``timeout``."""
        deadline = time.monotonic() + timeout
        checked = max(0, start - self.start)
        while True:
            self.refresh()
            for record in self.records[checked:]:
                if predicate(record):
                    return record
            checked = max(checked, len(self.records))
            if time.monotonic() >= deadline or not alive():
                return None
            time.sleep(interval)


if __name__ == "__main__":
    serve()
