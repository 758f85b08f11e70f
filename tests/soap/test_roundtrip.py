"""Every job type goes model -> zeep envelope -> HTTP -> simulator -> job log and back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from airflow_provider_ips.models import JOB_TYPES, ActiveJobState, SubmitJobParam
from airflow_provider_ips.models.operations import (
    GetActiveJobsParam,
    GetJobLogDetailsParam,
    GetJobLogsParam,
    GetScheduledJobsParam,
)
from airflow_provider_ips.simulator import DEFAULT_COMPANY_HANDLE, IpsSimulator
from airflow_provider_ips.soap import IpsSoapClient
from tests.examples import EXAMPLE_JOBS
from tests.helpers import FakeClock

COMPANY = DEFAULT_COMPANY_HANDLE


def submit(client: IpsSoapClient, job_name: str, **fields: Any) -> str:
    param = SubmitJobParam(company_handle=COMPANY, job_name=job_name, **fields)
    return client.call("submitJob", param).job_handle


def active(client: IpsSoapClient, **selector: str) -> list[Any]:
    return client.call(
        "getActiveJobs", GetActiveJobsParam(company_handle=COMPANY, **selector)
    ).job_array


def details(client: IpsSoapClient, job_handle: str) -> list[Any]:
    param = GetJobLogDetailsParam(company_handle=COMPANY, job_handle=job_handle)
    return client.call("getJobLogDetails", param).job_log_array


def test_examples_cover_every_job_type() -> None:
    assert set(EXAMPLE_JOBS) == {spec.param_field for spec in JOB_TYPES}


@pytest.mark.parametrize("spec", JOB_TYPES, ids=lambda s: s.ips_field)
def test_job_type_round_trips_to_its_job_log(
    spec: Any, client: IpsSoapClient, simulator: IpsSimulator, clock: FakeClock
) -> None:
    job_fields = EXAMPLE_JOBS[spec.param_field]
    handle = submit(client, f"roundtrip-{spec.ips_field}", **{spec.param_field: job_fields})

    # what the simulator received equals what the model holds, field for field
    [running] = active(client, job_handle=handle)
    assert running.original_name == f"roundtrip-{spec.ips_field}"
    echoed = getattr(running, spec.param_field)
    assert echoed is not None
    assert echoed == spec.model.model_validate(job_fields)

    clock.advance(30)
    assert active(client, job_handle=handle) == []
    [job_log] = details(client, handle)
    assert job_log.job_handle == handle
    assert job_log.fatal_error is False
    assert job_log.file_success_count == 3
    assert job_log.detail_array, "detail rows come back as a plain list"
    assert [c.operation for c in simulator.calls()] == [
        "submitJob", "getActiveJobs", "getActiveJobs", "getJobLogDetails",
    ]  # fmt: skip
    assert simulator.calls("submitJob")[0].job_name == f"roundtrip-{spec.ips_field}"


def test_progress_is_reported_while_running(client: IpsSoapClient, clock: FakeClock) -> None:
    handle = submit(client, "progress", optimize_images_job={})
    states = []
    progress = []
    for _ in range(8):
        jobs = active(client, job_handle=handle)
        if not jobs:
            break
        states.append(jobs[0].state)
        progress.append(jobs[0].progress or 0)
        clock.advance(0.4)
    assert states[0] == ActiveJobState.NEW
    assert ActiveJobState.WAITING_COORDINATOR in states
    assert ActiveJobState.RUNNING in states
    assert progress == sorted(progress) and progress[-1] > progress[0]


def test_exec_time_delays_the_start(client: IpsSoapClient, clock: FakeClock) -> None:
    start = datetime.fromtimestamp(clock(), timezone.utc) + timedelta(minutes=10)
    handle = submit(client, "later", exec_time=start, optimize_images_job={})
    clock.advance(300)  # half way: not started, no log
    jobs = client.call("getJobLogs", GetJobLogsParam(company_handle=COMPANY)).job_log_array
    assert [j for j in jobs if j.job_handle == handle] == []
    assert all(j.state != ActiveJobState.RUNNING for j in active(client, job_handle=handle))
    clock.advance(330)
    clock.advance(30)
    [job_log] = details(client, handle)
    assert job_log.start_date >= start


def test_exec_schedule_fires_on_its_schedule(client: IpsSoapClient, clock: FakeClock) -> None:
    submit(client, "nightly", exec_schedule="00 00 02 * * ?", optimize_images_job={})
    param = GetScheduledJobsParam(company_handle=COMPANY, original_name="nightly")
    [scheduled] = client.call("getScheduledJobs", param).job_array
    first = scheduled.next_fire_time
    assert (first.hour, first.minute, first.second) == (2, 0, 0)
    # run the clock through two fire times: two runs, each with its own log
    clock.advance(first.timestamp() - clock() + 60)
    clock.advance(24 * 3600)
    logs = client.call("getJobLogs", GetJobLogsParam(company_handle=COMPANY)).job_log_array
    runs = [j for j in logs if j.original_job_name == "nightly"]
    assert len(runs) == 2
    assert sorted(r.start_date.date() for r in runs)[1] - sorted(r.start_date.date() for r in runs)[
        0
    ] == timedelta(days=1)
    [scheduled] = client.call("getScheduledJobs", param).job_array
    assert scheduled.next_fire_time > max(r.start_date for r in runs)
