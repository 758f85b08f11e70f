"""The README's demo: a local IPS, and the example DAG ``ips_upload_and_publish`` run on it.

Starts ips-simulator on loopback, gives Airflow a throw-away home with a migrated SQLite DB,
runs the DAG once with ``dag.test()`` (upload from URLs, then publish, the second task
deferred to a trigger), and prints what IPS was asked and what came back.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from airflow_provider_ips.simulator import IpsSimulator, JobOutcome, SimulatorConfig, Timing

DAG_ID = "ips_upload_and_publish"


def _prepare_airflow(home: Path, dags: Path) -> None:
    os.environ["AIRFLOW_HOME"] = str(home)
    os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(dags)
    os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    airflow = Path(sys.executable).with_name("airflow")
    print(f"- migrating a fresh Airflow metadata DB in {home} ...", flush=True)
    subprocess.run([str(airflow), "db", "migrate"], check=True, capture_output=True)


def _load_dag(dags: Path) -> Any:
    from airflow_provider_ips._compat import dag_bag

    bag = dag_bag(str(dags))
    if bag.import_errors:
        raise SystemExit(f"example DAGs failed to import: {bag.import_errors}")
    return bag.dags[DAG_ID]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dags-folder", default=str(Path.cwd() / "dags"))
    args = parser.parse_args(argv)
    dags = Path(args.dags_folder).resolve()

    config = SimulatorConfig(
        timing=Timing(new_seconds=0.3, waiting_seconds=0.3, done_seconds=0.2),
        default_outcome=JobOutcome(duration=2.0),
    )
    with (
        tempfile.TemporaryDirectory(prefix="ips-demo-") as home,
        IpsSimulator(config=config) as sim,
    ):
        print(f"- ips-simulator listening on {sim.url}")
        os.environ["AIRFLOW_CONN_IPS_DEFAULT"] = sim.connection_json()
        # the upload reports one warning, so the run shows how detail rows reach the task log
        sim.script_outcome(JobOutcome(duration=2.0, files=1, warnings=1), count=1)
        _prepare_airflow(Path(home), dags)
        dag = _load_dag(dags)
        print(f"- running DAG {DAG_ID} once (dag.test) ...", flush=True)
        run = dag.test()

        print("\n=== What happened ===")
        print(f"DAG run {run.run_id}: {run.state}")
        for ti in sorted(run.get_task_instances(), key=lambda t: t.start_date or t.end_date):
            print(f"  task {ti.task_id:<12} {ti.state}")
        print("Calls IPS received:")
        for call in sim.calls():
            who = f" job={call.job_name}" if call.job_name else ""
            print(f"  {call.time[11:23]} {call.operation:<18} {call.result}{who}")
        from airflow_provider_ips.hooks.ips import IpsHook
        from airflow_provider_ips.outcome import problem_rows, summarize

        hook = IpsHook()
        print("Job logs on IPS:")
        for log in reversed(hook.get_job_logs()):
            [detailed] = hook.get_job_log_details(job_handle=log.job_handle, all_pages=True)
            print("  " + json.dumps(summarize(detailed)))
            for line in problem_rows(detailed):
                print(f"    {line}")
        return 0 if str(run.state) == "success" else 1


if __name__ == "__main__":
    raise SystemExit(main())
