"""The "IPS jobs" page of the Airflow UI: a FastAPI app the API server mounts at ``/ips``.

This module stays light (no FastAPI import): the plugin that registers the app is loaded by
every Airflow process, task processes included, and only the API server ever serves a page.
The app itself is in :mod:`airflow_provider_ips.ui.app`; see docs/ui.md.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

#: Where the API server mounts the app.
URL_PREFIX = "/ips"


def connection_path(conn_id: str, prefix: str = URL_PREFIX) -> str:
    """Path of a connection's overview (active, scheduled and recent jobs)."""
    return f"{prefix}/connections/{quote(conn_id, safe='')}"


def job_path(
    conn_id: str, *, handle: str | None = None, name: str | None = None, prefix: str = URL_PREFIX
) -> str:
    """Path of one job's page, by handle, or by name (the page finds the job)."""
    if handle:
        return f"{connection_path(conn_id, prefix)}/jobs/{quote(handle, safe='')}"
    if name:
        return f"{connection_path(conn_id, prefix)}/jobs?{urlencode({'name': name})}"
    raise ValueError("handle or name: give one")


class LazyApp:
    """An ASGI app that builds the FastAPI app on its first request (in the API server)."""

    def __init__(self) -> None:
        self._app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self._app is None:
            from airflow_provider_ips.ui.app import create_app

            self._app = create_app()
        await self._app(scope, receive, send)
