"""Tests for IpsScheduleTimetable and the ``ips`` plugin that registers it.

Expected run times are worked out by hand from the calendar, not by the code under test:
EU summer time 2026 starts on Sunday 2026-03-29 at 01:00 UTC (02:00 CET -> 03:00 CEST) and
ends on Sunday 2026-10-25 at 01:00 UTC (03:00 CEST -> 02:00 CET); US summer time 2025
starts on 2025-03-09. Berlin is UTC+1 in winter and UTC+2 in summer, New York UTC-5/UTC-4.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pendulum
import pytest
from airflow.exceptions import AirflowTimetableInvalid
from airflow.timetables.base import DagRunInfo, DataInterval, TimeRestriction
from airflow.timetables.trigger import CronTriggerTimetable
from dateutil.relativedelta import relativedelta

import airflow_provider_ips.timetables as timetables_module
from airflow_provider_ips import get_provider_info
from airflow_provider_ips.schedule import InvalidScheduleError
from airflow_provider_ips.timetables import IpsScheduleTimetable

HERE = Path(__file__).parent
UTC = timezone.utc


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz="UTC")


def restriction(
    earliest: datetime | None = None, latest: datetime | None = None, *, catchup: bool = True
) -> TimeRestriction:
    return TimeRestriction(earliest=earliest, latest=latest, catchup=catchup)


def run_ends(
    timetable: IpsScheduleTimetable, earliest: datetime, count: int, **kwargs: object
) -> list[datetime]:
    """Fire times of ``count`` consecutive scheduled runs (catchup=True), in UTC."""
    found: list[datetime] = []
    last: DataInterval | None = None
    for _ in range(count):
        info = timetable.next_dagrun_info(
            last_automated_data_interval=last, restriction=restriction(earliest, **kwargs)
        )
        assert info is not None and info.data_interval is not None
        assert info.run_after == info.data_interval.end
        found.append(info.run_after)
        last = info.data_interval
    return found


def next_end(
    timetable: IpsScheduleTimetable,
    last_end: datetime | None,
    where: TimeRestriction,
) -> datetime | None:
    last = None if last_end is None else DataInterval(last_end, last_end)
    info = timetable.next_dagrun_info(last_automated_data_interval=last, restriction=where)
    return None if info is None else info.run_after


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch):
    """Pin the timetable's clock: ``now(datetime)``."""

    def pin(value: datetime) -> None:
        monkeypatch.setattr(timetables_module, "_utcnow", lambda: value)

    return pin


# ---------------------------------------------------------------------------------------
# Known answers
# ---------------------------------------------------------------------------------------


def test_weekdays_in_berlin_across_spring_forward() -> None:
    timetable = IpsScheduleTimetable("0 0 2 ? * MON-FRI", timezone="Europe/Berlin")
    # Fri 2026-03-27 02:00 CET; (weekend, DST starts Sunday) Mon 30th and Tue 31st 02:00 CEST.
    assert run_ends(timetable, utc(2026, 3, 27), 3) == [
        utc(2026, 3, 27, 1),
        utc(2026, 3, 30, 0),
        utc(2026, 3, 31, 0),
    ]


def test_results_are_pendulum_utc() -> None:
    timetable = IpsScheduleTimetable("0 0 2 ? * MON-FRI", timezone="Europe/Berlin")
    info = timetable.next_dagrun_info(
        last_automated_data_interval=None, restriction=restriction(utc(2026, 3, 27))
    )
    assert info is not None and info.data_interval is not None
    for value in (info.run_after, *info.data_interval):
        assert isinstance(value, pendulum.DateTime)
        assert value.utcoffset() == timedelta(0)
    assert info.logical_date == utc(2026, 3, 27, 1)


