"""One IPS poll per interval for every trigger of a company: the triggerer's coalescing poller.

A triggerer may wait on hundreds of IPS jobs at once. Rather than one ``getActiveJobs`` call
per job per interval, every :class:`JobWaiter` of the same ``(event loop, connection,
company)`` joins one :class:`JobPoller`. Its task makes **one** company-wide
``getActiveJobs`` call per interval (the shortest ``poll_interval`` of its waiters) and only
then looks closer at the jobs that are no longer running: one ``getJobLogDetails`` (all
pages) per finished job, and one ``getScheduledJobs`` call when some job has neither a run
nor a log (a job with a future ``execTime`` waits in the scheduled list, not the active one).
A job found nowhere is looked at once more in life-cycle order (its run, then its log), so
one that fired between the calls is not taken for gone; only a job still found nowhere for
``PollPolicy.vanish_polls`` polls and ``vanish_seconds`` has vanished.

The poller starts with its first waiter and stops, closing its hook, when the last one
leaves; a waiter leaving (finished, cancelled, cleaned up) never disturbs the others.

Logging: the triggerer routes a log line to a task's log by the ``trigger_id`` bound in the
trigger's own asyncio task, so the poller never logs on a waiter's behalf. It queues
:class:`Notice` objects instead, and the trigger logs them from its own task.

Every event is a pure function of what IPS reports (plus the fixed deadline and settings), so
an event delivered twice, or produced again after a triggerer restart, says the same thing.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from typing import Any, TypeVar

from airflow_provider_ips.hooks.ips import IpsAsyncHook
from airflow_provider_ips.models import ActiveJob, ActiveJobState, JobLog
from airflow_provider_ips.outcome import EventStatus, FailOn, JobEvent
from airflow_provider_ips.soap.errors import IpsError, IpsFault, IpsTimeoutError

log = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = [
    "JobPoller",
    "JobWaiter",
    "Notice",
    "PollPolicy",
    "active_pollers",
]


@dataclass(frozen=True)
class PollPolicy:
    """How patient a waiter is with IPS; each waiter carries its own."""

    #: A job that is not active, not scheduled and has no log is "vanished" only after this
    #: many consecutive polls found it so ...
    vanish_polls: int = 3
    #: ... and at least this many seconds passed since the first of them.
    vanish_seconds: float = 60.0
    #: Polls in a row that failed on transport trouble (after the hook's own retries)
    #: before the waiter gives up with an ERROR event.
    max_failed_polls: int = 5

    def __post_init__(self) -> None:
        if self.vanish_polls < 1 or self.max_failed_polls < 1:
            raise ValueError("vanish_polls and max_failed_polls: must be at least 1")
        if self.vanish_seconds < 0:
            raise ValueError("vanish_seconds: must not be negative")


@dataclass(frozen=True)
class Notice:
    """A line for the task log, queued by the poller and logged by the trigger's own task."""

    level: str  # "info" | "warning"
    message: str


