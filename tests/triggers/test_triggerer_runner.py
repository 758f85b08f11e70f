"""The trigger inside Airflow's own TriggerRunner: user kill vs triggerer shutdown.

Marking a deferred task failed/success or clearing it makes the triggerer cancel the trigger
with its user-action message, which invokes ``on_kill``; a triggerer shutdown cancels
without it. Driven here through ``TriggerRunner.run_trigger``/``cancel_triggers``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any

import pytest

from airflow_provider_ips.hooks.ips import IpsHook, _company_cache
from airflow_provider_ips.models import SubmitJobParam
from airflow_provider_ips.simulator import DEFAULT_COMPANY_HANDLE, IpsSimulator
from airflow_provider_ips.triggers import IpsJobTrigger


@pytest.fixture(autouse=True)
def _fresh() -> None:
    _company_cache.clear()
    os.environ.setdefault("AIRFLOW_DISABLE_GREENBACK_PORTAL", "true")


def _submit(name: str) -> str:
    param = SubmitJobParam(
        company_handle=DEFAULT_COMPANY_HANDLE, job_name=name, optimize_images_job={}
    )
    return IpsHook().submit_job(param)


async def _run_then_cancel(trigger: IpsJobTrigger, user_action: bool) -> None:
    from airflow.jobs.triggerer_job_runner import TriggerRunner

    runner = TriggerRunner()
    task = asyncio.create_task(runner.run_trigger(1, trigger))
    runner.triggers[1] = {"task": task, "name": "ips", "events": 0, "is_watcher": False}
    await asyncio.sleep(0.5)  # several polls: the trigger is waiting on a running job
    assert not task.done()
    if user_action:
        runner.to_cancel.append(1)
        await runner.cancel_triggers()  # what mark-failed / clear lead to
    else:
        task.cancel()  # what a triggerer shutdown does
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.parametrize("user_action", [True, False], ids=["mark_failed", "shutdown"])
def test_user_kill_stops_the_ips_job_and_shutdown_does_not(
    ips_connection: Callable[..., dict[str, Any]],
    simulator: IpsSimulator,
    user_action: bool,
) -> None:
    handle = _submit("deferred-job")
    trigger = IpsJobTrigger(job_handle=handle, poll_interval=0.05)
    asyncio.run(_run_then_cancel(trigger, user_action))
    stops = simulator.calls("stopJob")
    if user_action:
        assert [c.job_handle for c in stops] == [handle]
        assert IpsHook().get_active_jobs(job_handle=handle)[0].state.value == "Stopping"
    else:
        assert stops == []
        assert IpsHook().get_active_jobs(job_handle=handle)[0].state.value != "Stopping"
