"""Judging a cycle: the rules behind every count of the report (see docs/reliability.md).

Pure functions over what a cycle left behind: its plan, the task's state and XCom, the
simulator's call records and job list, and the text its processes logged.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chaos.plan import CycleSpec

#: Call results after which IPS holds a job (the answer may still have been lost).
CREATED = ("ok", "dropped_after", "answer_lost", "truncated")  # the call was carried out
#: Summary fields a successful task's XCom must carry.
SUMMARY_FIELDS = ("file_success_count", "file_error_count", "file_warning_count")

_TRACEBACK = "Traceback (most recent call last):"
_CHAINED = (
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)
_EXCEPTION_LINE = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?::\s?(?P<message>.*))?$")


@dataclass(frozen=True)
class RaisedException:
    """The exception a traceback ended in (the last of a chain)."""

    type: str
    message: str

    def __str__(self) -> str:
        return f"{self.type}: {self.message}" if self.message else self.type


def raised_exceptions(text: str) -> list[RaisedException]:
    """The final exception of every Python traceback (chain) printed in ``text``."""
    lines = text.splitlines()
    found: list[RaisedException] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != _TRACEBACK:
            i += 1
            continue
        indent = len(lines[i]) - len(lines[i].lstrip())
        j = i + 1
        while j < len(lines) and (
            not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent
        ):
            j += 1
        if j >= len(lines):
            break
        match = _EXCEPTION_LINE.match(lines[j].strip())
        k = j + 1
        while k < len(lines) and not lines[k].strip():
            k += 1
        chained = k < len(lines) and lines[k].strip() in _CHAINED
        if match and not chained:
            found.append(RaisedException(match["type"], (match["message"] or "").strip()))
        i = j + 1
    return found


def _resolve(name: str) -> type | None:
    module, _, attr = name.rpartition(".")
    try:
        obj = getattr(importlib.import_module(module or "builtins"), attr)
    except (ImportError, AttributeError, ValueError):
        return None
    return obj if isinstance(obj, type) else None


def is_ips_exception(name: str) -> bool:
    """Whether a raised type is one the provider means to raise (not a crash).

    IPS types: classes defined in ``airflow_provider_ips``; Airflow's own task outcomes
    (``AirflowException`` and its subclasses, e.g. ``AirflowFailException``). Everything
    else (``KeyError``, ``AttributeError``, pydantic's ``ValidationError``, a raw
    ``httpx`` or ``zeep`` error, ...) escaped the provider's handling.
    """
    if name.startswith("airflow_provider_ips."):
        return True
    cls = _resolve(name)
    if cls is None:
        return False
    if cls.__module__.startswith("airflow_provider_ips"):
        return True
    for base in ("airflow.sdk.exceptions", "airflow.exceptions"):
        airflow_exception = _resolve(f"{base}.AirflowException")
        if airflow_exception is not None and issubclass(cls, airflow_exception):
            return True
    return False


def unhandled_exceptions(text: str) -> list[str]:
    return [str(e) for e in raised_exceptions(text) if not is_ips_exception(e.type)]


def created_jobs(calls: Iterable[dict[str, Any]], prefix: str) -> dict[str, list[str]]:
    """Handles of the jobs IPS took for names starting with ``prefix``, by submitted name."""
    jobs: dict[str, list[str]] = {}
    for call in calls:
        name = call.get("job_name") or ""
        handle = call.get("job_handle")
        if call.get("operation") != "submitJob" or not name.startswith(prefix) or not handle:
            continue
        if call.get("result") in CREATED and handle not in jobs.get(name, []):
            jobs.setdefault(name, []).append(handle)
    return jobs


def merge_jobs(*views: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for view in views:
        for name, handles in view.items():
            for handle in handles:
                if handle not in merged.setdefault(name, []):
                    merged[name].append(handle)
    return merged


def has_summary(value: Any, handles: Iterable[str]) -> bool:
    """A task result that tells which IPS job ran and how its files went."""
    if not isinstance(value, dict):
        return False
    if value.get("job_handle") not in set(handles):
        return False
    return all(isinstance(value.get(key), int) for key in SUMMARY_FIELDS)


@dataclass
class Verdict:
    """What one cycle counts for in the report."""

    duplicates: int = 0
    lost: int = 0
    wrong_outcome: bool = False
    errored_as_expected: bool = False
    missing_summary: bool = False
    not_adopted: int = 0
    stopped: int = 0
    unhandled: list[str] = field(default_factory=list)
    incomplete: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def bad(self) -> bool:
        return bool(
            self.duplicates
            or self.lost
            or self.wrong_outcome
            or self.missing_summary
            or self.not_adopted
            or self.stopped
            or self.unhandled
            or self.incomplete
        )


def judge(
    spec: CycleSpec,
    *,
    observed: str | None,
    xcom: Any,
    jobs: dict[str, list[str]],
    log_text: str,
    jobs_after_kill: int = 0,
    stop_calls: int = 0,
    harness_error: str | None = None,
) -> Verdict:
    """Apply the report's rules to one cycle (definitions: docs/reliability.md)."""
    verdict = Verdict()
    verdict.unhandled = unhandled_exceptions(log_text)
    if harness_error is not None or observed is None:
        verdict.incomplete = True
        verdict.notes.append(f"cycle did not complete: {harness_error or 'no task state'}")
        return verdict
    all_handles = [h for handles in jobs.values() for h in handles]
    known = {h for h in all_handles if h in log_text}
    if isinstance(xcom, dict) and isinstance(xcom.get("job_handle"), str):
        known.add(xcom["job_handle"])
    for name, handles in sorted(jobs.items()):
        if len(handles) > 1:
            verdict.duplicates += len(handles) - 1
            verdict.notes.append(f"{len(handles)} IPS jobs named {name!r}: {handles}")
        if not known.intersection(handles):
            verdict.lost += 1
            verdict.notes.append(f"IPS ran {name!r} ({handles}) but no task try knew it")
    expected = spec.expected
    if observed == expected:
        pass
    elif observed == "failed" and expected == "success" and spec.may_error:
        verdict.errored_as_expected = True
    else:
        verdict.wrong_outcome = True
        verdict.notes.append(f"expected {expected}, task ended {observed}")
    if observed == "success" and not has_summary(xcom, all_handles):
        verdict.missing_summary = True
        verdict.notes.append(f"success without a job summary: {xcom!r}")
    if expected == "success" and jobs_after_kill:
        verdict.not_adopted = jobs_after_kill
        verdict.notes.append(f"the re-run submitted {jobs_after_kill} new job(s) after the kill")
    if stop_calls:
        verdict.stopped = stop_calls
        verdict.notes.append(f"stopJob called {stop_calls} time(s) on a restart")
    if verdict.unhandled:
        verdict.notes.append("unhandled: " + "; ".join(verdict.unhandled[:3]))
    return verdict
