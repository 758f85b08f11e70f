"""IpsJobTrigger and its shared poller against the simulator, driven with asyncio directly."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import time
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from airflow_provider_ips.hooks.ips import IpsHook, _company_cache
from airflow_provider_ips.models import SubmitJobParam
from airflow_provider_ips.outcome import EventStatus, JobEvent
from airflow_provider_ips.simulator import DEFAULT_COMPANY_HANDLE, IpsSimulator
from airflow_provider_ips.triggers import IpsJobTrigger
from airflow_provider_ips.triggers import poller as poller_module
from airflow_provider_ips.triggers.poller import active_pollers
from tests.helpers import FakeClock

FAST = {"retry_attempts": 2, "retry_base_delay": 0.01, "retry_max_delay": 0.02}
TICK = 0.05  # poll interval of most tests (seconds)


@pytest.fixture(autouse=True)
def _fast_and_fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    _company_cache.clear()


@pytest.fixture
def hook(ips_connection: Callable[..., dict[str, Any]]) -> IpsHook:
    return IpsHook(**FAST)


@pytest.fixture
def submit(hook: IpsHook) -> Callable[..., str]:
    def make(name: str, **fields: Any) -> str:
        fields.setdefault("optimize_images_job", {})
        return hook.submit_job(
            SubmitJobParam(company_handle=DEFAULT_COMPANY_HANDLE, job_name=name, **fields)
        )

    return make


class Recorder:
    """Stands in for the trigger's logger: keeps (level, line)."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []

    def _log(self, level: str, msg: str, *args: Any) -> None:
        self.lines.append((level, msg % args if args else msg))

    def info(self, msg: str, *args: Any) -> None:
        self._log("info", msg, *args)

    def warning(self, msg: str, *args: Any) -> None:
        self._log("warning", msg, *args)


def import_string(classpath: str) -> Any:
    """What the triggerer does with a serialized classpath."""
    module, _, name = classpath.rpartition(".")
    return getattr(importlib.import_module(module), name)


def trigger_for(handle: str, **kwargs: Any) -> IpsJobTrigger:
    kwargs.setdefault("poll_interval", TICK)
    kwargs["hook_params"] = {**FAST, **kwargs.get("hook_params", {})}
    return IpsJobTrigger(job_handle=handle, **kwargs)


async def events_of(trigger: IpsJobTrigger) -> list[JobEvent]:
    return [JobEvent.from_dict(e.payload) async for e in trigger.run()]


@contextlib.asynccontextmanager
async def ticking(clock: FakeClock, step: float = 0.5, every: float = 0.02) -> AsyncIterator[None]:
    """Move the simulator's clock along while the block runs, so jobs progress."""

    async def tick() -> None:
        while True:
            await asyncio.sleep(every)
            clock.advance(step)

    task = asyncio.create_task(tick())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def run(trigger: IpsJobTrigger, clock: FakeClock | None = None, timeout: float = 10) -> JobEvent:
    """Run a trigger to its one event (ticking the clock if given); asserts exactly one."""

    async def main() -> list[JobEvent]:
        if clock is None:
            return await asyncio.wait_for(events_of(trigger), timeout)
        async with ticking(clock):
            return await asyncio.wait_for(events_of(trigger), timeout)

    events = asyncio.run(main())
    assert len(events) == 1
    assert not poller_module._registry, "the poller stops with its last waiter"
    return events[0]


async def started(trigger: IpsJobTrigger) -> asyncio.Task[list[JobEvent]]:
    """Start a trigger in a task and let it poll at least once."""
    task = asyncio.create_task(events_of(trigger))
    # a bound for a broken trigger only: a loaded machine may take seconds to the first poll
    for _ in range(6000):
        await asyncio.sleep(0.01)
        if any(p.polls for p in active_pollers()) or task.done():
            break
    return task


