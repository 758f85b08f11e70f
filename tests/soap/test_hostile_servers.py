"""Broken or hostile servers, played by the simulator over real HTTP: the client refuses
what it cannot use (never a partial result), bounds memory and time, and says why."""

from __future__ import annotations

import asyncio
import re
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

from airflow_provider_ips.models import SubmitJobParam
from airflow_provider_ips.models.operations import GetActiveJobsParam, GetPropertyParam
from airflow_provider_ips.simulator import DEFAULT_COMPANY_HANDLE, CallRecord, IpsSimulator
from airflow_provider_ips.soap import (
    AsyncIpsSoapClient,
    ClientOptions,
    Credentials,
    IpsProtocolError,
    IpsReplyTooLargeError,
    IpsSoapClient,
    IpsTimeoutError,
    IpsTransportError,
)

PROPERTY = GetPropertyParam(name="ServerVersion")
ACTIVE = GetActiveJobsParam(company_handle=DEFAULT_COMPANY_HANDLE)
MiB = 1024 * 1024


def submit_param(name: str) -> SubmitJobParam:
    return SubmitJobParam(
        company_handle=DEFAULT_COMPANY_HANDLE, job_name=name, optimize_images_job={}
    )


def client_for(sim: IpsSimulator, credentials: Credentials, **options: Any) -> IpsSoapClient:
    return IpsSoapClient(ClientOptions(base_url=sim.url, **options), credentials)


def wait_for_record(
    sim: IpsSimulator, operation: str, done: Callable[[CallRecord], bool], within: float = 5.0
) -> list[CallRecord]:
    """The operation's call records once the last one is ``done`` (the server may lag)."""
    give_up = time.monotonic() + within
    while True:
        calls = sim.calls(operation)
        if (calls and done(calls[-1])) or time.monotonic() > give_up:
            return calls
        time.sleep(0.02)


# -- replies that are not usable SOAP --------------------------------------------------------


def test_a_truncated_reply_is_an_error_not_a_shorter_list(
    client: IpsSoapClient, simulator: IpsSimulator
) -> None:
    for i in range(5):
        client.call("submitJob", submit_param(f"listed-{i}"))
    assert len(client.call("getActiveJobs", ACTIVE).job_array) == 5
    simulator.inject("truncate", operation="getActiveJobs")
    with pytest.raises(IpsProtocolError, match="truncated XML") as info:
        client.call("getActiveJobs", ACTIVE)
    assert info.value.retryable is True
    assert simulator.calls("getActiveJobs")[-1].result == "truncated"
    assert len(client.call("getActiveJobs", ACTIVE).job_array) == 5


@pytest.mark.parametrize(
    ("fault", "operation", "param", "message"),
    [
        ("html", "getProperty", PROPERTY, "an HTML page .*'Scheduled maintenance'"),
        ("empty", "getProperty", PROPERTY, "an empty body"),
        (
            "wrong_shape",
            "getProperty",
            PROPERTY,
            "<unexpectedReturn> instead of <getPropertyReturn>",
        ),
        ("wrong_shape", "getActiveJobs", ACTIVE, "a value of the wrong type .*'lots'"),
        ("dtd", "getProperty", PROPERTY, "a DOCTYPE"),
    ],
)
def test_unusable_replies_are_retryable_protocol_errors(
    fault: str,
    operation: str,
    param: Any,
    message: str,
    client: IpsSoapClient,
    simulator: IpsSimulator,
) -> None:
    simulator.inject(fault, operation=operation)
    with pytest.raises(IpsProtocolError, match=message) as info:
        client.call(operation, param)
    error = info.value
    assert error.retryable is True and error.status_code == 200
    assert type(error) is IpsProtocolError and isinstance(error, IpsTransportError)
    assert operation in str(error) and len(str(error)) < 400
    assert "root:" not in str(error), "no entity was ever resolved"
    assert [(c.result, c.fault) for c in simulator.calls()] == [(fault, fault)]
    assert client.call(operation, param) is not None, "the next answer is fine again"


def test_unusable_replies_carry_nothing_out(client: IpsSoapClient, simulator: IpsSimulator) -> None:
    simulator.inject("wrong_shape", operation="submitJob")
    with pytest.raises(IpsProtocolError):
        client.call("submitJob", submit_param("never-made"))
    assert simulator.engine.get_active_jobs(DEFAULT_COMPANY_HANDLE) == []


