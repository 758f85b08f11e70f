"""Operators that submit IPS jobs, one per job type, generated from ``JOB_TYPES``.

Importing this module (DAG parsing) loads pydantic models only: zeep, lxml and httpx load
when a task talks to IPS, in the worker or triggerer.

Job names are the idempotency key: a task run derives its job name from dag id, task id,
run id (and map index), identical on every try, and looks that name up before submitting.
A job IPS already holds is adopted, never submitted twice.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from airflow.sdk import BaseOperator, ResumableJobMixin
from airflow.sdk.configuration import conf
from airflow.sdk.exceptions import AirflowException, AirflowFailException
from pydantic import ValidationError

from airflow_provider_ips.models import JOB_TYPES, JobTypeSpec, SubmitJobParam
from airflow_provider_ips.operators._conclude import IpsJobError as IpsJobError
from airflow_provider_ips.operators._conclude import conclude
from airflow_provider_ips.outcome import FailOn, JobEvent, decide

if TYPE_CHECKING:
    from airflow.sdk import Context

    from airflow_provider_ips.hooks.ips import IpsHook

#: IPS job names derived by the provider stay under this length.
JOB_NAME_LIMIT = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_TEMPLATE = re.compile(r"{{|{%")
#: Derived names tried after failed attempts of the same task run: base, base-2, base-3, ...
MAX_RESUBMISSIONS = 50

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
    for spec in JOB_TYPES:
        if key in (spec.param_field, spec.ips_field, spec.model.__name__):
            return spec
    return None


def _parse_exec_time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        import pendulum

        parsed = pendulum.parse(value, exact=True)
        if not isinstance(parsed, datetime):
            raise ValueError(f"exec_time: {value!r} is not a date and time")
        if "T" not in value and " " not in value.strip():
            raise ValueError(f"exec_time: {value!r} has no time of day")
        if not re.search(r"(Z|[+-]\d\d:?\d\d)$", value.strip()):
            raise ValueError(f"exec_time: {value!r} has no time zone (naive times are ambiguous)")
        value = parsed
    if not isinstance(value, datetime):
        raise ValueError(f"exec_time: expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("exec_time: must be timezone-aware (naive datetimes are ambiguous)")
    return value


def _seconds(timeout: float | timedelta | None) -> float | None:
    if timeout is None:
        return None
    seconds = timeout.total_seconds() if isinstance(timeout, timedelta) else float(timeout)
    if seconds <= 0:
        raise ValueError(f"timeout: must be positive, got {timeout!r}")
    return seconds


class IpsSubmitJobOperator(ResumableJobMixin, BaseOperator):
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
    :param exec_schedule: A Quartz schedule: create a recurring IPS job and return its handle
        (pair it with :class:`~airflow_provider_ips.sensors.jobs.IpsJobSensor`). For Airflow-side
        schedules use :class:`~airflow_provider_ips.timetables.IpsScheduleTimetable`.
    :param wait_for_completion: Wait for the job to finish (default) or return once submitted.
    :param deferrable: Wait in the triggerer, holding no worker slot. Default from
        ``[operators] default_deferrable``.
    :param poll_interval: Seconds between status checks.
    :param timeout: Longest wait for the job (seconds or timedelta); the job is stopped then.
    :param fail_on: ``fatal``, ``errors`` (default) or ``warnings``: what fails the task.
    :param stop_job_on_kill: Stop the IPS job when the task is killed or marked failed/success.
    """

    template_fields: Sequence[str] = (
        "job",
        "job_name",
        "user_handle",
        "locale",
        "description",
        "exec_time",
        "exec_schedule",
        "fail_on",
    )
    template_fields_renderers: ClassVar[dict[str, str]] = {"job": "json"}
    ui_color = "#e8f1fb"
    external_id_key = "ips_job_handle"
    #: Set on the generated per-type operators.
    job_type: ClassVar[JobTypeSpec | None] = None

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
        exec_schedule: str | None = None,
        wait_for_completion: bool = True,
        deferrable: bool = conf.getboolean("operators", "default_deferrable", fallback=False),
        poll_interval: float = 30.0,
        timeout: float | timedelta | None = None,
        fail_on: str = FailOn.ERRORS.value,
        stop_job_on_kill: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if job is None:
            raise ValueError("job: a job type is required")
        self.job = _normalise_job(job)
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
        self.exec_schedule = exec_schedule
        self.wait_for_completion = wait_for_completion
        self.deferrable = deferrable
        if poll_interval <= 0:
            raise ValueError(f"poll_interval: must be positive, got {poll_interval!r}")
        self.poll_interval = float(poll_interval)
        self.timeout_seconds = _seconds(timeout)
        self.fail_on = fail_on if _has_template(fail_on) else FailOn.parse(fail_on).value
        self.stop_job_on_kill = stop_job_on_kill
        self._job_handle: str | None = None
        self._final_event: JobEvent | None = None
        if not _has_template([self.job, job_name, user_handle, locale, exec_time, exec_schedule]):
            # literal input: bad values fail the DAG import, naming the field
            self._validated_param("parse-time-company")

    # -- building the request --------------------------------------------------------------
    @cached_property
    def hook(self) -> IpsHook:
        from airflow_provider_ips.hooks.ips import IpsHook

        return IpsHook(self.ips_conn_id)

    def _validated_param(self, company_handle: str, job_name: str | None = None) -> SubmitJobParam:
        exec_time = _parse_exec_time(self.exec_time)
        if exec_time is not None and self.exec_schedule:
            raise ValueError("exec_time and exec_schedule: set at most one of them")
        if self.exec_schedule:
            from airflow_provider_ips.schedule import QuartzSchedule

            QuartzSchedule.parse(self.exec_schedule)  # raises naming the bad field
        try:
            return SubmitJobParam(
                company_handle=company_handle,
                job_name=job_name or self.job_name or "parse-time-name",
                user_handle=self.user_handle or None,
                locale=self.locale or None,
                description=self.description or None,
                exec_time=exec_time if self.exec_time_mode == "server" else None,
                exec_schedule=self.exec_schedule or None,
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
        self.fail_on = FailOn.parse(self.fail_on).value
        exec_time = _parse_exec_time(self.exec_time)
        self._validated_param("render-check")  # rendered values, before anything is sent
        if exec_time is not None and self.exec_time_mode == "defer":
            now = time.time()
            if exec_time.timestamp() > now:
                from airflow.providers.standard.triggers.temporal import DateTimeTrigger

                self.log.info("Deferring until exec_time %s (no worker slot held)", exec_time)
                self.defer(
                    trigger=DateTimeTrigger(moment=exec_time), method_name="execute_at_exec_time"
                )
        return self.execute_resumable(context)

    def execute_at_exec_time(self, context: Context, event: Any = None) -> Any:
        """Resumed at ``exec_time``: submit now (found by name if a try already did)."""
        return self.execute_resumable(context)

    # ResumableJobMixin: the handle is kept in the task state store across tries; the job
    # name lookup in submit_job covers the gap between submitJob and storing the handle.
    def submit_job(self, context: Context) -> str:
        base = self.base_job_name(context)
        for attempt in range(1, MAX_RESUBMISSIONS + 1):
            name = attempt_name(base, attempt)
            found = self._find_by_name(name)
            if found is None:
                param = self._validated_param(self.hook.company_handle, job_name=name)
                handle = self.hook.submit_job(param)
                self.log.info("Submitted IPS %s %r: job handle %s", self._type_name(), name, handle)
                self._job_handle = handle
                return handle
            handle, status = found
            if status in ("active", "succeeded"):
                self.log.info(
                    "IPS already holds job %r (%s, handle %s): adopting it", name, status, handle
                )
                self._job_handle = handle
                return handle
            self.log.info("An earlier try's job %r failed; submitting under a new name", name)
        raise AirflowFailException(f"{MAX_RESUBMISSIONS} failed IPS jobs for {base!r}; giving up")

    def _find_by_name(self, name: str) -> tuple[str, str] | None:
        hook = self.hook
        for job in hook.get_active_jobs(original_name=name):
            return str(job.job_handle), "active"
        for scheduled in hook.get_scheduled_jobs(original_name=name):
            return str(scheduled.job_handle), "active"
        logs = hook.get_job_log_details(original_name=name, records_per_page=1)
        if logs:
            verdict = decide(logs[0], self.fail_on)
            return str(logs[0].job_handle), "succeeded" if verdict.success else "failed"
        return None

    def get_job_status(self, external_id: Any, context: Context) -> str:
        handle = str(external_id)
        if self.hook.get_active_jobs(job_handle=handle) or self.hook.get_scheduled_jobs(
            job_handle=handle
        ):
            return "active"
        logs = self.hook.get_job_log_details(job_handle=handle, records_per_page=1)
        if not logs:
            return "unknown"
        return "succeeded" if decide(logs[0], self.fail_on).success else "failed"

    def is_job_active(self, status: str) -> bool:
        return status == "active"

    def is_job_succeeded(self, status: str) -> bool:
        return status == "succeeded"

    def poll_until_complete(self, external_id: Any, context: Context) -> None:
        handle = str(external_id)
        self._job_handle = handle
        if self.exec_schedule or not self.wait_for_completion:
            return
        deadline = time.time() + self.timeout_seconds if self.timeout_seconds else None
        if self.deferrable:
            from airflow_provider_ips.triggers.jobs import IpsJobTrigger

            self.defer(
                trigger=IpsJobTrigger(
                    job_handle=handle,
                    ips_conn_id=self.ips_conn_id,
                    job_name=self.job_name,
                    fail_on=self.fail_on,
                    poll_interval=self.poll_interval,
                    deadline=deadline,
                    stop_job_on_kill=self.stop_job_on_kill,
                    company_handle=self.hook.company_handle,
                ),
                method_name="execute_complete",
            )
        from airflow_provider_ips.waiting import wait_for_job

        self._final_event = wait_for_job(
            self.hook, handle, self.fail_on,
            poll_interval=self.poll_interval, deadline=deadline, say=self.log.info,
        )  # fmt: skip

    def get_job_result(self, external_id: Any, context: Context) -> Any:
        handle = str(external_id)
        if self.exec_schedule:
            return self._scheduled_summary(handle)
        if not self.wait_for_completion:
            return {
                "job_handle": handle,
                "job_name": self._job_name_of(handle),
                "company_handle": self.hook.company_handle,
                "status": "submitted",
            }
        event = self._final_event
        if event is None or event.job_handle != handle:
            logs = self.hook.get_job_log_details(job_handle=handle, all_pages=True)
            if not logs:
                raise AirflowException(f"IPS job {handle} has no job log")
            event = JobEvent.finished(logs[0], self.fail_on, self.hook.company_handle)
        return self._finish(event)

    def execute_complete(self, context: Context, event: dict[str, Any]) -> Any:
        """Resumed from the trigger: the same outcome rules as the worker path."""
        return self._finish(JobEvent.from_dict(event))

    def _finish(self, event: JobEvent) -> Any:
        if event.error_kind == "deadline" and event.job_handle and self.stop_job_on_kill:
            self._stop_quietly(event.job_handle, "the wait timed out")
        return conclude(event, self.log)

    def _scheduled_summary(self, handle: str) -> dict[str, Any]:
        scheduled = self.hook.get_scheduled_jobs(job_handle=handle)
        next_fire = scheduled[0].next_fire_time if scheduled else None
        return {
            "job_handle": handle,
            "job_name": scheduled[0].name if scheduled else None,
            "company_handle": self.hook.company_handle,
            "exec_schedule": self.exec_schedule,
            "next_fire_time": next_fire.isoformat() if next_fire else None,
        }

    def _job_name_of(self, handle: str) -> str | None:
        active = self.hook.get_active_jobs(job_handle=handle)
        return active[0].original_name if active else None

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
        if self._job_handle and self.stop_job_on_kill and not self.exec_schedule:
            self._stop_quietly(self._job_handle, "the task was killed")


def _job_operator(spec: JobTypeSpec) -> type[IpsSubmitJobOperator]:
    """One operator class for a job type: its fields become keyword arguments."""
    model = spec.model
    accepted: dict[str, str] = {}
    for name, field in model.model_fields.items():
        accepted[name] = name
        if field.alias:
            accepted[field.alias] = name
    clash = set(accepted) & (
        set(dir(BaseOperator)) | set(IpsSubmitJobOperator.__init__.__code__.co_varnames)
    )
    if clash:
        raise TypeError(f"{model.__name__} fields clash with operator arguments: {sorted(clash)}")

    def __init__(self: IpsSubmitJobOperator, **kwargs: Any) -> None:
        if "job" in kwargs:
            raise TypeError(f"{type(self).__name__} takes the job's fields as arguments, not job=")
        fields = {accepted[key]: kwargs.pop(key) for key in list(kwargs) if key in accepted}
        IpsSubmitJobOperator.__init__(self, job={spec.param_field: fields}, **kwargs)

    field_docs = "\n".join(
        f"    :param {name}: {(field.description or 'See the IPS reference.').splitlines()[0]}"
        for name, field in model.model_fields.items()
    )
    doc = (
        f"Run an IPS ``{model.__name__}``: {spec.summary}\n\n"
        "Takes the job type's fields as keyword arguments (snake_case, templated) and every\n"
        "argument of :class:`IpsSubmitJobOperator` except ``job``.\n\n" + field_docs + "\n"
    )
    name = f"Ips{model.__name__}Operator"
    cls = type(
        name,
        (IpsSubmitJobOperator,),
        {"__init__": __init__, "__doc__": doc, "__module__": __name__, "job_type": spec},
    )
    cls.__qualname__ = name
    return cls


IpsExportJobOperator = _job_operator(JOB_TYPES[0])
IpsImageServingPublishJobOperator = _job_operator(JOB_TYPES[1])
IpsImageRenderingPublishJobOperator = _job_operator(JOB_TYPES[2])
IpsVideoPublishJobOperator = _job_operator(JOB_TYPES[3])
IpsServerDirectoryPublishJobOperator = _job_operator(JOB_TYPES[4])
IpsUploadDirectoryJobOperator = _job_operator(JOB_TYPES[5])
IpsUploadUrlsJobOperator = _job_operator(JOB_TYPES[6])
IpsOptimizeImagesJobOperator = _job_operator(JOB_TYPES[7])
IpsRipPdfsJobOperator = _job_operator(JOB_TYPES[8])
IpsReprocessAssetsJobOperator = _job_operator(JOB_TYPES[9])
IpsAutomatedSetGenerationJobOperator = _job_operator(JOB_TYPES[10])

#: Every per-type operator, in JOB_TYPES order.
JOB_OPERATORS: tuple[type[IpsSubmitJobOperator], ...] = (
    IpsExportJobOperator,
    IpsImageServingPublishJobOperator,
    IpsImageRenderingPublishJobOperator,
    IpsVideoPublishJobOperator,
    IpsServerDirectoryPublishJobOperator,
    IpsUploadDirectoryJobOperator,
    IpsUploadUrlsJobOperator,
    IpsOptimizeImagesJobOperator,
    IpsRipPdfsJobOperator,
    IpsReprocessAssetsJobOperator,
    IpsAutomatedSetGenerationJobOperator,
)


class _IpsJobActionOperator(BaseOperator):
    """Base of the operators that act on an existing job by handle."""

    template_fields: Sequence[str] = ("job_handle",)
    #: IpsHook method carrying out the action.
    action: ClassVar[str] = ""

    def __init__(self, *, job_handle: str, ips_conn_id: str = "ips_default", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.job_handle = job_handle
        self.ips_conn_id = ips_conn_id

    def execute(self, context: Context) -> str:
        from airflow_provider_ips.hooks.ips import IpsHook

        getattr(IpsHook(self.ips_conn_id), self.action)(self.job_handle)
        self.log.info("IPS %s done for job %s", self.action, self.job_handle)
        return str(self.job_handle)


def _action_operator(name: str, action: str, what: str) -> type[_IpsJobActionOperator]:
    doc = (
        f"{what}\n\n:param job_handle: The IPS job handle (templated), e.g. from an\n"
        "    operator's return value.\n:param ips_conn_id: The ``ips`` connection.\n"
    )
    cls = type(
        name, (_IpsJobActionOperator,), {"action": action, "__doc__": doc, "__module__": __name__}
    )
    return cls


IpsStopJobOperator = _action_operator("IpsStopJobOperator", "stop_job", "Stop a running IPS job.")
IpsPauseJobOperator = _action_operator(
    "IpsPauseJobOperator", "pause_job", "Pause an IPS job (a scheduled job stops firing)."
)
IpsResumeJobOperator = _action_operator(
    "IpsResumeJobOperator", "resume_job", "Resume a paused IPS job."
)
IpsDeleteJobOperator = _action_operator(
    "IpsDeleteJobOperator", "delete_job", "Delete a scheduled or unfinished IPS job."
)
