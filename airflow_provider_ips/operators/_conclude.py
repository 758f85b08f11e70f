"""Turn a finished wait (JobEvent) into a task result or the right Airflow exception.

Shared by the operators and the sensor, so a job ends a task the same way everywhere.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.common.compat.sdk import AirflowException, AirflowFailException

from airflow_provider_ips.outcome import EventStatus, JobEvent

#: Error kinds a retry cannot fix: fail the task without retries.
FINAL_ERROR_KINDS = frozenset({"authentication", "authorization", "api", "configuration"})


class IpsJobError(AirflowException):
    """The IPS job finished but failed by the task's ``fail_on`` rule (retries may resubmit)."""


def conclude(
    event: JobEvent, log: Any, *, on_deadline: type[Exception] = IpsJobError
) -> dict[str, Any] | None:
    """Log the job's problem rows; return its summary, or raise for a failed job."""
    for line in event.problems:
        log.warning("%s", line)
    if event.status is EventStatus.SUCCESS:
        log.info("%s", event.message)
        return event.summary
    if event.status is EventStatus.ERROR and event.error_kind in FINAL_ERROR_KINDS:
        raise AirflowFailException(event.message)
    if event.error_kind == "deadline":
        raise on_deadline(event.message)
    raise IpsJobError(event.message)
