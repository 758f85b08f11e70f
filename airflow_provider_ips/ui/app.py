"""The IPS jobs page: server-rendered HTML over :class:`~airflow_provider_ips.hooks.ips.IpsHook`.

Routes (under the mount point, ``/ips``):

- ``/``: the ``ips`` connections the user may read;
- ``/connections/{id}``: active jobs, scheduled jobs and recent job logs;
- ``/connections/{id}/jobs/{handle}``: one job, its log's rows worst first, paged;
- ``/connections/{id}/jobs?name=...``: the job of that name (found as the operators find it);
- ``/connections/{id}/jobs/{handle}/{action}``: GET asks to confirm stop/pause/resume,
  POST (with the confirmation's token) does it.

Access rules are in :mod:`airflow_provider_ips.ui.access`. Nothing shown comes from the
connection's password: pages show host, login and company only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, Form, Query, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from airflow_provider_ips.outcome import ERROR_ROW, WARNING_ROW, row_severity
from airflow_provider_ips.ui import connection_path, job_path
from airflow_provider_ips.ui.access import (
    ACTIONS,
    READ,
    Viewer,
    action_token,
    any_connection_reader,
    check_action_token,
    connection_editor,
    connection_reader,
    is_allowed,
)
from airflow_provider_ips.ui.logview import PAGE_SIZES, detail_page

#: Choices offered for the recent job logs: how many, and how far back.
LOG_ROWS = (50, 100, 250)
LOG_DAYS = (1, 7, 30)
#: Patience per IPS call from a page: a person is waiting.
RETRY_ATTEMPTS, RETRY_BASE_DELAY, RETRY_MAX_DELAY = 2, 0.2, 1.0

_templates = Environment(
    loader=PackageLoader("airflow_provider_ips.ui", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S %Z").strip() if value else ""


def _severity(log_type: Any) -> str:
    rank = row_severity(log_type)
    return {ERROR_ROW: "error", WARNING_ROW: "warning"}.get(rank, "") if rank is not None else ""


def _schedule_words(job: Any) -> str:
    """A recurring job's schedule in words (cron_descriptor), or "" where it cannot be read."""
    from airflow_provider_ips.schedule import InvalidScheduleError

    for zone in (None, "UTC"):  # servers may name the zone by an abbreviation such as PST
        try:
            schedule = job.schedule(zone)
        except InvalidScheduleError:
            continue
        return schedule.describe() if schedule is not None else ""
    return ""


_templates.filters["when"] = _when
_templates.filters["schedule_words"] = _schedule_words
_templates.filters["severity"] = _severity
_templates.filters["q"] = lambda value: quote(str(value), safe="")


class PageError(Exception):
    """A page that cannot be shown: a message for the person and an HTTP status."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


def _root(request: Request) -> str:
    """The path the app is mounted at, as the browser sees it (``/ips``)."""
    return str(request.scope.get("root_path", ""))


def _render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    root = _root(request)
    html = _templates.get_template(template).render(
        root=root,
        request=request,
        connection_url=lambda conn_id: connection_path(conn_id, root),
        job_url=lambda conn_id, handle: job_path(conn_id, handle=handle, prefix=root),
        **values,
    )
    return HTMLResponse(html, status_code=status_code)


# -- connections -------------------------------------------------------------------------------
def _ips_connection_ids() -> list[str]:
    """``ips`` connections this API server knows: the metadata DB's and AIRFLOW_CONN_* ones."""
    from airflow.models import Connection
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        ids = set(session.scalars(select(Connection.conn_id).where(Connection.conn_type == "ips")))
    for key, value in os.environ.items():
        if key.startswith("AIRFLOW_CONN_") and _env_conn_type(value) == "ips":
            ids.add(key.removeprefix("AIRFLOW_CONN_").lower())
    return sorted(ids)


def _env_conn_type(value: str) -> str | None:
    value = value.strip()
    if value.startswith("{"):
        try:
            return str(json.loads(value).get("conn_type") or "") or None
        except (ValueError, AttributeError):
            return None
    return value.split("://", 1)[0].replace("-", "_") if "://" in value else None


