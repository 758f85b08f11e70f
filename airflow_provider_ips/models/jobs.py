"""The IPS job types (what ``submitJob`` can run) and the table describing them.

Class and field names follow IPS. Where the reference spells a field several ways, every
documented spelling is accepted as input wherever the field occurs, and each type sends the
spelling of its own reference page (no other page shows a working example of these fields):

* ``emailSetting``; ``ServerDirectoryPublishJob`` sends ``emailSettings`` (its page)
* ``illustratorOptions``; ``UploadUrlsJob`` and ``UploadPostJob`` send ``IllustratorOptions``
* ``autoColorCropOptions``; ``UploadDirectoryJob`` sends ``autoColorOptions``
* type names are not sent (document/literal SOAP): ``ImageRendingPublishJob`` is
  :class:`ImageRenderingPublishJob`, ``AutoSetCreateOptions`` :class:`AutoSetCreationOptions`,
  ``PostTransparentCropOptions`` :class:`AutoTransparentCropOptions` and ``AutoColorOptions``
  :class:`AutoColorCropOptions`

Fields are declared in the order of the type's reference table (``UploadPostJob``: with the
elements of Adobe's HTTP POST example in that example's order), which is the order they are
sent in. docs/ips-fidelity.md records each of these choices.

The client-side rules (one crop option, one follow-on publish job, required handle lists,
required fields, list limits, http(s) URLs) check what we send. They are not applied to job
details a server returns inside ``ActiveJob`` / ``ScheduledJob`` (see
:func:`relaxed_job_rules`): servers may leave lists out.
"""

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar
from urllib.parse import urlsplit

from pydantic import field_validator

from airflow_provider_ips.models._base import (
    _RELAXED,
    IpsArray,
    IpsRequestModel,
    XsdType,
    ips_spelling,
    job_rules_relaxed,
    label,
    relaxed_job_rules,
)
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

#: A flag IPS documents as ``xsd:string``; sent as ``"true"`` / ``"false"``.
StringFlag = Annotated[bool | None, XsdType("xsd:string")]

_CROP_OPTIONS = ("manual_crop_options", "auto_color_crop_options", "auto_transparent_crop_options")
_POST_PUBLISH_JOBS = (
    "post_image_serving_publish_job",
    "post_image_rendering_publish_job",
    "post_video_publish_job",
)


__all__ = [
    "JOB_TYPES",
    "MAX_SET_GENERATION_ASSETS",
    "MAX_UPLOAD_URLS",
    "AutomatedSetGenerationJob",
    "ExportJob",
    "ImageRenderingPublishJob",
    "ImageServingPublishJob",
    "JobTypeSpec",
    "OptimizeImagesJob",
    "ReprocessAssetsJob",
    "RipPdfsJob",
    "ServerDirectoryPublishJob",
    "UploadDirectoryJob",
    "UploadPostJob",
    "UploadUrlsJob",
    "VideoPublishJob",
    "job_rules_relaxed",
    "relaxed_job_rules",
]

#: Most URLs one ``UploadUrlsJob`` may list (``UrlArray``'s limit in the IPS WSDL).
MAX_UPLOAD_URLS = 1000
#: Most assets one ``AutomatedSetGenerationJob`` may group (IPS's default limit).
MAX_SET_GENERATION_ASSETS = 1000

_label = label


def _email_setting(send: str = "emailSetting") -> Any:
    """``emailSetting``; ``emailSettings`` (ServerDirectoryPublishJob's page) is read too."""
    return ips_spelling("email_setting", send, "emailSetting", "emailSettings")


def _illustrator_options(send: str = "illustratorOptions") -> Any:
    """``illustratorOptions``; ``IllustratorOptions`` (the upload pages) is read too."""
    return ips_spelling("illustrator_options", send, "illustratorOptions", "IllustratorOptions")


