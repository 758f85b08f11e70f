"""String constant sets used by the IPS job API.

Every enum is a ``str`` subclass, so members compare equal to their wire value and serialise
as it. Lookups are case-insensitive, and the few values the reference spells inconsistently
are accepted in both spellings (``_ALTERNATIVE_SPELLINGS``), so reading what a server sends
never fails on capitalisation or a documented typo alone.
"""

from __future__ import annotations

import functools
from enum import Enum
from typing import Any


class IpsEnum(str, Enum):
    """Base of the IPS constant sets: case-insensitive, with optional alternative spellings."""

    @classmethod
    def _missing_(cls, value: Any) -> IpsEnum | None:
        if not isinstance(value, str):
            return None
        value = _ALTERNATIVE_SPELLINGS.get(cls.__name__, {}).get(value, value)
        return _folded_members(cls).get(value.casefold())

    def __str__(self) -> str:
        return str(self.value)


@functools.cache
def _folded_members(cls: type[IpsEnum]) -> dict[str, IpsEnum]:
    """Case-folded value -> member (the first member wins), built once per enum class."""
    members: dict[str, IpsEnum] = {}
    for member in cls:
        members.setdefault(member.value.casefold(), member)
    return members


#: Per enum class: spellings the reference documents (typos) -> the value we use.
_ALTERNATIVE_SPELLINGS: dict[str, dict[str, str]] = {
    "JobLogType": {
        "BeginVideoPubl]ish": "BeginVideoPublish",
        "BeginVideoPublish]": "BeginVideoPublish",
        "VideoPubilshSuccess": "VideoPublishSuccess",
        "FleEnd": "FileEnd",
    },
}


# --- jobs ------------------------------------------------------------------------------------


class JobType(IpsEnum):
    """Type of a running or scheduled job (``ActiveJob.type``, ``ScheduledJob.type``)."""

    IMAGE_SERVING_PUBLISH = "ImageServingPublish"
    IMAGE_RENDERING_PUBLISH = "ImageRenderingPublish"
    SERVER_DIRECTORY_PUBLISH = "ServerDirectoryPublish"
    SERVER_DIRECTORY_PUBLISH_WITH_TEMPLATE = "ServerDirectoryPublishWithTemplate"
    VIDEO_PUBLISH = "VideoPublish"
    UPLOAD_FROM_SERVER_DIRECTORY = "UploadFromServerDirectory"
    URL_UPLOAD = "UrlUpload"
    METADATA_UPLOAD = "MetadataUpload"
    IMAGE_OPTIMIZATION = "ImageOptimization"
    CLEANUP = "Cleanup"


class ActiveJobState(IpsEnum):
    """State of an active job (``ActiveJob.state``)."""

    UNKNOWN = "Unknown"
    NEW = "New"
    WAITING_CLIENT = "WaitingClient"
    WAITING_COORDINATOR = "WaitingCoordinator"
    RUNNING = "Running"
    STOPPING = "Stopping"
    DONE = "Done"


class JobTriggerState(IpsEnum):
    """Trigger state of a scheduled job (``ScheduledJob.triggerState``)."""

    BLOCKED = "Blocked"
    COMPLETE = "Complete"
    ERROR = "Error"
    NONE = "None"
    NORMAL = "Normal"
    PAUSED = "Paused"
    URL_UPLOAD = "UrlUpload"
    METADATA_UPLOAD = "MetadataUpload"
    IMAGE_OPTIMIZATION = "ImageOptimization"
    CLEANUP = "Cleanup"


class TaskState(IpsEnum):
    """State of a task monitor (``TaskProgress.taskState``)."""

    UNKNOWN = "Unknown"
    NEW = "New"
    PROCESSING = "Processing"
    STOPPING = "Stopping"
    DONE = "Done"
    FAILED = "Failed"


class EmailSetting(IpsEnum):
    """Which job notifications are emailed (``emailSetting`` of the job types)."""

    ALL = "All"
    ERROR = "Error"
    ERROR_AND_WARNING = "ErrorAndWarning"
    JOB_COMPLETION = "JobCompletion"
    NONE = "None"


class PublishType(IpsEnum):
    """Kind of image serving publish (``ImageServingPublishJob.publishType``)."""

    FULL = "Full"
    FULL_WITH_SEARCH = "FullWithSearch"
    INCREMENTAL = "Incremental"