def test_last_sunday_of_the_month_on_both_dst_days_in_berlin() -> None:
    timetable = IpsScheduleTimetable("0 30 2 ? * 1L", timezone="Europe/Berlin")
    # 2026-03-29: 02:30 does not exist and fires at 03:30 CEST (01:30 UTC);
    # 2026-04-26 02:30 CEST; 2026-10-25 02:30 occurs twice and fires once, the first time
    # (02:30 CEST = 00:30 UTC); 2026-11-29 02:30 CET.
    assert run_ends(timetable, utc(2026, 3, 1), 2) == [
        utc(2026, 3, 29, 1, 30),
        utc(2026, 4, 26, 0, 30),
    ]
    assert run_ends(timetable, utc(2026, 9, 28), 2) == [
        utc(2026, 10, 25, 0, 30),
        utc(2026, 11, 29, 1, 30),
    ]


def test_daily_across_fall_back_does_not_repeat_the_hour() -> None:
    timetable = IpsScheduleTimetable("0 30 2 * * ?", timezone="Europe/Berlin")
    # After 02:30 CEST on 2026-10-25 the next run is 02:30 CET on the 26th, not the
    # repeated 02:30 CET of the 25th (01:30 UTC).
    assert next_end(timetable, utc(2026, 10, 25, 0, 30), restriction()) == utc(2026, 10, 26, 1, 30)
    assert next_end(timetable, utc(2026, 10, 24, 0, 30), restriction()) == utc(2026, 10, 25, 0, 30)


def test_last_day_of_month() -> None:
    timetable = IpsScheduleTimetable("0 0 18 L * ?")
    assert run_ends(timetable, utc(2024, 2, 1), 3) == [
        utc(2024, 2, 29, 18),  # leap year
        utc(2024, 3, 31, 18),
        utc(2024, 4, 30, 18),
    ]


def test_nearest_weekday() -> None:
    timetable = IpsScheduleTimetable("0 0 9 15W * ?")
    # 15 Feb and 15 Mar 2025 are Saturdays -> Friday 14th; 15 Apr (Tue) and 15 May (Thu)
    # are weekdays; 15 Jun is a Sunday -> Monday 16th.
    assert run_ends(timetable, utc(2025, 2, 1), 5) == [
        utc(2025, 2, 14, 9),
        utc(2025, 3, 14, 9),
        utc(2025, 4, 15, 9),
        utc(2025, 5, 15, 9),
        utc(2025, 6, 16, 9),
    ]


def test_nth_weekday_in_new_york() -> None:
    timetable = IpsScheduleTimetable("0 30 10 ? * 2#1", timezone="America/New_York")
    # First Mondays: 3 Feb and 3 Mar 2025 (EST, UTC-5), 7 Apr 2025 (EDT, UTC-4).
    assert run_ends(timetable, utc(2025, 2, 1), 3) == [
        utc(2025, 2, 3, 15, 30),
        utc(2025, 3, 3, 15, 30),
        utc(2025, 4, 7, 14, 30),
    ]


def test_year_field_and_end_of_schedule(now) -> None:
    timetable = IpsScheduleTimetable("0 0 12 1 1 ? 2027-2028")
    assert run_ends(timetable, utc(2026, 6, 1), 2) == [utc(2027, 1, 1, 12), utc(2028, 1, 1, 12)]
    # After the last year there is nothing more, with or without catchup.
    assert next_end(timetable, utc(2028, 1, 1, 12), restriction(utc(2026, 6, 1))) is None
    now(utc(2029, 6, 1))
    where = restriction(utc(2026, 6, 1), catchup=False)
    assert next_end(timetable, utc(2028, 1, 1, 12), where) is None
    # Catchup off and no run yet: the latest missed fire time, as CronTriggerTimetable does.
    assert next_end(timetable, None, where) == utc(2028, 1, 1, 12)