async def cancel(task: asyncio.Task[Any]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


# -- serialisation ---------------------------------------------------------------------------


def test_serialize_round_trip() -> None:
    trigger = IpsJobTrigger(
        job_handle="c1001|j|1",
        ips_conn_id="ips_other",
        job_name="j",
        fail_on="warnings",
        poll_interval=5,
        deadline=1_900_000_000.5,
        stop_job_on_kill=False,
        company_handle="c1001",
        hook_params={"retry_attempts": 2, "max_failed_polls": 7},
    )
    classpath, kwargs = trigger.serialize()
    assert classpath == "airflow_provider_ips.triggers.jobs.IpsJobTrigger"
    assert json.loads(json.dumps(kwargs)) == kwargs
    again = import_string(classpath)(**kwargs)
    assert type(again) is IpsJobTrigger
    assert again.serialize() == (classpath, kwargs)
    assert kwargs == {
        "job_handle": "c1001|j|1",
        "ips_conn_id": "ips_other",
        "job_name": "j",
        "fail_on": "warnings",
        "poll_interval": 5.0,
        "deadline": 1_900_000_000.5,
        "stop_job_on_kill": False,
        "company_handle": "c1001",
        "hook_params": {"retry_attempts": 2, "max_failed_polls": 7},
    }
    assert again.policy.max_failed_polls == 7
    defaults = IpsJobTrigger(job_handle="h").serialize()[1]
    assert defaults["ips_conn_id"] == "ips_default" and defaults["fail_on"] == "errors"
    assert defaults["poll_interval"] == 30.0 and defaults["deadline"] is None
    assert defaults["stop_job_on_kill"] is True and defaults["company_handle"] is None


def test_invalid_arguments_fail_at_construction() -> None:
    with pytest.raises(ValueError, match="fail_on"):
        IpsJobTrigger(job_handle="h", fail_on="never")
    with pytest.raises(ValueError, match="poll_interval"):
        IpsJobTrigger(job_handle="h", poll_interval=0)
    with pytest.raises(ValueError, match="job_handle"):
        IpsJobTrigger(job_handle="")


# -- outcomes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "fail_on", "status", "counts", "problem"),
    [
        ({}, "errors", EventStatus.SUCCESS, (3, 0, 0), None),
        ({"files": 2, "warnings": 1}, "errors", EventStatus.SUCCESS, (2, 0, 1), "Warning"),
        ({"files": 2, "warnings": 1}, "warnings", EventStatus.FAILED, (2, 0, 1), "Warning"),
        ({"files": 2, "errors": 1}, "errors", EventStatus.FAILED, (2, 1, 0), "Failure"),
        ({"files": 2, "errors": 1}, "fatal", EventStatus.SUCCESS, (2, 1, 0), "Failure"),
        (
            {"files": 4, "fatal": True, "fatal_message": "disk on fire"},
            "fatal",
            EventStatus.FAILED,
            (2, 0, 0),
            "disk on fire",
        ),
    ],
    ids=["success", "warnings-pass", "warnings-fail", "errors-fail", "errors-pass", "fatal"],
)
def test_finished_job_outcomes(
    simulator: IpsSimulator,
    clock: FakeClock,
    submit: Callable[..., str],
    outcome: dict[str, Any],
    fail_on: str,
    status: EventStatus,
    counts: tuple[int, int, int],
    problem: str | None,
) -> None:
    simulator.script_outcome(job_name="outcome", **outcome)
    handle = submit("outcome")
    event = run(trigger_for(handle, job_name="outcome", fail_on=fail_on), clock)
    assert event.status is status, event.message
    assert event.job_handle == handle and event.job_name == "outcome"
    assert event.error_kind is None
    assert event.summary is not None
    summary = event.summary
    assert (
        summary["file_success_count"],
        summary["file_error_count"],
        summary["file_warning_count"],
    ) == counts
    assert summary["company_handle"] == DEFAULT_COMPANY_HANDLE
    assert summary["fatal_error"] is bool(outcome.get("fatal"))
    if problem is None:
        assert event.problems == []
    else:
        assert any(problem in row for row in event.problems), event.problems
    assert len(simulator.calls("getJobLogDetails")) == 1, "one log fetch (all pages fit one)"