class ExportFormat(IpsEnum):
    """``ExportJob.fmt``: export the originals, or convert them."""

    ORIG = "orig"
    CONVERT = "convert"


# --- job logs --------------------------------------------------------------------------------


class JobLogType(IpsEnum):
    """Log entry type (``JobLog.logType``, ``JobLogDetail.logType``)."""

    BEGIN_IMAGE_SERVING_PUBLISH = "BeginImageServingPublish"
    END_IMAGE_SERVING_PUBLISH = "EndImageServingPublish"
    IMAGE_SERVING_PUBLISH_SUCCESS = "ImageServingPublishSuccess"
    IMAGE_SERVING_PUBLISH_ERROR = "ImageServingPublishError"
    IMAGE_SERVING_PUBLISH_WARNING = "ImageServingPublishWarning"
    BEGIN_UPLOAD = "BeginUpload"
    END_UPLOAD = "EndUpload"
    UPLOAD_ERROR = "UploadError"
    UPLOAD_SUCCESS = "UploadSuccess"
    UPLOAD_WARNING = "UploadWarning"
    BEGIN_ASSET_MIGRATION = "BeginAssetMigration"
    END_ASSET_MIGRATION = "EndAssetMigration"  # listed twice in the reference
    ASSET_MIGRATION_FAILURE = "AssetMigrationFailure"
    ASSET_MIGRATION_SUCCESS = "AssetMigrationSuccess"
    BEGIN_DELETE = "BeginDelete"
    END_DELETE = "EndDelete"
    BEGIN_EMPTY_TRASH = "BeginEmptyTrash"
    END_EMPTY_TRASH = "EndEmptyTrash"
    EMPTY_TRASH_SUCCESS = "EmptyTrashSuccess"
    BEGIN_GET = "BeginGet"
    END_GET = "EndGet"
    GET_FAILURE = "GetFailure"
    RETURN_SUCCESS = "ReturnSuccess"
    BEGIN_IMAGE_RENDERING_PUBLISH = "BeginImageRenderingPublish"
    END_IMAGE_RENDERING_PUBLISH = "EndImageRenderingPublish"
    IMAGE_RENDERING_PUBLISH_ERROR = "ImageRenderingPublishError"
    IMAGE_RENDERING_PUBLISH_SUCCESS = "ImageRenderingPublishSuccess"
    BEGIN_IMAGE_RENDERING_PUBLISH_CLEANUP = "BeginImageRenderingPublishCleanup"
    # kept as documented; probably "EndImageRenderingPublishCleanup" and
    # "ImageRenderingPublishCleanupFailure" run together
    END_IMAGE_RENDERING_PUBLISH_CLEANUP_FAILURE = "EndImageRenderingPublishCleanupFailure"
    # fixed: documented as "ImageRenderingPublishCleanupsuccess" (lower-case s)
    IMAGE_RENDERING_PUBLISH_CLEANUP_SUCCESS = "ImageRenderingPublishCleanupSuccess"
    BEGIN_MARK_FOR_PUBLISH = "BeginMarkForPublish"
    END_MARK_FOR_PUBLISH = "EndMarkForPublish"
    MARK_FOR_PUBLISH_FAILURE = "MarkForPublishFailure"
    MARK_FOR_PUBLISH_SUCCESS = "MarkForPublishSuccess"
    BEGIN_METADATA = "BeginMetadata"
    END_METADATA = "EndMetadata"
    METADATA_FAILURE = "MetadataFailure"
    METADATA_SUCCESS = "MetadataSuccess"
    BEGIN_PDF_RIP = "BeginPdfRip"
    PDF_RIP_ERROR = "PdfRipError"
    BEGIN_IMAGE_SERVING_PUBLISH_CLEANUP = "BeginImageServingPublishCleanup"
    END_IMAGE_SERVING_PUBLISH_CLEANUP = "EndImageServingPublishCleanup"
    IMAGE_SERVING_PUBLISH_CLEANUP_FAILURE = "ImageServingPublishCleanupFailure"
    IMAGE_SERVING_PUBLISH_CLEANUP_SUCCESS = "ImageServingPublishCleanupSuccess"
    BEGIN_PUBLISH_TO_CM = "BeginPublishToCm"
    END_PUBLISH_TO_CM = "EndPublishToCm"
    PUBLISH_TO_CM_ERROR = "PublishToCmError"
    PUBLISH_TO_CM_SUCCESS = "PublishToCmSuccess"
    BEGIN_SERVER_DIRECTORY_PUBLISH = "BeginServerDirectoryPublish"
    END_SERVER_DIRECTORY_PUBLISH = "EndServerDirectoryPublish"
    SERVER_DIRECTORY_PUBLISH_ERROR = "ServerDirectoryPublishError"
    SERVER_DIRECTORY_PUBLISH_SUCCESS = "ServerDirectoryPublishSuccess"
    SERVER_DIRECTORY_PUBLISH_WARNING = "ServerDirectoryPublishWarning"
    BEGIN_PUBLISH_TO_WC = "BeginPublishToWc"
    PUBLISH_TO_WC_SUCCESS = "PublishToWcSuccess"
    BEGIN_REOPTIMIZE = "BeginReoptimize"
    END_REOPTIMIZE = "EndReoptimize"  # fixed: documented as "endReoptimize"
    REOPTIMIZE_SUCCESS = "ReoptimizeSuccess"
    REOPTIMIZE_FAILURE = "ReoptimizeFailure"
    BEGIN_RESTORE_TRASH = "BeginRestoreTrash"
    END_RESTORE_TRASH = "EndRestoreTrash"
    RESTORE_TRASH_SUCCESS = "RestoreTrashSuccess"
    BEGIN_TEMPLATE_MERGE = "BeginTemplateMerge"
    END_TEMPLATE_MERGE = "EndTemplateMerge"
    TEMPLATE_MERGE_ERROR = "TemplateMergeError"
    TEMPLATE_MERGE_SUCCESS = "TemplateMergeSuccess"
    BEGIN_TRASH = "BeginTrash"
    END_TRASH = "EndTrash"
    TRASH_FAILURE = "TrashFailure"
    TRASH_SUCCESS = "TrashSuccess"
    TRASH_WARNING = "TrashWarning"
    BEGIN_UNMARK_FOR_PUBLISH = "BeginUnmarkForPublish"
    END_UNMARK_FOR_PUBLISH = "EndUnmarkForPublish"
    UNMARK_FOR_PUBLISH_SUCCESS = "UnmarkForPublishSuccess"
    BEGIN_UPLOAD_URLS = "BeginUploadUrls"
    END_UPLOAD_URLS = "EndUploadUrls"
    BEGIN_VIDEO_PUBLISH = "BeginVideoPublish"  # fixed: documented as "BeginVideoPubl]ish"
    END_VIDEO_PUBLISH = "EndVideoPublish"
    VIDEO_PUBLISH_ERROR = "VideoPublishError"
    VIDEO_PUBLISH_SUCCESS = "VideoPublishSuccess"  # fixed: documented as "VideoPubilshSuccess"
    VIDEO_PUBLISH_WARNING = "VideoPublishWarning"
    BEGIN_VIDEO_PUBLISH_CLEANUP = "BeginVideoPublishCleanup"
    END_VIDEO_PUBLISH_CLEANUP = "EndVideoPublishCleanup"
    VIDEO_PUBLISH_CLEANUP_FAILURE = "VideoPublishCleanupFailure"
    VIDEO_PUBLISH_CLEANUP_SUCCESS = "VideoPublishCleanupSuccess"
    DELETE_FAILURE = "DeleteFailure"
    DELETE_SUCCESS = "DeleteSuccess"
    DUPLICATE_SKIPPED = "DuplicateSkipped"
    FATAL_ERROR = "FatalError"
    FILE_BEGIN = "FileBegin"
    FILE_CANCEL = "FileCancel"
    FILE_END = "FileEnd"  # fixed: documented as "FleEnd"
    FILE_PROGRESS = "FileProgress"
    FILE_UPDATED = "FileUpdated"
    INITIATING_JOB_NAME = "InitiatingJobName"
    JOB_CLIENT = "JobClient"
    JOB_TYPE = "JobType"
    ORIGINAL_JOB_NAME = "OriginalJobName"
    TOTAL_FILE_COUNT = "TotalFileCount"
    RECOVER_TRASH_SUCCESS = "RecoverTrashSuccess"


