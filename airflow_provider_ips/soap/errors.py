"""Typed errors for everything that can go wrong talking to IPS.

The kind of failure decides what callers may do: transport errors can be retried, faults
that IPS answered with cannot (retrying bad credentials only locks accounts).
"""

from __future__ import annotations

from enum import Enum


class FaultKind(str, Enum):
    AUTHENTICATION = "authentication"
    AUTHORIZATION = "authorization"
    API = "api"


class IpsError(Exception):
    """Base of all errors raised by the IPS client."""

    #: Whether sending the same request again may succeed.
    retryable: bool = False


class IpsFault(IpsError):
    """IPS answered with a SOAP fault: ``code`` and ``reason`` are as IPS sent them."""

    kind: FaultKind = FaultKind.API

    def __init__(self, code: int | None, reason: str, operation: str | None = None) -> None:
        self.code = code
        self.reason = reason
        self.operation = operation
        where = f" in {operation}" if operation else ""
        super().__init__(f"IPS {self.kind.value} fault{where} (code {code}): {reason}")

    def __reduce__(self) -> tuple[type, tuple[int | None, str, str | None]]:
        return type(self), (self.code, self.reason, self.operation)


class IpsAuthenticationError(IpsFault):
    """Missing or wrong credentials (codes 10000-10002)."""

    kind = FaultKind.AUTHENTICATION


class IpsAuthorizationError(IpsFault):
    """The user may not do this, or the company is not theirs (codes 20000-20009)."""

    kind = FaultKind.AUTHORIZATION


class IpsApiError(IpsFault):
    """IPS rejected the request (codes 30000-30003: invalid or missing parameter, ...)."""

    kind = FaultKind.API


class IpsTransportError(IpsError):
    """No usable answer: connection refused or dropped, HTTP error without a fault, bad XML."""

    retryable = True
    #: False when the request never left this machine (connection refused): IPS did nothing.
    request_sent: bool = True

    def __init__(self, message: str, status_code: int | None = None) -> None:
        self.status_code = status_code
        # no status: connection trouble; 5xx, 408, 429: the server may answer next time
        if status_code is not None and status_code < 500 and status_code not in (408, 429):
            self.retryable = False
        super().__init__(message)

    def __reduce__(self) -> tuple[type, tuple[str, int | None]]:
        return type(self), (str(self), self.status_code)


class IpsTimeoutError(IpsTransportError):
    """IPS did not answer within the call's time budget (``timeout``, or less per call)."""


class IpsProtocolError(IpsTransportError):
    """IPS (or something in front of it) answered, but not with a usable SOAP reply.

    An HTML page or an empty body with HTTP 200, malformed or truncated XML, XML that is not
    the expected SOAP envelope, a DOCTYPE, or values that do not fit the reply's model. Often
    a proxy or a server in trouble, so worth another try.
    """

    retryable = True

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message, status_code)
        # the status (often 200) says nothing here: the class decides
        self.retryable = type(self).retryable


class IpsReplyTooLargeError(IpsProtocolError):
    """The reply was larger than ``max_reply_bytes``: refused before it could use up memory.

    Not retried: the same question gets the same (too large) answer. ``limit`` is the bound.
    """

    retryable = False

    def __init__(self, message: str, status_code: int | None = None, limit: int = 0) -> None:
        self.limit = limit
        super().__init__(message, status_code)

    def __reduce__(self) -> tuple[type, tuple[str, int | None, int]]:  # type: ignore[override]
        return type(self), (str(self), self.status_code, self.limit)


FAULT_CLASSES: dict[str, type[IpsFault]] = {
    "authenticationFault": IpsAuthenticationError,
    "authorizationFault": IpsAuthorizationError,
    "ipsApiFault": IpsApiError,
}
