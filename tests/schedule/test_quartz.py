"""Tests for airflow_provider_ips.schedule (Quartz / cron schedules, no Airflow).

Expected values are worked out by hand from the calendar (e.g. 2025-02-15 is a Saturday,
the EU switched to summer time on 2025-03-30 at 01:00 UTC), not produced by the code under
test. Two cross-checks add breadth: croniter for plain expressions in UTC, and a brute-force
reference (every candidate wall time of a few days, mapped with ``fold=0``) around DST
transitions in zones with unusual rules.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from airflow_provider_ips.schedule import (
    MAX_YEAR,
    InvalidScheduleError,
    QuartzSchedule,
    normalise_exec_schedule,
)

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


def fires(expression: str, start: datetime, count: int, tz: str = "UTC") -> list[datetime]:
    return QuartzSchedule.parse(expression, tz).fire_times(start, count)


def cron_fires(expression: str, start: datetime, count: int) -> list[datetime]:
    return QuartzSchedule.parse_cron(expression).fire_times(start, count)


def in_utc(times: list[datetime]) -> list[datetime]:
    """Compare instants: Python never finds an ambiguous (fold) wall time equal to an
    instant in another zone, and subtracts same-zone datetimes as wall times."""
    return [t.astimezone(UTC) for t in times]


# ---------------------------------------------------------------------------------------
# Known answers (UTC)
# ---------------------------------------------------------------------------------------


def test_daily_at_two() -> None:
    assert fires("0 0 2 * * ?", utc(2025, 1, 1), 3) == [
        utc(2025, 1, 1, 2),
        utc(2025, 1, 2, 2),
        utc(2025, 1, 3, 2),
    ]


def test_ips_style_zero_padded_fields() -> None:
    assert fires("00 00 02 * * ?", utc(2025, 1, 1, 2), 1) == [utc(2025, 1, 2, 2)]


def test_next_after_is_strictly_after() -> None:
    schedule = QuartzSchedule.parse("0 0 2 * * ?")
    assert schedule.next_after(utc(2025, 1, 1, 2)) == utc(2025, 1, 2, 2)
    assert schedule.next_after(utc(2025, 1, 1, 1, 59, 59, 999999)) == utc(2025, 1, 1, 2)
    assert schedule.next_after(utc(2025, 1, 1, 2, 0, 0, 1)) == utc(2025, 1, 2, 2)


def test_weekdays_by_name() -> None:
    # 2025-01-03 is a Friday; the next weekday is Monday 2025-01-06.
    assert fires("0 15 10 ? * MON-FRI", utc(2025, 1, 3, 10, 15), 3) == [
        utc(2025, 1, 6, 10, 15),
        utc(2025, 1, 7, 10, 15),
        utc(2025, 1, 8, 10, 15),
    ]
    # Quartz numbering: 2-6 = MON-FRI.
    assert QuartzSchedule.parse("0 15 10 ? * 2-6") == QuartzSchedule.parse("0 15 10 ? * mon-fri")


def test_quartz_day_of_week_numbering() -> None:
    # 1 = Sunday, 7 = Saturday; 2025-01-05 is a Sunday, 2025-01-04 a Saturday.
    assert fires("0 0 12 ? * 1", utc(2025, 1, 1), 1) == [utc(2025, 1, 5, 12)]
    assert fires("0 0 12 ? * 7", utc(2025, 1, 1), 1) == [utc(2025, 1, 4, 12)]
    assert fires("0 0 12 ? * L", utc(2025, 1, 1), 1) == [utc(2025, 1, 4, 12)]  # L alone = SAT
    # Wrapping range FRI-MON (Quartz): Fri 3, Sat 4, Sun 5, Mon 6, then Fri 10.
    assert [d.day for d in fires("0 0 12 ? * FRI-MON", utc(2025, 1, 3), 5)] == [3, 4, 5, 6, 10]


def test_every_five_minutes_in_one_hour() -> None:
    times = fires("0 0/5 14 * * ?", utc(2025, 1, 3, 13), 13)
    assert times[:12] == [utc(2025, 1, 3, 14, m) for m in range(0, 60, 5)]
    assert times[12] == utc(2025, 1, 4, 14, 0)


def test_seconds_steps_and_lists() -> None:
    assert fires("*/20 0 0 * * ?", utc(2025, 1, 1), 4) == [
        utc(2025, 1, 1, 0, 0, 20),
        utc(2025, 1, 1, 0, 0, 40),
        utc(2025, 1, 2, 0, 0, 0),
        utc(2025, 1, 2, 0, 0, 20),
    ]
    assert fires("5,10 59 23 31 12 ?", utc(2025, 1, 1), 3) == [
        utc(2025, 12, 31, 23, 59, 5),
        utc(2025, 12, 31, 23, 59, 10),
        utc(2026, 12, 31, 23, 59, 5),
    ]
    assert [t.hour for t in fires("0 0 22-2 * * ?", utc(2025, 1, 1, 12), 5)] == [22, 23, 0, 1, 2]


def test_last_day_of_month() -> None:
    assert fires("0 15 10 L * ?", utc(2024, 1, 1), 4) == [
        utc(2024, 1, 31, 10, 15),
        utc(2024, 2, 29, 10, 15),  # leap year
        utc(2024, 3, 31, 10, 15),
        utc(2024, 4, 30, 10, 15),
    ]


def test_last_day_minus_offset() -> None:
    assert fires("0 15 10 L-2 * ?", utc(2025, 1, 1), 4) == [
        utc(2025, 1, 29, 10, 15),
        utc(2025, 2, 26, 10, 15),
        utc(2025, 3, 29, 10, 15),
        utc(2025, 4, 28, 10, 15),
    ]


def test_last_weekday_of_month() -> None:
    times = fires("0 15 10 LW * ?", utc(2025, 1, 1), 8)
    assert [t.date() for t in times] == [
        date(2025, 1, 31),  # Friday
        date(2025, 2, 28),  # Friday
        date(2025, 3, 31),  # Monday
        date(2025, 4, 30),  # Wednesday
        date(2025, 5, 30),  # 31st is a Saturday -> Friday 30th
        date(2025, 6, 30),  # Monday
        date(2025, 7, 31),  # Thursday
        date(2025, 8, 29),  # 31st is a Sunday -> Friday 29th
    ]


def test_nearest_weekday() -> None:
    times = fires("0 15 10 15W * ?", utc(2025, 1, 1), 6)
    assert [t.date() for t in times] == [
        date(2025, 1, 15),  # Wednesday
        date(2025, 2, 14),  # 15th is a Saturday -> Friday 14th
        date(2025, 3, 14),  # 15th is a Saturday -> Friday 14th
        date(2025, 4, 15),  # Tuesday
        date(2025, 5, 15),  # Thursday
        date(2025, 6, 16),  # 15th is a Sunday -> Monday 16th
    ]
    assert times[0] == utc(2025, 1, 15, 10, 15)


def test_nearest_weekday_does_not_cross_month_boundaries() -> None:
    # 2025-02-01 and 2025-03-01 are Saturdays: Friday would be in the previous month.
    times = fires("0 0 9 1W * ?", utc(2025, 1, 15), 3)
    assert [t.date() for t in times] == [date(2025, 2, 3), date(2025, 3, 3), date(2025, 4, 1)]
    # 2025-08-31 is a Sunday: Monday would be in September, so Friday 29th.
    assert fires("0 0 9 31W * ?", utc(2025, 8, 1), 1) == [utc(2025, 8, 29, 9)]


def test_last_friday_of_month() -> None:
    times = fires("0 15 10 ? * 6L", utc(2025, 1, 1), 4)
    assert [t.date() for t in times] == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 28),
        date(2025, 4, 25),
    ]
    assert fires("0 15 10 ? * FRIL", utc(2025, 1, 1), 4) == times


def test_nth_weekday_of_month() -> None:
    times = fires("0 15 10 ? * 6#3", utc(2025, 1, 1), 4)
    assert times == [
        utc(2025, 1, 17, 10, 15),
        utc(2025, 2, 21, 10, 15),
        utc(2025, 3, 21, 10, 15),
        utc(2025, 4, 18, 10, 15),
    ]
    # Fifth Monday: January and February 2025 have only four.
    assert fires("0 0 8 ? * MON#5", utc(2025, 1, 1), 1) == [utc(2025, 3, 31, 8)]


def test_mixed_day_of_month_list() -> None:
    times = fires("0 0 0 1,15,L * ?", utc(2025, 2, 1, 12), 4)
    assert [t.date() for t in times] == [
        date(2025, 2, 15),
        date(2025, 2, 28),
        date(2025, 3, 1),
        date(2025, 3, 15),
    ]


def test_year_field() -> None:
    schedule = QuartzSchedule.parse("0 0 12 1 1 ? 2027-2029")
    assert schedule.fire_times(utc(2025, 6, 1), 5) == [
        utc(2027, 1, 1, 12),
        utc(2028, 1, 1, 12),
        utc(2029, 1, 1, 12),
    ]
    assert schedule.next_after(utc(2029, 1, 1, 12)) is None
    assert fires("0 0 12 1 1 ? 2030/5", utc(2025, 1, 1), 2) == [
        utc(2030, 1, 1, 12),
        utc(2035, 1, 1, 12),
    ]


def test_past_year_never_fires() -> None:
    schedule = QuartzSchedule.parse("0 0 12 1 1 ? 2020")
    assert schedule.next_after(utc(2025, 1, 1)) is None
    assert schedule.fire_times(utc(2025, 1, 1), 3) == []
    assert list(schedule.iter_fire_times(utc(2025, 1, 1))) == []


def test_never_existing_day_returns_none() -> None:
    assert QuartzSchedule.parse("0 0 0 30 2 ?").next_after(utc(2025, 1, 1)) is None


def test_leap_day() -> None:
    schedule = QuartzSchedule.parse("0 0 0 29 2 ?")
    assert schedule.fire_times(utc(2025, 1, 1), 2) == [utc(2028, 2, 29), utc(2032, 2, 29)]
    # 2100 is not a leap year.
    assert schedule.next_after(utc(2096, 2, 29)) == utc(2104, 2, 29)


def test_iter_fire_times_with_end() -> None:
    schedule = QuartzSchedule.parse("0 0 6 * * ?")
    assert list(schedule.iter_fire_times(utc(2025, 1, 1), end=utc(2025, 1, 3, 6))) == [
        utc(2025, 1, 1, 6),
        utc(2025, 1, 2, 6),
        utc(2025, 1, 3, 6),
    ]


def test_naive_datetime_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        QuartzSchedule.parse("0 0 2 * * ?").next_after(datetime(2025, 1, 1))


# ---------------------------------------------------------------------------------------
# 5-field cron, read on purpose (parse_cron)
# ---------------------------------------------------------------------------------------


def test_five_field_cron() -> None:
    schedule = QuartzSchedule.parse_cron("30 2 * * 1-5")
    assert schedule.is_cron
    # 2025-01-03 is a Friday.
    assert schedule.fire_times(utc(2025, 1, 3), 2) == [
        utc(2025, 1, 3, 2, 30),
        utc(2025, 1, 6, 2, 30),
    ]
    assert schedule.to_quartz() == "0 30 2 ? * 2-6"
    assert schedule == QuartzSchedule.parse("0 30 2 ? * MON-FRI")


def test_five_field_sunday_is_zero_or_seven() -> None:
    # 2025-01-05 is a Sunday.
    for dow in ("0", "7", "SUN"):
        assert cron_fires(f"0 12 * * {dow}", utc(2025, 1, 1), 1) == [utc(2025, 1, 5, 12)]
    assert QuartzSchedule.parse_cron("0 12 * * 0").to_quartz() == "0 0 12 ? * 1"
    assert QuartzSchedule.parse_cron("0 12 * * 5-7").to_quartz() == "0 0 12 ? * 1,6-7"


def test_five_field_or_semantics() -> None:
    # Day 1 OR Monday: 2025-06-01 is a Sunday, Mondays are 2, 9, 16, 23, 30; July 1 a Tuesday.
    schedule = QuartzSchedule.parse_cron("0 0 1 * 1")
    days = [t.date() for t in schedule.fire_times(utc(2025, 5, 31), 7)]
    assert days == [
        date(2025, 6, 1),
        date(2025, 6, 2),
        date(2025, 6, 9),
        date(2025, 6, 16),
        date(2025, 6, 23),
        date(2025, 6, 30),
        date(2025, 7, 1),
    ]
    with pytest.raises(InvalidScheduleError, match="cannot express"):
        schedule.to_quartz()


def test_five_field_star_prefix_means_and() -> None:
    # Vixie cron: a day field starting with '*' disables the OR rule -> odd days AND Monday.
    days = [t.date() for t in cron_fires("0 0 */2 * 1", utc(2025, 6, 1), 2)]
    assert days == [date(2025, 6, 9), date(2025, 6, 23)]


def test_macros() -> None:
    assert QuartzSchedule.parse("@daily") == QuartzSchedule.parse("0 0 0 * * ?")
    assert QuartzSchedule.parse("@hourly").to_quartz() == "0 0 * * * ?"
    assert QuartzSchedule.parse("@weekly").to_quartz() == "0 0 0 ? * 1"


# ---------------------------------------------------------------------------------------
# execSchedule: Quartz on the wire; the 5-field rule
# ---------------------------------------------------------------------------------------


def test_adobes_example_is_daily_at_midnight() -> None:
    # getScheduledJobs example: seconds first, the day-of-week field missing (and a
    # trailing space). As cron its day-of-month would be 00, so only Quartz fits.
    quartz, note = normalise_exec_schedule("00 00 00 * * ")
    assert quartz == "0 0 0 * * ?"
    assert note is not None and "Quartz without its day-of-week" in note
    schedule = QuartzSchedule.parse("00 00 00 * * ", "America/Los_Angeles")
    assert schedule.reading == "quartz-without-day-of-week" and not schedule.is_cron
    assert schedule.describe() == "At 00:00 (America/Los_Angeles)"
    la = ZoneInfo("America/Los_Angeles")
    assert schedule.fire_times(datetime(2007, 10, 12, 12, tzinfo=la), 2) == [
        datetime(2007, 10, 13, tzinfo=la),
        datetime(2007, 10, 14, tzinfo=la),
    ]


@pytest.mark.parametrize(
    "text, quartz",
    [
        ("0 0 2 * * ?", "0 0 2 * * ?"),
        ("00 00 02 * * ?", "0 0 2 * * ?"),
        ("0 0 2 * * *", "0 0 2 * * ?"),  # Quartz wants '?' in one day field
        ("0 15 10 ? * mon-fri", "0 15 10 ? * MON-FRI"),
        ("0 0 12 1 1 ? 2027", "0 0 12 1 1 ? 2027"),
    ],
)
def test_quartz_is_normalised_without_a_note(text: str, quartz: str) -> None:
    assert normalise_exec_schedule(text) == (quartz, None)


@pytest.mark.parametrize(
    "text, quartz, reading",
    [
        ("0 2 * * MON-FRI", "0 0 2 ? * 2-6", "cron"),  # month MON-FRI: not Quartz
        ("0 2 * * 0", "0 0 2 ? * 1", "cron"),  # Quartz has no month 0
        ("15 10 * JAN *", "0 15 10 * JAN ?", "cron"),  # Quartz has no day-of-month JAN
        ("0 0 0 L *", "0 0 0 L * ?", "quartz-without-day-of-week"),  # cron has no L
        ("0 30 2 1 1", "0 30 2 1 1 ?", "quartz-without-day-of-week"),  # cron hour 30
        ("@daily", "0 0 0 * * ?", "cron"),
    ],
)
def test_five_fields_use_the_only_valid_reading(text: str, quartz: str, reading: str) -> None:
    got, note = normalise_exec_schedule(text)
    assert got == quartz
    assert QuartzSchedule.parse(text).reading == reading
    assert note is not None and repr(quartz) in note and repr(text) in note


@pytest.mark.parametrize(
    "text, cron_quartz, quartz",
    [
        ("30 2 * * *", "0 30 2 * * ?", "30 2 * * * ?"),
        ("30 2 * * 1-5", "0 30 2 ? * 2-6", "30 2 * * 1-5 ?"),
        ("0 0 * * *", "0 0 0 * * ?", "0 0 * * * ?"),
    ],
)
def test_five_fields_valid_both_ways_are_refused(text: str, cron_quartz: str, quartz: str) -> None:
    with pytest.raises(InvalidScheduleError, match="ambiguous") as info:
        normalise_exec_schedule(text)
    message = str(info.value)
    assert f"for that write {cron_quartz!r}" in message
    assert f"for that write {quartz!r}" in message
    assert "Read as cron (minute hour day-of-month month day-of-week)" in message
    assert "Read as Quartz without day-of-week (seconds minutes hours" in message
    with pytest.raises(InvalidScheduleError, match="ambiguous"):
        QuartzSchedule.parse(text, "Europe/Berlin")


def test_ambiguity_message_shows_both_fire_times() -> None:
    with pytest.raises(InvalidScheduleError) as info:
        QuartzSchedule.parse("30 2 * * *")
    message = str(info.value)
    assert "it fires at 02:30;" in message
    assert "it fires at 30 seconds past the minute, at 2 minutes past the hour;" in message


def test_cron_that_quartz_cannot_express_is_refused() -> None:
    # cron OR semantics (day 1 or Mondays); the Quartz reading is valid too
    with pytest.raises(InvalidScheduleError, match="no single Quartz expression"):
        normalise_exec_schedule("0 0 1 * 1")
    # only the cron reading is valid (day-of-month 15 and Friday), and it has no Quartz form
    with pytest.raises(InvalidScheduleError, match="cannot express"):
        normalise_exec_schedule("0 10 15 * FRI")


def test_five_fields_invalid_both_ways_show_both_errors() -> None:
    with pytest.raises(InvalidScheduleError) as info:
        normalise_exec_schedule("0 2 L * *")
    message = str(info.value)
    assert info.value.field == "day-of-month"
    assert "(read as cron)" in message
    assert "read as Quartz without day-of-week: hours field" in message


def test_read_takes_server_values_in_either_form() -> None:
    # a server speaks Quartz: 5 fields are its form without day-of-week first
    assert QuartzSchedule.read("00 00 00 * * ").to_quartz() == "0 0 0 * * ?"
    assert QuartzSchedule.read("30 2 * * *").to_quartz() == "30 2 * * * ?"  # no refusal
    assert QuartzSchedule.read("0 2 * * MON-FRI").to_quartz() == "0 0 2 ? * 2-6"
    assert QuartzSchedule.read("0 0 1 * MON").is_cron  # OR semantics, still readable
    assert QuartzSchedule.read("0 0 2 ? * 6").to_quartz() == "0 0 2 ? * 6"
    with pytest.raises(InvalidScheduleError):
        QuartzSchedule.read("not a schedule")


def test_normalised_form_parses_to_the_same_schedule() -> None:
    for text in ("00 00 00 * *", "0 2 * * MON-FRI", "@weekly", "0 0 2 L-3W * ? 2030"):
        quartz, _ = normalise_exec_schedule(text)
        assert QuartzSchedule.parse(quartz) == QuartzSchedule.parse(text)
        assert normalise_exec_schedule(quartz) == (quartz, None)


# ---------------------------------------------------------------------------------------
# Time zones and DST
# ---------------------------------------------------------------------------------------


def test_time_zone_berlin_vs_utc() -> None:
    berlin = QuartzSchedule.parse("0 0 2 * * ?", "Europe/Berlin")
    winter = berlin.next_after(utc(2025, 1, 1))
    assert winter == utc(2025, 1, 1, 1)  # 02:00 CET
    assert winter is not None and winter.tzinfo == BERLIN
    assert (winter.hour, winter.utcoffset()) == (2, timedelta(hours=1))
    assert berlin.next_after(utc(2025, 6, 30, 12)) == utc(2025, 7, 1, 0)  # 02:00 CEST
    assert QuartzSchedule.parse("0 0 2 * * ?").next_after(utc(2025, 7, 1)) == utc(2025, 7, 1, 2)
    # The input's own time zone does not matter, only the instant.
    assert berlin.next_after(datetime(2025, 6, 30, 20, 0, tzinfo=NEW_YORK)) == utc(2025, 7, 2, 0)
    assert berlin.timezone_name == "Europe/Berlin"
    assert berlin != QuartzSchedule.parse("0 0 2 * * ?")


def test_berlin_spring_forward_shifts_into_summer_time() -> None:
    # 2025-03-30: 02:00 CET -> 03:00 CEST; 02:30 does not exist and fires at 03:30 CEST.
    schedule = QuartzSchedule.parse("0 30 2 * * ?", BERLIN)
    times = schedule.fire_times(utc(2025, 3, 28, 12), 4)
    assert times == [
        utc(2025, 3, 29, 1, 30),  # 02:30 CET
        utc(2025, 3, 30, 1, 30),  # "02:30" -> 03:30 CEST
        utc(2025, 3, 31, 0, 30),  # 02:30 CEST
        utc(2025, 4, 1, 0, 30),
    ]
    assert [(t.hour, t.minute) for t in times] == [(2, 30), (3, 30), (2, 30), (2, 30)]
    # The shifted fire time is part of the schedule, from wherever one asks.
    assert schedule.next_after(datetime(2025, 3, 30, 3, 0, tzinfo=BERLIN)) == times[1]


def test_spring_forward_fires_a_doubled_instant_once() -> None:
    # "02:30" (shifted) and 03:30 are the same instant on 2025-03-30 in Berlin.
    times = fires("0 30 2,3 * * ?", utc(2025, 3, 29, 12), 3, "Europe/Berlin")
    assert times == [utc(2025, 3, 30, 1, 30), utc(2025, 3, 31, 0, 30), utc(2025, 3, 31, 1, 30)]


def test_spring_forward_every_fifteen_minutes() -> None:
    times = fires("0 */15 * * * ?", utc(2025, 3, 30, 0, 30), 6, "Europe/Berlin")
    # 01:45 CET, then the gap's 02:00-02:45 become 03:00-03:45 CEST (each once), then 04:00.
    assert times == [
        utc(2025, 3, 30, 0, 45),
        utc(2025, 3, 30, 1, 0),
        utc(2025, 3, 30, 1, 15),
        utc(2025, 3, 30, 1, 30),
        utc(2025, 3, 30, 1, 45),
        utc(2025, 3, 30, 2, 0),
    ]


def test_berlin_fall_back_fires_once_at_first_occurrence() -> None:
    # 2025-10-26: 03:00 CEST -> 02:00 CET; 02:30 occurs at 00:30 and 01:30 UTC.
    schedule = QuartzSchedule.parse("0 30 2 * * ?", "Europe/Berlin")
    times = schedule.fire_times(utc(2025, 10, 25, 12), 2)
    assert in_utc(times) == [utc(2025, 10, 26, 0, 30), utc(2025, 10, 27, 1, 30)]
    assert times[0].utcoffset() == timedelta(hours=2)
    # Asked during the repeated hour (02:10 CET, second pass): the next is tomorrow.
    assert schedule.next_after(utc(2025, 10, 26, 1, 10)) == utc(2025, 10, 27, 1, 30)


def test_berlin_fall_back_hourly_skips_the_repeated_hour() -> None:
    schedule = QuartzSchedule.parse("0 30 * * * ?", "Europe/Berlin")
    # From 01:00 CEST: 01:30 CEST, 02:30 CEST, (02:30 CET skipped), 03:30 CET.
    assert in_utc(schedule.fire_times(utc(2025, 10, 25, 23, 0), 3)) == [
        utc(2025, 10, 25, 23, 30),
        utc(2025, 10, 26, 0, 30),
        utc(2025, 10, 26, 2, 30),
    ]
    # From 02:10 CET (inside the repeated hour) the next is 03:30 CET.
    assert schedule.next_after(utc(2025, 10, 26, 1, 10)) == utc(2025, 10, 26, 2, 30)


def test_new_york_spring_forward() -> None:
    # 2025-03-09: 02:00 EST -> 03:00 EDT; "02:30" fires at 03:30 EDT = 07:30 UTC.
    times = fires("0 30 2 * * ?", utc(2025, 3, 8, 12), 2, "America/New_York")
    assert times == [utc(2025, 3, 9, 7, 30), utc(2025, 3, 10, 6, 30)]
    assert (times[0].hour, times[0].minute, times[0].utcoffset()) == (3, 30, timedelta(hours=-4))


def test_new_york_fall_back() -> None:
    # 2025-11-02: 02:00 EDT -> 01:00 EST; 01:30 occurs at 05:30 and 06:30 UTC.
    times = fires("0 30 1 * * ?", utc(2025, 11, 1, 12), 2, "America/New_York")
    assert in_utc(times) == [utc(2025, 11, 2, 5, 30), utc(2025, 11, 3, 6, 30)]
    assert times[0].utcoffset() == timedelta(hours=-4)


def test_timezone_objects_and_names() -> None:
    assert QuartzSchedule.parse("0 0 2 * * ?", BERLIN) == QuartzSchedule.parse(
        "0 0 2 * * ?", "Europe/Berlin"
    )
    fixed = QuartzSchedule.parse("0 0 2 * * ?", timezone(timedelta(hours=5, minutes=30)))
    assert fixed.next_after(utc(2025, 1, 1)) == utc(2025, 1, 1, 20, 30)
    assert QuartzSchedule.parse("0 0 2 * * ?", UTC).timezone_name == "UTC"
    with pytest.raises(InvalidScheduleError, match="timezone field: unknown time zone"):
        QuartzSchedule.parse("0 0 2 * * ?", "Mars/Olympus_Mons")


def _transitions(tz: ZoneInfo, years: range) -> list[datetime]:
    """UTC instants (to the hour) just after each offset change in ``years``."""
    found = []
    instant = datetime(years.start, 1, 1, tzinfo=UTC)
    end = datetime(years.stop, 1, 1, tzinfo=UTC)
    previous = instant.astimezone(tz).utcoffset()
    while instant < end:
        instant += timedelta(hours=1)
        offset = instant.astimezone(tz).utcoffset()
        if offset != previous:
            found.append(instant)
        previous = offset
    return found


def _reference_next(times: list[tuple[int, int, int]], tz: tzinfo, dt: datetime) -> datetime:
    """Brute force: every wall time of a few days around dt, read with fold=0."""
    base = dt.astimezone(tz).date()
    candidates = []
    for shift in range(-2, 4):
        day = base + timedelta(days=shift)
        for hour, minute, second in times:
            wall = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)
            if wall.timestamp() > dt.timestamp():
                candidates.append(wall.timestamp())
    return datetime.fromtimestamp(min(candidates), UTC)


@pytest.mark.parametrize(
    "zone, years",
    [
        ("Europe/Berlin", range(2024, 2026)),
        ("America/New_York", range(2025, 2026)),
        ("Australia/Lord_Howe", range(2025, 2026)),  # 30-minute DST shift
        ("America/Santiago", range(2024, 2025)),  # changes at midnight
        ("America/Havana", range(2024, 2025)),  # changes at midnight / 01:00
        ("Pacific/Apia", range(2011, 2012)),  # skipped 2011-12-30 entirely
    ],
)
def test_dst_against_brute_force_reference(zone: str, years: range) -> None:
    tz = ZoneInfo(zone)
    expressions = {
        "0 30 2 * * ?": [(2, 30, 0)],
        "0 0 0 * * ?": [(0, 0, 0)],
        "0 */20 0-3 * * ?": [(h, m, 0) for h in range(4) for m in (0, 20, 40)],
        "15 45 23,0,1 * * ?": [(h, 45, 15) for h in (0, 1, 23)],
        "0 10,50 1,2,12 * * ?": [(h, m, 0) for h in (1, 2, 12) for m in (10, 50)],
    }
    transitions = _transitions(tz, years)
    assert transitions
    for expression, times in expressions.items():
        schedule = QuartzSchedule.parse(expression, tz)
        for transition in transitions:
            start = transition - timedelta(hours=30)
            while start < transition + timedelta(hours=30):
                got = schedule.next_after(start)
                assert got is not None
                expected = _reference_next(times, tz, start)
                assert got.astimezone(UTC) == expected, (expression, start)
                assert got.tzinfo is tz or got.tzinfo == tz
                start += timedelta(minutes=7)


class OneTransitionZone(tzinfo):
    """A zone with a single offset change (PEP 495 fold rules), for edge cases no real
    zone has: a DST gap that spans midnight and is not a whole hour long."""

    def __init__(self, at_utc: datetime, before: timedelta, after: timedelta) -> None:
        self.at, self.before, self.after = at_utc, before, after

    def utcoffset(self, dt: datetime | None) -> timedelta:
        assert dt is not None
        wall = dt.replace(tzinfo=None)
        low, high = sorted((self.at + self.before, self.at + self.after))
        if wall < low:
            return self.before
        if wall >= high:
            return self.after
        return self.before if dt.fold == 0 else self.after  # in the gap or the overlap

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str:
        return "ONE"

    def fromutc(self, dt: datetime) -> datetime:
        instant = dt.replace(tzinfo=None)
        if instant < self.at:
            return (instant + self.before).replace(tzinfo=self)
        wall = instant + self.after
        fold = int(self.after < self.before and wall < self.at + self.before)
        return wall.replace(tzinfo=self, fold=fold)


def test_gap_spanning_midnight_is_ordered_by_instant() -> None:
    # 2025-05-10 23:45 (+01:00) jumps to 2025-05-11 00:15 (+01:30): a 30-minute gap
    # spanning midnight. Wall 23:55 on the 10th fires shifted, at 00:25 on the 11th,
    # i.e. after the real 00:20 of the 11th.
    zone = OneTransitionZone(
        datetime(2025, 5, 10, 22, 45), timedelta(hours=1), timedelta(hours=1, minutes=30)
    )
    schedule = QuartzSchedule.parse("0 20,55 0,23 * * ?", zone)
    times = [
        (t.astimezone(UTC), t.hour, t.minute)
        for t in schedule.fire_times(utc(2025, 5, 10, 22, 0), 4)
    ]
    assert times == [
        (utc(2025, 5, 10, 22, 20), 23, 20),
        (utc(2025, 5, 10, 22, 50), 0, 20),
        (utc(2025, 5, 10, 22, 55), 0, 25),  # the shifted 23:55
        (utc(2025, 5, 10, 23, 25), 0, 55),
    ]
    # Asked after 00:20 on the 11th, the shifted 23:55 of the 10th is still to come.
    assert schedule.next_after(utc(2025, 5, 10, 22, 51)) == utc(2025, 5, 10, 22, 55)


@pytest.mark.parametrize(
    "before, after",
    [
        (timedelta(hours=1), timedelta(hours=1, minutes=30)),  # gap 23:45-00:15
        (timedelta(hours=1), timedelta(hours=3)),  # gap 23:45-01:45
        (timedelta(hours=1), timedelta(minutes=20)),  # overlap 23:05-23:45
        (timedelta(hours=1), timedelta(hours=-1)),  # overlap 21:45-23:45
    ],
)
def test_synthetic_transitions_against_brute_force(before: timedelta, after: timedelta) -> None:
    zone = OneTransitionZone(datetime(2025, 5, 10, 22, 45), before, after)
    expressions = {
        "0 20,55 0,23 * * ?": [(h, m, 0) for h in (0, 23) for m in (20, 55)],
        "0 */10 22,23,0,1 * * ?": [(h, m, 0) for h in (22, 23, 0, 1) for m in range(0, 60, 10)],
        "30 50 23 * * ?": [(23, 50, 30)],
    }
    for expression, times in expressions.items():
        schedule = QuartzSchedule.parse(expression, zone)
        start = utc(2025, 5, 9, 20)
        while start < utc(2025, 5, 11, 4):
            got = schedule.next_after(start)
            assert got is not None
            assert got.astimezone(UTC) == _reference_next(times, zone, start), (expression, start)
            start += timedelta(minutes=3)


# ---------------------------------------------------------------------------------------
# Cross-check with croniter (UTC, where its semantics agree)
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cron",
    [
        "*/7 * * * *",
        "30 2 * * 1-5",
        "0 0 1 * 1",  # OR semantics
        "15 10 13 * 5",
        "0 12 29 2 *",
        "5,35 */6 1-10 JAN-MAR,AUG *",
        "0 9-17/2 * * SAT,SUN",
    ],
)
def test_five_field_matches_croniter(cron: str) -> None:
    croniter = pytest.importorskip("croniter").croniter
    start = datetime(2024, 12, 30, 23, 59)
    expected_iter = croniter(cron, start)
    expected = [expected_iter.get_next(datetime).replace(tzinfo=UTC) for _ in range(60)]
    expected = [t for t in expected if t.year <= MAX_YEAR]  # croniter goes beyond 2199
    assert cron_fires(cron, start.replace(tzinfo=UTC), 60) == expected


@pytest.mark.parametrize(
    "quartz, croniter_form",
    [
        ("*/13 */29 3 * * ?", "*/13 */29 3 * * *"),
        ("10 0/15 8-9 ? * 2-6", "10 0/15 8-9 * * 1-5"),
        ("0 0 12 1,15 * ?", "0 0 12 1,15 * *"),
        ("0 0 0 L * ?", "0 0 0 L * *"),
        ("0 30 6 ? * 6#3", "0 30 6 * * 5#3"),
        ("0 0 12 1 1 ? 2027-2029", "0 0 12 1 1 * 2027-2029"),
    ],
)
def test_quartz_matches_croniter(quartz: str, croniter_form: str) -> None:
    croniter = pytest.importorskip("croniter").croniter
    start = datetime(2025, 1, 1)
    count = 3 if "2027" in quartz else 40
    expected_iter = croniter(croniter_form, start, second_at_beginning=True)
    expected = [expected_iter.get_next(datetime).replace(tzinfo=UTC) for _ in range(count)]
    assert fires(quartz, start.replace(tzinfo=UTC), count) == expected


# ---------------------------------------------------------------------------------------
# Normalisation, equality, description
# ---------------------------------------------------------------------------------------


def test_expression_str_and_to_quartz() -> None:
    schedule = QuartzSchedule.parse("  00 00  02 * * ?  ", "Europe/Berlin")
    assert schedule.expression == "00 00 02 * * ?"
    assert str(schedule) == "00 00 02 * * ?"
    assert schedule.to_quartz() == "0 0 2 * * ?"
    assert QuartzSchedule.parse("0 0 2 ? * *").to_quartz() == "0 0 2 * * ?"
    assert QuartzSchedule.parse("0 15 10 ? * mon-fri").to_quartz() == "0 15 10 ? * MON-FRI"
    assert QuartzSchedule.parse("0 0 12 1 1 ? *").to_quartz() == "0 0 12 1 1 ?"
    assert QuartzSchedule.parse("0 0 12 1 1 ? 2027-2029").to_quartz() == "0 0 12 1 1 ? 2027-2029"
    assert QuartzSchedule.parse("0 15 10 15w * ?").to_quartz() == "0 15 10 15W * ?"
    assert QuartzSchedule.parse_cron("30 2 1,15 * *").to_quartz() == "0 30 2 1,15 * ?"
    assert "Europe/Berlin" in repr(schedule)


def test_equality_and_hash() -> None:
    a = QuartzSchedule.parse("0 0 2 * * ?")
    b = QuartzSchedule.parse("00 00 02 ? * *")
    c = QuartzSchedule.parse_cron("0 2 * * *")
    assert a == b == c
    assert len({a, b, c}) == 1
    assert a != QuartzSchedule.parse("0 0 3 * * ?")
    assert a != "0 0 2 * * ?"


@pytest.mark.parametrize(
    "expression, timezone_name, text",
    [
        ("0 0 2 * * ?", "Europe/Berlin", "At 02:00 (Europe/Berlin)"),
        ("0 15 10 ? * 6L", "UTC", "At 10:15, on the last Friday of the month (UTC)"),
        ("0 15 10 ? * 6#3", "UTC", "At 10:15, on the third Friday of the month (UTC)"),
        ("0 15 10 ? * MON-FRI", "UTC", "At 10:15, Monday through Friday (UTC)"),
        ("0 15 10 L * ?", "UTC", "At 10:15, on the last day of the month (UTC)"),
        ("0 15 10 L-0 * ?", "UTC", "At 10:15, on the last day of the month (UTC)"),
        ("0 15 10 L-3 * ?", "UTC", "At 10:15, 3 days before the last day of the month (UTC)"),
        ("0 15 10 LW * ?", "UTC", "At 10:15, on the last weekday of the month (UTC)"),
        ("0 15 10 15W * ?", "UTC", "At 10:15, on the weekday nearest day 15 of the month (UTC)"),
        ("0 0/5 14 * * ?", "UTC", "Every 5 minutes, between 14:00 and 14:59 (UTC)"),
        (
            "0 0 12 1 1 ? 2027-2029",
            "UTC",
            "At 12:00, on day 1 of the month, only in January, 2027 through 2029 (UTC)",
        ),
        ("0 0 2 * * ? 2030/2", "UTC", "At 02:00, every 2 years, 2030 through 2199 (UTC)"),
        ("00 00 00 * *", "Europe/Berlin", "At 00:00 (Europe/Berlin)"),
        ("15 0 0 * * ?", "UTC", "At 00:00:15 (UTC)"),
        ("0 5 * * * ?", "UTC", "At 5 minutes past the hour (UTC)"),
        # Quartz numbers the days of the week from 1 = Sunday; 'L' alone is Saturday
        ("0 30 2 ? * 2-6", "UTC", "At 02:30, Monday through Friday (UTC)"),
        ("0 0 2 ? * 1,7", "UTC", "At 02:00, only on Sunday and Saturday (UTC)"),
        ("0 0 2 ? * 1#1", "UTC", "At 02:00, on the first Sunday of the month (UTC)"),
        ("0 0 2 ? * L", "UTC", "At 02:00, only on Saturday (UTC)"),
        # 5-field cron numbers them from 0 = Sunday; it is described in its Quartz form, or
        # as cron where it has none (either day matches)
        ("30 2 * * 0", "UTC", "At 02:30, only on Sunday (UTC)"),
        ("@weekly", "UTC", "At 00:00, only on Sunday (UTC)"),
        ("0 0 1 * 0", "UTC", "At 00:00, on day 1 of the month, or on Sunday (UTC)"),
        # what cron_descriptor would misread is shown as the expression
        ("0 0 2 L-3W * ?", "UTC", "0 0 2 L-3W * ? (UTC)"),
        ("0 0 2 1W,L * ?", "UTC", "0 0 2 1W,L * ? (UTC)"),
    ],
)
def test_describe(expression: str, timezone_name: str, text: str) -> None:
    if expression == "0 0 1 * 0":  # cron on purpose: the 5-field rule finds it ambiguous
        schedule = QuartzSchedule.parse_cron(expression, timezone_name)
    else:
        schedule = QuartzSchedule.parse(expression, timezone_name)
    assert schedule.describe() == text


# ---------------------------------------------------------------------------------------
# Rejections
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression, field, fragment",
    [
        ("", None, "got 0"),
        ("0 0 2 * * ? 2027 1", None, "got 8"),
        ("0 0", None, "got 2"),
        ("60 0 2 * * ?", "seconds", "'60' is out of range 0-59"),
        ("0 60 2 * * ?", "minutes", "'60' is out of range 0-59"),
        ("0 0 24 * * ?", "hours", "'24' is out of range 0-23"),
        ("0 0 2 32 * ?", "day-of-month", "'32' is out of range 1-31"),
        ("0 0 2 0 * ?", "day-of-month", "'0' is out of range 1-31"),
        ("0 0 2 * 13 ?", "month", "'13' is out of range 1-12"),
        ("0 0 2 ? * 9", "day-of-week", "'9' is out of range 1-7"),
        ("0 0 2 ? * 0", "day-of-week", "'0' is out of range 1-7"),
        ("0 0 2 * * ? 1969", "year", "'1969' is out of range 1970-2199"),
        ("0 0 2 * * ? 2200", "year", "out of range 1970-2199"),
        ("0 0 2 * * ? 2029-2027", "year", "must not run backwards"),
        ("0 0 2 1 * MON", "day-of-month/day-of-week", "both are restricted"),
        ("0 0 2 1-5W * ?", "day-of-month", "'W' can only follow a single day"),
        ("0 0 2 */2W * ?", "day-of-month", "'W' can only follow a single day"),
        ("0 0 2 L-31 * ?", "day-of-month", "at most 30"),
        ("0 0 2 ? * 6#6", "day-of-week", "out of range 1-5"),
        ("0 0 2 ? * 6#0", "day-of-week", "out of range 1-5"),
        ("0 0 2 ? * 6#", "day-of-week", "out of range 1-5"),
        ("0 0 2 ? * 2,6L", "day-of-week", "cannot be combined"),
        ("0 0 2 ? * 6#3,6#4", "day-of-week", "cannot be combined"),
        ("0 0 2 ? * FOO", "day-of-week", "'FOO' in 'FOO' is not one of SUN"),
        ("0 0 2 * FOO ?", "month", "is not one of JAN"),
        ("0 0 x * * ?", "hours", "'x' is not a valid hours value"),
        ("0 0 2 * * ? abc", "year", "'abc' is not a valid year value"),
        ("0 0 1-2-3 * * ?", "hours", "is not a valid hours value"),
        ("0 */0 2 * * ?", "minutes", "step in '*/0' must be an integer between 1 and 59"),
        ("0 */x 2 * * ?", "minutes", "step in '*/x'"),
        ("0 0 2,,3 * * ?", "hours", "empty list element"),
        ("? 0 2 * * ?", "seconds", "'?' is only allowed"),
        ("0 0 2 ?,1 * ?", "day-of-month", None),
        ("0 0 2 ? * 6L,L", "day-of-week", "cannot be combined"),
        ("0 0 2 5#2 * ?", "day-of-month", "'#' is only valid in the day-of-week field"),
        ("0 2 L * *", "day-of-month", "only supported in 6/7-field Quartz"),
        ("@reboot", None, "unknown macro"),
    ],
)
def test_rejections_name_the_field(
    expression: str, field: str | None, fragment: str | None
) -> None:
    with pytest.raises(InvalidScheduleError) as info:
        QuartzSchedule.parse(expression)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.field == field
    message = str(error)
    if field is not None:
        assert f"{field} field: " in message
    if fragment is not None:
        assert fragment in message, message


@pytest.mark.parametrize(
    "expression, field, fragment",
    [
        ("0 2 L * *", "day-of-month", "only supported in 6/7-field Quartz"),
        ("0 2 15W * *", "day-of-month", "only supported in 6/7-field Quartz"),
        ("0 2 * * 5#3", "day-of-week", "only supported in 6/7-field Quartz"),
        ("0 2 * * 8", "day-of-week", "'8' is out of range 0-7"),
        ("0 2 10-5 * *", "day-of-month", "must not run backwards"),
        ("0 0 2 * * ?", None, "expected 5 fields"),
        ("@reboot", None, "unknown macro"),
    ],
)
def test_cron_rejections_name_the_field(expression: str, field: str | None, fragment: str) -> None:
    with pytest.raises(InvalidScheduleError) as info:
        QuartzSchedule.parse_cron(expression)
    assert info.value.field == field
    assert fragment in str(info.value)


def test_error_message_example_format() -> None:
    with pytest.raises(InvalidScheduleError, match=r"day-of-week field: '9' is out of range 1-7"):
        QuartzSchedule.parse("0 0 2 ? * 9")


def test_no_airflow_import() -> None:
    import subprocess
    import sys

    code = (
        "import sys, airflow_provider_ips.schedule as s; "
        "s.QuartzSchedule.parse('0 0 2 * * ?').describe(); "
        "print(any(m == 'airflow' or m.startswith('airflow.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_many_calls_are_fast() -> None:
    schedule = QuartzSchedule.parse("* * * * * ?", "Europe/Berlin")
    start = utc(2025, 3, 30, 0, 59, 30)
    times = list(itertools.islice(schedule.iter_fire_times(start), 5000))
    assert times[29] == utc(2025, 3, 30, 1, 0, 0)  # 03:00:00 CEST, right after 01:59:59 CET
    assert all(b.timestamp() - a.timestamp() == 1 for a, b in itertools.pairwise(times))


# ---------------------------------------------------------------------------------------
# previous_at_or_before (used by the Airflow timetable for catchup=False)
# ---------------------------------------------------------------------------------------


def test_previous_at_or_before_known_answers() -> None:
    daily = QuartzSchedule.parse("0 0 2 * * ?")
    assert daily.previous_at_or_before(utc(2025, 1, 2, 2)) == utc(2025, 1, 2, 2)  # "at"
    assert daily.previous_at_or_before(utc(2025, 1, 2, 1, 59, 59, 999_999)) == utc(2025, 1, 1, 2)
    assert daily.previous_at_or_before(utc(2025, 1, 2, 2, 0, 0, 1)) == utc(2025, 1, 2, 2)
    # 2025-02-28 is a Friday; the last Friday of January 2025 is the 31st.
    last_friday = QuartzSchedule.parse("0 0 12 ? * 6L")
    assert last_friday.previous_at_or_before(utc(2025, 2, 27)) == utc(2025, 1, 31, 12)
    # Leap day, far back: 2024-02-29.
    leap = QuartzSchedule.parse("0 0 0 29 2 ?")
    assert leap.previous_at_or_before(utc(2028, 2, 28, 23, 59)) == utc(2024, 2, 29)
    every_second = QuartzSchedule.parse("* * * * * ?", "Europe/Berlin")
    assert every_second.previous_at_or_before(utc(2025, 3, 30, 1, 0, 0, 500)) == utc(
        2025, 3, 30, 1, 0, 0
    )


def test_previous_at_or_before_none_and_naive() -> None:
    assert QuartzSchedule.parse("0 0 12 1 1 ? 2030").previous_at_or_before(utc(2029, 1, 1)) is None
    assert QuartzSchedule.parse("0 0 0 30 2 ?").previous_at_or_before(utc(2025, 1, 1)) is None
    assert QuartzSchedule.parse("0 0 12 1 1 ? 2020").previous_at_or_before(utc(2199, 1, 1)) == utc(
        2020, 1, 1, 12
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        QuartzSchedule.parse("0 0 2 * * ?").previous_at_or_before(datetime(2025, 1, 1))


def test_previous_at_or_before_accepts_pendulum() -> None:
    import pendulum

    moment = pendulum.datetime(2025, 1, 2, 3, 0, 0, tz="Europe/Berlin")  # 02:00 UTC
    assert QuartzSchedule.parse("0 0 2 * * ?").previous_at_or_before(moment) == utc(2025, 1, 2, 2)


def test_previous_at_or_before_across_dst() -> None:
    # 2025-03-30 Berlin: "02:30" fires at 03:30 CEST = 01:30 UTC.
    spring = QuartzSchedule.parse("0 30 2 * * ?", BERLIN)
    assert spring.previous_at_or_before(utc(2025, 3, 30, 1, 29)) == utc(2025, 3, 29, 1, 30)
    assert spring.previous_at_or_before(utc(2025, 3, 30, 1, 30)) == utc(2025, 3, 30, 1, 30)
    # 2025-10-26 Berlin: 02:30 fires once, at its first occurrence (00:30 UTC).
    autumn = QuartzSchedule.parse("0 30 2 * * ?", BERLIN)
    found = autumn.previous_at_or_before(utc(2025, 10, 26, 1, 45))  # 02:45 CET, 2nd pass
    assert found is not None and in_utc([found]) == [utc(2025, 10, 26, 0, 30)]


@pytest.mark.parametrize(
    ("expression", "zone"),
    [
        ("0 */15 * * * ?", "Europe/Berlin"),
        ("0 30 2,3 * * ?", "Europe/Berlin"),
        ("0 0 9 ? * 2#1", "America/New_York"),
        ("0 0 0 LW * ?", "UTC"),
    ],
)
def test_previous_is_consistent_with_next(expression: str, zone: str) -> None:
    schedule = QuartzSchedule.parse(expression, zone)
    times = in_utc(schedule.fire_times(utc(2025, 3, 1), 40))
    for earlier, later in itertools.pairwise(times):
        at = schedule.previous_at_or_before(later)
        before = schedule.previous_at_or_before(later - timedelta(seconds=1))
        assert at is not None and before is not None
        assert in_utc([at, before]) == [later, earlier]


def test_next_after_accepts_pendulum_datetimes() -> None:
    import pendulum

    schedule = QuartzSchedule.parse("0 0 2 * * ?", "UTC")
    got = schedule.next_after(pendulum.datetime(2026, 3, 1, 12, 0, 0, tz="Europe/Berlin"))
    assert got is not None and got.isoformat() == "2026-03-02T02:00:00+00:00"
