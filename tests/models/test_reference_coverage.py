"""Our models against the IPS reference index (shared/reference/ips-api-index.json).

Checks that every documented field of the job, option and read types (and of submitJobParam)
exists in our model under its IPS name or a documented-typo alias, that its XSD type matches
the documented one (modulo listed corrections), that every request type (and read type)
keeps the documented element order (table order, or Adobe's example order where an example
contradicts the table), and that every documented constant maps onto our enums.
"""

from __future__ import annotations

import json
import types
import typing
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any, Union

import pytest
from pydantic import BaseModel

import airflow_provider_ips.models as models
from airflow_provider_ips.models import IpsModel
from airflow_provider_ips.models._base import field_array, field_xsd_type, nested_model
from airflow_provider_ips.models.operations import OPERATIONS

INDEX_PATH = Path(__file__).resolve().parents[3] / "shared/reference/ips-api-index.json"

# IPS type name -> our class
CHECKED_TYPES: dict[str, type[IpsModel]] = {
    name: getattr(models, name)
    for name in [
        # the eleven job types (+ UploadPostJob, embedded in ActiveJob)
        "ExportJob",
        "ImageServingPublishJob",
        "ImageRenderingPublishJob",
        "VideoPublishJob",
        "ServerDirectoryPublishJob",
        "UploadDirectoryJob",
        "UploadUrlsJob",
        "OptimizeImagesJob",
        "RipPdfsJob",
        "ReprocessAssetsJob",
        "AutomatedSetGenerationJob",
        "UploadPostJob",
        # option types (InDesignOptions has no reference page)
        "AutoColorCropOptions",
        "AutoTransparentCropOptions",
        "ManualCropOptions",
        "ColorManagementOptions",
        "PhotoshopLayerOptions",
        "PhotoshopOptions",
        "PDFOptions",
        "IllustratorOptions",
        "PostScriptOptions",
        "UnsharpMaskOptions",
        "KnockoutBackgroundOptions",
        "ThumbnailOptions",
        "MediaOptions",
        "UnCompressOptions",
        "AutoSetCreationOptions",
        # read types
        "ActiveJob",
        "ScheduledJob",
        "JobLog",
        "JobLogDetail",
        "JobLogDetailAux",
        "TaskProgress",
        "TaskItemProgress",
    ]
}
CHECKED_TYPES["Company"] = models.CompanyInfo

# Documented "fields" we deliberately do not model: (type, field) -> reason.
OMITTED: dict[tuple[str, str], str] = {
    **{
        ("AutomatedSetGenerationJob", value): "index artefact: a row of the emailSetting "
        "values table, not a field"
        for value in ("All", "Error", "ErrorAndWarning", "JobCompletion", "None")
    },
}

# Documented types we correct: (type, field) -> (documented, ours, reason).
TYPE_CORRECTIONS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("ActiveJob", "progressMessage"): ("xsd:int", "xsd:string", "a text message"),
    ("ScheduledJob", "timeZone"): ("xsd:dateTime", "xsd:string", "a zone name, not a time"),
    ("ScheduledJob", "triggerState"): ("xsd:int", "xsd:string", "a Job Trigger States value"),
    ("ActiveJob", "serverDirectoryPublishJob"): (
        "types:ImageServingPublishJob",
        "types:ServerDirectoryPublishJob",
        "ScheduledJob and submitJob use ServerDirectoryPublishJob",
    ),
    **{
        (owner, "imageServingRenderJob"): (
            "types:ImageServingRenderJob",
            "types:ImageRenderingPublishJob",
            "undocumented type; described as the image rendering job's details",
        )
        for owner in ("ActiveJob", "ScheduledJob")
    },
}

# Documented type-name typos -> the type we use.
TYPE_NAME_TYPOS = {
    "types:ImageRendingPublishJob": "types:ImageRenderingPublishJob",
    "types:AutoSetCreateOptions": "types:AutoSetCreationOptions",
    "types:PostTransparentCropOptions": "types:AutoTransparentCropOptions",
    "types:AutoColorOptions": "types:AutoColorCropOptions",
    "xsd:UrlArray": "types:UrlArray",
}

