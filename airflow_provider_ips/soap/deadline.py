"""Every socket operation of a blocking call ends by the call's deadline.

httpx applies its timeouts per socket operation, so a server that sends a byte now and
then (even in the headers) could hold a blocking call forever. The asyncio client bounds
the whole call with ``asyncio.timeout``; the blocking one routes its sockets through
:class:`DeadlineBackend`, which lowers each operation's timeout to the time left until the
deadline of the call in progress on this thread (:func:`call_deadline`).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx

_local = threading.local()
#: A socket timeout for "no time left": the operation fails at once with its own timeout.
_NO_TIME = 1e-6


@contextlib.contextmanager
def call_deadline(at: float) -> Iterator[None]:
    """Within the block, socket operations on this thread end by ``at`` (monotonic)."""
    previous = getattr(_local, "at", None)
    _local.at = at
    try:
        yield
    finally:
        _local.at = previous


def _bounded(timeout: float | None) -> float | None:
    at = getattr(_local, "at", None)
    if at is None:
        return timeout
    left = max(at - time.monotonic(), _NO_TIME)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout))
        return _DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's blocking backend, each socket operation bounded by :func:`call_deadline`."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, _bounded(timeout), local_address, socket_options
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.connect_unix_socket(path, _bounded(timeout), socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bounded_client(**options: Any) -> httpx.Client:
    """An ``httpx.Client`` whose connections use :class:`DeadlineBackend`.

    httpx has no public way to choose the network backend, so it is set on the transport's
    connection pool before any connection exists; a pool without one is left as it is
    (the per-read timeouts and the deadline checks between body chunks still apply).
    """
    client = httpx.Client(**options)
    pool = getattr(getattr(client, "_transport", None), "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = DeadlineBackend(pool._network_backend)
    return client
