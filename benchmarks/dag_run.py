"""End to end: ``dag.test()`` of a DAG with one IPS task against the same DAG with an
EmptyOperator, alternating in one fresh process, against a simulator with short jobs.

The Airflow home is a temporary one, migrated once (``airflow db migrate``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks._common import Figure, pointed_at

POLL_INTERVAL = 0.2

_DAGS = f"""
import pendulum
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG
from airflow_provider_ips.operators.jobs import IpsUploadUrlsJobOperator

START = pendulum.datetime(2026, 1, 1)
with DAG("bench_ips", schedule=None, start_date=START, catchup=False):
    IpsUploadUrlsJobOperator(
        task_id="upload",
        url_array=["https://assets.example.com/shoe-1.jpg"],
        overwrite=True,
        poll_interval={POLL_INTERVAL},
    )
with DAG("bench_empty", schedule=None, start_date=START, catchup=False):
    EmptyOperator(task_id="nothing")
"""

_RUN = """
import json, sys, time
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
times = {"bench_ips": [], "bench_empty": []}
states = set()
for round in range(int(sys.argv[2]) + 1):  # round 0 warms up
    for dag_id in times:
        start = time.perf_counter()
        run = bag.dags[dag_id].test()
        took = time.perf_counter() - start
        states.update(str(ti.state) for ti in run.get_task_instances())
        if round:
            times[dag_id].append(took)
print(json.dumps({"times": times, "states": sorted(states)}))
"""


def run(quick: bool) -> list[Figure]:
    import json

    from airflow_provider_ips.simulator import IpsSimulator, JobOutcome, SimulatorConfig, Timing

    home = tempfile.mkdtemp(prefix="ips-bench-dagtest-")
    dags = Path(home, "dags")
    dags.mkdir()
    (dags / "bench_dags.py").write_text(_DAGS)
    env = {
        **os.environ,
        "AIRFLOW_HOME": home,
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    }
    airflow = Path(sys.executable).with_name("airflow")
    subprocess.run(
        [str(airflow), "db", "migrate"], env=env, check=True, capture_output=True, timeout=600
    )
    config = SimulatorConfig(
        timing=Timing(new_seconds=0.05, waiting_seconds=0.05, done_seconds=0.05),
        default_outcome=JobOutcome(duration=0.3),
    )
    rounds = 2 if quick else 5
    with IpsSimulator(config=config) as sim, pointed_at(sim):
        env["AIRFLOW_CONN_IPS_DEFAULT"] = os.environ["AIRFLOW_CONN_IPS_DEFAULT"]
        out = subprocess.run(
            [sys.executable, "-c", _RUN, str(dags), str(rounds)],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    if out.returncode != 0:
        raise RuntimeError(out.stdout[-2000:] + out.stderr[-3000:])
    result = json.loads(out.stdout.strip().splitlines()[-1])
    ips = statistics.median(result["times"]["bench_ips"])
    empty = statistics.median(result["times"]["bench_empty"])
    group = "End to end"
    note = (
        f"median of {rounds} alternating runs after one warm-up each; job runs "
        f"{config.default_outcome.duration:g} s (+ {0.1:g} s queued), poll_interval "
        f"{POLL_INTERVAL:g} s; task states {', '.join(result['states'])}"
    )
    return [
        Figure(group, "dag.test(), one IPS task (sync)", ips * 1e3, "ms", detail=note),
        Figure(group, "dag.test(), one EmptyOperator", empty * 1e3, "ms", detail=note),
        Figure(group, "dag.test(): IPS task over EmptyOperator", (ips - empty) * 1e3, "ms",
               detail="includes the simulated job's 0.4 s of queueing and running"),
    ]  # fmt: skip
