"""Every documented spelling of an element reads into the same field (and is sent as the
WSDL in use declares it). Replies are written by hand and fed through ``SoapCodec.read``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from airflow_provider_ips.models import SubmitJobParam
from airflow_provider_ips.models.operations import (
    GET_ACTIVE_JOBS,
    GET_SCHEDULED_JOBS,
    SUBMIT_JOB,
    GetActiveJobsParam,
    GetScheduledJobsParam,
)
from airflow_provider_ips.soap import BUNDLED_WSDL, ClientOptions, Credentials, IpsProtocolError
from airflow_provider_ips.soap.client import SoapCodec

NS = "http://www.scene7.com/IpsApi/xsd/2014-04-03"


def codec(wsdl: Path = BUNDLED_WSDL) -> SoapCodec:
    options = ClientOptions(base_url="http://127.0.0.1:1", wsdl=str(wsdl))
    return SoapCodec(options, Credentials("u@example.com", "pw"))


def envelope(body: str) -> bytes:
    return (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
        f"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    ).encode()


def read_active_job(job_xml: str, soap: SoapCodec | None = None) -> Any:
    soap = soap or codec()
    call = soap.prepare(GET_ACTIVE_JOBS, GetActiveJobsParam(company_handle="c1"))
    content = envelope(
        f'<getActiveJobsReturn xmlns="{NS}"><jobArray><items>'
        f"<jobHandle>c1|j1</jobHandle>{job_xml}"
        "</items></jobArray></getActiveJobsReturn>"
    )
    reply = httpx.Response(200, content=content, headers={"Content-Type": "text/xml"})
    [job] = soap.read(call, reply).job_array
    return job


def read_scheduled_job(job_xml: str) -> Any:
    soap = codec()
    call = soap.prepare(GET_SCHEDULED_JOBS, GetScheduledJobsParam(company_handle="c1"))
    content = envelope(
        f'<getScheduledJobsReturn xmlns="{NS}"><jobArray><items>'
        f"<jobHandle>c1|j1</jobHandle>{job_xml}"
        "</items></jobArray></getScheduledJobsReturn>"
    )
    reply = httpx.Response(200, content=content, headers={"Content-Type": "text/xml"})
    [job] = soap.read(call, reply).job_array
    return job


RASTERIZE = "<process>Rasterize</process><resolution>150</resolution><alpha>true</alpha>"
TASKS = (
    "<{item}><taskType>Transcode</taskType><numProcessed>3</numProcessed>"
    "<progress>0.5</progress><taskItemProgressArray><items><itemName>a.mp4</itemName>"
    "<progress>0.25</progress></items></taskItemProgressArray></{item}>"
    "<{item}><taskType>Thumbnail</taskType><numPending>2</numPending></{item}>"
)

#: (what, canonical XML, alternative XML, the fields both must fill)
SPELLINGS: list[tuple[str, str, str, Callable[[Any], Any]]] = [
    (
        "imageServingRenderJob",
        "<imageRenderingPublishJob><emailSetting>All</emailSetting></imageRenderingPublishJob>",
        "<imageServingRenderJob><emailSetting>All</emailSetting></imageServingRenderJob>",
        lambda job: job.image_rendering_publish_job,
    ),
    (
        "TaskProgressArray item",
        f"<taskProgressArray>{TASKS.format(item='items')}</taskProgressArray>",
        f"<taskProgressArray>{TASKS.format(item='item')}</taskProgressArray>",
        lambda job: job.task_progress_array,
    ),
    (
        "UploadUrlsJob illustratorOptions",
        f"<uploadUrlsJob><IllustratorOptions>{RASTERIZE}</IllustratorOptions></uploadUrlsJob>",
        f"<uploadUrlsJob><illustratorOptions>{RASTERIZE}</illustratorOptions></uploadUrlsJob>",
        lambda job: job.upload_urls_job.illustrator_options,
    ),
    (
        "RipPdfsJob IllustratorOptions",
        f"<ripPdfsJob><illustratorOptions>{RASTERIZE}</illustratorOptions></ripPdfsJob>",
        f"<ripPdfsJob><IllustratorOptions>{RASTERIZE}</IllustratorOptions></ripPdfsJob>",
        lambda job: job.rip_pdfs_job.illustrator_options,
    ),
    (
        "UploadPostJob illustratorOptions",
        f"<uploadPostJob><IllustratorOptions>{RASTERIZE}</IllustratorOptions></uploadPostJob>",
        f"<uploadPostJob><illustratorOptions>{RASTERIZE}</illustratorOptions></uploadPostJob>",
        lambda job: job.upload_post_job.illustrator_options,
    ),
    (
        "ServerDirectoryPublishJob emailSetting",
        "<serverDirectoryPublishJob><emailSettings>Error</emailSettings>"
        "</serverDirectoryPublishJob>",
        "<serverDirectoryPublishJob><emailSetting>Error</emailSetting></serverDirectoryPublishJob>",
        lambda job: job.server_directory_publish_job.email_setting,
    ),
    (
        "UploadDirectoryJob autoColorCropOptions",
        "<uploadDirectoryJob><autoColorOptions><corner>UpperLeft</corner>"
        "<tolerance>0.1</tolerance></autoColorOptions></uploadDirectoryJob>",
        "<uploadDirectoryJob><autoColorCropOptions><corner>UpperLeft</corner>"
        "<tolerance>0.1</tolerance></autoColorCropOptions></uploadDirectoryJob>",
        lambda job: job.upload_directory_job.auto_color_crop_options,
    ),
    (
        "IllustratorOptions colorspace",
        "<ripPdfsJob><illustratorOptions><colorSpace>Cmyk</colorSpace></illustratorOptions>"
        "</ripPdfsJob>",
        "<ripPdfsJob><illustratorOptions><colorspace>Cmyk</colorspace></illustratorOptions>"
        "</ripPdfsJob>",
        lambda job: job.rip_pdfs_job.illustrator_options.color_space,
    ),
    (
        "UploadUrlsJob emailSettings",
        "<uploadUrlsJob><emailSetting>ErrorAndWarning</emailSetting></uploadUrlsJob>",
        "<uploadUrlsJob><emailSettings>ErrorAndWarning</emailSettings></uploadUrlsJob>",
        lambda job: job.upload_urls_job.email_setting,
    ),
]


@pytest.mark.parametrize(
    ("canonical", "alternative", "fields"),
    [s[1:] for s in SPELLINGS],
    ids=[s[0] for s in SPELLINGS],
)
def test_an_alternative_spelling_fills_the_same_fields(
    canonical: str, alternative: str, fields: Callable[[Any], Any]
) -> None:
    expected = fields(read_active_job(canonical))
    assert expected, "the canonical spelling is read"
    assert fields(read_active_job(alternative)) == expected
    assert read_active_job(alternative) == read_active_job(canonical)


def test_alternative_spellings_are_read_with_their_values_typed() -> None:
    job = read_active_job(SPELLINGS[1][2] + SPELLINGS[2][2])
    first, second = job.task_progress_array
    assert (first.task_type, first.num_processed, first.progress) == ("Transcode", 3, 0.5)
    assert first.task_item_progress_array[0].progress == 0.25
    assert second.num_pending == 2 and second.task_item_progress_array == []
    options = job.upload_urls_job.illustrator_options
    assert (options.process.value, options.resolution, options.alpha) == ("Rasterize", "150", True)


def test_the_rendering_job_is_read_under_either_name_in_scheduled_jobs() -> None:
    canonical = read_scheduled_job(SPELLINGS[0][1])
    alternative = read_scheduled_job(SPELLINGS[0][2])
    assert alternative.image_rendering_publish_job is not None
    assert alternative == canonical


def test_elements_that_match_no_field_are_still_ignored() -> None:
    job = read_active_job(
        "<newerThing><a>1</a></newerThing>"
        "<imageServingRenderJob><emailSetting>All</emailSetting><newerOption>x</newerOption>"
        "</imageServingRenderJob>"
        "<taskProgressArray><item><taskType>T</taskType><newerCount>4</newerCount></item>"
        "<other>ignored</other></taskProgressArray>"
    )
    assert job.image_rendering_publish_job.email_setting.value == "All"
    assert [t.task_type for t in job.task_progress_array] == ["T"]
    assert "newerThing" not in job.model_dump() and "newer_thing" not in job.model_dump()


def test_the_declared_spelling_wins_when_a_reply_has_both() -> None:
    job = read_active_job(
        "<uploadUrlsJob><emailSetting>All</emailSetting><emailSettings>Error</emailSettings>"
        "</uploadUrlsJob>"
    )
    assert job.upload_urls_job.email_setting.value == "All"


def test_an_empty_or_nil_alternative_element() -> None:
    xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    job = read_active_job(
        f'<imageServingRenderJob {xsi} xsi:nil="true"/><uploadUrlsJob><illustratorOptions/>'
        "</uploadUrlsJob><taskProgressArray/>"
    )
    assert job.image_rendering_publish_job is None
    assert job.upload_urls_job.illustrator_options is not None
    assert job.task_progress_array == []


def test_a_value_of_the_wrong_type_under_an_alternative_spelling_is_refused() -> None:
    wrong = r"wrong type at job_array\.0\.task_progress_array\.0\.num_processed \('lots'"
    with pytest.raises(IpsProtocolError, match=wrong):
        read_active_job(
            "<taskProgressArray><item><numProcessed>lots</numProcessed></item></taskProgressArray>"
        )


# -- a WSDL that spells things the other way (as a server's own may) ------------------------


@pytest.fixture
def other_wsdl(tmp_path: Path) -> Path:
    """The bundled WSDL with UploadUrlsJob's ``illustratorOptions`` and TaskProgressArray's
    ``item`` spelt as other reference pages spell them."""
    text = BUNDLED_WSDL.read_text()
    upload_urls = text.index('<xsd:complexType name="UploadUrlsJob">')
    end = text.index("</xsd:complexType>", upload_urls)
    text = (
        text[:upload_urls]
        + text[upload_urls:end].replace('name="IllustratorOptions"', 'name="illustratorOptions"')
        + text[end:]
    )
    tasks = text.index('<xsd:complexType name="TaskProgressArray">')
    end = text.index("</xsd:complexType>", tasks)
    text = text[:tasks] + text[tasks:end].replace('name="items"', 'name="item"') + text[end:]
    path = tmp_path / "IpsApi-other.wsdl"
    path.write_text(text)
    return path


def test_requests_use_the_spelling_the_wsdl_in_use_declares(other_wsdl: Path) -> None:
    param = SubmitJobParam(
        company_handle="c1",
        job_name="spelt",
        upload_urls_job={
            "url_array": ["https://example.com/a.ai"],
            "illustrator_options": {"process": "Rasterize"},
        },
    )
    bundled = codec().prepare(SUBMIT_JOB, param).body
    assert b"IllustratorOptions>" in bundled and b"illustratorOptions>" not in bundled
    other = codec(other_wsdl).prepare(SUBMIT_JOB, param).body
    assert b"illustratorOptions>" in other and b"IllustratorOptions>" not in other
    assert b"<ns0:items>https://example.com/a.ai</ns0:items>" in other


def test_replies_parsed_with_that_wsdl_fill_the_same_fields(other_wsdl: Path) -> None:
    canonical = read_active_job(SPELLINGS[1][1] + SPELLINGS[2][1])
    for xml in (SPELLINGS[1][2] + SPELLINGS[2][2], SPELLINGS[1][1] + SPELLINGS[2][1]):
        assert read_active_job(xml, codec(other_wsdl)) == canonical


def test_an_element_no_spelling_of_which_is_declared_is_refused_before_sending(
    other_wsdl: Path, tmp_path: Path
) -> None:
    text = other_wsdl.read_text().replace(
        '<xsd:element name="jobName" type="xsd:string"',
        '<xsd:element name="jobTitle" type="xsd:string"',
    )
    narrow = tmp_path / "IpsApi-narrow.wsdl"
    narrow.write_text(text)
    param = SubmitJobParam(company_handle="c1", job_name="x", optimize_images_job={})
    with pytest.raises(ValueError, match=r"submitJob: the WSDL in use .* does not declare"):
        codec(narrow).prepare(SUBMIT_JOB, param)
