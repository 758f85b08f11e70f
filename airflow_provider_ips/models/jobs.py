"""The IPS job types (what ``submitJob`` can run) and the table describing them.

Class and field names follow IPS. Where the reference spells a type or field inconsistently,
the models use one consistent name and accept the documented spelling on input:

* ``ServerDirectoryPublishJob.emailSettings`` -> ``email_setting`` / ``emailSetting``
* ``UploadUrlsJob.IllustratorOptions`` (and ``UploadPostJob``) -> ``illustratorOptions``
* ``UploadDirectoryJob.autoColorOptions`` -> ``auto_color_crop_options`` /
  ``autoColorCropOptions``, of type :class:`AutoColorCropOptions`
* type ``ImageRendingPublishJob`` -> :class:`ImageRenderingPublishJob`; ``AutoSetCreateOptions``
  -> :class:`AutoSetCreationOptions`; ``PostTransparentCropOptions`` ->
  :class:`AutoTransparentCropOptions`

The client-side rules (one crop option, one follow-on publish job, required handle lists,
http(s) URLs) check what we send. They are not applied to job details a server returns inside
``ActiveJob`` / ``ScheduledJob`` (see :func:`relaxed_job_rules`): servers may leave lists out.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated, ClassVar
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, field_validator, model_validator
from typing_extensions import Self

from airflow_provider_ips.models._base import IpsArray, IpsRequestModel, XsdType
from airflow_provider_ips.models.enums import EmailSetting, ExportFormat, PublishType
from airflow_provider_ips.models.options import (
    AutoColorCropOptions,
    AutoSetCreationOptions,
    AutoTransparentCropOptions,
    ColorManagementOptions,
    HandleArray,
    IllustratorOptions,
    InDesignOptions,
    KnockoutBackgroundOptions,
    ManualCropOptions,
    MediaOptions,
    PDFOptions,
    PhotoshopOptions,
    PostScriptOptions,
    UnCompressOptions,
    UnsharpMaskOptions,
)

_RELAXED: ContextVar[bool] = ContextVar("ips_relaxed_job_rules", default=False)

#: A flag IPS documents as ``xsd:string``; sent as ``"true"`` / ``"false"``.
StringFlag = Annotated[bool | None, XsdType("xsd:string")]

_CROP_OPTIONS = ("manual_crop_options", "auto_color_crop_options", "auto_transparent_crop_options")
_POST_PUBLISH_JOBS = (
    "post_image_serving_publish_job",
    "post_image_rendering_publish_job",
    "post_video_publish_job",
)


@contextmanager
def relaxed_job_rules() -> Iterator[None]:
    """Within this block, job models skip the client-side submission rules.

    Field types and documented ranges still apply. Read models use it for the job details
    a server returns.
    """
    token = _RELAXED.set(True)
    try:
        yield
    finally:
        _RELAXED.reset(token)


def job_rules_relaxed() -> bool:
    """Whether :func:`relaxed_job_rules` is active."""
    return _RELAXED.get()


def _label(model: type[IpsRequestModel], field_name: str) -> str:
    """``field_name (ipsName)`` for error messages."""
    ips = model.ips_name(field_name)
    return field_name if ips == field_name else f"{field_name} ({ips})"


def _is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and value.strip() == value


class _JobModel(IpsRequestModel):
    """Shared submission rules of the job types (not an IPS type itself)."""

    #: Groups of fields of which at most one may be set.
    exclusive_groups: ClassVar[tuple[tuple[str, ...], ...]] = ()
    #: List fields that must have at least one entry.
    non_empty_lists: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _check_job_rules(self) -> Self:
        if _RELAXED.get():
            return self
        cls = type(self)
        problems: list[str] = []
        for name in cls.non_empty_lists:
            if not getattr(self, name):
                problems.append(f"{_label(cls, name)} is required and must not be empty")
        for group in cls.exclusive_groups:
            chosen = [name for name in group if getattr(self, name) is not None]
            if len(chosen) > 1:
                problems.append(
                    f"set at most one of {', '.join(_label(cls, n) for n in group)}; "
                    f"got {', '.join(chosen)}"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self


# --- publish jobs ----------------------------------------------------------------------------


class ImageServingPublishJob(_JobModel):
    """Publish assets to the image servers."""

    publish_type: PublishType | None = None
    email_setting: EmailSetting | None = None
    http_completion_url: str | None = None
    """URL notified when the job completes."""


class ImageRenderingPublishJob(_JobModel):
    """Publish assets to the image rendering servers."""

    email_setting: EmailSetting | None = None
    http_completion_url: str | None = None
    """URL notified when the job completes."""
    context_handle: str | None = None
    """Publish context to use."""


class VideoPublishJob(_JobModel):
    """Publish assets to the video servers."""

    email_setting: EmailSetting | None = None
    http_completion_url: str | None = None
    """URL notified when the job completes."""
    context_handle: str | None = None
    """Publish context to use."""


class ServerDirectoryPublishJob(_JobModel):
    """Publish assets marked ready for publish to a server directory."""

    email_setting: EmailSetting | None = Field(
        default=None,
        alias="emailSetting",
        validation_alias=AliasChoices("email_setting", "emailSetting", "emailSettings"),
    )
    """Documented as ``emailSettings``; sent as ``emailSetting`` like every other job."""
    http_completion_url: str | None = None
    """URL notified when the job completes."""


class OptimizeImagesJob(_JobModel):
    """Optimise images."""

    email_setting: EmailSetting | None = None


# --- export / set jobs -----------------------------------------------------------------------


class ExportJob(_JobModel):
    """Export previously uploaded assets, as originals or converted."""

    non_empty_lists = ("asset_handle_array",)

    asset_handle_array: HandleArray = None
    """Assets to export."""
    fmt: ExportFormat | None = None
    """``orig`` exports originals; ``convert`` applies ``is_modifier`` / ``macro``."""
    is_modifier: str | None = Field(default=None, alias="is_modifier")
    """Image Serving modifiers applied when converting."""
    macro: str | None = None
    """Image Serving macro applied when converting (its format wins over ``is_modifier``)."""
    email_setting: EmailSetting | None = None
    client_id: str | None = None
    """Reserved by IPS (client address); not used yet."""


class AutomatedSetGenerationJob(_JobModel):
    """Group assets into sets with automatic set generation scripts."""

    non_empty_lists = ("asset_handle_array",)

    asset_handle_array: HandleArray = None
    """Assets to group (IPS caps the list, by default at 1000)."""
    dest_folder: str | None = None
    """Folder for the new sets (company root if unset)."""
    ready_for_publish: bool | None = None
    auto_set_creation_options: AutoSetCreationOptions | None = None
    email_setting: EmailSetting | None = None


# --- upload and processing jobs --------------------------------------------------------------


def _illustrator_options_field() -> IllustratorOptions | None:
    """``illustratorOptions``, also accepting the documented ``IllustratorOptions``."""
    return Field(
        default=None,
        alias="illustratorOptions",
        validation_alias=AliasChoices(
            "illustrator_options", "illustratorOptions", "IllustratorOptions"
        ),
    )


class UploadDirectoryJob(_JobModel):
    """Upload files from a server directory (typically on a schedule)."""

    exclusive_groups = (_CROP_OPTIONS, _POST_PUBLISH_JOBS)

    auto_color_crop_options: AutoColorCropOptions | None = Field(
        default=None,
        alias="autoColorCropOptions",
        validation_alias=AliasChoices(
            "auto_color_crop_options", "autoColorCropOptions", "autoColorOptions"
        ),
    )
    """Documented here as ``autoColorOptions``; named like in the other upload jobs."""
    auto_set_creation_options: AutoSetCreationOptions | None = None
    auto_transparent_crop_options: AutoTransparentCropOptions | None = None
    color_management_options: ColorManagementOptions | None = None
    create_mask: bool | None = None
    dest_folder: str | None = None
    """IPS folder receiving the files."""
    email_setting: EmailSetting | None = None
    illustrator_options: IllustratorOptions | None = _illustrator_options_field()
    include_subfolders: StringFlag = None
    in_design_options: InDesignOptions | None = None
    knockout_background: KnockoutBackgroundOptions | None = None
    manual_crop_options: ManualCropOptions | None = None
    media_options: MediaOptions | None = None
    overwrite: StringFlag = None
    pdf_options: PDFOptions | None = None
    photoshop_options: PhotoshopOptions | None = None
    post_http_url: str | None = None
    post_image_rendering_publish_job: ImageRenderingPublishJob | None = None
    post_image_serving_publish_job: ImageServingPublishJob | None = None
    post_job_only_if_files: bool | None = None
    """Run the follow-on publish job only if files were uploaded."""
    post_script_options: PostScriptOptions | None = None
    post_video_publish_job: VideoPublishJob | None = None
    preserve_crop: bool | None = None
    preserve_publish_state: bool | None = None
    process_metadata_files: StringFlag = None
    """Process separate metadata XML files found with the uploads."""
    project_handle_array: HandleArray = None
    ready_for_publish: bool | None = None
    server_dir: str | None = None
    """Source directory on the upload server."""
    un_compress_options: UnCompressOptions | None = None
    unsharp_mask_options: UnsharpMaskOptions | None = None
    xmp_keywords: str | None = None


class UploadUrlsJob(_JobModel):
    """Upload files fetched from URLs."""

    exclusive_groups = (_CROP_OPTIONS, _POST_PUBLISH_JOBS)
    non_empty_lists = ("url_array",)

    auto_color_crop_options: AutoColorCropOptions | None = None
    auto_set_creation_options: AutoSetCreationOptions | None = None
    auto_transparent_crop_options: AutoTransparentCropOptions | None = None
    create_mask: bool | None = None
    color_management_options: ColorManagementOptions | None = None
    email_setting: EmailSetting | None = None
    illustrator_options: IllustratorOptions | None = _illustrator_options_field()
    """Documented as ``IllustratorOptions``; sent as ``illustratorOptions``."""
    in_design_options: InDesignOptions | None = None
    knockout_background: KnockoutBackgroundOptions | None = None
    manual_crop_options: ManualCropOptions | None = None
    media_options: MediaOptions | None = None
    num_urls: int | None = None
    """Number of URLs in the job; filled in by the server when listing jobs."""
    overwrite: bool | None = None
    pdf_options: PDFOptions | None = None
    photoshop_options: PhotoshopOptions | None = None
    post_http_url: str | None = None
    post_image_rendering_publish_job: ImageRenderingPublishJob | None = None
    post_image_serving_publish_job: ImageServingPublishJob | None = None
    post_script_options: PostScriptOptions | None = None
    post_video_publish_job: VideoPublishJob | None = None
    preserve_crop: bool | None = None
    preserve_publish_state: bool | None = None
    project_handle_array: HandleArray = None
    ready_for_publish: bool | None = None
    un_compress_options: UnCompressOptions | None = None
    unsharp_mask_options: UnsharpMaskOptions | None = None
    url_array: Annotated[list[str] | None, IpsArray("UrlArray")] = None
    """http(s) URLs of the files to upload."""
    xmp_keywords: str | None = None

    @field_validator("url_array")
    @classmethod
    def _urls_are_http(cls, value: list[str] | None) -> list[str] | None:
        if value is None or _RELAXED.get():
            return value
        bad = [url for url in value if not _is_http_url(url)]
        if bad:
            raise ValueError(f"url_array (urlArray) entries must be http(s) URLs, got {bad!r}")
        return value


class RipPdfsJob(_JobModel):
    """Re-rip existing PDF assets (deprecated by IPS in favour of ReprocessAssetsJob)."""

    exclusive_groups = (_CROP_OPTIONS, _POST_PUBLISH_JOBS)
    non_empty_lists = ("pdf_handle_array",)

    pdf_handle_array: HandleArray = None
    """PDF assets to rip."""
    create_mask: bool | None = None
    manual_crop_options: ManualCropOptions | None = None
    auto_color_crop_options: AutoColorCropOptions | None = None
    auto_transparent_crop_options: AutoTransparentCropOptions | None = None
    """Documented with the type name ``PostTransparentCropOptions``."""
    post_script_options: PostScriptOptions | None = None
    pdf_options: PDFOptions | None = None
    illustrator_options: IllustratorOptions | None = None
    color_management_options: ColorManagementOptions | None = None
    project_handle_array: HandleArray = None
    email_setting: EmailSetting | None = None
    post_http_url: str | None = None
    post_image_serving_publish_job: ImageServingPublishJob | None = None
    post_image_rendering_publish_job: ImageRenderingPublishJob | None = None
    post_video_publish_job: VideoPublishJob | None = None
    in_design_options: InDesignOptions | None = None
    knockout_background: KnockoutBackgroundOptions | None = None


class ReprocessAssetsJob(_JobModel):
    """Reprocess previously uploaded primary files (re-rip PDFs, re-optimise images...)."""

    exclusive_groups = (_CROP_OPTIONS, _POST_PUBLISH_JOBS)
    non_empty_lists = ("asset_handle_array",)

    asset_handle_array: HandleArray = None
    """Assets to reprocess."""
    ready_for_publish: bool | None = None
    preserve_publish_state: bool | None = None
    create_mask: bool | None = None
    preserve_crop: bool | None = None
    manual_crop_options: ManualCropOptions | None = None
    auto_color_crop_options: AutoColorCropOptions | None = None
    auto_transparent_crop_options: AutoTransparentCropOptions | None = None
    photoshop_options: PhotoshopOptions | None = None
    post_script_options: PostScriptOptions | None = None
    pdf_options: PDFOptions | None = None
    media_options: MediaOptions | None = None
    illustrator_options: IllustratorOptions | None = None
    color_management_options: ColorManagementOptions | None = None
    auto_set_creation_options: AutoSetCreationOptions | None = None
    project_handle_array: HandleArray = None
    email_setting: EmailSetting | None = None
    post_job_only_if_files: bool | None = None
    """Run the follow-on publish job only if files were processed."""
    post_http_url: str | None = None
    post_image_serving_publish_job: ImageServingPublishJob | None = None
    post_image_rendering_publish_job: ImageRenderingPublishJob | None = None
    post_video_publish_job: VideoPublishJob | None = None
    in_design_options: InDesignOptions | None = None
    knockout_background: KnockoutBackgroundOptions | None = None
    unsharp_mask_options: UnsharpMaskOptions | None = None


class UploadPostJob(_JobModel):
    """Settings of an HTTP POST (desktop) upload; reported by ``getActiveJobs``.

    Not a ``submitJob`` job type.
    """

    exclusive_groups = (_CROP_OPTIONS,)

    auto_color_crop_options: AutoColorCropOptions | None = None
    auto_set_creation_options: AutoSetCreationOptions | None = None
    auto_transparent_crop_options: AutoTransparentCropOptions | None = None
    color_management_options: ColorManagementOptions | None = None
    create_mask: bool | None = None
    email_setting: EmailSetting | None = None
    in_design_options: InDesignOptions | None = None
    illustrator_options: IllustratorOptions | None = _illustrator_options_field()
    """Documented as ``IllustratorOptions``; sent as ``illustratorOptions``."""
    knockout_background: KnockoutBackgroundOptions | None = None
    manual_crop_options: ManualCropOptions | None = None
    media_options: MediaOptions | None = None
    overwrite: bool | None = None
    pdf_options: PDFOptions | None = None
    photoshop_options: PhotoshopOptions | None = None
    post_http_url: str | None = None
    post_script_options: PostScriptOptions | None = None
    preserve_crop: bool | None = None
    preserve_publish_state: bool | None = None
    project_handle_array: HandleArray = None
    ready_for_publish: bool | None = None
    un_compress_options: UnCompressOptions | None = None
    unsharp_mask_options: UnsharpMaskOptions | None = None
    xmp_keywords: str | None = None


# --- the job type table ----------------------------------------------------------------------


@dataclass(frozen=True)
class JobTypeSpec:
    """One ``submitJob`` job type: its model and where it sits in ``SubmitJobParam``."""

    model: type[IpsRequestModel]
    #: The snake_case field of :class:`SubmitJobParam`, e.g. ``"upload_urls_job"``.
    param_field: str
    #: The IPS element name in ``submitJobParam``, e.g. ``"uploadUrlsJob"``.
    ips_field: str
    #: What the job does, in one line.
    summary: str

    @property
    def type_name(self) -> str:
        """The IPS type name, e.g. ``"UploadUrlsJob"``."""
        return self.model.xsd_name()


#: Every ``submitJob`` job type, in the order ``submitJobParam`` lists them.
JOB_TYPES: tuple[JobTypeSpec, ...] = (
    JobTypeSpec(
        ExportJob, "export_job", "exportJob", "Export uploaded assets as originals or converted."
    ),
    JobTypeSpec(
        ImageServingPublishJob,
        "image_serving_publish_job",
        "imageServingPublishJob",
        "Publish assets to Image Serving.",
    ),
    JobTypeSpec(
        ImageRenderingPublishJob,
        "image_rendering_publish_job",
        "imageRenderingPublishJob",
        "Publish assets to Image Rendering.",
    ),
    JobTypeSpec(
        VideoPublishJob,
        "video_publish_job",
        "videoPublishJob",
        "Publish videos to the video servers.",
    ),
    JobTypeSpec(
        ServerDirectoryPublishJob,
        "server_directory_publish_job",
        "serverDirectoryPublishJob",
        "Publish assets marked for publish to a server directory.",
    ),
    JobTypeSpec(
        UploadDirectoryJob,
        "upload_directory_job",
        "uploadDirectoryJob",
        "Upload the files found in a server directory.",
    ),
    JobTypeSpec(
        UploadUrlsJob,
        "upload_urls_job",
        "uploadUrlsJob",
        "Upload files fetched from http(s) URLs.",
    ),
    JobTypeSpec(
        OptimizeImagesJob,
        "optimize_images_job",
        "optimizeImagesJob",
        "Optimise the company's images.",
    ),
    JobTypeSpec(
        RipPdfsJob,
        "rip_pdfs_job",
        "ripPdfsJob",
        "Re-rip existing PDF assets (deprecated; prefer reprocessing).",
    ),
    JobTypeSpec(
        ReprocessAssetsJob,
        "reprocess_assets_job",
        "reprocessAssetsJob",
        "Reprocess the primary files of existing assets.",
    ),
    JobTypeSpec(
        AutomatedSetGenerationJob,
        "automated_set_generation_job",
        "automatedSetGenerationJob",
        "Group assets into sets with set generation scripts.",
    ),
)
