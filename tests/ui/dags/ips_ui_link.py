"""A run whose tasks carry the "IPS job" link: an operator and a sensor watching its job."""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG

from airflow_provider_ips.operators.jobs import IpsOptimizeImagesJobOperator
from airflow_provider_ips.sensors.jobs import IpsJobSensor

with DAG(
    "ips_ui_link",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
):
    optimize = IpsOptimizeImagesJobOperator(
        task_id="optimize", ips_conn_id="ips_ui", poll_interval=0.2
    )
    watch = IpsJobSensor(
        task_id="watch",
        ips_conn_id="ips_ui",
        job_handle="{{ ti.xcom_pull('optimize', key='ips_job_handle') }}",
        poke_interval=0.2,
    )
    optimize >> watch
