"""Checks for operator and sensor arguments: a bad value is refused naming its field.

Run when the DAG is parsed for literal values and again on the rendered values, so a typo
fails the DAG import or the task before anything is sent to IPS.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, NewType

#: A Jinja template given for a job field that is not a string, e.g.
#: ``url_array=Templated("{{ params.urls }}")``. A plain ``str`` at run time; to a type
#: checker it says the string is a template, so ``overwrite="yes"`` stays an error.
Templated = NewType("Templated", str)

_ZONE_SUFFIX = re.compile(r"(Z|[+-]\d\d(:?\d\d)?)$")


def check_bool(value: Any, field: str) -> bool:
    """Only True or False: a string like ``'false'`` is truthy and would mean the opposite."""
    if not isinstance(value, bool):
        raise ValueError(f"{field}: must be True or False, got {value!r}")
    return value


def parse_exec_time(value: Any) -> datetime | None:
    """``exec_time``: a timezone-aware datetime, or an ISO 8601 string with a zone."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        import pendulum

        text = value.strip()
        try:
            parsed = pendulum.parse(text, exact=True)
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"exec_time: {value!r} is not an ISO 8601 date and time "
                f"(like 2026-12-01T02:00:00+01:00): {exc}"
            ) from None
        if not isinstance(parsed, datetime):
            raise ValueError(f"exec_time: {value!r} is not a date and time")
        if "T" not in text and " " not in text:
            raise ValueError(f"exec_time: {value!r} has no time of day")
        if not _ZONE_SUFFIX.search(text):
            raise ValueError(f"exec_time: {value!r} has no time zone (naive times are ambiguous)")
        value = parsed
    if not isinstance(value, datetime):
        raise ValueError(f"exec_time: expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("exec_time: must be timezone-aware (naive datetimes are ambiguous)")
    return value


def check_hook_params(params: Any) -> dict[str, Any]:
    """``hook_params``: known keys only, each value checked by the piece that uses it."""
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise ValueError(f"hook_params: must be a dict, got {type(params).__name__}")
    if not params:
        return {}
    from airflow_provider_ips.hooks.ips import HOOK_PARAM_KEYS, IpsHook, hook_kwargs
    from airflow_provider_ips.watch import WatchPolicy

    known = (*HOOK_PARAM_KEYS, *WatchPolicy.KEYS)
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise ValueError(
            f"hook_params: unknown key(s) {', '.join(unknown)}; known: {', '.join(known)}"
        )
    try:
        WatchPolicy.from_dict(params)
        IpsHook(**hook_kwargs(params))
    except ValueError as exc:
        raise ValueError(f"hook_params: {exc}") from None
    return dict(params)
