"""The simulator's job engine, driven by a fake clock (no sleeping)."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from airflow_provider_ips.models import (
    ActiveJob,
    ActiveJobState,
    JobLog,
    JobTriggerState,
    JobType,
    SubmitJobParam,
)
from airflow_provider_ips.simulator.engine import (
    DELETED_MESSAGE,
    LOG_TYPES,
    STOPPED_MESSAGE,
    EngineAuthorizationFault,
    EngineFault,
    JobEngine,
    JobOutcome,
    Timing,
)
from airflow_provider_ips.watch import JobSighting, log_is_final, lookup_steps, run_lookup
from tests.examples import EXAMPLE_JOBS
from tests.helpers import FakeClock

CO = "c1001"
USER = "demo@example.com"
UTC = timezone.utc
# 1s New, 1s WaitingCoordinator, runs take 10s, Done shown 1s, Stopping 1s
TIMING = Timing(new_seconds=1.0, waiting_seconds=1.0, done_seconds=1.0, stopping_seconds=1.0)
OUTCOME = JobOutcome(duration=10.0, files=3)


def param(
    name: str = "publish", job: str = "image_serving_publish_job", **kw: Any
) -> SubmitJobParam:
    return SubmitJobParam(
        company_handle=kw.pop("company_handle", CO), job_name=name,
        **{job: EXAMPLE_JOBS[job]}, **kw,
    )  # fmt: skip


@pytest.fixture
def engine(clock: FakeClock) -> JobEngine:
    return JobEngine(clock, timing=TIMING, default_outcome=OUTCOME)


def active(engine: JobEngine, handle: str) -> ActiveJob | None:
    jobs = engine.get_active_jobs(CO, job_handle=handle)
    assert len(jobs) <= 1
    return jobs[0] if jobs else None


def only_log(engine: JobEngine, handle: str, **kw: Any) -> JobLog:
    logs = engine.get_job_log_details(CO, job_handle=handle, **kw)
    assert len(logs) == 1, logs
    return logs[0]


def row_types(log: JobLog) -> list[str]:
    return [str(d.log_type) for d in log.detail_array]


def looks_successful(log: JobLog) -> bool:
    return not log.fatal_error and str(log.log_type).startswith("End")


def fault_code(excinfo: pytest.ExceptionInfo[EngineFault]) -> int:
    return excinfo.value.code


# --- life cycle ------------------------------------------------------------------------------


def test_immediate_job_walks_through_the_states_then_logs(
    engine: JobEngine, clock: FakeClock
) -> None:
    handle = engine.submit(CO, param("publish"), USER)
    assert handle.startswith(f"{CO}|publish|")
    job = active(engine, handle)
    assert job is not None
    assert (job.state, job.progress, job.name, job.original_name) == (
        ActiveJobState.NEW, 0, "publish", "publish",
    )  # fmt: skip
    assert job.type == JobType.IMAGE_SERVING_PUBLISH
    assert job.submit_user_email == USER and job.company_handle == CO
    assert job.image_serving_publish_job is not None
    assert job.start_date == datetime.fromtimestamp(clock(), UTC)
    assert job.start_date.tzinfo is not None
    begun = only_log(engine, handle)  # the log is written from the start
    assert (begun.log_type, begun.end_date, begun.fatal_error) == (
        "BeginImageServingPublish", None, False,
    )  # fmt: skip
    assert row_types(begun) == ["BeginImageServingPublish", "OriginalJobName"]
    assert not log_is_final(begun)

    clock.advance(1.5)
    assert active(engine, handle).state == ActiveJobState.WAITING_COORDINATOR  # type: ignore[union-attr]
    progress: list[int] = []
    for _ in range(9):
        clock.advance(1.0)
        job = active(engine, handle)
        assert job is not None and job.state == ActiveJobState.RUNNING
        assert job.progress_message and "of 3 files" in job.progress_message
        progress.append(job.progress or 0)
    assert progress == sorted(progress) and progress[0] < progress[-1] < 100
    [partial] = engine.get_job_logs(CO)
    assert partial.end_date is None and partial.log_type == "BeginImageServingPublish"
    assert not log_is_final(partial)

    clock.advance(2.0)  # 12.5s: finished at 12s, Done until 13s
    job = active(engine, handle)
    assert job is not None and (job.state, job.progress) == (ActiveJobState.DONE, 100)
    log = only_log(engine, handle)  # the log is final as soon as the job is Done
    assert log.end_date == datetime.fromtimestamp(clock() - 0.5, UTC)
    assert log_is_final(log)

    clock.advance(1.0)
    assert active(engine, handle) is None
    assert engine.get_active_jobs() == []
    log = only_log(engine, handle)
    assert log.job_handle == handle and log.job_name == log.original_job_name == "publish"
    assert log.log_type == "EndImageServingPublish" and looks_successful(log)
    assert (log.file_success_count, log.total_file_count, log.file_error_count) == (3, 3, 0)
    assert log.start_date is not None and log.end_date is not None
    assert log.end_date - log.start_date == timedelta(seconds=12)
    assert row_types(log) == [
        "BeginImageServingPublish",
        "OriginalJobName",
        *["ImageServingPublishSuccess"] * 3,
        "EndImageServingPublish",
    ]
    assert [d.asset_name for d in log.detail_array[2:5]] == [
        "file-001.jpg", "file-002.jpg", "file-003.jpg",
    ]  # fmt: skip
    assert log.detail_total_rows == 6


def test_a_late_look_still_sees_the_exact_end_time(engine: JobEngine, clock: FakeClock) -> None:
    start = clock()
    handle = engine.submit(CO, param(), USER)
    clock.advance(3600)
    assert engine.get_active_jobs() == []
    log = only_log(engine, handle)
    assert log.end_date == datetime.fromtimestamp(start + 12, UTC)


def test_zero_timings_finish_on_the_first_look(clock: FakeClock) -> None:
    engine = JobEngine(clock, timing=Timing(0, 0, 0, 0), default_outcome=JobOutcome(duration=0))
    handle = engine.submit(CO, param(), USER)
    assert engine.get_active_jobs() == []
    assert looks_successful(only_log(engine, handle))


# --- outcomes --------------------------------------------------------------------------------


def test_scripted_counts_and_rows(engine: JobEngine, clock: FakeClock) -> None:
    engine.script_outcome(
        JobOutcome(duration=1, files=4, warnings=2, errors=1, duplicates=1, updates=2),
        job_name="upload",
    )
    handle = engine.submit(CO, param("upload", "upload_urls_job"), USER)
    clock.advance(10)
    log = only_log(engine, handle)
    assert (
        log.file_success_count, log.file_warning_count, log.file_error_count,
        log.file_duplicate_count, log.file_update_count, log.total_file_count,
    ) == (4, 2, 1, 1, 2, 8)  # fmt: skip
    assert not log.fatal_error and log.log_type == "EndUploadUrls"
    assert row_types(log) == [
        "BeginUploadUrls", "OriginalJobName",
        "UploadSuccess", "FileUpdated", "UploadSuccess", "FileUpdated",
        "UploadSuccess", "UploadSuccess",
        "UploadWarning", "UploadWarning", "UploadError", "DuplicateSkipped",
        "EndUploadUrls",
    ]  # fmt: skip
    error = log.detail_array[10]
    # the example job names two URLs (shoe-1.jpg, shoe-2.jpg); the 7th file is the 4th
    # round of the first one
    assert (error.asset_name, str(error.asset_type)) == ("shoe-1_4.jpg", "MasterImage")
    assert error.asset_handle


def test_fatal_outcome_fails_halfway(engine: JobEngine, clock: FakeClock) -> None:
    engine.script_outcome(JobOutcome(duration=10, files=4, fatal=True, fatal_message="disk full"))
    handle = engine.submit(CO, param(), USER)
    clock.advance(6.9)  # 2s queued + half of 10s
    job = active(engine, handle)
    assert job is not None and job.state == ActiveJobState.RUNNING and job.progress <= 50  # type: ignore[operator]
    clock.advance(0.2)
    job = active(engine, handle)
    assert job is not None and (job.state, job.progress) == (ActiveJobState.DONE, 50)
    assert "disk full" in (job.progress_message or "")
    log = only_log(engine, handle)
    assert log.fatal_error is True and log.log_type == "FatalError"
    assert not looks_successful(log)
    assert (log.file_success_count, log.total_file_count) == (2, 4)
    assert row_types(log)[-1] == "FatalError" and "EndImageServingPublish" not in row_types(log)
    assert log.detail_array[-1].log_message == "disk full"


def test_scripts_match_by_name_count_and_fall_back(engine: JobEngine, clock: FakeClock) -> None:
    engine.script_outcome(JobOutcome(duration=1, files=1), count=None)  # wildcard, forever
    engine.script_outcome(JobOutcome(duration=1, files=7), job_name="seven", count=2)
    handles = [engine.submit(CO, param(n), USER) for n in ("seven", "other", "seven", "seven")]
    clock.advance(10)
    counts = [only_log(engine, h).total_file_count for h in handles]
    assert counts == [7, 1, 7, 1]
    engine.clear_scripts()
    engine.default_outcome = JobOutcome(duration=1, files=5)
    handle = engine.submit(CO, param("seven"), USER)
    clock.advance(10)
    assert only_log(engine, handle).total_file_count == 5


def test_outcome_and_timing_validation(engine: JobEngine) -> None:
    with pytest.raises(ValueError, match="files"):
        JobOutcome(files=-1)
    with pytest.raises(ValueError, match="duration"):
        JobOutcome(duration=float("nan"))
    with pytest.raises(ValueError, match="new_seconds"):
        Timing(new_seconds=-1)
    with pytest.raises(ValueError, match="count"):
        engine.script_outcome(JobOutcome(), count=0)


@pytest.mark.parametrize("job_field", sorted(EXAMPLE_JOBS))
def test_every_job_type_logs_with_its_own_types(
    engine: JobEngine, clock: FakeClock, job_field: str
) -> None:
    types = LOG_TYPES[job_field]
    engine.script_outcome(JobOutcome(duration=1, files=1, warnings=1, errors=1))
    handle = engine.submit(CO, param("job", job_field), USER)
    job = active(engine, handle)
    assert job is not None and job.type == types.job_type
    assert getattr(job, job_field) is not None
    clock.advance(2.5)  # running: the log so far is never taken for a finished one
    running = only_log(engine, handle)
    assert not log_is_final(running) and running.log_type == types.begin
    clock.advance(10)
    log = only_log(engine, handle)
    assert log_is_final(log)
    assert row_types(log) == [
        str(t) for t in (types.begin, "OriginalJobName", types.success, types.warning,
                         types.error, types.end)
    ]  # fmt: skip
    assert log.log_type == types.end


# --- log details -----------------------------------------------------------------------------


def test_details_are_paginated_filtered_and_sorted(engine: JobEngine, clock: FakeClock) -> None:
    engine.script_outcome(JobOutcome(duration=1, files=20, errors=3))
    handle = engine.submit(CO, param(), USER)
    clock.advance(10)
    assert only_log(engine, handle).detail_total_rows == 26
    page = only_log(engine, handle, records_per_page=10, results_page=3)
    assert page.detail_total_rows == 26 and len(page.detail_array) == 6
    assert row_types(page)[-1] == "EndImageServingPublish"
    assert only_log(engine, handle, records_per_page=10, results_page=4).detail_array == []

    errors = only_log(engine, handle, log_types=["ImageServingPublishError", "FatalError"])
    assert errors.detail_total_rows == 3 and set(row_types(errors)) == {"ImageServingPublishError"}
    assert [d.asset_name for d in errors.detail_array] == [
        "file-021.jpg", "file-022.jpg", "file-023.jpg",
    ]  # fmt: skip
    newest = only_log(engine, handle, sort_direction="Descending", records_per_page=1)
    assert row_types(newest) == ["EndImageServingPublish"]
    by_type = only_log(engine, handle, sort_by="LogType")
    assert row_types(by_type) == sorted(row_types(by_type))


def test_log_details_by_original_name_and_for_the_whole_company(
    engine: JobEngine, clock: FakeClock
) -> None:
    first = engine.submit(CO, param("nightly"), USER)
    clock.advance(20)
    second = engine.submit(CO, param("nightly"), USER)
    engine.submit(CO, param("other"), USER)
    engine.submit("c2", param("nightly", company_handle="c2"), USER)
    clock.advance(20)
    logs = engine.get_job_log_details(CO, original_name="nightly")
    assert [log.job_handle for log in logs] == [first, second]
    assert len(engine.get_job_log_details(CO)) == 3
    assert engine.get_job_log_details(CO, job_handle=first, original_name="other") == []


def test_get_job_logs_sorts_limits_and_filters(engine: JobEngine, clock: FakeClock) -> None:
    start = clock()
    engine.script_outcome(JobOutcome(duration=1, files=2, errors=2), job_name="b-errors")
    for name in ("c-first", "a-second", "b-errors"):
        engine.submit(CO, param(name, user_handle="u|7" if name == "a-second" else None), USER)
        clock.advance(100)
    engine.submit("c2", param("elsewhere", company_handle="c2"), "other@example.com")
    clock.advance(100)

    logs = engine.get_job_logs(CO)
    assert [log.job_name for log in logs] == ["b-errors", "a-second", "c-first"]  # newest first
    assert all(log.detail_array == [] and log.detail_total_rows is None for log in logs)
    assert len(engine.get_job_logs()) == 4
    by_name = engine.get_job_logs(CO, sort_by="JobName", sort_direction="Ascending")
    assert [log.job_name for log in by_name] == ["a-second", "b-errors", "c-first"]
    by_errors = engine.get_job_logs(CO, sort_by="FileErrorCount", num_rows=1)
    assert [log.job_name for log in by_errors] == ["b-errors"]
    assert [log.job_name for log in engine.get_job_logs(user_handle="u|7")] == ["a-second"]
    assert [log.job_name for log in engine.get_job_logs(user_handle="other@example.com")] == [
        "elsewhere"
    ]
    window = engine.get_job_logs(
        CO,
        start_date=datetime.fromtimestamp(start + 50, UTC),
        end_date=datetime.fromtimestamp(start + 150, UTC),
    )
    assert [log.job_name for log in window] == ["a-second"]


# --- execTime --------------------------------------------------------------------------------


def test_exec_time_job_waits_in_the_scheduled_list(engine: JobEngine, clock: FakeClock) -> None:
    at = datetime.fromtimestamp(clock() + 60, UTC)
    handle = engine.submit(CO, param("later", exec_time=at), USER)
    assert engine.get_active_jobs(CO) == []
    (sched,) = engine.get_scheduled_jobs(CO)
    assert (sched.job_handle, sched.name, sched.exec_schedule) == (handle, "later", None)
    assert sched.next_fire_time == at and sched.trigger_state == JobTriggerState.NORMAL
    assert sched.type == JobType.IMAGE_SERVING_PUBLISH

    clock.advance(59)
    assert engine.get_active_jobs(CO) == [] and len(engine.get_scheduled_jobs(CO)) == 1
    clock.advance(1.5)
    assert engine.get_scheduled_jobs(CO) == []
    job = active(engine, handle)  # the same handle is now an active job
    assert job is not None and job.state == ActiveJobState.NEW and job.start_date == at
    clock.advance(20)
    log = only_log(engine, handle)
    assert looks_successful(log) and log.start_date == at


def test_exec_time_in_the_past_runs_now(engine: JobEngine, clock: FakeClock) -> None:
    at = datetime.fromtimestamp(clock() - 60, UTC)
    handle = engine.submit(CO, param(exec_time=at), USER)
    assert engine.get_scheduled_jobs(CO) == []
    assert active(engine, handle) is not None


def test_paused_exec_time_job_fires_on_resume_if_its_time_passed(
    engine: JobEngine, clock: FakeClock
) -> None:
    handle = engine.submit(CO, param(exec_time=datetime.fromtimestamp(clock() + 10, UTC)), USER)
    engine.pause_job(CO, handle)
    assert engine.get_scheduled_jobs(CO)[0].trigger_state == JobTriggerState.PAUSED
    clock.advance(30)
    assert engine.get_active_jobs(CO) == []
    engine.resume_job(CO, handle)
    assert engine.get_scheduled_jobs(CO) == []
    assert active(engine, handle) is not None


def test_execute_fires_a_one_shot_job_early(engine: JobEngine, clock: FakeClock) -> None:
    handle = engine.submit(CO, param(exec_time=datetime.fromtimestamp(clock() + 3600, UTC)), USER)
    engine.execute_job(CO, handle)
    assert engine.get_scheduled_jobs(CO) == [] and active(engine, handle) is not None
    clock.advance(7200)
    assert len(engine.get_job_log_details(CO, job_handle=handle)) == 1  # ran once


@pytest.mark.parametrize("action", ["stop_job", "delete_job"])
def test_cancelling_a_one_shot_job_before_it_fires_logs_a_failure(
    engine: JobEngine, clock: FakeClock, action: str
) -> None:
    handle = engine.submit(CO, param(exec_time=datetime.fromtimestamp(clock() + 60, UTC)), USER)
    getattr(engine, action)(CO, handle)
    clock.advance(120)
    assert engine.get_scheduled_jobs(CO) == [] and engine.get_active_jobs() == []
    log = only_log(engine, handle)
    assert log.fatal_error and not looks_successful(log)
    expected = STOPPED_MESSAGE if action == "stop_job" else DELETED_MESSAGE
    assert (log.detail_array[-1].log_message or "").startswith(expected)


# --- execSchedule ----------------------------------------------------------------------------


def daily_2am(engine: JobEngine, name: str = "nightly") -> str:
    return engine.submit(CO, param(name, exec_schedule="0 0 2 * * ?"), USER)


def test_recurring_job_fires_at_its_times_with_its_own_runs_and_logs(
    engine: JobEngine, clock: FakeClock
) -> None:
    # the fake clock starts at 2027-01-15 08:00 UTC
    handle = daily_2am(engine)
    (sched,) = engine.get_scheduled_jobs(CO)
    assert sched.job_handle == handle and sched.exec_schedule == "0 0 2 * * ?"
    assert sched.next_fire_time == datetime(2027, 1, 16, 2, tzinfo=UTC)
    assert (sched.time_zone, sched.trigger_state) == ("UTC", JobTriggerState.NORMAL)
    assert engine.get_active_jobs(CO) == []

    clock.advance(18 * 3600 + 5)  # 2027-01-16 02:00:05: the first run is running
    (run,) = engine.get_active_jobs(CO, original_name="nightly")
    assert run.job_handle != handle and run.name == "nightly_2027-01-16-02:00:00"
    assert run.start_date == datetime(2027, 1, 16, 2, tzinfo=UTC)
    assert engine.get_active_jobs(CO, job_handle=handle) == [run]  # runs by the schedule
    assert engine.get_scheduled_jobs(CO)[0].next_fire_time == datetime(2027, 1, 17, 2, tzinfo=UTC)

    clock.advance(2 * 86400 + 60)  # two more days: runs on the 17th and 18th
    logs = engine.get_job_log_details(CO, job_handle=handle)
    assert [log.start_date for log in logs] == [
        datetime(2027, 1, d, 2, tzinfo=UTC) for d in (16, 17, 18)
    ]
    assert len({log.job_handle for log in logs}) == 3
    assert all(looks_successful(log) and log.original_job_name == "nightly" for log in logs)
    run_log = only_log(engine, logs[1].job_handle or "")  # by the run's own handle
    assert run_log.job_handle == logs[1].job_handle
    assert [log.job_handle for log in engine.get_job_log_details(CO, original_name="nightly")] == [
        log.job_handle for log in logs
    ]
    assert engine.get_scheduled_jobs(CO)[0].next_fire_time == datetime(2027, 1, 19, 2, tzinfo=UTC)


def test_pause_resume_execute_and_delete_a_recurring_job(
    engine: JobEngine, clock: FakeClock
) -> None:
    handle = daily_2am(engine)
    engine.pause_job(CO, handle)
    engine.pause_job(CO, handle)  # twice is fine
    (sched,) = engine.get_scheduled_jobs(CO)
    assert sched.trigger_state == JobTriggerState.PAUSED
    clock.advance(3 * 86400)  # 2027-01-18 08:00: paused through three fire times
    assert engine.get_job_log_details(CO, job_handle=handle) == []

    engine.resume_job(CO, handle)  # missed fire times are skipped
    (sched,) = engine.get_scheduled_jobs(CO)
    assert sched.trigger_state == JobTriggerState.NORMAL
    assert sched.next_fire_time == datetime(2027, 1, 19, 2, tzinfo=UTC)
    assert engine.get_active_jobs(CO) == []

    engine.execute_job(CO, handle)  # one extra run now, schedule unchanged
    (run,) = engine.get_active_jobs(CO, job_handle=handle)
    assert run.original_name == "nightly"
    assert engine.get_scheduled_jobs(CO)[0].next_fire_time == datetime(2027, 1, 19, 2, tzinfo=UTC)
    clock.advance(86400)  # the 19th fires as well
    assert len(engine.get_job_log_details(CO, job_handle=handle)) == 2

    engine.delete_job(CO, handle)
    assert engine.get_scheduled_jobs(CO) == []
    clock.advance(7 * 86400)
    assert len(engine.get_job_log_details(CO, job_handle=handle)) == 2
    with pytest.raises(EngineFault) as excinfo:
        engine.execute_job(CO, handle)
    assert fault_code(excinfo) == 30001


def test_deleting_a_schedule_lets_its_run_finish(engine: JobEngine, clock: FakeClock) -> None:
    handle = daily_2am(engine)
    clock.advance(18 * 3600 + 3)
    engine.delete_job(CO, handle)
    assert engine.get_scheduled_jobs(CO) == [] and len(engine.get_active_jobs(CO)) == 1
    clock.advance(60)
    (log,) = engine.get_job_log_details(CO, job_handle=handle)
    assert looks_successful(log)


def test_stopping_a_recurring_job_stops_its_runs(engine: JobEngine, clock: FakeClock) -> None:
    handle = daily_2am(engine)
    with pytest.raises(EngineFault) as excinfo:
        engine.stop_job(CO, handle)  # nothing running
    assert fault_code(excinfo) == 30001
    clock.advance(18 * 3600 + 5)
    engine.stop_job(CO, handle)
    clock.advance(60)
    (log,) = engine.get_job_log_details(CO, job_handle=handle)
    assert log.fatal_error and not looks_successful(log)
    assert len(engine.get_scheduled_jobs(CO)) == 1  # the schedule itself stays


def test_a_clock_jump_replays_at_most_a_bounded_backlog(
    engine: JobEngine, clock: FakeClock
) -> None:
    engine.default_outcome = JobOutcome(duration=0)
    handle = engine.submit(CO, param("every-second", exec_schedule="* * * * * ?"), USER)
    clock.advance(3600)
    runs = len(engine.get_job_log_details(CO, job_handle=handle, records_per_page=1))
    assert 100 < runs <= 1001
    (sched,) = engine.get_scheduled_jobs(CO)
    assert sched.next_fire_time == datetime.fromtimestamp(clock() + 1, UTC)


def test_schedule_in_the_server_time_zone(clock: FakeClock) -> None:
    engine = JobEngine(clock, server_timezone="America/Los_Angeles", timing=TIMING)
    la = ZoneInfo("America/Los_Angeles")
    handle = daily_2am(engine)
    (sched,) = engine.get_scheduled_jobs(CO)
    assert sched.next_fire_time == datetime(2027, 1, 15, 2, tzinfo=la)  # now: 01-15 00:00 PST
    assert sched.next_fire_time is not None and sched.next_fire_time.tzinfo is not None
    assert sched.time_zone == "America/Los_Angeles"
    clock.advance(86400)
    (log,) = engine.get_job_log_details(CO, job_handle=handle)
    assert log.start_date is not None and log.start_date.utcoffset() == timedelta(hours=-8)
    assert log.start_date == datetime(2027, 1, 15, 2, tzinfo=la)


def test_invalid_or_exhausted_schedules_are_invalid_parameters(engine: JobEngine) -> None:
    # the model refuses "not a schedule" first; the engine checks a param that skipped it too
    unchecked = param().model_copy(update={"exec_schedule": "not a schedule"})
    for submitted in (unchecked, param(exec_schedule="0 0 0 1 1 ? 2001")):
        with pytest.raises(EngineFault) as excinfo:
            engine.submit(CO, submitted, USER)
        assert fault_code(excinfo) == 30001
        assert "execSchedule" in excinfo.value.reason
    assert engine.get_scheduled_jobs(CO) == []


# --- stop, delete, pause of runs -------------------------------------------------------------


def test_stopped_job_goes_through_stopping_and_never_looks_successful(
    engine: JobEngine, clock: FakeClock
) -> None:
    handle = engine.submit(CO, param(), USER)
    clock.advance(7)  # half way through the run
    progress = active(engine, handle).progress  # type: ignore[union-attr]
    engine.stop_job(CO, handle)
    engine.stop_job(CO, handle)  # already stopping: no-op
    job = active(engine, handle)
    assert job is not None and job.state == ActiveJobState.STOPPING and job.progress == progress
    assert not log_is_final(only_log(engine, handle))
    clock.advance(1.0)
    assert active(engine, handle) is None
    log = only_log(engine, handle)
    assert log.fatal_error is True and log.log_type == "FatalError"
    assert not looks_successful(log)
    assert "EndImageServingPublish" not in row_types(log)
    assert log.detail_array[-1].log_message == STOPPED_MESSAGE
    assert log.total_file_count == 3 and (log.file_success_count or 0) < 3
    (summary,) = engine.get_job_logs(CO)
    assert summary.fatal_error is True and summary.log_type == "FatalError"


def test_deleting_a_running_job_ends_it_at_once(engine: JobEngine, clock: FakeClock) -> None:
    handle = engine.submit(CO, param(), USER)
    clock.advance(0.5)
    engine.delete_job(CO, handle)
    assert engine.get_active_jobs() == []
    log = only_log(engine, handle)
    assert log.fatal_error and not looks_successful(log)
    assert log.detail_array[-1].log_message == DELETED_MESSAGE
    assert log.file_success_count == 0


def test_pausing_a_running_job_freezes_it(engine: JobEngine, clock: FakeClock) -> None:
    handle = engine.submit(CO, param(), USER)
    clock.advance(6)
    engine.pause_job(CO, handle)
    frozen = active(engine, handle)
    assert frozen is not None and frozen.state == ActiveJobState.WAITING_CLIENT
    assert frozen.progress_message == "Paused"
    clock.advance(1000)
    still = active(engine, handle)
    assert still is not None and still.progress == frozen.progress
    paused_log = only_log(engine, handle)
    assert not log_is_final(paused_log) and paused_log.file_success_count == 1
    engine.resume_job(CO, handle)
    engine.resume_job(CO, handle)  # twice is fine
    assert active(engine, handle).state == ActiveJobState.RUNNING  # type: ignore[union-attr]
    clock.advance(5.9)
    assert active(engine, handle).state == ActiveJobState.RUNNING  # type: ignore[union-attr]
    clock.advance(0.2)  # 6 s left when paused
    log = only_log(engine, handle)
    assert looks_successful(log)
    assert log.end_date - log.start_date == timedelta(seconds=1012.0)  # type: ignore[operator]


def test_a_paused_job_can_be_stopped(engine: JobEngine, clock: FakeClock) -> None:
    handle = engine.submit(CO, param(), USER)
    clock.advance(5)
    engine.pause_job(CO, handle)
    engine.stop_job(CO, handle)
    clock.advance(2)
    assert not looks_successful(only_log(engine, handle))


# --- faults and names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action", ["stop_job", "pause_job", "resume_job", "delete_job", "execute_job"]
)
def test_unknown_foreign_and_finished_handles_are_invalid(
    engine: JobEngine, clock: FakeClock, action: str
) -> None:
    method = getattr(engine, action)
    for company, handle in ((CO, f"{CO}|nope|1"), (CO, "")):
        with pytest.raises(EngineFault) as excinfo:
            method(company, handle)
        assert fault_code(excinfo) == (30002 if not handle else 30001)
        assert excinfo.value.kind == "api"
    theirs = engine.submit("c2", param(company_handle="c2"), USER)
    with pytest.raises(EngineFault) as excinfo:
        method(CO, theirs)
    assert fault_code(excinfo) == 30001
    finished = engine.submit(CO, param(), USER)
    clock.advance(60)
    with pytest.raises(EngineFault) as excinfo:
        method(CO, finished)
    assert fault_code(excinfo) == 30001 and "finished" in excinfo.value.reason
    with pytest.raises(EngineFault) as excinfo:
        method("", finished)
    assert fault_code(excinfo) == 30002


def test_execute_of_a_plain_job_is_invalid(engine: JobEngine) -> None:
    handle = engine.submit(CO, param(), USER)
    with pytest.raises(EngineFault) as excinfo:
        engine.execute_job(CO, handle)
    assert fault_code(excinfo) == 30001


def test_query_faults(engine: JobEngine) -> None:
    with pytest.raises(EngineFault) as excinfo:
        engine.get_job_log_details(CO, job_handle=f"{CO}|ghost|99")
    assert fault_code(excinfo) == 30001
    bad_calls = [
        lambda: engine.get_job_log_details(CO, records_per_page=0),
        lambda: engine.get_job_log_details(CO, records_per_page=1001),
        lambda: engine.get_job_log_details(CO, results_page=0),
        lambda: engine.get_job_log_details(CO, sort_by="Size"),
        lambda: engine.get_job_log_details(CO, sort_direction="Sideways"),
        lambda: engine.get_job_logs(CO, sort_by="Color"),
        lambda: engine.get_job_logs(CO, num_rows=0),
    ]
    for call in bad_calls:
        with pytest.raises(EngineFault) as excinfo:
            call()
        assert fault_code(excinfo) == 30001
    missing: list[Callable[[], object]] = [
        lambda: engine.get_scheduled_jobs(""),
        lambda: engine.get_job_log_details(""),
    ]
    for missing_call in missing:
        with pytest.raises(EngineFault) as excinfo:
            missing_call()
        assert fault_code(excinfo) == 30002
    # filters that select nothing are not faults
    assert engine.get_active_jobs(CO, job_handle="x|y|1") == []
    assert engine.get_scheduled_jobs(CO, job_handle="x|y|1") == []


def test_submit_faults(engine: JobEngine) -> None:
    with pytest.raises(EngineFault) as excinfo:
        engine.submit("", param(), USER)
    assert fault_code(excinfo) == 30002
    # a param that skipped validation (model_construct) is still checked
    none = SubmitJobParam.model_construct(company_handle=CO, job_name="x")
    with pytest.raises(EngineFault) as excinfo:
        engine.submit(CO, none, USER)
    assert fault_code(excinfo) == 30002
    both = param().model_copy(update={"upload_urls_job": param(job="upload_urls_job").job})
    with pytest.raises(EngineFault) as excinfo:
        engine.submit(CO, both, USER)
    assert fault_code(excinfo) == 30001
    timing = param().model_copy(
        update={"exec_time": datetime(2030, 1, 1, tzinfo=UTC), "exec_schedule": "0 0 2 * * ?"}
    )
    with pytest.raises(EngineFault) as excinfo:
        engine.submit(CO, timing, USER)
    assert fault_code(excinfo) == 30001


def test_authorization_fault_for_unknown_companies(clock: FakeClock) -> None:
    engine = JobEngine(clock, companies={CO})
    engine.submit(CO, param(), USER)
    with pytest.raises(EngineAuthorizationFault) as excinfo:
        engine.submit("c999", param(company_handle="c999"), USER)
    assert (excinfo.value.code, excinfo.value.kind) == (20000, "authorization")
    with pytest.raises(EngineAuthorizationFault):
        engine.get_active_jobs("c999")
    copy = pickle.loads(pickle.dumps(excinfo.value))
    assert (type(copy), copy.code, copy.reason) == (
        EngineAuthorizationFault, 20000, excinfo.value.reason,
    )  # fmt: skip


def test_names_are_unique_among_unfinished_jobs(engine: JobEngine, clock: FakeClock) -> None:
    handles = [engine.submit(CO, param("dup"), USER) for _ in range(3)]
    assert len(set(handles)) == 3
    jobs = engine.get_active_jobs(CO, original_name="dup")
    assert [j.name for j in jobs] == ["dup", "dup_1", "dup_2"]
    assert {j.original_name for j in jobs} == {"dup"}
    scheduled = daily_2am(engine, "dup")
    assert engine.get_scheduled_jobs(CO, job_handle=scheduled)[0].name == "dup_3"
    other_company = engine.submit("c2", param("dup", company_handle="c2"), USER)
    assert active(engine, handles[0]) is not None
    assert engine.get_active_jobs("c2", job_handle=other_company)[0].name == "dup"
    clock.advance(60)  # the runs are gone: their names are free again
    later = engine.submit(CO, param("dup"), USER)
    assert active(engine, later).name == "dup"  # type: ignore[union-attr]
    clock.advance(60)
    assert [log.job_name for log in engine.get_job_log_details(CO, original_name="dup")] == [
        "dup", "dup_1", "dup_2", "dup",
    ]  # fmt: skip


# --- housekeeping, scale, threads ------------------------------------------------------------


def test_reset_forgets_everything(engine: JobEngine, clock: FakeClock) -> None:
    engine.script_outcome(JobOutcome(files=9), count=None)
    engine.default_outcome = JobOutcome(files=8)
    old = engine.submit(CO, param(), USER)
    daily_2am(engine)
    clock.advance(60)
    engine.reset()
    snapshot = engine.jobs_snapshot()
    assert (snapshot["active"], snapshot["scheduled"], snapshot["logs"]) == ([], [], 0)
    assert engine.get_job_logs() == []
    assert engine.default_outcome == OUTCOME
    new = engine.submit(CO, param(), USER)
    assert new != old
    clock.advance(60)
    assert only_log(engine, new).total_file_count == 3


def test_thousands_of_jobs(engine: JobEngine, clock: FakeClock) -> None:
    handles = [engine.submit(CO, param(f"job-{i % 50}"), USER) for i in range(2000)]
    assert len(set(handles)) == 2000
    for handle in handles[::100]:
        assert active(engine, handle) is not None
    assert len(engine.get_active_jobs(CO, original_name="job-7")) == 40
    clock.advance(5)
    assert len(engine.get_active_jobs()) == 2000
    clock.advance(60)
    assert engine.get_active_jobs() == []
    assert len(engine.get_job_logs(CO)) == 2000


def test_concurrent_submits_get_distinct_handles(engine: JobEngine) -> None:
    handles: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(50):
            handle = engine.submit(CO, param("same"), USER)
            with lock:
                handles.append(handle)
            assert engine.get_active_jobs(CO, job_handle=handle)[0].job_handle == handle

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(handles)) == 400
    assert len({j.name for j in engine.get_active_jobs(CO)}) == 400


# --- logs written from the start, the log-lag race, file names -------------------------------


def test_a_running_jobs_log_grows_and_ends(engine: JobEngine, clock: FakeClock) -> None:
    engine.script_outcome(JobOutcome(duration=10, files=3, warnings=1))
    handle = engine.submit(CO, param("grow", "upload_urls_job"), USER)
    seen: list[tuple[int, int, int]] = []
    for _ in range(6):
        clock.advance(2.0)  # 2, 4, ... 12 s: queued 2 s, then 10 s of work
        log = only_log(engine, handle)
        if not log_is_final(log):
            assert (log.log_type, log.end_date, log.fatal_error) == ("BeginUploadUrls", None, False)
            assert log.total_file_count == 0  # as in the reference's example of a running log
            assert "EndUploadUrls" not in row_types(log)
        done = (log.file_success_count or 0) + (log.file_warning_count or 0)
        seen.append((done, log.detail_total_rows or 0, int(log_is_final(log))))
    assert [s[0] for s in seen] == sorted(s[0] for s in seen) and seen[0][0] < seen[-1][0] == 4
    assert seen[-1][2] == 1 and [s[2] for s in seen[:-1]] == [0] * 5
    final = only_log(engine, handle)
    assert final.log_type == "EndUploadUrls" and final.total_file_count == 4
    assert final.end_date is not None


def lookup(engine: JobEngine, handle: str) -> JobSighting:
    """What the provider's job watch sees, asking the engine as its hook would."""

    class Hook:
        def get_active_jobs(self, **kw: Any) -> list[ActiveJob]:
            return engine.get_active_jobs(CO, **kw)

        def get_job_log_details(self, all_pages: bool = False, **kw: Any) -> list[JobLog]:
            return engine.get_job_log_details(CO, **kw)

        def get_scheduled_jobs(self, **kw: Any) -> list[Any]:
            return engine.get_scheduled_jobs(CO, **kw)

    return run_lookup(Hook(), lookup_steps(handle=handle))