@pytest.mark.parametrize(
    ("cron", "quartz"),
    [
        ("30 2 * * MON-FRI", ["'0 30 2 ? * 2-6' for the same times"]),
        ("@daily", ["'0 0 0 * * ?' for the same times"]),
        # also valid as IPS's own 5-field form, which fires at other times
        (
            "30 2 * * 1-5",
            ["'0 30 2 ? * 2-6' for the same times", "'30 2 * * 1-5 ?' as IPS reads these"],
        ),
    ],
)
def test_cron_is_left_to_airflows_own_schedules(cron: str, quartz: list[str]) -> None:
    with pytest.raises(InvalidScheduleError) as info:
        IpsScheduleTimetable(cron, timezone="Europe/Berlin")
    message = str(info.value)
    pointer = f"CronTriggerTimetable({cron!r}, timezone='Europe/Berlin')"
    assert f"use schedule={cron!r}, or {pointer}" in message
    for form in quartz:
        assert form in message
    assert CronTriggerTimetable(cron, timezone="Europe/Berlin").description, "what it points to"


def test_adobes_five_field_form_is_an_ips_schedule() -> None:
    # Adobe's getScheduledJobs example form: daily at midnight, in the server's zone.
    adobe = IpsScheduleTimetable("00 00 00 * * ", timezone="America/Los_Angeles")
    assert adobe.description == "At 00:00 (America/Los_Angeles)"
    assert adobe.schedule.to_quartz() == "0 0 0 * * ?"
    assert run_ends(adobe, utc(2026, 1, 10, 8), 1) == [utc(2026, 1, 10, 8)]


def test_ips_style_expression_and_interval() -> None:
    timetable = IpsScheduleTimetable(
        "00 00 02 * * ?", timezone="Europe/Berlin", interval=timedelta(hours=6)
    )
    info = timetable.next_dagrun_info(
        last_automated_data_interval=None, restriction=restriction(utc(2026, 1, 10))
    )
    # 2026-01-10 02:00 CET = 01:00 UTC; the data interval is the 6 hours before.
    assert info == DagRunInfo.interval(utc(2026, 1, 9, 19), utc(2026, 1, 10, 1))


# ---------------------------------------------------------------------------------------
# Restrictions: earliest, latest, catchup
# ---------------------------------------------------------------------------------------

DAILY_BERLIN = ("0 0 2 * * ?", "Europe/Berlin")  # 02:00 CEST = 00:00 UTC in summer


def test_earliest_on_a_fire_time_is_included() -> None:
    timetable = IpsScheduleTimetable(*DAILY_BERLIN[:1], timezone=DAILY_BERLIN[1])
    assert next_end(timetable, None, restriction(utc(2026, 7, 1))) == utc(2026, 7, 1)
    later = utc(2026, 7, 1) + timedelta(seconds=1)
    assert next_end(timetable, None, restriction(later)) == utc(2026, 7, 2)


def test_latest_restriction() -> None:
    timetable = IpsScheduleTimetable("0 0 2 ? * MON-FRI", timezone="Europe/Berlin")
    # latest equal to the fire time is allowed; the next weekday run is past latest.
    assert next_end(timetable, None, restriction(utc(2026, 3, 27), utc(2026, 3, 27, 1))) == (
        utc(2026, 3, 27, 1)
    )
    assert next_end(timetable, utc(2026, 3, 27, 1), restriction(None, utc(2026, 3, 29))) is None
    assert next_end(timetable, None, restriction(utc(2026, 3, 27), utc(2026, 3, 27, 0, 59))) is None


def test_catchup_true_runs_every_missed_fire_time(now) -> None:
    now(utc(2026, 6, 10, 9))
    timetable = IpsScheduleTimetable(*DAILY_BERLIN[:1], timezone=DAILY_BERLIN[1])
    assert next_end(timetable, None, restriction(utc(2026, 1, 1))) == utc(2026, 1, 1, 1)  # CET
    assert next_end(timetable, utc(2026, 6, 1), restriction(utc(2026, 1, 1))) == utc(2026, 6, 2)