# -- size ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "size"), [("huge", 50_000_000), ("gzip_bomb", 1024 * MiB)], ids=["huge", "bomb"]
)
def test_oversized_replies_are_refused_in_bounded_memory(
    fault: str, size: int, client: IpsSoapClient, simulator: IpsSimulator
) -> None:
    simulator.inject(fault, operation="getProperty", size=size)
    tracemalloc.start()
    try:
        with pytest.raises(IpsReplyTooLargeError) as info:
            client.call("getProperty", PROPERTY)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * MiB, f"peak {peak / MiB:.0f} MiB while refusing a {fault} reply"
    error = info.value
    assert error.retryable is False and error.limit == 16 * MiB
    assert "max_reply_bytes" in str(error) and str(16 * MiB) in str(error)
    assert isinstance(error, IpsProtocolError)


@pytest.mark.parametrize("fault", ["huge", "gzip_bomb"])
def test_large_replies_within_the_bound_are_read(
    fault: str, simulator: IpsSimulator, credentials: Credentials
) -> None:
    simulator.inject(fault, operation="getProperty", size=2 * MiB)
    with client_for(simulator, credentials, timeout=5, max_reply_bytes=3 * MiB) as client:
        assert client.call("getProperty", PROPERTY).value == "ips-simulator"
    assert [c.result for c in simulator.calls()] == ["ok"]


def test_the_bound_applies_to_ordinary_replies_too(
    simulator: IpsSimulator, credentials: Credentials
) -> None:
    with (
        client_for(simulator, credentials, timeout=5, max_reply_bytes=100) as client,
        pytest.raises(IpsReplyTooLargeError, match="more than 100 bytes"),
    ):
        client.call("getProperty", PROPERTY)


# -- time ----------------------------------------------------------------------------------


@pytest.mark.timeout(20)
def test_a_trickling_reply_is_cut_off_at_the_call_timeout(
    simulator: IpsSimulator, credentials: Credentials
) -> None:
    timeout = 0.5
    simulator.inject("trickle", operation="getProperty", seconds=0.1)
    with (
        client_for(simulator, credentials, timeout=timeout) as client,
        pytest.raises(IpsTimeoutError) as info,
    ):
        client.call("getProperty", PROPERTY)
    # cut off by a socket read bounded by the time left, or by the check between chunks
    found = re.search(r"(\d+) bytes received", str(info.value))
    assert found is None or int(found.group(1)) < 100, "a few bytes, not the whole reply"
    [call] = wait_for_record(simulator, "getProperty", lambda c: c.result == "answer_lost")
    assert call.result == "answer_lost", "the client hung up on the trickle"


@pytest.mark.timeout(20)
def test_per_call_timeout_lowers_the_budget(
    simulator: IpsSimulator, credentials: Credentials
) -> None:
    simulator.inject("latency", operation="getProperty", seconds=1.0, count=None)
    # the server answers after 1 s: a timeout proves the 0.2 s budget, not the 30 s
    with (
        client_for(simulator, credentials, timeout=30) as client,
        pytest.raises(IpsTimeoutError),
    ):
        client.call("getProperty", PROPERTY, timeout=0.2)
    with (
        client_for(simulator, credentials, timeout=0.2) as client,
        pytest.raises(IpsTimeoutError),
    ):
        client.call("getProperty", PROPERTY, timeout=30)  # never more than the options


@pytest.mark.parametrize("timeout", [0, -1.5])
def test_no_time_left_sends_nothing(
    timeout: float, client: IpsSoapClient, simulator: IpsSimulator
) -> None:
    with pytest.raises(IpsTimeoutError, match="no time left"):
        client.call("submitJob", submit_param("too-late"), timeout=timeout)
    assert simulator.calls() == []


# -- answers lost after the work: recorded once ---------------------------------------------


@pytest.mark.timeout(20)
def test_a_late_answer_leaves_the_job_and_one_record(
    simulator: IpsSimulator, credentials: Credentials
) -> None:
    simulator.inject("late", operation="submitJob", seconds=0.6)
    with (
        client_for(simulator, credentials, timeout=0.2) as client,
        pytest.raises(IpsTimeoutError),
    ):
        client.call("submitJob", submit_param("late-one"))
    [job] = simulator.engine.get_active_jobs(DEFAULT_COMPANY_HANDLE)
    assert job.original_name == "late-one", "carried out before the (late) answer"
    calls = wait_for_record(simulator, "submitJob", lambda c: c.result == "answer_lost")
    assert [(c.result, c.fault, c.job_handle) for c in calls] == [
        ("answer_lost", "late", job.job_handle)
    ]


