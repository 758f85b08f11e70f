"""Operators that submit IPS jobs; the per-type ones are generated into ``job_types``.

Importing this module (DAG parsing) loads pydantic models only: zeep, lxml and httpx load
when a task talks to IPS, in the worker or triggerer.

Job names are the idempotency key: a task run derives its job name from dag id, task id,
run id (and map index), identical on every try, and looks that name up before submitting.
A job IPS already holds is adopted, never submitted twice; a failed one is resubmitted
under ``name-2``, ``name-3``, ...

``execute`` is one straight line: check the (rendered) arguments and build the submitJob
parameter once -> submit or adopt -> wait (here, or deferred to the triggerer) -> conclude.
Every wait is a :class:`~airflow_provider_ips.watch.JobWatch`, the same rules on every path.
"""

from __future__ import annotations

import copy
import hashlib
import re
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from airflow.providers.common.compat.sdk import AirflowFailException, BaseOperator, conf
from pydantic import ValidationError

from airflow_provider_ips.checks import seconds
from airflow_provider_ips.links import IpsJobLink
from airflow_provider_ips.operators._arguments import Templated as Templated
from airflow_provider_ips.operators._arguments import (
    check_bool,
    check_hook_params,
    parse_exec_time,
)
from airflow_provider_ips.operators._conclude import IpsJobError as IpsJobError
from airflow_provider_ips.operators._conclude import conclude
from airflow_provider_ips.outcome import EventStatus, FailOn, JobEvent

if TYPE_CHECKING:
    from airflow.providers.openlineage.extractors import OperatorLineage
    from airflow.sdk import Context
    from typing_extensions import Unpack

    from airflow_provider_ips.hooks.ips import IpsHook
    from airflow_provider_ips.models import JobTypeSpec, SubmitJobParam
    from airflow_provider_ips.operators.job_types import *  # noqa: F403 (see __getattr__)
    from airflow_provider_ips.operators.job_types import BaseOperatorArgs
    from airflow_provider_ips.watch import JobWatch, WatchPolicy

#: IPS job names derived by the provider stay under this length.
JOB_NAME_LIMIT = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_TEMPLATE = re.compile(r"{{|{%")
#: Derived names tried after failed attempts of the same task run: base, base-2, base-3, ...
MAX_RESUBMISSIONS = 50
#: XCom key of the job handle, pushed as soon as the job is submitted or adopted.
JOB_HANDLE_XCOM_KEY = "ips_job_handle"

EXEC_TIME_MODES = ("defer", "server")


def default_job_name(dag_id: str, task_id: str, run_id: str, map_index: int = -1) -> str:
    """A job name unique per task run and equal on every try: ``dag.task.run[.map]``."""
    raw = f"{dag_id}.{task_id}.{run_id}" + (f".{map_index}" if map_index >= 0 else "")
    name = _UNSAFE.sub("_", raw).strip("._-") or "airflow-job"
    if len(name) > JOB_NAME_LIMIT:
        digest = hashlib.sha256(raw.encode()).hexdigest()[:10]
        name = f"{name[: JOB_NAME_LIMIT - 11]}~{digest}"
    return name


def attempt_name(base: str, attempt: int) -> str:
    """The name for the ``attempt``-th submission (1 = the base name)."""
    if attempt <= 1:
        return base
    suffix = f"-{attempt}"
    return base[: JOB_NAME_LIMIT - len(suffix)] + suffix


