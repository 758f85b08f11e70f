"""The model-guided reply reader: what it reads, skips and refuses, straight from XML."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from lxml import etree
from pydantic import ValidationError

from airflow_provider_ips.models import ActiveJobState, JobType
from airflow_provider_ips.models.operations import GetActiveJobsReturn, JobLogsReturn
from airflow_provider_ips.soap.client import hardened_parser
from airflow_provider_ips.soap.reader import read_fields, read_model

NS_2014 = "http://www.scene7.com/IpsApi/xsd/2014-04-03"
NS_2012 = "http://www.scene7.com/IpsApi/xsd/2012-02-14"
XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'

JOB = (
    "<items><jobHandle>c1|j|1</jobHandle><name>j</name><type>UrlUpload</type>"
    "<state>Running</state><progress>40</progress>"
    "<startDate>2026-11-30T08:00:00Z</startDate>"
    "<uploadUrlsJob><overwrite>true</overwrite>"
    "<urlArray><items>https://a.example/1.jpg</items><items>https://a.example/2.jpg</items>"
    "</urlArray></uploadUrlsJob></items>"
)


def element(xml: str, ns: str | None = NS_2014) -> etree._Element:
    xmlns = f' xmlns="{ns}"' if ns else ""
    return etree.fromstring(
        f"<getActiveJobsReturn{xmlns} {XSI}>{xml}</getActiveJobsReturn>".encode(),
        hardened_parser(),
    )


def active(xml: str, ns: str | None = NS_2014) -> GetActiveJobsReturn:
    return read_model(GetActiveJobsReturn, element(xml, ns))


@pytest.mark.parametrize("ns", [NS_2014, NS_2012, None])
def test_a_job_reads_alike_in_every_namespace(ns: str | None) -> None:
    [job] = active(f"<jobArray>{JOB}</jobArray>", ns).job_array
    assert job.job_handle == "c1|j|1"
    assert job.type is JobType.URL_UPLOAD
    assert job.state is ActiveJobState.RUNNING
    assert job.progress == 40
    assert job.start_date == datetime(2026, 11, 30, 8, tzinfo=timezone.utc)
    assert job.upload_urls_job is not None
    assert job.upload_urls_job.overwrite is True
    assert job.upload_urls_job.url_array == ["https://a.example/1.jpg", "https://a.example/2.jpg"]


def test_order_does_not_matter_and_unknown_elements_are_skipped() -> None:
    shuffled = (
        "<items><futureField><deep>x</deep></futureField><progress>40</progress>"
        "<uploadUrlsJob><urlArray><items>https://a.example/1.jpg</items></urlArray>"
        "<newerOption>1</newerOption><overwrite>true</overwrite></uploadUrlsJob>"
        "<state>Running</state><jobHandle>c1|j|1</jobHandle></items>"
    )
    [job] = active(f"<extra/><jobArray>{shuffled}</jobArray>").job_array
    assert (job.job_handle, job.progress, job.state) == ("c1|j|1", 40, ActiveJobState.RUNNING)
    assert job.upload_urls_job is not None
    assert job.upload_urls_job.overwrite is True
    assert job.upload_urls_job.url_array == ["https://a.example/1.jpg"]


def test_documented_alternative_spellings_fill_the_same_fields() -> None:
    xml = (
        "<jobArray><item><jobHandle>h</jobHandle>"
        "<imageServingRenderJob><emailSettings>All</emailSettings></imageServingRenderJob>"
        "<taskProgressArray><item><numProcessed>3</numProcessed></item></taskProgressArray>"
        "</item></jobArray>"
    )
    [job] = active(xml).job_array
    assert job.image_rendering_publish_job is not None
    assert job.image_rendering_publish_job.email_setting == "All"
    assert job.task_progress_array[0].num_processed == 3


def test_nil_reads_as_none_and_empty_arrays_as_empty_lists() -> None:
    xml = (
        '<jobArray><items><jobHandle xsi:nil="true"/><description xsi:nil="1"/>'
        '<uploadUrlsJob xsi:nil="true"/><taskProgressArray/></items></jobArray>'
    )
    [job] = active(xml).job_array
    assert job.job_handle is None and job.description is None
    assert job.upload_urls_job is None
    assert job.task_progress_array == []
    assert active('<jobArray xsi:nil="true"/>').job_array == []
    assert active("").job_array == []


def test_a_field_under_two_spellings_keeps_the_first_value_given() -> None:
    xml = (
        "<jobArray><items><imageServingRenderJob xsi:nil='true'/>"
        "<imageRenderingPublishJob><emailSetting>Error</emailSetting></imageRenderingPublishJob>"
        "</items></jobArray>"
    )
    [job] = active(xml).job_array
    assert job.image_rendering_publish_job is not None
    assert job.image_rendering_publish_job.email_setting == "Error"


def test_a_repeated_single_value_is_refused_not_silently_chosen() -> None:
    with pytest.raises(ValidationError, match=r"job_array\.0\.progress"):
        active("<jobArray><items><progress>1</progress><progress>2</progress></items></jobArray>")


def test_a_repeated_array_element_reads_all_items() -> None:
    xml = "<jobArray><items><jobHandle>a</jobHandle></items></jobArray>"
    xml += "<jobArray><items><jobHandle>b</jobHandle></items></jobArray>"
    assert [job.job_handle for job in active(xml).job_array] == ["a", "b"]


def test_values_of_the_wrong_type_are_refused_with_their_place() -> None:
    with pytest.raises(ValidationError, match=r"job_array\.0\.start_date"):
        active("<jobArray><items><startDate>yesterday</startDate></items></jobArray>")


def test_only_fields_of_the_model_are_kept() -> None:
    fields = read_fields(
        JobLogsReturn,
        etree.fromstring(
            b"<r><jobLogArray><items><jobName>n</jobName><mystery>m</mystery></items>"
            b"</jobLogArray><other>1</other></r>"
        ),
    )
    assert fields == {"job_log_array": [{"job_name": "n"}]}


def test_comments_and_processing_instructions_are_not_fields() -> None:
    xml = "<jobArray><!-- c --><?pi x?><items><name>j<!-- inside --></name></items></jobArray>"
    [job] = active(xml).job_array
    assert job.name == "j"