CONSTANT_ENUMS: dict[str, type[Enum]] = {
    "Active Job States": models.ActiveJobState,
    "Job Log Types": models.JobLogType,
    "Job Log File Types": models.JobLogFileType,
    "Job Trigger States": models.JobTriggerState,
    "Job Types": models.JobType,
    "Email Settings": models.EmailSetting,
    "Publish Types": models.PublishType,
    "Sort Directions": models.SortDirection,
    "Job Log Sort Fields": models.JobLogSortField,
    "AutoCrop Corner": models.AutoCropCorner,
    "Color Management Modes": models.ColorManagementMode,
    "Color Spaces": models.ColorSpace,
    "PDF Processes": models.PdfProcess,
    "Illustrator Processes": models.IllustratorProcess,
    "PostScript Colorspace Modes": models.PostScriptColorspaceMode,
    "Photoshop Anchor Modes": models.PhotoshopAnchorMode,
    "Photoshop Layer Naming Modes": models.PhotoshopLayerNamingMode,
    "Asset Types": models.AssetType,
}

# Documented constant values that are not single values: (set, value) -> reason.
CONSTANT_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("Asset Types", "Zip Rtf"): "two values (Zip, Rtf) run together; both are members",
}


def _is_usage_note(value: str) -> bool:
    """Index artefact: a page's "Used by" list (e.g. ``Asset/type``) read as values."""
    return "/" in value or "(" in value


@pytest.fixture(scope="module")
def index() -> dict[str, Any]:
    if not INDEX_PATH.is_file():
        pytest.skip(f"reference index not found at {INDEX_PATH}")
    data: dict[str, Any] = json.loads(INDEX_PATH.read_text(encoding="utf-8"))
    return data


def _documented_name(raw: str) -> str:
    # e.g. "postImageRenderingPublish Job": markup split the name in the source table
    return "".join(raw.split())


def _accepted_names(cls: type[BaseModel], field_name: str) -> set[str]:
    field = cls.model_fields[field_name]
    names = {field_name}
    if field.alias:
        names.add(field.alias)
    alias = field.validation_alias
    if isinstance(alias, str):
        names.add(alias)
    elif alias is not None:
        names.update(c for c in getattr(alias, "choices", []) if isinstance(c, str))
    return names


def _field_for(cls: type[BaseModel], ips_name: str) -> str | None:
    for name in cls.model_fields:
        if ips_name in _accepted_names(cls, name):
            return name
    return None


_SCALARS: dict[Any, str] = {
    str: "xsd:string",
    bool: "xsd:boolean",
    int: "xsd:int",
    float: "xsd:double",
    datetime: "xsd:dateTime",
}


def xsd_type(cls: type[IpsModel], field_name: str) -> str:
    """The XSD type a field's annotation stands for (the WSDL generator's mapping)."""
    override = field_xsd_type(cls, field_name)
    if override:
        return override
    array = field_array(cls, field_name)
    if array is not None:
        return f"types:{array.type_name}"
    annotation = cls.model_fields[field_name].annotation
    if typing.get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
    else:
        members = [annotation]
    kinds = set()
    for member in members:
        if isinstance(member, type) and issubclass(member, Enum) and issubclass(member, str):
            kinds.add("xsd:string")
        elif isinstance(member, type) and issubclass(member, IpsModel):
            kinds.add(f"types:{member.xsd_name()}")
        elif member in _SCALARS:
            kinds.add(_SCALARS[member])
        else:
            raise AssertionError(f"{cls.__name__}.{field_name}: no XSD type for {member!r}")
    assert len(kinds) == 1, f"{cls.__name__}.{field_name}: ambiguous XSD type {kinds}"
    return kinds.pop()


def _all_models() -> list[type[IpsModel]]:
    found = []
    for name in models.__all__:
        obj = getattr(models, name)
        if isinstance(obj, type) and issubclass(obj, IpsModel) and obj.model_fields:
            found.append(obj)
    return found


@pytest.mark.parametrize("cls", _all_models(), ids=lambda c: c.__name__)
def test_every_field_maps_to_an_xsd_type(cls: type[IpsModel]) -> None:
    for name in cls.model_fields:
        assert xsd_type(cls, name)


@pytest.mark.parametrize("type_name", sorted(CHECKED_TYPES))
def test_documented_fields_are_modelled(index: dict[str, Any], type_name: str) -> None:
    cls = CHECKED_TYPES[type_name]
    assert cls.xsd_name() == type_name
    documented = index["types"][type_name]["fields"]
    assert documented, f"no fields documented for {type_name}"
    missing = []
    for entry in documented:
        raw = entry["name"]
        if (type_name, raw) in OMITTED:
            continue
        if _field_for(cls, _documented_name(raw)) is None:
            missing.append(raw)
    assert not missing, f"{type_name}: documented fields missing from {cls.__name__}: {missing}"


