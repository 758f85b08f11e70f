"""IpsHook and IpsAsyncHook against the simulator over real HTTP."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from airflow_provider_ips.hooks.ips import IpsAsyncHook, IpsHook, _company_cache
from airflow_provider_ips.models import ActiveJobState, SubmitJobParam
from airflow_provider_ips.simulator import DEFAULT_COMPANY_HANDLE, DEFAULT_PASSWORD, IpsSimulator
from airflow_provider_ips.soap import (
    IpsApiError,
    IpsAuthenticationError,
    IpsTimeoutError,
    IpsTransportError,
)
from airflow_provider_ips.soap.endpoint import wsdl_cache_dir
from tests.helpers import FakeClock

FAST = {"retry_base_delay": 0.01, "retry_max_delay": 0.02}


def param(name: str, **fields: Any) -> SubmitJobParam:
    fields = fields or {"optimize_images_job": {}}
    return SubmitJobParam(company_handle=DEFAULT_COMPANY_HANDLE, job_name=name, **fields)


@pytest.fixture(autouse=True)
def _fresh_company_cache() -> None:
    _company_cache.clear()


@pytest.fixture
def hook(ips_connection: Callable[..., dict[str, Any]]) -> IpsHook:
    return IpsHook(**FAST)


def test_job_methods_cover_the_lifecycle(hook: IpsHook, clock: FakeClock) -> None:
    handle = hook.submit_job(param("lifecycle"))
    [job] = hook.get_active_jobs(job_handle=handle)
    assert job.state == ActiveJobState.NEW
    assert hook.get_active_jobs(original_name="lifecycle")[0].job_handle == handle
    clock.advance(30)
    assert hook.get_active_jobs(job_handle=handle) == []
    [log] = hook.get_job_logs()
    assert log.job_handle == handle and log.detail_array == []
    [detailed] = hook.get_job_log_details(job_handle=handle)
    assert detailed.detail_array and detailed.file_success_count == 3


def test_all_pages_collects_every_detail_row(
    hook: IpsHook, simulator: IpsSimulator, clock: FakeClock
) -> None:
    simulator.script_outcome(files=7, warnings=2)
    handle = hook.submit_job(param("many-rows"))
    clock.advance(30)
    [first_page] = hook.get_job_log_details(job_handle=handle, records_per_page=3)
    assert len(first_page.detail_array) == 3
    [every_row] = hook.get_job_log_details(job_handle=handle, records_per_page=3, all_pages=True)
    assert every_row.detail_total_rows is not None
    assert len(every_row.detail_array) == every_row.detail_total_rows > 3
    messages = [(r.log_type, r.asset_name, r.log_message) for r in every_row.detail_array]
    assert len(set(messages)) == len(messages), "no page fetched twice"


def test_scheduled_job_management(hook: IpsHook, clock: FakeClock) -> None:
    handle = hook.submit_job(param("nightly", exec_schedule="0 0 2 * * ?", optimize_images_job={}))
    [scheduled] = hook.get_scheduled_jobs(job_handle=handle)
    assert scheduled.original_name == "nightly"
    hook.pause_job(handle)
    assert hook.get_scheduled_jobs(job_handle=handle)[0].trigger_state.value == "Paused"
    hook.resume_job(handle)
    assert hook.get_scheduled_jobs(job_handle=handle)[0].trigger_state.value == "Normal"
    hook.execute_job(handle)
    assert [j.original_name for j in hook.get_active_jobs(original_name="nightly")] == ["nightly"]
    hook.delete_job(handle)
    assert hook.get_scheduled_jobs(original_name="nightly") == []


def test_stopped_job_is_not_logged_as_success(hook: IpsHook, clock: FakeClock) -> None:
    handle = hook.submit_job(param("to-stop"))
    clock.advance(1.5)
    hook.stop_job(handle)
    clock.advance(30)
    [log] = hook.get_job_log_details(job_handle=handle)
    assert log.fatal_error is True or "Stop" in str(log.log_type)


def test_company_and_property(hook: IpsHook) -> None:
    info = hook.get_company_info(handle=DEFAULT_COMPANY_HANDLE)
    assert info.name == "Demo Company"
    assert hook.get_company_info(name="Demo Company").company_handle == DEFAULT_COMPANY_HANDLE
    assert hook.get_property("ApiVersion") == "2014-04-03"
    with pytest.raises(IpsApiError) as info_error:
        hook.get_property("NoSuchProperty")
    assert info_error.value.code == 30001


def test_company_name_is_resolved_once_per_process(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    ips_connection(extra={"company_handle": None, "company": "Demo Company"})
    assert IpsHook().company_handle == DEFAULT_COMPANY_HANDLE
    assert IpsHook().company_handle == DEFAULT_COMPANY_HANDLE
    assert len(simulator.calls("getCompanyInfo")) == 1


def test_basic_auth_mode(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    ips_connection(extra={"auth": "basic"})
    assert IpsHook().get_property("ServerVersion") == "ips-simulator"
    ips_connection(password="wrong", extra={"auth": "basic"})
    with pytest.raises(IpsAuthenticationError):
        IpsHook().get_property("ServerVersion")


def test_wsdl_from_the_server_is_fetched_once_and_cached_by_content(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    ips_connection(extra={"wsdl": "server"})
    assert IpsHook().get_property("ApiVersion") == "2014-04-03"
    assert IpsHook().get_property("ApiVersion") == "2014-04-03"
    assert len(simulator.calls("GET wsdl")) == 1
    cached = sorted(p.name for p in wsdl_cache_dir().glob("*.wsdl"))
    assert cached and all(len(name) == len("0" * 32 + ".wsdl") for name in cached)


def test_read_calls_are_retried_on_5xx_and_drops(hook: IpsHook, simulator: IpsSimulator) -> None:
    simulator.inject("http_error", status=503, count=2)
    assert hook.get_active_jobs() == []
    simulator.inject("drop", operation="getActiveJobs", count=1)
    assert hook.get_active_jobs() == []
    results = [c.result for c in simulator.calls("getActiveJobs")]
    assert results == ["http:503", "http:503", "ok", "dropped", "ok"]


def test_latency_beyond_the_timeout_is_retried(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    ips_connection(extra={"timeout": 0.3})
    simulator.inject("latency", seconds=1.0, operation="getProperty", count=1)
    assert IpsHook(**FAST).get_property("ServerVersion") == "ips-simulator"
    simulator.inject("latency", seconds=1.0, operation="getProperty", count=None)
    with pytest.raises(IpsTimeoutError):
        IpsHook(retry_attempts=2, **FAST).get_property("ServerVersion")
    simulator.faults.clear()


def test_authentication_faults_fail_fast(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    ips_connection(password="wrong-password")
    with pytest.raises(IpsAuthenticationError) as info:
        IpsHook(**FAST).get_active_jobs()
    assert info.value.code == 10001
    assert len(simulator.calls()) == 1, "an auth fault is never retried"


def test_submit_lost_answer_adopts_the_job_instead_of_sending_twice(
    hook: IpsHook, simulator: IpsSimulator
) -> None:
    simulator.inject("drop_after", operation="submitJob", count=1)
    handle = hook.submit_job(param("exactly-once"))
    submits = simulator.calls("submitJob")
    assert [c.result for c in submits] == ["dropped_after"]
    assert submits[0].job_handle == handle


def virtual_time(hook: IpsHook, clock: FakeClock) -> IpsHook:
    """The hook waits on the simulator's clock: a grace period passes without sleeping."""
    hook.clock = clock  # type: ignore[method-assign]
    hook.sleep = clock.advance  # type: ignore[method-assign]
    return hook


