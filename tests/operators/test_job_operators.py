"""Operators run in real DAG runs (dag.test()) against the simulator over HTTP."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from airflow_provider_ips.models import JOB_TYPES
from airflow_provider_ips.operators.jobs import (
    JOB_OPERATORS,
    IpsCreateScheduledJobOperator,
    IpsOptimizeImagesJobOperator,
    IpsSubmitJobOperator,
    IpsUploadUrlsJobOperator,
    attempt_name,
    default_job_name,
)
from airflow_provider_ips.simulator import IpsSimulator
from tests.helpers import xcom

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures("airflow_db")


def load_dag(dag_id: str) -> Any:
    sys.path.insert(0, str(REPO / "tests" / "dags"))
    import ips_test_dags  # type: ignore[import-not-found]

    return next(d for d in vars(ips_test_dags).values() if getattr(d, "dag_id", None) == dag_id)


def states(run: Any) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances()}


def test_operators_are_generated_for_every_job_type() -> None:
    assert [op.job_type for op in JOB_OPERATORS] == list(JOB_TYPES)
    for op in JOB_OPERATORS:
        assert op.__name__ == f"Ips{op.job_type.model.__name__}Operator"
        assert ":param" in (op.__doc__ or "")


def test_every_job_type_runs_to_success_sync_and_deferred(live_simulator: IpsSimulator) -> None:
    run = load_dag("ips_every_job_type").test()
    assert set(states(run).values()) == {"success"}, states(run)
    submits = live_simulator.calls("submitJob")
    assert len(submits) == 2 * len(JOB_TYPES)
    assert len({c.job_name for c in submits}) == len(submits)
    summary = xcom(run, "upload_urls_job_deferred")
    assert summary["job_handle"].startswith("c1001|")
    assert summary["company_handle"] == "c1001"
    assert summary["file_success_count"] == 3 and summary["fatal_error"] is False
    assert summary["job_name"].startswith("ips_every_job_type.upload_urls_job_deferred.")
    assert xcom(run, "export_job_sync")["log_type"]


def test_fail_on_decides_the_outcome_with_detail_rows_in_the_log(
    live_simulator: IpsSimulator, capfd: pytest.CaptureFixture[str]
) -> None:
    from ips_test_dags import FAIL_ON_CASES  # type: ignore[import-not-found]

    dag = load_dag("ips_fail_on")
    for task_id, (outcome, _, _) in FAIL_ON_CASES.items():
        for suffix in ("sync", "deferred"):
            live_simulator.script_outcome(job_name=f"{task_id}_{suffix}", duration=0.3, **outcome)
    run = dag.test()
    got = states(run)
    for task_id, (_, _, expected) in FAIL_ON_CASES.items():
        assert got[f"{task_id}_sync"] == expected, task_id
        assert got[f"{task_id}_deferred"] == expected, task_id
    out = capfd.readouterr()
    log = out.out + out.err
    assert "Warning] file-" in log or "Warning]" in log
    assert "Simulated fatal error" in log


def test_exec_time_defers_then_submits_and_server_mode_passes_exec_time(
    live_simulator: IpsSimulator,
) -> None:
    exec_time = datetime.now(timezone.utc) + timedelta(seconds=3)
    server_exec_time = exec_time + timedelta(seconds=4)
    conf = {"exec_time": exec_time.isoformat(), "server_exec_time": server_exec_time.isoformat()}
    run = load_dag("ips_exec_time").test(run_conf=conf)
    assert states(run) == {
        "deferred_until_exec_time": "success",
        "server_side_exec_time": "success",
        "recurring_on_ips": "success",
    }
    by_task = {c.job_name.split(".")[1] if c.job_name and "." in c.job_name else c.job_name: c
               for c in live_simulator.calls("submitJob")}  # fmt: skip
    deferred = by_task["deferred_until_exec_time"]
    assert datetime.fromisoformat(deferred.time) >= exec_time - timedelta(milliseconds=50)
    server = by_task["server_side_exec_time"]
    assert datetime.fromisoformat(server.time) < server_exec_time  # sent early, IPS held it
    logs = {log.original_job_name: log for log in _hook().get_job_logs()}
    assert logs[server.job_name].start_date >= server_exec_time - timedelta(seconds=1)
    scheduled = xcom(run, "recurring_on_ips")
    assert scheduled["exec_schedule"] == "0 0 2 * * ?"
    assert scheduled["next_fire_time"].endswith(("T02:00:00+00:00", "T02:00:00Z"))


def _hook() -> Any:
    from airflow_provider_ips.hooks.ips import IpsHook

    return IpsHook()


def test_job_names_are_stable_bounded_and_safe() -> None:
    name = default_job_name("my dag", "upload/urls", "manual__2026-01-01T00:00:00+00:00", 3)
    assert name == "my_dag.upload_urls.manual__2026-01-01T00_00_00_00_00.3"
    long = default_job_name("d" * 200, "t", "r")
    assert len(long) <= 120 and long == default_job_name("d" * 200, "t", "r")
    assert long != default_job_name("d" * 199 + "e", "t", "r")
    assert attempt_name(long, 2).endswith("-2") and len(attempt_name(long, 2)) <= 120


def test_bad_literal_input_fails_when_the_dag_is_parsed() -> None:
    with pytest.raises(ValueError, match="url_array"):
        IpsUploadUrlsJobOperator(task_id="t", url_array=[])
    with pytest.raises(ValueError, match="exec_time"):
        IpsOptimizeImagesJobOperator(task_id="t", exec_time=datetime(2030, 1, 1))
    with pytest.raises(ValueError, match="day-of-week"):
        IpsCreateScheduledJobOperator(
            task_id="t", job={"optimize_images_job": {}}, exec_schedule="0 0 2 ? * 9"
        )
    with pytest.raises(TypeError, match="IpsCreateScheduledJobOperator"):
        IpsOptimizeImagesJobOperator(task_id="t", exec_schedule="0 0 2 * * ?")
    with pytest.raises(ValueError, match="fail_on"):
        IpsOptimizeImagesJobOperator(task_id="t", fail_on="sometimes")
    with pytest.raises(ValueError, match="job"):
        IpsSubmitJobOperator(task_id="t", job={"upload_urls_job": {}, "export_job": {}})
    with pytest.raises(ValueError, match="email_setting"):
        IpsOptimizeImagesJobOperator(task_id="t", email_setting="Sometimes")
    # templated values are checked after rendering instead
    IpsUploadUrlsJobOperator(task_id="t", url_array="{{ params.urls }}")


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("poll_interval", "fast"),
        ("poll_interval", float("nan")),
        ("poll_interval", float("inf")),
        ("poll_interval", 0),
        ("poll_interval", True),
        ("timeout", "10 minutes"),
        ("timeout", float("nan")),
        ("timeout", -5),
        ("timeout", timedelta(0)),
        ("exec_time", "tomorrow"),
        ("exec_time", "2030-01-01T02:00:00"),
        ("deferrable", "false"),
        ("deferrable", 1),
        ("wait_for_completion", "no"),
        ("stop_job_on_kill", None),
        ("hook_params", {"retry_attempts": "3"}),
        ("hook_params", {"retry_atempts": 3}),
        ("hook_params", {"max_failed_polls": 0}),
        ("hook_params", {"vanish_seconds": float("inf")}),
        ("hook_params", {"submit_grace": float("nan")}),
        ("hook_params", "fast"),
    ],
)
def test_every_bad_argument_is_refused_naming_it(argument: str, value: Any) -> None:
    field = argument.split(".")[0]
    with pytest.raises(ValueError, match=field) as info:
        IpsOptimizeImagesJobOperator(task_id="t", **{argument: value})
    if argument == "hook_params" and isinstance(value, dict):
        assert next(iter(value)) in str(info.value)


def test_good_arguments_are_kept_as_given() -> None:
    op = IpsOptimizeImagesJobOperator(
        task_id="t",
        poll_interval=2,
        timeout=timedelta(minutes=5),
        exec_time="2030-01-01T02:00:00+01:00",
        hook_params={"retry_attempts": 2, "submit_grace": 10, "max_failed_polls": 3},
    )
    assert op.poll_interval == 2.0 and op.timeout_seconds == 300.0
    assert op.watch_policy.max_failed_polls == 3 and op.hook.submit_grace == 10.0


def test_operator_modules_do_not_import_the_soap_stack() -> None:
    # the Task SDK loads httpx itself; what matters is what our modules add at parse time
    code = (
        "import sys\n"
        "from airflow.sdk import BaseOperator, BaseSensorOperator, DAG, ResumableJobMixin\n"
        "before = set(sys.modules)\n"
        "import airflow_provider_ips.operators.jobs, airflow_provider_ips.sensors.jobs\n"
        "import airflow_provider_ips.timetables\n"
        "added = set(sys.modules) - before\n"
        "stack = ('zeep', 'lxml', 'httpx', 'httpcore')\n"
        "print(sorted(m for m in added if m.split('.')[0] in stack))\n"
        "print(sorted(m for m in ('zeep', 'lxml') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-2:] == ["[]", "[]"]


class _TaskInstance:
    """The little of a task instance that ``execute`` touches, for tries run back to back."""

    def __init__(self, task_id: str) -> None:
        self.dag_id, self.task_id, self.run_id, self.map_index = "retries", task_id, "r1", -1
        self.xcoms: dict[str, Any] = {}

    def xcom_push(self, key: str, value: Any) -> None:
        self.xcoms[key] = value


@pytest.mark.parametrize(
    ("outcome", "fail_on", "succeeds"),
    [
        ({}, "errors", True),
        ({"errors": 2}, "errors", False),
        ({"errors": 2}, "fatal", True),
        ({"fatal": True}, "fatal", False),
    ],
)
def test_a_retry_reconnects_to_the_running_job_and_reports_its_real_outcome(
    outcome: dict[str, Any], fail_on: str, succeeds: bool, live_simulator: IpsSimulator
) -> None:
    """Try 1 loses IPS mid-wait; try 2 adopts the still running job and ends as it ends."""
    import threading

    from airflow_provider_ips.operators.jobs import IpsJobError

    live_simulator.script_outcome(duration=2.0, **outcome)
    op = IpsOptimizeImagesJobOperator(
        task_id="reconnect", fail_on=fail_on, poll_interval=0.05,
        hook_params={"max_failed_polls": 1, "retry_attempts": 1},
    )  # fmt: skip
    ti = _TaskInstance("reconnect")
    first: list[BaseException] = []

    def try_one() -> None:
        try:
            op.execute({"ti": ti})  # type: ignore[arg-type]
        except BaseException as exc:
            first.append(exc)

    worker = threading.Thread(target=try_one)
    worker.start()
    deadline = time.monotonic() + 60
    while not live_simulator.calls("submitJob"):
        assert time.monotonic() < deadline and worker.is_alive()
        time.sleep(0.01)
    live_simulator.inject("http_error", status=502, operation="getActiveJobs", count=None)
    worker.join(60)
    live_simulator.faults.clear()
    assert first and isinstance(first[0], IpsJobError), first
    assert "Could not poll IPS" in str(first[0])

    retry = IpsOptimizeImagesJobOperator(task_id="reconnect", fail_on=fail_on, poll_interval=0.05)
    if succeeds:
        summary = retry.execute({"ti": ti})  # type: ignore[arg-type]
        assert summary["job_handle"] == ti.xcoms["ips_job_handle"]
        assert summary["file_success_count"] >= 1 and summary["end_date"]
    else:
        with pytest.raises(IpsJobError):
            retry.execute({"ti": ti})  # type: ignore[arg-type]
    assert len(live_simulator.calls("submitJob")) == 1, "the retry adopted the job"


def test_timeout_fires_on_time_against_a_hung_server_and_stops_the_job(
    live_simulator: IpsSimulator,
) -> None:
    """Sync wait: every poll call is bounded by the wait's deadline, not the call timeout."""
    import threading

    from airflow_provider_ips.operators.jobs import IpsJobError

    live_simulator.script_outcome(duration=60.0)
    op = IpsOptimizeImagesJobOperator(task_id="hung", poll_interval=0.05, timeout=1.0)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            op.execute({"ti": _TaskInstance("hung")})  # type: ignore[arg-type]
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    deadline = time.monotonic() + 30
    while not live_simulator.calls("submitJob"):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    live_simulator.inject("latency", seconds=40, operation="getActiveJobs", count=None)
    worker.join(25)  # the connection's call timeout is 60 s: only the deadline ends it sooner
    live_simulator.faults.clear()
    assert not worker.is_alive(), "the wait outlived its timeout"
    assert outcome and isinstance(outcome[0], IpsJobError) and "Timed out" in str(outcome[0])
    assert [c.job_handle for c in live_simulator.calls("stopJob")] == [op._job_handle]


