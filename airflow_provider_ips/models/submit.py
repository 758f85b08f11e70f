"""``submitJobParam``: the request that submits one IPS job."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from pydantic import Field, ValidationInfo, field_validator, model_validator
from typing_extensions import Self

from airflow_provider_ips.models._base import IpsRequestModel
from airflow_provider_ips.models.jobs import (
    JOB_TYPES,
    AutomatedSetGenerationJob,
    ExportJob,
    ImageRenderingPublishJob,
    ImageServingPublishJob,
    JobTypeSpec,
    OptimizeImagesJob,
    ReprocessAssetsJob,
    RipPdfsJob,
    ServerDirectoryPublishJob,
    UploadDirectoryJob,
    UploadUrlsJob,
    VideoPublishJob,
)

#: Longest job name we accept (IPS uses job names as keys, so keep them reasonable).
MAX_JOB_NAME_LENGTH = 255

_LOCALE = re.compile(r"[a-z]{2}(-[A-Z]{2})?")


def _job_field_list() -> str:
    return ", ".join(spec.param_field for spec in JOB_TYPES)


class SubmitJobParam(IpsRequestModel):
    """Input of ``submitJob``: exactly one job, run now, at ``exec_time`` or on a schedule."""

    company_handle: str
    """Company the job runs for."""
    user_handle: str | None = None
    """User who receives the job emails (the submitting user if unset)."""
    job_name: str = Field(max_length=MAX_JOB_NAME_LENGTH)
    """Name of the job; no control characters."""
    locale: str | None = None
    """Locale of job logs and emails: ``ll`` or ``ll-CC`` (e.g. ``en-US``)."""
    exec_time: datetime | None = None
    """When to run the job once; must carry a time zone."""
    exec_schedule: str | None = None
    """Recurring schedule in the IPS server's time zone, Quartz: ``seconds minutes hours
    day-of-month month day-of-week [year]``. Stored (and sent) in normalised 6/7-field form;
    5 fields are read by ``airflow_provider_ips.schedule.normalise_exec_schedule`` (Adobe's
    ``00 00 00 * *`` form or cron, whichever is valid; refused when both are)."""
    description: str | None = None
    export_job: ExportJob | None = None
    image_serving_publish_job: ImageServingPublishJob | None = None
    image_rendering_publish_job: ImageRenderingPublishJob | None = None
    video_publish_job: VideoPublishJob | None = None
    server_directory_publish_job: ServerDirectoryPublishJob | None = None
    upload_directory_job: UploadDirectoryJob | None = None
    upload_urls_job: UploadUrlsJob | None = None
    optimize_images_job: OptimizeImagesJob | None = None
    rip_pdfs_job: RipPdfsJob | None = None
    reprocess_assets_job: ReprocessAssetsJob | None = None
    automated_set_generation_job: AutomatedSetGenerationJob | None = None

    @field_validator("company_handle", "job_name", "exec_schedule")
    @classmethod
    def _not_blank(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not value.strip():
            name = info.field_name or ""
            raise ValueError(f"{name} ({cls.ips_name(name)}) must not be empty")
        return value

    @field_validator("exec_schedule")
    @classmethod
    def _quartz_on_the_wire(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return value
        from airflow_provider_ips.schedule import InvalidScheduleError, normalise_exec_schedule

        try:
            quartz, _note = normalise_exec_schedule(value)
        except InvalidScheduleError as exc:
            raise ValueError(f"exec_schedule (execSchedule): {exc}") from None
        return quartz

    @field_validator("job_name")
    @classmethod
    def _no_control_characters(cls, value: str) -> str:
        if any(unicodedata.category(char) == "Cc" for char in value):
            raise ValueError("job_name (jobName) must not contain control characters")
        return value

    @field_validator("locale")
    @classmethod
    def _locale_shape(cls, value: str | None) -> str | None:
        if value is not None and not _LOCALE.fullmatch(value):
            raise ValueError(
                f"locale must be a language code with an optional country, like 'en' or "
                f"'en-US', got {value!r}"
            )
        return value

    @field_validator("exec_time")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.utcoffset() is None:
            raise ValueError(
                "exec_time (execTime) must be timezone-aware, e.g. pendulum.now('UTC') or "
                "datetime.now(timezone.utc)"
            )
        return value

    @model_validator(mode="after")
    def _one_job_one_timing(self) -> Self:
        chosen = [
            spec.param_field for spec in JOB_TYPES if getattr(self, spec.param_field) is not None
        ]
        if len(chosen) != 1:
            got = ", ".join(chosen) if chosen else "none"
            raise ValueError(
                f"exactly one job type must be set, got {got}; choose one of {_job_field_list()}"
            )
        if self.exec_time is not None and self.exec_schedule is not None:
            raise ValueError(
                "set at most one of exec_time (execTime) and exec_schedule (execSchedule); "
                "with neither the job runs immediately"
            )
        return self

    @property
    def job_type(self) -> JobTypeSpec:
        """The :data:`JOB_TYPES` row of the job that is set."""
        for spec in JOB_TYPES:
            if getattr(self, spec.param_field) is not None:
                return spec
        raise AssertionError("validated SubmitJobParam without a job")  # pragma: no cover

    @property
    def job(self) -> IpsRequestModel:
        """The job model that is set (e.g. the :class:`UploadUrlsJob`)."""
        job: IpsRequestModel = getattr(self, self.job_type.param_field)
        return job
