"""One job log's detail rows a page at a time, worst first: its errors, then its warnings,
then every row in log order.

Each part is asked of IPS with a log type filter and IPS's own paging, so a page costs a
handful of calls however long the log is. The last part is the whole log, unfiltered, so a
row of a type this package does not know is never hidden. Imports nothing from Airflow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from airflow_provider_ips.models import JobLog, JobLogDetail
from airflow_provider_ips.models.enums import JobLogType
from airflow_provider_ips.outcome import ERROR_ROW, WARNING_ROW, row_severity

#: Known row types by what they report (the rule the task log's problem rows use).
ERROR_LOG_TYPES = tuple(t.value for t in JobLogType if row_severity(t.value) == ERROR_ROW)
WARNING_LOG_TYPES = tuple(t.value for t in JobLogType if row_severity(t.value) == WARNING_ROW)

#: Rows per page: the page sizes a viewer may pick, the first is the default.
PAGE_SIZES = (50, 100, 250)

#: Reads one page of the job's log: (log types or None for all, page number, rows per page).
#: Returns the log (None when IPS has no log for the job).
FetchPage = Callable[[tuple[str, ...] | None, int, int], JobLog | None]


@dataclass(frozen=True)
class Part:
    """A run of rows of the sequence shown: a title and the log types IPS is asked for."""

    key: str
    title: str
    log_types: tuple[str, ...] | None


PARTS = (
    Part("errors", "Errors", ERROR_LOG_TYPES),
    Part("warnings", "Warnings", WARNING_LOG_TYPES),
    Part("all", "Every row, in log order", None),
)


@dataclass(frozen=True)
class ShownRow:
    part: Part
    #: Position of the row within its part, from 1.
    number: int
    row: JobLogDetail


@dataclass
class DetailPage:
    page: int
    per_page: int
    #: Rows in each part (key -> count).
    totals: dict[str, int]
    rows: list[ShownRow] = field(default_factory=list)
    #: The log as IPS described it with the first page (counts and dates), if any.
    log: JobLog | None = None

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _rows_total(log: JobLog) -> int:
    if log.detail_total_rows is not None:
        return int(log.detail_total_rows)
    return len(log.detail_array)


def detail_page(fetch: FetchPage, page: int = 1, per_page: int = PAGE_SIZES[0]) -> DetailPage:
    """Page ``page`` of the job's rows, ``per_page`` rows per page (pages count from 1).

    IPS is asked with the same page size, so one shown page spans at most two IPS pages of
    each part: first a count of every part (its first page), then only what the page needs.
    """
    if per_page < 1:
        raise ValueError(f"per_page: must be at least 1, got {per_page}")
    if page < 1:
        raise ValueError(f"page: must be at least 1, got {page}")
    pages_read: dict[tuple[str, int], list[JobLogDetail]] = {}
    totals: dict[str, int] = {}
    described: JobLog | None = None
    for part in PARTS:
        log = fetch(part.log_types, 1, per_page)
        if log is None:
            totals[part.key] = 0
            continue
        if part.log_types is None:
            described = log
        totals[part.key] = _rows_total(log)
        pages_read[(part.key, 1)] = list(log.detail_array)

    result = DetailPage(page=page, per_page=per_page, totals=totals, log=described)
    start, end = (page - 1) * per_page, page * per_page
    offset = 0
    for part in PARTS:
        total = totals[part.key]
        first, last = max(start, offset) - offset, min(end, offset + total) - offset
        offset += total
        if first >= last:
            continue
        for ips_page in range(first // per_page + 1, (last - 1) // per_page + 2):
            if (part.key, ips_page) not in pages_read:
                log = fetch(part.log_types, ips_page, per_page)
                pages_read[(part.key, ips_page)] = list(log.detail_array) if log else []
            base = (ips_page - 1) * per_page
            for index, row in enumerate(pages_read[(part.key, ips_page)]):
                position = base + index
                if first <= position < last:
                    result.rows.append(ShownRow(part, position + 1, row))
    return result
