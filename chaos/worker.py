"""One campaign worker: its own AIRFLOW_HOME and DB, its own simulator, its share of cycles.

``python -m chaos.worker --plan PLAN --slot K --workers W --home HOME --results RESULTS``
runs the cycles whose index is K modulo W (skipping those RESULTS already holds) and
appends one JSON line per judged cycle, then one ``worker`` line. The parent starts it
with AIRFLOW_HOME and the DAGs folder already set in its environment.

Cycles are judged a little after they end (once every delayed submitJob has landed on the
simulator), from the simulator's call records and job list and from the logs the cycle's
processes wrote (each cycle's stdout and stderr go to its own file).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import inspect
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from chaos.analysis import CREATED, Verdict, created_jobs, judge, merge_jobs
from chaos.dags import (
    HOOK_PARAMS,
    example_fields,
    hook_params_accepted,
    run_dag,
    task_outcome,
    write_dag_folder,
)
from chaos.plan import (
    CALL_TIMEOUT,
    KILL_AFTER_SUBMIT,
    KILL_WHILE_WAITING,
    POLL_INTERVAL,
    RUN,
    TASK_TIMEOUT,
    TRIGGERER_RESTART,
    CycleSpec,
    FaultSpec,
)
from chaos.sim import CallCursor, SimControl, SimProcess, available_fault_types

#: A cycle running longer than this is hung: the worker records it and exits (the parent
#: starts a new worker for the rest of its cycles).
CYCLE_LIMIT = 300.0
#: Seconds after a cycle's last delayed call before judging it (late arrivals land first).
SETTLE = 1.0
#: How long to wait for the things a cycle waits on (a submission, a poll).
WAIT_LIMIT = 60.0


def is_submit(record: dict[str, Any], prefix: str) -> bool:
    return record.get("operation") == "submitJob" and str(record.get("job_name") or "").startswith(
        prefix
    )


def is_kill(spec: CycleSpec) -> bool:
    return spec.scenario in (KILL_AFTER_SUBMIT, KILL_WHILE_WAITING)


def is_wait_poll(record: dict[str, Any]) -> bool:
    """A status poll of a waiting task or trigger (not a lookup by name)."""
    return record.get("operation") == "getActiveJobs" and not record.get("job_name")


@contextlib.contextmanager
def capture(path: Path) -> Iterator[None]:
    """Send this process's stdout and stderr (file descriptors 1 and 2) to ``path``."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with path.open("ab") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


@dataclass
class Injected:
    """A planned fault and what became of it."""

    fault: FaultSpec
    status: str = "not reached"  # injected | unavailable | rejected | not reached
    rule_id: int | None = None
    at: float | None = None
    fired: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.fault.label(),
            "type": self.fault.type,
            "operation": self.fault.operation,
            "phase": self.fault.phase,
            "count": self.fault.count,
            "kind": self.fault.kind,
            "status": self.status,
            "fired": self.fired,
        }


def inject(control: SimControl, items: list[Injected], available: frozenset[str]) -> None:
    for item in items:
        if item.fault.type not in available:
            item.status = "unavailable"
            continue
        stored = control.add_fault(item.fault.rule())
        if stored is None:
            item.status = "rejected"
            continue
        item.status, item.rule_id, item.at = "injected", int(stored["id"]), time.time()


class WaitFaults(threading.Thread):
    """Adds the cycle's "wait" faults at the first status poll after its submission."""

    def __init__(
        self, url: str, start: int, prefix: str, items: list[Injected], available: frozenset[str]
    ) -> None:
        super().__init__(name="chaos-wait-faults", daemon=True)
        self.url, self.start_at, self.prefix = url, start, prefix
        self.items, self.available = items, available
        self.done = threading.Event()
        self.error: str | None = None

    def run(self) -> None:
        control = SimControl(self.url)
        cursor = CallCursor(control, self.start_at)
        submitted = False
        try:
            while not self.done.is_set():
                for record in cursor.refresh():
                    if is_submit(record, self.prefix):
                        submitted = True
                    elif submitted and is_wait_poll(record):
                        inject(control, self.items, self.available)
                        return
                self.done.wait(0.005)
        except Exception as exc:  # reported with the cycle, never silently
            self.error = repr(exc)
        finally:
            control.close()

    def finish(self) -> None:
        self.done.set()
        self.join(timeout=30)