class JobLogFileType(IpsEnum):
    """Kind of file a job log detail refers to (``JobLogDetail.assetType``)."""

    NO_TYPE = "NoType"
    PUBLISH_CATALOG = "PublishCatalog"
    OPTIMIZED_IMAGE = "OptimizedImage"
    MASTER_IMAGE = "MasterImage"
    SEALED_IMAGE = "SealedImage"
    MASK = "Mask"
    VIGNETTE = "Vignette"
    THUMBNAIL = "Thumbnail"
    IMAGE_MAP = "ImageMap"
    ICC_PROFILE = "IccProfile"
    FONT = "Font"
    XSL = "Xsl"
    CABINET = "Cabinet"
    WINDOW_COVERING = "WindowCovering"
    VIDEO = "Video"  # Video, ViewerSwf and Icon are listed twice in the reference
    VIEWER_SWF = "ViewerSwf"
    ICON = "Icon"
    VIDEO_ENCODING_XML = "VideoEncodingXml"
    VIEWER_CONFIG_XML = "ViewerConfigXml"
    TEMPLATE = "Template"
    CATALOG = "Catalog"
    XML = "Xml"
    IMAGE_SET = "ImageSet"
    RENDER_SET = "RenderSet"
    SPIN_SET = "SpinSet"
    SVG = "Svg"
    WATERMARK = "Watermark"
    PDF = "Pdf"
    ACO = "Aco"
    PSD_TEMPLATE = "PsdTemplate"
    ZIP = "Zip"


