"""When and how to send a call again: tenacity, exponential backoff with full jitter.

Only transport trouble (connection refused or dropped, timeouts, HTTP 5xx, 408, 429, a
reply that is not usable SOAP, but not one that is too large) is retried, and only for
calls that are safe to repeat. Faults IPS answered with are final:
retrying bad credentials or an invalid parameter cannot succeed and may lock the account.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypedDict, TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_base,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)
from tenacity.stop import stop_base

from .errors import IpsError

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # total tries, the first included
    base_delay: float = 0.5
    max_delay: float = 15.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts: must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("base_delay/max_delay: must not be negative")

    def wait(self) -> wait_random_exponential:
        """Before try n + 1: a random pause in [0, min(max_delay, base_delay * 2^(n-1))]."""
        return wait_random_exponential(multiplier=self.base_delay, max=self.max_delay)

    def _settings(self, what: str) -> _Settings:
        return {
            "stop": stop_after_attempt(self.attempts),
            "wait": self.wait(),
            "retry": retry_if_exception(should_retry),
            "before_sleep": _log_before_sleep(what, self.attempts),
            "reraise": True,  # the last error itself, not tenacity's RetryError
        }

    def retrying(self, what: str, sleep: Callable[[float], None] = time.sleep) -> Retrying:
        return Retrying(sleep=sleep, **self._settings(what))

    def aretrying(
        self, what: str, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> AsyncRetrying:
        return AsyncRetrying(sleep=sleep, **self._settings(what))


NO_RETRY = RetryPolicy(attempts=1)


class _Settings(TypedDict):
    """What the sync and the asyncio retry loops share."""

    stop: stop_base
    wait: wait_random_exponential
    retry: retry_base
    before_sleep: Callable[[RetryCallState], None]
    reraise: bool


def should_retry(error: BaseException) -> bool:
    return isinstance(error, IpsError) and error.retryable


def _log_before_sleep(what: str, attempts: int) -> Callable[[RetryCallState], None]:
    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        pause = state.next_action.sleep if state.next_action is not None else 0.0
        log.warning(
            "%s failed (%s); try %d of %d in %.2fs",
            what, error, state.attempt_number + 1, attempts, pause,
        )  # fmt: skip

    return before_sleep


def call_with_retry(
    fn: Callable[[], T],
    policy: RetryPolicy,
    *,
    what: str,
    after_failure: Callable[[IpsError], T | None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``fn``; on a retryable error wait and try again, up to ``policy.attempts``.

    ``after_failure`` runs after each retryable failure, the last one included: if it
    returns a value, that value is the result and ``fn`` is not sent again (used to find a
    job IPS took although the answer to submitJob was lost); an error it raises ends the
    retrying as it is. tenacity has no hook whose answer ends the retrying, so this part
    runs inside the attempt.
    """
    if after_failure is None:
        return policy.retrying(what, sleep)(fn)
    try:
        return policy.retrying(what, sleep)(_with_after_failure(fn, after_failure))
    except _FinalError as final:
        raise final.error from None


class _FinalError(Exception):
    """Carries an error raised by ``after_failure`` past the retrying, unretried."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error


def _with_after_failure(
    fn: Callable[[], T], after_failure: Callable[[IpsError], T | None]
) -> Callable[[], T]:
    def attempt() -> T:
        try:
            return fn()
        except IpsError as exc:
            if not should_retry(exc):
                raise
            try:
                found = after_failure(exc)
            except Exception as error:
                raise _FinalError(error) from None
            if found is not None:
                return found
            raise

    return attempt


async def acall_with_retry(
    fn: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    what: str,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """The asyncio twin of :func:`call_with_retry` (no ``after_failure``: read-side only)."""

    async def attempt() -> T:  # tenacity awaits only coroutine functions; fn may be a lambda
        return await fn()

    return await policy.aretrying(what, sleep)(attempt)