class Zygote:
    """The warm process (chaos.child) that forks the worker processes the campaign kills."""

    def __init__(self, home: Path, dags: Path) -> None:
        self.home = home
        self.ready_path = home / "zygote.ready"
        self.ready_path.unlink(missing_ok=True)
        self._log = (home / "logs" / "zygote.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "chaos.child", str(self.ready_path), str(dags)],
            stdin=subprocess.PIPE,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ),
            start_new_session=True,
        )
        self.forks = 0

    def ready(self) -> bool:
        return self.ready_path.exists()

    def wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ready():
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.02)
        return False

    def fork(self, log_path: Path, timeout: float = 60.0) -> Doomed:
        """A new worker process running the current cycle's DAG (started at once)."""
        self.forks += 1
        pid_path = self.home / f"fork-{self.forks}.pid"
        pid_path.unlink(missing_ok=True)
        stdin: IO[bytes] | None = self.process.stdin
        assert stdin is not None
        stdin.write(f"fork {log_path} {pid_path}\n".encode())
        stdin.flush()
        deadline = time.monotonic() + timeout
        while not pid_path.exists():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"the warm process did not fork; see {self._log.name}")
            time.sleep(0.005)
        return Doomed(int(pid_path.read_text()))

    def close(self) -> None:
        stdin: IO[bytes] | None = self.process.stdin
        if stdin is not None:
            with contextlib.suppress(OSError):
                stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self._log.close()


class Doomed:
    """A worker process forked by the zygote, in a process group of its own."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(self) -> None:
        """SIGKILL its process group: the worker dies, nothing of it runs after this."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.005)


@dataclass
class Pending:
    """A finished cycle waiting to be judged."""

    spec: CycleSpec
    start: int
    settle_at: float
    seconds: float
    observed: str | None
    xcom: Any
    faults: list[Injected]
    logs: list[Path]
    kill_seq: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    harness_error: str | None = None


def stored_task_state(dag_id: str) -> dict[str, Any] | str:
    """What Airflow's task state store held for the cycle's task (diagnostics only)."""
    import sqlite3

    db = Path(os.environ["AIRFLOW_HOME"]) / "airflow.db"
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as c:
            rows = c.execute(
                "SELECT key, value FROM task_state_store WHERE dag_id = ?", (dag_id,)
            ).fetchall()
    except sqlite3.Error as exc:
        return f"unreadable: {exc}"
    return {str(k): v for k, v in rows}


def import_string(classpath: str) -> Any:
    """What the triggerer does with a serialized trigger's classpath."""
    module, _, name = classpath.rpartition(".")
    return getattr(importlib.import_module(module), name)


def trigger_kwargs_extra() -> dict[str, Any]:
    from airflow_provider_ips.triggers import IpsJobTrigger

    accepted = inspect.signature(IpsJobTrigger.__init__).parameters
    return {"hook_params": dict(HOOK_PARAMS)} if "hook_params" in accepted else {}