def test_log_lag_lets_a_job_leave_the_active_list_before_its_log_is_final(
    clock: FakeClock,
) -> None:
    timing = Timing(new_seconds=1, waiting_seconds=1, done_seconds=1, log_lag_seconds=5)
    engine = JobEngine(clock, timing=timing, default_outcome=JobOutcome(duration=10))
    start = clock()
    handle = engine.submit(CO, param(), USER)
    clock.advance(12.5)  # finished at 12 s, listed as Done until 13 s
    assert active(engine, handle).state == ActiveJobState.DONE  # type: ignore[union-attr]
    assert not log_is_final(only_log(engine, handle))
    clock.advance(1.0)  # 13.5 s: gone from the active list, the log still reads as running
    assert active(engine, handle) is None
    racing = only_log(engine, handle)
    assert not log_is_final(racing) and racing.end_date is None
    assert racing.file_success_count == 3 and "EndImageServingPublish" not in row_types(racing)
    sighting = lookup(engine, handle)
    assert sighting.found and not sighting.running and not sighting.finished
    assert [log.end_date for log in engine.get_job_logs(CO)] == [None]

    clock.advance(4.5)  # 18 s = left at 13 s + 5 s of lag: the ending is written
    final = only_log(engine, handle)
    assert log_is_final(final) and final.log_type == "EndImageServingPublish"
    assert final.end_date == datetime.fromtimestamp(start + 12, UTC)  # when the job ended
    assert lookup(engine, handle).finished


