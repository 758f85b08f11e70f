"""Pydantic models of the IPS job API: requests, job types, option blocks and results.

They are plain data (no Airflow, SOAP or HTTP imports) and the single source of the WSDL
schema: see :mod:`airflow_provider_ips.models._base` for the conventions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from airflow_provider_ips.models._base import (
        IpsArray,
        IpsModel,
        IpsReadModel,
        IpsRequestModel,
        XsdType,
    )
    from airflow_provider_ips.models.enums import (
        ActiveJobState,
        AssetType,
        AutoCropCorner,
        ColorManagementMode,
        ColorSpace,
        EmailSetting,
        ExportFormat,
        IllustratorProcess,
        IpsEnum,
        JobDetailSortField,
        JobLogFileType,
        JobLogSortField,
        JobLogType,
        JobTriggerState,
        JobType,
        KnockoutFillMethod,
        PdfProcess,
        PhotoshopAnchorMode,
        PhotoshopLayerNamingMode,
        PhotoshopProcess,
        PostScriptColorspaceMode,
        PostScriptProcess,
        PublishType,
        SortDirection,
        TaskState,
        UnCompressProcess,
    )
    from airflow_provider_ips.models.jobs import (
        JOB_TYPES,
        MAX_SET_GENERATION_ASSETS,
        MAX_UPLOAD_URLS,
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
        UploadPostJob,
        UploadUrlsJob,
        VideoPublishJob,
    )
    from airflow_provider_ips.models.options import (
        AutoColorCropOptions,
        AutoSetCreationOptions,
        AutoTransparentCropOptions,
        ColorManagementOptions,
        IllustratorOptions,
        InDesignOptions,
        KnockoutBackgroundOptions,
        ManualCropOptions,
        MediaOptions,
        PDFOptions,
        PhotoshopLayerOptions,
        PhotoshopOptions,
        PostScriptOptions,
        ThumbnailOptions,
        UnCompressOptions,
        UnsharpMaskOptions,
    )
    from airflow_provider_ips.models.results import (
        ActiveJob,
        CompanyInfo,
        JobLog,
        JobLogDetail,
        JobLogDetailAux,
        ScheduledJob,
        TaskItemProgress,
        TaskProgress,
    )
    from airflow_provider_ips.models.submit import SubmitJobParam

# Where a name is looked for, cheapest first: a DAG file needs the job types, not the reply
# types, so importing this package loads a submodule only when one of its names is used.
_SUBMODULES = ("_base", "enums", "options", "jobs", "submit", "results")


def __getattr__(name: str) -> Any:
    if name in __all__:
        for submodule in _SUBMODULES:
            module = importlib.import_module(f"{__name__}.{submodule}")
            if hasattr(module, name):
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "JOB_TYPES",
    "MAX_SET_GENERATION_ASSETS",
    "MAX_UPLOAD_URLS",
    "ActiveJob",
    "ActiveJobState",
    "AssetType",
    "AutoColorCropOptions",
    "AutoCropCorner",
    "AutoSetCreationOptions",
    "AutoTransparentCropOptions",
    "AutomatedSetGenerationJob",
    "ColorManagementMode",
    "ColorManagementOptions",
    "ColorSpace",
    "CompanyInfo",
    "EmailSetting",
    "ExportFormat",
    "ExportJob",
    "IllustratorOptions",
    "IllustratorProcess",
    "ImageRenderingPublishJob",
    "ImageServingPublishJob",
    "InDesignOptions",
    "IpsArray",
    "IpsEnum",
    "IpsModel",
    "IpsReadModel",
    "IpsRequestModel",
    "JobDetailSortField",
    "JobLog",
    "JobLogDetail",
    "JobLogDetailAux",
    "JobLogFileType",
    "JobLogSortField",
    "JobLogType",
    "JobTriggerState",
    "JobType",
    "JobTypeSpec",
    "KnockoutBackgroundOptions",
    "KnockoutFillMethod",
    "ManualCropOptions",
    "MediaOptions",
    "OptimizeImagesJob",
    "PDFOptions",
    "PdfProcess",
    "PhotoshopAnchorMode",
    "PhotoshopLayerNamingMode",
    "PhotoshopLayerOptions",
    "PhotoshopOptions",
    "PhotoshopProcess",
    "PostScriptColorspaceMode",
    "PostScriptOptions",
    "PostScriptProcess",
    "PublishType",
    "ReprocessAssetsJob",
    "RipPdfsJob",
    "ScheduledJob",
    "ServerDirectoryPublishJob",
    "SortDirection",
    "SubmitJobParam",
    "TaskItemProgress",
    "TaskProgress",
    "TaskState",
    "ThumbnailOptions",
    "UnCompressOptions",
    "UnCompressProcess",
    "UnsharpMaskOptions",
    "UploadDirectoryJob",
    "UploadPostJob",
    "UploadUrlsJob",
    "VideoPublishJob",
    "XsdType",
]