@contextmanager
def _hook(conn_id: str) -> Iterator[Any]:
    """An IpsHook on ``conn_id``; IPS and connection problems become a page that says so."""
    from airflow.exceptions import AirflowNotFoundException

    from airflow_provider_ips.hooks.ips import IpsHook
    from airflow_provider_ips.soap.endpoint import ConnectionConfigError
    from airflow_provider_ips.soap.errors import IpsError

    hook = IpsHook(
        conn_id,
        retry_attempts=RETRY_ATTEMPTS,
        retry_base_delay=RETRY_BASE_DELAY,
        retry_max_delay=RETRY_MAX_DELAY,
    )
    try:
        try:
            conn = hook.get_connection(conn_id)
        except AirflowNotFoundException:
            raise PageError(404, f"No connection {conn_id!r}") from None
        if conn.conn_type != "ips":
            raise PageError(404, f"Connection {conn_id!r} is not an ips connection")
        yield hook
    except (ConnectionConfigError, ValueError) as exc:  # e.g. no company set
        raise PageError(409, f"Cannot use connection {conn_id!r}: {exc}") from None
    except IpsError as exc:
        raise PageError(502, f"IPS answered with an error: {exc}") from None
    finally:
        hook.close()


def _connection_facts(hook: Any) -> dict[str, Any]:
    """What the page says about the connection: never its password."""
    endpoint = hook.endpoint
    return {
        "url": endpoint.base_url,
        "user": endpoint.credentials.user,
        "company": endpoint.company_handle or endpoint.company_name or "",
    }


# -- views -------------------------------------------------------------------------------------
def _actions_for(active: Any = None, scheduled: Any = None) -> list[str]:
    """Actions that make sense for a job in this state, in page order."""
    actions: list[str] = []
    state = str(active.state) if active is not None and active.state is not None else ""
    if active is not None and state not in ("Done", "Stopping"):
        actions.append("stop")
        actions.append("resume" if state == "WaitingClient" else "pause")
    if scheduled is not None:
        trigger = str(scheduled.trigger_state or "")
        if "stop" not in actions and not scheduled.exec_schedule:
            actions.append("stop")  # a one-shot job not fired yet is cancelled by a stop
        actions.append("resume" if trigger == "Paused" else "pause")
    return actions


def _logs_of(hook: Any, handle: str) -> list[Any]:
    """The job's log (or its runs' logs), described; none when IPS knows no such job."""
    from airflow_provider_ips.soap.errors import IpsApiError

    try:
        return list(hook.get_job_log_details(job_handle=handle, records_per_page=1))
    except IpsApiError:
        return []  # IPS refuses a handle it does not know: the page says so (404)


def _log_fetch(hook: Any, handle: str) -> Any:
    def fetch(log_types: tuple[str, ...] | None, page: int, per_page: int) -> Any:
        logs = hook.get_job_log_details(
            job_handle=handle,
            log_types=list(log_types) if log_types else None,
            records_per_page=per_page,
            results_page=page,
        )
        return logs[0] if len(logs) == 1 else None

    return fetch


