"""Test helpers shared by several test modules."""

from __future__ import annotations

import threading


class FakeClock:
    """A clock tests move by hand, so job timing needs no sleeping."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds
