"""Waiting for one IPS job from a worker (operators, sensor): one poll, and the loop over it.

The trigger coalesces many jobs into one poll per interval on the triggerer; this is the
single-job counterpart on a worker. Both end in the same :class:`JobEvent` via
:func:`JobEvent.finished`, so a job means the same outcome wherever it was waited on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from airflow_provider_ips.outcome import EventStatus, FailOn, JobEvent

log = logging.getLogger(__name__)

#: Polls in a row that find a job neither active, scheduled nor logged before it counts as
#: vanished (deleted on the IPS side without a log).
VANISH_POLLS = 3


@dataclass
class PollState:
    """What one waiter remembers between polls (progress for logging, vanish counting)."""

    last_progress: tuple[Any, ...] | None = None
    missing_polls: int = 0
    progress_lines: list[str] = field(default_factory=list)


def poll_once(
    hook: Any,
    job_handle: str,
    fail_on: FailOn | str,
    state: PollState,
    *,
    say: Callable[[str], None] = log.info,
) -> JobEvent | None:
    """Look at the job once: ``None`` while it runs or waits, else its final event."""
    active = hook.get_active_jobs(job_handle=job_handle)
    if active:
        job = active[0]
        progress = (str(job.state), job.progress, job.progress_message)
        if progress != state.last_progress:
            line = f"IPS job {job.name or job_handle}: {job.state} {job.progress or 0}%"
            if job.progress_message:
                line += f" - {job.progress_message}"
            say(line)
            state.last_progress = progress
        state.missing_polls = 0
        return None
    logs = hook.get_job_log_details(job_handle=job_handle, all_pages=True)
    if logs:
        return JobEvent.finished(logs[0], fail_on, hook.company_handle)
    if hook.get_scheduled_jobs(job_handle=job_handle):
        state.missing_polls = 0
        return None  # execTime in the future: IPS holds it as a scheduled job
    state.missing_polls += 1
    if state.missing_polls >= VANISH_POLLS:
        return JobEvent(
            status=EventStatus.FAILED,
            job_handle=job_handle,
            message=(
                f"IPS job {job_handle} is neither active, scheduled nor logged: "
                "it was deleted on the IPS side"
            ),
            error_kind="vanished",
        )
    return None


def wait_for_job(
    hook: Any,
    job_handle: str,
    fail_on: FailOn | str,
    *,
    poll_interval: float,
    deadline: float | None,
    say: Callable[[str], None] = log.info,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> JobEvent:
    """Poll until the job is finished or ``deadline`` (epoch seconds) has passed."""
    state = PollState()
    while True:
        event = poll_once(hook, job_handle, fail_on, state, say=say)
        if event is not None:
            return event
        now = clock()
        if deadline is not None and now >= deadline:
            return deadline_event(job_handle)
        sleep(poll_interval if deadline is None else max(0.0, min(poll_interval, deadline - now)))


def deadline_event(job_handle: str) -> JobEvent:
    return JobEvent(
        status=EventStatus.FAILED,
        job_handle=job_handle,
        message=f"timed out waiting for IPS job {job_handle} to finish",
        error_kind="deadline",
    )