def test_progress_changes_are_logged_once_each(
    clock: FakeClock, submit: Callable[..., str]
) -> None:
    handle = submit("progress")
    trigger = trigger_for(handle, job_name="progress")
    recorder = Recorder()
    trigger._log = recorder  # type: ignore[assignment]

    async def main() -> list[JobEvent]:
        task = await started(trigger)
        for _ in range(12):  # several polls per clock step: unchanged progress stays quiet
            clock.advance(0.5)
            await asyncio.sleep(TICK * 3)
        return await asyncio.wait_for(task, 10)

    [event] = asyncio.run(main())
    assert event.status is EventStatus.SUCCESS
    progress = [line for level, line in recorder.lines if line.startswith("IPS job 'progress'")]
    assert progress[0] == f"IPS job 'progress' ({handle}): New, 0% - Queued"
    states = [line.split(": ", 1)[1].split(",")[0] for line in progress]
    assert {"New", "WaitingCoordinator", "Running"} <= set(states)
    assert len(progress) == len(set(progress)), "a line only when something changed"
    assert recorder.lines[-1] == ("info", event.message)


# -- restarts, kills -------------------------------------------------------------------------


def test_restart_resumes_and_cleanup_never_stops_the_job(
    simulator: IpsSimulator, clock: FakeClock, submit: Callable[..., str]
) -> None:
    handle = submit("restart")
    first = trigger_for(handle, job_name="restart")

    async def shutdown() -> None:  # what a triggerer stop does: cancel the task, then cleanup
        task = await started(first)
        await cancel(task)
        await first.cleanup()
        assert active_pollers() == []

    asyncio.run(shutdown())
    clock.advance(60)  # the job finishes while no triggerer watches
    classpath, kwargs = first.serialize()
    again = import_string(classpath)(**kwargs)
    event = run(again)
    assert event.status is EventStatus.SUCCESS
    assert event.summary is not None and event.summary["job_handle"] == handle
    assert simulator.calls("stopJob") == []
    # delivered twice, the event says the same thing: a pure function of IPS state
    assert run(import_string(classpath)(**kwargs)) == event


def test_on_kill_stops_the_job_and_cleanup_does_not(
    simulator: IpsSimulator, clock: FakeClock, submit: Callable[..., str], hook: IpsHook
) -> None:
    handle = submit("killed")
    trigger = trigger_for(handle, job_name="killed")

    async def user_kill() -> None:  # the triggerer: cancel (user action), on_kill, cleanup
        task = await started(trigger)
        await cancel(task)
        assert simulator.calls("stopJob") == []
        await trigger.on_kill()
        await trigger.cleanup()

    clock.advance(1.5)  # running
    asyncio.run(user_kill())
    assert [c.job_handle for c in simulator.calls("stopJob")] == [handle]
    clock.advance(60)
    [job_log] = hook.get_job_log_details(job_handle=handle)
    assert job_log.fatal_error is True
    # the job is gone now: killing again is fine (fault 30001 is logged, not raised)
    recorder = Recorder()
    trigger._log = recorder  # type: ignore[assignment]
    asyncio.run(trigger.on_kill())
    expected = f"IPS job 'killed' ({handle}) is no longer running; nothing to stop"
    assert recorder.lines == [("info", expected)]


def test_on_kill_leaves_the_job_when_asked(
    simulator: IpsSimulator, submit: Callable[..., str]
) -> None:
    trigger = trigger_for(submit("keep"), stop_job_on_kill=False)
    asyncio.run(trigger.on_kill())
    assert simulator.calls("stopJob") == []


# -- coalescing ------------------------------------------------------------------------------