def test_submit_after_a_5xx_waits_out_the_grace_then_sends_again(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator, clock: FakeClock
) -> None:
    hook = virtual_time(IpsHook(**FAST, submit_grace=20.0), clock)
    simulator.inject("http_error", status=502, operation="submitJob", count=1)
    started = clock()
    handle = hook.submit_job(param("second-try"))
    assert [c.result for c in simulator.calls("submitJob")] == ["http:502", "ok"]
    assert clock() - started >= 20.0, "no resend before the grace period is over"
    lookups = [c for c in simulator.calls("getActiveJobs") if c.job_name == "second-try"]
    assert len(lookups) >= 2, "the name was looked up through the grace period"
    assert [j.job_handle for j in hook.get_active_jobs(original_name="second-try")] == [handle]


@pytest.mark.parametrize("status", [503, 429, 408])
def test_submit_refused_as_not_processed_is_sent_again_at_once(
    status: int,
    ips_connection: Callable[..., dict[str, Any]],
    simulator: IpsSimulator,
    clock: FakeClock,
) -> None:
    hook = virtual_time(IpsHook(**FAST, submit_grace=20.0), clock)
    simulator.inject("http_error", status=status, operation="submitJob", count=1)
    hook.submit_job(param("not-processed"))
    assert [c.result for c in simulator.calls("submitJob")] == [f"http:{status}", "ok"]
    assert simulator.calls("getActiveJobs") == [], "nothing to look for: IPS said it did not"


