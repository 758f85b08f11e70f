"""One IPS poll per interval for every trigger of a company: the triggerer's coalescing poller.

A triggerer may wait on hundreds of IPS jobs at once. Rather than one ``getActiveJobs`` call
per job per interval, every :class:`JobWaiter` of the same ``(event loop, connection,
company, hook settings)`` joins one :class:`JobPoller`. Its task makes **one** company-wide
``getActiveJobs`` call per interval (the shortest ``poll_interval`` of its waiters); a job
found running there needs nothing more. Only the others are looked at closer, with the same
lookup every path uses (``IpsAsyncHook.find_job``, given the company-wide list), at most
:data:`FETCH_CONCURRENCY` at a time.

What a poll means is decided by each waiter's :class:`~airflow_provider_ips.watch.JobWatch`:
the same rules as on a worker or in a sensor. A deadline ends a waiter on time even while a
poll is still waiting for a slow server.

The poller starts with its first waiter and stops, closing its hook, when the last one
leaves; a waiter leaving (finished, cancelled, cleaned up) never disturbs the others.

Logging: the triggerer routes a log line to a task's log by the ``trigger_id`` bound in the
trigger's own asyncio task, so the poller never logs on a waiter's behalf. It queues
:class:`~airflow_provider_ips.watch.Notice` objects instead, and the trigger logs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from airflow_provider_ips.hooks.ips import IpsAsyncHook, hook_kwargs
from airflow_provider_ips.models import ActiveJob
from airflow_provider_ips.outcome import JobEvent
from airflow_provider_ips.watch import JobSighting, JobWatch, Notice, WatchStep

log = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = ["JobPoller", "JobWaiter", "active_pollers"]


@dataclass(eq=False)
class JobWaiter:
    """One trigger's interest in one job; the poller answers with notices and one event."""

    watch: JobWatch
    poll_interval: float = 30.0

    result: JobEvent | None = field(default=None, init=False)
    #: Polls that reached this waiter (a passed deadline waits for the first one's answer).
    polls: int = field(default=0, init=False)
    poller: JobPoller | None = field(default=None, init=False, repr=False)
    _queue: asyncio.Queue[Notice | JobEvent] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.poll_interval > 0:
            raise ValueError(f"poll_interval: must be > 0, got {self.poll_interval!r}")
        self._queue = asyncio.Queue()

    @property
    def job_handle(self) -> str:
        return self.watch.state.job_handle

    @property
    def deadline(self) -> float | None:
        return self.watch.state.deadline

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

    def _take(self, step: WatchStep, *, polled: bool = True) -> None:
        """Queue what one poll (or a deadline alone) meant for this waiter."""
        if self.done:
            return
        self.polls += polled
        for notice in step.notices:
            self._queue.put_nowait(notice)
        if step.event is not None:
            self.result = step.event
            self._queue.put_nowait(step.event)


#: (event loop, connection id, company handle or None, hook settings) -> the poller.
_PollerKey = tuple[asyncio.AbstractEventLoop, str, str | None, str]
_registry: dict[_PollerKey, JobPoller] = {}
_registry_lock = threading.Lock()
#: Pollers shutting down: keep their tasks referenced until they finish.
_stopping: set[asyncio.Task[None]] = set()

#: At most this many per-job lookups of one poll at once.
FETCH_CONCURRENCY = 8
#: A poll hands its answer to this many waiters, then lets the event loop run other tasks.
YIELD_EVERY = 250


def active_pollers(loop: asyncio.AbstractEventLoop | None = None) -> list[JobPoller]:
    """The pollers serving ``loop`` (default: the running one); for tests and diagnostics."""
    loop = loop or asyncio.get_running_loop()
    with _registry_lock:
        return [p for key, p in _registry.items() if key[0] is loop]