class JobLogSortField(IpsEnum):
    """Sort key of ``getJobLogs`` (``sortBy``)."""

    JOB_NAME = "JobName"
    LOG_TYPE = "LogType"
    START_DATE = "StartDate"
    COMPANY_NAME = "CompanyName"
    USER_ID = "UserId"
    EMAIL = "Email"
    FILE_ERROR_COUNT = "FileErrorCount"
    FILE_WARNING_COUNT = "FileWarningCount"
    FILE_SUCCESS_COUNT = "FileSuccessCount"


class JobDetailSortField(IpsEnum):
    """Sort key of ``getJobLogDetails`` (``sortBy``)."""

    DATE = "Date"
    LOG_TYPE = "LogType"


class SortDirection(IpsEnum):
    """Sort order of list operations (``sortDirection``)."""

    ASCENDING = "Ascending"
    DESCENDING = "Descending"


class AssetType(IpsEnum):
    """IPS asset types."""

    ACO = "Aco"
    ADJUSTED_VIEW = "AdjustedView"
    ANIMATED_GIF = "AnimatedGif"
    ASSET = "Asset"
    ASSET_SET = "AssetSet"
    AUDIO = "Audio"
    CABINET = "Cabinet"
    CATALOG = "Catalog"
    COLOR_SWATCH = "ColorSwatch"
    CUE_POINT = "CuePoint"
    EXCEL = "Excel"
    FLASH = "Flash"
    FONT = "Font"
    ICC_PROFILE = "IccProfile"
    ILLUSTRATOR = "Illustrator"
    IMAGE = "Image"
    IMAGE_MAP = "ImageMap"
    IMAGE_SET = "ImageSet"
    IN_DESIGN = "InDesign"
    LAYER_VIEW = "LayerView"
    MASK = "Mask"
    MASTER_VIDEO = "MasterVideo"
    PDF = "Pdf"
    PDF_SETTINGS = "PDFSettings"
    POST_SCRIPT = "PostScript"
    POWER_POINT = "PowerPoint"
    PREMIER_EXPRESS_REMIX = "PremierExpressRemix"
    PSD_TEMPLATE = "PsdTemplate"
    RENDER_SCENE = "RenderScene"
    RENDER_SET = "RenderSet"
    SPIN_SET = "SpinSet"
    SVG = "Svg"
    TEMPLATE = "Template"
    VIDEO = "Video"
    VIDEO_CAPTION = "VideoCaption"
    VIEWER_PRESET = "ViewerPreset"
    VIEWER_SWF = "ViewerSwf"
    VIGNETTE = "Vignette"
    WATERMARK = "Watermark"
    WINDOWS_COVERING = "WindowsCovering"
    WORD = "Word"
    XML = "Xml"
    XSL = "Xsl"
    # fixed: documented as one entry "Zip Rtf"; split into the two types
    ZIP = "Zip"
    RTF = "Rtf"
    ZOOM_TARGET = "ZoomTarget"


