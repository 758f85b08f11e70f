"""Stop/pause/resume/delete operators and the worker-side on_kill, against the simulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from airflow_provider_ips.hooks.ips import IpsHook, _company_cache
from airflow_provider_ips.models import SubmitJobParam
from airflow_provider_ips.operators.jobs import (
    IpsDeleteJobOperator,
    IpsOptimizeImagesJobOperator,
    IpsPauseJobOperator,
    IpsResumeJobOperator,
    IpsStopJobOperator,
)
from airflow_provider_ips.simulator import DEFAULT_COMPANY_HANDLE, IpsSimulator


def _submit(name: str, **extra: Any) -> str:
    param = SubmitJobParam(
        company_handle=DEFAULT_COMPANY_HANDLE, job_name=name, optimize_images_job={}, **extra
    )
    return IpsHook().submit_job(param)


def test_management_operators_act_on_the_job(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    _company_cache.clear()
    nightly = _submit("nightly", exec_schedule="0 0 2 * * ?")
    assert IpsPauseJobOperator(task_id="p", job_handle=nightly).execute({}) == nightly  # type: ignore[arg-type]
    assert IpsHook().get_scheduled_jobs(job_handle=nightly)[0].trigger_state.value == "Paused"
    IpsResumeJobOperator(task_id="r", job_handle=nightly).execute({})  # type: ignore[arg-type]
    assert IpsHook().get_scheduled_jobs(job_handle=nightly)[0].trigger_state.value == "Normal"
    IpsDeleteJobOperator(task_id="d", job_handle=nightly).execute({})  # type: ignore[arg-type]
    assert IpsHook().get_scheduled_jobs(job_handle=nightly) == []
    running = _submit("running")
    IpsStopJobOperator(task_id="s", job_handle=running).execute({})  # type: ignore[arg-type]
    assert [c.operation for c in simulator.calls()][-1] == "stopJob"
    assert IpsHook().get_active_jobs(job_handle=running)[0].state.value == "Stopping"


def test_worker_on_kill_stops_the_job_it_submitted(
    ips_connection: Callable[..., dict[str, Any]], simulator: IpsSimulator
) -> None:
    _company_cache.clear()
    operator = IpsOptimizeImagesJobOperator(task_id="optimize")
    operator.submit_or_adopt({"ti": _Ti()})  # type: ignore[arg-type]
    handle = operator._job_handle
    operator.on_kill()
    assert [(c.operation, c.job_handle) for c in simulator.calls("stopJob")] == [
        ("stopJob", handle)
    ]
    keep = IpsOptimizeImagesJobOperator(task_id="keep", stop_job_on_kill=False)
    keep.submit_or_adopt({"ti": _Ti(task_id="keep")})  # type: ignore[arg-type]
    keep.on_kill()
    assert len(simulator.calls("stopJob")) == 1


class _Ti:
    def __init__(self, task_id: str = "optimize") -> None:
        self.dag_id, self.task_id, self.run_id, self.map_index = "d", task_id, "r", -1