def test_catchup_false_starts_from_latest_fire_time_at_or_before_now(now) -> None:
    timetable = IpsScheduleTimetable(*DAILY_BERLIN[:1], timezone=DAILY_BERLIN[1])
    where = restriction(utc(2026, 1, 1), catchup=False)
    now(utc(2026, 6, 10, 9))  # Wednesday; today's run was at 00:00 UTC
    assert next_end(timetable, None, where) == utc(2026, 6, 10)
    assert next_end(timetable, utc(2026, 6, 1), where) == utc(2026, 6, 10)
    assert next_end(timetable, utc(2026, 6, 10), where) == utc(2026, 6, 11)
    now(utc(2026, 6, 10))  # exactly on a fire time: "at or before" includes it
    assert next_end(timetable, utc(2026, 6, 9), where) == utc(2026, 6, 10)
    now(utc(2026, 6, 9, 23, 59))
    assert next_end(timetable, utc(2026, 6, 8), where) == utc(2026, 6, 9)


def test_catchup_false_with_future_start_date(now) -> None:
    now(utc(2026, 6, 10, 9))
    timetable = IpsScheduleTimetable(*DAILY_BERLIN[:1], timezone=DAILY_BERLIN[1])
    assert next_end(timetable, None, restriction(utc(2026, 7, 1), catchup=False)) == utc(2026, 7, 1)
    assert next_end(timetable, None, restriction(utc(2026, 7, 1, 1), catchup=False)) == (
        utc(2026, 7, 2)
    )


@pytest.mark.parametrize("catchup", [True, False])
@pytest.mark.parametrize(
    ("run_immediately", "clock", "expected"),
    [
        # 3 minutes after the 02:00 CEST (00:00 UTC) run of 2026-06-10.
        (False, utc(2026, 6, 10, 0, 3), utc(2026, 6, 11)),
        (True, utc(2026, 6, 10, 0, 3), utc(2026, 6, 10)),
        (None, utc(2026, 6, 10, 0, 3), utc(2026, 6, 10)),  # within 10% of 24h
        (None, utc(2026, 6, 10, 3, 0), utc(2026, 6, 11)),  # 3h > 2h24m
        (timedelta(minutes=1), utc(2026, 6, 10, 0, 3), utc(2026, 6, 11)),
        (timedelta(minutes=5), utc(2026, 6, 10, 0, 3), utc(2026, 6, 10)),
        (True, utc(2026, 6, 10, 20), utc(2026, 6, 10)),
    ],
)
def test_first_run_without_start_date(
    now,
    catchup: bool,
    run_immediately: bool | timedelta | None,
    clock: datetime,
    expected: datetime,
) -> None:
    now(clock)
    timetable = IpsScheduleTimetable(
        DAILY_BERLIN[0], timezone=DAILY_BERLIN[1], run_immediately=run_immediately
    )
    assert next_end(timetable, None, restriction(catchup=catchup)) == expected


def test_infer_manual_data_interval() -> None:
    hourly = IpsScheduleTimetable("0 0 2 * * ?", interval=timedelta(hours=1))
    run_after = pendulum.datetime(2026, 6, 10, 12, 34, 56, tz="Europe/Berlin")
    assert hourly.infer_manual_data_interval(run_after=run_after) == DataInterval(
        utc(2026, 6, 10, 9, 34) + timedelta(seconds=56),
        utc(2026, 6, 10, 10, 34) + timedelta(seconds=56),
    )
    monthly = IpsScheduleTimetable("0 0 2 L * ?", interval=relativedelta(months=1))
    interval = monthly.infer_manual_data_interval(run_after=utc(2026, 3, 31))
    assert interval == DataInterval(utc(2026, 2, 28), utc(2026, 3, 31))
    zero = IpsScheduleTimetable("0 0 2 * * ?").infer_manual_data_interval(run_after=utc(2026, 1, 1))
    assert zero == DataInterval(utc(2026, 1, 1), utc(2026, 1, 1))


