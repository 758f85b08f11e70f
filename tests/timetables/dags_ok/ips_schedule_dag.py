"""Test DAG: weekday IPS schedule in the IPS server's time zone (parsed by DagBag tests)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task

from airflow_provider_ips.timetables import IpsScheduleTimetable

with DAG(
    dag_id="ips_schedule_timetable_test",
    schedule=IpsScheduleTimetable(
        "0 0 2 ? * MON-FRI", timezone="Europe/Berlin", interval=timedelta(hours=1)
    ),
    start_date=datetime(2026, 3, 23, tzinfo=timezone.utc),
    catchup=True,
    tags=["ips", "test"],
):

    @task
    def submit() -> None:
        """Would submit an immediate IPS job."""

    submit()
