"""The example DAGs in dags/ import cleanly and run on the simulator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from airflow_provider_ips.simulator import IpsSimulator

DAGS = Path(__file__).resolve().parents[1] / "dags"


@pytest.fixture
def bag() -> object:
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_example_dags_import_without_errors(bag: object) -> None:
    assert bag.import_errors == {}  # type: ignore[attr-defined]
    assert set(bag.dag_ids) >= {"ips_upload_and_publish", "ips_nightly_export"}  # type: ignore[attr-defined]
    nightly = bag.dags["ips_nightly_export"]  # type: ignore[attr-defined]
    assert "Monday through Friday" in nightly.timetable.description


@pytest.mark.usefixtures("airflow_db")
def test_nightly_export_runs_with_its_form_defaults(live_simulator: IpsSimulator) -> None:
    # its own process: the DAG bundle (dags folder) is fixed once per Airflow process
    script = (
        "from airflow.dag_processing.dagbag import DagBag\n"
        f"bag = DagBag(dag_folder={str(DAGS)!r})\n"
        "run = bag.dags['ips_nightly_export'].test()\n"
        "print('STATES', sorted((ti.task_id, str(ti.state)) for ti in run.get_task_instances()))\n"
    )
    env = dict(os.environ, AIRFLOW__CORE__DAGS_FOLDER=str(DAGS))
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert "STATES [('export', 'success'), ('reprocess', 'success')]" in out.stdout, (
        out.stdout[-2000:] + out.stderr[-2000:]
    )
    kinds = [c.job_name.split(".")[1] for c in live_simulator.calls("submitJob") if c.job_name]
    assert kinds == ["reprocess", "export"]