# ---------------------------------------------------------------------------------------
# UI text, properties, validation
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "zone", "description"),
    [
        ("0 0 2 ? * MON-FRI", "Europe/Berlin", "At 02:00, Monday through Friday (Europe/Berlin)"),
        ("00 00 02 * * ?", "UTC", "At 02:00 (UTC)"),
        (
            "0 30 2 ? * 1L",
            "Europe/Berlin",
            "At 02:30, on the last Sunday of the month (Europe/Berlin)",
        ),
        ("0 0 9 15W * ?", "UTC", "At 09:00, on the weekday nearest day 15 of the month (UTC)"),
    ],
)
def test_summary_and_description(expression: str, zone: str, description: str) -> None:
    timetable = IpsScheduleTimetable(expression, timezone=zone)
    assert timetable.summary == expression
    assert timetable.description == description


def test_properties_and_equality() -> None:
    berlin = pendulum.timezone("Europe/Berlin")
    timetable = IpsScheduleTimetable("0  0 2 ? * MON-FRI", timezone=berlin)
    assert timetable.expression == "0 0 2 ? * MON-FRI"
    assert timetable.timezone_name == "Europe/Berlin"
    assert timetable.schedule.to_quartz() == "0 0 2 ? * MON-FRI"
    assert timetable.periodic and timetable.can_be_scheduled
    assert timetable.type_name == "airflow_provider_ips.timetables.IpsScheduleTimetable"
    assert timetable == IpsScheduleTimetable("0 0 2 ? * MON-FRI", timezone="Europe/Berlin")
    assert hash(timetable) == hash(IpsScheduleTimetable("0 0 2 ? * 2-6", timezone="Europe/Berlin"))
    assert timetable != IpsScheduleTimetable("0 0 2 ? * MON-FRI")
    assert timetable != IpsScheduleTimetable(
        "0 0 2 ? * MON-FRI", timezone="Europe/Berlin", interval=timedelta(hours=1)
    )
    assert "Europe/Berlin" in repr(timetable)


@pytest.mark.parametrize(
    ("expression", "field"),
    [
        ("0 0 2 ? * 9", "day-of-week field: '9' is out of range 1-7"),
        ("0 0 24 * * ?", "hours field"),
        ("0 60 2 * * ?", "minutes field"),
        ("0 0 2 * 13 ?", "month field"),
        ("0 0 2 * * ? 1969", "year field"),
        ("0 0 2 LX * ?", "day-of-month field"),
        ("0 0 2 ? * 2#6", "day-of-week field"),
        ("0 0 2 15 * MON", "day-of-month/day-of-week field"),
        ("0 2 L * *", "day-of-month field: 'L': 'L', 'W' and '#' are only supported"),
        ("0 0 2 * *  * ? 2030", "expected 6 or 7 fields"),
        ("", "expected 6 or 7 fields"),
    ],
)
def test_invalid_expressions_rejected_at_construction(expression: str, field: str) -> None:
    with pytest.raises(InvalidScheduleError, match=f"^invalid schedule .*{field}") as info:
        IpsScheduleTimetable(expression, timezone="Europe/Berlin")
    assert isinstance(info.value, ValueError)


def test_invalid_time_zones_rejected() -> None:
    with pytest.raises(InvalidScheduleError, match="timezone field: unknown time zone"):
        IpsScheduleTimetable("0 0 2 * * ?", timezone="Mars/Olympus_Mons")
    with pytest.raises(InvalidScheduleError, match=r"timezone field: .* has no IANA name"):
        IpsScheduleTimetable("0 0 2 * * ?", timezone=timezone(timedelta(hours=2)))


def test_invalid_interval_and_run_immediately_rejected() -> None:
    with pytest.raises(ValueError, match="interval must not be negative"):
        IpsScheduleTimetable("0 0 2 * * ?", interval=timedelta(hours=-1))
    with pytest.raises(TypeError, match="interval must be a timedelta or relativedelta"):
        IpsScheduleTimetable("0 0 2 * * ?", interval=3600)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="run_immediately"):
        IpsScheduleTimetable("0 0 2 * * ?", run_immediately="yes")  # type: ignore[arg-type]