def test_log_lag_applies_to_fatal_and_stopped_runs(clock: FakeClock) -> None:
    timing = Timing(new_seconds=0, waiting_seconds=0, done_seconds=0, stopping_seconds=0,
                    log_lag_seconds=2)  # fmt: skip
    engine = JobEngine(clock, timing=timing, default_outcome=JobOutcome(duration=4))
    engine.script_outcome(JobOutcome(duration=4, fatal=True), job_name="fatal")
    fatal = engine.submit(CO, param("fatal"), USER)
    stopped = engine.submit(CO, param("stopped"), USER)
    clock.advance(1)
    engine.stop_job(CO, stopped)
    clock.advance(1.5)  # 2.5 s: the fatal run ended at 2 s, the stopped one at 1 s
    assert engine.get_active_jobs(CO) == []
    assert not log_is_final(only_log(engine, fatal))
    assert not log_is_final(only_log(engine, stopped))
    clock.advance(0.6)  # 3.1 s: the stopped run's ending (1 s + 2 s) is written
    assert only_log(engine, stopped).detail_array[-1].log_message == STOPPED_MESSAGE
    assert not log_is_final(only_log(engine, fatal))
    clock.advance(1.0)  # 4.1 s: and the fatal one's (2 s + 2 s)
    log = only_log(engine, fatal)
    assert log.fatal_error and log.log_type == "FatalError" and log_is_final(log)