@pytest.mark.parametrize("times_the_timeout", [1.5, 4, 10])
def test_a_slow_submit_answer_makes_exactly_one_job(
    times_the_timeout: float,
    ips_connection: Callable[..., dict[str, Any]],
    simulator: IpsSimulator,
) -> None:
    """IPS still creating the job when the client gives up: found by name, never resent."""
    timeout = 0.2
    ips_connection(extra={"timeout": timeout})
    simulator.inject("latency", seconds=timeout * times_the_timeout, operation="submitJob")
    handle = IpsHook(**FAST).submit_job(param("slow-submit"))
    jobs = simulator.engine.get_active_jobs(DEFAULT_COMPANY_HANDLE)
    assert [j.job_handle for j in jobs if j.original_name == "slow-submit"] == [handle]
    assert len(simulator.calls("submitJob")) == 1, "sent once"


def test_submit_gives_up_rather_than_resend_when_ips_cannot_be_asked(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator, clock: FakeClock
) -> None:
    hook = virtual_time(IpsHook(**FAST, submit_grace=5.0), clock)
    simulator.inject("drop", operation="submitJob", count=1)
    simulator.inject("http_error", status=502, operation="getActiveJobs", count=None)
    with pytest.raises(IpsTransportError, match="not sending it again"):
        hook.submit_job(param("unknowable"))
    simulator.faults.clear()
    assert len(simulator.calls("submitJob")) == 1


def test_find_job_by_name_and_handle_through_the_life_cycle(
    hook: IpsHook, clock: FakeClock
) -> None:
    assert not hook.find_job(name="nobody").found
    handle = hook.submit_job(param("looked-up"))
    seen = hook.find_job(name="looked-up")
    assert seen.running and seen.job_handle == handle and not seen.finished
    clock.advance(30)
    seen = hook.find_job(handle=handle)
    assert seen.finished and seen.job_handle == handle and seen.log is not None
    assert seen.log.detail_array, "all detail pages of the final log"


