"""DAGs the operator and sensor tests run with dag.test() against the simulator."""

from __future__ import annotations

import sys
from pathlib import Path

import pendulum
from airflow.sdk import DAG

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from airflow_provider_ips.operators.jobs import (  # noqa: E402
    JOB_OPERATORS,
    IpsCreateScheduledJobOperator,
    IpsOptimizeImagesJobOperator,
    IpsSubmitJobOperator,
    IpsUploadUrlsJobOperator,
)
from airflow_provider_ips.sensors.jobs import IpsJobSensor  # noqa: E402
from tests.examples import EXAMPLE_JOBS  # noqa: E402

START = pendulum.datetime(2026, 1, 1, tz="UTC")
FAST = {"poll_interval": 0.1}

with DAG(
    "ips_every_job_type", schedule=None, start_date=START, catchup=False
) as ips_every_job_type_dag:
    for operator in JOB_OPERATORS:
        spec = operator.job_type
        assert spec is not None
        for deferrable in (False, True):
            operator(
                task_id=f"{spec.param_field}_{'deferred' if deferrable else 'sync'}",
                deferrable=deferrable,
                **FAST,
                **EXAMPLE_JOBS[spec.param_field],
            )

#: task id -> (scripted outcome, fail_on, expected task state)
FAIL_ON_CASES = {
    "warnings_pass_on_errors": ({"warnings": 2}, "errors", "success"),
    "warnings_fail_on_warnings": ({"warnings": 2}, "warnings", "failed"),
    "errors_fail_on_errors": ({"errors": 1}, "errors", "failed"),
    "errors_pass_on_fatal": ({"errors": 1}, "fatal", "success"),
    "fatal_fails_on_fatal": ({"fatal": True}, "fatal", "failed"),
}

with DAG("ips_fail_on", schedule=None, start_date=START, catchup=False) as ips_fail_on_dag:
    for task_id, (_, fail_on, _) in FAIL_ON_CASES.items():
        for deferrable in (False, True):
            suffix = "deferred" if deferrable else "sync"
            IpsOptimizeImagesJobOperator(
                task_id=f"{task_id}_{suffix}",
                job_name=f"{task_id}_{suffix}",
                fail_on=fail_on,
                deferrable=deferrable,
                retries=0,
                **FAST,
            )

with DAG("ips_exec_time", schedule=None, start_date=START, catchup=False) as ips_exec_time_dag:
    IpsSubmitJobOperator(
        task_id="deferred_until_exec_time",
        job={"optimize_images_job": {}},
        exec_time="{{ dag_run.conf['exec_time'] }}",
        **FAST,
    )
    IpsSubmitJobOperator(
        task_id="server_side_exec_time",
        job={"optimizeImagesJob": {}},
        exec_time="{{ dag_run.conf['server_exec_time'] }}",
        exec_time_mode="server",
        **FAST,
    )
    IpsCreateScheduledJobOperator(
        task_id="recurring_on_ips",
        job={"optimize_images_job": {}},
        exec_schedule="0 0 2 * * ?",
        job_name="nightly-optimize",
    )
    # independent: the server-side job is sent at once, while the first task is deferred

with DAG("ips_upload_once", schedule=None, start_date=START, catchup=False) as ips_upload_once_dag:
    IpsUploadUrlsJobOperator(
        task_id="upload",
        url_array=["https://assets.example.com/a.jpg", "https://assets.example.com/b.jpg"],
        **FAST,
    )

#: A job field mapped over (Airflow maps over the real ``__init__`` signature): one job a batch.
MAPPED_URL_BATCHES = [
    ["https://assets.example.com/a.jpg"],
    ["https://assets.example.com/b.jpg", "https://assets.example.com/c.jpg"],
]

with DAG(
    "ips_mapped_upload", schedule=None, start_date=START, catchup=False
) as ips_mapped_upload_dag:
    IpsUploadUrlsJobOperator.partial(task_id="upload", **FAST).expand(url_array=MAPPED_URL_BATCHES)

with DAG("ips_sensor", schedule=None, start_date=START, catchup=False) as ips_sensor_dag:
    for deferrable in (False, True):
        suffix = "deferred" if deferrable else "poke"
        IpsJobSensor(
            task_id=f"by_name_{suffix}",
            job_name="{{ dag_run.conf['job_name'] }}",
            poke_interval=0.1,
            timeout=60,
            deferrable=deferrable,
        )
        IpsJobSensor(
            task_id=f"scheduled_run_{suffix}",
            scheduled_job_name="{{ dag_run.conf['scheduled_job_name'] }}",
            completed_after="{{ dag_run.conf['after'] }}",
            poke_interval=0.1,
            timeout=60,
            deferrable=deferrable,
        )
    IpsJobSensor(
        task_id="by_handle_reschedule",
        job_handle="{{ dag_run.conf['job_handle'] }}",
        poke_interval=0.1,
        mode="reschedule",
        timeout=60,
    )

with DAG(
    "ips_sensor_vanish", schedule=None, start_date=START, catchup=False
) as ips_sensor_vanish_dag:
    for mode in ("poke", "reschedule"):
        IpsJobSensor(
            task_id=f"vanish_{mode}",
            job_handle="{{ dag_run.conf['job_handle'] }}",
            poke_interval=0.1,
            mode=mode,
            timeout=60,
            hook_params={"vanish_polls": 3, "vanish_seconds": 0},
        )

with DAG("ips_log_race", schedule=None, start_date=START, catchup=False) as ips_log_race_dag:
    for outcome in ("fatal", "ok"):
        for deferrable in (False, True):
            name = f"{outcome}_{'deferred' if deferrable else 'sync'}"
            IpsOptimizeImagesJobOperator(
                task_id=name, job_name=name, deferrable=deferrable, retries=0, **FAST
            )
