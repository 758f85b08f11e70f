"""A DAG whose runs tests/test_lineage.py watches through OpenLineage events.

Every job type once, waiting on the worker; an upload waiting in the triggerer; a job with
templated fields; and a recurring job (which moves no data).
"""

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
    IpsUploadDirectoryJobOperator,
    IpsUploadUrlsJobOperator,
)
from tests.examples import EXAMPLE_JOBS  # noqa: E402

FAST = {"poll_interval": 0.1}

with DAG(
    "ips_lineage",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    params={"season": "summer"},
) as ips_lineage_dag:
    for operator in JOB_OPERATORS:
        spec = operator.job_type
        assert spec is not None
        operator(task_id=spec.param_field, **FAST, **EXAMPLE_JOBS[spec.param_field])
    IpsUploadUrlsJobOperator(
        task_id="upload_urls_job_deferred",
        deferrable=True,
        **FAST,
        **EXAMPLE_JOBS["upload_urls_job"],
    )
    IpsUploadDirectoryJobOperator(
        task_id="templated",
        server_dir="/incoming/{{ params.season }}",
        dest_folder="DemoCompany/{{ params.season }}/",
        **FAST,
    )
    IpsCreateScheduledJobOperator(
        task_id="recurring",
        job={"optimize_images_job": {}},
        exec_schedule="0 0 2 * * ?",
    )
