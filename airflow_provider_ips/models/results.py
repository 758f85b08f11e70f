"""Types IPS returns from the job operations (read side).

Everything is optional: servers leave out what does not apply. Constant-valued fields are
typed ``SomeEnum | str``; a value the enum knows becomes the member, a value a newer server
introduces stays a plain string instead of failing validation.

Corrections to the reference: ``ActiveJob.progressMessage`` is text (documented as int);
``ScheduledJob.timeZone`` is a string (documented as dateTime) and ``triggerState`` a
:class:`JobTriggerState` (documented as int); ``ActiveJob.serverDirectoryPublishJob`` holds a
:class:`ServerDirectoryPublishJob` (documented as ImageServingPublishJob). The undocumented
``imageServingRenderJob`` is read into ``image_rendering_publish_job``.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import (
    AliasChoices,
    BeforeValidator,
    Field,
    ModelWrapValidatorHandler,
    model_validator,
)
from typing_extensions import Self

from airflow_provider_ips.models._base import (
    IpsArray,
    IpsReadModel,
    relax_job_rules,
    restore_job_rules,
)
from airflow_provider_ips.models.enums import (
    ActiveJobState,
    AssetType,
    JobLogFileType,
    JobLogType,
    JobTriggerState,
    JobType,
    TaskState,
)
from airflow_provider_ips.models.jobs import (
    AutomatedSetGenerationJob,
    ExportJob,
    ImageRenderingPublishJob,
    ImageServingPublishJob,
    OptimizeImagesJob,
    ReprocessAssetsJob,
    RipPdfsJob,
    ServerDirectoryPublishJob,
    UploadDirectoryJob,
    UploadPostJob,
    UploadUrlsJob,
    VideoPublishJob,
)

if TYPE_CHECKING:
    from airflow_provider_ips.schedule import QuartzSchedule


def _none_as_empty(value: Any) -> Any:
    """An array the server left out (``None``) reads as empty."""
    return [] if value is None else value


#: Marker for read-side arrays: ``None`` from the server becomes ``[]``.
_NoneAsEmpty = BeforeValidator(_none_as_empty)


def _open_enum() -> Any:
    """An optional ``Enum | str`` field that prefers the enum member when the value is known."""
    return Field(default=None, union_mode="left_to_right")


def _rendering_job_field() -> Any:
    """``imageRenderingPublishJob``; also reads the documented ``imageServingRenderJob``."""
    return Field(
        default=None,
        alias="imageRenderingPublishJob",
        validation_alias=AliasChoices(
            "image_rendering_publish_job", "imageRenderingPublishJob", "imageServingRenderJob"
        ),
    )


class TaskItemProgress(IpsReadModel):
    """Progress of one item of an asynchronous task."""

    item_name: str | None = None
    progress: float | None = None
    progress_message: str | None = None
    last_progress_update: datetime | None = None


class TaskProgress(IpsReadModel):
    """Progress of an asynchronous task of an active job."""

    task_type: str | None = None
    num_processed: int | None = None
    num_processing: int | None = None
    num_pending: int | None = None
    progress: float | None = None
    """Fraction done, 0.0 to 1.0."""
    progress_message: str | None = None
    last_progress_update: datetime | None = None
    task_item_progress_array: Annotated[
        list[TaskItemProgress], IpsArray("TaskItemProgressArray"), _NoneAsEmpty
    ] = Field(default_factory=list)
    task_state: TaskState | str | None = _open_enum()


class _JobDetailsReader(IpsReadModel):
    """Mixin behaviour: embedded job details skip the client-side submission rules."""

    @model_validator(mode="wrap")
    @classmethod
    def _read_jobs_relaxed(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        token = relax_job_rules()  # not the context manager: this runs once per job read
        try:
            return handler(data)
        finally:
            restore_job_rules(token)


class ActiveJob(_JobDetailsReader):
    """A job that is queued or running (``getActiveJobs``)."""

    company_handle: str | None = None
    job_handle: str | None = None
    name: str | None = None
    """Unique job name (IPS may have suffixed the submitted name)."""
    original_name: str | None = None
    """The name given to ``submitJob``."""
    type: JobType | str | None = _open_enum()
    state: ActiveJobState | str | None = _open_enum()
    submit_user_email: str | None = None
    locale: str | None = None
    description: str | None = None
    server_name: str | None = None
    start_date: datetime | None = None
    total_size: str | None = None
    progress: int | None = None
    progress_message: str | None = None
    """Text describing the progress (the reference types it as int)."""
    last_progress_update: datetime | None = None
    task_progress_array: Annotated[
        list[TaskProgress], IpsArray("TaskProgressArray"), _NoneAsEmpty
    ] = Field(default_factory=list)
    image_serving_publish_job: ImageServingPublishJob | None = None
    image_rendering_publish_job: ImageRenderingPublishJob | None = _rendering_job_field()
    video_publish_job: VideoPublishJob | None = None
    server_directory_publish_job: ServerDirectoryPublishJob | None = None
    upload_urls_job: UploadUrlsJob | None = None
    rip_pdfs_job: RipPdfsJob | None = None
    optimize_images_job: OptimizeImagesJob | None = None
    reprocess_assets_job: ReprocessAssetsJob | None = None
    upload_post_job: UploadPostJob | None = None
    """Settings of a desktop (HTTP POST) upload."""
    export_job: ExportJob | None = None
    upload_directory_job: UploadDirectoryJob | None = None
    """Not in the reference table, but listed there among the job kinds returned."""
    automated_set_generation_job: AutomatedSetGenerationJob | None = None
    """Not in the reference; read when a server reports it."""


class ScheduledJob(_JobDetailsReader):
    """A job waiting for its time or schedule (``getScheduledJobs``)."""

    company_handle: str | None = None
    job_handle: str | None = None
    name: str | None = None
    original_name: str | None = None
    type: JobType | str | None = _open_enum()
    submit_user_email: str | None = None
    locale: str | None = None
    description: str | None = None
    exec_schedule: str | None = None
    next_fire_time: datetime | None = None
    time_zone: str | None = None
    """Time zone of the schedule (the reference types it as dateTime)."""
    trigger_state: JobTriggerState | str | None = _open_enum()
    image_serving_publish_job: ImageServingPublishJob | None = None
    image_rendering_publish_job: ImageRenderingPublishJob | None = _rendering_job_field()
    video_publish_job: VideoPublishJob | None = None
    server_directory_publish_job: ServerDirectoryPublishJob | None = None
    upload_directory_job: UploadDirectoryJob | None = None
    upload_urls_job: UploadUrlsJob | None = None
    optimize_images_job: OptimizeImagesJob | None = None
    rip_pdfs_job: RipPdfsJob | None = None
    reprocess_assets_job: ReprocessAssetsJob | None = None
    export_job: ExportJob | None = None
    automated_set_generation_job: AutomatedSetGenerationJob | None = None
    """Not in the reference; read when a server reports it."""

    @property
    def exec_schedule_quartz(self) -> str | None:
        """``exec_schedule`` in normalised 6/7-field Quartz form; None if absent or unreadable.

        Servers report Quartz, Adobe's example in a 5-field form with the day-of-week left
        out (``00 00 00 * *``); both read (see :meth:`QuartzSchedule.read`). Never raises.
        """
        from airflow_provider_ips.schedule import InvalidScheduleError, QuartzSchedule

        if self.exec_schedule is None:
            return None
        try:
            return QuartzSchedule.read(self.exec_schedule).to_quartz()
        except InvalidScheduleError:
            return None

    def schedule(self, timezone: str | tzinfo | None = None) -> QuartzSchedule | None:
        """The recurring schedule, evaluated in ``timezone`` (default: ``time_zone``).

        None for a one-shot job (no ``exec_schedule``). ``time_zone`` must then be an IANA
        name; servers may report an abbreviation such as ``PST``, so pass the zone when
        that fails.

        :raises InvalidScheduleError: if the schedule or the time zone cannot be read.
        """
        if self.exec_schedule is None:
            return None
        from airflow_provider_ips.schedule import QuartzSchedule

        zone = timezone if timezone is not None else (self.time_zone or "UTC")
        return QuartzSchedule.read(self.exec_schedule, zone)


class JobLogDetailAux(IpsReadModel):
    """A supplementary message (e.g. a warning) attached to a job log detail."""

    log_message: str | None = None
    log_type: str | None = None
    date_created: datetime | None = None


class JobLogDetail(IpsReadModel):
    """One entry of a job log."""

    log_message: str | None = None
    log_type: JobLogType | str | None = _open_enum()
    asset_name: str | None = None
    asset_type: JobLogFileType | AssetType | str | None = _open_enum()
    """A job log file type (what the constants page ties to this field) or an asset type."""
    asset_handle: str | None = None
    aux_array: Annotated[list[JobLogDetailAux], IpsArray("JobLogDetailAuxArray"), _NoneAsEmpty] = (
        Field(default_factory=list)
    )


class JobLog(IpsReadModel):
    """The log of a finished (or running) job (``getJobLogs``, ``getJobLogDetails``)."""

    company_handle: str | None = None
    job_handle: str | None = None
    job_name: str | None = None
    original_job_name: str | None = None
    """The name given to ``submitJob``."""
    submit_user_email: str | None = None
    log_type: JobLogType | str | None = _open_enum()
    job_sub_type: str | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    description: str | None = None
    file_success_count: int | None = None
    file_error_count: int | None = None
    file_warning_count: int | None = None
    file_duplicate_count: int | None = None
    file_update_count: int | None = None
    total_file_count: int | None = None
    transfer_success_count: int | None = None
    transfer_error_count: int | None = None
    transfer_warning_count: int | None = None
    fatal_error: bool | None = None
    detail_total_rows: int | None = None
    """Total matching detail rows; may exceed ``len(detail_array)`` because of paging."""
    detail_array: Annotated[list[JobLogDetail], IpsArray("JobLogDetailArray"), _NoneAsEmpty] = (
        Field(default_factory=list)
    )


class CompanyInfo(IpsReadModel):
    """A company (``getCompanyInfo``)."""

    ips_type_name: ClassVar[str | None] = "Company"

    company_handle: str | None = None
    name: str | None = None
    root_path: str | None = None
    expires: datetime | None = None
