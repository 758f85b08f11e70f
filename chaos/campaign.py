"""Run a campaign: plan it from the seed, run the cycles in worker processes, write the report.

The parent imports no Airflow: it migrates one metadata DB (``airflow db migrate``), copies
it into one AIRFLOW_HOME per worker, starts the workers (``python -m chaos.worker``), and
gathers what they judged. It stops only processes it started, by their process group.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from chaos.plan import make_plan
from chaos.report import BAD_COUNTS, build_report, render_markdown

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REPORT = REPO / "chaos" / "report.md"
DEFAULT_CYCLES = 500
#: Times a worker slot is restarted after its worker died (a hung cycle, a crash).
RESPAWNS = 3


def _say(message: str) -> None:
    print(f"chaos: {message}", file=sys.stderr, flush=True)


@dataclass
class CampaignResult:
    report: dict[str, Any]
    markdown: str
    markdown_path: Path
    json_path: Path

    @property
    def bad_counts(self) -> dict[str, int]:
        counts: dict[str, int] = self.report["counts"]
        return {name: counts[name] for name in BAD_COUNTS}

    @property
    def ok(self) -> bool:
        return not any(self.bad_counts.values())


def base_environment() -> dict[str, str]:
    """The environment for every process of the campaign: no Airflow settings leak in.

    The repository goes on PYTHONPATH after any entries already there, and the processes
    run in their own directories (not the repository): an earlier PYTHONPATH entry, e.g. a
    checkout of another version of the provider, is what they import.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AIRFLOW__", "AIRFLOW_CONN_", "AIRFLOW_VAR_"))
        and k not in ("AIRFLOW_HOME", "AIRFLOW_PROVIDER_IPS_CACHE")
    }
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([*paths, str(REPO)])
    env["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def airflow_home_env(base: dict[str, str], home: Path) -> dict[str, str]:
    (home / "dags").mkdir(parents=True, exist_ok=True)
    return {
        **base,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
        "AIRFLOW_PROVIDER_IPS_CACHE": str(home / "cache"),
    }


def cache_dir() -> Path:
    """Where a migrated, empty metadata DB is kept between campaigns (it takes seconds)."""
    if os.environ.get("IPS_CHAOS_CACHE"):
        return Path(os.environ["IPS_CHAOS_CACHE"])
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "airflow-provider-ips" / "chaos"


def template_db(template: Path, base: dict[str, str]) -> Path:
    """An empty metadata DB migrated by this Airflow version (cached per version)."""
    try:
        version = importlib.metadata.version("apache-airflow")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    cached = cache_dir() / f"airflow-{version}.db"
    if cached.is_file() and cached.stat().st_size > 0:
        return cached
    db = migrate(template, base)
    with contextlib.suppress(OSError):
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        shutil.copy(db, partial)
        os.replace(partial, cached)
    return db


def migrate(template: Path, base: dict[str, str]) -> Path:
    """A freshly migrated metadata DB (``airflow db migrate`` in its own home)."""
    airflow = Path(sys.executable).with_name("airflow")
    command = [str(airflow)] if airflow.exists() else [sys.executable, "-m", "airflow"]
    result = subprocess.run(
        [*command, "db", "migrate"],
        env=airflow_home_env(base, template),
        cwd=template,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        raise RuntimeError(f"airflow db migrate failed:\n{result.stdout[-3000:]}{result.stderr}")
    return template / "airflow.db"


class WorkerSlot:
    """One worker process (and its replacements after a death) with its own home."""

    def __init__(self, slot: int, workers: int, run_dir: Path, plan: Path, base: dict[str, str]):
        self.slot, self.workers, self.plan = slot, workers, plan
        self.home = run_dir / f"worker-{slot}"
        self.env = airflow_home_env(base, self.home)
        self.results = self.home / "results.jsonl"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.exit_codes: list[int] = []

    def start(self) -> None:
        self.starts += 1
        log = (self.home / f"worker-{self.starts}.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "chaos.worker", "--plan", str(self.plan),
             "--slot", str(self.slot), "--workers", str(self.workers),
             "--home", str(self.home), "--results", str(self.results)],
            cwd=self.home, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()

    def records(self) -> list[dict[str, Any]]:
        if not self.results.exists():
            return []
        out = []
        for line in self.results.read_text().splitlines():
            with contextlib.suppress(ValueError):
                out.append(json.loads(line))
        return out

    def poll(self) -> int | None:
        assert self.process is not None
        code = self.process.poll()
        if code is not None and len(self.exit_codes) < self.starts:
            self.exit_codes.append(code)
        return code

    def stop(self) -> None:
        """SIGKILL the process group of the worker this slot started (nothing else)."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def code_version() -> dict[str, Any]:
    def git(*args: str) -> str:
        try:
            out = subprocess.run(
                ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return out.stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "provider_changes_uncommitted": bool(git("status", "--porcelain", "airflow_provider_ips")),
    }


def reproduce_command(seed: int, cycles: int, workers: int) -> str:
    return f'make chaos CHAOS_ARGS="--cycles {cycles} --seed {seed} --workers {workers}"'


def run_campaign(
    *,
    cycles: int = DEFAULT_CYCLES,
    seed: int | None = None,
    workers: int | None = None,
    report: Path = DEFAULT_REPORT,
    workdir: Path | None = None,
    keep: bool = False,
    timeout: float | None = None,
    say: Callable[[str], None] = _say,
) -> CampaignResult:
    """Plan ``cycles`` cycles from ``seed``, run them, write ``report`` (.md) and its .json."""
    if cycles < 1:
        raise ValueError("cycles: at least 1")
    seed = secrets.randbelow(1_000_000) if seed is None else seed
    workers = max(1, min(workers or min(2, os.cpu_count() or 1), cycles))
    started = datetime.now(timezone.utc)
    began = time.monotonic()
    run_dir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix=f"ips-chaos-{seed}-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    plan = make_plan(seed, cycles)
    plan_path = run_dir / "plan.json"
    plan_path.write_text(json.dumps([c.to_json() for c in plan], indent=1))
    say(f"seed {seed}, {cycles} cycles, {workers} workers, work dir {run_dir}")

    base = base_environment()
    db = template_db(run_dir / "template", base)
    slots = [WorkerSlot(k, workers, run_dir, plan_path, base) for k in range(workers)]
    for slot in slots:
        if not (slot.home / "airflow.db").exists():
            shutil.copy(db, slot.home / "airflow.db")
        slot.start()
    limit = timeout if timeout is not None else 300 + 40.0 * cycles / workers
    last_said, timed_out = 0.0, False
    try:
        while True:
            running = 0
            for slot in slots:
                code = slot.poll()
                if code is None:
                    running += 1
                elif code != 0 and slot.starts <= RESPAWNS and _unfinished(slot, plan):
                    say(f"worker {slot.slot} exited {code}; starting a new one for its rest")
                    slot.start()
                    running += 1
            if not running:
                break
            if time.monotonic() - began > limit:
                timed_out = True
                say(f"campaign time limit ({limit:.0f}s) reached; stopping the workers")
                break
            if time.monotonic() - last_said >= 15:
                last_said = time.monotonic()
                judged = [r for s in slots for r in s.records() if r.get("kind") == "cycle"]
                bad = sum(1 for r in judged if r.get("bad"))
                took = time.monotonic() - began
                say(f"{len(judged)}/{cycles} cycles judged, {bad} bad, {took:.0f}s")
            time.sleep(0.5)
    finally:
        for slot in slots:
            slot.stop()

    records = [r for slot in slots for r in slot.records()]
    usage = {
        "campaign_max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "children_max_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }
    data = build_report(
        plan=plan,
        records=records,
        seed=seed,
        workers=workers,
        started=started.isoformat(timespec="seconds"),
        seconds=time.monotonic() - began,
        usage=usage,
        command=reproduce_command(seed, cycles, workers),
        code=code_version(),
        timed_out=timed_out,
        worker_exits={s.slot: s.exit_codes for s in slots},
    )
    bad = any(data["counts"][name] for name in BAD_COUNTS)
    kept = workdir is not None or keep or bad
    data["workdir"] = str(run_dir) if kept else None
    markdown = render_markdown(data)
    report = Path(report)
    report.parent.mkdir(parents=True, exist_ok=True)
    json_path = report.with_suffix(".json")
    report.write_text(markdown)
    json_path.write_text(json.dumps(data, indent=1, default=str) + "\n")
    if not kept:
        shutil.rmtree(run_dir, ignore_errors=True)
    say(f"report: {report} and {json_path}" + (f"; logs kept in {run_dir}" if kept else ""))
    return CampaignResult(data, markdown, report, json_path)


def _unfinished(slot: WorkerSlot, plan: list[Any]) -> bool:
    done = {r["index"] for r in slot.records() if r.get("kind") == "cycle"}
    return any(c.index % slot.workers == slot.slot and c.index not in done for c in plan)
