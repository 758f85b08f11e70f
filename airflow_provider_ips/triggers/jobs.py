"""Wait for an IPS job in the triggerer, without holding a worker slot.

The triggerer imports this module on its event loop, where every other trigger waits
meanwhile: it imports only light modules. The hook, the SOAP client (zeep, lxml) and the
poller are imported in a worker thread when the first trigger runs (:func:`_load`).
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any, ClassVar

from airflow.triggers.base import BaseTrigger, TriggerEvent

from airflow_provider_ips._compat import TRIGGER_ON_KILL
from airflow_provider_ips.outcome import EventStatus, FailOn, JobEvent
from airflow_provider_ips.watch import JobWatch, Notice, WatchPolicy

#: IPS fault code for a handle that is unknown or whose job already finished.
JOB_NOT_RUNNING = 30001


#: Modules :func:`_load` has imported completely (sys.modules also holds modules that
#: another thread is still importing).
_loaded: dict[str, ModuleType] = {}


async def _load(name: str) -> ModuleType:
    """Module ``name``, imported off the event loop the first time."""
    module = _loaded.get(name)
    if module is None:
        module = _loaded[name] = await asyncio.to_thread(importlib.import_module, name)
    return module


class IpsJobTrigger(BaseTrigger):
    """Fires once when an IPS job has finished, or waiting for it has failed.

    All triggers of one connection and company in a triggerer share one poller (one
    ``getActiveJobs`` call per interval for all of them); see
    :mod:`airflow_provider_ips.triggers.poller`. The single event's payload is
    ``JobEvent.to_dict()``:

    * the job finished: SUCCESS or FAILED by ``fail_on``, with its summary and problem rows;
    * ``deadline`` passed first: FAILED, ``error_kind="deadline"``;
    * the job is gone (not active, not scheduled, no log) for a grace period: FAILED,
      ``error_kind="vanished"``;
    * polls failed ``max_failed_polls`` times in a row (after the hook's own retries), for
      whatever reason (IPS unreachable, faults, unreadable replies): ERROR, ``error_kind`` the
      last failure's kind (``transport``, ``timeout``, ``protocol``, ``authentication``, ...).

    The rules are those of :class:`~airflow_provider_ips.watch.JobWatch`, as on a worker.

    :param job_handle: The job to wait for.
    :param ips_conn_id: The ``ips`` connection.
    :param job_name: The job's name, for messages only.
    :param fail_on: ``fatal``, ``errors`` (default) or ``warnings``; see :class:`FailOn`.
    :param poll_interval: Seconds between polls (the shared poller uses the shortest).
    :param deadline: Absolute time (epoch seconds) to give up at; set once by the operator, so
        a trigger re-created after a triggerer restart keeps the same one.
    :param stop_job_on_kill: Stop the IPS job when a user kills the deferred task.
    :param company_handle: The company; default: the connection's (resolved once).
    :param hook_params: The operator's or sensor's ``hook_params`` (retries, patience).
    """

    #: Seconds ``on_kill`` gives ``stopJob`` (Airflow bounds ``on_kill`` itself at 30 s).
    stop_timeout: ClassVar[float] = 20.0

    def __init__(
        self,
        job_handle: str,
        ips_conn_id: str = "ips_default",
        job_name: str | None = None,
        fail_on: str = FailOn.ERRORS.value,
        poll_interval: float = 30.0,
        deadline: float | None = None,
        stop_job_on_kill: bool = True,
        company_handle: str | None = None,
        hook_params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        if not job_handle:
            raise ValueError("job_handle: must not be empty")
        if not float(poll_interval) > 0:
            raise ValueError(f"poll_interval: must be > 0, got {poll_interval!r}")
        self.job_handle = job_handle
        self.ips_conn_id = ips_conn_id
        self.job_name = job_name
        self.fail_on = FailOn.parse(fail_on).value
        self.poll_interval = float(poll_interval)
        self.deadline = float(deadline) if deadline is not None else None
        self.stop_job_on_kill = bool(stop_job_on_kill)
        self.company_handle = company_handle
        self.hook_params = dict(hook_params or {})
        self.policy = WatchPolicy.from_dict(self.hook_params)
        self._waiter: Any = None  # the JobWaiter while run() waits
        self._fired = False

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                "job_handle": self.job_handle,
                "ips_conn_id": self.ips_conn_id,
                "job_name": self.job_name,
                "fail_on": self.fail_on,
                "poll_interval": self.poll_interval,
                "deadline": self.deadline,
                "stop_job_on_kill": self.stop_job_on_kill,
                "company_handle": self.company_handle,
                "hook_params": self.hook_params,
            },
        )

    @property
    def _label(self) -> str:
        return f"{self.job_name!r} ({self.job_handle})" if self.job_name else self.job_handle

    async def run(self) -> AsyncIterator[TriggerEvent]:
        watch = JobWatch.start(
            self.job_handle,
            fail_on=self.fail_on,
            job_name=self.job_name,
            company_handle=self.company_handle,
            deadline=self.deadline,
            policy=self.policy,
        )
        poller = await _load("airflow_provider_ips.triggers.poller")
        waiter = poller.JobWaiter(watch, poll_interval=self.poll_interval)
        self._waiter = waiter
        self.log.info(
            "Waiting for IPS job %s (connection %s, polling every %gs)",
            self._label,
            self.ips_conn_id,
            self.poll_interval,
        )
        try:
            poller.JobPoller.join(
                waiter,
                ips_conn_id=self.ips_conn_id,
                company_handle=self.company_handle,
                hook_params=self.hook_params,
            )
            while True:
                item = await waiter.get()
                if isinstance(item, JobEvent):
                    event = item
                    break
                assert isinstance(item, Notice)
                # logged from this task, so the triggerer files it in this task's log
                getattr(self.log, item.level, self.log.info)(item.message)
        finally:
            waiter.leave()
        if event.status is EventStatus.SUCCESS:
            self.log.info("%s", event.message)
        else:
            self.log.warning("%s", event.message)
        self._fired = True
        yield TriggerEvent(event.to_dict())

    async def cleanup(self) -> None:
        """Free local resources only; never stops the job (a triggerer restart calls this)."""
        if self._waiter is not None:
            self._waiter.leave()
        if not (self._fired or TRIGGER_ON_KILL) and self.stop_job_on_kill:
            # Before Airflow 3.3 a killed task and a stopping triggerer look alike here.
            self.log.warning(
                "Stopped waiting for IPS job %s; the job is left running. If its task was "
                "marked failed or success, stop the job with IpsStopJobOperator or in IPS "
                "(this Airflow release does not tell triggers that a task was killed)",
                self._label,
            )

    async def on_kill(self) -> None:
        """The user killed the deferred task: stop the IPS job (if ``stop_job_on_kill``)."""
        if not self.stop_job_on_kill:
            self.log.info(
                "Task killed; leaving IPS job %s running (stop_job_on_kill=False)", self._label
            )
            return
        hooks = await _load("airflow_provider_ips.hooks.ips")
        errors = await _load("airflow_provider_ips.soap.errors")
        hook = hooks.IpsAsyncHook(self.ips_conn_id, **hooks.hook_kwargs(self.hook_params))
        if self.company_handle:
            hook._company = self.company_handle
        try:
            await asyncio.wait_for(hook.stop_job(self.job_handle), self.stop_timeout)
        except errors.IpsApiError as exc:
            if exc.code == JOB_NOT_RUNNING:
                self.log.info("IPS job %s is no longer running; nothing to stop", self._label)
            else:
                self.log.warning("Could not stop IPS job %s: %s", self._label, exc)
        except asyncio.TimeoutError:
            self.log.warning(
                "Could not stop IPS job %s within %gs; it may still be running",
                self._label,
                self.stop_timeout,
            )
        except errors.IpsError as exc:
            self.log.warning("Could not stop IPS job %s: %s", self._label, exc)
        else:
            self.log.info("Stopped IPS job %s", self._label)
        finally:
            await hook.aclose()