@pytest.mark.timeout(20)
def test_a_slow_submit_whose_client_left_is_recorded_once(
    simulator: IpsSimulator, credentials: Credentials
) -> None:
    simulator.inject("latency", operation="submitJob", seconds=0.5)
    with client_for(simulator, credentials, timeout=0.2) as client:
        with pytest.raises(IpsTimeoutError):
            client.call("submitJob", submit_param("slow-one"))
        wait_for_record(simulator, "submitJob", lambda c: c.result == "answer_lost")
        time.sleep(0.1)  # the server's handler has finished: nothing more to record
        assert client.call("getProperty", PROPERTY).value == "ips-simulator"
    [call] = simulator.calls("submitJob")
    assert (call.result, call.fault) == ("answer_lost", "latency")
    assert call.job_handle and call.job_handle.startswith("c1001|slow-one|")
    assert [c.operation for c in simulator.calls()] == ["submitJob", "getProperty"]


def test_a_late_answer_in_time_is_ok(client: IpsSoapClient, simulator: IpsSimulator) -> None:
    simulator.inject("late", operation="submitJob", seconds=0.05)
    handle = client.call("submitJob", submit_param("late-but-fine")).job_handle
    assert [(c.result, c.fault, c.job_handle) for c in simulator.calls()] == [
        ("ok", "late", handle)
    ]


# -- the async client reads through the same code ---------------------------------------------


@pytest.mark.timeout(20)
def test_async_client_bounds_time_and_refuses_bad_replies(
    simulator: IpsSimulator, credentials: Credentials
) -> None:
    options = ClientOptions(base_url=simulator.url, timeout=0.5, max_reply_bytes=MiB)

    async def scenario() -> list[str]:
        seen = []
        async with AsyncIpsSoapClient(options, credentials) as client:
            for fault, kwargs, error in [
                ("trickle", {"seconds": 0.1}, IpsTimeoutError),
                ("truncate", {}, IpsProtocolError),
                ("gzip_bomb", {"size": 64 * MiB}, IpsReplyTooLargeError),
                ("html", {}, IpsProtocolError),
            ]:
                simulator.inject(fault, operation="getProperty", **kwargs)
                with pytest.raises(error):
                    await client.call("getProperty", PROPERTY)
                seen.append(fault)
            simulator.inject("latency", operation="getProperty", seconds=1.0)
            with pytest.raises(IpsTimeoutError):
                await client.call("getProperty", PROPERTY, timeout=0.1)
            with pytest.raises(IpsTimeoutError, match="no time left"):
                await client.call("getProperty", PROPERTY, timeout=0)
            reply = await client.call("getProperty", PROPERTY)
            seen.append(str(reply.value))
        return seen

    assert asyncio.run(scenario()) == ["trickle", "truncate", "gzip_bomb", "html", "ips-simulator"]


class _HeaderTrickler:
    """A raw server on 127.0.0.1 that answers every request with a status line and headers
    one byte at a time, forever, until the client hangs up; it counts what it sent."""

    def __init__(self, interval: float) -> None:
        import socket
        import threading

        self.interval = interval
        self.sent = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        conn, _ = self._server.accept()
        with conn:
            conn.recv(65536)
            head = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"z" * 10_000
            for byte in head:
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return  # the client hung up
                self.sent += 1
                time.sleep(self.interval)

    def close(self) -> None:
        self._server.close()
        self._thread.join(5)


@pytest.mark.timeout(30)
def test_a_server_trickling_its_headers_is_cut_off_at_the_call_timeout(
    credentials: Credentials,
) -> None:
    """Each socket read gets only the time left in the call: headers sent a byte at a time
    cannot stretch a blocking call past its budget."""
    server = _HeaderTrickler(interval=0.05)
    try:
        options = ClientOptions(base_url=f"http://127.0.0.1:{server.port}", timeout=0.5)
        with IpsSoapClient(options, credentials) as client, pytest.raises(IpsTimeoutError):
            client.call("getProperty", PROPERTY)
    finally:
        server.close()
    # 0.5 s at a byte per 0.05 s is about 10 bytes; without the deadline it would be all 10k
    assert server.sent < 200, server.sent
