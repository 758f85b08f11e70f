"""IpsJobSensor in poke, reschedule and deferrable modes, in real DAG runs."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from airflow_provider_ips.hooks.ips import IpsHook
from airflow_provider_ips.models import SubmitJobParam
from airflow_provider_ips.sensors.jobs import IpsJobSensor
from airflow_provider_ips.simulator import DEFAULT_COMPANY_HANDLE, IpsSimulator
from tests.helpers import xcom

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures("airflow_db")


def sensor_dag() -> Any:
    sys.path.insert(0, str(REPO / "tests" / "dags"))
    import ips_test_dags  # type: ignore[import-not-found]

    return ips_test_dags.ips_sensor_dag


def submit(hook: IpsHook, name: str, **extra: Any) -> str:
    param = SubmitJobParam(
        company_handle=DEFAULT_COMPANY_HANDLE, job_name=name, optimize_images_job={}, **extra
    )
    return hook.submit_job(param)


def states(run: Any) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances()}


def test_sensors_wait_for_jobs_submitted_elsewhere(live_simulator: IpsSimulator) -> None:
    live_simulator.script_outcome(duration=1.5, count=None)
    hook = IpsHook()
    after = datetime.now(timezone.utc) - timedelta(seconds=1)
    named = submit(hook, "sensed-by-name")
    handle = submit(hook, "sensed-by-handle")
    nightly = submit(hook, "nightly-export", exec_schedule="0 0 2 * * ?")
    hook.execute_job(nightly)  # a run of the scheduled job starts now
    run = sensor_dag().test(
        run_conf={
            "job_name": "sensed-by-name",
            "job_handle": handle,
            "scheduled_job_name": "nightly-export",
            "after": after.isoformat(),
        }
    )
    assert set(states(run).values()) == {"success"}, states(run)
    assert named != handle
    # every mode returns the finished job's summary
    for task_id, expected in (
        ("by_name_poke", named), ("by_name_deferred", named), ("by_handle_reschedule", handle),
    ):  # fmt: skip
        summary = xcom(run, task_id)
        assert summary["job_handle"] == expected, task_id
        assert summary["file_success_count"] == 3 and summary["end_date"], task_id
    # the sensors never submit or stop anything: they only read
    assert len(live_simulator.calls("submitJob")) == 3
    assert live_simulator.calls("stopJob") == []


def test_sensor_fails_when_the_job_fails(live_simulator: IpsSimulator) -> None:
    live_simulator.script_outcome(job_name="doomed", fatal=True, duration=0.5, count=None)
    hook = IpsHook()
    handle = submit(hook, "doomed")
    run = sensor_dag().test(
        run_conf={
            "job_name": "doomed",
            "job_handle": handle,
            "scheduled_job_name": "none-such",
            "after": datetime.now(timezone.utc).isoformat(),
        },
        mark_success_pattern="scheduled_run_.*",
    )
    got = states(run)
    assert got["by_name_poke"] == "failed"
    assert got["by_name_deferred"] == "failed"
    assert got["by_handle_reschedule"] == "failed"


def test_sensor_needs_exactly_one_selector() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        IpsJobSensor(task_id="s")
    with pytest.raises(ValueError, match="exactly one"):
        IpsJobSensor(task_id="s", job_handle="h", job_name="n")


def test_a_vanished_job_fails_the_sensor_in_poke_and_reschedule_mode(
    live_simulator: IpsSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reschedule mode keeps the watch across pokes, so it counts the polls that saw nothing."""
    import time

    sensor_dag()
    import ips_test_dags  # type: ignore[import-not-found]

    live_simulator.script_outcome(duration=0.1)
    hook = IpsHook()
    handle = submit(hook, "purged")
    while hook.get_active_jobs(job_handle=handle):
        time.sleep(0.05)
    monkeypatch.setattr(live_simulator.engine, "get_job_log_details", lambda *a, **k: [])
    run = ips_test_dags.ips_sensor_vanish_dag.test(run_conf={"job_handle": handle})
    assert states(run) == {"vanish_poke": "failed", "vanish_reschedule": "failed"}
    looks = [c for c in live_simulator.calls("getScheduledJobs") if c.job_handle == handle]
    assert len(looks) >= 6, "three polls that found nothing, in each mode"