def test_test_connection_messages(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    ok, message = IpsHook().test_connection()
    assert ok and "Demo Company" in message
    ips_connection(password="wrong-password")
    ok, message = IpsHook().test_connection()
    assert not ok and message.startswith("Authentication failed (code 10001)")
    ips_connection(extra={"company_handle": "c-unknown"})
    ok, message = IpsHook().test_connection()
    assert not ok and "c-unknown" in message
    ips_connection(port=9, extra={"timeout": 2})
    ok, message = IpsHook(retry_attempts=1).test_connection()
    assert not ok and message.startswith("IPS unreachable")
    ips_connection(extra={"region": "mars"})
    ok, message = IpsHook().test_connection()
    assert not ok and message.startswith("Connection is misconfigured: region: ")


def test_password_never_reaches_logs_errors_or_reprs(
    ips_connection: Callable[..., dict[str, Any]],
    simulator: IpsSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = DEFAULT_PASSWORD
    caplog.set_level(logging.DEBUG)
    hook = IpsHook(**FAST)
    simulator.inject("http_error", status=503, count=1)
    hook.submit_job(param("redaction"))
    hook.get_active_jobs()
    texts = [repr(hook), repr(hook.client), repr(hook.endpoint), repr(hook.client.codec)]
    ips_connection(password="wrong-secret-123")
    with pytest.raises(IpsAuthenticationError) as info:
        IpsHook(**FAST).get_active_jobs()
    texts += [str(info.value), repr(info.value)]
    assert "IPS request submitJob" in caplog.text, "envelopes are logged at DEBUG (redacted)"
    for text in [caplog.text, *texts]:
        assert secret not in text
        assert "wrong-secret-123" not in text


def test_async_hook_read_side(hook: IpsHook, simulator: IpsSimulator, clock: FakeClock) -> None:
    handle = hook.submit_job(param("async"))
    simulator.inject("http_error", status=503, operation="getActiveJobs", count=1)

    async def scenario() -> tuple[Any, ...]:
        ahook = IpsAsyncHook(**FAST)
        try:
            active = await ahook.get_active_jobs(job_handle=handle)
            await ahook.stop_job(handle)
            clock.advance(30)
            logs = await ahook.get_job_logs()
            details = await ahook.get_job_log_details(job_handle=handle, all_pages=True)
            return active, logs, details
        finally:
            await ahook.aclose()

    active, logs, details = asyncio.run(scenario())
    assert [j.job_handle for j in active] == [handle]
    assert [log.job_handle for log in logs] == [handle]
    assert details[0].detail_array
    assert [c.result for c in simulator.calls("getActiveJobs")] == ["http:503", "ok"]
    assert len(simulator.calls("stopJob")) == 1


def test_async_hook_resolves_company_name(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    ips_connection(extra={"company_handle": None, "company": "Demo Company"})

    async def scenario() -> str:
        ahook = IpsAsyncHook()
        try:
            return await ahook.acompany_handle()
        finally:
            await ahook.aclose()

    assert asyncio.run(scenario()) == DEFAULT_COMPANY_HANDLE


def _airflow_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    airflow = Path(sys.executable).with_name("airflow")
    return subprocess.run(
        [str(airflow), *args], env=env, capture_output=True, text=True, timeout=240
    )


@pytest.mark.usefixtures("airflow_db")
def test_airflow_connections_test_cli(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    env = dict(os.environ, AIRFLOW__CORE__TEST_CONNECTION="Enabled")
    result = _airflow_cli("connections", "test", "ips_default", env=env)
    assert "Connection success!" in result.stdout, result.stdout + result.stderr
    ips_connection(password="wrong-password")
    env = dict(os.environ, AIRFLOW__CORE__TEST_CONNECTION="Enabled")
    result = _airflow_cli("connections", "test", "ips_default", env=env)
    assert "Connection failed!" in result.stdout
    assert "Authentication failed (code 10001)" in result.stdout
    assert "wrong-password" not in result.stdout + result.stderr


def test_transport_error_when_nothing_listens(
    ips_connection: Callable[..., dict[str, Any]],
) -> None:
    ips_connection(port=9, extra={"timeout": 1})
    with pytest.raises(IpsTransportError):
        IpsHook(retry_attempts=2, **FAST).get_property("ServerVersion")


@pytest.mark.parametrize("fault", ["drop_after", "late", "truncate"])
def test_a_submit_whose_answer_is_lost_or_broken_after_ips_took_it_makes_one_job(
    fault: str, ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    ips_connection(extra={"timeout": 0.3})
    simulator.inject(fault, operation="submitJob", seconds=1.0, count=1)
    handle = IpsHook(**FAST, submit_grace=3.0).submit_job(param(f"once-{fault}"))
    jobs = simulator.engine.get_active_jobs(DEFAULT_COMPANY_HANDLE)
    assert [j.job_handle for j in jobs if j.original_name == f"once-{fault}"] == [handle]
    assert len(simulator.calls("submitJob")) == 1


def test_a_refused_connection_is_not_a_lost_answer(
    ips_connection: Callable[..., dict[str, Any]], clock: FakeClock
) -> None:
    """Nothing reached IPS: no grace period to wait out, the usual retries only."""
    ips_connection(port=9, extra={"timeout": 2})
    hook = virtual_time(IpsHook(retry_attempts=2, **FAST, submit_grace=600.0), clock)
    started = clock()
    with pytest.raises(IpsTransportError, match="could not reach") as info:
        hook.submit_job(param("nowhere"))
    assert info.value.request_sent is False
    assert clock() - started < 600, "no grace period for a request that never left"


# -- wsdl: auto ------------------------------------------------------------------------------


@pytest.fixture
def fresh_wsdl_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from airflow_provider_ips.soap import endpoint as endpoint_module

    monkeypatch.setenv("AIRFLOW_PROVIDER_IPS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(endpoint_module, "_fetched", {})
    monkeypatch.setattr(endpoint_module, "_auto_fallbacks", {})
    return wsdl_cache_dir()


@pytest.mark.usefixtures("fresh_wsdl_cache")
def test_auto_wsdl_is_the_default_and_bundled_for_the_simulator(
    hook: IpsHook, simulator: IpsSimulator
) -> None:
    from airflow_provider_ips.soap import BUNDLED_WSDL

    assert hook.endpoint.wsdl_mode == "auto"
    assert hook.get_property("ApiVersion") == "2014-04-03"
    assert hook.client.codec.options.wsdl == str(BUNDLED_WSDL)
    assert simulator.calls("GET wsdl") == []


def test_auto_wsdl_on_a_real_host_is_the_servers_own_fetched_off_the_event_loop(
    ips_connection: Callable[..., dict[str, Any]],
    simulator: IpsSimulator,
    fresh_wsdl_cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from airflow_provider_ips.soap import endpoint as endpoint_module

    monkeypatch.setattr(endpoint_module, "is_loopback_host", lambda host: False)
    threads: list[int] = []
    download = endpoint_module._download

    def recorded(url: str, **kwargs: Any) -> bytes:
        threads.append(threading.get_ident())
        return download(url, **kwargs)

    monkeypatch.setattr(endpoint_module, "_download", recorded)

    async def scenario() -> tuple[int, str, str]:
        ahook = IpsAsyncHook(**FAST)
        try:
            jobs = await ahook.get_active_jobs()
            return threading.get_ident(), str(jobs), ahook._client.codec.options.wsdl
        finally:
            await ahook.aclose()

    loop_thread, _, wsdl = asyncio.run(scenario())
    assert threads and loop_thread not in threads, "the WSDL is fetched in a worker thread"
    assert Path(wsdl).parent == fresh_wsdl_cache
    assert IpsHook(**FAST).get_property("ApiVersion") == "2014-04-03"
    assert len(simulator.calls("GET wsdl")) == 1, "fetched once per process"


# -- getJobLogDetails for the whole company --------------------------------------------------


def test_job_log_details_without_a_job_cover_the_company_page_by_page(
    hook: IpsHook, simulator: IpsSimulator, clock: FakeClock
) -> None:
    simulator.script_outcome(files=7, warnings=2, count=2)
    handles = [hook.submit_job(param(f"company-wide-{i}")) for i in range(2)]
    handles.append(hook.submit_job(param("company-wide-small")))
    clock.advance(30)
    before = len(simulator.calls("getJobLogDetails"))

    first_pages = hook.get_job_log_details(records_per_page=3)
    assert sorted(log.job_handle for log in first_pages) == sorted(handles)
    assert all(len(log.detail_array) <= 3 for log in first_pages)

    every_row = {log.job_handle: log for log in hook.get_job_log_details(
        records_per_page=3, all_pages=True
    )}  # fmt: skip
    assert sorted(every_row) == sorted(handles)
    for handle, log in every_row.items():
        assert log.detail_total_rows is not None
        assert len(log.detail_array) == log.detail_total_rows, handle
        rows = [(r.log_type, r.asset_name, r.log_message) for r in log.detail_array]
        assert len(set(rows)) == len(rows), "no page fetched twice"
        [alone] = hook.get_job_log_details(job_handle=handle, all_pages=True)
        assert alone.detail_array == log.detail_array, "the same rows as asked for by handle"
    assert max(log.detail_total_rows or 0 for log in every_row.values()) > 3

    calls = simulator.calls("getJobLogDetails")[before:]
    assert calls[0].job_handle is None and calls[1].job_handle is None
    assert all(c.job_handle in handles for c in calls[2:]), "later pages by the log's handle"


def test_async_job_log_details_without_a_job(
    hook: IpsHook, simulator: IpsSimulator, clock: FakeClock
) -> None:
    simulator.script_outcome(files=5, count=1)
    handle = hook.submit_job(param("async-company-wide"))
    clock.advance(30)

    async def scenario() -> list[Any]:
        ahook = IpsAsyncHook(**FAST)
        try:
            return await ahook.get_job_log_details(records_per_page=2, all_pages=True)
        finally:
            await ahook.aclose()

    [log] = asyncio.run(scenario())
    assert log.job_handle == handle
    assert log.detail_total_rows is not None and log.detail_total_rows > 2
    assert len(log.detail_array) == log.detail_total_rows