@dataclass(eq=False)
class JobWaiter:
    """One trigger's interest in one job; the poller answers with notices and one event."""

    job_handle: str
    fail_on: FailOn = FailOn.ERRORS
    poll_interval: float = 30.0
    #: Absolute epoch seconds after which waiting fails; decided by the operator, not here.
    deadline: float | None = None
    job_name: str | None = None
    policy: PollPolicy = field(default_factory=PollPolicy)

    result: JobEvent | None = field(default=None, init=False)
    poller: JobPoller | None = field(default=None, init=False, repr=False)
    _queue: asyncio.Queue[Notice | JobEvent] = field(init=False, repr=False)
    _last_progress: tuple[Any, ...] | None = field(default=None, init=False, repr=False)
    _scheduled_seen: bool = field(default=False, init=False, repr=False)
    _missing_polls: int = field(default=0, init=False, repr=False)
    _missing_since: float | None = field(default=None, init=False, repr=False)
    _failed_polls: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        self.fail_on = FailOn.parse(self.fail_on)
        if not self.job_handle:
            raise ValueError("job_handle: must not be empty")
        if not self.poll_interval > 0:
            raise ValueError(f"poll_interval: must be > 0, got {self.poll_interval!r}")
        self._queue = asyncio.Queue()

    @property
    def label(self) -> str:
        return f"{self.job_name!r} ({self.job_handle})" if self.job_name else self.job_handle

    @property
    def done(self) -> bool:
        return self.result is not None

    async def get(self) -> Notice | JobEvent:
        """The next notice, or the final event (after which nothing more comes)."""
        return await self._queue.get()

    def leave(self) -> None:
        """Stop waiting (idempotent): the poller forgets this waiter; others carry on."""
        poller, self.poller = self.poller, None
        if poller is not None:
            poller.remove(self)

    # -- called by the poller ------------------------------------------------------------------
    def _notice(self, level: str, message: str) -> None:
        if not self.done:
            self._queue.put_nowait(Notice(level, message))

    def _resolve(self, event: JobEvent) -> None:
        if not self.done:
            self.result = event
            self._queue.put_nowait(event)

    def _deadline_passed(self, now: float) -> bool:
        return self.deadline is not None and now >= self.deadline


#: (event loop, connection id, company handle or None) -> the poller serving them.
_PollerKey = tuple[asyncio.AbstractEventLoop, str, str | None]
_registry: dict[_PollerKey, JobPoller] = {}
_registry_lock = threading.Lock()
#: Pollers shutting down: keep their tasks referenced until they finish.
_stopping: set[asyncio.Task[None]] = set()

#: At most this many per-job calls (``getJobLogDetails``, re-checks) of one poll at once.
FETCH_CONCURRENCY = 8


def active_pollers(loop: asyncio.AbstractEventLoop | None = None) -> list[JobPoller]:
    """The pollers serving ``loop`` (default: the running one); for tests and diagnostics."""
    loop = loop or asyncio.get_running_loop()
    with _registry_lock:
        return [p for (owner, _, _), p in _registry.items() if owner is loop]


