"""Who may use the IPS jobs page: Airflow's auth manager decides, as for the core API.

A request is authenticated the way the core API authenticates it (its ``get_user``
dependency: a bearer token, else the UI's session cookie). Reading an ``ips`` connection
(``GET`` on that connection) lets a user see its jobs; editing it (``PUT``) lets them stop,
pause and resume jobs. A plugin app inherits none of the core API's checks, so every route
here declares one of the dependencies below.

Job actions are POSTs that carry a token bound to the user, the connection, the job and
the action, signed with the API server's secret key and short-lived: a page on another
site cannot forge one, and the session cookie alone does not make a POST valid.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, HTTPException, Path, status
from itsdangerous import BadSignature, URLSafeTimedSerializer

Method = Literal["GET", "PUT"]
#: Methods asked of the auth manager about a connection.
READ: Method = "GET"
EDIT: Method = "PUT"
#: Job actions the page offers; each is an IpsHook method ``<action>_job``.
ACTIONS = ("stop", "pause", "resume")
#: How long a confirmation page's token stays valid.
ACTION_TOKEN_SECONDS = 600


def _get_user_dependency() -> Any:
    from airflow.api_fastapi.core_api.security import get_user

    return get_user


@dataclass(frozen=True)
class Viewer:
    """The authenticated user and what they may do with one connection (or with none)."""

    user: Any
    conn_id: str | None
    can_edit: bool

    @property
    def name(self) -> str:
        return str(self.user.get_name())

    @property
    def user_id(self) -> str:
        return str(self.user.get_id())


def _connection_details(conn_id: str | None) -> Any:
    from airflow.api_fastapi.auth.managers.models.resource_details import ConnectionDetails
    from airflow.configuration import conf

    team = None
    if conn_id and conf.getboolean("core", "multi_team", fallback=False):
        from airflow.models import Connection

        get_team_name = getattr(Connection, "get_team_name", None)
        team = get_team_name(conn_id) if get_team_name else None
    if team:  # the field exists from the Airflow versions that have teams
        return ConnectionDetails(conn_id=conn_id, team_name=team)
    return ConnectionDetails(conn_id=conn_id)


def is_allowed(user: Any, method: Method, conn_id: str | None) -> bool:
    """Whether the auth manager lets ``user`` do ``method`` on the connection (None: any)."""
    from airflow.api_fastapi.app import get_auth_manager

    return bool(
        get_auth_manager().is_authorized_connection(
            method=method, details=_connection_details(conn_id), user=user
        )
    )


def _require(user: Any, method: Method, conn_id: str | None) -> None:
    if not is_allowed(user, method, conn_id):
        what = "edit" if method == EDIT else "read"
        target = f"connection {conn_id!r}" if conn_id else "connections"
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"You may not {what} {target}")


UserDep = Annotated[Any, Depends(_get_user_dependency())]
ConnIdParam = Annotated[str, Path(min_length=1, max_length=250)]


def any_connection_reader(user: UserDep) -> Viewer:
    """The index page: users who may read connections at all."""
    _require(user, READ, None)
    return Viewer(user, None, can_edit=False)


def connection_reader(connection_id: ConnIdParam, user: UserDep) -> Viewer:
    """Pages of one connection: users who may read it."""
    _require(user, READ, connection_id)
    return Viewer(user, connection_id, can_edit=is_allowed(user, EDIT, connection_id))


def connection_editor(connection_id: ConnIdParam, user: UserDep) -> Viewer:
    """Job actions on one connection: users who may edit it (and so read it)."""
    _require(user, READ, connection_id)
    _require(user, EDIT, connection_id)
    return Viewer(user, connection_id, can_edit=True)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_secret_key(), salt="airflow-provider-ips.ui.job-action")


_fallback_key = secrets.token_urlsafe(32)


def _secret_key() -> str:
    from airflow.configuration import conf

    # without a configured key, tokens are valid in this process only
    return str(conf.get("api", "secret_key", fallback="") or _fallback_key)


def action_token(viewer: Viewer, job_handle: str, action: str) -> str:
    """The token a confirmation form posts back: good for this user, job and action only."""
    return _serializer().dumps([viewer.user_id, viewer.conn_id, job_handle, action])


def check_action_token(viewer: Viewer, job_handle: str, action: str, token: str) -> None:
    """Refuse (403) a POST whose token is missing, forged, stale or made for another request."""
    try:
        signed = _serializer().loads(token, max_age=ACTION_TOKEN_SECONDS)
    except BadSignature:
        signed = None
    if signed != [viewer.user_id, viewer.conn_id, job_handle, action]:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "The confirmation expired or does not match this request: confirm again",
        )
