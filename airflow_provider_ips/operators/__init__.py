"""The IPS operators, importable from here or from :mod:`airflow_provider_ips.operators.jobs`.

Loaded on first use: the sensors import this package's argument checks, not the operators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from airflow_provider_ips.operators.job_types import *  # noqa: F403
    from airflow_provider_ips.operators.jobs import (
        IpsCreateScheduledJobOperator as IpsCreateScheduledJobOperator,
    )
    from airflow_provider_ips.operators.jobs import IpsDeleteJobOperator as IpsDeleteJobOperator
    from airflow_provider_ips.operators.jobs import IpsJobError as IpsJobError
    from airflow_provider_ips.operators.jobs import IpsPauseJobOperator as IpsPauseJobOperator
    from airflow_provider_ips.operators.jobs import IpsResumeJobOperator as IpsResumeJobOperator
    from airflow_provider_ips.operators.jobs import IpsStopJobOperator as IpsStopJobOperator
    from airflow_provider_ips.operators.jobs import IpsSubmitJobOperator as IpsSubmitJobOperator
    from airflow_provider_ips.operators.jobs import Templated as Templated


_FROM_JOBS = (
    "IpsCreateScheduledJobOperator",
    "IpsDeleteJobOperator",
    "IpsJobError",
    "IpsPauseJobOperator",
    "IpsResumeJobOperator",
    "IpsStopJobOperator",
    "IpsSubmitJobOperator",
    "Templated",
)


def __getattr__(name: str) -> Any:
    if name in _FROM_JOBS:
        from airflow_provider_ips.operators import jobs

        return getattr(jobs, name)
    if name == "JOB_OPERATORS" or name.endswith("JobOperator"):
        from airflow_provider_ips.operators import job_types

        if name in job_types.__all__:
            return getattr(job_types, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
