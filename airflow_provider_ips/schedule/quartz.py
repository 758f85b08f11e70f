"""Quartz-style cron schedules as used by IPS ``submitJob``'s ``execSchedule``.

IPS evaluates ``execSchedule`` with Quartz rules in the IPS server's local time zone:
``seconds minutes hours day-of-month month day-of-week [year]``, e.g. ``00 00 02 * * ?``.
:class:`QuartzSchedule` parses such expressions, computes fire times in a given time zone and
renders a normalised Quartz form and (through ``cron_descriptor``) a short description. It
imports nothing from Airflow, so the models, the IPS simulator and the Airflow timetable all
use it, and so read a schedule the same way.

The one rule for a 5-field string (:func:`normalise_exec_schedule`, used by
:meth:`QuartzSchedule.parse`): it is either Adobe's example form, Quartz with the trailing
day-of-week left out (``00 00 00 * *`` = every day at midnight), or standard cron (Vixie
semantics, ``seconds = 0``). The valid reading is used; when both are valid (they then
always fire at different times) the string is refused, because a Quartz server would read
it the first way while a cron user meant the second. :meth:`QuartzSchedule.parse_cron`
evaluates cron on purpose; :meth:`QuartzSchedule.read` reads what a server reports
(Quartz first).

Library choice: fire times come from a compact field-set evaluator rather than a wrapper
around ``croniter``. croniter (7.x) refuses ``L-n``, ``LW`` and ``nL``, reads ``6#3`` as the
third Saturday (Quartz: Friday), moves a non-existent wall time to the end of the DST gap
(03:00, Quartz: 03:30) and fires a repeated wall time twice, so translating Quartz to it
would need as much code as evaluating the (small) grammar directly; the tests still
cross-check plain expressions against croniter. The description is ``cron_descriptor``'s
(Airflow's cron timetables use it too), given the normalised Quartz form with its
day-of-week numbering; the few day-of-month forms it misreads show as the expression.

Semantics (Quartz, with the choices documented here):

* Day-of-month and day-of-week: Quartz insists that exactly one of them is ``?``. We are a
  little more lenient: ``?`` and ``*`` both mean "unrestricted" in either field, but an
  expression that restricts *both* is rejected (Quartz cannot honour it).
  :meth:`QuartzSchedule.to_quartz` always puts ``?`` in the unrestricted one.
* Day-of-week is numbered 1-7 = SUN-SAT (Quartz); names ``SUN``..``SAT`` work too. In
  5-field cron it is 0-7 with 0 and 7 = Sunday, and when both day fields are restricted a
  day matches if *either* matches (Vixie cron; a field starting with ``*`` counts as
  unrestricted for that rule).
* Supported special characters: ranges ``a-b`` (wrapping ranges such as ``FRI-MON`` or
  ``22-2`` as in Quartz; not in 5-field cron or the year field), lists, steps ``*/n``,
  ``a/n`` and ``a-b/n``; in day-of-month ``L``, ``L-n`` (n <= 30), ``LW``, ``L-nW`` and
  ``nW`` (nearest weekday within the same month; list elements may be mixed); in
  day-of-week ``L`` alone (= 7, Saturday), ``nL`` (last such weekday of the month) and
  ``n#k`` (k-th such weekday, k = 1-5; ``L`` and ``#`` forms must stand alone); year
  1970-2199. 5-field cron takes no ``L``/``W``/``#`` and accepts ``@yearly``, ``@annually``,
  ``@monthly``, ``@weekly``, ``@daily``, ``@midnight`` and ``@hourly``.
* Fire times are wall-clock times in the schedule's time zone. Across DST (as Quartz's
  lenient ``java.util.Calendar`` does): a wall time inside a spring-forward gap fires
  shifted forward by the gap length (02:30 -> 03:30 in Europe/Berlin), and if that instant
  is also produced by a real wall time it fires only once; a wall time that occurs twice
  (fall-back) fires once, at its first occurrence, so the repeated hour is not fired again.
  ``next_after(dt)`` is the earliest such instant after ``dt``, so the sequence is the same
  whichever instant one starts from. (Compare results as instants: Python never finds an
  ambiguous wall time equal to a datetime in another zone.)
* Year range: nothing fires after 2199; a schedule whose years are all past returns None.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from datetime import timezone as dt_timezone
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cron_descriptor import (
    CasingTypeEnum,
    ExpressionDescriptor,
    FormatError,
    MissingFieldError,
    Options,
)

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "InvalidScheduleError",
    "QuartzSchedule",
    "normalise_exec_schedule",
]

MIN_YEAR = 1970
MAX_YEAR = 2199

_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = _EPOCH.replace(tzinfo=dt_timezone.utc)
_SECOND = timedelta(seconds=1)
_ONE_DAY = timedelta(days=1)
_DAY_SECONDS = 86_400
_MAX_LAST_DAY_OFFSET = 30

_MONTH_NAMES = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}
_QUARTZ_DOW_NAMES = {
    name: number
    for number, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), start=1)
}
_CRON_DOW_NAMES = {name: number - 1 for name, number in _QUARTZ_DOW_NAMES.items()}
_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


class InvalidScheduleError(ValueError):
    """An expression (or time zone) that :class:`QuartzSchedule` cannot honour.

    ``field`` names the offending field (``"day-of-week"``, ...) or is ``None`` when the
    problem is not specific to one field; ``reason`` is the message without context.
    """

    def __init__(self, reason: str, *, expression: str | None = None, field: str | None = None):
        self.reason = reason
        self.expression = expression
        self.field = field
        message = reason if field is None else f"{field} field: {reason}"
        if expression is not None:
            message = f"invalid schedule {expression!r}: {message}"
        super().__init__(message)


class _FieldError(Exception):
    """Internal: a field-level problem; wrapped into :class:`InvalidScheduleError`."""

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


# ---------------------------------------------------------------------------------------
# Field parsing
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    name: str
    lo: int
    hi: int
    names: dict[str, int] | None = None
    wrap: int = 0  # modulus for Quartz wrap-around ranges (0: ranges must not wrap)
    hint: str = ""


_SEC = _Field("seconds", 0, 59, wrap=60)
_MIN = _Field("minutes", 0, 59, wrap=60)
_HOUR = _Field("hours", 0, 23, wrap=24)
_DOM = _Field("day-of-month", 1, 31, wrap=31)
_MONTH = _Field("month", 1, 12, _MONTH_NAMES, wrap=12)
_QDOW = _Field(
    "day-of-week", 1, 7, _QUARTZ_DOW_NAMES, wrap=7, hint=" (Quartz numbering: 1=SUN ... 7=SAT)"
)
_YEAR = _Field("year", MIN_YEAR, MAX_YEAR)
_CRON_FIELDS = (
    _Field("minutes", 0, 59),
    _Field("hours", 0, 23),
    _Field("day-of-month", 1, 31),
    _Field("month", 1, 12, _MONTH_NAMES),
    _Field("day-of-week", 0, 7, _CRON_DOW_NAMES, hint=" (cron numbering: 0 or 7=SUN ... 6=SAT)"),
)

_ITEM_RE = re.compile(
    r"^(?:(?P<star>\*)|(?P<a>[0-9]+|[A-Z]+)(?:-(?P<b>[0-9]+|[A-Z]+))?)(?:/(?P<step>[^/]*))?$"
)
_DIGITS_RE = re.compile(r"[0-9]+")
_NAME_RE = re.compile(r"[A-Z]{3}")


def _strip_name(names: dict[str, int], match: re.Match[str]) -> str:
    return "" if match.group() in names else "?"


def _canonical_token(text: str) -> str:
    """Upper-case a field and drop leading zeros from its numbers (``00`` -> ``0``)."""
    return _DIGITS_RE.sub(lambda m: str(int(m.group())), text.upper())


def _value(token: str, item: str, field: _Field) -> int:
    if token.isdigit():
        value = int(token)
    elif field.names is not None and token in field.names:
        return field.names[token]
    elif field.names is not None and token.isalpha():
        names = ", ".join(field.names)
        raise _FieldError(field.name, f"{token!r} in {item!r} is not one of {names}")
    else:
        raise _FieldError(field.name, f"{item!r} is not a valid {field.name} value")
    if not field.lo <= value <= field.hi:
        raise _FieldError(
            field.name, f"{token!r} is out of range {field.lo}-{field.hi}{field.hint}"
        )
    return value


def _parse_item(item: str, field: _Field) -> set[int]:
    """Parse ``*``, ``a``, ``a-b`` with an optional ``/step`` into a set of values."""
    match = _ITEM_RE.match(item.upper())
    if match is None:
        raise _FieldError(field.name, f"{item!r} is not a valid {field.name} value")
    step_text = match.group("step")
    if step_text is None:
        step = 1
    else:
        max_step = field.hi - field.lo if field is _YEAR else field.hi
        if not step_text.isdigit() or not 1 <= int(step_text) <= max(max_step, 1):
            raise _FieldError(
                field.name,
                f"step in {item!r} must be an integer between 1 and {max(max_step, 1)}",
            )
        step = int(step_text)
    if match.group("star"):
        start, end = field.lo, field.hi
    else:
        start = _value(match.group("a"), item, field)
        if match.group("b") is not None:
            end = _value(match.group("b"), item, field)
        elif step_text is not None:
            end = field.hi  # Quartz/cron 'a/n': from a to the end of the field's range
        else:
            return {start}
    if start <= end:
        return set(range(start, end + 1, step))
    if field.wrap == 0:
        raise _FieldError(field.name, f"range {item!r} must not run backwards")
    # Quartz wrap-around range (e.g. FRI-MON, 22-2): overflow into the next cycle.
    values = set()
    for raw in range(start, end + field.wrap + 1, step):
        value = raw % field.wrap
        values.add(field.wrap if value == 0 and field.lo == 1 else value)
    return values


def _items(text: str, field: _Field) -> list[str]:
    items = text.split(",")
    if any(not item for item in items):
        raise _FieldError(field.name, f"{text!r} has an empty list element")
    return items


def _parse_simple(text: str, field: _Field) -> frozenset[int]:
    if "?" in text:
        raise _FieldError(
            field.name, "'?' is only allowed in the day-of-month and day-of-week fields"
        )
    values: set[int] = set()
    for item in _items(text, field):
        values |= _parse_item(item, field)
    return frozenset(values)


@dataclass(frozen=True)
class _DomSpec:
    """A restricted day-of-month field."""

    days: frozenset[int] = frozenset()  # plain days 1-31
    last: frozenset[int] = frozenset()  # offsets n of 'L-n' ('L' is n = 0)
    last_weekday: frozenset[int] = frozenset()  # offsets n of 'L-nW' ('LW' is n = 0)
    nearest_weekday: frozenset[int] = frozenset()  # days n of 'nW'


@dataclass(frozen=True)
class _DowSpec:
    """A restricted day-of-week field; weekdays use Python numbering (Monday = 0)."""

    weekdays: frozenset[int] = frozenset()
    last_of_month: int | None = None  # 'nL'
    nth: tuple[int, int] | None = None  # 'n#k': (weekday, k)


_LAST_RE = re.compile(r"^L(?:-(?P<offset>[0-9]+))?(?P<w>W)?$")
_NEAREST_RE = re.compile(r"^(?P<day>[0-9]+)W$")


def _quartz_to_weekday(quartz_dow: int) -> int:
    return (quartz_dow - 2) % 7


def _weekday_to_quartz(weekday: int) -> int:
    return (weekday + 1) % 7 + 1


def _parse_quartz_dom(text: str) -> _DomSpec:
    days: set[int] = set()
    last: set[int] = set()
    last_weekday: set[int] = set()
    nearest: set[int] = set()
    for item in _items(text, _DOM):
        upper = item.upper()
        if upper == "?":
            raise _FieldError(_DOM.name, "'?' must be the only value in the field")
        last_match = _LAST_RE.match(upper)
        if last_match is not None:
            offset = int(last_match.group("offset") or 0)
            if offset > _MAX_LAST_DAY_OFFSET:
                raise _FieldError(
                    _DOM.name,
                    f"offset from the last day in {item!r} must be at most {_MAX_LAST_DAY_OFFSET}",
                )
            (last_weekday if last_match.group("w") else last).add(offset)
            continue
        nearest_match = _NEAREST_RE.match(upper)
        if nearest_match is not None:
            nearest.add(_value(nearest_match.group("day"), item, _DOM))
            continue
        if "W" in upper:
            raise _FieldError(
                _DOM.name,
                f"'W' can only follow a single day (e.g. '15W') or 'L', not {item!r}",
            )
        if "L" in upper:
            raise _FieldError(
                _DOM.name, f"'L' must be used as 'L', 'L-n', 'LW' or 'L-nW', not {item!r}"
            )
        if "#" in upper:
            raise _FieldError(_DOM.name, f"'#' is only valid in the day-of-week field ({item!r})")
        days |= _parse_item(item, _DOM)
    return _DomSpec(frozenset(days), frozenset(last), frozenset(last_weekday), frozenset(nearest))


def _parse_quartz_dow(text: str) -> _DowSpec:
    items = _items(text, _QDOW)
    upper_items = [item.upper() for item in items]
    if len(items) > 1 and any("L" in u or "#" in u for u in upper_items):
        raise _FieldError(
            _QDOW.name, f"'L' and '#' forms cannot be combined with other values ({text!r})"
        )
    weekdays: set[int] = set()
    for item, upper in zip(items, upper_items, strict=True):
        if upper == "?":
            raise _FieldError(_QDOW.name, "'?' must be the only value in the field")
        if upper == "L":
            weekdays.add(_quartz_to_weekday(7))  # 'L' alone is Saturday in Quartz
            continue
        if "#" in upper:
            day_text, _, nth_text = upper.partition("#")
            if not day_text or day_text == "*":
                raise _FieldError(_QDOW.name, f"'#' must follow a single weekday, not {item!r}")
            day = _value(day_text, item, _QDOW)
            if not nth_text.isdigit() or not 1 <= int(nth_text) <= 5:
                raise _FieldError(
                    _QDOW.name,
                    f"the number after '#' in {item!r} is out of range 1-5",
                )
            return _DowSpec(nth=(_quartz_to_weekday(day), int(nth_text)))
        if upper.endswith("L") and len(upper) > 1:
            day_text = upper[:-1]
            if not (day_text.isdigit() or day_text.isalpha()):
                raise _FieldError(_QDOW.name, f"'L' must follow a single weekday, not {item!r}")
            day = _value(day_text, item, _QDOW)
            return _DowSpec(last_of_month=_quartz_to_weekday(day))
        weekdays |= {_quartz_to_weekday(v) for v in _parse_item(item, _QDOW)}
    return _DowSpec(weekdays=frozenset(weekdays))


def _parse_years(text: str) -> tuple[int, ...]:
    return tuple(sorted(_parse_simple(text, _YEAR)))


def _ranges_text(values: list[int]) -> str:
    """Render sorted integers compactly: [2, 3, 4, 6] -> '2-4,6'."""
    parts: list[str] = []
    index = 0
    while index < len(values):
        end = index
        while end + 1 < len(values) and values[end + 1] == values[end] + 1:
            end += 1
        if end > index:
            parts.append(f"{values[index]}-{values[end]}")
        else:
            parts.append(str(values[index]))
        index = end + 1
    return ",".join(parts)


# ---------------------------------------------------------------------------------------
# Time zones
# ---------------------------------------------------------------------------------------


def _resolve_timezone(value: str | tzinfo) -> tuple[tzinfo, str]:
    if isinstance(value, str):
        name = value.strip()
        if name.upper() in ("UTC", "Z"):
            return dt_timezone.utc, "UTC"
        try:
            return ZoneInfo(name), name
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise InvalidScheduleError(f"unknown time zone {value!r}", field="timezone") from None
    if not isinstance(value, tzinfo):
        raise InvalidScheduleError(
            f"expected a time zone name or tzinfo, got {type(value).__name__}", field="timezone"
        )
    if value is dt_timezone.utc:
        return value, "UTC"
    if isinstance(value, ZoneInfo):
        if value.key is None:
            return value, str(value)
        # Use the plain stdlib zone, also for subclasses such as pendulum's Timezone.
        return ZoneInfo(value.key), value.key
    zone = getattr(value, "zone", None)  # pytz: its tzinfo objects need localize()
    if isinstance(zone, str) and hasattr(value, "localize"):
        return _resolve_timezone(zone)
    label = getattr(value, "name", None)  # e.g. pendulum's FixedTimezone
    if isinstance(label, str):
        return value, label
    return value, value.tzname(None) or str(value)


# ---------------------------------------------------------------------------------------
# Readings of a 5-field string
# ---------------------------------------------------------------------------------------

#: How an expression was read (:attr:`QuartzSchedule.reading`).
_QUARTZ = "quartz"
_QUARTZ_NO_DOW = "quartz-without-day-of-week"
_CRON = "cron"
_READING_FIELDS = {
    _CRON: "minute hour day-of-month month day-of-week",
    _QUARTZ_NO_DOW: "seconds minutes hours day-of-month month",
}


def _prepare(expression: Any, timezone: str | tzinfo) -> tuple[str, tzinfo, str]:
    if not isinstance(expression, str):
        raise InvalidScheduleError(f"expected a string expression, got {type(expression).__name__}")
    tz, tz_name = _resolve_timezone(timezone)
    return " ".join(expression.split()), tz, tz_name


def _macro_fields(expression: str) -> list[str]:
    macro = _MACROS.get(expression.lower())
    if macro is None:
        raise InvalidScheduleError(
            f"unknown macro {expression!r}; supported: {', '.join(_MACROS)}",
            expression=expression,
        )
    return macro.split()


def normalise_exec_schedule(text: str) -> tuple[str, str | None]:
    """The 6/7-field Quartz form IPS should be sent for ``text``, and how it was read.

    IPS evaluates ``execSchedule`` with Quartz (seconds first). The rule:

    * 6 or 7 fields are Quartz; the result is the normalised form (leading zeros dropped,
      names upper-cased, ``?`` in the unrestricted day field, a ``*`` year dropped).
    * 5 fields have two readings: Adobe's example form, Quartz with the trailing
      day-of-week left out (``00 00 00 * *`` = daily at midnight), and standard cron
      (``minute hour day-of-month month day-of-week``). If only one is valid it is used. If
      both are valid the string is refused (:class:`InvalidScheduleError` showing both
      readings and the Quartz to write for each): the two readings never fire at the same
      times, and a Quartz server would take the first while a cron user meant the second.
      A cron that restricts both day fields has no Quartz form and is refused.
    * ``@daily``-style macros are cron macros.

    :returns: ``(quartz, note)``; ``note`` is ``None`` for 6/7-field Quartz and otherwise
        says which reading a 5-field string or macro got (worth logging).
    :raises InvalidScheduleError: when no reading is valid, or when two readings disagree.
    """
    schedule = QuartzSchedule.parse(text)
    return schedule.to_quartz(), schedule.reading_note


# ---------------------------------------------------------------------------------------
# The schedule
# ---------------------------------------------------------------------------------------


def _describable_quartz(quartz: str) -> str | None:
    """A normalised Quartz expression as ``cron_descriptor`` reads it right (7 fields), or
    None for day-of-month forms it misreads (``L-nW``, ``L`` or ``W`` in a list)."""
    fields = quartz.split(" ")
    if len(fields) == 6:
        fields.append("*")
    fields[3] = re.sub(r"^L-0+(?=W?$)", "L", fields[3])  # 'L-0' is 'L', 'L-0W' is 'LW'
    dom, dow, year = fields[3], fields[5], fields[6]
    if re.fullmatch(r"L-[0-9]+W", dom) or ("," in dom and ("L" in dom or "W" in dom)):
        return None
    if dow == "L":  # Quartz's 'L' alone is Saturday; the library has no word for it
        fields[5] = "7"
    if "/" in year and not any(c in year.split("/")[0] for c in "*-,"):
        fields[6] = year.replace("/", f"-{MAX_YEAR}/")  # not 'through 9999'
    return " ".join(fields)


class QuartzSchedule:
    """A parsed Quartz (6/7-field) or cron (5-field) schedule bound to a time zone.

    Create instances with :meth:`parse`. Instances are immutable, hashable and compare
    equal when they fire at the same wall times in the same time zone.
    """

    __slots__ = (
        "_day_cache",
        "_dom",
        "_dom_text",
        "_dow",
        "_dow_text",
        "_expression",
        "_hours",
        "_layout_cache",
        "_minutes",
        "_months",
        "_or_days",
        "_quartz",
        "_quartz_error",
        "_reading",
        "_seconds",
        "_tz",
        "_tz_name",
        "_year_text",
        "_years",
    )

    def __init__(self) -> None:  # use QuartzSchedule.parse()
        self._expression = ""
        self._tz: tzinfo = dt_timezone.utc
        self._tz_name = "UTC"
        self._reading = _QUARTZ
        self._seconds: tuple[int, ...] = (0,)
        self._minutes: tuple[int, ...] = (0,)
        self._hours: tuple[int, ...] = (0,)
        self._dom: _DomSpec | None = None
        self._dow: _DowSpec | None = None
        self._or_days = False
        self._months: frozenset[int] = frozenset(range(1, 13))
        self._years: tuple[int, ...] = tuple(range(MIN_YEAR, MAX_YEAR + 1))
        self._dom_text = "*"
        self._dow_text = "?"
        self._year_text = "*"
        self._quartz: str | None = None
        self._quartz_error = ""
        self._day_cache: dict[tuple[int, int], tuple[int, ...]] = {}
        self._layout_cache: dict[date, tuple[tuple[int, int, int], ...]] = {}

    # -- construction -------------------------------------------------------------------

    @classmethod
    def parse(cls, expression: str, timezone: str | tzinfo = "UTC") -> QuartzSchedule:
        """Parse an ``execSchedule`` the way IPS will read it (Quartz, seconds first).

        6 or 7 fields are Quartz. A 5-field string is read by the rule of
        :func:`normalise_exec_schedule`: Adobe's example form (Quartz with the trailing
        day-of-week left out) or standard cron, whichever is valid; when both are valid it
        is refused (they never fire at the same times). ``@daily``-style macros are cron
        macros.
        :attr:`reading` says which reading a 5-field string got.

        :param expression: e.g. ``"0 0 2 * * ?"`` or ``"00 00 00 * *"``.
        :param timezone: IANA name or tzinfo the schedule's wall times are in.
        :raises InvalidScheduleError: naming the offending field, or both readings.
        """
        normalised, tz, tz_name = _prepare(expression, timezone)
        fields = normalised.split(" ") if normalised else []
        if normalised.startswith("@"):
            return cls._build(normalised, tz, tz_name, _CRON, _macro_fields(normalised))
        if len(fields) in (6, 7):
            return cls._build(normalised, tz, tz_name, _QUARTZ, fields)
        if len(fields) == 5:
            return cls._choose_five_field_reading(normalised, fields, tz, tz_name)
        raise InvalidScheduleError(
            f"expected 6 or 7 fields (Quartz: seconds minutes hours day-of-month month "
            f"day-of-week [year]) or 5 fields, got {len(fields)}",
            expression=normalised,
        )

    @classmethod
    def parse_cron(cls, expression: str, timezone: str | tzinfo = "UTC") -> QuartzSchedule:
        """Parse a standard 5-field cron expression or ``@`` macro with Vixie semantics.

        Unlike :meth:`parse` this never reads 5 fields as Quartz, and it keeps cron's "day
        of month OR day of week" rule, which :meth:`to_quartz` cannot always express. Use it
        to evaluate cron on purpose; an ``execSchedule`` goes through :meth:`parse`.
        """
        normalised, tz, tz_name = _prepare(expression, timezone)
        if normalised.startswith("@"):
            fields = _macro_fields(normalised)
        else:
            fields = normalised.split(" ") if normalised else []
            if len(fields) != 5:
                raise InvalidScheduleError(
                    "expected 5 fields (cron: minute hour day-of-month month day-of-week), "
                    f"got {len(fields)}",
                    expression=normalised,
                )
        return cls._build(normalised, tz, tz_name, _CRON, fields)

    @classmethod
    def read(cls, expression: str, timezone: str | tzinfo = "UTC") -> QuartzSchedule:
        """Read an ``execSchedule`` a server reported (``getScheduledJobs``).

        Servers speak Quartz, so 5 fields are first read as Quartz with the day-of-week left
        out (Adobe's example ``00 00 00 * *``) and only when that is invalid as cron. Never
        refuses a string for being ambiguous.

        :raises InvalidScheduleError: when no reading is valid.
        """
        normalised, tz, tz_name = _prepare(expression, timezone)
        fields = normalised.split(" ") if normalised else []
        if len(fields) != 5:
            return cls.parse(normalised, timezone)
        for reading in (_QUARTZ_NO_DOW, _CRON):
            try:
                return cls._build(normalised, tz, tz_name, reading, fields)
            except InvalidScheduleError:
                pass
        return cls._choose_five_field_reading(normalised, fields, tz, tz_name)  # raises

    @classmethod
    def _build(
        cls, expression: str, tz: tzinfo, tz_name: str, reading: str, fields: list[str]
    ) -> QuartzSchedule:
        schedule = cls()
        schedule._expression = expression
        schedule._tz = tz
        schedule._tz_name = tz_name
        schedule._reading = reading
        try:
            if reading == _CRON:
                schedule._parse_cron(fields)
            elif reading == _QUARTZ_NO_DOW:
                schedule._parse_quartz([*fields, "?"])
            else:
                schedule._parse_quartz(fields)
        except _FieldError as error:
            raise InvalidScheduleError(
                error.reason, expression=expression, field=error.field
            ) from None
        return schedule

    @classmethod
    def _choose_five_field_reading(
        cls, expression: str, fields: list[str], tz: tzinfo, tz_name: str
    ) -> QuartzSchedule:
        """The 5-field rule: the valid reading, or a refusal that shows both."""
        cron: QuartzSchedule | InvalidScheduleError
        quartz: QuartzSchedule | InvalidScheduleError
        try:
            cron = cls._build(expression, tz, tz_name, _CRON, fields)
        except InvalidScheduleError as error:
            cron = error
        try:
            quartz = cls._build(expression, tz, tz_name, _QUARTZ_NO_DOW, fields)
        except InvalidScheduleError as error:
            quartz = error
        if isinstance(cron, InvalidScheduleError) and isinstance(quartz, InvalidScheduleError):
            where = f"{quartz.field} field: " if quartz.field else ""
            raise InvalidScheduleError(
                f"{cron.reason} (read as cron); read as Quartz without day-of-week: "
                f"{where}{quartz.reason}",
                expression=expression,
                field=cron.field,
            )
        if isinstance(quartz, InvalidScheduleError):
            assert isinstance(cron, QuartzSchedule)
            cron.to_quartz()  # a cron IPS cannot be given is refused here
            return cron
        if isinstance(cron, InvalidScheduleError):
            return quartz
        # Both valid: they never fire at the same times. Cron's seconds are 0, so agreeing
        # would need minutes and then hours 0 in both, i.e. a day-of-month 0 for cron.
        raise InvalidScheduleError(
            "ambiguous: 5 fields can be read two ways that fire at different times. "
            f"{cron._reading_summary()[0].upper()}{cron._reading_summary()[1:]}. "
            f"{quartz._reading_summary()[0].upper()}{quartz._reading_summary()[1:]}. IPS reads "
            "execSchedule as Quartz (seconds first), so give the 6-field form you mean",
            expression=expression,
        )

    def _reading_summary(self) -> str:
        """``read as cron (...) it fires ...; for that write '...'`` (ambiguity message)."""
        label = "cron" if self._reading == _CRON else "Quartz without day-of-week"
        text = f"read as {label} ({_READING_FIELDS[self._reading]}) it fires "
        plain = self._describe_plain()
        fires = plain[0].lower() + plain[1:] if plain else "as the expression says"
        if self._quartz is None:
            return f"{text}{fires}, which no single Quartz expression can express"
        return f"{text}{fires}; for that write {self._quartz!r}"

    def _parse_quartz(self, fields: list[str]) -> None:
        second, minute, hour, dom, month, dow = fields[:6]
        self._seconds = tuple(sorted(_parse_simple(second, _SEC)))
        self._minutes = tuple(sorted(_parse_simple(minute, _MIN)))
        self._hours = tuple(sorted(_parse_simple(hour, _HOUR)))
        self._months = _parse_simple(month, _MONTH)
        if len(fields) == 7:
            self._years = _parse_years(fields[6])
            self._year_text = _canonical_token(fields[6])
        dom_free = dom in ("?", "*")
        dow_free = dow in ("?", "*")
        if not dom_free and not dow_free:
            raise _FieldError(
                "day-of-month/day-of-week",
                f"both are restricted ({dom!r} and {dow!r}); one of them must be '?' "
                "(Quartz cannot combine a day-of-month with a day-of-week)",
            )
        self._dom = None if dom_free else _parse_quartz_dom(dom)
        self._dow = None if dow_free else _parse_quartz_dow(dow)
        self._dom_text = "*" if dom_free else _canonical_token(dom)
        self._dow_text = "?" if dow_free else _canonical_token(dow)
        if not dow_free:
            self._dom_text = "?"
        parts = [_canonical_token(f) for f in (second, minute, hour)]
        parts += [self._dom_text, _canonical_token(month), self._dow_text]
        if self._year_text != "*":
            parts.append(self._year_text)
        self._quartz = " ".join(parts)

    def _parse_cron(self, fields: list[str]) -> None:
        minute, hour, dom, month, dow = fields
        for text, field in zip(fields, _CRON_FIELDS, strict=True):
            residue = _NAME_RE.sub(partial(_strip_name, field.names or {}), text.upper())
            bad = next((c for c in "LW#" if c in residue), None)
            if bad is not None:
                raise _FieldError(
                    field.name,
                    f"{text!r}: 'L', 'W' and '#' are only supported in 6/7-field Quartz "
                    "expressions",
                )
        self._seconds = (0,)
        self._minutes = tuple(sorted(_parse_simple(minute, _CRON_FIELDS[0])))
        self._hours = tuple(sorted(_parse_simple(hour, _CRON_FIELDS[1])))
        self._months = _parse_simple(month, _CRON_FIELDS[3])
        dom_star = dom.startswith(("*", "?"))
        dow_star = dow.startswith(("*", "?"))
        dom_days = None if dom in ("*", "?") else _parse_simple(dom, _CRON_FIELDS[2])
        dow_values = None if dow in ("*", "?") else _parse_simple(dow, _CRON_FIELDS[4])
        self._dom = None if dom_days is None else _DomSpec(days=dom_days)
        self._dow = (
            None
            if dow_values is None
            else _DowSpec(weekdays=frozenset((v - 1) % 7 for v in dow_values))
        )
        self._or_days = not dom_star and not dow_star
        # Normalised Quartz form, where one exists.
        dom_all = dom_days is None or dom_days >= frozenset(range(1, 32))
        dow_all = self._dow is None or len(self._dow.weekdays) == 7
        if self._or_days and (dom_all or dow_all):
            dom_text, dow_text = "*", "?"  # "every day" OR anything is every day
        elif dow_all:
            dom_text, dow_text = ("*" if dom_days is None else _canonical_token(dom)), "?"
        elif dom_all and not self._or_days:
            assert self._dow is not None
            quartz_days = sorted(_weekday_to_quartz(w) for w in self._dow.weekdays)
            dom_text, dow_text = "?", _ranges_text(quartz_days)
        else:
            how = "either" if self._or_days else "both"
            self._quartz_error = (
                f"cron day fields {dom!r} and {dow!r} fire on days matching {how} of them, "
                "which a single Quartz expression cannot express"
            )
            self._quartz = None
            return
        self._dom_text, self._dow_text = dom_text, dow_text
        quartz_fields = [minute, hour, dom_text, month, dow_text]
        self._quartz = " ".join(["0", *(_canonical_token(f) for f in quartz_fields)])

    # -- basic protocol -----------------------------------------------------------------

    @property
    def expression(self) -> str:
        """The expression as given (whitespace collapsed)."""
        return self._expression

    @property
    def timezone(self) -> tzinfo:
        """The time zone the schedule's wall times are in."""
        return self._tz

    @property
    def timezone_name(self) -> str:
        """The time zone's name (IANA key where there is one, e.g. ``Europe/Berlin``)."""
        return self._tz_name

    @property
    def is_cron(self) -> bool:
        """True when read as a 5-field cron expression (or an ``@`` macro)."""
        return self._reading == _CRON

    @property
    def reading(self) -> str:
        """How the expression was read: ``"quartz"`` (6/7 fields), ``"cron"`` (5-field cron
        or macro) or ``"quartz-without-day-of-week"`` (Adobe's 5-field example form)."""
        return self._reading

    @property
    def reading_note(self) -> str | None:
        """How a 5-field expression or macro was read, for logs; None for 6/7-field Quartz."""
        if self._reading == _QUARTZ:
            return None
        quartz = self._quartz if self._quartz is not None else "(none)"
        if self._expression.startswith("@"):
            how = "a cron macro"
        elif self._reading == _CRON:
            how = f"5-field cron ({_READING_FIELDS[_CRON]}): the Quartz reading is invalid"
        else:
            how = (
                f"Quartz without its day-of-week field ({_READING_FIELDS[_QUARTZ_NO_DOW]}), "
                "as in Adobe's example: the cron reading is invalid"
            )
        return f"execSchedule {self._expression!r} read as {how}; Quartz: {quartz!r}"

    def to_quartz(self) -> str:
        """The normalised 6/7-field Quartz form.

        Numbers lose leading zeros, names are upper-cased, the unrestricted day field becomes
        ``?`` (day-of-month ``*`` when neither is restricted) and a ``*`` year is dropped.
        A 5-field cron becomes ``0 <min> <hour> <dom> <month> <dow>`` with day-of-week in
        Quartz numbering.

        :raises InvalidScheduleError: for a 5-field cron restricting both day fields, which
            Quartz cannot express.
        """
        if self._quartz is None:
            raise InvalidScheduleError(
                self._quartz_error, expression=self._expression, field="day-of-month/day-of-week"
            )
        return self._quartz

    def _key(self) -> tuple[Any, ...]:
        return (
            self._seconds,
            self._minutes,
            self._hours,
            self._dom,
            self._dow,
            self._or_days,
            self._months,
            self._years,
            self._tz_name,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QuartzSchedule):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return self._expression

    def __repr__(self) -> str:
        return f"QuartzSchedule({self._expression!r}, timezone={self._tz_name!r})"

    # -- evaluation ---------------------------------------------------------------------

    def next_after(self, dt: datetime) -> datetime | None:
        """The first fire time strictly after ``dt``, or None if there is none.

        :param dt: an aware datetime (any time zone).
        :returns: an aware datetime in the schedule's time zone.
        """
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError("next_after() needs a timezone-aware datetime")
        # a plain datetime: pendulum's subclass breaks the integer arithmetic below
        utc = dt.astimezone(dt_timezone.utc)
        naive_utc = datetime(*utc.timetuple()[:6], utc.microsecond)
        if naive_utc.year > MAX_YEAR:
            return None
        min_instant = (naive_utc - _EPOCH) // _SECOND + 1  # whole seconds, strictly after
        # Start one local day early: a wall time in a DST gap on the previous day can map
        # to an instant after dt.
        start_day = datetime.fromtimestamp(min_instant, self._tz).date()
        if start_day > date.min:
            start_day -= _ONE_DAY
        best: int | None = None
        for day in self._days_from(start_day):
            layout = self._layout(day)
            midnight = (datetime(day.year, day.month, day.day) - _EPOCH) // _SECOND
            if best is not None and midnight - max(off for _, _, off in layout) >= best:
                break
            for start, end, offset in layout:
                first = max(start, min_instant + offset - midnight)
                if first >= end:
                    continue
                found = self._next_time(first)
                if found is None or found >= end:
                    continue
                instant = midnight + found - offset
                if best is None or instant < best:
                    best = instant
        if best is None:
            return None
        return datetime.fromtimestamp(best, self._tz)

    def previous_at_or_before(self, dt: datetime) -> datetime | None:
        """The last fire time at or before ``dt``, or None if there is none.

        Fire times are whole seconds, so this bisects over seconds with :meth:`next_after`
        (a few dozen calls, whatever the schedule) and agrees with it exactly.

        :param dt: an aware datetime (any time zone).
        :returns: an aware datetime in the schedule's time zone.
        """
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError("previous_at_or_before() needs a timezone-aware datetime")
        # Whole seconds as a plain datetime (also for datetime subclasses such as pendulum's).
        naive_utc = datetime(*dt.astimezone(dt_timezone.utc).timetuple()[:6])
        end = (min(naive_utc, datetime(MAX_YEAR + 1, 1, 2)) - _EPOCH) // _SECOND
        floor = (datetime(MIN_YEAR - 1, 12, 30) - _EPOCH) // _SECOND

        def fires_by_end(instant: int) -> bool:  # is there a fire time in (instant, end]?
            found = self.next_after(_EPOCH_UTC + instant * _SECOND)
            return found is not None and found <= _EPOCH_UTC + end * _SECOND

        # Invariant: fires_by_end(low) and not fires_by_end(high) (next_after is strict).
        span, high = 60, end
        low = end - span
        while not fires_by_end(low):
            if low <= floor:
                return None
            high, span = low, span * 4
            low = max(end - span, floor)
        while high - low > 1:
            middle = (low + high) // 2
            if fires_by_end(middle):
                low = middle
            else:
                high = middle
        return self.next_after(_EPOCH_UTC + low * _SECOND)

    def iter_fire_times(self, start: datetime, end: datetime | None = None) -> Iterator[datetime]:
        """Yield fire times strictly after ``start`` (up to and including ``end``)."""
        current: datetime | None = start
        while current is not None:
            current = self.next_after(current)
            if current is None or (end is not None and current > end):
                return
            yield current

    def fire_times(self, start: datetime, count: int) -> list[datetime]:
        """The next ``count`` fire times strictly after ``start`` (fewer if it stops)."""
        result: list[datetime] = []
        for fire_time in self.iter_fire_times(start):
            if len(result) >= count:
                break
            result.append(fire_time)
        return result

    def _next_time(self, start: int) -> int | None:
        """The first matching second-of-day >= ``start``."""
        hour, rest = divmod(start, 3600)
        minute, second = divmod(rest, 60)
        hours, minutes, seconds = self._hours, self._minutes, self._seconds
        for h in hours[bisect.bisect_left(hours, hour) :]:
            if h > hour:
                return h * 3600 + minutes[0] * 60 + seconds[0]
            for m in minutes[bisect.bisect_left(minutes, minute) :]:
                if m > minute:
                    return h * 3600 + m * 60 + seconds[0]
                index = bisect.bisect_left(seconds, second)
                if index < len(seconds):
                    return h * 3600 + m * 60 + seconds[index]
        return None

    def _days_from(self, start: date) -> Iterator[date]:
        """Matching days on or after ``start``, in order."""
        years = self._years
        months = sorted(self._months)
        for year in years[bisect.bisect_left(years, start.year) :]:
            for month in months:
                if (year, month) < (start.year, start.month):
                    continue
                for day in self._days_in(year, month):
                    if (year, month) == (start.year, start.month) and day < start.day:
                        continue
                    yield date(year, month, day)

    def _days_in(self, year: int, month: int) -> tuple[int, ...]:
        cached = self._day_cache.get((year, month))
        if cached is not None:
            return cached
        first_weekday, length = calendar.monthrange(year, month)
        dom_days = None if self._dom is None else self._dom_days(first_weekday, length)
        dow_days = None if self._dow is None else self._dow_days(first_weekday, length)
        if dom_days is not None and dow_days is not None:
            days = dom_days | dow_days if self._or_days else dom_days & dow_days
        elif dom_days is not None:
            days = dom_days
        elif dow_days is not None:
            days = dow_days
        else:
            days = set(range(1, length + 1))
        result = tuple(sorted(days))
        self._day_cache[(year, month)] = result
        return result

    def _dom_days(self, first_weekday: int, length: int) -> set[int]:
        spec = self._dom
        assert spec is not None

        def nearest_weekday(day: int) -> int:
            weekday = (first_weekday + day - 1) % 7
            if weekday == 5:  # Saturday -> Friday, or Monday when the 1st is a Saturday
                return day + 2 if day == 1 else day - 1
            if weekday == 6:  # Sunday -> Monday, or Friday when the last day is a Sunday
                return day - 2 if day == length else day + 1
            return day

        days = {day for day in spec.days if day <= length}
        days |= {length - offset for offset in spec.last if length - offset >= 1}
        days |= {
            nearest_weekday(length - offset) for offset in spec.last_weekday if length - offset >= 1
        }
        days |= {nearest_weekday(day) for day in spec.nearest_weekday if day <= length}
        return days

    def _dow_days(self, first_weekday: int, length: int) -> set[int]:
        spec = self._dow
        assert spec is not None
        if spec.nth is not None:
            weekday, nth = spec.nth
            day = 1 + (weekday - first_weekday) % 7 + 7 * (nth - 1)
            return {day} if day <= length else set()
        if spec.last_of_month is not None:
            last_weekday = (first_weekday + length - 1) % 7
            return {length - (last_weekday - spec.last_of_month) % 7}
        return {
            day for day in range(1, length + 1) if (first_weekday + day - 1) % 7 in spec.weekdays
        }

    def _offset(self, wall: datetime) -> int:
        """UTC offset (seconds) for a naive wall time, first occurrence / pre-gap offset."""
        offset = wall.replace(tzinfo=self._tz).utcoffset()
        if offset is None:
            raise ValueError(f"time zone {self._tz_name!r} returned no UTC offset")
        return offset // _SECOND

    def _instant_offset(self, instant: int) -> int:
        offset = datetime.fromtimestamp(instant, self._tz).utcoffset()
        assert offset is not None
        return offset // _SECOND

    def _layout(self, day: date) -> tuple[tuple[int, int, int], ...]:
        """Split a local day into (start, end, UTC offset) second ranges of wall time.

        On an ordinary day that is one range. On a DST-change day wall times before
        ``transition + max(old, new offset)`` use the old offset (gap times: shifted
        forward; repeated times: first occurrence) and later ones the new offset.
        """
        midnight = datetime(day.year, day.month, day.day)
        old = self._offset(midnight)
        new = self._offset(midnight + _ONE_DAY)
        if old == new:
            return ((0, _DAY_SECONDS, old),)
        cached = self._layout_cache.get(day)
        if cached is not None:
            return cached
        wall_midnight = (midnight - _EPOCH) // _SECOND
        # The change instant T satisfies T + max(old, new) in (midnight, next midnight]:
        # the wall times of this day that read the old offset end there.
        low = wall_midnight - max(old, new)
        high = low + _DAY_SECONDS
        if self._instant_offset(low) != old or self._instant_offset(high) == old:
            transition = None  # more than one change around this day; not supported
        else:
            while high - low > 1:  # invariant: offset(low) == old != offset(high)
                middle = (low + high) // 2
                if self._instant_offset(middle) == old:
                    low = middle
                else:
                    high = middle
            transition = high
        if transition is None:
            layout: tuple[tuple[int, int, int], ...] = ((0, _DAY_SECONDS, old),)
        else:
            after = self._instant_offset(transition)
            boundary = min(max(transition + max(old, after) - wall_midnight, 0), _DAY_SECONDS)
            layout = tuple(
                part
                for part in ((0, boundary, old), (boundary, _DAY_SECONDS, after))
                if part[0] < part[1]
            )
        self._layout_cache[day] = layout
        return layout

    # -- description --------------------------------------------------------------------

    def describe(self) -> str:
        """A short English summary, e.g. ``At 02:00, Monday through Friday (Europe/Berlin)``.

        The words come from ``cron_descriptor``; fire times are wall-clock times in the
        schedule's time zone, which is named. A schedule it cannot put into words shows as
        the expression itself (plus the time zone).
        """
        return f"{self._describe_plain() or self._expression} ({self._tz_name})"

    def _describe_plain(self) -> str | None:
        """The description without the time zone; None where cron_descriptor cannot say it."""
        text: str | None = None
        if self._quartz is not None:
            text = _describable_quartz(self._quartz)
        elif self._or_days:  # 5-field cron's "day-of-month OR day-of-week": no Quartz form
            text = self._expression
        if text is None:
            return None
        options = Options(
            casing_type=CasingTypeEnum.Sentence,
            day_of_week_start_index_zero=self._quartz is None,  # Quartz: 1 = Sunday
            use_24hour_time_format=True,
            locale_code="en_US",
        )
        try:
            return ExpressionDescriptor(text, options).get_description()
        except (FormatError, MissingFieldError, ValueError, IndexError):
            return None