class Worker:
    def __init__(self, home: Path, results: Path, cycles: list[CycleSpec]) -> None:
        self.home = home
        self.dags = Path(os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
        self.logs = home / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.results = results.open("a")
        self.cycles = cycles
        self.sim = SimProcess(home / "sim.log", dict(os.environ))  # starts while we warm up
        self.control: SimControl  # set by warm_up, once the simulator listens
        self.cursor: CallCursor
        self.available = available_fault_types()
        self.pending: list[Pending] = []
        self.zygote: Zygote | None = None
        self.doomed: Doomed | None = None
        self.kills = sum(is_kill(c) for c in cycles)
        self.current: tuple[CycleSpec, float] | None = None
        self.lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------------
    def warm_up(self) -> None:
        self.sim.wait_ready()
        connection = dict(self.sim.connection)
        connection["extra"] = {**connection["extra"], "timeout": CALL_TIMEOUT}
        os.environ["AIRFLOW_CONN_IPS_DEFAULT"] = json.dumps(connection)
        self.control = SimControl(self.sim.url)
        self.cursor = CallCursor(self.control)
        if self.kills:  # it warms up alongside this process
            self.zygote = Zygote(self.home, self.dags)
        with capture(self.logs / "worker-warm-up.log"):
            from chaos.child import warm_up

            warm_up()
            hook_params_accepted()

    def close(self) -> None:
        if self.doomed is not None:
            self.doomed.kill()
        if self.zygote is not None:
            self.zygote.close()
        control: SimControl | None = getattr(self, "control", None)
        if control is not None:
            control.close()
        self.sim.stop()
        self.results.close()

    def write(self, record: dict[str, Any]) -> None:
        with self.lock:
            self.results.write(json.dumps(record, default=str) + "\n")
            self.results.flush()

    # -- cycles ----------------------------------------------------------------------------
    def run_all(self) -> None:
        """Run the cycles in plan order, except that a kill cycle waits for the warm process.

        While the zygote warms up (seconds), later cycles of other scenarios go first; the
        kill cycles held back run as soon as it is ready (or when nothing else is left).
        """
        watchdog = threading.Thread(target=self._watchdog, name="chaos-watchdog", daemon=True)
        watchdog.start()
        queue, held = list(self.cycles), list[CycleSpec]()
        while queue or held:
            self.judge_settled()
            ready = self.zygote is not None and self.zygote.ready()
            if held and (ready or not queue):
                spec = held.pop(0)
            else:
                spec = queue.pop(0)
                if is_kill(spec) and not ready and any(not is_kill(c) for c in queue):
                    held.append(spec)
                    continue
            self.run_cycle(spec)
        self.judge_settled(wait=True)

    def run_cycle(self, spec: CycleSpec) -> None:
        self.control.clear_faults()
        self.control.script_outcome(duration=spec.duration, **spec.outcome_fields)
        write_dag_folder(self.dags, spec)
        self.cursor.refresh()
        start = self.cursor.position
        began = time.monotonic()
        with self.lock:
            self.current = (spec, began)
        log = self.logs / f"cycle-{spec.index:04d}.log"
        faults = [Injected(f) for f in spec.faults]
        pending = Pending(spec, start, 0.0, 0.0, None, None, faults, [log])
        pending.details["started"] = time.strftime("%H:%M:%S", time.localtime())
        try:
            if spec.scenario == RUN:
                self.run_dag_cycle(spec, pending, log)
            elif spec.scenario in (KILL_AFTER_SUBMIT, KILL_WHILE_WAITING):
                self.run_kill_cycle(spec, pending, log)
            elif spec.scenario == TRIGGERER_RESTART:
                self.run_trigger_cycle(spec, pending, log)
            else:
                raise ValueError(f"unknown scenario {spec.scenario!r}")
        except Exception as exc:
            # the harness's own traceback goes next to the cycle's logs, not into them: it
            # makes the cycle incomplete, it is not an exception of a task run
            pending.harness_error = f"{type(exc).__name__}: {exc}"
            harness_log = self.logs / f"cycle-{spec.index:04d}.harness.log"
            harness_log.write_text(traceback.format_exc())
            pending.details["harness_log"] = str(harness_log)
        finally:
            with self.lock:
                self.current = None
        pending.seconds = time.monotonic() - began
        self.collect_faults(faults)
        self.control.clear_faults()
        latest = max(
            [time.time()]
            + [i.at + i.fault.seconds for i in faults if i.at is not None and i.fault.seconds]
        )
        pending.settle_at = latest + SETTLE
        self.pending.append(pending)

    def collect_faults(self, items: list[Injected]) -> None:
        remaining = {int(r["id"]): r.get("remaining") for r in self.control.faults()}
        for item in items:
            if item.status != "injected" or item.rule_id is None:
                continue
            left = remaining.get(item.rule_id)
            item.fired = item.fault.count - int(left) if left is not None else item.fault.count

    def wait_faults(self, spec: CycleSpec, pending: Pending, prefix: str) -> WaitFaults | None:
        items = [i for i in pending.faults if i.fault.phase == "wait"]
        if not items:
            return None
        thread = WaitFaults(self.sim.url, pending.start, prefix, items, self.available)
        thread.start()
        return thread

    def run_dag_cycle(self, spec: CycleSpec, pending: Pending, log: Path) -> None:
        submit_faults = [i for i in pending.faults if i.fault.phase == "submit"]
        inject(self.control, submit_faults, self.available)
        waiter = self.wait_faults(spec, pending, spec.dag_id + ".")
        try:
            with capture(log):
                run = run_dag(self.dags)
                pending.observed, pending.xcom = task_outcome(run)
        finally:
            if waiter is not None:
                waiter.finish()
                if waiter.error:
                    pending.details["wait_fault_error"] = waiter.error

    def run_kill_cycle(self, spec: CycleSpec, pending: Pending, log: Path) -> None:
        if self.zygote is None or self.zygote.process.poll() is not None:
            self.zygote = Zygote(self.home, self.dags)  # (again, if it died)
        if not self.zygote.wait_ready(180):
            raise RuntimeError("the warm process to fork workers from did not get ready")
        prefix = spec.dag_id + "."
        child_log = self.logs / f"cycle-{spec.index:04d}.killed.log"
        pending.logs.insert(0, child_log)
        waiter = self.wait_faults(spec, pending, prefix)
        try:
            doomed = self.doomed = self.zygote.fork(child_log)
            submit = self.cursor.wait_for(
                lambda r: is_submit(r, prefix),
                start=pending.start,
                timeout=WAIT_LIMIT,
                alive=doomed.alive,
            )
            moment = submit
            if submit is not None and spec.scenario == KILL_WHILE_WAITING:
                moment = self.cursor.wait_for(
                    is_wait_poll, start=int(submit["seq"]), timeout=WAIT_LIMIT, alive=doomed.alive
                )
                if moment is not None:
                    time.sleep(spec.kill_delay)
            pending.details["killed_mid_run"] = moment is not None and doomed.alive()
            doomed.kill()
            self.doomed = None
            self.cursor.refresh()
            pending.kill_seq = self.cursor.position
            pending.details["kill_after"] = (
                "submitJob recorded" if spec.scenario == KILL_AFTER_SUBMIT else "a status poll"
            )
            pending.details["state_store_at_kill"] = stored_task_state(spec.dag_id)
            with capture(log):
                print(f"chaos: the first try was SIGKILLed; re-running {spec.dag_id}", flush=True)
                run = run_dag(self.dags)
                pending.observed, pending.xcom = task_outcome(run)
        finally:
            if waiter is not None:
                waiter.finish()
                if waiter.error:
                    pending.details["wait_fault_error"] = waiter.error

    def run_trigger_cycle(self, spec: CycleSpec, pending: Pending, log: Path) -> None:
        from airflow_provider_ips.hooks.ips import IpsHook
        from airflow_provider_ips.models import SubmitJobParam
        from airflow_provider_ips.triggers import IpsJobTrigger

        name = f"{spec.dag_id}.trigger"
        waiter = self.wait_faults(spec, pending, spec.dag_id + ".")
        try:
            with capture(log):
                hook = IpsHook()
                param = SubmitJobParam(
                    company_handle=hook.company_handle,
                    job_name=name,
                    **{spec.job_type: example_fields(spec.job_type)},
                )
                handle = hook.submit_job(param)
                print(f"chaos: submitted IPS job {name!r} as {handle}", flush=True)
                trigger: Any = IpsJobTrigger(
                    job_handle=handle,
                    job_name=name,
                    fail_on=spec.fail_on,
                    poll_interval=POLL_INTERVAL,
                    deadline=time.time() + TASK_TIMEOUT,
                    **trigger_kwargs_extra(),
                )
                restarts: list[str] = []
                for _ in range(spec.restarts):
                    early = asyncio.run(self.until_restart(trigger, spec))
                    restarts.append("mid-wait" if early is None else "after the event")
                    classpath, kwargs = trigger.serialize()
                    kwargs = json.loads(json.dumps(kwargs))  # what the triggerer DB keeps
                    trigger = import_string(classpath)(**kwargs)
                    print(f"chaos: triggerer restarted; trigger re-created from {classpath}")
                payload = asyncio.run(asyncio.wait_for(first_event(trigger), TASK_TIMEOUT + 30))
            pending.details["restarts"] = restarts
            pending.details["handle"] = handle
            status = str(payload.get("status"))
            pending.details["event_status"] = status
            pending.details["error_kind"] = payload.get("error_kind")
            pending.observed = "success" if status == "success" else "failed"
            pending.xcom = payload.get("summary")
        finally:
            if waiter is not None:
                waiter.finish()
                if waiter.error:
                    pending.details["wait_fault_error"] = waiter.error

    async def until_restart(self, trigger: Any, spec: CycleSpec) -> dict[str, Any] | None:
        """Run the trigger until it polled, then shut it down as a triggerer stop does."""
        self.cursor.refresh()
        start = self.cursor.position
        task = asyncio.create_task(first_event(trigger))
        polled = await asyncio.to_thread(
            self.cursor.wait_for, is_wait_poll, start=start, timeout=WAIT_LIMIT
        )
        if polled is not None:
            await asyncio.sleep(min(0.2, spec.duration / 4))
        if task.done():
            return task.result()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await trigger.cleanup()  # a triggerer shutdown: cleanup(), never on_kill()
        return None

    # -- judging ---------------------------------------------------------------------------
    def engine_jobs(self) -> dict[str, list[str]]:
        """Every job the simulator's engine holds (active or logged), by original name."""
        from airflow_provider_ips.hooks.ips import IpsHook

        hook = IpsHook()
        jobs: dict[str, list[str]] = {}
        for job in hook.get_active_jobs():
            if job.original_name and job.job_handle:
                jobs.setdefault(str(job.original_name), []).append(str(job.job_handle))
        for job_log in hook.get_job_logs():
            if job_log.original_job_name and job_log.job_handle:
                handles = jobs.setdefault(str(job_log.original_job_name), [])
                if str(job_log.job_handle) not in handles:
                    handles.append(str(job_log.job_handle))
        return jobs

    def judge_settled(self, wait: bool = False) -> None:
        if wait and self.pending:
            time.sleep(max(0.0, max(p.settle_at for p in self.pending) - time.time()))
        ready = [p for p in self.pending if p.settle_at <= time.time()]
        if not ready:
            return
        self.pending = [p for p in self.pending if p not in ready]
        self.cursor.refresh()
        records = self.cursor.records
        engine_error = None
        try:
            with capture(self.logs / "worker-judging.log"):
                engine = self.engine_jobs()
        except Exception as exc:
            engine, engine_error = {}, f"{type(exc).__name__}: {exc}"
        for item in ready:
            self.write(self.judge(item, records, engine, engine_error))

    def judge(
        self,
        item: Pending,
        records: list[dict[str, Any]],
        engine: dict[str, list[str]],
        engine_error: str | None,
    ) -> dict[str, Any]:
        spec = item.spec
        prefix = spec.dag_id + "."
        from_calls = created_jobs(records, prefix)
        from_engine = {n: h for n, h in engine.items() if n.startswith(prefix)}
        jobs = merge_jobs(from_calls, from_engine)
        handles = {h for hs in jobs.values() for h in hs}
        after_kill = 0
        if item.kill_seq is not None:
            after_kill = sum(
                1
                for r in records[item.kill_seq :]
                if is_submit(r, prefix) and r.get("result") in CREATED
            )
        stops = sum(
            1
            for r in records[item.start :]
            if r.get("operation") == "stopJob" and r.get("job_handle") in handles
        )
        text = "\n".join(p.read_text(errors="replace") for p in item.logs if p.exists())
        verdict: Verdict = judge(
            spec,
            observed=item.observed,
            xcom=item.xcom,
            jobs=jobs,
            log_text=text,
            jobs_after_kill=after_kill,
            stop_calls=stops if spec.scenario == TRIGGERER_RESTART else 0,
            harness_error=item.harness_error,
        )
        if engine_error:
            verdict.notes.append(f"engine job list unavailable: {engine_error}")
        return {
            "kind": "cycle",
            "index": spec.index,
            "dag_id": spec.dag_id,
            "job_type": spec.job_type,
            "scenario": spec.scenario,
            "mode": spec.mode,
            "outcome": spec.outcome,
            "outcome_fields": {**spec.outcome_fields, "duration": spec.duration},
            "fail_on": spec.fail_on,
            "retries": spec.retries,
            "expected": spec.expected,
            "observed": item.observed,
            "xcom": item.xcom,
            "faults": [i.to_json() for i in item.faults],
            "jobs": jobs,
            "seconds": round(item.seconds, 3),
            "details": item.details,
            "harness_error": item.harness_error,
            "verdict": asdict(verdict),
            "bad": verdict.bad,
            "logs": [str(p) for p in item.logs],
        }

    # -- hung cycles -----------------------------------------------------------------------
    def _watchdog(self) -> None:
        while True:
            time.sleep(1.0)
            with self.lock:
                current = self.current
            if current is None or time.monotonic() - current[1] < CYCLE_LIMIT:
                continue
            spec = current[0]
            verdict = Verdict(incomplete=True, notes=[f"hung: over {CYCLE_LIMIT:.0f}s"])
            self.write(
                {
                    "kind": "cycle",
                    "index": spec.index,
                    "dag_id": spec.dag_id,
                    "job_type": spec.job_type,
                    "scenario": spec.scenario,
                    "mode": spec.mode,
                    "expected": spec.expected,
                    "observed": None,
                    "faults": [asdict(f) for f in spec.faults],
                    "harness_error": "hung",
                    "verdict": asdict(verdict),
                    "bad": True,
                    "logs": [str(self.logs / f"cycle-{spec.index:04d}.log")],
                }
            )
            if self.doomed is not None:
                self.doomed.kill()
            os._exit(3)


def usage() -> dict[str, int]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"max_rss_kb": int(own), "children_max_rss_kb": int(children)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chaos.worker")
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--slot", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--results", type=Path, required=True)
    args = parser.parse_args(argv)
    plan = [CycleSpec.from_json(d) for d in json.loads(args.plan.read_text())]
    done: set[int] = set()
    if args.results.exists():
        for line in args.results.read_text().splitlines():
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if record.get("kind") == "cycle":
                    done.add(int(record["index"]))
    mine = [c for c in plan if c.index % args.workers == args.slot and c.index not in done]
    worker = Worker(args.home, args.results, mine)
    try:
        worker.warm_up()
        worker.run_all()
        worker.write(
            {
                "kind": "worker",
                "slot": args.slot,
                "cycles": len(mine),
                "hook_params": hook_params_accepted(),
                "provider": str(
                    Path(importlib.import_module("airflow_provider_ips").__file__ or "").parent
                ),
                "fault_types": sorted(worker.available),
                **usage(),
            }
        )
    finally:
        worker.close()
    return 0


async def first_event(trigger: Any) -> dict[str, Any]:
    """Run a trigger to its first event (as the triggerer does); the event's payload."""
    async with contextlib.aclosing(trigger.run()) as events:
        async for event in events:
            payload: dict[str, Any] = event.payload
            return payload
    raise RuntimeError("the trigger ended without an event")


if __name__ == "__main__":
    raise SystemExit(main())