def test_one_poll_per_interval_for_a_hundred_triggers(
    simulator: IpsSimulator, clock: FakeClock, submit: Callable[..., str]
) -> None:
    interval = 0.2
    handles = [submit(f"bulk-{i:03d}") for i in range(100)]
    triggers = [trigger_for(h, poll_interval=interval) for h in handles]

    async def main() -> tuple[int, list[list[JobEvent]]]:
        tasks = [asyncio.create_task(events_of(t)) for t in triggers]
        await asyncio.sleep(interval * 1.5)  # every trigger joined; first polls done
        [poller] = active_pollers()
        assert len(poller._waiters) == 100
        simulator.clear_calls()
        polls_before = poller.polls
        await asyncio.sleep(interval * 6)
        polled = len(simulator.calls("getActiveJobs"))
        assert abs(polled - (poller.polls - polls_before)) <= 1, "one call per poll"
        assert simulator.calls("getJobLogDetails") == [], "nothing finished: no log fetched"
        clock.advance(60)
        done = await asyncio.wait_for(asyncio.gather(*tasks), 30)
        assert active_pollers() == []
        return polled, done

    polled, done = asyncio.run(main())
    assert 3 <= polled <= 8, polled  # about 6: one per interval, not 100
    events = [e for per_trigger in done for e in per_trigger]
    assert len(events) == 100 and all(e.status is EventStatus.SUCCESS for e in events)
    assert sorted(e.job_handle for e in events) == sorted(handles)
    assert len(simulator.calls("getJobLogDetails")) == 100
    assert all(c.job_handle is None for c in simulator.calls("getActiveJobs")), "company-wide"


def test_a_waiter_leaving_does_not_disturb_the_others(
    clock: FakeClock, submit: Callable[..., str]
) -> None:
    stays, leaves = submit("stays"), submit("leaves")

    async def main() -> list[JobEvent]:
        staying = await started(trigger_for(stays))
        leaving = asyncio.create_task(events_of(trigger_for(leaves, poll_interval=TICK / 2)))
        await asyncio.sleep(TICK * 2)
        [poller] = active_pollers()
        assert poller.interval == TICK / 2, "the shortest interval of the waiters"
        await cancel(leaving)
        assert active_pollers() == [poller] and poller.interval == TICK
        clock.advance(60)
        return await asyncio.wait_for(staying, 10)

    [event] = asyncio.run(main())
    assert event.status is EventStatus.SUCCESS and event.job_handle == stays


def test_pollers_are_per_event_loop_and_company(
    ips_connection: Callable[..., dict[str, Any]],
    simulator: IpsSimulator,
    clock: FakeClock,
    submit: Callable[..., str],
) -> None:
    handle = submit("keyed")
    ips_connection(extra={"company_handle": None, "company": "Demo Company"})

    async def main() -> list[JobEvent]:
        by_name = await started(trigger_for(handle))
        by_handle = await started(trigger_for(handle, company_handle=DEFAULT_COMPANY_HANDLE))
        keys = sorted((p.company_handle or "-") for p in active_pollers())
        assert keys == ["-", DEFAULT_COMPANY_HANDLE]
        clock.advance(60)
        return [e for t in await asyncio.gather(by_name, by_handle) for e in t]

    async def again() -> list[JobEvent]:
        triggers = [trigger_for(handle), trigger_for(handle, company_handle="c1001")]
        return [e for t in await asyncio.gather(*map(events_of, triggers)) for e in t]

    assert [e.status for e in asyncio.run(main())] == [EventStatus.SUCCESS] * 2
    assert len(simulator.calls("getCompanyInfo")) == 1, "the given handle skips resolution"
    assert [e.status for e in asyncio.run(again())] == [EventStatus.SUCCESS] * 2, "a new loop"
    assert not poller_module._registry


# -- deadlines, vanished and scheduled jobs --------------------------------------------------


