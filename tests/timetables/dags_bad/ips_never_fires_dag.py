"""Test DAG whose IPS schedule never fires (February 30): rejected by validate()."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG

from airflow_provider_ips.timetables import IpsScheduleTimetable

with DAG(
    dag_id="ips_never_fires_test",
    schedule=IpsScheduleTimetable("0 0 0 30 2 ?"),
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
):
    pass
