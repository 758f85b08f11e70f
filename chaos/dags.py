"""The one-task DAG of a cycle, built with the provider's public operator API only.

A worker's DAGs folder holds one file (:data:`DAG_FILE`) that builds the current cycle's DAG
from ``cycle.json`` next to it. ``dag.test()`` parses that folder; the worker, and the
worker process that gets killed, load the same file, so both run the very same DAG.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from chaos.plan import CALL_TIMEOUT, LOGICAL_DATE, POLL_INTERVAL, TASK_TIMEOUT, CycleSpec

TASK_ID = "job"
DAG_FILE_NAME = "chaos_cycle_dag.py"
CYCLE_FILE_NAME = "cycle.json"

#: Contents of the DAGs folder's one file (the words airflow and DAG let the parser in).
DAG_FILE = '''"""The airflow DAG of the chaos campaign's current cycle (see chaos/dags.py)."""

from chaos.dags import dag_for_folder

dag = dag_for_folder(__file__)
'''

#: Patience settings for the operators' hooks, where the provider accepts ``hook_params``.
#: Short backoffs keep cycles quick; the retry budget (4 tries) and the submit grace are what
#: the faults are planned against: no transient fault outlasts one call's retries, and no
#: submitJob answer is delayed past the grace (at most 10 call timeouts, see chaos.plan).
HOOK_PARAMS: dict[str, Any] = {
    "retry_attempts": 4,
    "retry_base_delay": 0.05,
    "retry_max_delay": 0.25,
    "submit_grace": 10 * CALL_TIMEOUT + 1.0,
    "max_failed_polls": 5,
    "vanish_polls": 3,
    "vanish_seconds": 2.0,
}


def operator_class(job_type: str) -> Any:
    from airflow_provider_ips.operators.jobs import JOB_OPERATORS

    for operator in JOB_OPERATORS:
        spec = operator.job_type
        if spec is not None and spec.param_field == job_type:
            return operator
    raise LookupError(f"no operator for job type {job_type!r}")


def example_fields(job_type: str) -> dict[str, Any]:
    from tests.examples import EXAMPLE_JOBS

    return dict(EXAMPLE_JOBS[job_type])


@cache
def hook_params_accepted() -> bool:
    """Whether the operators take ``hook_params`` (being added while this was written).

    Call it outside any ``with DAG(...)`` block: the probe operator must not join a DAG.
    """
    operator = operator_class("optimize_images_job")
    try:
        operator(task_id="probe_hook_params", hook_params=dict(HOOK_PARAMS))
    except TypeError:
        return False
    return True


def operator_kwargs(spec: CycleSpec) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "task_id": TASK_ID,
        "deferrable": spec.deferrable,
        "poll_interval": POLL_INTERVAL,
        "timeout": TASK_TIMEOUT,
        "fail_on": spec.fail_on,
        "retries": spec.retries,
        "retry_delay": timedelta(0),
        **example_fields(spec.job_type),
    }
    if hook_params_accepted():
        kwargs["hook_params"] = dict(HOOK_PARAMS)
    return kwargs


def build_dag(spec: CycleSpec) -> Any:
    import pendulum
    from airflow.sdk import DAG

    start = pendulum.datetime(2026, 1, 1, tz="UTC")
    kwargs = operator_kwargs(spec)  # before the DAG context: the hook_params probe is no task
    with DAG(spec.dag_id, schedule=None, start_date=start, catchup=False) as dag:
        operator_class(spec.job_type)(**kwargs)
    return dag


def dag_for_folder(dag_file: str) -> Any:
    """The DAG of the cycle described in ``cycle.json`` next to ``dag_file``."""
    data = json.loads(Path(dag_file).with_name(CYCLE_FILE_NAME).read_text())
    return build_dag(CycleSpec.from_json(data))


def write_dag_folder(folder: Path, spec: CycleSpec) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CYCLE_FILE_NAME).write_text(json.dumps(spec.to_json()))
    dag_file = folder / DAG_FILE_NAME
    if not dag_file.exists():
        dag_file.write_text(DAG_FILE)


def load_dag(folder: Path) -> Any:
    """Import the folder's DAG file as the DAG processor would: by path, a fresh module."""
    path = folder / DAG_FILE_NAME
    module_spec = importlib.util.spec_from_file_location("chaos_cycle_dag_module", path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module.dag


def run_dag(folder: Path) -> Any:
    """``dag.test()`` of the folder's DAG at the fixed logical date (same run id every time)."""
    import pendulum

    when = pendulum.parse(LOGICAL_DATE)
    return load_dag(folder).test(run_after=when, logical_date=when)


def task_outcome(run: Any) -> tuple[str, Any]:
    """The task's final state and its XCom return value (``None`` if it pushed none)."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    state = states.get(TASK_ID)
    with create_session() as session:
        row = session.scalars(
            select(XComModel).where(
                XComModel.dag_id == run.dag_id,
                XComModel.run_id == run.run_id,
                XComModel.task_id == TASK_ID,
                XComModel.key == "return_value",
            )
        ).first()
        value = row.value if row is not None else None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    return (str(getattr(state, "value", state)), value)
