"""The DAG that make test-matrix runs with dag.test() on every supported Airflow release."""

from __future__ import annotations

import sys
from pathlib import Path

import pendulum
from airflow.sdk import DAG

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from airflow_provider_ips.operators.jobs import (  # noqa: E402
    JOB_HANDLE_XCOM_KEY,
    IpsOptimizeImagesJobOperator,
)
from airflow_provider_ips.sensors.jobs import IpsJobSensor  # noqa: E402

with DAG(
    "ips_release_check",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
) as ips_release_check_dag:
    job = IpsOptimizeImagesJobOperator(
        task_id="optimize_deferred", deferrable=True, poll_interval=0.1, retries=0
    )
    handle = f"{{{{ ti.xcom_pull(task_ids='optimize_deferred', key='{JOB_HANDLE_XCOM_KEY}') }}}}"
    for mode in ("poke", "reschedule", "deferred"):
        job >> IpsJobSensor(
            task_id=f"sensor_{mode}",
            job_handle=handle,
            poke_interval=0.1,
            timeout=60,
            mode="poke" if mode == "deferred" else mode,
            deferrable=mode == "deferred",
        )