def test_deadline_fails_the_wait(submit: Callable[..., str]) -> None:
    deadline = time.time() + 0.3
    # the next interval is a minute away: only a wake-up at the deadline ends it in time
    trigger = trigger_for(submit("slow"), job_name="slow", poll_interval=60, deadline=deadline)
    event = run(trigger, timeout=30)
    assert event.status is EventStatus.FAILED and event.error_kind == "deadline"
    assert "Timed out waiting for IPS job 'slow'" in event.message
    assert datetime.fromtimestamp(deadline, timezone.utc).isoformat() in event.message


def test_a_job_finished_before_a_passed_deadline_still_reports_its_outcome(
    clock: FakeClock, submit: Callable[..., str]
) -> None:
    handle = submit("late-look")
    clock.advance(60)
    event = run(trigger_for(handle, deadline=time.time() - 5))
    assert event.status is EventStatus.SUCCESS


def test_job_deleted_on_the_ips_side_fails(
    hook: IpsHook, clock: FakeClock, submit: Callable[..., str]
) -> None:
    handle = submit("deleted")

    async def main() -> list[JobEvent]:
        task = await started(trigger_for(handle))
        clock.advance(1.5)
        hook.delete_job(handle)
        return await asyncio.wait_for(task, 10)

    [event] = asyncio.run(main())
    assert event.status is EventStatus.FAILED and event.error_kind is None
    assert event.summary is not None and event.summary["fatal_error"] is True
    assert any("deleted" in row for row in event.problems), event.problems


def test_job_without_run_schedule_or_log_has_vanished(
    monkeypatch: pytest.MonkeyPatch,
    simulator: IpsSimulator,
    clock: FakeClock,
    submit: Callable[..., str],
) -> None:
    handle = submit("purged")
    clock.advance(60)
    monkeypatch.setattr(simulator.engine, "get_job_log_details", lambda *a, **k: [])  # purged
    patience = {"vanish_polls": 3, "vanish_seconds": 0}
    event = run(trigger_for(handle, job_name="purged", hook_params=patience))
    assert event.status is EventStatus.FAILED and event.error_kind == "vanished"
    assert "vanished" in event.message
    polls = [c for c in simulator.calls("getActiveJobs") if c.job_handle is None]
    rechecks = [c for c in simulator.calls("getActiveJobs") if c.job_handle == handle]
    assert len(polls) == len(rechecks) == len(simulator.calls("getScheduledJobs")) == 3


def test_a_job_waiting_for_its_exec_time_is_not_vanished(
    monkeypatch: pytest.MonkeyPatch,
    simulator: IpsSimulator,
    clock: FakeClock,
    submit: Callable[..., str],
) -> None:
    handle = submit("later", exec_time=datetime.fromtimestamp(clock() + 20, timezone.utc))
    patience = {"vanish_polls": 1, "vanish_seconds": 0}
    trigger = trigger_for(handle, job_name="later", hook_params=patience)
    recorder = Recorder()
    trigger._log = recorder  # type: ignore[assignment]

    async def main() -> list[JobEvent]:
        task = await started(trigger)
        # polls counted, not waited for: a loaded machine polls fewer times in a given time
        while len(simulator.calls("getScheduledJobs")) < 5 and not task.done():
            await asyncio.sleep(TICK)
        assert not task.done(), "scheduled, not vanished"
        async with ticking(clock):
            return await asyncio.wait_for(task, 60)

    [event] = asyncio.run(main())
    assert event.status is EventStatus.SUCCESS and event.job_handle == handle
    scheduled = [line for _, line in recorder.lines if "is scheduled for" in line]
    assert len(scheduled) == 1, "said once"


# -- errors ----------------------------------------------------------------------------------


