"""The provider end to end on the Airflow release installed here.

``make test-matrix`` runs this module (``-m integration``) in one environment per supported
Airflow release (``.matrix/<release>/``); the main suite runs it on the locked release. What
each release lacks is asserted as it degrades (docs/airflow-versions.md), not skipped.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta

import airflow_provider_ips
from airflow_provider_ips._compat import CONN_FIELDS_READ, TRIGGER_ON_KILL, dag_bag
from airflow_provider_ips.connection import conn_fields
from airflow_provider_ips.hooks.ips import IpsHook, _company_cache
from airflow_provider_ips.models import SubmitJobParam
from airflow_provider_ips.operators.jobs import default_job_name
from airflow_provider_ips.simulator import DEFAULT_COMPANY_HANDLE, IpsSimulator
from airflow_provider_ips.timetables import IpsScheduleTimetable
from airflow_provider_ips.triggers import IpsJobTrigger
from tests.helpers import FakeClock, xcom

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
AIRFLOW_CLI = str(Path(sys.executable).with_name("airflow"))


def test_the_release_under_test_is_the_one_asked_for() -> None:
    """make test-matrix names the release; otherwise it is the one uv.lock pins."""
    import airflow
    import tomllib

    locked = tomllib.loads((REPO / "uv.lock").read_text())["package"]
    pinned = next(p["version"] for p in locked if p["name"] == "apache-airflow")
    assert airflow.__version__ == os.environ.get("IPS_MATRIX_AIRFLOW", pinned)


# -- provider registration ------------------------------------------------------------------


def _hooks() -> Any:
    """Connection types as task code looks them up (the Task SDK's own registry from 3.2)."""
    try:
        from airflow.sdk.providers_manager_runtime import ProvidersManagerTaskRuntime
    except ImportError:
        from airflow.providers_manager import ProvidersManager

        return ProvidersManager().hooks
    return ProvidersManagerTaskRuntime().hooks


def test_airflow_registers_the_provider_its_hook_and_plugin() -> None:
    from airflow.providers_manager import ProvidersManager

    manager = ProvidersManager()
    assert manager.providers["airflow-provider-ips"].version == airflow_provider_ips.__version__
    hook = _hooks()["ips"]
    assert hook is not None
    assert hook.hook_class_name == "airflow_provider_ips.hooks.ips.IpsHook"
    assert hook.connection_testable
    plugins = [p for p in manager.plugins if p.name == "ips"]
    assert [p.plugin_class for p in plugins] == ["airflow_provider_ips.plugins.IpsProviderPlugin"]


def _form_mechanism(method: str) -> None:
    """Skip-free: before 3.2 the form comes from the hook; say so when it has none yet."""
    if not CONN_FIELDS_READ and method not in IpsHook.__dict__:
        pytest.xfail(f"Airflow < 3.2 builds the form from IpsHook.{method}, which it lacks")


def test_the_connection_form_shows_the_ips_fields() -> None:
    from airflow.providers_manager import ProvidersManager

    _form_mechanism("get_connection_form_widgets")
    registered = ProvidersManager().connection_form_widgets
    widgets = {name for name in registered if name.startswith("extra__ips__")}
    assert widgets == {f"extra__ips__{name}" for name in conn_fields()}


def test_the_connection_form_relabels_and_hides_fields() -> None:
    from airflow.providers_manager import ProvidersManager

    _form_mechanism("get_ui_field_behaviour")
    behaviour = ProvidersManager().field_behaviours["ips"]
    assert behaviour["hidden_fields"] == ["schema"]
    assert behaviour["relabeling"]["login"] == "IPS user (email)"


# -- connection test ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_company_cache() -> None:
    _company_cache.clear()


def test_connection_test_passes_against_the_simulator(
    ips_connection: Callable[..., dict[str, Any]],
) -> None:
    ok, message = IpsHook().test_connection()
    assert ok, message
    assert DEFAULT_COMPANY_HANDLE in message


def test_connection_test_reports_a_wrong_password(
    ips_connection: Callable[..., dict[str, Any]],
) -> None:
    ips_connection(password="not-the-password")
    ok, message = IpsHook().test_connection()
    assert not ok
    assert message.startswith("Authentication failed")
    assert "not-the-password" not in message


def test_airflow_cli_tests_the_connection(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    env = dict(os.environ, AIRFLOW__CORE__TEST_CONNECTION="Enabled")
    out = subprocess.run(
        [AIRFLOW_CLI, "connections", "test", "ips_default"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert "Connection success!" in out.stdout, out.stdout[-2000:] + out.stderr[-2000:]
    assert [c.operation for c in simulator.calls()] == ["getCompanyInfo"]


# -- timetable ------------------------------------------------------------------------------


def test_the_timetable_survives_dag_serialisation() -> None:
    from airflow.sdk import DAG
    from airflow.sdk.bases.operator import BaseOperator
    from airflow.serialization import serialized_objects
    from airflow.timetables.base import TimeRestriction

    # the (de)serialiser the scheduler uses: DagSerialization from 3.2, SerializedDAG before
    serializer = getattr(serialized_objects, "DagSerialization", None)
    if serializer is None:
        serializer = serialized_objects.SerializedDAG

    timetable = IpsScheduleTimetable(
        "0 30 2 ? * 1L", timezone="Europe/Berlin", interval=relativedelta(days=1)
    )
    start = datetime(2026, 3, 1, tzinfo=timezone.utc)
    with DAG("ips_timetable_release_check", schedule=timetable, start_date=start) as dag:
        BaseOperator(task_id="submit")
    data = json.loads(json.dumps(serializer.to_dict(dag)))
    restored = serializer.from_dict(data).timetable
    assert isinstance(restored, IpsScheduleTimetable)
    assert restored == timetable
    first = restored.next_dagrun_info(
        last_automated_data_interval=None,
        restriction=TimeRestriction(earliest=start, latest=None, catchup=True),
    )
    # the last Sunday of March 2026, 02:30 Berlin -> 03:30 CEST = 01:30 UTC
    assert first is not None
    assert first.data_interval.end == datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)
    assert first.data_interval.start == datetime(2026, 3, 28, 1, 30, tzinfo=timezone.utc)


def test_dag_files_using_the_timetable_parse_and_bad_schedules_are_import_errors() -> None:
    timetables = REPO / "tests" / "timetables"
    good = dag_bag(str(timetables / "dags_ok"))
    assert good.import_errors == {}
    assert isinstance(good.dags["ips_schedule_timetable_test"].timetable, IpsScheduleTimetable)
    bad = dag_bag(str(timetables / "dags_bad"))
    errors = {Path(path).name: message for path, message in bad.import_errors.items()}
    assert "never fires" in errors["ips_never_fires_dag.py"]


# -- a real DAG run -------------------------------------------------------------------------


def _release_dag() -> Any:
    sys.path.insert(0, str(REPO / "tests" / "dags"))
    import ips_release_dags  # type: ignore[import-not-found]

    return ips_release_dags.ips_release_check_dag


@pytest.mark.usefixtures("airflow_db")
def test_a_deferred_job_and_every_sensor_mode_run_in_a_dag(live_simulator: IpsSimulator) -> None:
    run = _release_dag().test()
    states = {ti.task_id: str(ti.state) for ti in run.get_task_instances()}
    assert set(states.values()) == {"success"}, states
    (submitted,) = live_simulator.calls("submitJob")
    assert submitted.job_name == default_job_name(run.dag_id, "optimize_deferred", run.run_id)
    summary = xcom(run, "optimize_deferred")
    assert summary["job_handle"] == submitted.job_handle and summary["end_date"]
    for mode in ("poke", "reschedule", "deferred"):
        assert xcom(run, f"sensor_{mode}")["job_handle"] == submitted.job_handle, mode
    assert live_simulator.calls("stopJob") == []


# -- killing a deferred task ----------------------------------------------------------------


def _logged(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> str:
    """A trigger's log lines: through logging, or printed by structlog (Airflow 3.1 on)."""
    printed = capsys.readouterr()
    return caplog.text + printed.out + printed.err


def _trigger_for_new_job(name: str) -> IpsJobTrigger:
    param = SubmitJobParam(
        company_handle=DEFAULT_COMPANY_HANDLE, job_name=name, optimize_images_job={}
    )
    handle = IpsHook().submit_job(param)
    trigger = IpsJobTrigger(job_handle=handle, job_name=name, poll_interval=0.05)
    trigger.timeout_after = None  # set by the runner as it loads a trigger (read by 3.0)
    return trigger


def test_marking_a_deferred_task_failed_stops_the_job_only_where_triggers_hear_of_it(
    ips_connection: Callable[..., dict[str, Any]],
    simulator: IpsSimulator,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From 3.3 the triggerer calls ``on_kill``; before, the job runs on and the log says so."""
    from airflow.jobs.triggerer_job_runner import TriggerRunner

    monkeypatch.setenv("AIRFLOW_DISABLE_GREENBACK_PORTAL", "true")
    trigger = _trigger_for_new_job("killed")
    handle = trigger.job_handle

    async def run_then_mark_failed() -> None:
        runner = TriggerRunner()
        task = asyncio.create_task(runner.run_trigger(1, trigger))
        runner.triggers[1] = {"task": task, "name": "ips", "events": 0, "is_watcher": False}
        deadline = asyncio.get_running_loop().time() + 30
        while not simulator.calls("getActiveJobs"):  # the trigger is polling a running job
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.05)
        runner.to_cancel.append(1)
        await runner.cancel_triggers()  # what mark-failed leads to
        with pytest.raises(asyncio.CancelledError):
            await task

    with caplog.at_level(logging.WARNING):
        asyncio.run(run_then_mark_failed())
    stops = [c.job_handle for c in simulator.calls("stopJob")]
    state = IpsHook().get_active_jobs(job_handle=handle)[0].state.value
    if TRIGGER_ON_KILL:
        assert stops == [handle]
        assert state == "Stopping"
    else:
        assert stops == []
        assert state != "Stopping"
        logged = _logged(caplog, capsys)
        assert "the job is left running" in logged
        assert "IpsStopJobOperator" in logged


def test_a_finished_trigger_says_nothing_about_a_job_left_running(
    ips_connection: Callable[..., dict[str, Any]],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    trigger = _trigger_for_new_job("done")
    clock.advance(60)  # the job has finished

    async def run_to_the_event() -> dict[str, Any]:
        try:
            async for event in trigger.run():
                return dict(event.payload)
            raise AssertionError("no event")
        finally:
            await trigger.cleanup()

    with caplog.at_level(logging.WARNING):
        payload = asyncio.run(run_to_the_event())
    assert payload["status"] == "success", payload
    assert "left running" not in _logged(caplog, capsys)