def _auto_color_crop_options(send: str = "autoColorCropOptions") -> Any:
    """``autoColorCropOptions``; ``autoColorOptions`` (UploadDirectoryJob's page) is read too."""
    return ips_spelling("auto_color_crop_options", send, "autoColorCropOptions", "autoColorOptions")


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

    def send_problems(self) -> tuple[list[str], list[str]]:
        missing, invalid = super().send_problems()
        cls = type(self)
        for name in cls.non_empty_lists:
            if not getattr(self, name):
                invalid.insert(0, f"{_label(cls, name)} is required and must not be empty")
        for group in cls.exclusive_groups:
            chosen = [name for name in group if getattr(self, name) is not None]
            if len(chosen) > 1:
                invalid.append(
                    f"set at most one of {', '.join(_label(cls, n) for n in group)}; "
                    f"got {', '.join(chosen)}"
                )
        return missing, invalid


# --- publish jobs ----------------------------------------------------------------------------


class ImageServingPublishJob(_JobModel):
    """Publish assets to the image servers."""

    publish_type: PublishType | None = None
    email_setting: EmailSetting | None = _email_setting()
    http_completion_url: str | None = None
    """URL notified when the job completes."""


class ImageRenderingPublishJob(_JobModel):
    """Publish assets to the image rendering servers."""

    email_setting: EmailSetting | None = _email_setting()
    http_completion_url: str | None = None
    """URL notified when the job completes."""
    context_handle: str | None = None
    """Publish context to use."""


class VideoPublishJob(_JobModel):
    """Publish assets to the video servers."""

    email_setting: EmailSetting | None = _email_setting()
    http_completion_url: str | None = None
    """URL notified when the job completes."""
    context_handle: str | None = None
    """Publish context to use."""


class ServerDirectoryPublishJob(_JobModel):
    """Publish assets marked ready for publish to a server directory."""

    email_setting: EmailSetting | None = _email_setting("emailSettings")
    """Sent as ``emailSettings``, the spelling of this type's reference page."""
    http_completion_url: str | None = None
    """URL notified when the job completes."""


class OptimizeImagesJob(_JobModel):
    """Optimise images."""

    email_setting: EmailSetting | None = _email_setting()


# --- export / set jobs -----------------------------------------------------------------------


class ExportJob(_JobModel):
    """Export previously uploaded assets, as originals or converted."""

    non_empty_lists = ("asset_handle_array",)

    asset_handle_array: HandleArray = None
    """Assets to export."""
    fmt: ExportFormat | None = None
    """``orig`` exports originals; ``convert`` applies ``is_modifier`` / ``macro``."""
    is_modifier: str | None = ips_spelling("is_modifier", "is_modifier")
    """Image Serving modifiers applied when converting (IPS spells it with an underscore)."""
    macro: str | None = None
    """Image Serving macro applied when converting (its format wins over ``is_modifier``)."""
    email_setting: EmailSetting | None = _email_setting()
    client_id: str | None = None
    """Reserved by IPS (client address); not used yet."""


class AutomatedSetGenerationJob(_JobModel):
    """Group assets into sets with automatic set generation scripts."""

    non_empty_lists = ("asset_handle_array",)
    # Adobe's XSD on the type's page declares these without minOccurs="0"
    required_on_send = ("ready_for_publish", "auto_set_creation_options", "email_setting")
    max_items = {"asset_handle_array": MAX_SET_GENERATION_ASSETS}

    asset_handle_array: HandleArray = None
    """Assets to group; required, at most 1,000 (IPS's default limit)."""
    dest_folder: str | None = None
    """Folder for the new sets (company root if unset)."""
    ready_for_publish: bool | None = None
    """Required by IPS."""
    auto_set_creation_options: AutoSetCreationOptions | None = None
    """The set generation scripts to run; required by IPS."""
    email_setting: EmailSetting | None = _email_setting()
    """Required by IPS."""


# --- upload and processing jobs --------------------------------------------------------------