def test_persistent_authentication_faults_are_an_error_after_the_allowed_polls(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    ips_connection(password="x")
    event = run(trigger_for("c1001|any|1", job_name="any", hook_params={"max_failed_polls": 2}))
    assert event.status is EventStatus.ERROR and event.error_kind == "authentication"
    assert "10001" in event.message and "2 polls in a row" in event.message
    assert len(simulator.calls()) == 2, "a fault is not retried within a poll"


def test_unknown_handle_is_an_api_error(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    event = run(trigger_for("c1001|never-issued|9", hook_params={"max_failed_polls": 1}))
    assert event.status is EventStatus.ERROR and event.error_kind == "api"
    assert "30001" in event.message


@pytest.mark.parametrize("fault", ["auth_fault", "api_fault"])
def test_one_fault_mid_wait_is_ridden_out(
    fault: str, simulator: IpsSimulator, clock: FakeClock, submit: Callable[..., str]
) -> None:
    handle = submit("blip")
    simulator.inject(fault, operation="getActiveJobs", count=1)
    event = run(trigger_for(handle), clock)
    assert event.status is EventStatus.SUCCESS, event.message


def test_missing_connection_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_IPS_DEFAULT", raising=False)
    event = run(trigger_for("h"))
    assert event.status is EventStatus.ERROR and event.error_kind == "configuration"
    assert "ips_default" in event.message


def test_a_few_failed_polls_are_ridden_out(
    simulator: IpsSimulator, clock: FakeClock, submit: Callable[..., str]
) -> None:
    handle = submit("flaky")
    # two polls fail outright (two tries each), then IPS answers again
    simulator.inject("http_error", status=503, operation="getActiveJobs", count=4)
    trigger = trigger_for(handle)
    recorder = Recorder()
    trigger._log = recorder  # type: ignore[assignment]
    event = run(trigger, clock)
    assert event.status is EventStatus.SUCCESS
    results = [c.result for c in simulator.calls("getActiveJobs")]
    assert results[:5] == ["http:503"] * 4 + ["ok"]
    warnings = [line for level, line in recorder.lines if level == "warning"]
    assert len(warnings) == 2 and "1 of 5" in warnings[0] and "2 of 5" in warnings[1]


def test_persistent_transport_failure_is_an_error_after_the_allowed_polls(
    monkeypatch: pytest.MonkeyPatch, simulator: IpsSimulator, submit: Callable[..., str]
) -> None:
    handle = submit("down")
    simulator.inject("http_error", status=502, operation="getActiveJobs", count=None)
    event = run(trigger_for(handle, hook_params={"max_failed_polls": 3}))
    simulator.faults.clear()
    assert event.status is EventStatus.ERROR and event.error_kind == "transport"
    assert "3 polls in a row" in event.message
    assert len(simulator.calls("getActiveJobs")) == 3 * FAST["retry_attempts"]


def test_persistent_timeouts_are_a_timeout_error(
    monkeypatch: pytest.MonkeyPatch,
    ips_connection: Callable[..., dict[str, Any]],
    simulator: IpsSimulator,
) -> None:
    ips_connection(extra={"timeout": 0.2})
    simulator.inject("latency", seconds=0.5, operation="getActiveJobs", count=None)
    patience = {"max_failed_polls": 2, "retry_attempts": 1}
    event = run(trigger_for("c1001|slow|1", hook_params=patience))
    simulator.faults.clear()
    assert event.status is EventStatus.ERROR and event.error_kind == "timeout"
    assert "2 polls in a row" in event.message
    time.sleep(0.6)  # let the server's late answers fail on closed sockets while captured


def test_the_deadline_fires_while_a_poll_hangs_on_a_silent_server(
    simulator: IpsSimulator, submit: Callable[..., str]
) -> None:
    """A server that stops answering cannot hold a waiter past its deadline."""
    handle = submit("hung")
    trigger = trigger_for(handle, job_name="hung", deadline=time.time() + 1.0)

    async def main() -> list[JobEvent]:
        task = await started(trigger)  # one answered poll: the wait is under way
        simulator.inject("latency", seconds=8, operation="getActiveJobs", count=None)
        return await asyncio.wait_for(task, 6)  # less than the server's 8 s

    [event] = asyncio.run(main())
    simulator.faults.clear()
    assert event.status is EventStatus.FAILED and event.error_kind == "deadline"