class JobPoller:
    """The shared poll loop of one ``(event loop, connection, company)``."""

    def __init__(
        self,
        key: _PollerKey,
        ips_conn_id: str,
        company_handle: str | None,
        hook_factory: Callable[[], IpsAsyncHook],
    ) -> None:
        self.key = key
        self.ips_conn_id = ips_conn_id
        self.company_handle = company_handle
        self._hook_factory = hook_factory
        self._waiters: dict[int, JobWaiter] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        #: Polls completed (one ``getActiveJobs`` each, answered or failed).
        self.polls = 0

    def __repr__(self) -> str:
        return (
            f"JobPoller(ips_conn_id={self.ips_conn_id!r}, company_handle={self.company_handle!r}, "
            f"waiters={len(self._waiters)}, polls={self.polls})"
        )

    # -- membership ----------------------------------------------------------------------------
    @classmethod
    def join(
        cls,
        waiter: JobWaiter,
        *,
        ips_conn_id: str = "ips_default",
        company_handle: str | None = None,
        hook_kwargs: dict[str, Any] | None = None,
    ) -> JobPoller:
        """Add ``waiter`` to the poller of this loop, connection and company (made if needed).

        ``hook_kwargs`` (retry settings) apply only when this call creates the poller.
        """
        loop = asyncio.get_running_loop()
        key: _PollerKey = (loop, ips_conn_id, company_handle)
        kwargs = dict(hook_kwargs or {})

        def make_hook() -> IpsAsyncHook:
            hook = IpsAsyncHook(ips_conn_id, **kwargs)
            if company_handle:
                hook._company = company_handle  # given: no resolution from the connection
            return hook

        with _registry_lock:
            for stale in [k for k in _registry if k[0].is_closed()]:
                del _registry[stale]
            poller = _registry.get(key)
            if poller is None:
                poller = _registry[key] = cls(key, ips_conn_id, company_handle, make_hook)
        poller._add(waiter)
        return poller

    def _add(self, waiter: JobWaiter) -> None:
        self._waiters[id(waiter)] = waiter
        waiter.poller = self
        self._wake.set()  # the interval may have shrunk, or a deadline come closer
        if self._task is None:
            # An empty context: the task must not carry the first trigger's log binding
            # (trigger_id), or the triggerer would route the poller's own lines to its task log.
            self._task = contextvars.Context().run(
                asyncio.get_running_loop().create_task,
                self._run(),
                name=f"ips-poller:{self.ips_conn_id}:{self.company_handle or '-'}",
            )

    def remove(self, waiter: JobWaiter) -> None:
        """Forget ``waiter``; the last one out stops the poller (and closes its hook)."""
        if self._waiters.pop(id(waiter), None) is None or self._waiters:
            return
        self._detach()
        task = self._task
        if task is not None and not task.done():
            with contextlib.suppress(RuntimeError):
                if task is asyncio.current_task():
                    return  # the loop ends by itself: no waiters left
            _stopping.add(task)
            task.add_done_callback(_stopping.discard)
            task.cancel()

    def _detach(self) -> None:
        """Leave the registry at once, so a newcomer gets a fresh poller, not a stopping one."""
        with _registry_lock:
            if _registry.get(self.key) is self:
                del _registry[self.key]

    @property
    def interval(self) -> float:
        return min((w.poll_interval for w in self._waiters.values()), default=30.0)

    # -- the loop ------------------------------------------------------------------------------
    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        hook = self._hook_factory()
        try:
            while self._waiters:
                started = loop.time()
                try:
                    await self._poll(hook)
                except Exception as exc:  # a bug here must not leave triggers waiting forever
                    log.exception("%r: poll failed", self)
                    for waiter in list(self._waiters.values()):
                        self._failure(waiter, exc)
                        if waiter.done:
                            self._waiters.pop(id(waiter), None)
                while self._waiters:
                    delay = self._next_poll_at(started) - loop.time()
                    if delay <= 0:
                        break
                    self._wake.clear()
                    try:
                        await asyncio.wait_for(self._wake.wait(), delay)
                    except asyncio.TimeoutError:
                        break
        finally:
            self._detach()
            with contextlib.suppress(Exception):
                await hook.aclose()
            log.debug("%r stopped", self)

    def _next_poll_at(self, started: float) -> float:
        """Loop time of the next poll: one interval after the last, or at the next deadline."""
        loop = asyncio.get_running_loop()
        at = started + self.interval
        deadlines = [w.deadline for w in self._waiters.values() if w.deadline is not None]
        if deadlines:
            # a hair past the deadline: a timer may fire a little early
            at = min(at, loop.time() + (min(deadlines) - time.time()) + 0.01)
        return at

    async def _poll(self, hook: IpsAsyncHook) -> None:
        waiters = [w for w in self._waiters.values() if not w.done]
        if not waiters:
            return
        failed: dict[int, BaseException] = {}
        try:
            company = await hook.acompany_handle()
            active = {job.job_handle: job for job in await hook.get_active_jobs()}
        except Exception as exc:
            failed = {id(w): exc for w in waiters}
        else:
            await self._examine(hook, company, waiters, active, failed)
        finally:
            self.polls += 1
        now = time.time()
        for waiter in waiters:
            if waiter.done:
                continue
            error = failed.get(id(waiter))
            if error is not None:
                self._failure(waiter, error)
            else:
                waiter._failed_polls = 0
            if not waiter.done and waiter._deadline_passed(now):
                waiter._resolve(_deadline_event(waiter))
        for waiter in waiters:
            if waiter.done:
                self._waiters.pop(id(waiter), None)
        if not self._waiters:
            self._detach()

    async def _examine(
        self,
        hook: IpsAsyncHook,
        company: str,
        waiters: list[JobWaiter],
        active: dict[str | None, ActiveJob],
        failed: dict[int, BaseException],
    ) -> None:
        """Progress for running jobs; logs for finished ones; the scheduled list if needed."""
        by_handle: dict[str, list[JobWaiter]] = {}
        for waiter in waiters:
            by_handle.setdefault(waiter.job_handle, []).append(waiter)

        to_fetch: list[str] = []
        for handle, group in by_handle.items():
            job = active.get(handle)
            if job is None:
                to_fetch.append(handle)
                continue
            for waiter in group:
                _seen_active(waiter, job)
            if _state(job) == ActiveJobState.DONE.value:
                to_fetch.append(handle)  # its log exists from the moment it is Done

        logs = await _gather_limited(
            [partial(hook.get_job_log_details, job_handle=h, all_pages=True) for h in to_fetch]
        )
        unlogged: list[str] = []
        for handle, result in zip(to_fetch, logs, strict=True):
            if isinstance(result, BaseException):
                failed.update({id(w): result for w in by_handle[handle]})
                continue
            job_log = _pick_log(result, handle)
            if job_log is not None:
                for waiter in by_handle[handle]:
                    waiter._resolve(JobEvent.finished(job_log, waiter.fail_on, company))
            elif handle not in active:
                unlogged.append(handle)
            # Done but no log yet: still finishing on the IPS side; look again next poll

        if not unlogged:
            return
        try:
            scheduled = {job.job_handle: job for job in await hook.get_scheduled_jobs()}
        except Exception as exc:
            for handle in unlogged:
                failed.update({id(w): exc for w in by_handle[handle]})
            return
        suspects: list[str] = []
        for handle in unlogged:
            sched = scheduled.get(handle)
            if sched is None:
                suspects.append(handle)
                continue
            for waiter in by_handle[handle]:
                _seen_scheduled(waiter, sched.next_fire_time)
        if suspects:
            await _gather_limited(
                [partial(self._recheck, hook, company, by_handle[h], failed) for h in suspects]
            )

    async def _recheck(
        self,
        hook: IpsAsyncHook,
        company: str,
        group: list[JobWaiter],
        failed: dict[int, BaseException],
    ) -> None:
        """Look again at a job seen nowhere, in life-cycle order: scheduled, active, logged.

        The calls above ran active -> logged -> scheduled, so a job that fired in between
        slipped through. Since the scheduled list was read, the job moves only forward: not
        active now means finished now, so a log must exist. None means it is really gone.
        """
        handle = group[0].job_handle
        try:
            runs = await hook.get_active_jobs(job_handle=handle)
            job_log = None
            if not runs:
                job_log = _pick_log(
                    await hook.get_job_log_details(job_handle=handle, all_pages=True), handle
                )
        except Exception as exc:
            failed.update({id(w): exc for w in group})
            return
        mono = asyncio.get_running_loop().time()
        for waiter in group:
            if job_log is not None:
                waiter._resolve(JobEvent.finished(job_log, waiter.fail_on, company))
            elif runs:
                _seen_active(waiter, runs[0])
            else:
                _seen_missing(waiter, mono)

    def _failure(self, waiter: JobWaiter, exc: BaseException) -> None:
        kind, retry = _classify(exc)
        if retry:
            waiter._failed_polls += 1
            limit = waiter.policy.max_failed_polls
            if waiter._failed_polls < limit:
                waiter._notice(
                    "warning",
                    f"Polling IPS for job {waiter.label} failed "
                    f"({waiter._failed_polls} of {limit} failures in a row allowed); "
                    f"trying again in {self.interval:g}s: {exc}",
                )
                return
            message = (
                f"Could not reach IPS to check job {waiter.label} in {limit} polls in a row: {exc}"
            )
        elif isinstance(exc, IpsFault):
            message = f"IPS refused to report on job {waiter.label}: {exc}"
        elif kind == "configuration":
            message = f"Cannot poll IPS for job {waiter.label}: {exc}"
        else:
            log.error("unexpected error polling IPS", exc_info=exc)
            message = f"Unexpected error polling IPS for job {waiter.label}: {exc!r}"
        waiter._resolve(
            JobEvent(
                status=EventStatus.ERROR,
                job_handle=waiter.job_handle,
                job_name=waiter.job_name,
                message=message,
                error_kind=kind,
            )
        )


