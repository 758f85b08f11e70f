"""What a finished IPS job means for a task: one decision shared by worker, trigger and sensor.

No Airflow imports: the operators, the sensor and the trigger all call :func:`decide` on the
final :class:`JobLog`, and exchange :class:`JobEvent` (plain JSON) between triggerer and worker.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from airflow_provider_ips.models import JobLog


class FailOn(str, Enum):
    """How strict a task is about a finished job."""

    FATAL = "fatal"  # fail only on a fatal error (or a stopped/deleted job)
    ERRORS = "errors"  # ... or on any file error (default)
    WARNINGS = "warnings"  # ... or on any file warning

    @classmethod
    def parse(cls, value: FailOn | str) -> FailOn:
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise ValueError(f"fail_on: must be one of {allowed}, got {value!r}") from None


class EventStatus(str, Enum):
    SUCCESS = "success"  # the job finished and passed fail_on
    FAILED = "failed"  # the job finished (or vanished) and did not pass
    ERROR = "error"  # we could not find out: talking to IPS failed in a way retries did not fix


#: Detail row types that say files were cancelled: the job was stopped before it finished.
#: Named explicitly: a substring rule took ``EndDelete`` (a delete job finishing) for a stop.
CANCELLED_ROW_TYPES = frozenset({"FileCancel"})


@dataclass(frozen=True)
class Verdict:
    success: bool
    reason: str


def _count(value: int | None) -> int:
    return int(value or 0)


def was_stopped(log: JobLog) -> bool:
    """A job stopped on the IPS side (files cancelled): never a success, whatever its counts.

    A stop or delete that IPS logs as a fatal error is caught by ``fatal_error`` already.
    """
    return any(str(row.log_type or "") in CANCELLED_ROW_TYPES for row in log.detail_array)


def decide(log: JobLog, fail_on: FailOn | str = FailOn.ERRORS) -> Verdict:
    """Succeed or fail a finished job by ``fail_on``; the reason says why, in counts."""
    fail_on = FailOn.parse(fail_on)
    errors, warnings = _count(log.file_error_count), _count(log.file_warning_count)
    counts = f"{_count(log.file_success_count)} ok, {errors} error(s), {warnings} warning(s)"
    if log.fatal_error:
        rows = [str(r.log_message) for r in log.detail_array if "fatal" in str(r.log_type).lower()]
        what = f"ended with a fatal error: {rows[-1]}" if rows else "ended with a fatal error"
        return Verdict(False, f"IPS job {log.job_name or log.job_handle} {what} ({counts})")
    if was_stopped(log):
        return Verdict(False, f"IPS job {log.job_name or log.job_handle} was stopped ({counts})")
    if errors and fail_on in (FailOn.ERRORS, FailOn.WARNINGS):
        return Verdict(
            False, f"IPS job finished with file errors ({counts}); fail_on={fail_on.value}"
        )
    if warnings and fail_on is FailOn.WARNINGS:
        return Verdict(False, f"IPS job finished with warnings ({counts}); fail_on={fail_on.value}")
    return Verdict(True, f"IPS job finished ({counts})")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def summarize(log: JobLog, company_handle: str | None = None) -> dict[str, Any]:
    """The task's return value (XCom): plain JSON, no secrets, no detail rows."""
    return {
        "job_handle": log.job_handle,
        "job_name": log.job_name,
        "original_job_name": log.original_job_name,
        "company_handle": company_handle or log.company_handle,
        "log_type": str(log.log_type) if log.log_type is not None else None,
        "file_success_count": _count(log.file_success_count),
        "file_error_count": _count(log.file_error_count),
        "file_warning_count": _count(log.file_warning_count),
        "file_duplicate_count": _count(log.file_duplicate_count),
        "file_update_count": _count(log.file_update_count),
        "total_file_count": _count(log.total_file_count),
        "fatal_error": bool(log.fatal_error),
        "start_date": _iso(log.start_date),
        "end_date": _iso(log.end_date),
    }


#: :func:`row_severity` ranks: what a detail row of that type reports.
ERROR_ROW, WARNING_ROW = 0, 1


def row_severity(log_type: object) -> int | None:
    """:data:`ERROR_ROW` for a fatal/error/failure row type, :data:`WARNING_ROW` for a
    warning, None for any other row."""
    lowered = str(log_type or "").lower()
    if "fatal" in lowered or "error" in lowered or "fail" in lowered:
        return ERROR_ROW
    if "warning" in lowered:
        return WARNING_ROW
    return None


def problem_rows(log: JobLog, limit: int = 200) -> list[str]:
    """Error and warning detail rows as log lines, worst first, at most ``limit``."""
    ranked: list[tuple[int, str]] = []
    for row in log.detail_array:
        kind = str(row.log_type or "")
        rank = row_severity(kind)
        if rank is None:
            continue
        message = str(row.log_message or "")
        where = row.asset_name if row.asset_name and row.asset_name not in message else ""
        ranked.append((rank, " ".join(p for p in (f"[{kind}]", where, message) if p)))
    ranked.sort(key=lambda item: item[0])
    lines = [text for _, text in ranked[:limit]]
    if len(ranked) > limit:
        lines.append(f"... and {len(ranked) - limit} more rows (see the IPS job log)")
    return lines


@dataclass
class JobEvent:
    """The one event shape between the trigger (or a poll) and the task resuming on a worker."""

    status: EventStatus
    job_handle: str | None
    message: str
    job_name: str | None = None
    summary: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    #: For ERROR: the failure's kind (authentication, authorization, api, transport, timeout).
    error_kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobEvent:
        return cls(**{**data, "status": EventStatus(data["status"])})

    @classmethod
    def finished(
        cls,
        log: JobLog,
        fail_on: FailOn | str,
        company_handle: str | None = None,
        job_name: str | None = None,
    ) -> JobEvent:
        verdict = decide(log, fail_on)
        return cls(
            status=EventStatus.SUCCESS if verdict.success else EventStatus.FAILED,
            job_handle=log.job_handle,
            job_name=log.job_name or job_name,
            message=verdict.reason,
            summary=summarize(log, company_handle),
            problems=problem_rows(log),
        )