@pytest.mark.parametrize("type_name", sorted(CHECKED_TYPES))
def test_documented_field_types_match(index: dict[str, Any], type_name: str) -> None:
    cls = CHECKED_TYPES[type_name]
    mismatches = []
    for entry in index["types"][type_name]["fields"]:
        raw = entry["name"]
        if (type_name, raw) in OMITTED:
            continue
        field_name = _field_for(cls, _documented_name(raw))
        assert field_name is not None
        documented = TYPE_NAME_TYPOS.get(entry["type"], entry["type"])
        ours = xsd_type(cls, field_name)
        correction = TYPE_CORRECTIONS.get((type_name, raw))
        if correction is not None:
            assert (documented, ours) == correction[:2], (type_name, raw)
            continue
        if documented != ours:
            mismatches.append(f"{raw}: documented {documented}, ours {ours}")
    assert not mismatches, f"{type_name}: {mismatches}"


# --- element order ---------------------------------------------------------------------------
#
# IPS (Axis) reads its types as xsd:sequence, and we send elements in model field order. That
# order must be the reference's: the type page's table, except where one of Adobe's example
# messages shows the type's elements in an order the table contradicts. Then the elements
# the example shows go as one block, in the example's order, where the first of them stands
# in the table (the rest keep the table order).

#: Element order in Adobe's example messages and XSD snippets (our own record of the
#: order those examples show; the values are in tests/test_golden_messages.py).
EXAMPLE_ORDERS: dict[str, list[str]] = {
    # submitJob example
    "SubmitJobParam": ["companyHandle", "jobName", "imageServingPublishJob"],
    "ImageServingPublishJob": ["publishType", "emailSetting"],
    # XSD snippets on the type pages
    "AutomatedSetGenerationJob": [
        "assetHandleArray",
        "destFolder",
        "readyForPublish",
        "autoSetCreationOptions",
        "emailSetting",
    ],
    "KnockoutBackgroundOptions": ["corner", "tolerance", "fillMethod"],
    "MediaOptions": ["videoEncodingPresetsArray", "generateThumbnail", "thumbnailOptions"],
    "UnsharpMaskOptions": ["amount", "radius", "threshold", "monochrome"],
    # getAutoCropRect example
    "AutoColorCropOptions": ["corner", "tolerance"],
    # the HTTP POST upload example (uploadParams is an UploadPostJob)
    "UploadPostJob": [
        "overwrite",
        "readyForPublish",
        "preservePublishState",
        "createMask",
        "preserveCrop",
        "manualCropOptions",
        "photoshopOptions",
        "emailSetting",
    ],
    "ManualCropOptions": ["left", "right", "top", "bottom"],
    "PhotoshopOptions": ["process", "layerOptions"],
    "PhotoshopLayerOptions": [
        "layerNaming",
        "anchor",
        "createTemplate",
        "extractText",
        "extendLayers",
    ],
    # the job operations' examples
    "GetActiveJobsParam": ["companyHandle"],
    "GetScheduledJobsParam": ["companyHandle"],
    "GetJobLogsParam": ["companyHandle"],
    "GetJobLogDetailsParam": ["companyHandle", "jobHandle"],
    **{
        f"{op}JobParam": ["companyHandle", "jobHandle"]
        for op in ("Stop", "Pause", "Resume", "Delete", "Execute")
    },
    "GetCompanyInfoParam": ["companyName"],
    "GetPropertyParam": ["name"],
}

#: Request types without a reference page.
NO_REFERENCE_PAGE = {"InDesignOptions": "IPS publishes no page for it; one field"}


def _request_types() -> dict[str, type[IpsModel]]:
    """Every type a request can carry: the operation bodies and what they nest."""
    found: dict[str, type[IpsModel]] = {}

    def walk(cls: type[IpsModel], name: str) -> None:
        if name in found:
            return
        found[name] = cls
        for field in cls.model_fields.values():
            inner = nested_model(field.annotation)
            if inner is not None:
                walk(inner, inner.xsd_name())

    for op in OPERATIONS:
        walk(op.param, op.param.__name__)
    return found


REQUEST_TYPES = _request_types()


def expected_order(table: list[str], example: list[str] | None) -> list[str]:
    """The table order, with the example's block where the example contradicts it."""
    if not example or [name for name in table if name in example] == example:
        return table
    first = min(table.index(name) for name in example)
    rest = [name for name in table if name not in example]
    return rest[:first] + example + rest[first:]


