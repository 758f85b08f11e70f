"""Following getJobLogDetails pages, with a scripted server (no network)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from airflow_provider_ips.models import JobLog
from airflow_provider_ips.models.operations import GetJobLogDetailsParam
from airflow_provider_ips.soap.pages import amerge_detail_pages, merge_detail_pages

ROWS = {"c1|a": [f"a{i}" for i in range(7)], "c1|b": [f"b{i}" for i in range(4)]}


def job_log(handle: str | None, messages: list[str], total: int | None) -> JobLog:
    return JobLog(
        job_handle=handle,
        detail_total_rows=total,
        detail_array=[{"log_message": m} for m in messages],
    )


class PerLogServer:
    """Pages each log by itself, as the simulator does; records what it is asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str | None, str | None, int]] = []

    def fetch(self, param: GetJobLogDetailsParam) -> list[JobLog]:
        self.asked.append((param.job_handle, param.original_name, param.results_page or 1))
        size, page = param.records_per_page or 1000, param.results_page or 1
        handles = [param.job_handle] if param.job_handle else list(ROWS)
        return [job_log(h, ROWS[h][(page - 1) * size : page * size], len(ROWS[h])) for h in handles]


def company(**fields: Any) -> GetJobLogDetailsParam:
    return GetJobLogDetailsParam(company_handle="c1", **fields)


def test_a_company_wide_first_page_is_continued_per_log_by_handle() -> None:
    server = PerLogServer()
    param = company(records_per_page=3, results_page=1)
    logs = [merge_detail_pages(log, param, server.fetch) for log in server.fetch(param)]
    assert [[r.log_message for r in log.detail_array] for log in logs] == list(ROWS.values())
    assert server.asked == [
        (None, None, 1),
        ("c1|a", None, 2),
        ("c1|a", None, 3),
        ("c1|b", None, 2),
    ]


def test_a_short_first_page_that_did_not_select_the_log_alone_is_read_again() -> None:
    """A server that counts recordsPerPage over every log of a company-wide answer."""
    server = PerLogServer()
    shared_page = job_log("c1|b", ["b0"], 4)  # one row of b fitted after a's rows
    merged = merge_detail_pages(shared_page, company(records_per_page=3), server.fetch)
    assert [r.log_message for r in merged.detail_array] == ROWS["c1|b"]
    assert server.asked == [("c1|b", None, 1), ("c1|b", None, 2)]


def test_by_handle_pages_continue_from_the_next_page() -> None:
    server = PerLogServer()
    param = company(job_handle="c1|a", records_per_page=5)
    [first] = server.fetch(param)
    merged = asyncio.run(amerge_detail_pages(first, param, _async(server)))
    assert [r.log_message for r in merged.detail_array] == ROWS["c1|a"]
    assert server.asked == [("c1|a", None, 1), ("c1|a", None, 2)]


def test_a_log_without_a_handle_is_kept_as_read(caplog: pytest.LogCaptureFixture) -> None:
    server = PerLogServer()
    partial = job_log(None, ["x0"], 5)
    with caplog.at_level(logging.WARNING):
        merged = merge_detail_pages(partial, company(records_per_page=1), server.fetch)
    assert merged == partial and server.asked == []
    assert "without a job handle" in caplog.text


def test_complete_logs_need_no_more_calls() -> None:
    server = PerLogServer()
    done = job_log("c1|b", ROWS["c1|b"], 4)
    assert merge_detail_pages(done, company(), server.fetch) == done
    assert merge_detail_pages(job_log("c1|b", [], None), company(), server.fetch).detail_array == []
    assert server.asked == []


def test_company_wide_requests_are_valid_and_empty_selectors_are_not() -> None:
    assert company().to_ips() == {"companyHandle": "c1"}
    with pytest.raises(ValueError, match="job_handle"):
        company(job_handle="")


def _async(server: PerLogServer) -> Callable[[GetJobLogDetailsParam], Awaitable[list[JobLog]]]:
    async def fetch(param: GetJobLogDetailsParam) -> list[JobLog]:
        return server.fetch(param)

    return fetch
