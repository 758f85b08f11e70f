"""Behaviour of the IPS models: naming, wire form, read-side tolerance and validation rules."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from typing import Any

import pendulum
import pytest
from pydantic import ValidationError

from airflow_provider_ips.models import (
    JOB_TYPES,
    ActiveJob,
    ActiveJobState,
    AssetType,
    AutoColorCropOptions,
    AutomatedSetGenerationJob,
    AutoTransparentCropOptions,
    CompanyInfo,
    EmailSetting,
    ExportFormat,
    ExportJob,
    IllustratorOptions,
    ImageRenderingPublishJob,
    ImageServingPublishJob,
    JobLog,
    JobLogFileType,
    JobLogType,
    JobTriggerState,
    JobType,
    KnockoutBackgroundOptions,
    ManualCropOptions,
    MediaOptions,
    OptimizeImagesJob,
    PDFOptions,
    PhotoshopOptions,
    PostScriptColorspaceMode,
    PostScriptOptions,
    PublishType,
    ReprocessAssetsJob,
    RipPdfsJob,
    ScheduledJob,
    ServerDirectoryPublishJob,
    SubmitJobParam,
    TaskState,
    ThumbnailOptions,
    UnCompressOptions,
    UnsharpMaskOptions,
    UploadDirectoryJob,
    UploadPostJob,
    UploadUrlsJob,
    VideoPublishJob,
)
from airflow_provider_ips.models import __all__ as models_all
from airflow_provider_ips.models.jobs import (
    MAX_SET_GENERATION_ASSETS,
    MAX_UPLOAD_URLS,
    job_rules_relaxed,
    relaxed_job_rules,
)

# --- realistic examples of the eleven job types (IPS names, as a DAG author would write them) --

EXAMPLES: dict[str, dict[str, Any]] = {
    "export_job": {
        "assetHandleArray": ["a|101|1|1001", "a|101|1|1002"],
        "fmt": "convert",
        "is_modifier": "&fmt=png-alpha&wid=1200",
        "emailSetting": "ErrorAndWarning",
    },
    "image_serving_publish_job": {
        "publishType": "Incremental",
        "emailSetting": "Error",
        "httpCompletionUrl": "https://hooks.example.com/ips/done",
    },
    "image_rendering_publish_job": {"emailSetting": "None", "contextHandle": "ctx|7"},
    "video_publish_job": {"emailSetting": "JobCompletion", "contextHandle": "ctx|9"},
    "server_directory_publish_job": {
        "emailSetting": "All",
        "httpCompletionUrl": "https://hooks.example.com/ips/sdp",
    },
    "upload_directory_job": {
        "serverDir": "/incoming/spring",
        "destFolder": "Acme/spring/",
        "includeSubfolders": True,
        "overwrite": True,
        "readyForPublish": True,
        "createMask": False,
        "manualCropOptions": {"left": 10, "right": 10, "top": 0, "bottom": 0},
        "photoshopOptions": {
            "process": "MaintainLayers",
            "layerOptions": {"layerNaming": "LayerName", "anchor": "Center", "extractText": True},
        },
        "unCompressOptions": {"process": "UnCompress"},
        "postImageServingPublishJob": {"publishType": "Full", "emailSetting": "Error"},
        "postJobOnlyIfFiles": True,
        "emailSetting": "ErrorAndWarning",
    },
    "upload_urls_job": {
        "urlArray": [
            "https://cdn.example.com/img/shoe-1.jpg",
            "http://cdn.example.com/img/shoe-2.tif",
        ],
        "overwrite": True,
        "readyForPublish": True,
        "autoColorCropOptions": {"corner": "UpperLeft", "tolerance": 0.1},
        "unsharpMaskOptions": {"amount": 1.75, "radius": 0.2, "threshold": 2, "monochrome": 0},
        "mediaOptions": {"generateThumbnail": False, "thumbnailOptions": {"thumbnailTime": 1500}},
        "postVideoPublishJob": {"emailSetting": "Error"},
        "emailSetting": "All",
    },
    "optimize_images_job": {"emailSetting": "Error"},
    "rip_pdfs_job": {
        "pdfHandleArray": ["a|101|5|2001"],
        "pdfOptions": {
            "process": "Rasterize",
            "resolution": 150,
            "colorspace": "Auto",
            "pdfCatalog": True,
            "extractSearchWords": True,
        },
        "autoTransparentCropOptions": {"tolerance": 0.0},
        "emailSetting": "ErrorAndWarning",
    },
    "reprocess_assets_job": {
        "assetHandleArray": ["a|101|1|1001"],
        "preserveCrop": True,
        "illustratorOptions": {"process": "Rasterize", "resolution": "300", "alpha": True},
        "postScriptOptions": {"process": "Rasterize", "resolution": 150, "colorspace": "Rgb"},
        "colorManagementOptions": {"colorManagement": "Convert", "outputProfileHandle": "p|1"},
        "knockoutBackground": {"corner": "UpperLeft", "tolerance": 0.2, "fillMethod": "FloodFill"},
        "postImageRenderingPublishJob": {"contextHandle": "ctx|7"},
    },
    "automated_set_generation_job": {
        "assetHandleArray": ["a|101|1|1001", "a|101|1|1002", "a|101|1|1003"],
        "destFolder": "Acme/sets/",
        "readyForPublish": False,
        "autoSetCreationOptions": {"autoSetsArray": ["ps|101|44"]},
        "emailSetting": "None",
    },
}

SPECS = {spec.param_field: spec for spec in JOB_TYPES}


def submit(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "companyHandle": "c|101",
        "jobName": "nightly-upload",
        "imageServingPublishJob": {"publishType": "Full"},
    }
    base.update(overrides)
    return base


# --- the eleven job types ----------------------------------------------------------------------


def test_examples_cover_every_job_type() -> None:
    assert set(EXAMPLES) == set(SPECS)
    assert len(JOB_TYPES) == 11


@pytest.mark.parametrize("param_field", list(EXAMPLES))
def test_every_job_type_validates_a_realistic_example(param_field: str) -> None:
    spec = SPECS[param_field]
    job = spec.model.model_validate(EXAMPLES[param_field])
    param = SubmitJobParam.model_validate(
        {"companyHandle": "c|101", "jobName": f"{param_field}-1", spec.ips_field: job}
    )
    assert param.job is job or param.job == job
    assert param.job_type is spec
    wire = param.to_ips()
    assert set(wire) == {"companyHandle", "jobName", spec.ips_field}
    # the wire form validates back to the same job (arrays unwrap, names map back)
    assert spec.model.model_validate(wire[spec.ips_field]) == job


def test_job_types_table_matches_submit_param() -> None:
    job_fields = [name for name in SubmitJobParam.model_fields if name.endswith("_job")]
    assert [spec.param_field for spec in JOB_TYPES] == job_fields
    for spec in JOB_TYPES:
        field = SubmitJobParam.model_fields[spec.param_field]
        assert SubmitJobParam.ips_name(spec.param_field) == spec.ips_field
        assert field.annotation == spec.model | None
        assert spec.type_name == spec.model.__name__
        assert spec.summary and "\n" not in spec.summary
    with pytest.raises(AttributeError):
        JOB_TYPES[0].summary = "changed"  # type: ignore[misc]


# --- naming ------------------------------------------------------------------------------------


def test_snake_and_ips_names_both_populate() -> None:
    by_name = UploadUrlsJob(
        url_array=["https://x.example/a.jpg"], ready_for_publish=True, email_setting="Error"
    )
    by_alias = UploadUrlsJob.model_validate(
        {"urlArray": ["https://x.example/a.jpg"], "readyForPublish": True, "emailSetting": "Error"}
    )
    assert by_name == by_alias
    assert by_name.email_setting is EmailSetting.ERROR


def test_export_job_keeps_is_modifier_spelling() -> None:
    job = ExportJob(asset_handle_array=["a|1"], fmt=ExportFormat.CONVERT, is_modifier="&wid=10")
    assert job.to_ips()["is_modifier"] == "&wid=10"
    assert ExportJob.model_validate({"assetHandleArray": ["a|1"], "is_modifier": "x"}).is_modifier


#: Every documented spelling of a field, read wherever the field occurs.
SPELLINGS: list[tuple[Any, str, list[str]]] = [
    (ServerDirectoryPublishJob, "email_setting", ["emailSetting", "emailSettings"]),
    (ImageServingPublishJob, "email_setting", ["emailSetting", "emailSettings"]),
    (UploadUrlsJob, "illustrator_options", ["illustratorOptions", "IllustratorOptions"]),
    (UploadPostJob, "illustrator_options", ["illustratorOptions", "IllustratorOptions"]),
    (UploadDirectoryJob, "illustrator_options", ["illustratorOptions", "IllustratorOptions"]),
    (ReprocessAssetsJob, "illustrator_options", ["illustratorOptions", "IllustratorOptions"]),
    (UploadDirectoryJob, "auto_color_crop_options", ["autoColorCropOptions", "autoColorOptions"]),
    (UploadUrlsJob, "auto_color_crop_options", ["autoColorCropOptions", "autoColorOptions"]),
    (IllustratorOptions, "color_space", ["colorSpace", "colorspace"]),
    (PDFOptions, "colorspace", ["colorspace", "colorSpace"]),
    (PostScriptOptions, "colorspace", ["colorspace", "colorSpace"]),
]

_VALUES: dict[str, Any] = {
    "email_setting": "All",
    "illustrator_options": {"process": "None"},
    "auto_color_crop_options": {"corner": "BottomRight", "tolerance": 0.3},
    "color_space": "Cmyk",
    "colorspace": "Cmyk",
}


@pytest.mark.parametrize(("model", "attr", "spellings"), SPELLINGS)
def test_every_documented_spelling_is_accepted(model: Any, attr: str, spellings: list[str]) -> None:
    for key in [attr, *spellings]:
        obj = model.model_validate(_minimal(model) | {key: _VALUES[attr]})
        assert getattr(obj, attr) is not None, key


@pytest.mark.parametrize(
    ("model", "attr", "sent"),
    [
        # each type sends the spelling of its own reference page
        (ServerDirectoryPublishJob, "email_setting", "emailSettings"),
        (ImageServingPublishJob, "email_setting", "emailSetting"),
        (UploadUrlsJob, "illustrator_options", "IllustratorOptions"),
        (UploadPostJob, "illustrator_options", "IllustratorOptions"),
        (UploadDirectoryJob, "illustrator_options", "illustratorOptions"),
        (RipPdfsJob, "illustrator_options", "illustratorOptions"),
        (ReprocessAssetsJob, "illustrator_options", "illustratorOptions"),
        (UploadDirectoryJob, "auto_color_crop_options", "autoColorOptions"),
        (UploadUrlsJob, "auto_color_crop_options", "autoColorCropOptions"),
        (RipPdfsJob, "auto_color_crop_options", "autoColorCropOptions"),
        (IllustratorOptions, "color_space", "colorSpace"),
        (PDFOptions, "colorspace", "colorspace"),
        (PostScriptOptions, "colorspace", "colorspace"),
        (ExportJob, "is_modifier", "is_modifier"),
    ],
)
def test_each_type_sends_its_own_pages_spelling(model: Any, attr: str, sent: str) -> None:
    assert model.ips_name(attr) == sent
    value = _VALUES.get(attr, "x")
    wire = model.model_validate(_minimal(model) | {attr: value}).to_ips()
    assert sent in wire


def test_spellings_round_trip() -> None:
    job = UploadDirectoryJob.model_validate({"autoColorCropOptions": {"corner": "UpperLeft"}})
    assert job.to_ips() == {"autoColorOptions": {"corner": "UpperLeft"}}
    assert isinstance(job.auto_color_crop_options, AutoColorCropOptions)
    assert UploadDirectoryJob.model_validate(job.to_ips()) == job
    assert IllustratorOptions.model_validate({"colorspace": "Rgb"}).to_ips() == {
        "colorSpace": "Rgb"
    }
    sdp = ServerDirectoryPublishJob.model_validate({"emailSetting": "All"})
    assert sdp.to_ips() == {"emailSettings": "All"}


def test_enum_typos_and_case_are_accepted() -> None:
    assert JobLogType("VideoPubilshSuccess") is JobLogType.VIDEO_PUBLISH_SUCCESS
    assert JobLogType("FleEnd") is JobLogType.FILE_END
    assert JobLogType("BeginVideoPubl]ish") is JobLogType.BEGIN_VIDEO_PUBLISH
    assert JobLogType("endReoptimize") is JobLogType.END_REOPTIMIZE
    assert JobLogType("ImageRenderingPublishCleanupsuccess").value.endswith("CleanupSuccess")
    assert PublishType("full") is PublishType.FULL
    assert str(PublishType.FULL) == "Full"
    with pytest.raises(ValueError):
        PublishType("Partial")


# --- wire form (to_ips) ------------------------------------------------------------------------


def test_to_ips_wraps_arrays_omits_none_and_uses_enum_values() -> None:
    job = UploadUrlsJob(
        url_array=["https://x.example/a.jpg"],
        email_setting=EmailSetting.ERROR_AND_WARNING,
        media_options=MediaOptions(video_encoding_presets_array=["ps|1"]),
        project_handle_array=[],
    )
    assert job.to_ips() == {
        "emailSetting": "ErrorAndWarning",
        "mediaOptions": {"videoEncodingPresetsArray": {"items": ["ps|1"]}},
        "projectHandleArray": {"items": []},
        "urlArray": {"items": ["https://x.example/a.jpg"]},
    }


def test_to_ips_keeps_reference_field_order() -> None:
    job = UploadDirectoryJob.model_validate(EXAMPLES["upload_directory_job"])
    keys = list(job.to_ips())
    documented = [UploadDirectoryJob.ips_name(name) for name in UploadDirectoryJob.model_fields]
    assert keys == [key for key in documented if key in keys]


def test_photoshop_options_follow_adobes_example_order() -> None:
    # Adobe's HTTP POST example sends process before layerOptions (the table lists it after)
    options = PhotoshopOptions.model_validate(
        {"layerOptions": {"anchor": "Center"}, "process": "MaintainLayers"}
    )
    assert list(options.to_ips()) == ["process", "layerOptions"]


def test_upload_post_job_keeps_the_examples_block() -> None:
    example = [
        "overwrite",
        "readyForPublish",
        "preservePublishState",
        "createMask",
        "preserveCrop",
        "manualCropOptions",
        "photoshopOptions",
        "emailSetting",
    ]
    names = [UploadPostJob.ips_name(n) for n in UploadPostJob.model_fields]
    start = names.index(example[0])
    assert names[start : start + len(example)] == example


def test_string_documented_flags_are_sent_as_text() -> None:
    job = UploadDirectoryJob(overwrite=True, include_subfolders=False, process_metadata_files=True)
    assert job.to_ips() == {
        "includeSubfolders": "false",
        "overwrite": "true",
        "processMetadataFiles": "true",
    }
    # UploadUrlsJob documents overwrite as a real boolean
    urls = UploadUrlsJob(url_array=["https://x.example/a"], overwrite=True)
    assert urls.to_ips()["overwrite"] is True


def test_string_flags_accept_ips_text() -> None:
    job = UploadDirectoryJob.model_validate({"overwrite": "true", "includeSubfolders": "false"})
    assert job.overwrite is True
    assert job.include_subfolders is False


def test_submit_param_to_ips() -> None:
    when = datetime(2026, 3, 1, 2, 30, tzinfo=timezone.utc)
    param = SubmitJobParam(
        company_handle="c|101",
        job_name="publish",
        locale="en-US",
        exec_time=when,
        image_serving_publish_job=ImageServingPublishJob(publish_type=PublishType.FULL),
    )
    assert param.to_ips() == {
        "companyHandle": "c|101",
        "jobName": "publish",
        "locale": "en-US",
        "execTime": when,
        "imageServingPublishJob": {"publishType": "Full"},
    }


def test_illustrator_resolution_accepts_numbers() -> None:
    assert IllustratorOptions(resolution=150).resolution == "150"


# --- request models reject unknown fields ------------------------------------------------------


def test_request_models_forbid_unknown_fields_at_every_level() -> None:
    with pytest.raises(ValidationError, match="publishTyp"):
        ImageServingPublishJob.model_validate({"publishTyp": "Full"})
    with pytest.raises(ValidationError, match="tolerence"):
        UploadUrlsJob.model_validate(
            {"urlArray": ["https://x.example/a"], "autoColorCropOptions": {"tolerence": 0.1}}
        )
    with pytest.raises(ValidationError, match="jobname"):
        SubmitJobParam.model_validate(submit(jobname="x"))


# --- read models ---------------------------------------------------------------------------------


def test_active_job_reads_server_data_tolerantly() -> None:
    job = ActiveJob.model_validate(
        {
            "companyHandle": "c|101",
            "jobHandle": "j|1",
            "name": "nightly-upload_1",
            "originalName": "nightly-upload",
            "type": "UrlUpload",
            "state": "Running",
            "startDate": "2026-03-01T02:30:00.000-08:00",
            "progress": 40,
            "progressMessage": "Uploading 4 of 10",
            "someNewField": {"x": 1},
            "taskProgressArray": {
                "items": [
                    {
                        "taskType": "Upload",
                        "progress": 0.4,
                        "taskState": "Processing",
                        "newTaskField": 3,
                        "taskItemProgressArray": {
                            "items": [{"itemName": "shoe-1.jpg", "progress": 1.0, "extra": 1}]
                        },
                    }
                ]
            },
            "uploadUrlsJob": {
                "numUrls": 10,
                "emailSetting": "All",
                "newJobField": "x",
                "manualCropOptions": {"left": 1, "newCropField": 2},
                "postImageServingPublishJob": {"publishType": "Full", "newer": True},
            },
        }
    )
    assert job.type is JobType.URL_UPLOAD
    assert job.state is ActiveJobState.RUNNING
    assert job.start_date == datetime(2026, 3, 1, 10, 30, tzinfo=timezone.utc)
    assert job.progress_message == "Uploading 4 of 10"
    (task,) = job.task_progress_array
    assert task.task_state is TaskState.PROCESSING
    assert task.task_item_progress_array[0].item_name == "shoe-1.jpg"
    assert job.upload_urls_job is not None
    # embedded job details: unknown fields dropped, no submission rules (no urlArray here)
    assert job.upload_urls_job.num_urls == 10
    assert job.upload_urls_job.url_array is None
    assert job.upload_urls_job.manual_crop_options == ManualCropOptions(left=1)
    assert job.upload_urls_job.post_image_serving_publish_job == ImageServingPublishJob(
        publish_type=PublishType.FULL
    )


def test_read_models_keep_unknown_constant_values_as_text() -> None:
    job = ActiveJob.model_validate({"state": "Hibernating", "type": "SomethingNew"})
    assert job.state == "Hibernating"
    assert not isinstance(job.state, ActiveJobState)
    assert job.type == "SomethingNew"
    scheduled = ScheduledJob.model_validate({"triggerState": "Paused", "timeZone": "Europe/Paris"})
    assert scheduled.trigger_state is JobTriggerState.PAUSED
    assert scheduled.time_zone == "Europe/Paris"


def test_read_models_accept_documented_alternative_job_names() -> None:
    job = ActiveJob.model_validate(
        {
            "imageServingRenderJob": {"contextHandle": "ctx|1"},
            "serverDirectoryPublishJob": {"emailSettings": "Error"},
            "exportJob": {"fmt": "orig"},
            "uploadPostJob": {"IllustratorOptions": {"process": "None"}},
        }
    )
    assert job.image_rendering_publish_job == ImageRenderingPublishJob(context_handle="ctx|1")
    assert job.server_directory_publish_job is not None
    assert job.server_directory_publish_job.email_setting is EmailSetting.ERROR
    assert job.export_job is not None and job.export_job.asset_handle_array is None
    assert job.upload_post_job is not None and job.upload_post_job.illustrator_options


def test_scheduled_job_embeds_every_documented_job() -> None:
    scheduled = ScheduledJob.model_validate(
        {
            "jobHandle": "j|2",
            "execSchedule": "0 0 2 * * ?",
            "nextFireTime": "2026-03-02T02:00:00Z",
            "uploadDirectoryJob": {"serverDir": "/in", "includeSubfolders": "true"},
            "ripPdfsJob": {"emailSetting": "Error"},
            "reprocessAssetsJob": {"preserveCrop": False},
        }
    )
    assert scheduled.upload_directory_job is not None
    assert scheduled.upload_directory_job.include_subfolders is True
    assert scheduled.rip_pdfs_job is not None
    assert scheduled.reprocess_assets_job is not None
    assert scheduled.next_fire_time == datetime(2026, 3, 2, 2, tzinfo=timezone.utc)


def test_job_log_unwraps_details_and_aux() -> None:
    log = JobLog.model_validate(
        {
            "jobHandle": "j|1",
            "jobName": "nightly-upload",
            "logType": "EndUpload",
            "startDate": "2026-03-01T02:30:00Z",
            "fileSuccessCount": 9,
            "fileErrorCount": 1,
            "fatalError": False,
            "detailTotalRows": 2500,
            "brandNew": "ignored",
            "detailArray": {
                "items": [
                    {
                        "logMessage": "Uploaded",
                        "logType": "VideoPubilshSuccess",
                        "assetType": "MasterImage",
                        "assetHandle": "a|1",
                        "more": 1,
                        "auxArray": {
                            "items": [
                                {
                                    "logMessage": "profile missing",
                                    "logType": "IPSJobLog.gcUploadWarning",
                                    "dateCreated": "2026-03-01T02:31:00Z",
                                    "unknown": 0,
                                }
                            ]
                        },
                    },
                    {"logType": "FleEnd", "assetType": "Illustrator"},
                    {"logType": "NewLogType", "assetType": "NewAssetType"},
                ]
            },
        }
    )
    assert log.log_type is JobLogType.END_UPLOAD
    assert log.detail_total_rows == 2500
    first, second, third = log.detail_array
    assert first.log_type is JobLogType.VIDEO_PUBLISH_SUCCESS
    assert first.asset_type is JobLogFileType.MASTER_IMAGE
    assert first.aux_array[0].date_created == datetime(2026, 3, 1, 2, 31, tzinfo=timezone.utc)
    assert second.log_type is JobLogType.FILE_END
    assert second.asset_type is AssetType.ILLUSTRATOR
    assert third.log_type == "NewLogType" and third.asset_type == "NewAssetType"


def test_read_arrays_default_to_empty_and_accept_empty_wrappers() -> None:
    assert JobLog().detail_array == []
    assert JobLog.model_validate({"detailArray": {"items": None}}).detail_array == []
    assert JobLog.model_validate({"detailArray": {}}).detail_array == []
    # SOAP toolkits report an absent array as None
    assert JobLog.model_validate({"detailArray": None}).detail_array == []
    assert ActiveJob.model_validate({"taskProgressArray": None}).task_progress_array == []


def test_company_info() -> None:
    info = CompanyInfo.model_validate(
        {
            "companyHandle": "c|137",
            "name": "Planetary",
            "rootPath": "Planetary/",
            "expires": "2101-01-31T23:00:00.030Z",
            "newField": 1,
        }
    )
    assert CompanyInfo.xsd_name() == "Company"
    assert info.root_path == "Planetary/"
    assert info.expires is not None and info.expires.year == 2101


# --- job rules -------------------------------------------------------------------------------

CROP_JOBS = [UploadDirectoryJob, UploadUrlsJob, RipPdfsJob, ReprocessAssetsJob, UploadPostJob]
POST_JOB_JOBS = [UploadDirectoryJob, UploadUrlsJob, RipPdfsJob, ReprocessAssetsJob]


def _minimal(model: Any) -> dict[str, Any]:
    if model is UploadUrlsJob:
        return {"urlArray": ["https://x.example/a.jpg"]}
    if model is RipPdfsJob:
        return {"pdfHandleArray": ["a|1"]}
    if model in (ReprocessAssetsJob, ExportJob, AutomatedSetGenerationJob):
        return {"assetHandleArray": ["a|1"]}
    return {}


@pytest.mark.parametrize("model", CROP_JOBS)
def test_only_one_crop_option(model: Any) -> None:
    data = _minimal(model) | {
        "manualCropOptions": {"left": 1},
        "autoTransparentCropOptions": {"tolerance": 0.5},
    }
    with pytest.raises(ValidationError, match="manual_crop_options") as excinfo:
        model.model_validate(data)
    assert "auto_transparent_crop_options" in str(excinfo.value)
    model.model_validate(_minimal(model) | {"manualCropOptions": {"left": 1}})


@pytest.mark.parametrize("model", POST_JOB_JOBS)
def test_at_most_one_post_publish_job(model: Any) -> None:
    data = _minimal(model) | {
        "postImageServingPublishJob": {"publishType": "Full"},
        "postVideoPublishJob": {},
    }
    with pytest.raises(ValidationError, match="post_video_publish_job"):
        model.model_validate(data)
    model.model_validate(_minimal(model) | {"postVideoPublishJob": {}})


@pytest.mark.parametrize("urls", [None, []])
def test_upload_urls_needs_urls(urls: Any) -> None:
    data = {} if urls is None else {"urlArray": urls}
    with pytest.raises(ValidationError, match="url_array"):
        UploadUrlsJob.model_validate(data)


@pytest.mark.parametrize(
    "url", ["ftp://x.example/a.jpg", "/local/file.jpg", "https://", " https://x.example/a"]
)
def test_upload_urls_must_be_http(url: str) -> None:
    with pytest.raises(ValidationError, match="url_array"):
        UploadUrlsJob(url_array=["https://x.example/ok.jpg", url])


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (ExportJob, "asset_handle_array"),
        (ReprocessAssetsJob, "asset_handle_array"),
        (AutomatedSetGenerationJob, "asset_handle_array"),
        (RipPdfsJob, "pdf_handle_array"),
    ],
)
def test_handle_arrays_required(model: Any, field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        model.model_validate({})
    with pytest.raises(ValidationError, match=field):
        model.model_validate({model.ips_name(field): {"items": []}})


SET_JOB = {
    "assetHandleArray": ["a|1"],
    "readyForPublish": True,
    "autoSetCreationOptions": {"autoSetsArray": ["ps|1"]},
    "emailSetting": "Error",
}


@pytest.mark.parametrize(
    ("field", "ips"),
    [
        ("ready_for_publish", "readyForPublish"),
        ("auto_set_creation_options", "autoSetCreationOptions"),
        ("email_setting", "emailSetting"),
    ],
)
def test_set_generation_requires_what_adobes_xsd_requires(field: str, ips: str) -> None:
    AutomatedSetGenerationJob.model_validate(SET_JOB)
    data = {k: v for k, v in SET_JOB.items() if k != ips}
    with pytest.raises(ValidationError, match=rf"{field} \({ips}\) is required") as excinfo:
        AutomatedSetGenerationJob.model_validate(data)
    assert excinfo.value.errors()[0]["type"] == "missing"
    # also through submitJobParam, i.e. before any call
    with pytest.raises(ValidationError, match=field):
        SubmitJobParam.model_validate(
            {"companyHandle": "c|1", "jobName": "sets", "automatedSetGenerationJob": data}
        )
    # a server's report of such a job may leave it out
    scheduled = ScheduledJob.model_validate({"automatedSetGenerationJob": data})
    assert scheduled.automated_set_generation_job is not None


def test_all_missing_set_generation_fields_are_named_at_once() -> None:
    with pytest.raises(ValidationError) as excinfo:
        AutomatedSetGenerationJob.model_validate({})
    message = str(excinfo.value)
    for name in ("asset_handle_array", "ready_for_publish", "auto_set_creation_options"):
        assert name in message
    assert "email_setting (emailSetting) is required" in message


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (KnockoutBackgroundOptions, {"fillMethod": "FloodFill"}, "corner"),
        (KnockoutBackgroundOptions, {"corner": "UpperLeft"}, r"fill_method \(fillMethod\)"),
        (UnCompressOptions, {}, "process"),
    ],
)
def test_options_require_what_adobes_xsd_requires(model: Any, data: Any, field: str) -> None:
    with pytest.raises(ValidationError, match=f"{field}.* is required"):
        model.model_validate(data)
    with relaxed_job_rules():
        model.model_validate(data)


def test_upload_urls_limit() -> None:
    urls = [f"https://x.example/{n}.jpg" for n in range(MAX_UPLOAD_URLS)]
    assert MAX_UPLOAD_URLS == 1000
    UploadUrlsJob(url_array=urls)
    with pytest.raises(ValidationError, match=r"url_array \(urlArray\) holds at most 1,000"):
        UploadUrlsJob(url_array=[*urls, "https://x.example/one-more.jpg"])
    with pytest.raises(ValidationError, match="urlArray"):
        SubmitJobParam.model_validate(
            {
                "companyHandle": "c|1",
                "jobName": "too many",
                "uploadUrlsJob": {"urlArray": [*urls, "https://x.example/x.jpg"]},
            }
        )
    assert UploadUrlsJob.item_limit("url_array") == 1000


def test_set_generation_asset_limit() -> None:
    assets = [f"a|{n}" for n in range(MAX_SET_GENERATION_ASSETS)]
    AutomatedSetGenerationJob.model_validate(SET_JOB | {"assetHandleArray": assets})
    with pytest.raises(ValidationError, match=r"asset_handle_array \(assetHandleArray\) holds"):
        AutomatedSetGenerationJob.model_validate(SET_JOB | {"assetHandleArray": [*assets, "a|x"]})
    # other handle arrays have no documented limit
    ExportJob(asset_handle_array=[*assets, "a|x"])


def test_export_fmt_is_orig_or_convert() -> None:
    with pytest.raises(ValidationError, match="fmt"):
        ExportJob(asset_handle_array=["a|1"], fmt="jpeg")
    assert ExportJob(asset_handle_array=["a|1"], fmt="orig").fmt is ExportFormat.ORIG


def test_relaxed_job_rules_is_scoped() -> None:
    assert not job_rules_relaxed()
    with relaxed_job_rules():
        assert job_rules_relaxed()
        assert UploadUrlsJob().url_array is None
    assert not job_rules_relaxed()
    with pytest.raises(ValidationError, match="url_array"):
        UploadUrlsJob()


def test_read_side_still_checks_types() -> None:
    with pytest.raises(ValidationError, match="tolerance"):
        ActiveJob.model_validate({"uploadUrlsJob": {"autoColorCropOptions": {"tolerance": 7}}})


# --- option ranges -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (AutoColorCropOptions, {"tolerance": 1.01}, "tolerance"),
        (AutoColorCropOptions, {"corner": "Middle"}, "corner"),
        (AutoTransparentCropOptions, {"tolerance": -0.1}, "tolerance"),
        (KnockoutBackgroundOptions, {"tolerance": 2}, "tolerance"),
        (KnockoutBackgroundOptions, {"fillMethod": "Magic"}, "fillMethod"),
        (UnsharpMaskOptions, {"amount": 5.5}, "amount"),
        (UnsharpMaskOptions, {"radius": 251}, "radius"),
        (UnsharpMaskOptions, {"threshold": 256}, "threshold"),
        (UnsharpMaskOptions, {"threshold": -1}, "threshold"),
        (UnsharpMaskOptions, {"monochrome": 2}, "monochrome"),
        (ManualCropOptions, {"left": -5}, "left"),
        (ManualCropOptions, {"bottom": -1}, "bottom"),
        (ThumbnailOptions, {"thumbnailTime": -1}, "thumbnailTime"),
        (IllustratorOptions, {"colorSpace": "Purple"}, "colorSpace"),
    ],
)
def test_option_ranges(model: Any, data: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        model.model_validate(data)


def test_option_range_edges_are_accepted() -> None:
    UnsharpMaskOptions(amount=5.0, radius=250.0, threshold=255, monochrome=1)
    UnsharpMaskOptions(amount=0, radius=0, threshold=0, monochrome=0)
    AutoColorCropOptions(tolerance=0)
    KnockoutBackgroundOptions(corner="UpperLeft", tolerance=1, fill_method="MatchPixel")
    ThumbnailOptions(thumbnail_time=0)
    assert (
        IllustratorOptions(color_space=PostScriptColorspaceMode.AUTO).color_space
        is PostScriptColorspaceMode.AUTO
    )


# --- SubmitJobParam ----------------------------------------------------------------------------


def test_submit_param_needs_company_and_job_name() -> None:
    with pytest.raises(ValidationError, match="companyHandle"):
        SubmitJobParam.model_validate({"jobName": "x", "optimizeImagesJob": {}})
    with pytest.raises(ValidationError, match="company_handle"):
        SubmitJobParam.model_validate(submit(companyHandle="  "))
    with pytest.raises(ValidationError, match="jobName"):
        SubmitJobParam.model_validate({"companyHandle": "c|1", "optimizeImagesJob": {}})
    with pytest.raises(ValidationError, match="job_name"):
        SubmitJobParam.model_validate(submit(jobName=""))


@pytest.mark.parametrize("name", ["bad\nname", "tab\there", "nul\x00", "del\x7f"])
def test_job_name_rejects_control_characters(name: str) -> None:
    with pytest.raises(ValidationError, match="job_name"):
        SubmitJobParam.model_validate(submit(jobName=name))


def test_job_name_length_limit() -> None:
    SubmitJobParam.model_validate(submit(jobName="x" * 255))
    with pytest.raises(ValidationError, match="jobName"):
        SubmitJobParam.model_validate(submit(jobName="x" * 256))


@pytest.mark.parametrize("locale", ["en", "en-US", "de-DE", "ja"])
def test_locale_accepts(locale: str) -> None:
    assert SubmitJobParam.model_validate(submit(locale=locale)).locale == locale


@pytest.mark.parametrize("locale", ["EN", "en-us", "en_US", "eng", "en-USA", "", "en-"])
def test_locale_rejects(locale: str) -> None:
    with pytest.raises(ValidationError, match="locale"):
        SubmitJobParam.model_validate(submit(locale=locale))


def test_exec_time_must_be_aware() -> None:
    with pytest.raises(ValidationError, match="exec_time"):
        SubmitJobParam.model_validate(submit(execTime=datetime(2026, 3, 1, 2, 30)))
    with pytest.raises(ValidationError, match="exec_time"):
        SubmitJobParam.model_validate(submit(execTime=pendulum.naive(2026, 3, 1, 2, 30)))
    with pytest.raises(ValidationError, match="exec_time"):
        SubmitJobParam.model_validate(submit(execTime="2026-03-01T02:30:00"))


def test_exec_time_accepts_aware_values_and_pendulum() -> None:
    when = pendulum.datetime(2026, 3, 1, 2, 30, tz="Europe/Paris")
    param = SubmitJobParam.model_validate(submit(execTime=when))
    assert isinstance(param.exec_time, pendulum.DateTime)
    assert param.exec_time == when
    fixed = datetime(2026, 3, 1, 2, 30, tzinfo=timezone(timedelta(hours=-8)))
    assert SubmitJobParam.model_validate(submit(exec_time=fixed)).exec_time == fixed
    parsed = SubmitJobParam.model_validate(submit(execTime="2026-03-01T02:30:00Z")).exec_time
    assert parsed is not None and parsed.utcoffset() == timedelta(0)


def test_exec_time_and_schedule_are_exclusive() -> None:
    aware = datetime(2026, 3, 1, tzinfo=timezone.utc)
    with pytest.raises(ValidationError, match="exec_time") as excinfo:
        SubmitJobParam.model_validate(submit(execTime=aware, execSchedule="0 0 2 * * ?"))
    assert "exec_schedule" in str(excinfo.value)
    assert SubmitJobParam.model_validate(submit(execSchedule="0 0 2 * * ?")).exec_schedule


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("0 0 2 * * ?", "0 0 2 * * ?"),
        ("00 00 02 ? * MON-FRI", "0 0 2 ? * MON-FRI"),
        ("0 0 2 * * *", "0 0 2 * * ?"),
        ("00 00 00 * * ", "0 0 0 * * ?"),  # Adobe's getScheduledJobs example: daily at 00:00
        ("0 2 * * MON-FRI", "0 0 2 ? * 2-6"),  # only valid as cron
        ("@daily", "0 0 0 * * ?"),
    ],
)
def test_exec_schedule_goes_on_the_wire_as_quartz(given: str, sent: str) -> None:
    param = SubmitJobParam.model_validate(submit(execSchedule=given))
    assert param.exec_schedule == sent
    assert param.to_ips()["execSchedule"] == sent
    assert SubmitJobParam.model_validate(param.to_ips()).exec_schedule == sent


@pytest.mark.parametrize("given", ["30 2 * * *", "0 0 * * *", "30 2 * * 1-5"])
def test_exec_schedule_readable_both_ways_is_refused(given: str) -> None:
    with pytest.raises(ValidationError, match="ambiguous") as excinfo:
        SubmitJobParam.model_validate(submit(execSchedule=given))
    message = str(excinfo.value)
    assert "exec_schedule (execSchedule)" in message
    assert "for that write" in message


@pytest.mark.parametrize("given", ["not a schedule", "0 0 2 ? * 9", "0 0 2 1 * MON"])
def test_exec_schedule_invalid_is_refused(given: str) -> None:
    with pytest.raises(ValidationError, match="exec_schedule"):
        SubmitJobParam.model_validate(submit(execSchedule=given))


def test_scheduled_job_reads_either_form() -> None:
    adobe = ScheduledJob.model_validate(
        {"execSchedule": "00 00 00 * * ", "timeZone": "PST", "triggerState": "Paused"}
    )
    assert adobe.exec_schedule == "00 00 00 * * "  # as reported
    assert adobe.exec_schedule_quartz == "0 0 0 * * ?"
    schedule = adobe.schedule("America/Los_Angeles")
    assert schedule is not None
    assert schedule.describe() == "At 00:00 (America/Los_Angeles)"
    quartz = ScheduledJob.model_validate({"execSchedule": "0 0 2 ? * MON", "timeZone": "UTC"})
    assert quartz.exec_schedule_quartz == "0 0 2 ? * MON"
    assert quartz.schedule() is not None
    odd = ScheduledJob.model_validate({"execSchedule": "every night"})
    assert odd.exec_schedule == "every night" and odd.exec_schedule_quartz is None
    assert ScheduledJob().schedule() is None


def test_exec_schedule_not_blank() -> None:
    with pytest.raises(ValidationError, match="exec_schedule"):
        SubmitJobParam.model_validate(submit(execSchedule=" "))


def test_submit_needs_exactly_one_job() -> None:
    with pytest.raises(ValidationError, match="exactly one job type") as excinfo:
        SubmitJobParam(company_handle="c|1", job_name="x")
    message = str(excinfo.value)
    for spec in JOB_TYPES:
        assert spec.param_field in message
    with pytest.raises(ValidationError, match="got image_serving_publish_job, optimize_images_job"):
        SubmitJobParam.model_validate(submit(optimizeImagesJob={}))


def test_submit_job_rules_apply_to_nested_job() -> None:
    with pytest.raises(ValidationError, match="url_array"):
        SubmitJobParam.model_validate(
            {"companyHandle": "c|1", "jobName": "x", "uploadUrlsJob": {"urlArray": []}}
        )


def test_submit_properties() -> None:
    param = SubmitJobParam(
        company_handle="c|1", job_name="v", video_publish_job=VideoPublishJob(context_handle="c")
    )
    assert param.job == VideoPublishJob(context_handle="c")
    assert param.job_type.model is VideoPublishJob
    assert param.job_type.ips_field == "videoPublishJob"


def test_optimize_images_job_with_defaults() -> None:
    assert OptimizeImagesJob().to_ips() == {}


# --- packaging ---------------------------------------------------------------------------------


def test_public_names_are_exported() -> None:
    import airflow_provider_ips.models as models

    for name in models_all:
        assert hasattr(models, name), name
    for spec in JOB_TYPES:
        assert spec.model.__name__ in models_all


def test_models_do_not_import_transport_or_airflow() -> None:
    code = (
        "import sys, airflow_provider_ips.models\n"
        "bad = [m for m in ('airflow', 'zeep', 'lxml', 'httpx') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
