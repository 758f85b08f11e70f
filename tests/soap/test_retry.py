"""The retry loop (tenacity underneath): what is sent again, how long it waits, what it logs.

Calls here are plain functions that fail the way the SOAP client does; the sleeps are
recorded instead of slept. The HTTP side (5xx, drops, lost submitJob answers) is covered
against the simulator in tests/hooks/test_ips.py.
"""

from __future__ import annotations

import asyncio
import logging
import random

import pytest

from airflow_provider_ips.soap import IpsAuthenticationError, IpsTransportError
from airflow_provider_ips.soap.retry import (
    NO_RETRY,
    RetryPolicy,
    acall_with_retry,
    call_with_retry,
)


class Failing:
    """A call that fails with the given errors in turn, then answers ``"ok"``."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.raised: list[BaseException] = []

    def __call__(self) -> str:
        if self.errors:
            error = self.errors.pop(0)
            self.raised.append(error)
            raise error
        return "ok"

    @property
    def calls(self) -> int:
        return len(self.raised) + (0 if self.errors else 1)


def transport(text: str = "connection reset", status: int | None = None) -> IpsTransportError:
    return IpsTransportError(text, status_code=status)


def test_transport_errors_are_sent_again_until_one_answers() -> None:
    pauses: list[float] = []
    call = Failing(transport(), transport(status=503))
    assert call_with_retry(call, RetryPolicy(attempts=4), what="getProperty", sleep=pauses.append)
    assert call.calls == 3 and len(pauses) == 2


def test_the_last_error_itself_is_raised_when_the_tries_run_out() -> None:
    pauses: list[float] = []
    errors = [transport(f"drop {i}") for i in range(3)]
    call = Failing(*errors, transport("never reached"))
    with pytest.raises(IpsTransportError) as info:
        call_with_retry(call, RetryPolicy(attempts=3), what="getProperty", sleep=pauses.append)
    assert info.value is errors[-1]
    assert len(call.raised) == 3 and len(pauses) == 2


@pytest.mark.parametrize(
    "error",
    [
        IpsAuthenticationError(10001, "invalid user name or password"),
        transport("not found", status=404),
        ValueError("not an IPS error"),
    ],
)
def test_answers_and_other_errors_are_final(error: BaseException) -> None:
    pauses: list[float] = []
    call = Failing(error)
    with pytest.raises(type(error)):
        call_with_retry(call, RetryPolicy(attempts=4), what="getActiveJobs", sleep=pauses.append)
    assert call.raised == [error] and pauses == []


def test_no_retry_sends_once() -> None:
    call = Failing(transport())
    with pytest.raises(IpsTransportError):
        call_with_retry(call, NO_RETRY, what="executeJob", sleep=pytest.fail)
    assert len(call.raised) == 1


def test_backoff_doubles_up_to_the_cap_with_full_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    policy = RetryPolicy(attempts=6, base_delay=1.0, max_delay=3.0)
    errors = [transport() for _ in range(6)]
    pauses: list[float] = []
    monkeypatch.setattr(random, "uniform", lambda low, high: high)  # the top of each window
    with pytest.raises(IpsTransportError):
        call_with_retry(Failing(*errors), policy, what="getJobLogs", sleep=pauses.append)
    assert pauses == [1.0, 2.0, 3.0, 3.0, 3.0]
    monkeypatch.setattr(random, "uniform", lambda low, high: low)  # the bottom of each window
    pauses.clear()
    with pytest.raises(IpsTransportError):
        call_with_retry(Failing(*errors), policy, what="getJobLogs", sleep=pauses.append)
    assert pauses == [0.0] * 5


def test_each_retry_is_logged_with_its_pause(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="airflow_provider_ips.soap.retry")
    call = Failing(transport("connection reset"))
    policy = RetryPolicy(attempts=3, base_delay=0.0)
    call_with_retry(call, policy, what="getProperty", sleep=lambda _: None)
    assert [r.getMessage() for r in caplog.records] == [
        "getProperty failed (connection reset); try 2 of 3 in 0.00s"
    ]


def test_after_failure_can_end_the_retrying_with_a_result() -> None:
    seen: list[BaseException] = []

    def adopt(error: BaseException) -> str | None:
        seen.append(error)
        return "c1001|found" if len(seen) == 2 else None

    pauses: list[float] = []
    call = Failing(transport(), transport(), transport())
    result = call_with_retry(
        call, RetryPolicy(attempts=4), what="submitJob", after_failure=adopt, sleep=pauses.append
    )
    assert result == "c1001|found"
    assert seen == call.raised and len(call.raised) == 2, "not sent again once found"
    assert len(pauses) == 1


def test_after_failure_runs_after_the_last_try_and_not_for_answers() -> None:
    asked: list[BaseException] = []

    def adopt(error: BaseException) -> str | None:
        asked.append(error)
        return None

    last = transport("the last one")
    with pytest.raises(IpsTransportError) as info:
        call_with_retry(
            Failing(transport(), last), RetryPolicy(attempts=2), what="submitJob",
            after_failure=adopt, sleep=lambda _: None,
        )  # fmt: skip
    assert info.value is last and asked[-1] is last
    fault = IpsAuthenticationError(10001, "invalid user name or password")
    asked.clear()
    with pytest.raises(IpsAuthenticationError):
        call_with_retry(Failing(fault), RetryPolicy(), what="submitJob", after_failure=adopt)
    assert asked == [], "a fault IPS answered with created nothing to look for"


def test_an_error_from_after_failure_ends_the_retrying_as_it_is() -> None:
    verdict = IpsTransportError("could not ask IPS whether it took the job; not sending it again")

    def cannot_tell(error: BaseException) -> str | None:
        raise verdict

    call = Failing(transport(), transport())
    with pytest.raises(IpsTransportError) as info:
        call_with_retry(
            call, RetryPolicy(attempts=4), what="submitJob", after_failure=cannot_tell,
            sleep=pytest.fail,
        )  # fmt: skip
    assert info.value is verdict and len(call.raised) == 1


class AsyncFailing(Failing):
    async def acall(self) -> str:
        return self()


def test_async_retries_the_same_errors_and_sleeps_on_the_loop() -> None:
    pauses: list[float] = []

    async def record(seconds: float) -> None:
        pauses.append(seconds)

    call = AsyncFailing(transport(), transport(status=502))
    policy = RetryPolicy(attempts=3)
    # a plain function returning an awaitable, as the hook passes it
    answer = acall_with_retry(lambda: call.acall(), policy, what="x", sleep=record)
    assert asyncio.run(answer) == "ok"
    assert call.calls == 3 and len(pauses) == 2

    fault = AsyncFailing(IpsAuthenticationError(10001, "bad password"))
    with pytest.raises(IpsAuthenticationError):
        asyncio.run(acall_with_retry(fault.acall, policy, what="x", sleep=record))
    assert len(fault.raised) == 1 and len(pauses) == 2

    exhausted = AsyncFailing(*[transport(f"drop {i}") for i in range(3)])
    with pytest.raises(IpsTransportError, match="drop 2"):
        asyncio.run(acall_with_retry(exhausted.acall, policy, what="x", sleep=record))
    assert len(exhausted.raised) == 3


def test_policy_refuses_impossible_settings() -> None:
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError, match="base_delay"):
        RetryPolicy(base_delay=-1)
