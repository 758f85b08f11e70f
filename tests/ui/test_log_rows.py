"""The job page's log rows: errors, then warnings, then every row, a page at a time, read
from the simulator over HTTP with IPS's own paging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from airflow_provider_ips.hooks.ips import IpsHook
from airflow_provider_ips.simulator import IpsSimulator
from airflow_provider_ips.ui.app import _log_fetch
from airflow_provider_ips.ui.logview import detail_page
from tests.helpers import FakeClock
from tests.ui.seed import PROBLEMS, submit

REPROCESS = {"reprocess_assets_job": {"asset_handle_array": ["a|1001|img-1"]}}


@pytest.fixture
def finished_job(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator, clock: FakeClock
) -> tuple[IpsHook, str]:
    hook = IpsHook(retry_attempts=1)
    simulator.script_outcome(job_name=PROBLEMS, duration=0.0, files=9, errors=4, warnings=3)
    handle = submit(hook, PROBLEMS, REPROCESS)
    clock.advance(30)
    return hook, handle


def _kinds(rows: list[Any]) -> list[str]:
    return [str(shown.row.log_type) for shown in rows]


def test_errors_then_warnings_then_every_row(finished_job: tuple[IpsHook, str]) -> None:
    hook, handle = finished_job
    page = detail_page(_log_fetch(hook, handle), page=1, per_page=250)
    everything = hook.get_job_log_details(job_handle=handle, all_pages=True)[0].detail_array

    assert page.totals == {"errors": 4, "warnings": 3, "all": len(everything)}
    parts = [shown.part.key for shown in page.rows]
    assert parts == ["errors"] * 4 + ["warnings"] * 3 + ["all"] * len(everything)
    assert set(_kinds(page.rows[:4])) == {"UploadError"}
    assert set(_kinds(page.rows[4:7])) == {"UploadWarning"}
    assert [shown.row for shown in page.rows[7:]] == list(everything)
    assert page.log is not None and page.log.file_error_count == 4


def test_small_pages_add_up_to_the_whole_sequence(
    finished_job: tuple[IpsHook, str], simulator: IpsSimulator
) -> None:
    hook, handle = finished_job
    fetch = _log_fetch(hook, handle)
    whole = detail_page(fetch, page=1, per_page=250).rows
    simulator.clear_calls()

    per_page = 3  # pages straddle the errors/warnings/all boundaries
    first = detail_page(fetch, page=1, per_page=per_page)
    pages = [first] + [detail_page(fetch, n, per_page) for n in range(2, first.pages + 1)]

    assert first.pages == -(-len(whole) // per_page)
    assert [(s.part.key, s.number, s.row) for p in pages for s in p.rows] == [
        (s.part.key, s.number, s.row) for s in whole
    ]
    # every shown page is a few IPS pages, not the whole log: 3 counts + at most 2 per part
    calls = simulator.calls("getJobLogDetails")
    assert all(c.job_handle == handle for c in calls)
    assert len(calls) <= len(pages) * (3 + 2 * 3)


def test_a_page_past_the_end_is_empty(finished_job: tuple[IpsHook, str]) -> None:
    hook, handle = finished_job
    page = detail_page(_log_fetch(hook, handle), page=99, per_page=50)
    assert page.rows == [] and page.pages == 1


def test_bad_paging_is_refused_naming_the_field() -> None:
    with pytest.raises(ValueError, match="per_page"):
        detail_page(lambda *_: None, page=1, per_page=0)
    with pytest.raises(ValueError, match="page"):
        detail_page(lambda *_: None, page=0)
