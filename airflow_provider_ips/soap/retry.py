"""When and how to send a call again: exponential backoff with full jitter.

Only transport trouble (connection refused or dropped, timeouts, HTTP 5xx, 408, 429, a
reply that is not usable SOAP, but not one that is too large) is retried, and only for
calls that are safe to repeat. Faults IPS answered with are final:
retrying bad credentials or an invalid parameter cannot succeed and may lock the account.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

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

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Sleep before try ``attempt + 1`` (attempt counts from 1): full jitter."""
        cap = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return (rng or random).uniform(0, cap)


NO_RETRY = RetryPolicy(attempts=1)


def should_retry(error: BaseException) -> bool:
    return isinstance(error, IpsError) and error.retryable


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
    job IPS took although the answer to submitJob was lost).
    """
    attempt = 1
    while True:
        try:
            return fn()
        except IpsError as exc:
            if not should_retry(exc):
                raise
            if after_failure is not None:
                found = after_failure(exc)
                if found is not None:
                    return found
            if attempt >= policy.attempts:
                raise
            pause = policy.delay(attempt)
            log.warning(
                "%s failed (%s); try %d of %d in %.2fs",
                what,
                exc,
                attempt + 1,
                policy.attempts,
                pause,
            )
            sleep(pause)
            attempt += 1


async def acall_with_retry(
    fn: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    what: str,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """The asyncio twin of :func:`call_with_retry` (no ``after_failure``: read-side only)."""
    attempt = 1
    while True:
        try:
            return await fn()
        except IpsError as exc:
            if not should_retry(exc) or attempt >= policy.attempts:
                raise
            pause = policy.delay(attempt)
            log.warning(
                "%s failed (%s); try %d of %d in %.2fs",
                what,
                exc,
                attempt + 1,
                policy.attempts,
                pause,
            )
            await sleep(pause)
            attempt += 1
