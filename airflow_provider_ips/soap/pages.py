"""Follow getJobLogDetails pages until a job log holds all its detail rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from airflow_provider_ips.models import JobLog
from airflow_provider_ips.models.operations import GetJobLogDetailsParam

#: A stop for servers that keep answering full pages: 1,000 pages of 1,000 rows.
MAX_PAGES = 1000


def _next_param(log: JobLog, param: GetJobLogDetailsParam, page: int) -> GetJobLogDetailsParam:
    return param.model_copy(
        update={"job_handle": log.job_handle, "original_name": None, "results_page": page}
    )


def _complete(log: JobLog, rows: int) -> bool:
    return log.detail_total_rows is None or rows >= log.detail_total_rows


def _merged(log: JobLog, rows: list[Any]) -> JobLog:
    return log.model_copy(update={"detail_array": rows})


def merge_detail_pages(
    log: JobLog,
    param: GetJobLogDetailsParam,
    fetch: Callable[[GetJobLogDetailsParam], list[JobLog]],
) -> JobLog:
    rows = list(log.detail_array)
    page = param.results_page or 1
    while not _complete(log, len(rows)) and page < MAX_PAGES:
        page += 1
        more = [m for m in fetch(_next_param(log, param, page)) if m.job_handle == log.job_handle]
        if not more or not more[0].detail_array:
            break
        rows.extend(more[0].detail_array)
    return _merged(log, rows)


async def amerge_detail_pages(
    log: JobLog,
    param: GetJobLogDetailsParam,
    fetch: Callable[[GetJobLogDetailsParam], Awaitable[list[JobLog]]],
) -> JobLog:
    rows = list(log.detail_array)
    page = param.results_page or 1
    while not _complete(log, len(rows)) and page < MAX_PAGES:
        page += 1
        more = [
            m for m in await fetch(_next_param(log, param, page)) if m.job_handle == log.job_handle
        ]
        if not more or not more[0].detail_array:
            break
        rows.extend(more[0].detail_array)
    return _merged(log, rows)