def create_app() -> FastAPI:
    app = FastAPI(
        title="IPS jobs",
        description="Adobe Dynamic Media Classic (IPS) jobs of Airflow's ips connections.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )

    @app.middleware("http")
    async def page_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        # framed by Airflow's own UI only (the confirm buttons must not be clickjacked),
        # and pages with job state and tokens are not kept by caches
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError) -> Response:
        return _render(request, "error.html", exc.status_code, message=exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
        login = None
        if exc.status_code == status.HTTP_401_UNAUTHORIZED:
            login = _login_url(request)
        return _render(request, "error.html", exc.status_code, message=exc.detail, login=login)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(".".join(str(p) for p in e["loc"][1:]) for e in exc.errors())
        return _render(request, "error.html", 422, message=f"Invalid value for: {fields}")

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request, viewer: Annotated[Viewer, Depends(any_connection_reader)]) -> Any:
        readable = [c for c in _ips_connection_ids() if is_allowed(viewer.user, READ, c)]
        return _render(request, "index.html", viewer=viewer, connections=readable)

    @app.get("/connections", response_class=HTMLResponse)
    def open_connection(
        request: Request,
        viewer: Annotated[Viewer, Depends(any_connection_reader)],
        conn: Annotated[str, Query(min_length=1, max_length=250)],
    ) -> Any:
        return RedirectResponse(connection_path(conn, _root(request)), status.HTTP_303_SEE_OTHER)

    @app.get("/connections/{connection_id}", response_class=HTMLResponse)
    def connection(
        request: Request,
        connection_id: str,
        viewer: Annotated[Viewer, Depends(connection_reader)],
        logs: Annotated[int, Query(ge=1, le=max(LOG_ROWS))] = LOG_ROWS[0],
        days: Annotated[int, Query(ge=1, le=max(LOG_DAYS))] = 7,
    ) -> Any:
        since = datetime.now(timezone.utc) - timedelta(days=days)
        with _hook(connection_id) as hook:
            facts = _connection_facts(hook)
            active = hook.get_active_jobs()
            scheduled = hook.get_scheduled_jobs()
            recent = hook.get_job_logs(
                sort_by="StartDate", sort_direction="Descending", start_date=since, num_rows=logs
            )
        return _render(
            request,
            "connection.html",
            viewer=viewer,
            conn_id=connection_id,
            facts=facts,
            active=[(job, _actions_for(active=job)) for job in active],
            scheduled=[(job, _actions_for(scheduled=job)) for job in scheduled],
            recent=recent,
            logs=logs,
            days=days,
            log_rows=LOG_ROWS,
            log_days=LOG_DAYS,
        )

    @app.get("/connections/{connection_id}/jobs", response_class=HTMLResponse)
    def job_by_name(
        request: Request,
        connection_id: str,
        viewer: Annotated[Viewer, Depends(connection_reader)],
        name: Annotated[str, Query(min_length=1, max_length=1024)],
    ) -> Any:
        with _hook(connection_id) as hook:
            handle = hook.find_job(name=name).job_handle
        if not handle:
            raise PageError(404, f"IPS knows no job named {name!r}")
        target = job_path(connection_id, handle=handle, prefix=_root(request))
        return RedirectResponse(target, status.HTTP_303_SEE_OTHER)

    @app.get("/connections/{connection_id}/jobs/{job_handle}", response_class=HTMLResponse)
    def job(
        request: Request,
        connection_id: str,
        job_handle: str,
        viewer: Annotated[Viewer, Depends(connection_reader)],
        page: Annotated[int, Query(ge=1)] = 1,
        per_page: Annotated[int, Query(ge=1, le=max(PAGE_SIZES))] = PAGE_SIZES[0],
        done: Annotated[str | None, Query(pattern="^(stop|pause|resume)$")] = None,
    ) -> Any:
        with _hook(connection_id) as hook:
            facts = _connection_facts(hook)
            active = hook.get_active_jobs(job_handle=job_handle)
            scheduled = hook.get_scheduled_jobs(job_handle=job_handle)
            logs = _logs_of(hook, job_handle)
            # a scheduled job's handle selects the logs of its runs, each with its own handle
            runs = [log for log in logs if log.job_handle and log.job_handle != job_handle]
            details = None
            if len(logs) == 1 and not runs:
                details = detail_page(_log_fetch(hook, job_handle), page, per_page)
        if not (active or scheduled or logs):
            raise PageError(404, f"IPS knows no job {job_handle!r}")
        first_active = active[0] if active else None
        first_scheduled = scheduled[0] if scheduled else None
        named = first_active or first_scheduled or (logs[0] if logs else None)
        return _render(
            request,
            "job.html",
            viewer=viewer,
            conn_id=connection_id,
            facts=facts,
            handle=job_handle,
            name=getattr(named, "name", None) or getattr(named, "job_name", None) or job_handle,
            active=first_active,
            scheduled=first_scheduled,
            runs=runs,
            details=details,
            actions=_actions_for(first_active, first_scheduled),
            page_sizes=PAGE_SIZES,
            done=done,
        )

    @app.get("/connections/{connection_id}/jobs/{job_handle}/{action}", response_class=HTMLResponse)
    def confirm(
        request: Request,
        connection_id: str,
        job_handle: str,
        action: str,
        viewer: Annotated[Viewer, Depends(connection_editor)],
    ) -> Any:
        _check_action(action)
        return _render(
            request,
            "confirm.html",
            viewer=viewer,
            conn_id=connection_id,
            handle=job_handle,
            action=action,
            token=action_token(viewer, job_handle, action),
        )

    @app.post("/connections/{connection_id}/jobs/{job_handle}/{action}")
    def act(
        request: Request,
        connection_id: str,
        job_handle: str,
        action: str,
        viewer: Annotated[Viewer, Depends(connection_editor)],
        token: Annotated[str, Form(max_length=2000)] = "",
    ) -> Any:
        _check_action(action)
        check_action_token(viewer, job_handle, action, token)
        with _hook(connection_id) as hook:
            getattr(hook, f"{action}_job")(job_handle)
        target = job_path(connection_id, handle=job_handle, prefix=_root(request))
        target += "?" + urlencode({"done": action})
        return RedirectResponse(target, status.HTTP_303_SEE_OTHER)

    return app


def _check_action(action: str) -> None:
    if action not in ACTIONS:
        raise PageError(404, f"No job action {action!r}; the page offers {', '.join(ACTIONS)}")


def _login_url(request: Request) -> str | None:
    try:
        from airflow.api_fastapi.app import get_auth_manager

        return str(get_auth_manager().get_url_login(next_url=str(request.url)))
    except Exception:
        return None