def _has_template(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_TEMPLATE.search(value))
    if isinstance(value, dict):
        return any(_has_template(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_template(v) for v in value)
    return False


def _normalise_job(job: Any) -> dict[str, Any]:
    """A job model, or a dict holding one job type -> ``{param_field: {fields}}``."""
    from airflow_provider_ips.models.jobs import JOB_TYPES

    for spec in JOB_TYPES:
        if isinstance(job, spec.model):
            return {spec.param_field: job.model_dump(exclude_none=True, mode="json")}
    if isinstance(job, dict):
        out = {}
        for key, value in job.items():
            found = _spec_for_key(key)
            if found is None:
                fields = ", ".join(s.param_field for s in JOB_TYPES)
                raise ValueError(f"job: unknown job type {key!r}; expected one of {fields}")
            if hasattr(value, "model_dump"):
                value = value.model_dump(exclude_none=True, mode="json")
            out[found.param_field] = value
        if len(out) != 1:
            raise ValueError(
                f"job: exactly one job type must be given, got {sorted(out) or 'none'}"
            )
        return out
    raise TypeError(
        f"job: expected a job-type model or a dict holding one, got {type(job).__name__}"
    )


def _spec_for_key(key: str) -> JobTypeSpec | None:
    # the models load when a task is made, not when a DAG file imports the operators
    from airflow_provider_ips.models.jobs import JOB_TYPES

    for spec in JOB_TYPES:
        if key in (spec.param_field, spec.ips_field, spec.model.__name__):
            return spec
    return None


class _JobTypeByName:
    """``job_type`` of an operator class: the JobTypeSpec its ``job_type_name`` names.

    Looked up on use, so defining the per-type classes needs no model.
    """

    def __get__(self, instance: object, owner: type[IpsSubmitJobOperator]) -> JobTypeSpec | None:
        name = owner.job_type_name
        if name is None:
            return None
        spec = _spec_for_key(name)
        if spec is None:
            raise LookupError(f"{owner.__name__}: no IPS job type named {name!r}")
        return spec


def _fields_given(spec: JobTypeSpec, job: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """A per-type operator's job: the fields given (None: not given), by either spelling.

    The typed signature has the snake_case names; the IPS spellings (``urlArray``) arrive
    in ``kwargs`` and are taken out before they reach BaseOperator.
    """
    from airflow_provider_ips.models._base import field_shapes

    ((kind, fields),) = job.items()
    given = {name: value for name, value in fields.items() if value is not None}
    shapes = field_shapes(spec.model)
    for key in [key for key in kwargs if key in shapes]:
        name = shapes[key].name
        if name in given:
            raise TypeError(f"{name}: given twice (also as {key})")
        given[name] = kwargs.pop(key)
    return {kind: given}


def _keep_rendered_nones(written: dict[str, Any], rendered: dict[str, Any]) -> dict[str, Any]:
    """A field set in the DAG must not vanish because it rendered to None.

    With ``render_template_as_native_obj=True`` Airflow turns the literal ``"None"`` (an
    IPS constant, e.g. ``email_setting="None"``) into Python None, which would then be left
    out of the request. A literal is kept as written; a template that renders to None is
    refused, naming the field.
    """
    ((kind, fields),) = rendered.items()
    given = written.get(kind)
    if not isinstance(fields, dict) or not isinstance(given, dict):
        return rendered
    kept = dict(fields)
    for name, value in fields.items():
        original = given.get(name)
        if value is not None or original is None:
            continue
        if isinstance(original, str) and not _has_template(original):
            kept[name] = original
        else:
            raise ValueError(
                f"{name}: {original!r} rendered to None; give a value, or leave the field out"
            )
    return {kind: kept}


def _check_job(task_id: str, job: dict[str, Any]) -> None:
    """Validate the job's own fields (the bulk of the request), naming the bad field."""
    ((field, values),) = job.items()
    spec = _spec_for_key(field)
    assert spec is not None
    if not isinstance(values, dict):
        raise ValueError(f"{task_id}: job {field}: expected the job's fields as a dict")
    try:
        spec.model.model_validate(values)
    except ValidationError as exc:
        raise ValueError(f"{task_id}: invalid IPS job: {exc}") from None


class IpsSubmitJobOperator(BaseOperator):
    """Submit an IPS job and (by default) wait for it to finish.

    :param job: The job: a job-type model (``UploadUrlsJob(...)``) or a dict holding one
        job type (``{"upload_urls_job": {...}}``; IPS names accepted too). Templated.
    :param ips_conn_id: The ``ips`` connection.
    :param job_name: IPS job name (templated). Default: derived from dag id, task id and run
        id, the same on every try, which makes retries adopt the job instead of resubmitting.
    :param user_handle: IPS user to submit as (emails go to that user).
    :param locale: Locale for job logs and emails, ``ll`` or ``ll-CC``.
    :param description: Job description.
    :param exec_time: When the job should run (timezone-aware; templated).
    :param exec_time_mode: ``defer`` (default): the task defers until ``exec_time`` holding no
        worker slot, then submits to run at once. ``server``: pass execTime to IPS and wait.
    :param wait_for_completion: Wait for the job to finish (default) or return once submitted.
    :param deferrable: Wait in the triggerer, holding no worker slot. Default from
        ``[operators] default_deferrable``.
    :param poll_interval: Seconds between status checks.
    :param timeout: Longest wait for the job (seconds or timedelta); the job is stopped then.
    :param fail_on: ``fatal``, ``errors`` (default) or ``warnings``: what fails the task.
    :param stop_job_on_kill: Stop the IPS job when the task is killed or marked failed/success.
    :param hook_params: Patience with IPS, handed to the hook and the trigger alike:
        ``retry_attempts``, ``retry_base_delay``, ``retry_max_delay`` (per call),
        ``submit_grace`` (seconds a lost submitJob answer may take to show up as a job),
        ``max_failed_polls``, ``vanish_polls``, ``vanish_seconds`` (per wait).

    For a recurring job that IPS runs on its own schedule, use
    :class:`IpsCreateScheduledJobOperator`.
    """

    template_fields: Sequence[str] = (
        "job",
        "job_name",
        "user_handle",
        "locale",
        "description",
        "exec_time",
        "fail_on",
    )
    template_fields_renderers: ClassVar[dict[str, str]] = {"job": "json"}
    ui_color = "#e8f1fb"
    operator_extra_links = (IpsJobLink(),)
    #: The job type of a per-type operator (``job_types``), by name; None here.
    job_type_name: ClassVar[str | None] = None
    job_type = _JobTypeByName()

    def __init__(
        self,
        *,
        job: Any = None,
        ips_conn_id: str = "ips_default",
        job_name: str | None = None,
        user_handle: str | None = None,
        locale: str | None = None,
        description: str | None = None,
        exec_time: datetime | str | None = None,
        exec_time_mode: str = "defer",
        wait_for_completion: bool = True,
        deferrable: bool = conf.getboolean("operators", "default_deferrable", fallback=False),
        poll_interval: float = 30.0,
        timeout: float | timedelta | None = None,
        fail_on: str = FailOn.ERRORS.value,
        stop_job_on_kill: bool = True,
        hook_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if "exec_schedule" in kwargs:
            raise TypeError(
                "exec_schedule: a recurring IPS job is created by IpsCreateScheduledJobOperator; "
                "for Airflow-side schedules use IpsScheduleTimetable"
            )
        spec = self.job_type
        if spec is not None:
            job = _fields_given(spec, job, kwargs)
        super().__init__(**kwargs)
        if job is None:
            raise ValueError("job: a job type is required")
        self.job = _normalise_job(job)
        #: The job's fields as written in the DAG, to tell a rendered None from an unset field.
        self._job_as_written = copy.deepcopy(self.job)
        self.ips_conn_id = ips_conn_id
        self.job_name = job_name
        self.user_handle = user_handle
        self.locale = locale
        self.description = description
        self.exec_time = exec_time
        if exec_time_mode not in EXEC_TIME_MODES:
            raise ValueError(
                f"exec_time_mode: must be one of {EXEC_TIME_MODES}, got {exec_time_mode!r}"
            )
        self.exec_time_mode = exec_time_mode
        self.wait_for_completion = check_bool(wait_for_completion, "wait_for_completion")
        self.deferrable = check_bool(deferrable, "deferrable")
        self.poll_interval = seconds(poll_interval, "poll_interval")
        self.timeout_seconds = None if timeout is None else seconds(timeout, "timeout")
        self.fail_on = fail_on if _has_template(fail_on) else FailOn.parse(fail_on).value
        self.stop_job_on_kill = check_bool(stop_job_on_kill, "stop_job_on_kill")
        self.hook_params = check_hook_params(hook_params)
        self._job_handle: str | None = None
        if not _has_template(self.job):
            _check_job(self.task_id, self.job)  # literal input: bad values fail the DAG import
        if not _has_template(exec_time):
            parse_exec_time(exec_time)

    # -- building the request --------------------------------------------------------------
    @cached_property
    def hook(self) -> IpsHook:
        from airflow_provider_ips.hooks.ips import IpsHook, hook_kwargs

        return IpsHook(self.ips_conn_id, **hook_kwargs(self.hook_params))

    @cached_property
    def watch_policy(self) -> WatchPolicy:
        from airflow_provider_ips.watch import WatchPolicy

        return WatchPolicy.from_dict(self.hook_params)

    def _checked(self) -> None:
        """Rendered arguments, checked before anything is sent."""
        self.fail_on = FailOn.parse(self.fail_on).value
        self.job = _keep_rendered_nones(self._job_as_written, _normalise_job(self.job))
        _check_job(self.task_id, self.job)

    def _timing(self, exec_time: datetime | None) -> dict[str, Any]:
        return {"exec_time": exec_time}

    def build_param(self, job_name: str, exec_time: datetime | None = None) -> SubmitJobParam:
        """The submitJob parameter for this task's job under ``job_name``, validated."""
        from airflow_provider_ips.models.submit import SubmitJobParam

        try:
            return SubmitJobParam(
                company_handle=self.hook.company_handle,
                job_name=job_name,
                user_handle=self.user_handle or None,
                locale=self.locale or None,
                description=self.description or None,
                **self._timing(exec_time),
                **self.job,
            )
        except ValidationError as exc:
            raise ValueError(f"{self.task_id}: invalid IPS job: {exc}") from None

    def base_job_name(self, context: Context) -> str:
        if self.job_name:
            return str(self.job_name)
        ti = context["ti"]
        return default_job_name(ti.dag_id, ti.task_id, ti.run_id, getattr(ti, "map_index", -1))

    # -- execute ---------------------------------------------------------------------------
    def execute(self, context: Context) -> Any:
        self._checked()
        exec_time = parse_exec_time(self.exec_time)
        if exec_time is not None and self.exec_time_mode == "defer":
            if exec_time.timestamp() > time.time():
                from airflow.providers.standard.triggers.temporal import DateTimeTrigger

                self.log.info("Deferring until exec_time %s (no worker slot held)", exec_time)
                self.defer(
                    trigger=DateTimeTrigger(moment=exec_time),
                    method_name="execute_at_exec_time",
                    timeout=self.execution_timeout,
                )
            exec_time = None
        return self._submit_and_wait(context, exec_time)

    def execute_at_exec_time(self, context: Context, event: Any = None) -> Any:
        """Resumed at ``exec_time``: submit now (adopted by name if a try already did)."""
        self._checked()
        return self._submit_and_wait(context, None)

    def _submit_and_wait(self, context: Context, server_exec_time: datetime | None) -> Any:
        param, finished = self.submit_or_adopt(context, server_exec_time)
        handle = self._job_handle
        assert handle is not None
        context["ti"].xcom_push(key=JOB_HANDLE_XCOM_KEY, value=handle)
        if not self.wait_for_completion:
            return {
                "job_handle": handle,
                "job_name": param.job_name,
                "company_handle": param.company_handle,
                "status": "submitted",
            }
        if finished is not None:
            return self._finish(finished)
        watch = self._watch(handle, param)
        if self.deferrable:
            from airflow_provider_ips.triggers.jobs import IpsJobTrigger

            self.defer(
                trigger=IpsJobTrigger(
                    job_handle=handle,
                    ips_conn_id=self.ips_conn_id,
                    job_name=param.job_name,
                    fail_on=self.fail_on,
                    poll_interval=self.poll_interval,
                    deadline=watch.state.deadline,
                    stop_job_on_kill=self.stop_job_on_kill,
                    company_handle=param.company_handle,
                    hook_params=self.hook_params,
                ),
                method_name="execute_complete",
                timeout=self.execution_timeout,
            )
        return self._finish(self._wait_here(watch))

    def submit_or_adopt(
        self, context: Context, server_exec_time: datetime | None = None
    ) -> tuple[SubmitJobParam, JobEvent | None]:
        """Adopt the job an earlier try of this task run left, or submit a new one.

        Returns the parameter (the name actually used) and, for an adopted job that already
        finished successfully, its final event. A failed earlier job is not adopted: the
        next name (``base-2``, ...) is submitted instead.
        """
        from airflow_provider_ips.watch import JobWatch

        hook = self.hook
        base = self.base_job_name(context)
        param = self.build_param(base, server_exec_time)  # validated once, renamed below
        for attempt in range(1, MAX_RESUBMISSIONS + 1):
            param = param.model_copy(update={"job_name": attempt_name(base, attempt)})
            seen = hook.find_job(name=param.job_name)
            if not seen.found:
                self._job_handle = hook.submit_job(param)
                self.log.info(
                    "Submitted IPS %s %r: job handle %s",
                    self._type_name(), param.job_name, self._job_handle,
                )  # fmt: skip
                return param, None
            handle = seen.job_handle
            assert handle is not None
            if not seen.finished:
                self.log.info("IPS already holds job %r (handle %s): adopting it",
                              param.job_name, handle)  # fmt: skip
                self._job_handle = handle
                return param, None
            watch = JobWatch.start(handle, fail_on=self.fail_on, job_name=param.job_name,
                                   company_handle=param.company_handle)  # fmt: skip
            event = watch.saw(seen, time.time()).event
            assert event is not None
            if event.status is EventStatus.SUCCESS:
                self.log.info("IPS job %r (handle %s) already finished: adopting its result",
                              param.job_name, handle)  # fmt: skip
                self._job_handle = handle
                return param, event
            self.log.info("An earlier try's job %r failed (%s); submitting under a new name",
                          param.job_name, event.message)  # fmt: skip
        raise AirflowFailException(f"{MAX_RESUBMISSIONS} failed IPS jobs for {base!r}; giving up")

    def _watch(self, handle: str, param: SubmitJobParam) -> JobWatch:
        from airflow_provider_ips.watch import JobWatch

        deadline = time.time() + self.timeout_seconds if self.timeout_seconds else None
        return JobWatch.start(
            handle,
            fail_on=self.fail_on,
            job_name=param.job_name,
            company_handle=param.company_handle,
            deadline=deadline,
            policy=self.watch_policy,
        )

    def _wait_here(self, watch: JobWatch) -> JobEvent:
        """Poll on the worker until the watch has its final event."""
        hook = self.hook
        while True:
            step = hook.poll(watch, self.poll_interval)
            for notice in step.notices:
                getattr(self.log, notice.level, self.log.info)("%s", notice.message)
            if step.event is not None:
                return step.event
            left = watch.time_left(time.time())
            hook.sleep(
                self.poll_interval if left is None else max(0.0, min(self.poll_interval, left))
            )

    def execute_complete(self, context: Context, event: dict[str, Any]) -> Any:
        """Resumed from the trigger: the same outcome rules as the worker path."""
        outcome = JobEvent.from_dict(event)
        self._job_handle = outcome.job_handle or self._job_handle  # for on_kill and lineage
        return self._finish(outcome)

    def _finish(self, event: JobEvent) -> Any:
        if event.error_kind == "deadline" and event.job_handle and self.stop_job_on_kill:
            self._stop_quietly(event.job_handle, "the wait timed out")
        return conclude(event, self.log)

    def _type_name(self) -> str:
        (field,) = self.job
        spec = _spec_for_key(field)
        return spec.model.__name__ if spec else field

    def _stop_quietly(self, handle: str, why: str) -> None:
        from airflow_provider_ips.soap.errors import IpsError

        try:
            self.hook.stop_job(handle)
            self.log.info("Stopped IPS job %s because %s", handle, why)
        except IpsError as exc:
            self.log.warning("Could not stop IPS job %s: %s", handle, exc)

    def on_kill(self) -> None:
        if self._job_handle and self.stop_job_on_kill:
            self._stop_quietly(self._job_handle, "the task was killed")

    # -- OpenLineage (the ``openlineage`` extra; docs/lineage.md) ---------------------------
    def get_openlineage_facets_on_start(self) -> OperatorLineage:
        """The datasets the job reads and writes, from the rendered job."""
        from airflow_provider_ips.lineage import operator_lineage

        return operator_lineage(self)

    def get_openlineage_facets_on_complete(self, task_instance: Any) -> OperatorLineage:
        """The same datasets, with the IPS job handle as the run's external query."""
        from airflow_provider_ips.lineage import operator_lineage

        return operator_lineage(self)


class IpsCreateScheduledJobOperator(IpsSubmitJobOperator):
    """Create a recurring IPS job that IPS runs on its own Quartz ``exec_schedule``.

    Returns the job handle and next fire time; wait for a run with
    :class:`~airflow_provider_ips.sensors.jobs.IpsJobSensor` (``scheduled_job_name``). A retry
    finds the job by name and does not create it twice. For Airflow-side schedules (a DAG run
    per fire time, with Airflow's logs and retries) use
    :class:`~airflow_provider_ips.timetables.IpsScheduleTimetable` instead.

    :param exec_schedule: The Quartz schedule (``sec min hour day month weekday [year]``).
    :param job_name: The recurring job's name (default: derived from dag, task and run).

    The other arguments are those of :class:`IpsSubmitJobOperator`, without the waiting ones.
    """

    template_fields: Sequence[str] = (*IpsSubmitJobOperator.template_fields, "exec_schedule")

    def __init__(self, *, exec_schedule: str, **kwargs: Any) -> None:
        for name in ("exec_time", "wait_for_completion", "deferrable", "timeout"):
            if name in kwargs:
                raise TypeError(f"{name}: not an argument of IpsCreateScheduledJobOperator")
        super().__init__(wait_for_completion=False, deferrable=False, **kwargs)
        self.exec_schedule = exec_schedule
        if not _has_template(exec_schedule):
            self._check_schedule()

    def _check_schedule(self) -> str | None:
        """Normalise ``exec_schedule`` to the Quartz form sent; returns how it was read."""
        from airflow_provider_ips.schedule import normalise_exec_schedule

        if not isinstance(self.exec_schedule, str) or not self.exec_schedule.strip():
            raise ValueError("exec_schedule: a Quartz schedule is required")
        try:
            self.exec_schedule, note = normalise_exec_schedule(self.exec_schedule)
        except ValueError as exc:
            raise ValueError(f"exec_schedule: {exc}") from None
        return note

    def _timing(self, exec_time: datetime | None) -> dict[str, Any]:
        return {"exec_schedule": self.exec_schedule}

    def execute(self, context: Context) -> Any:
        self._checked()
        note = self._check_schedule()
        if note:
            self.log.info("exec_schedule: %s; sending %r", note, self.exec_schedule)
        param, _ = self.submit_or_adopt(context)
        handle = self._job_handle
        assert handle is not None
        context["ti"].xcom_push(key=JOB_HANDLE_XCOM_KEY, value=handle)
        scheduled = self.hook.get_scheduled_jobs(job_handle=handle)
        next_fire = scheduled[0].next_fire_time if scheduled else None
        return {
            "job_handle": handle,
            "job_name": param.job_name,
            "company_handle": param.company_handle,
            "exec_schedule": self.exec_schedule,
            "next_fire_time": next_fire.isoformat() if next_fire else None,
        }

    def on_kill(self) -> None:
        """A recurring job outlives the task that created it."""


class _IpsJobActionOperator(BaseOperator):
    """Base of the operators that act on an existing job by handle."""

    template_fields: Sequence[str] = ("job_handle",)
    #: IpsHook method carrying out the action.
    action: ClassVar[str] = ""

    def __init__(
        self,
        *,
        job_handle: str,
        ips_conn_id: str = "ips_default",
        **kwargs: Unpack[BaseOperatorArgs],
    ) -> None:
        super().__init__(**kwargs)
        self.job_handle = job_handle
        self.ips_conn_id = ips_conn_id

    def execute(self, context: Context) -> str:
        from airflow_provider_ips.hooks.ips import IpsHook

        getattr(IpsHook(self.ips_conn_id), self.action)(self.job_handle)
        self.log.info("IPS %s done for job %s", self.action, self.job_handle)
        return str(self.job_handle)


class IpsStopJobOperator(_IpsJobActionOperator):
    """Stop a running IPS job.

    :param job_handle: The IPS job handle (templated), e.g. from an operator's return value.
    :param ips_conn_id: The ``ips`` connection.
    """

    action = "stop_job"


class IpsPauseJobOperator(_IpsJobActionOperator):
    """Pause an IPS job (a scheduled job stops firing).

    :param job_handle: The IPS job handle (templated), e.g. from an operator's return value.
    :param ips_conn_id: The ``ips`` connection.
    """

    action = "pause_job"


class IpsResumeJobOperator(_IpsJobActionOperator):
    """Resume a paused IPS job.

    :param job_handle: The IPS job handle (templated), e.g. from an operator's return value.
    :param ips_conn_id: The ``ips`` connection.
    """

    action = "resume_job"


class IpsDeleteJobOperator(_IpsJobActionOperator):
    """Delete a scheduled or unfinished IPS job.

    :param job_handle: The IPS job handle (templated), e.g. from an operator's return value.
    :param ips_conn_id: The ``ips`` connection.
    """

    action = "delete_job"


# The per-type operators (IpsUploadUrlsJobOperator, ..., JOB_OPERATORS) are generated into
# job_types, which subclasses IpsSubmitJobOperator above; they are importable from here too.
# Looked up through the module rather than copied, so either module may be imported first.
from airflow_provider_ips.operators import job_types as _job_types  # noqa: E402


def __getattr__(name: str) -> Any:
    if not name.startswith("_"):
        try:
            return getattr(_job_types, name)
        except AttributeError:
            pass
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
