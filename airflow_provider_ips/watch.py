"""One job watch: what the polls of one IPS job mean, whoever does the polling.

No Airflow and no I/O here. Two pieces, used by every path that waits for a job (the
operator on a worker, the sensor in poke and reschedule mode, the triggerer's shared poller):

* :func:`lookup_steps`, the one way to look at a job (by handle or by original name): the
  calls to make, in the job's life-cycle order, as a generator a sync or an async hook drives
  (``IpsHook.find_job`` / ``IpsAsyncHook.find_job``). It yields ``(hook method, kwargs)`` and
  returns a :class:`JobSighting`.
* :class:`JobWatch`, which turns a series of sightings (or failed polls) into log notices and,
  once, the final :class:`~airflow_provider_ips.outcome.JobEvent`. It owns the rules: when a
  job log is final, progress lines, when a job has vanished, how many failed polls are
  tolerated, and the deadline. Its state is a small JSON-able dict, so a sensor in reschedule
  mode keeps it across pokes and a trigger can be re-created from it.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from airflow_provider_ips.checks import seconds, whole_number
from airflow_provider_ips.models.enums import ActiveJobState, JobLogType
from airflow_provider_ips.outcome import EventStatus, FailOn, JobEvent

if TYPE_CHECKING:
    from airflow_provider_ips.models import ActiveJob, JobLog, ScheduledJob

#: Job-level log row types that end a job. The per-file ``FileEnd`` (documented as ``FleEnd``)
#: is not among them: it ends one file, not the job.
ENDING_LOG_TYPES = frozenset(
    member.value.lower()
    for member in JobLogType
    if member.value.lower().startswith("end") or member is JobLogType.FATAL_ERROR
)

#: What a poll asks the hook for: ``(method name, keyword arguments)``.
HookCall = tuple[str, dict[str, Any]]


def log_is_final(log: JobLog) -> bool:
    """A job log is a verdict only once the job ended: an end date, or an End/Fatal row.

    IPS writes a job's log while it runs (a ``Begin...`` row, counts growing, no end date),
    so a log read while the job is still finishing must not decide anything.
    """
    if log.end_date is not None or log.fatal_error:
        return True
    if str(log.log_type or "").lower() in ENDING_LOG_TYPES:
        return True
    return any(str(row.log_type or "").lower() in ENDING_LOG_TYPES for row in log.detail_array)


def _state(job: ActiveJob) -> str:
    state = job.state
    return str(getattr(state, "value", state) or "")


@dataclass(frozen=True)
class JobSighting:
    """What one look at a job found: its run, its schedule entry, its log (any may be None)."""

    active: ActiveJob | None = None
    scheduled: ScheduledJob | None = None
    log: JobLog | None = None

    @property
    def job_handle(self) -> str | None:
        for item in (self.active, self.scheduled, self.log):
            if item is not None and item.job_handle:
                return str(item.job_handle)
        return None

    @property
    def running(self) -> bool:
        """Queued or running (not yet ``Done``)."""
        return self.active is not None and _state(self.active) != ActiveJobState.DONE.value

    @property
    def finished(self) -> bool:
        return self.log is not None and log_is_final(self.log)

    @property
    def found(self) -> bool:
        return self.active is not None or self.scheduled is not None or self.log is not None


def _newest(items: list[Any], handle: str | None, date: str) -> Any:
    """The entry of ``handle`` if present, else the newest by ``date``.

    The server filtered the list by handle or name already; entries with another handle are
    the runs of a recurring job, whose newest run is the one that counts.
    """
    if not items:
        return None
    if handle is not None:
        for item in items:
            if item.job_handle == handle:
                return item
    aware_min = datetime.min.replace(tzinfo=timezone.utc)
    return max(items, key=lambda item: getattr(item, date, None) or aware_min)


def lookup_steps(
    *,
    handle: str | None = None,
    name: str | None = None,
    active: list[ActiveJob] | None = None,
) -> Generator[HookCall, Any, JobSighting]:
    """Look at one job in life-cycle order (scheduled -> active -> logged), minimal calls.

    A job only moves forward, but the calls are not atomic: one that fired or finished
    between two calls can slip through. So a job seen nowhere is looked at once more (run,
    then log) before the sighting says "nowhere". ``active`` is a ``getActiveJobs`` answer the
    caller already has (the triggerer's company-wide poll), saving the first call.
    """
    if (handle is None) == (name is None):
        raise ValueError("handle, name: give exactly one")
    key: dict[str, Any] = {"job_handle": handle} if handle else {"original_name": name}
    if active is None:
        active = yield ("get_active_jobs", dict(key))
    else:  # a company-wide list: only this job's entry counts
        active = [job for job in active if job.job_handle == handle]
    run = _newest(active, handle, "start_date")
    if run is not None and _state(run) != ActiveJobState.DONE.value:
        return JobSighting(active=run)
    log = _newest((yield ("get_job_log_details", {**key, "all_pages": True})), handle, "start_date")
    if run is not None or (log is not None and log_is_final(log)):
        return JobSighting(active=run, log=log)
    scheduled = _newest((yield ("get_scheduled_jobs", dict(key))), handle, "next_fire_time")
    if scheduled is not None:
        return JobSighting(scheduled=scheduled, log=log)
    # Not running, not scheduled, no final log: a job that started (or ended) between the
    # calls looks just like this, so look at its run again, then at its log.
    run = _newest((yield ("get_active_jobs", dict(key))), handle, "start_date")
    if run is not None:
        return JobSighting(active=run, log=log)
    log = _newest((yield ("get_job_log_details", {**key, "all_pages": True})), handle, "start_date")
    return JobSighting(log=log)


def run_lookup(hook: Any, steps: Generator[HookCall, Any, JobSighting]) -> JobSighting:
    """Drive :func:`lookup_steps` with a blocking hook."""
    try:
        method, kwargs = next(steps)
        while True:
            method, kwargs = steps.send(getattr(hook, method)(**kwargs))
    except StopIteration as done:
        result: JobSighting = done.value
        return result


async def arun_lookup(hook: Any, steps: Generator[HookCall, Any, JobSighting]) -> JobSighting:
    """Drive :func:`lookup_steps` with an asyncio hook."""
    try:
        method, kwargs = next(steps)
        while True:
            method, kwargs = steps.send(await getattr(hook, method)(**kwargs))
    except StopIteration as done:
        result: JobSighting = done.value
        return result


# -- the watch -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WatchPolicy:
    """How patient a watch is with IPS; serialised with the task, the same on every path."""

    #: A job found nowhere (or left with a log that never ends) has vanished only after this
    #: many polls in a row found it so ...
    vanish_polls: int = 3
    #: ... and at least this many seconds passed since the first of them.
    vanish_seconds: float = 60.0
    #: Polls in a row that failed (after the hook's own retries) before the wait gives up.
    max_failed_polls: int = 5

    def __post_init__(self) -> None:
        whole_number(self.vanish_polls, "vanish_polls")
        whole_number(self.max_failed_polls, "max_failed_polls")
        seconds(self.vanish_seconds, "vanish_seconds", zero_ok=True)

    KEYS = ("vanish_polls", "vanish_seconds", "max_failed_polls")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> WatchPolicy:
        return cls(**{k: v for k, v in (data or {}).items() if k in cls.KEYS})


@dataclass(frozen=True)
class Notice:
    """A line for the task log."""

    level: str  # "info" | "warning"
    message: str


@dataclass
class WatchState:
    """Everything a watch remembers; plain JSON through :meth:`to_dict`."""

    job_handle: str
    fail_on: str = FailOn.ERRORS.value
    job_name: str | None = None
    company_handle: str | None = None
    #: Epoch seconds after which waiting fails; fixed when the wait starts.
    deadline: float | None = None
    last_progress: list[Any] | None = None
    scheduled_seen: bool = False
    missing_polls: int = 0
    missing_since: float | None = None
    failed_polls: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WatchState:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class WatchStep:
    """What one poll meant: lines to log, and the final event once the wait is over."""

    notices: list[Notice] = field(default_factory=list)
    event: JobEvent | None = None


class JobWatch:
    """The rules of waiting for one job, fed one sighting (or failure) per poll."""

    def __init__(self, state: WatchState, policy: WatchPolicy | None = None) -> None:
        FailOn.parse(state.fail_on)
        if not state.job_handle:
            raise ValueError("job_handle: must not be empty")
        self.state = state
        self.policy = policy or WatchPolicy()
        self.event: JobEvent | None = None

    @classmethod
    def start(
        cls,
        job_handle: str,
        *,
        fail_on: FailOn | str = FailOn.ERRORS,
        job_name: str | None = None,
        company_handle: str | None = None,
        deadline: float | None = None,
        policy: WatchPolicy | None = None,
    ) -> JobWatch:
        state = WatchState(
            job_handle=job_handle,
            fail_on=FailOn.parse(fail_on).value,
            job_name=job_name,
            company_handle=company_handle,
            deadline=deadline,
        )
        return cls(state, policy)

    @property
    def label(self) -> str:
        s = self.state
        return f"{s.job_name!r} ({s.job_handle})" if s.job_name else s.job_handle

    @property
    def done(self) -> bool:
        return self.event is not None

    def time_left(self, now: float) -> float | None:
        """Seconds until the deadline (may be <= 0), or None without one."""
        return None if self.state.deadline is None else self.state.deadline - now

    # -- feeding the watch -------------------------------------------------------------------
    def saw(self, seen: JobSighting, now: float) -> WatchStep:
        """One poll answered: what it means."""
        step = WatchStep()
        if self.event is not None:
            return step
        s = self.state
        s.failed_polls = 0
        if seen.finished:
            assert seen.log is not None
            return self._end(
                step, JobEvent.finished(seen.log, s.fail_on, s.company_handle, s.job_name)
            )
        if seen.running:
            assert seen.active is not None
            self._progress(step, seen.active)
        elif seen.active is not None:
            self._forget_missing()  # Done, its log not final yet: IPS is wrapping up
        elif seen.scheduled is not None:
            self._forget_missing()
            if not s.scheduled_seen:
                s.scheduled_seen = True
                when = seen.scheduled.next_fire_time
                at = f" for {when.isoformat()}" if when else ""
                step.notices.append(
                    Notice("info", f"IPS job {self.label} is scheduled{at}; waiting for it to run")
                )
        else:
            self._missing(step, now, unfinished_log=seen.log is not None)
        if self.event is None:
            self._check_deadline(step, now)
        return step

    def poll_failed(self, error: BaseException, now: float, interval: float) -> WatchStep:
        """One poll could not be answered (after the hook's own retries)."""
        step = WatchStep()
        if self.event is not None:
            return step
        kind, tolerated = classify_failure(error)
        s = self.state
        if tolerated:
            s.failed_polls += 1
            limit = self.policy.max_failed_polls
            if s.failed_polls < limit:
                step.notices.append(
                    Notice(
                        "warning",
                        f"Polling IPS for job {self.label} failed ({s.failed_polls} of {limit} "
                        f"failures in a row allowed); trying again in {interval:g}s: {error}",
                    )
                )
                self._check_deadline(step, now)
                return step
            message = f"Could not poll IPS for job {self.label} in {limit} polls in a row: {error}"
        elif kind == "configuration":
            message = f"Cannot poll IPS for job {self.label}: {error}"
        else:
            message = f"Unexpected error polling IPS for job {self.label}: {error!r}"
        if self._deadline_passed(now):
            return self._end(step, self._deadline_event())
        return self._end(
            step,
            JobEvent(
                status=EventStatus.ERROR,
                job_handle=s.job_handle,
                job_name=s.job_name,
                message=message,
                error_kind=kind,
            ),
        )

    def expire(self, now: float) -> WatchStep:
        """The deadline check alone (a poll that could not even be started in time)."""
        step = WatchStep()
        if self.event is None:
            self._check_deadline(step, now)
        return step

    # -- rules -------------------------------------------------------------------------------
    def _end(self, step: WatchStep, event: JobEvent) -> WatchStep:
        self.event = step.event = event
        return step

    def _progress(self, step: WatchStep, job: ActiveJob) -> None:
        self._forget_missing()
        progress = [_state(job), job.progress, job.progress_message]
        if progress != self.state.last_progress:
            self.state.last_progress = progress
            state, percent, message = progress
            text = f"IPS job {self.label}: {state or 'unknown state'}"
            if percent is not None:
                text += f", {percent}%"
            if message:
                text += f" - {message}"
            step.notices.append(Notice("info", text))

    def _forget_missing(self) -> None:
        self.state.missing_polls, self.state.missing_since = 0, None

    def _missing(self, step: WatchStep, now: float, *, unfinished_log: bool) -> None:
        s, policy = self.state, self.policy
        s.missing_polls += 1
        if s.missing_since is None:
            s.missing_since = now
        where = (
            "has left the active list but its job log has not ended"
            if unfinished_log
            else "is not active, not scheduled and has no job log"
        )
        waited = now - s.missing_since
        if s.missing_polls >= policy.vanish_polls and waited >= policy.vanish_seconds:
            what = (
                "its job log never ended (no end date, no End or Fatal row)"
                if unfinished_log
                else "deleted without a log, or its log was purged"
            )
            self._end(
                step,
                JobEvent(
                    status=EventStatus.FAILED,
                    job_handle=s.job_handle,
                    job_name=s.job_name,
                    message=f"IPS job {self.label} vanished: it {where} ({what})",
                    error_kind="vanished",
                ),
            )
            return
        step.notices.append(
            Notice(
                "warning",
                f"IPS job {self.label} {where} (seen {s.missing_polls} time(s) in a row); "
                "checking again",
            )
        )

    def _deadline_passed(self, now: float) -> bool:
        return self.state.deadline is not None and now >= self.state.deadline

    def _check_deadline(self, step: WatchStep, now: float) -> None:
        if self._deadline_passed(now):
            self._end(step, self._deadline_event())

    def _deadline_event(self) -> JobEvent:
        s = self.state
        assert s.deadline is not None
        when = datetime.fromtimestamp(s.deadline, timezone.utc).isoformat()
        return JobEvent(
            status=EventStatus.FAILED,
            job_handle=s.job_handle,
            job_name=s.job_name,
            message=f"Timed out waiting for IPS job {self.label} to finish (deadline {when})",
            error_kind="deadline",
        )


def classify_failure(error: BaseException) -> tuple[str, bool]:
    """``(error kind, tolerated as a failed poll)`` for a poll that raised ``error``.

    Everything IPS or the network can throw at a poll is tolerated up to
    ``WatchPolicy.max_failed_polls`` in a row: a transient auth or API fault, an HTML page
    from a proxy, an empty or malformed body. A misconfigured connection or a bug is not.
    """
    from airflow_provider_ips.soap.errors import (
        IpsError,
        IpsFault,
        IpsProtocolError,
        IpsTimeoutError,
    )

    if isinstance(error, IpsFault):
        return error.kind.value, True
    if isinstance(error, (IpsTimeoutError, TimeoutError)):
        return "timeout", True
    if isinstance(error, IpsProtocolError):
        return "protocol", True
    if isinstance(error, IpsError):
        return "transport", True
    if isinstance(error, OSError):
        return "transport", True
    if isinstance(error, ValueError) or type(error).__name__ == "AirflowNotFoundException":
        return "configuration", False
    return "internal", False