def test_scheduled_job_operator_sends_quartz_and_refuses_ambiguous_cron() -> None:
    adobe_example = IpsCreateScheduledJobOperator(
        task_id="t", job={"optimize_images_job": {}}, exec_schedule="00 00 00 * * "
    )
    assert adobe_example.exec_schedule == "0 0 0 * * ?"
    with pytest.raises(ValueError, match="exec_schedule") as info:
        IpsCreateScheduledJobOperator(
            task_id="t", job={"optimize_images_job": {}}, exec_schedule="30 2 * * *"
        )
    assert "0 30 2 * * ?" in str(info.value), "shows the Quartz to write for the cron reading"


def test_every_documented_spelling_is_a_keyword() -> None:
    from airflow_provider_ips.operators.jobs import IpsServerDirectoryPublishJobOperator

    op = IpsServerDirectoryPublishJobOperator(task_id="t", emailSetting="None")
    assert op.job == {"server_directory_publish_job": {"email_setting": "None"}}


def test_a_job_that_left_the_active_list_is_judged_on_its_final_log_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The race: the run is gone from getActiveJobs while its log has no end yet.

    A fatal job's log shows no fatal error until it ends; deciding on the partial log would
    call it a success. Both modes wait for the final log instead.
    """
    from airflow_provider_ips.simulator import JobOutcome, SimulatorConfig, Timing

    config = SimulatorConfig(
        timing=Timing(
            new_seconds=0.05, waiting_seconds=0.05, done_seconds=0.05, log_lag_seconds=1.0
        ),
        default_outcome=JobOutcome(duration=0.3),
    )
    with IpsSimulator(config=config) as sim:
        monkeypatch.setenv("AIRFLOW_CONN_IPS_DEFAULT", sim.connection_json())
        for suffix in ("sync", "deferred"):
            sim.script_outcome(job_name=f"fatal_{suffix}", duration=0.3, fatal=True)
        run = load_dag("ips_log_race").test()
    assert states(run) == {
        "fatal_sync": "failed",
        "fatal_deferred": "failed",
        "ok_sync": "success",
        "ok_deferred": "success",
    }
    assert xcom(run, "ok_sync")["end_date"] and xcom(run, "ok_deferred")["end_date"]


def test_a_deferred_wait_carries_the_execution_timeout_and_the_hook_params(
    live_simulator: IpsSimulator,
) -> None:
    from airflow.sdk.exceptions import TaskDeferred

    op = IpsOptimizeImagesJobOperator(
        task_id="bounded",
        deferrable=True,
        execution_timeout=timedelta(minutes=7),
        timeout=120,
        hook_params={"max_failed_polls": 9, "retry_attempts": 2},
    )
    with pytest.raises(TaskDeferred) as info:
        op.execute({"ti": _TaskInstance("bounded")})  # type: ignore[arg-type]
    deferred = info.value
    assert deferred.timeout == timedelta(minutes=7)
    _, kwargs = deferred.trigger.serialize()
    assert kwargs["hook_params"] == {"max_failed_polls": 9, "retry_attempts": 2}
    assert kwargs["deadline"] is not None and kwargs["job_handle"] == op._job_handle


def test_a_field_set_in_the_dag_is_never_dropped_by_native_rendering() -> None:
    """render_template_as_native_obj turns the literal "None" into Python None."""
    import pendulum
    from airflow.sdk import DAG

    with DAG("native", schedule=None, start_date=pendulum.datetime(2026, 1, 1), catchup=False,
             render_template_as_native_obj=True):  # fmt: skip
        literal = IpsUploadUrlsJobOperator(
            task_id="literal", url_array=["https://x.example/a.jpg"], email_setting="None"
        )
        templated = IpsUploadUrlsJobOperator(
            task_id="templated",
            url_array=["https://x.example/a.jpg"],
            email_setting="{{ params.mail }}",
        )
    literal.render_template_fields({"params": {}})  # type: ignore[arg-type]
    literal._checked()
    assert literal.job["upload_urls_job"]["email_setting"] == "None", "kept as written"
    templated.render_template_fields({"params": {"mail": None}})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="email_setting"):
        templated._checked()
