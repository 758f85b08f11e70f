"""Jobs of every kind the IPS jobs page shows, submitted to a simulator through IpsHook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from airflow_provider_ips.models import SubmitJobParam

#: Job names, one per kind of row on the page.
RUNNING = "spring-upload"
PROBLEMS = "catalog-reprocess"
RECURRING = "nightly-publish"
ONE_SHOT = "launch-export"
NIGHTLY = "0 0 2 * * ?"


@dataclass
class Seeded:
    running: str
    problems: str
    recurring: str
    one_shot: str


def submit(hook: Any, name: str, job: dict[str, Any], **timing: Any) -> str:
    return str(
        hook.submit_job(
            SubmitJobParam(company_handle=hook.company_handle, job_name=name, **job, **timing)
        )
    )


def seed_jobs(hook: Any, script_outcome: Any) -> Seeded:
    """A long run, a finished run with errors and warnings, a recurring and a one-shot job.

    ``script_outcome(job_name=..., **JobOutcome fields)`` scripts the simulator's runs.
    """
    script_outcome(job_name=RUNNING, duration=3600.0, files=40)
    script_outcome(job_name=PROBLEMS, duration=0.0, files=60, errors=7, warnings=5)
    upload = {"upload_urls_job": {"url_array": ["https://assets.example.com/shoe-1.jpg"]}}
    reprocess = {"reprocess_assets_job": {"asset_handle_array": ["a|1001|img-1"]}}
    publish = {"image_serving_publish_job": {"publish_type": "Incremental"}}
    export = {"export_job": {"asset_handle_array": ["a|1001|img-1"], "fmt": "orig"}}
    later = datetime.now(timezone.utc) + timedelta(days=1)
    return Seeded(
        running=submit(hook, RUNNING, upload),
        problems=submit(hook, PROBLEMS, reprocess),
        recurring=submit(hook, RECURRING, publish, exec_schedule=NIGHTLY),
        one_shot=submit(hook, ONE_SHOT, export, exec_time=later),
    )