def _documented_order(index: dict[str, Any], type_name: str, cls: type[IpsModel]) -> list[str]:
    """The IPS names our model sends, in the order of the reference table."""
    operation = type_name[0].lower() + type_name[1:].removesuffix("Param")
    if type_name.endswith("Param"):
        entries = index["operations"][operation]["input"]
    else:
        entries = index["types"][type_name]["fields"]
    order = []
    for entry in entries:
        if (type_name, entry["name"]) in OMITTED:
            continue
        field_name = _field_for(cls, _documented_name(entry["name"]))
        assert field_name is not None, (type_name, entry["name"])
        order.append(cls.ips_name(field_name))
    return order


def _sent_order(cls: type[IpsModel]) -> list[str]:
    return [cls.ips_name(name) for name in cls.model_fields]


def test_every_request_type_is_checked() -> None:
    assert set(REQUEST_TYPES) - set(NO_REFERENCE_PAGE) >= {
        "SubmitJobParam",
        "UploadUrlsJob",
        "AutomatedSetGenerationJob",
        "KnockoutBackgroundOptions",
        "GetJobLogDetailsParam",
    }
    assert set(EXAMPLE_ORDERS) - {"UploadPostJob"} <= set(REQUEST_TYPES)


@pytest.mark.parametrize("type_name", sorted(EXAMPLE_ORDERS))
def test_example_messages_order_is_kept(type_name: str) -> None:
    """Needs no reference files: the order every example shows is the order we send."""
    cls = REQUEST_TYPES.get(type_name) or CHECKED_TYPES[type_name]
    sent = _sent_order(cls)
    example = EXAMPLE_ORDERS[type_name]
    assert [name for name in sent if name in example] == example


@pytest.mark.parametrize(
    "type_name", sorted((set(REQUEST_TYPES) | set(CHECKED_TYPES)) - set(NO_REFERENCE_PAGE))
)
def test_element_order_follows_reference(index: dict[str, Any], type_name: str) -> None:
    cls = REQUEST_TYPES.get(type_name) or CHECKED_TYPES[type_name]
    table = _documented_order(index, type_name, cls)
    expected = expected_order(table, EXAMPLE_ORDERS.get(type_name))
    sent = [name for name in _sent_order(cls) if name in expected]
    assert sent == expected
    if type_name in REQUEST_TYPES:  # a request type sends nothing the reference lacks
        assert _sent_order(cls) == expected


def test_expected_order_rule() -> None:
    table = ["a", "b", "c", "d", "e"]
    assert expected_order(table, ["b", "d"]) == table  # consistent: the table stands
    assert expected_order(table, ["d", "b"]) == ["a", "d", "b", "c", "e"]
    assert expected_order(table, None) == table


def test_submit_job_param_matches_reference(index: dict[str, Any]) -> None:
    cls = models.SubmitJobParam
    documented = index["operations"]["submitJob"]["input"]
    order = []
    for entry in documented:
        field_name = _field_for(cls, entry["name"])
        assert field_name is not None, entry["name"]
        assert xsd_type(cls, field_name) == entry["type"]
        assert cls.model_fields[field_name].is_required() == (entry["required"] == "Yes")
        order.append(field_name)
    assert list(cls.model_fields) == order
    assert [spec.ips_field for spec in models.JOB_TYPES] == [
        entry["name"] for entry in documented if entry["type"].startswith("types:")
    ]


def test_omissions_and_corrections_are_still_needed(index: dict[str, Any]) -> None:
    for type_name, field in [*OMITTED, *TYPE_CORRECTIONS]:
        names = [entry["name"] for entry in index["types"][type_name]["fields"]]
        assert field in names, f"{type_name}.{field} no longer documented; drop the entry"


@pytest.mark.parametrize("constant_set", sorted(CONSTANT_ENUMS))
def test_documented_constants_map_to_enum_members(index: dict[str, Any], constant_set: str) -> None:
    enum = CONSTANT_ENUMS[constant_set]
    values = index["constants"][constant_set]["values"]
    assert values
    unknown = []
    for value in values:
        if (constant_set, value) in CONSTANT_EXCEPTIONS or _is_usage_note(value):
            continue
        try:
            enum(value)
        except ValueError:
            unknown.append(value)
    assert not unknown, f"{constant_set}: no {enum.__name__} member for {unknown}"
