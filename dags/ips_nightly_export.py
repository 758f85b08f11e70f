"""Every weekday at 02:00 in the IPS server's time zone: reprocess, then export assets.

The schedule is the IPS job's Quartz execSchedule, run by Airflow instead of the IPS server
(see docs/scheduling.md), so each night is a DAG run with its own logs and retries. A
manual run asks for the asset handles and the export format in its trigger form.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, Param

from airflow_provider_ips.operators.jobs import (
    IpsExportJobOperator,
    IpsReprocessAssetsJobOperator,
    Templated,
)
from airflow_provider_ips.timetables import IpsScheduleTimetable

with DAG(
    dag_id="ips_nightly_export",
    description="Reprocess, then export assets, on the IPS schedule 0 0 2 ? * MON-FRI",
    schedule=IpsScheduleTimetable("0 0 2 ? * MON-FRI", timezone="Europe/Berlin"),
    start_date=pendulum.datetime(2026, 1, 1, tz="Europe/Berlin"),
    catchup=False,
    render_template_as_native_obj=True,
    default_args={"retries": 1, "retry_delay": pendulum.duration(seconds=30)},  # adopts by name
    tags=["ips", "example"],
    params={
        "asset_handles": Param(
            ["a|1001|catalog-cover", "a|1001|catalog-back"],
            type="array",
            items={"type": "string"},
            minItems=1,
            title="Asset handles",
        ),
        "fmt": Param("orig", enum=["orig", "convert"], title="Export as"),
        "is_modifier": Param(
            "wid=1200&fmt=jpeg",
            type="string",
            title="Image Serving modifiers (for convert)",
        ),
    },
) as dag:
    reprocess = IpsReprocessAssetsJobOperator(
        task_id="reprocess",
        asset_handle_array=Templated("{{ params.asset_handles }}"),
        preserve_crop=True,
        deferrable=True,
        poll_interval=1,
    )
    export = IpsExportJobOperator(
        task_id="export",
        asset_handle_array=Templated("{{ params.asset_handles }}"),
        fmt=Templated("{{ params.fmt }}"),
        is_modifier="{{ params.is_modifier }}",
        fail_on="warnings",
        deferrable=True,
        poll_interval=1,
    )
    reprocess >> export
