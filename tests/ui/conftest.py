"""Fixtures of the UI tests: a simulator with seeded jobs, a real API server on it, a DAG
run whose tasks carry the job link, and Debian's Chromium.

Session-scoped: the API server (its DB migration, its start) is the slow part, and every UI
test module shares it. Tests that change a job's state each use a job of their own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from airflow_provider_ips.simulator import (
    DEFAULT_USER,
    IpsSimulator,
    JobOutcome,
    SimulatorConfig,
    SimUser,
    Timing,
)
from tests.ui.airflow_server import ROOT, AirflowApiServer
from tests.ui.seed import Seeded, seed_jobs

CONN_ID = "ips_ui"
#: The connection's password: no page may ever show it.
PASSWORD = "Pw-of-the-ui-tests-4417"
DAGS = Path(__file__).resolve().parent / "dags"
#: Where the browser test leaves its screenshots (git-ignored; CI keeps them).
SCREENSHOTS = Path(os.environ.get("IPS_UI_SCREENSHOTS", ROOT / "build" / "screenshots"))
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def ui_simulator() -> Iterator[IpsSimulator]:
    config = SimulatorConfig(
        users={DEFAULT_USER: SimUser(PASSWORD)},
        timing=Timing(new_seconds=0.05, waiting_seconds=0.05, done_seconds=0.05),
        default_outcome=JobOutcome(duration=0.3),
    )
    with IpsSimulator(config=config) as sim:
        yield sim


@pytest.fixture(scope="session")
def seeded(ui_simulator: IpsSimulator) -> Seeded:
    from airflow_provider_ips.hooks.ips import IpsHook

    env = {f"AIRFLOW_CONN_{CONN_ID.upper()}": ui_simulator.connection_json()}
    with mock.patch.dict(os.environ, env):
        hook = IpsHook(CONN_ID)
        try:
            return seed_jobs(hook, ui_simulator.script_outcome)
        finally:
            hook.close()


@pytest.fixture(scope="session")
def airflow_server(
    ui_simulator: IpsSimulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AirflowApiServer]:
    home = tmp_path_factory.mktemp("airflow-ui-home")
    server = AirflowApiServer(home, DAGS, {CONN_ID: ui_simulator.connection_json()})
    server.migrate()
    server.start()
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def link_run(airflow_server: AirflowApiServer, seeded: Seeded) -> str:
    """The run id of a finished ``ips_ui_link`` run (``airflow dags test``, same DB)."""
    done = airflow_server.airflow("dags", "test", "ips_ui_link", timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with airflow_server.client("admin") as api:
        runs = api.get("/api/v2/dags/ips_ui_link/dagRuns").json()["dag_runs"]
    assert [run["state"] for run in runs] == ["success"], runs
    return str(runs[0]["dag_run_id"])


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium, installed on first use (CI machines start without it)."""
    if not os.path.exists(CHROMIUM):
        if shutil.which("apt-get") is None or os.geteuid() != 0:
            pytest.fail(
                f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
            )
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "chromium"],
        ):
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1200)
            assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return CHROMIUM