class JobPoller:
    """The shared poll loop of one ``(event loop, connection, company, hook settings)``."""

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
        hook_params: dict[str, Any] | None = None,
    ) -> JobPoller:
        """Add ``waiter`` to the poller of this loop, connection, company and hook settings."""
        loop = asyncio.get_running_loop()
        kwargs = hook_kwargs(hook_params or {})
        key: _PollerKey = (loop, ips_conn_id, company_handle, json.dumps(kwargs, sort_keys=True))

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

    def _pending(self) -> list[JobWaiter]:
        return [w for w in self._waiters.values() if not w.done]

    def _drop_done(self) -> None:
        for key in [k for k, w in self._waiters.items() if w.done]:
            del self._waiters[key]
        if not self._waiters:
            self._detach()

    # -- the loop ------------------------------------------------------------------------------
    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        hook = self._hook_factory()
        try:
            while self._waiters:
                started = loop.time()
                poll = asyncio.ensure_future(self._poll(hook))
                try:
                    await self._until_done_expiring(poll)
                except Exception as error:  # a bug must not leave triggers waiting forever
                    log.exception("%r: poll failed", self)
                    for waiter in self._pending():
                        waiter._take(waiter.watch.poll_failed(error, time.time(), self.interval))
                finally:
                    self.polls += 1
                self._drop_done()
                while self._waiters:
                    delay = self._next_poll_at(started) - loop.time()
                    if delay <= 0:
                        break
                    self._wake.clear()
                    try:
                        await asyncio.wait_for(self._wake.wait(), delay)
                    except asyncio.TimeoutError:
                        break
                    self._expire()
                    self._drop_done()
        finally:
            self._detach()
            with contextlib.suppress(Exception):
                await hook.aclose()
            log.debug("%r stopped", self)

    async def _until_done_expiring(self, poll: asyncio.Future[None]) -> None:
        """Wait for ``poll``; meanwhile end every waiter whose deadline passes, on time."""
        while not poll.done():
            deadlines = [w.deadline for w in self._pending() if w.deadline is not None and w.polls]
            timeout = max(0.0, min(deadlines) - time.time()) + 0.01 if deadlines else None
            await asyncio.wait({poll}, timeout=timeout)
            self._expire()
            if not self._pending() and not poll.done():
                poll.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await poll
                return
        poll.result()

    def _expire(self) -> None:
        """End the waiters whose deadline passed; a newcomer's first poll is still heard,
        so a trigger re-created after its deadline reports a job that finished meanwhile."""
        now = time.time()
        for waiter in self._pending():
            if waiter.polls:
                waiter._take(waiter.watch.expire(now), polled=False)

    def _next_poll_at(self, started: float) -> float:
        """Loop time of the next poll: one interval after the last, or at the next deadline."""
        loop = asyncio.get_running_loop()
        at = started + self.interval
        deadlines = [w.deadline for w in self._pending() if w.deadline is not None]
        if deadlines:
            # a hair past the deadline: a timer may fire a little early
            at = min(at, loop.time() + (min(deadlines) - time.time()) + 0.01)
        return at

    async def _poll(self, hook: IpsAsyncHook) -> None:
        waiters = self._pending()
        if not waiters:
            return
        try:
            active = await hook.get_active_jobs()
        except Exception as exc:
            now = time.time()
            for waiter in waiters:
                waiter._take(waiter.watch.poll_failed(exc, now, self.interval))
            return
        running = {job.job_handle: job for job in active}
        closer: dict[str, list[JobWaiter]] = {}
        for count, waiter in enumerate(waiters, 1):
            if count % YIELD_EVERY == 0:
                await asyncio.sleep(0)  # thousands of waiters: let other tasks run between
            job = running.get(waiter.job_handle)
            seen = JobSighting(active=job)
            if job is not None and seen.running:
                waiter._take(waiter.watch.saw(seen, time.time()))
            else:
                closer.setdefault(waiter.job_handle, []).append(waiter)
        if closer:
            await _gather_limited(
                [
                    partial(self._look_closer, hook, handle, group, active)
                    for handle, group in closer.items()
                ]
            )

    async def _look_closer(
        self, hook: IpsAsyncHook, handle: str, group: list[JobWaiter], active: list[ActiveJob]
    ) -> None:
        try:
            seen = await hook.find_job(handle=handle, active=active)
        except Exception as exc:
            now = time.time()
            for waiter in group:
                waiter._take(waiter.watch.poll_failed(exc, now, self.interval))
            return
        now = time.time()
        for waiter in group:
            waiter._take(waiter.watch.saw(seen, now))


async def _gather_limited(calls: list[Callable[[], Awaitable[T]]]) -> list[T]:
    """Run ``calls`` concurrently, at most :data:`FETCH_CONCURRENCY` at a time."""
    if not calls:
        return []
    limit = asyncio.Semaphore(FETCH_CONCURRENCY)

    async def one(call: Callable[[], Awaitable[T]]) -> T:
        async with limit:
            return await call()

    return await asyncio.gather(*(one(c) for c in calls))
