"""The job watch and the one lookup: the rules every waiting path shares, without I/O."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from airflow_provider_ips.models import ActiveJob, JobLog, JobLogDetail, ScheduledJob
from airflow_provider_ips.outcome import EventStatus, decide
from airflow_provider_ips.soap.errors import (
    IpsApiError,
    IpsAuthenticationError,
    IpsTimeoutError,
    IpsTransportError,
)
from airflow_provider_ips.watch import (
    JobSighting,
    JobWatch,
    WatchPolicy,
    WatchState,
    log_is_final,
    lookup_steps,
    run_lookup,
)

H = "c1001|job|1"
T0 = 1_800_000_000.0


def final_log(**fields: Any) -> JobLog:
    base: dict[str, Any] = {
        "job_handle": H,
        "job_name": "job",
        "log_type": "EndUpload",
        "start_date": datetime(2026, 1, 1, tzinfo=timezone.utc),
        "end_date": datetime(2026, 1, 1, 0, 5, tzinfo=timezone.utc),
        "file_success_count": 3,
    }
    return JobLog(**{**base, **fields})


def partial_log(**fields: Any) -> JobLog:
    """A log as IPS shows it while the job runs: a Begin row, no end date."""
    fields.setdefault("detail_array", [JobLogDetail(log_type="BeginUpload", log_message="go")])
    return final_log(log_type="BeginUpload", end_date=None, **fields)


def running(progress: int = 10, state: str = "Running") -> ActiveJob:
    return ActiveJob(job_handle=H, name="job", state=state, progress=progress)


# -- when a log is a verdict -----------------------------------------------------------------


def test_a_log_is_final_by_end_date_or_an_ending_row_only() -> None:
    assert log_is_final(final_log())
    assert not log_is_final(partial_log())
    with_end_row = partial_log(
        detail_array=[JobLogDetail(log_type="BeginUpload"), JobLogDetail(log_type="EndUpload")]
    )
    assert log_is_final(with_end_row)
    fatal_row = partial_log(detail_array=[JobLogDetail(log_type="FatalError")])
    assert log_is_final(fatal_row)
    file_end_only = partial_log(detail_array=[JobLogDetail(log_type="FileEnd")])
    assert not log_is_final(file_end_only), "a file's end is not the job's"
    assert log_is_final(partial_log(fatal_error=True))


def test_a_finished_delete_job_is_not_taken_for_a_stopped_one() -> None:
    log = final_log(log_type="EndDelete", file_success_count=10, file_error_count=0)
    assert decide(log).success, "EndDelete is a delete job finishing, not a stop"
    cancelled = final_log(detail_array=[JobLogDetail(log_type="FileCancel", asset_name="a.jpg")])
    verdict = decide(cancelled, "fatal")
    assert not verdict.success and "stopped" in verdict.reason


# -- the watch -------------------------------------------------------------------------------


def test_progress_is_said_once_per_change_and_the_final_log_decides() -> None:
    watch = JobWatch.start(H, job_name="job", fail_on="errors")
    lines = []
    for seen in (running(10), running(10), running(50), JobSighting(active=running(100, "Done"))):
        step = watch.saw(seen if isinstance(seen, JobSighting) else JobSighting(active=seen), T0)
        assert step.event is None
        lines += [n.message for n in step.notices]
    assert lines == [
        "IPS job 'job' (c1001|job|1): Running, 10%",
        "IPS job 'job' (c1001|job|1): Running, 50%",
    ]
    step = watch.saw(JobSighting(log=final_log(file_error_count=1)), T0)
    assert step.event is not None and step.event.status is EventStatus.FAILED
    assert step.event.summary is not None and step.event.summary["file_error_count"] == 1
    assert watch.saw(JobSighting(log=final_log()), T0).event is None, "one final event only"


def test_a_partial_log_is_never_a_verdict() -> None:
    watch = JobWatch.start(H, policy=WatchPolicy(vanish_polls=3, vanish_seconds=60))
    step = watch.saw(JobSighting(log=partial_log(file_error_count=5)), T0)
    assert step.event is None, "still finishing: no verdict on a partial log"
    assert "has not ended" in step.notices[0].message
    step = watch.saw(JobSighting(log=final_log()), T0 + 1)
    assert step.event is not None and step.event.status is EventStatus.SUCCESS


def test_a_log_that_never_ends_fails_as_vanished_after_the_grace() -> None:
    watch = JobWatch.start(H, policy=WatchPolicy(vanish_polls=2, vanish_seconds=30))
    seen = JobSighting(log=partial_log())
    assert watch.saw(seen, T0).event is None
    assert watch.saw(seen, T0 + 10).event is None, "two polls, but not 30 s yet"
    event = watch.saw(seen, T0 + 31).event
    assert event is not None and event.error_kind == "vanished"
    assert "never ended" in event.message


def test_vanish_needs_polls_and_time_and_is_reset_by_any_sighting() -> None:
    watch = JobWatch.start(H, policy=WatchPolicy(vanish_polls=3, vanish_seconds=60))
    nowhere = JobSighting()
    assert watch.saw(nowhere, T0).event is None
    assert watch.saw(nowhere, T0 + 70).event is None
    assert watch.saw(JobSighting(active=running()), T0 + 71).event is None  # reset
    for t in (100, 110, 120):
        assert watch.saw(nowhere, T0 + t).event is None, "3 polls but only 20 s"
    event = watch.saw(nowhere, T0 + 161).event
    assert event is not None and event.status is EventStatus.FAILED
    assert event.error_kind == "vanished"


def test_scheduled_is_said_once_and_is_not_missing() -> None:
    watch = JobWatch.start(H, policy=WatchPolicy(vanish_polls=1, vanish_seconds=0))
    sched = ScheduledJob(job_handle=H, next_fire_time=datetime(2030, 1, 1, tzinfo=timezone.utc))
    said = [watch.saw(JobSighting(scheduled=sched), T0 + i).notices for i in range(3)]
    assert [len(n) for n in said] == [1, 0, 0] and "scheduled for 2030" in said[0][0].message
    assert not watch.done


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (IpsTransportError("reset"), "transport"),
        (IpsTimeoutError("slow"), "timeout"),
        (IpsAuthenticationError(10001, "bad password"), "authentication"),
        (IpsApiError(30000, "hiccup"), "api"),
    ],
)
def test_failed_polls_are_tolerated_then_an_error_of_the_last_kind(
    error: Exception, kind: str
) -> None:
    watch = JobWatch.start(H, policy=WatchPolicy(max_failed_polls=3))
    for _ in range(2):
        step = watch.poll_failed(error, T0, 5)
        assert step.event is None and "allowed" in step.notices[0].message
    watch.saw(JobSighting(active=running()), T0)  # an answer resets the count
    for _ in range(2):
        assert watch.poll_failed(error, T0, 5).event is None
    event = watch.poll_failed(error, T0, 5).event
    assert event is not None and event.status is EventStatus.ERROR and event.error_kind == kind
    assert "3 polls in a row" in event.message


def test_a_misconfigured_connection_is_an_error_at_once() -> None:
    event = JobWatch.start(H).poll_failed(ValueError("no company"), T0, 5).event
    assert event is not None and event.error_kind == "configuration"


def test_the_deadline_ends_the_wait_on_a_failed_poll_or_a_sighting() -> None:
    watch = JobWatch.start(H, deadline=T0 + 10)
    assert watch.saw(JobSighting(active=running()), T0 + 9).event is None
    assert watch.time_left(T0 + 9) == 1
    event = watch.poll_failed(IpsTimeoutError("hung"), T0 + 10, 5).event
    assert event is not None and event.error_kind == "deadline"
    watch = JobWatch.start(H, deadline=T0 + 10)
    event = watch.saw(JobSighting(active=running()), T0 + 11).event
    assert event is not None and event.error_kind == "deadline"
    finished = JobWatch.start(H, deadline=T0 + 10).saw(JobSighting(log=final_log()), T0 + 11)
    assert finished.event is not None and finished.event.status is EventStatus.SUCCESS


def test_state_round_trips_so_a_rescheduled_sensor_keeps_counting() -> None:
    policy = WatchPolicy(vanish_polls=2, vanish_seconds=0)
    watch = JobWatch.start(H, job_name="job", policy=policy)
    watch.saw(JobSighting(), T0)
    again = JobWatch(WatchState.from_dict(watch.state.to_dict()), policy)
    event = again.saw(JobSighting(), T0 + 1).event
    assert event is not None and event.error_kind == "vanished"


def test_policy_refuses_bad_values_naming_them() -> None:
    for bad in ({"vanish_polls": 0}, {"max_failed_polls": 1.5}, {"vanish_seconds": float("nan")}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            WatchPolicy.from_dict(bad)


# -- the lookup ------------------------------------------------------------------------------


class Answers:
    """A hook stand-in answering each method from a queue, recording the calls made."""

    def __init__(self, **queues: list[list[Any]]) -> None:
        self.queues = queues
        self.calls: list[str] = []

    def __getattr__(self, method: str) -> Any:
        def call(**kwargs: Any) -> list[Any]:
            self.calls.append(method)
            return self.queues[method].pop(0)

        return call


def test_a_running_job_costs_one_call() -> None:
    hook = Answers(get_active_jobs=[[running()]])
    seen = run_lookup(hook, lookup_steps(handle=H))
    assert seen.running and hook.calls == ["get_active_jobs"]


def test_a_finished_job_costs_two_calls() -> None:
    hook = Answers(get_active_jobs=[[]], get_job_log_details=[[final_log()]])
    seen = run_lookup(hook, lookup_steps(handle=H))
    assert seen.finished and hook.calls == ["get_active_jobs", "get_job_log_details"]


def test_a_job_that_fired_between_the_calls_is_found_on_the_second_look() -> None:
    hook = Answers(
        get_active_jobs=[[], [running()]],
        get_job_log_details=[[]],
        get_scheduled_jobs=[[]],
    )
    seen = run_lookup(hook, lookup_steps(handle=H))
    assert seen.running
    assert hook.calls == [
        "get_active_jobs", "get_job_log_details", "get_scheduled_jobs", "get_active_jobs",
    ]  # fmt: skip


def test_a_job_that_started_between_the_calls_is_not_taken_for_missing() -> None:
    """Scheduled when the company's list was read, started by the time the log was: its log
    has begun and it is no longer scheduled. The run is looked at again, not counted missing."""
    begun = partial_log()
    hook = Answers(
        get_job_log_details=[[begun]], get_scheduled_jobs=[[]], get_active_jobs=[[running()]]
    )
    seen = run_lookup(hook, lookup_steps(handle=H, active=[]))
    assert seen.running and seen.log is begun
    assert hook.calls == ["get_job_log_details", "get_scheduled_jobs", "get_active_jobs"]


def test_a_company_wide_list_counts_only_this_job() -> None:
    other = ActiveJob(job_handle="c1001|other|2", state="Running")
    hook = Answers(get_job_log_details=[[final_log()]])
    seen = run_lookup(hook, lookup_steps(handle=H, active=[other]))
    assert seen.finished and seen.active is None and hook.calls == ["get_job_log_details"]


def test_by_name_the_newest_log_counts() -> None:
    older = final_log(
        job_handle="c1001|job|1", start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)
    )
    newer = final_log(
        job_handle="c1001|job|7", start_date=datetime(2026, 2, 1, tzinfo=timezone.utc)
    )
    hook = Answers(get_active_jobs=[[]], get_job_log_details=[[older, newer]])
    assert run_lookup(hook, lookup_steps(name="job")).job_handle == "c1001|job|7"


def test_lookup_takes_exactly_one_key() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        next(lookup_steps(handle=H, name="job"))
