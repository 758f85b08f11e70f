"""The README's demo: a local IPS, one upload job followed to its job log.

Runs without Airflow; once the operators exist the demo runs an example DAG instead.
"""

from __future__ import annotations

import time

from airflow_provider_ips.models import JobLog, SubmitJobParam
from airflow_provider_ips.models.operations import (
    GET_ACTIVE_JOBS,
    GET_JOB_LOG_DETAILS,
    SUBMIT_JOB,
    GetActiveJobsParam,
    GetJobLogDetailsParam,
)
from airflow_provider_ips.simulator import (
    DEFAULT_COMPANY_HANDLE,
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    IpsSimulator,
    JobOutcome,
    SimulatorConfig,
)
from airflow_provider_ips.soap import ClientOptions, Credentials, IpsSoapClient


def follow(client: IpsSoapClient, company: str, job_handle: str, poll: float = 0.25) -> JobLog:
    """Print state changes until the job leaves the active list, then return its log."""
    last = None
    while True:
        jobs = client.call(
            GET_ACTIVE_JOBS, GetActiveJobsParam(company_handle=company, job_handle=job_handle)
        ).job_array
        if not jobs:
            break
        job = jobs[0]
        seen = (job.state, job.progress)
        if seen != last:
            state = str(getattr(job.state, "value", job.state))
            print(f"  {state:<18} {job.progress or 0:>3}%  {job.progress_message or ''}")
            last = seen
        time.sleep(poll)
    details = client.call(
        GET_JOB_LOG_DETAILS, GetJobLogDetailsParam(company_handle=company, job_handle=job_handle)
    ).job_log_array
    return details[0]


def main() -> int:
    config = SimulatorConfig(default_outcome=JobOutcome(duration=3.0, files=4, warnings=1))
    with IpsSimulator(config=config) as sim:
        print(f"ips-simulator running at {sim.url}")
        options = ClientOptions(base_url=sim.url, timeout=10)
        with IpsSoapClient(options, Credentials(DEFAULT_USER, DEFAULT_PASSWORD)) as client:
            param = SubmitJobParam(
                company_handle=DEFAULT_COMPANY_HANDLE,
                job_name="demo-upload-urls",
                upload_urls_job={
                    "url_array": [f"https://assets.example.com/shoe-{i}.jpg" for i in range(1, 5)],
                    "overwrite": True,
                },
            )
            handle = client.call(SUBMIT_JOB, param).job_handle
            print(f"submitted UploadUrlsJob {param.job_name!r} -> job handle {handle}")
            log = follow(client, DEFAULT_COMPANY_HANDLE, handle)
        print(
            f"finished: {log.log_type}  files ok={log.file_success_count} "
            f"warnings={log.file_warning_count} errors={log.file_error_count} "
            f"fatal={log.fatal_error}  ({log.start_date:%H:%M:%S} -> {log.end_date:%H:%M:%S})"
        )
        for row in log.detail_array:
            print(f"  [{row.log_type}] {row.asset_name or ''} {row.log_message or ''}".rstrip())
        print(f"calls the simulator received: {len(sim.calls())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
