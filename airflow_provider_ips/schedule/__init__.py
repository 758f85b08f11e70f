"""IPS / Quartz cron schedules (``execSchedule``), independent of Airflow."""

from __future__ import annotations

from airflow_provider_ips.schedule.quartz import (
    MAX_YEAR,
    MIN_YEAR,
    InvalidScheduleError,
    QuartzSchedule,
    normalise_exec_schedule,
)

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "InvalidScheduleError",
    "QuartzSchedule",
    "normalise_exec_schedule",
]
