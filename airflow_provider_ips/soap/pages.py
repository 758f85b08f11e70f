"""Follow getJobLogDetails pages until a job log holds all its detail rows.

A first page may come from any query: one job handle, an original name, or the whole
company (neither). The rest of one log's rows are always asked for by that log's own job
handle, so other logs' rows never mix in. When the first page did not select the log
alone and was not a full page, its rows need not line up with the log's own pages (a server
may count ``recordsPerPage`` over every log of the answer), so they are read again by
handle from that page on.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from airflow_provider_ips.models import JobLog
from airflow_provider_ips.models.operations import GetJobLogDetailsParam

logger = logging.getLogger(__name__)

#: A stop for servers that keep answering full pages: 1,000 pages of 1,000 rows.
MAX_PAGES = 1000
#: ``recordsPerPage`` when a request leaves it out (the documented default).
DEFAULT_RECORDS_PER_PAGE = 1000


class _Pages:
    """The pages still to fetch for one job log, and the rows gathered so far."""

    def __init__(self, job_log: JobLog, param: GetJobLogDetailsParam) -> None:
        self.log = job_log
        self.first_rows = list(job_log.detail_array)
        self.rows = list(self.first_rows)
        self.total = job_log.detail_total_rows
        self.page = param.results_page or 1
        self.done = self._complete()
        self.base = param.model_copy(
            update={"job_handle": job_log.job_handle, "original_name": None}
        )
        if self.done:
            return
        if not job_log.job_handle:
            logger.warning(
                "getJobLogDetails: a job log without a job handle (%r) holds %d of %s rows; "
                "its other pages cannot be asked for alone",
                job_log.job_name, len(self.rows), self.total,
            )  # fmt: skip
            self.done = True
            return
        per_page = param.records_per_page or DEFAULT_RECORDS_PER_PAGE
        if param.job_handle != job_log.job_handle and len(self.rows) != per_page:
            self.rows = []
            self.page -= 1  # this page again, for this log alone

    def _complete(self) -> bool:
        return self.total is None or len(self.rows) >= self.total

    def next_param(self) -> GetJobLogDetailsParam | None:
        if self.done or self.page >= MAX_PAGES:
            return None
        self.page += 1
        return self.base.model_copy(update={"results_page": self.page})

    def take(self, logs: list[JobLog]) -> None:
        more = [m for m in logs if m.job_handle == self.log.job_handle]
        if not more or not more[0].detail_array:
            self.done = True
            return
        self.rows.extend(more[0].detail_array)
        if more[0].detail_total_rows is not None:
            self.total = more[0].detail_total_rows
        self.done = self._complete()

    def result(self) -> JobLog:
        rows: list[Any] = self.rows if len(self.rows) >= len(self.first_rows) else self.first_rows
        return self.log.model_copy(update={"detail_array": rows})


def merge_detail_pages(
    log: JobLog,
    param: GetJobLogDetailsParam,
    fetch: Callable[[GetJobLogDetailsParam], list[JobLog]],
) -> JobLog:
    """``log`` (read with ``param``) with the detail rows of every later page added."""
    pages = _Pages(log, param)
    while (next_param := pages.next_param()) is not None:
        pages.take(fetch(next_param))
    return pages.result()


async def amerge_detail_pages(
    log: JobLog,
    param: GetJobLogDetailsParam,
    fetch: Callable[[GetJobLogDetailsParam], Awaitable[list[JobLog]]],
) -> JobLog:
    """:func:`merge_detail_pages` for an async ``fetch``."""
    pages = _Pages(log, param)
    while (next_param := pages.next_param()) is not None:
        pages.take(await fetch(next_param))
    return pages.result()