def test_validate() -> None:
    IpsScheduleTimetable("0 0 2 ? * MON-FRI", timezone="Europe/Berlin").validate()
    IpsScheduleTimetable("0 0 12 1 1 ? 2020").validate()  # in the past, but it did fire
    with pytest.raises(AirflowTimetableInvalid, match=r"'0 0 0 30 2 \?' .* never fires"):
        IpsScheduleTimetable("0 0 0 30 2 ?").validate()


# ---------------------------------------------------------------------------------------
# Serialisation
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timetable", "data"),
    [
        (
            IpsScheduleTimetable("0 0 2 ? * MON-FRI", timezone="Europe/Berlin"),
            {
                "expression": "0 0 2 ? * MON-FRI",
                "timezone": "Europe/Berlin",
                "interval": 0.0,
                "run_immediately": False,
            },
        ),
        (
            IpsScheduleTimetable(
                "00 00 02 * * ?",
                interval=timedelta(hours=1),
                run_immediately=timedelta(minutes=5),
            ),
            {
                "expression": "00 00 02 * * ?",
                "timezone": "UTC",
                "interval": 3600.0,
                "run_immediately": 300.0,
            },
        ),
        (
            IpsScheduleTimetable("0 0 2 L * ?", timezone="Asia/Tokyo", run_immediately=None),
            {
                "expression": "0 0 2 L * ?",
                "timezone": "Asia/Tokyo",
                "interval": 0.0,
                "run_immediately": None,
            },
        ),
    ],
)
def test_serialize_round_trip(timetable: IpsScheduleTimetable, data: dict[str, object]) -> None:
    assert timetable.serialize() == data
    restored = IpsScheduleTimetable.deserialize(json.loads(json.dumps(timetable.serialize())))
    assert restored == timetable
    assert isinstance(restored, IpsScheduleTimetable)
    assert restored.run_immediately == timetable.run_immediately


def test_serialize_relativedelta_interval() -> None:
    timetable = IpsScheduleTimetable("0 0 2 L * ?", interval=relativedelta(months=1))
    restored = IpsScheduleTimetable.deserialize(json.loads(json.dumps(timetable.serialize())))
    assert restored == timetable
    assert restored.interval == relativedelta(months=1)


def _dag(schedule: IpsScheduleTimetable, **kwargs: object):
    from airflow.sdk import DAG
    from airflow.sdk.bases.operator import BaseOperator

    with DAG("ips_serialisation_test", schedule=schedule, **kwargs) as dag:
        BaseOperator(task_id="submit")
    return dag


def test_plugin_registers_the_timetable() -> None:
    from airflow import plugins_manager

    from airflow_provider_ips.plugins import IpsProviderPlugin

    assert IpsProviderPlugin.name == "ips"
    assert IpsProviderPlugin.timetables == [IpsScheduleTimetable]
    registered = plugins_manager.get_timetables_plugins()
    assert (
        registered["airflow_provider_ips.timetables.IpsScheduleTimetable"] is IpsScheduleTimetable
    )


def test_round_trip_through_dag_serialisation() -> None:
    from airflow.serialization.serialized_objects import DagSerialization

    timetable = IpsScheduleTimetable(
        "0 30 2 ? * 1L", timezone="Europe/Berlin", interval=timedelta(hours=1)
    )
    dag = _dag(timetable, start_date=datetime(2026, 3, 1, tzinfo=UTC), catchup=True)
    data = json.loads(json.dumps(DagSerialization.to_dict(dag)))
    assert data["dag"]["timetable"] == {
        "__type": "airflow_provider_ips.timetables.IpsScheduleTimetable",
        "__var": timetable.serialize(),
    }
    serialized = DagSerialization.from_dict(data)
    assert isinstance(serialized.timetable, IpsScheduleTimetable)
    assert serialized.timetable == timetable
    assert serialized.timetable.description == timetable.description

    first = serialized.next_dagrun_info(last_automated_run_info=None)
    # Last Sunday of March 2026: "02:30" -> 03:30 CEST = 01:30 UTC.
    assert first == DagRunInfo.interval(utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30))
    assert first == timetable.next_dagrun_info(
        last_automated_data_interval=None, restriction=restriction(utc(2026, 3, 1))
    )
    second = serialized.next_dagrun_info(last_automated_run_info=first)
    assert second is not None and second.run_after == utc(2026, 4, 26, 0, 30)


