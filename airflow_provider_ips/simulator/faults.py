"""Scripted trouble: slow, lost, broken and hostile answers, HTTP errors and faults.

A rule matches calls (optionally of one operation) and applies either to the next ``count``
matching calls or to a ``fraction`` of them (seeded, so a run can be repeated).
"""

from __future__ import annotations

import itertools
import random
import threading
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, ClassVar


class FaultType(str, Enum):
    LATENCY = "latency"  # wait ``seconds``, then carry the call out and answer (slow server)
    HTTP_ERROR = "http_error"  # answer HTTP ``status`` with a plain-text body
    DROP = "drop"  # read the request, close the connection without answering
    DROP_AFTER = "drop_after"  # carry the call out, then close without answering
    AUTH_FAULT = "auth_fault"  # authenticationFault ``code`` (default 10001)
    API_FAULT = "api_fault"  # ipsApiFault ``code`` (default 30000)
    LATE = "late"  # carry the call out, then wait ``seconds`` before answering
    TRICKLE = "trickle"  # carry the call out, send the reply one byte every ``seconds``
    HUGE = "huge"  # carry the call out, send the reply padded to ``size`` bytes
    GZIP_BOMB = "gzip_bomb"  # as ``huge``, gzip-compressed (expands to ``size`` bytes)
    TRUNCATE = "truncate"  # carry the call out, send ``size`` bytes of it (default half)
    HTML = "html"  # HTTP 200 with an HTML page; nothing carried out
    EMPTY = "empty"  # HTTP 200 with an empty body; nothing carried out
    WRONG_SHAPE = "wrong_shape"  # a SOAP reply of the wrong shape; nothing carried out
    DTD = "dtd"  # a SOAP reply with a DOCTYPE and an external entity; nothing carried out


#: Rules of these types let the call be carried out and then deal with its answer.
AFTER_THE_WORK = frozenset(
    {
        FaultType.DROP_AFTER, FaultType.LATE, FaultType.TRICKLE, FaultType.HUGE,
        FaultType.GZIP_BOMB, FaultType.TRUNCATE,
    }
)  # fmt: skip

#: ``size`` when a rule does not set it (``truncate``: half of the reply).
DEFAULT_SIZES = {FaultType.HUGE: 32 * 1024 * 1024, FaultType.GZIP_BOMB: 1024 * 1024 * 1024}
#: ``seconds`` when a rule leaves it at 0, for types that would otherwise do nothing.
DEFAULT_SECONDS = {FaultType.LATE: 1.0, FaultType.TRICKLE: 0.5}


@dataclass
class FaultRule:
    type: FaultType
    operation: str | None = None
    count: int | None = 1
    fraction: float | None = None
    seconds: float = 0.0
    status: int = 503
    code: int | None = None
    reason: str | None = None
    size: int | None = None
    id: int = 0
    hits: int = 0
    _remaining: int | None = field(default=None, repr=False)

    #: What a caller may set (the control API refuses other fields).
    SETTABLE: ClassVar[frozenset[str]] = frozenset(
        {"type", "operation", "count", "fraction", "seconds", "status", "code", "reason", "size"}
    )

    def __post_init__(self) -> None:
        self.type = FaultType(self.type)
        if self.fraction is not None:
            if not 0.0 <= self.fraction <= 1.0:
                raise ValueError("fraction: must be between 0 and 1")
            self.count = None
        elif self.count is not None and self.count < 1:
            raise ValueError("count: must be at least 1 (or null for every call)")
        if self.seconds < 0:
            raise ValueError("seconds: must not be negative")
        if not self.seconds:
            self.seconds = DEFAULT_SECONDS.get(self.type, self.seconds)
        if not 100 <= self.status <= 599:
            raise ValueError(f"status: must be an HTTP status 100-599, got {self.status}")
        if self.size is not None and (
            isinstance(self.size, bool) or not isinstance(self.size, int) or self.size < 0
        ):
            raise ValueError(f"size: must be a whole number of bytes >= 0, got {self.size!r}")
        self._remaining = self.count

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("_remaining")
        data["type"] = self.type.value
        data["remaining"] = self._remaining
        return data


class FaultPlan:
    """The rules in force; thread-safe, first matching rule wins."""

    def __init__(self, seed: int = 0) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._seed = seed
        self._random = random.Random(seed)

    def add(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            rule.id = next(self._ids)
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        """Drop every rule and restart the seeded sequence, so a reset run repeats exactly."""
        with self._lock:
            self._rules.clear()
            self._random.seed(self._seed)

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def pick(self, operation: str | None) -> FaultRule | None:
        with self._lock:
            for rule in self._rules:
                if rule.operation and rule.operation != operation:
                    continue
                if rule.fraction is not None:
                    if self._random.random() >= rule.fraction:
                        continue
                elif rule._remaining is not None:
                    rule._remaining -= 1
                    if rule._remaining <= 0:
                        self._rules.remove(rule)
                rule.hits += 1
                return rule
        return None
