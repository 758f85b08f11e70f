"""Wait for an IPS job that something else submitted: by handle, by name, or the next run
of an IPS-side scheduled job. Same outcome rules (``fail_on``) as the operators."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from airflow.providers.common.compat.sdk import (
    AirflowSensorTimeout,
    BaseSensorOperator,
    PokeReturnValue,
    conf,
)

from airflow_provider_ips.links import IpsJobLink
from airflow_provider_ips.operators._arguments import check_bool, check_hook_params
from airflow_provider_ips.operators._conclude import conclude
from airflow_provider_ips.outcome import FailOn, JobEvent

#: Where a reschedule-mode sensor keeps its watch between pokes (Airflow's task state store).
WATCH_STATE_KEY = "ips_job_watch"

if TYPE_CHECKING:
    from airflow.sdk import Context

    from airflow_provider_ips.hooks.ips import IpsHook


class IpsJobSensor(BaseSensorOperator):
    """Succeed when an IPS job finishes and passes ``fail_on``; fail when it does not.

    Give exactly one of ``job_handle``, ``job_name`` or ``scheduled_job_name``.

    :param job_handle: The job's handle (templated).
    :param job_name: The job's original name: the active job with that name, else the
        newest finished one (templated).
    :param scheduled_job_name: Name of a recurring IPS job: wait for its next run that
        started at or after ``completed_after`` and has finished (templated).
    :param completed_after: Lower bound for ``scheduled_job_name`` runs (datetime or ISO
        string, templated). Default: the DAG run's ``data_interval_end`` (or run time).
    :param ips_conn_id: The ``ips`` connection.
    :param fail_on: ``fatal``, ``errors`` (default) or ``warnings``.
    :param deferrable: Wait in the triggerer. Default from ``[operators] default_deferrable``.
    :param hook_params: Retries and patience, as for the operators (``max_failed_polls``, ...).

    The job's watch (what earlier pokes saw) is kept across pokes; in ``reschedule`` mode in
    Airflow's task state store (3.3 on; before, each poke starts afresh), so a job that
    vanishes is noticed there too.
    """

    template_fields: Sequence[str] = (
        "job_handle",
        "job_name",
        "scheduled_job_name",
        "completed_after",
    )
    ui_color = "#e8f1fb"
    operator_extra_links = (IpsJobLink(),)

    def __init__(
        self,
        *,
        job_handle: str | None = None,
        job_name: str | None = None,
        scheduled_job_name: str | None = None,
        completed_after: datetime | str | None = None,
        ips_conn_id: str = "ips_default",
        fail_on: str = FailOn.ERRORS.value,
        deferrable: bool = conf.getboolean("operators", "default_deferrable", fallback=False),
        hook_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        given = [n for n, v in (("job_handle", job_handle), ("job_name", job_name),
                                ("scheduled_job_name", scheduled_job_name)) if v]  # fmt: skip
        if len(given) != 1:
            raise ValueError(
                "job_handle, job_name, scheduled_job_name: give exactly one, got "
                + (", ".join(given) or "none")
            )
        self.job_handle = job_handle
        self.job_name = job_name
        self.scheduled_job_name = scheduled_job_name
        self.completed_after = completed_after
        self.ips_conn_id = ips_conn_id
        self.fail_on = FailOn.parse(fail_on).value
        self.deferrable = check_bool(deferrable, "deferrable")
        self.hook_params = check_hook_params(hook_params)
        self._watch_state: dict[str, Any] | None = None

    @cached_property
    def hook(self) -> IpsHook:
        from airflow_provider_ips.hooks.ips import IpsHook, hook_kwargs

        return IpsHook(self.ips_conn_id, **hook_kwargs(self.hook_params))

    # -- finding the job -------------------------------------------------------------------
    def _after(self, context: Context) -> datetime:
        value: Any = (
            self.completed_after or context.get("data_interval_end") or context.get("logical_date")
        )
        if value is None:
            value = context["dag_run"].run_after
        if isinstance(value, str):
            import pendulum

            value = pendulum.parse(value)
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("completed_after: must be a timezone-aware date and time")
        return value

    def resolve_handle(self, context: Context) -> str | None:
        """The handle to wait on, or None if no such job exists (yet)."""
        if self.job_handle:
            return str(self.job_handle)
        hook = self.hook
        if self.job_name:
            # the running job with that name, else the newest one IPS knows
            return hook.find_job(name=str(self.job_name)).job_handle
        after = self._after(context)
        runs = [
            log
            for log in hook.get_job_logs(start_date=after)
            if log.original_job_name == self.scheduled_job_name
            and (log.start_date is None or log.start_date >= after)
        ]
        first = min(runs, key=lambda log: log.start_date or after, default=None)
        return str(first.job_handle) if first else None

    # -- poke / reschedule -------------------------------------------------------------------
    def poke(self, context: Context) -> PokeReturnValue | bool:
        from airflow_provider_ips.watch import JobWatch, WatchPolicy, WatchState

        store = context.get("task_state_store")
        saved = store.get(WATCH_STATE_KEY) if store is not None else self._watch_state
        if isinstance(saved, dict):
            watch = JobWatch(WatchState.from_dict(saved), WatchPolicy.from_dict(self.hook_params))
        else:
            handle = self.resolve_handle(context)
            if handle is None:
                self.log.info("No matching IPS job yet")
                return False
            watch = JobWatch.start(
                handle,
                fail_on=self.fail_on,
                job_name=self.job_name or self.scheduled_job_name,
                policy=WatchPolicy.from_dict(self.hook_params),
            )
        step = self.hook.poll(watch, float(self.poke_interval))
        for notice in step.notices:
            getattr(self.log, notice.level, self.log.info)("%s", notice.message)
        state = None if step.event is not None else watch.state.to_dict()
        if store is not None:
            if state is None:
                store.delete(WATCH_STATE_KEY)
            else:
                store.set(WATCH_STATE_KEY, state)
        self._watch_state = state
        if step.event is None:
            return False
        return PokeReturnValue(is_done=True, xcom_value=self._finish(step.event))

    def _finish(self, event: JobEvent) -> Any:
        return conclude(event, self.log, on_deadline=AirflowSensorTimeout)

    # -- deferrable --------------------------------------------------------------------------
    def execute(self, context: Context) -> Any:
        if not self.deferrable:
            return super().execute(context)
        return self._defer_or_finish(context, started=time.time())

    def _deadline(self, started: float) -> float | None:
        timeout = self.timeout
        if timeout is None:
            return None
        seconds = timeout.total_seconds() if isinstance(timeout, timedelta) else float(timeout)
        return started + seconds

    def _defer_or_finish(self, context: Context, started: float) -> Any:
        handle = self.resolve_handle(context)
        deadline = self._deadline(started)
        if handle is None:
            if deadline is not None and time.time() >= deadline:
                raise AirflowSensorTimeout(f"no matching IPS job appeared within {self.timeout}s")
            from airflow.providers.standard.triggers.temporal import TimeDeltaTrigger

            self.defer(
                trigger=TimeDeltaTrigger(timedelta(seconds=float(self.poke_interval))),
                method_name="execute_recheck",
                kwargs={"started": started},
            )
        from airflow_provider_ips.triggers.jobs import IpsJobTrigger

        self.defer(
            trigger=IpsJobTrigger(
                job_handle=handle,
                ips_conn_id=self.ips_conn_id,
                fail_on=self.fail_on,
                poll_interval=float(self.poke_interval),
                deadline=deadline,
                stop_job_on_kill=False,  # the sensor does not own the job
                hook_params=self.hook_params,
            ),
            method_name="execute_complete",
        )

    def execute_recheck(self, context: Context, event: Any = None, started: float = 0.0) -> Any:
        return self._defer_or_finish(context, started=started or time.time())

    def execute_complete(self, context: Context, event: dict[str, Any]) -> Any:
        return self._finish(JobEvent.from_dict(event))