def test_dag_serialisation_needs_the_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow import plugins_manager
    from airflow.serialization.serialized_objects import DagSerialization

    monkeypatch.setattr(plugins_manager, "get_timetables_plugins", dict)
    dag = _dag(IpsScheduleTimetable("0 0 2 * * ?"), start_date=datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(Exception, match="IpsScheduleTimetable' is not registered"):
        DagSerialization.to_dict(dag)


# ---------------------------------------------------------------------------------------
# Registration, DAG parsing and imports (end to end)
# ---------------------------------------------------------------------------------------


def test_entry_point_and_provider_info() -> None:
    from importlib.metadata import entry_points

    import jsonschema

    plugins = {ep.name: ep.value for ep in entry_points(group="airflow.plugins")}
    assert plugins.get("ips") == "airflow_provider_ips.plugins:IpsProviderPlugin"
    info = get_provider_info()
    assert info["plugins"] == [
        {"name": "ips", "plugin-class": "airflow_provider_ips.plugins.IpsProviderPlugin"}
    ]
    import airflow

    schema_path = Path(airflow.__file__).parent / "provider_info.schema.json"
    jsonschema.validate(info, json.loads(schema_path.read_text()))


def test_dagbag_parses_a_dag_using_the_timetable() -> None:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=HERE / "dags_ok")
    assert bag.import_errors == {}
    dag = bag.dags["ips_schedule_timetable_test"]
    assert dag.timetable == IpsScheduleTimetable(
        "0 0 2 ? * MON-FRI", timezone="Europe/Berlin", interval=timedelta(hours=1)
    )


def test_dagbag_reports_bad_schedules_as_import_errors() -> None:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=HERE / "dags_bad")
    assert bag.dags == {}
    errors = {Path(path).name: message for path, message in bag.import_errors.items()}
    assert "day-of-week field: '9' is out of range 1-7" in errors["ips_bad_schedule_dag.py"]
    assert "never fires" in errors["ips_never_fires_dag.py"]


def test_airflow_plugins_cli_lists_the_timetable() -> None:
    airflow_cli = Path(sys.executable).parent / "airflow"
    out = subprocess.run(
        [str(airflow_cli), "plugins", "--output", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    plugins = json.loads(out.stdout[out.stdout.index("[{") :])
    ips = next(p for p in plugins if p["name"] == "ips")
    assert "airflow_provider_ips.timetables.IpsScheduleTimetable" in str(ips["timetables"])


def test_timetable_import_adds_no_soap_stack() -> None:
    # Airflow itself imports httpx; importing the timetable must add none of the SOAP stack.
    code = (
        "import sys, airflow.timetables.base\n"
        "before = set(sys.modules)\n"
        "import airflow_provider_ips.timetables, airflow_provider_ips.plugins\n"
        "added = set(sys.modules) - before\n"
        "heavy = ('zeep', 'lxml', 'httpx', 'airflow_provider_ips.soap',\n"
        "         'airflow_provider_ips.hooks')\n"
        "print(sorted(m for m in added if m.split('.')[0] in heavy or m.startswith(heavy)))\n"
        "print('zeep' in sys.modules, 'lxml' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-2:] == ["[]", "False False"], out.stdout + out.stderr