# -- helpers ---------------------------------------------------------------------------------


def _state(job: ActiveJob) -> str:
    state = job.state
    return str(getattr(state, "value", state) or "")


def _seen_active(waiter: JobWaiter, job: ActiveJob) -> None:
    waiter._missing_polls, waiter._missing_since = 0, None
    progress = (_state(job), job.progress, job.progress_message)
    if progress != waiter._last_progress:
        waiter._last_progress = progress
        state, percent, message = progress
        text = f"IPS job {waiter.label}: {state or 'unknown state'}"
        if percent is not None:
            text += f", {percent}%"
        if message:
            text += f" - {message}"
        waiter._notice("info", text)


def _seen_scheduled(waiter: JobWaiter, next_fire: datetime | None) -> None:
    waiter._missing_polls, waiter._missing_since = 0, None
    if not waiter._scheduled_seen:
        waiter._scheduled_seen = True
        when = f" for {next_fire.isoformat()}" if next_fire else ""
        waiter._notice("info", f"IPS job {waiter.label} is scheduled{when}; waiting for it to run")


def _seen_missing(waiter: JobWaiter, mono: float) -> None:
    waiter._missing_polls += 1
    if waiter._missing_since is None:
        waiter._missing_since = mono
    policy = waiter.policy
    if (
        waiter._missing_polls >= policy.vanish_polls
        and mono - waiter._missing_since >= policy.vanish_seconds
    ):
        waiter._resolve(
            JobEvent(
                status=EventStatus.FAILED,
                job_handle=waiter.job_handle,
                job_name=waiter.job_name,
                message=(
                    f"IPS job {waiter.label} vanished: it is not active, not scheduled and has "
                    "no job log (deleted without a log, or its log was purged)"
                ),
                error_kind="vanished",
            )
        )
    else:
        waiter._notice(
            "warning",
            f"IPS job {waiter.label} is not active, not scheduled and has no job log "
            f"(seen {waiter._missing_polls} time(s) in a row); checking again",
        )


