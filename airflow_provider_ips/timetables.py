"""An Airflow timetable that runs a DAG on an IPS ``execSchedule`` (Quartz cron).

IPS can schedule a job itself (``execSchedule``, a Quartz cron such as ``00 00 02 * * ?``
evaluated in the IPS server's time zone). :class:`IpsScheduleTimetable` moves that schedule
to Airflow instead: the DAG runs at each fire time and its tasks submit an immediate IPS
job, so every run is visible, retried and alerted on by Airflow.

It behaves like Airflow's ``CronTriggerTimetable``: a run is created *at* each fire time
(not at the end of an interval), its data interval is ``[fire - interval, fire]``, and with
``catchup=False`` the scheduler starts from the latest fire time at or before now. Fire
times (including the DST rules) come from :class:`~airflow_provider_ips.schedule.QuartzSchedule`.

This module is what DAG files import: it pulls in Airflow's timetable base and the
dependency-free schedule evaluator, never the SOAP stack (zeep, lxml). Airflow finds the
class again when it deserialises a DAG through the ``ips`` plugin
(:mod:`airflow_provider_ips.plugins`), which the package registers as an entry point.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import TYPE_CHECKING, Any

import pendulum
from airflow.exceptions import AirflowTimetableInvalid
from airflow.timetables.base import DagRunInfo, DataInterval, Timetable
from dateutil.relativedelta import relativedelta

from airflow_provider_ips.schedule import MIN_YEAR, InvalidScheduleError, QuartzSchedule

if TYPE_CHECKING:
    from airflow.timetables.base import TimeRestriction
    from pendulum import DateTime

__all__ = ["IpsScheduleTimetable"]

_UTC = dt.timezone.utc
_TINY = dt.timedelta(microseconds=1)
_MIN_BUFFER = dt.timedelta(minutes=5)
_BEFORE_ANY_FIRE = dt.datetime(MIN_YEAR - 1, 12, 30, tzinfo=_UTC)


def _utcnow() -> dt.datetime:
    """The current time (a module function so tests can pin it)."""
    return dt.datetime.now(_UTC)


def _plain_utc(value: dt.datetime) -> dt.datetime:
    """An aware datetime as a stdlib UTC datetime.

    Arithmetic stays on stdlib datetimes: pendulum drops a stdlib tzinfo when a timedelta is
    subtracted from a pendulum DateTime converted with ``astimezone``.
    """
    u = value.astimezone(_UTC)
    return dt.datetime(
        u.year, u.month, u.day, u.hour, u.minute, u.second, u.microsecond, tzinfo=_UTC
    )


def _to_pendulum(value: dt.datetime) -> DateTime:
    """An aware datetime as a pendulum UTC DateTime, as the scheduler expects."""
    return pendulum.instance(_plain_utc(value))


def _ips_schedule(exec_schedule: str, timezone: str | dt.tzinfo) -> QuartzSchedule:
    """The schedule of an IPS ``execSchedule``; a valid 5-field cron or macro is refused."""
    text = " ".join(exec_schedule.split()) if isinstance(exec_schedule, str) else exec_schedule
    if isinstance(text, str) and (text.startswith("@") or len(text.split(" ")) == 5):
        try:
            cron = QuartzSchedule.parse_cron(text, timezone)
        except InvalidScheduleError:
            pass  # not cron: Adobe's form without day-of-week, or an error parse() words
        else:
            raise InvalidScheduleError(_cron_refusal(text, cron), expression=text)
    return QuartzSchedule.parse(text, timezone)


def _cron_refusal(text: str, cron: QuartzSchedule) -> str:
    zone = cron.timezone_name
    kind = "a cron macro" if text.startswith("@") else "5-field cron"
    message = (
        f"{kind} is for Airflow's own schedules: use schedule={text!r}, or "
        f"CronTriggerTimetable({text!r}, timezone={zone!r}). IpsScheduleTimetable takes an "
        "IPS execSchedule (Quartz, seconds first)"
    )
    quartz: list[str] = []
    with contextlib.suppress(InvalidScheduleError):  # cron restricting both day fields
        quartz.append(f"{cron.to_quartz()!r} for the same times")
    with contextlib.suppress(InvalidScheduleError):
        as_ips = QuartzSchedule.read(text, cron.timezone)  # seconds first, no day-of-week
        if as_ips.reading == "quartz-without-day-of-week":
            quartz.append(f"{as_ips.to_quartz()!r} as IPS reads these 5 fields")
    return f"{message}: {'; '.join(quartz)}" if quartz else message


class IpsScheduleTimetable(Timetable):
    """Run a DAG at each fire time of an IPS ``execSchedule`` (Quartz, seconds first).

    :param exec_schedule: Quartz cron, ``seconds minutes hours day-of-month month
        day-of-week [year]`` (``?``, ``L``, ``W``, ``#`` and a year field supported), or
        Adobe's 5-field form without day-of-week (``00 00 00 * *``). Standard 5-field cron
        and ``@daily``-style macros are refused, pointing to Airflow's own cron schedules
        (``schedule="30 2 * * 1-5"`` or ``CronTriggerTimetable``), which add nothing
        IPS-specific to lose. The description (UI) gives the fire times as wall-clock times
        in ``timezone``, which it names.
    :param timezone: the time zone the expression is evaluated in; use the IPS server's
        (an IANA name such as ``"America/Los_Angeles"``, or a tzinfo with such a name).
    :param interval: length of each run's data interval, ending at the fire time
        (default 0: ``data_interval_start == data_interval_end``).
    :param run_immediately: only for a DAG without ``start_date`` and without any run
        yet: ``True`` runs the most recent past fire time at once, ``False`` waits for the
        next fire time, a ``timedelta`` runs the past fire time if it is at most that long
        ago, and ``None`` uses 10% of the gap between fire times (at least 5 minutes).
    :raises InvalidScheduleError: (a ``ValueError``) for an expression or time zone that
        cannot be used; the message names the offending field.
    """

    periodic = True
    can_be_scheduled = True

    def __init__(
        self,
        exec_schedule: str,
        *,
        timezone: str | dt.tzinfo = "UTC",
        interval: dt.timedelta | relativedelta = dt.timedelta(0),
        run_immediately: bool | dt.timedelta | None = False,
    ) -> None:
        schedule = _ips_schedule(exec_schedule, timezone)
        try:  # The time zone is serialised by name, so the name must resolve to it.
            same = QuartzSchedule.parse(schedule.expression, schedule.timezone_name) == schedule
        except InvalidScheduleError:
            same = False
        if not same:
            raise InvalidScheduleError(
                f"time zone {timezone!r} has no IANA name; pass one such as 'Europe/Berlin'",
                field="timezone",
            )
        if isinstance(interval, dt.timedelta):
            if interval < dt.timedelta(0):
                raise ValueError(f"interval must not be negative, got {interval!r}")
        elif not isinstance(interval, relativedelta):
            raise TypeError(
                f"interval must be a timedelta or relativedelta, got {type(interval).__name__}"
            )
        if run_immediately is not None and not isinstance(run_immediately, bool | dt.timedelta):
            raise TypeError(
                "run_immediately must be True, False, None or a timedelta, "
                f"got {type(run_immediately).__name__}"
            )
        self._schedule = schedule
        self._interval = interval
        self._run_immediately = run_immediately
        self.description = schedule.describe()

    # -- accessors --------------------------------------------------------------------

    @property
    def schedule(self) -> QuartzSchedule:
        """The parsed schedule (fire times, normalised Quartz form)."""
        return self._schedule

    @property
    def expression(self) -> str:
        """The expression as given (whitespace collapsed)."""
        return self._schedule.expression

    @property
    def timezone_name(self) -> str:
        """The time zone the expression is evaluated in."""
        return self._schedule.timezone_name

    @property
    def interval(self) -> dt.timedelta | relativedelta:
        return self._interval

    @property
    def run_immediately(self) -> bool | dt.timedelta | None:
        return self._run_immediately

    @property
    def summary(self) -> str:
        return self._schedule.expression

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IpsScheduleTimetable):
            return NotImplemented
        return (self._schedule, self._interval, self._run_immediately) == (
            other._schedule,
            other._interval,
            other._run_immediately,
        )

    def __hash__(self) -> int:
        return hash((self._schedule, str(self._interval), str(self._run_immediately)))

    def __repr__(self) -> str:
        return (
            f"IpsScheduleTimetable({self.expression!r}, timezone={self.timezone_name!r}, "
            f"interval={self._interval!r}, run_immediately={self._run_immediately!r})"
        )

    # -- serialisation ----------------------------------------------------------------

    def serialize(self) -> dict[str, Any]:
        from airflow_provider_ips._compat import encode_interval

        run_immediately = self._run_immediately
        return {
            "expression": self.expression,
            "timezone": self.timezone_name,
            "interval": encode_interval(self._interval),
            "run_immediately": (
                run_immediately.total_seconds()
                if isinstance(run_immediately, dt.timedelta)
                else run_immediately
            ),
        }

    @classmethod
    def deserialize(cls, data: dict[str, Any]) -> Timetable:
        from airflow_provider_ips._compat import decode_interval

        run_immediately = data.get("run_immediately", False)
        if isinstance(run_immediately, int | float) and not isinstance(run_immediately, bool):
            run_immediately = dt.timedelta(seconds=run_immediately)
        return cls(
            data["expression"],
            timezone=data.get("timezone", "UTC"),
            interval=decode_interval(data.get("interval", 0)),
            run_immediately=run_immediately,
        )

    def validate(self) -> None:
        """Reject a schedule that can never fire (e.g. ``0 0 0 30 2 ?``, February 30)."""
        if self._schedule.next_after(_BEFORE_ANY_FIRE) is None:
            raise AirflowTimetableInvalid(
                f"IPS schedule {self.expression!r} ({self.timezone_name}) never fires: "
                "no date matches it"
            )

    # -- scheduling -------------------------------------------------------------------

    def _get_next(self, current: dt.datetime) -> dt.datetime | None:
        """The first fire time strictly after ``current`` (UTC)."""
        found = self._schedule.next_after(_plain_utc(current))
        return None if found is None else _plain_utc(found)

    def _align_to_next(self, current: dt.datetime) -> dt.datetime | None:
        """``current`` if it is a fire time, else the next one (UTC)."""
        return self._get_next(_plain_utc(current) - _TINY)  # fire times are whole seconds

    def _align_to_prev(self, current: dt.datetime) -> dt.datetime | None:
        """``current`` if it is a fire time, else the previous one (UTC)."""
        found = self._schedule.previous_at_or_before(_plain_utc(current))
        return None if found is None else _plain_utc(found)

    def _calc_first_run(self) -> dt.datetime | None:
        """First run of a DAG without start_date and runs, following ``run_immediately``."""
        now = _plain_utc(_utcnow())
        past = self._align_to_prev(now)
        upcoming = self._align_to_next(now)
        if past is None or self._run_immediately is False:
            return upcoming
        if self._run_immediately is True:
            return past
        if isinstance(self._run_immediately, dt.timedelta):
            buffer = self._run_immediately
        elif upcoming is None:
            buffer = _MIN_BUFFER
        else:
            buffer = max((upcoming - past) / 10, _MIN_BUFFER)
        return past if now - past <= buffer else upcoming

    def _interval_start(self, end: dt.datetime) -> DateTime:
        return _to_pendulum(_plain_utc(end) - self._interval)

    def infer_manual_data_interval(self, *, run_after: DateTime) -> DataInterval:
        return DataInterval(self._interval_start(run_after), _to_pendulum(run_after))

    def next_dagrun_info(
        self,
        *,
        last_automated_data_interval: DataInterval | None,
        restriction: TimeRestriction,
    ) -> DagRunInfo | None:
        last = last_automated_data_interval
        # Each candidate must exist: None means the schedule has no such fire time.
        required: list[dt.datetime | None] = []
        if last is not None:
            required.append(self._get_next(last.end))
        elif restriction.earliest is None:
            required.append(self._calc_first_run())
        if restriction.earliest is not None and (last is None or not restriction.catchup):
            required.append(self._align_to_next(restriction.earliest))
        if any(candidate is None for candidate in required):
            return None
        candidates = [c for c in required if c is not None]
        if not restriction.catchup:
            # Skip missed fire times: never earlier than the latest one at or before now.
            latest_past = self._align_to_prev(_utcnow())
            if latest_past is not None:
                candidates.append(latest_past)
        next_start = max(candidates)
        if restriction.latest is not None and restriction.latest < next_start:
            return None
        return DagRunInfo.interval(self._interval_start(next_start), _to_pendulum(next_start))