# --- upload / processing options ---------------------------------------------------------------


class AutoCropCorner(IpsEnum):
    """Corner sampled by colour crops and background knockout (``corner``)."""

    BOTTOM_LEFT = "BottomLeft"
    BOTTOM_RIGHT = "BottomRight"
    UPPER_LEFT = "UpperLeft"
    UPPER_RIGHT = "UpperRight"


class KnockoutFillMethod(IpsEnum):
    """How background knockout picks pixels (``KnockoutBackgroundOptions.fillMethod``)."""

    FLOOD_FILL = "FloodFill"
    MATCH_PIXEL = "MatchPixel"


class ColorManagementMode(IpsEnum):
    """Colour handling on upload (``ColorManagementOptions.colorManagement``)."""

    DEFAULT = "Default"
    MAINTAIN_ORIGINAL = "MaintainOriginal"
    CONVERT = "Convert"


class ColorSpace(IpsEnum):
    """ICC colour spaces (used by ICC profile operations)."""

    XYZ = "XYZ"
    LAB = "Lab"
    LUV = "Luv"
    YCBCR = "YCbCr"
    YXY = "Yxy"
    RGB = "RGB"
    GRAY = "GRAY"
    HSV = "HSV"
    HLS = "HLS"
    CMYK = "CMYK"
    CLR_2 = "2CLR"
    CLR_3 = "3CLR"
    CLR_4 = "4CLR"
    CLR_5 = "5CLR"
    CLR_6 = "6CLR"
    CLR_7 = "7CLR"
    CLR_8 = "8CLR"
    CLR_9 = "9CLR"
    CLR_A = "ACLR"
    CLR_B = "BCLR"
    CLR_C = "CCLR"
    CLR_D = "DCLR"
    CLR_E = "ECLR"
    CLR_F = "FCLR"


class PdfProcess(IpsEnum):
    """What to do with uploaded PDFs (``PDFOptions.process``)."""

    NONE = "None"
    RASTERIZE = "Rasterize"
    THUMBNAIL = "Thumbnail"


class IllustratorProcess(IpsEnum):
    """What to do with uploaded Illustrator files (``IllustratorOptions.process``)."""

    NONE = "None"
    RASTERIZE = "Rasterize"


class PostScriptProcess(IpsEnum):
    """What to do with uploaded EPS/PostScript files (``PostScriptOptions.process``)."""

    NONE = "None"
    RASTERIZE = "Rasterize"


class PostScriptColorspaceMode(IpsEnum):
    """Target colour space when rasterising PDF, PostScript or Illustrator files."""

    AUTO = "Auto"
    RGB = "Rgb"
    CMYK = "Cmyk"
    GRAY = "Gray"


class PhotoshopProcess(IpsEnum):
    """What to do with uploaded Photoshop files (``PhotoshopOptions.process``)."""

    NONE = "None"
    MAINTAIN_LAYERS = "MaintainLayers"


class PhotoshopAnchorMode(IpsEnum):
    """Anchor of extracted Photoshop layers (``PhotoshopLayerOptions.anchor``)."""

    CENTER = "Center"
    NORTH = "North"
    NORTHWEST = "Northwest"
    WEST = "West"
    SOUTHWEST = "Southwest"
    SOUTH = "South"
    SOUTHEAST = "Southeast"
    EAST = "East"
    NORTHEAST = "Northeast"


class PhotoshopLayerNamingMode(IpsEnum):
    """How extracted Photoshop layers are named (``PhotoshopLayerOptions.layerNaming``)."""

    LAYER_NAME = "LayerName"
    APPEND_NUMBER = "AppendNumber"
    APPEND_NAME = "AppendName"
    FOLDERS = "Folders"


class UnCompressProcess(IpsEnum):
    """Handling of uploaded ZIP/TAR archives (``UnCompressOptions.process``)."""

    NONE = "None"
    UN_COMPRESS = "UnCompress"