def _deadline_event(waiter: JobWaiter) -> JobEvent:
    assert waiter.deadline is not None
    when = datetime.fromtimestamp(waiter.deadline, timezone.utc).isoformat()
    return JobEvent(
        status=EventStatus.FAILED,
        job_handle=waiter.job_handle,
        job_name=waiter.job_name,
        message=f"Timed out waiting for IPS job {waiter.label} to finish (deadline {when})",
        error_kind="deadline",
    )


def _pick_log(logs: list[JobLog], handle: str) -> JobLog | None:
    """The log of this run; for a scheduled job's handle, its latest run's."""
    for job_log in logs:
        if job_log.job_handle == handle:
            return job_log
    return logs[-1] if logs else None


def _classify(exc: BaseException) -> tuple[str, bool]:
    """``(error_kind, try again on the next poll)`` for a failed call."""
    if isinstance(exc, IpsFault):
        return exc.kind.value, False
    if isinstance(exc, (IpsTimeoutError, asyncio.TimeoutError)):
        return "timeout", True
    if isinstance(exc, IpsError):
        return ("transport", True) if exc.retryable else ("api", False)
    if isinstance(exc, OSError):
        return "transport", True
    if isinstance(exc, ValueError) or type(exc).__name__ == "AirflowNotFoundException":
        return "configuration", False
    return "internal", False


async def _gather_limited(calls: list[Callable[[], Awaitable[T]]]) -> list[T | BaseException]:
    """Run ``calls`` concurrently, at most :data:`FETCH_CONCURRENCY` at a time."""
    if not calls:
        return []
    limit = asyncio.Semaphore(FETCH_CONCURRENCY)

    async def one(call: Callable[[], Awaitable[T]]) -> T:
        async with limit:
            return await call()

    return await asyncio.gather(*(one(c) for c in calls), return_exceptions=True)
