"""Workers that are going to be killed, forked from a warm process: ``python -m chaos.child``.

``python -m chaos.child READY_FILE DAGS_FOLDER`` warms up (imports, Airflow's in-process
execution API and its first request: seconds of work, all on one thread), touches
READY_FILE, then reads commands from stdin, one per line::

    fork LOG_FILE PID_FILE

Each forks a fresh worker process in a new session (its own process group) that writes its
PID to PID_FILE, sends its output to LOG_FILE and runs the DAG in DAGS_FOLDER with
``dag.test()``: the same DAG run, by logical date, the campaign re-runs after the kill. The
campaign SIGKILLs that process group mid-run, the way a worker dies. End of input ends the
warm process. Forking is safe here: the warm process has one thread and no DB connection
open when it forks (``warm_up`` leaves it so).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path


def warm_up(ips_client: bool = True) -> None:
    """Load what a task run needs, so a forked (or in-process) run starts at once."""
    import airflow_provider_ips.operators.jobs  # noqa: F401
    import chaos.dags  # noqa: F401

    try:  # Airflow's in-process execution API: an internal, so only an optimisation
        import asyncio

        import httpx
        from airflow.sdk.execution_time.supervisor import in_process_api_server

        app = in_process_api_server().app

        async def first_request() -> None:  # builds the app's lazy parts, leaves no thread
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://warm.invalid") as c:
                await c.get("/execution/health")

        asyncio.run(first_request())
    except Exception as exc:
        print(f"chaos child: warm-up of the execution API skipped ({exc!r})", flush=True)
    if not ips_client:
        return
    try:  # the SOAP client (WSDL parsed once per process)
        from airflow_provider_ips.hooks.ips import IpsHook

        IpsHook().get_conn()
    except Exception as exc:
        print(f"chaos child: warm-up of the IPS client skipped ({exc!r})", flush=True)


def forget_connections() -> None:
    """Close pooled DB connections, so no forked process shares one with another."""
    try:
        from airflow import settings

        if settings.engine is not None:
            settings.engine.dispose()
    except Exception as exc:
        print(f"chaos child: could not dispose of the DB pool ({exc!r})", flush=True)


def fork_run(folder: Path, log_file: str, pid_file: str) -> None:
    """Fork a worker process that runs the folder's DAG; the warm process returns at once."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.fork() != 0:
        return
    code = 0
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()  # its own session and process group: the kill takes exactly this
        fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        tmp = f"{pid_file}.tmp"
        Path(tmp).write_text(str(os.getpid()))
        os.replace(tmp, pid_file)
        from chaos.dags import run_dag

        run = run_dag(folder)
        print(f"chaos child: the DAG run ended {run.state}", flush=True)
    except BaseException:  # the harness failed (the DAG did not load): not a task's exception
        import traceback

        Path(f"{log_file}.harness").write_text(traceback.format_exc())
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main(argv: list[str]) -> int:
    ready, folder = Path(argv[0]), Path(argv[1])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed children are reaped at once
    warm_up()
    forget_connections()
    ready.write_text("ready\n")
    for line in sys.stdin:
        parts = line.split()
        if len(parts) == 3 and parts[0] == "fork":
            fork_run(folder, parts[1], parts[2])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
