"""Test DAG with an invalid IPS schedule: day-of-week 9 does not exist in Quartz (1-7)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG

from airflow_provider_ips.timetables import IpsScheduleTimetable

with DAG(
    dag_id="ips_bad_schedule_test",
    schedule=IpsScheduleTimetable("0 0 2 ? * 9", timezone="Europe/Berlin"),
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
):
    pass
