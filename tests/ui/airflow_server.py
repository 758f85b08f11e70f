"""A real ``airflow api-server`` for the UI tests: its own AIRFLOW_HOME, a migrated sqlite
DB, users of each role, bound to 127.0.0.1. Started and stopped (by process group) here."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = str(Path(sys.executable).with_name("airflow"))
#: user -> (role, password); ``reader`` may read connections but not edit them
#: (see tests/ui/auth_manager.py), ``viewer`` may do neither.
USERS = {
    "admin": ("admin", "admin-pw"),
    "op": ("op", "op-pw"),
    "reader": ("user", "reader-pw"),
    "viewer": ("viewer", "viewer-pw"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class AirflowApiServer:
    def __init__(self, home: Path, dags: Path, connections: dict[str, str]) -> None:
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = home / "api-server.log"
        passwords = home / "passwords.json"
        passwords.write_text(json.dumps({u: pw for u, (_, pw) in USERS.items()}))
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")},
            "AIRFLOW_HOME": str(home),
            "PYTHONPATH": str(ROOT),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
            "AIRFLOW__CORE__AUTH_MANAGER": "tests.ui.auth_manager.ConnectionReadersAuthManager",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": ",".join(
                f"{user}:{role}" for user, (role, _) in USERS.items()
            ),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
            "AIRFLOW__API_AUTH__JWT_SECRET": "ui-tests-jwt-secret-" + "0" * 32,
            "AIRFLOW__API__SECRET_KEY": "ui-tests-secret-key",
            **{f"AIRFLOW_CONN_{k.upper()}": v for k, v in connections.items()},
        }

    def airflow(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run an ``airflow`` command against this server's home and DB."""
        return subprocess.run(
            [AIRFLOW, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )

    def migrate(self) -> None:
        done = self.airflow("db", "migrate", timeout=600)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    def start(self) -> None:
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [AIRFLOW, "api-server", "-H", "127.0.0.1", "-p", str(self.port), "-w", "1"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one, and only it
        )

    def wait_until_up(self, timeout: float = 180) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("api-server exited:\n" + self.log_path.read_text()[-3000:])
            try:
                if httpx.get(self.url + "/api/v2/monitor/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise AssertionError("api-server did not answer:\n" + self.log_path.read_text()[-3000:])

    def stop(self) -> None:
        if self.process is None:
            return
        pgid = self.process.pid  # the session leader: its group id is its pid
        if self.process.poll() is None:
            os.killpg(pgid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(pgid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self.process = None

    def token(self, user: str) -> str:
        password = USERS[user][1]
        reply = httpx.post(
            self.url + "/auth/token", json={"username": user, "password": password}, timeout=30
        )
        reply.raise_for_status()
        return str(reply.json()["access_token"])

    def client(self, user: str | None = None, **headers: Any) -> httpx.Client:
        """An HTTP client, as ``user`` (a bearer token) or anonymous; redirects not followed."""
        if user is not None:
            headers["Authorization"] = f"Bearer {self.token(user)}"
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)
