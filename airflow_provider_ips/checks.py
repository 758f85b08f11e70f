"""Checks for numeric settings, naming the field: one rule for hooks, watches and operators.

No Airflow imports. ``True`` is refused where a number is expected (Python takes it for 1),
and so are NaN and infinity.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any


def whole_number(value: Any, field: str, *, minimum: int = 1) -> int:
    """A whole number of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{field}: must be a whole number >= {minimum}, got {value!r}")
    return value


def seconds(value: Any, field: str, *, zero_ok: bool = False) -> float:
    """A finite number of seconds (or a timedelta), > 0, or >= 0 with ``zero_ok``."""
    if isinstance(value, timedelta):
        amount = value.total_seconds()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        amount = float(value)
    else:
        raise ValueError(f"{field}: must be a number of seconds or a timedelta, got {value!r}")
    if not math.isfinite(amount) or amount < 0 or (amount == 0 and not zero_ok):
        bound = ">= 0" if zero_ok else "> 0"
        raise ValueError(f"{field}: must be a finite number of seconds {bound}, got {value!r}")
    return amount
