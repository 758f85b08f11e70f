"""What the benchmarks share: the environment, figures, timing helpers, busy simulators."""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: One job's URLs in the busy simulators: 8 URLs make a getActiveJobs item of ~1.45 kB.
URLS_PER_JOB = 8


def prepare_environment() -> None:
    """Give this process (and the children it starts) a private Airflow home and WSDL cache.

    Must run before anything imports Airflow: Airflow reads its home at import.
    """
    os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="ips-bench-airflow-"))
    os.environ.setdefault("AIRFLOW_PROVIDER_IPS_CACHE", tempfile.mkdtemp(prefix="ips-bench-cache-"))
    os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "ERROR")
    # The dev environment has the OpenLineage provider (for the lineage tests); its listener
    # would add its own work to every task run measured here, IPS and EmptyOperator alike.
    os.environ.setdefault("AIRFLOW__OPENLINEAGE__DISABLED", "True")


@dataclass
class Figure:
    """One measured figure of the report."""

    group: str
    name: str
    value: float | None
    unit: str
    target: str = ""
    #: True / False against the target; None when the figure has no target.
    met: bool | None = None
    detail: str = ""

    @property
    def status(self) -> str:
        if self.value is None:
            return "not measured"
        return {True: "met", False: "**not met**", None: "-"}[self.met]

    def shown(self) -> str:
        if self.value is None:
            return "-"
        value = self.value
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
        return f"{text} {self.unit}".strip()

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status.strip("*")}


def at_most(value: float, limit: float) -> bool:
    return value <= limit


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def side_by_side(
    fns: dict[str, Callable[[], object]], repeats: int, calls: int = 1
) -> dict[str, float]:
    """Median seconds per call of each of ``fns``, interleaved so they share the conditions.

    Every repeat runs each function ``calls`` times in a row (after one untimed warm-up each).
    """
    for fn in fns.values():
        fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(calls):
                fn()
            samples[name].append((time.perf_counter() - start) / calls)
    return {name: statistics.median(values) for name, values in samples.items()}


def run_child(
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    stdin: str | None = None,
) -> Any:
    """Run ``python <args>`` in a fresh process; its last stdout line is JSON, returned parsed."""
    out = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        tail = out.stdout[-2000:] + out.stderr[-3000:]
        raise RuntimeError(f"{args} failed ({out.returncode}):\n{tail}")
    return json.loads(lines[-1])


class SettableClock:
    """The simulator's clock, moved by hand: jobs stay in the state they were left in."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@contextlib.contextmanager
def busy_simulator(jobs: int, *, frozen: bool = True) -> Iterator[Any]:
    """A simulator (``ips_default`` points at it) with ``jobs`` running UploadUrlsJob jobs.

    Every job lists :data:`URLS_PER_JOB` URLs and runs for a billion seconds: it stays
    ``Running`` for the whole benchmark. ``frozen``: the simulator's clock never moves (the
    jobs are put past ``New`` and ``Waiting`` first); otherwise it is the real clock.
    """
    from airflow_provider_ips.models import SubmitJobParam
    from airflow_provider_ips.simulator import (
        DEFAULT_COMPANY_HANDLE,
        DEFAULT_USER,
        IpsSimulator,
        JobOutcome,
        SimulatorConfig,
        Timing,
    )

    config = SimulatorConfig(
        timing=Timing(new_seconds=0.01, waiting_seconds=0.01),
        default_outcome=JobOutcome(duration=1e9),
    )
    clock = SettableClock()
    with IpsSimulator(config=config, clock=clock if frozen else None) as sim:
        for i in range(jobs):
            urls = [
                f"https://assets.example.com/catalog/2026/spring/product-{i:05d}-{k}.jpg"
                for k in range(URLS_PER_JOB)
            ]
            param = SubmitJobParam(
                company_handle=DEFAULT_COMPANY_HANDLE,
                job_name=f"bench-{i:05d}",
                upload_urls_job={"url_array": urls, "overwrite": True, "ready_for_publish": True},
            )
            sim.engine.submit(DEFAULT_COMPANY_HANDLE, param, DEFAULT_USER)
        clock.now += 1.0  # past New and Waiting: Running
        if not frozen:
            time.sleep(0.05)
        with pointed_at(sim):
            yield sim


@contextlib.contextmanager
def pointed_at(sim: Any) -> Iterator[None]:
    """``ips_default`` (here and in children started meanwhile) is ``sim``."""
    previous = os.environ.get("AIRFLOW_CONN_IPS_DEFAULT")
    os.environ["AIRFLOW_CONN_IPS_DEFAULT"] = sim.connection_json()
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("AIRFLOW_CONN_IPS_DEFAULT", None)
        else:
            os.environ["AIRFLOW_CONN_IPS_DEFAULT"] = previous
