"""Shared fixtures: a simulator on loopback per test, and clients pointed at it."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

# Airflow reads its home and config at import: give the suite its own, before any import.
os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="ips-airflow-home-"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW_PROVIDER_IPS_CACHE", tempfile.mkdtemp(prefix="ips-cache-"))

import pytest

from airflow_provider_ips.simulator import (
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    IpsSimulator,
    JobOutcome,
    SimulatorConfig,
    Timing,
)
from airflow_provider_ips.soap import ClientOptions, Credentials, IpsSoapClient
from tests.helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sim_config() -> SimulatorConfig:
    return SimulatorConfig(
        timing=Timing(new_seconds=0.5, waiting_seconds=0.5),
        default_outcome=JobOutcome(duration=2.0),
    )


@pytest.fixture
def simulator(sim_config: SimulatorConfig, clock: FakeClock) -> Iterator[IpsSimulator]:
    with IpsSimulator(config=sim_config, clock=clock) as sim:
        yield sim


@pytest.fixture
def client_options(simulator: IpsSimulator) -> ClientOptions:
    return ClientOptions(base_url=simulator.url, timeout=5.0)


@pytest.fixture
def credentials() -> Credentials:
    return Credentials(DEFAULT_USER, DEFAULT_PASSWORD)


@pytest.fixture
def client(client_options: ClientOptions, credentials: Credentials) -> Iterator[IpsSoapClient]:
    with IpsSoapClient(client_options, credentials) as c:
        yield c


@pytest.fixture
def ips_connection(
    simulator: IpsSimulator, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., dict[str, Any]]:
    """Point ``ips_default`` (or another conn id) at the simulator, with extra overrides."""

    def make(conn_id: str = "ips_default", **overrides: Any) -> dict[str, Any]:
        conn = simulator.connection()
        extra = {**conn["extra"], **overrides.pop("extra", {})}
        conn = {**conn, **overrides, "extra": extra}
        monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps(conn))
        return conn

    make()
    return make


TEST_DAGS = os.path.join(os.path.dirname(__file__), "dags")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = TEST_DAGS


@pytest.fixture(scope="session")
def airflow_db() -> None:
    """A migrated metadata DB in the suite's AIRFLOW_HOME, for dag.test()."""
    import subprocess
    import sys
    from pathlib import Path

    airflow = Path(sys.executable).with_name("airflow")
    subprocess.run([str(airflow), "db", "migrate"], check=True, capture_output=True, timeout=600)


@pytest.fixture
def live_simulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[IpsSimulator]:
    """A simulator on the real clock with quick jobs, as ``ips_default``, for DAG runs."""
    config = SimulatorConfig(
        timing=Timing(new_seconds=0.05, waiting_seconds=0.05, done_seconds=0.05),
        default_outcome=JobOutcome(duration=0.3),
    )
    with IpsSimulator(config=config) as sim:
        monkeypatch.setenv("AIRFLOW_CONN_IPS_DEFAULT", sim.connection_json())
        yield sim
