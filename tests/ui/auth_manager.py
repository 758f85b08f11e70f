"""An auth manager for the UI tests that tells reading a connection from editing it.

SimpleAuthManager grants both to role OP and above. Real deployments (FAB, Keycloak) can
grant read alone; here role USER may read connections but not edit them, so the page's
read-only view can be tested against a real API server. Everything else is SimpleAuthManager.
"""

from __future__ import annotations

from typing import Any

from airflow.api_fastapi.auth.managers.simple.simple_auth_manager import SimpleAuthManager


class ConnectionReadersAuthManager(SimpleAuthManager):
    def is_authorized_connection(self, *, method: Any, user: Any, details: Any = None) -> bool:
        if method == "GET" and str(user.role or "").upper() == "USER":
            return True
        return bool(super().is_authorized_connection(method=method, user=user, details=details))
