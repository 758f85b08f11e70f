"""Upload images from URLs into Dynamic Media Classic, then publish them to Image Serving.

Trigger it from the UI: the form asks for the URLs, the publish type and how strict the
run should be about warnings.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, Param

from airflow_provider_ips.operators.jobs import (
    IpsImageServingPublishJobOperator,
    IpsUploadUrlsJobOperator,
    Templated,
)

with DAG(
    dag_id="ips_upload_and_publish",
    description="Upload images from URLs, then publish to Image Serving",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    render_template_as_native_obj=True,  # params.urls renders as a list, not its text
    # a retry adopts the task run's IPS job by name, so it never submits a second one
    # (see docs/troubleshooting.md: deferred tasks marked failed after their job succeeded)
    default_args={"retries": 1, "retry_delay": pendulum.duration(seconds=10)},
    tags=["ips", "example"],
    params={
        "urls": Param(
            [
                "https://assets.example.com/shoes/runner-blue.jpg",
                "https://assets.example.com/shoes/runner-red.jpg",
            ],
            type="array",
            items={"type": "string", "format": "uri"},
            minItems=1,
            title="Image URLs",
            description="One URL per line; IPS fetches each one.",
        ),
        "overwrite": Param(True, type="boolean", title="Overwrite existing assets"),
        "publish_type": Param(
            "Incremental",
            enum=["Incremental", "Full", "FullWithSearch"],
            title="Publish type",
        ),
        "fail_on": Param(
            "errors",
            enum=["fatal", "errors", "warnings"],
            title="Fail the run on",
            description="fatal: only fatal errors; errors: any file error; warnings: any warning",
        ),
    },
) as dag:
    upload = IpsUploadUrlsJobOperator(
        task_id="upload_urls",
        # templates for fields that are not strings are marked, for type checkers
        url_array=Templated("{{ params.urls }}"),
        overwrite=Templated("{{ params.overwrite }}"),
        email_setting="None",  # kept as written, though native rendering makes it None
        fail_on="{{ params.fail_on }}",
        deferrable=True,  # wait in the triggerer: no worker slot held for the whole upload
        poll_interval=1,
    )
    publish = IpsImageServingPublishJobOperator(
        task_id="publish",
        publish_type=Templated("{{ params.publish_type }}"),
        email_setting="ErrorAndWarning",
        deferrable=True,
        poll_interval=1,
    )
    upload >> publish