class UploadDirectoryJob(_JobModel):
    """Upload files from a server directory (typically on a schedule)."""

    exclusive_groups = (_CROP_OPTIONS, _POST_PUBLISH_JOBS)

    auto_color_crop_options: AutoColorCropOptions | None = _auto_color_crop_options(
        "autoColorOptions"
    )
    """Sent as ``autoColorOptions``, the spelling of this type's reference page."""
    auto_set_creation_options: AutoSetCreationOptions | None = None
    auto_transparent_crop_options: AutoTransparentCropOptions | None = None
    color_management_options: ColorManagementOptions | None = None
    create_mask: bool | None = None
    dest_folder: str | None = None
    """IPS folder receiving the files."""
    email_setting: EmailSetting | None = _email_setting()
    illustrator_options: IllustratorOptions | None = _illustrator_options()
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

    auto_color_crop_options: AutoColorCropOptions | None = _auto_color_crop_options()
    auto_set_creation_options: AutoSetCreationOptions | None = None
    auto_transparent_crop_options: AutoTransparentCropOptions | None = None
    create_mask: bool | None = None
    color_management_options: ColorManagementOptions | None = None
    email_setting: EmailSetting | None = _email_setting()
    illustrator_options: IllustratorOptions | None = _illustrator_options("IllustratorOptions")
    """Sent as ``IllustratorOptions``, the spelling of this type's reference page."""
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
    url_array: Annotated[list[str] | None, IpsArray("UrlArray", max_items=MAX_UPLOAD_URLS)] = None
    """http(s) URLs of the files to upload; required, at most 1,000."""
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
    auto_color_crop_options: AutoColorCropOptions | None = _auto_color_crop_options()
    auto_transparent_crop_options: AutoTransparentCropOptions | None = None
    """Documented with the type name ``PostTransparentCropOptions``."""
    post_script_options: PostScriptOptions | None = None
    pdf_options: PDFOptions | None = None
    illustrator_options: IllustratorOptions | None = _illustrator_options()
    color_management_options: ColorManagementOptions | None = None
    project_handle_array: HandleArray = None
    email_setting: EmailSetting | None = _email_setting()
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
    auto_color_crop_options: AutoColorCropOptions | None = _auto_color_crop_options()
    auto_transparent_crop_options: AutoTransparentCropOptions | None = None
    photoshop_options: PhotoshopOptions | None = None
    post_script_options: PostScriptOptions | None = None
    pdf_options: PDFOptions | None = None
    media_options: MediaOptions | None = None
    illustrator_options: IllustratorOptions | None = _illustrator_options()
    color_management_options: ColorManagementOptions | None = None
    auto_set_creation_options: AutoSetCreationOptions | None = None
    project_handle_array: HandleArray = None
    email_setting: EmailSetting | None = _email_setting()
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

    Not a ``submitJob`` job type. Field order: the reference table's (alphabetical), except
    that the elements Adobe's HTTP POST example shows come as one block, in the example's
    order, where the first of them stands in the table.
    """

    exclusive_groups = (_CROP_OPTIONS,)

    auto_color_crop_options: AutoColorCropOptions | None = _auto_color_crop_options()
    auto_set_creation_options: AutoSetCreationOptions | None = None
    auto_transparent_crop_options: AutoTransparentCropOptions | None = None
    color_management_options: ColorManagementOptions | None = None
    # the block in the order of Adobe's HTTP POST example
    overwrite: bool | None = None
    ready_for_publish: bool | None = None
    preserve_publish_state: bool | None = None
    create_mask: bool | None = None
    preserve_crop: bool | None = None
    manual_crop_options: ManualCropOptions | None = None
    photoshop_options: PhotoshopOptions | None = None
    email_setting: EmailSetting | None = _email_setting()
    # the rest in table order
    in_design_options: InDesignOptions | None = None
    illustrator_options: IllustratorOptions | None = _illustrator_options("IllustratorOptions")
    """Sent as ``IllustratorOptions``, the spelling of this type's reference page."""
    knockout_background: KnockoutBackgroundOptions | None = None
    media_options: MediaOptions | None = None
    pdf_options: PDFOptions | None = None
    post_http_url: str | None = None
    post_script_options: PostScriptOptions | None = None
    project_handle_array: HandleArray = None
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