def test_upload_urls_report_one_file_per_url_named_after_it(
    engine: JobEngine, clock: FakeClock
) -> None:
    engine.script_outcome(JobOutcome(duration=1, files=None, errors=1))
    urls = [
        "https://assets.example.com/spring/shoe%20red.jpg?v=2",
        "https://assets.example.com/spring/boot.tif",
        "https://assets.example.com/",
    ]
    job = SubmitJobParam(company_handle=CO, job_name="urls", upload_urls_job={"url_array": urls})
    handle = engine.submit(CO, job, USER)
    clock.advance(10)
    log = only_log(engine, handle)
    assert (log.file_success_count, log.file_error_count, log.total_file_count) == (3, 1, 4)
    names = [d.asset_name for d in log.detail_array if d.asset_name]
    assert names == ["shoe red.jpg", "boot.tif", "assets.example.com", "shoe red_2.jpg"]


def test_directory_and_handle_jobs_name_their_files(engine: JobEngine, clock: FakeClock) -> None:
    upload = engine.submit(CO, param("dir", "upload_directory_job"), USER)
    export = engine.submit(CO, param("export", "export_job"), USER)
    clock.advance(20)
    names = [d.asset_name for d in only_log(engine, upload).detail_array if d.asset_name]
    assert names == [f"/incoming/spring/spring-00{n}.jpg" for n in (1, 2, 3)]
    handles = [d.asset_handle for d in only_log(engine, export).detail_array if d.asset_handle]
    assert handles[:2] == ["a|1001|img-1", "a|1001|img-2"] and len(set(handles)) == 3


def test_default_file_count_follows_the_job_only_when_asked(clock: FakeClock) -> None:
    engine = JobEngine(clock, timing=TIMING, default_outcome=JobOutcome(duration=1, files=None))
    urls = engine.submit(CO, param("urls", "upload_urls_job"), USER)  # two URLs
    other = engine.submit(CO, param("publish"), USER)
    clock.advance(20)
    assert only_log(engine, urls).total_file_count == 2
    assert only_log(engine, other).total_file_count == 3  # DEFAULT_FILES
