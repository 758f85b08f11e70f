"""The bundled WSDL is generated from the models and matches them."""

from __future__ import annotations

import pytest
from lxml import etree

from airflow_provider_ips.soap import BUNDLED_WSDL, load_schema
from airflow_provider_ips.wsdl.generate import build_wsdl


def test_committed_wsdl_is_up_to_date() -> None:
    assert BUNDLED_WSDL.read_bytes() == build_wsdl(), (
        "the WSDL is stale: run `make wsdl` and commit the result"
    )


def test_wsdl_declares_every_operation_with_auth_header_and_faults() -> None:
    schema = load_schema()
    binding = schema.service._binding
    names = set(binding._operations)
    assert names == {
        "submitJob", "getActiveJobs", "getScheduledJobs", "getJobLogs", "getJobLogDetails",
        "stopJob", "pauseJob", "resumeJob", "deleteJob", "executeJob", "getCompanyInfo",
        "getProperty",
    }  # fmt: skip
    submit = binding._operations["submitJob"]
    assert submit.soapaction == "submitJob"
    assert "authHeader: ns0:authHeader" in submit.input.header.signature(schema=schema.wsdl.types)
    assert set(submit.faults) == {"authenticationFault", "authorizationFault", "ipsApiFault"}
    assert schema.wsdl.types.get_element("{http://www.scene7.com/IpsApi/xsd}authHeader")


def test_unknown_elements_from_a_newer_server_are_ignored() -> None:
    import httpx

    from airflow_provider_ips.models.operations import GET_ACTIVE_JOBS, GetActiveJobsParam
    from airflow_provider_ips.soap import ClientOptions, Credentials
    from airflow_provider_ips.soap.client import SoapCodec

    codec = SoapCodec(ClientOptions(base_url="http://127.0.0.1:1"), Credentials("u", "p"))
    prepared = codec.prepare(GET_ACTIVE_JOBS, GetActiveJobsParam(company_handle="c1"))
    ns = "http://www.scene7.com/IpsApi/xsd/2014-04-03"
    body = (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
        f'<soapenv:Body><getActiveJobsReturn xmlns="{ns}"><jobArray><items>'
        "<companyHandle>c1</companyHandle><jobHandle>j1</jobHandle>"
        "<futureField>added in a later API version</futureField>"
        "<state>Running</state><progress>40</progress>"
        "</items></jobArray><anotherNewThing>1</anotherNewThing></getActiveJobsReturn>"
        "</soapenv:Body></soapenv:Envelope>"
    )
    response = httpx.Response(200, content=body.encode(), headers={"Content-Type": "text/xml"})
    [job] = codec.read(prepared, response).job_array
    assert (job.job_handle, job.state.value, job.progress) == ("j1", "Running", 40)


# --- element order and tolerance -------------------------------------------------------------

XSD = "{http://www.w3.org/2001/XMLSchema}"
TNS = "http://www.scene7.com/IpsApi/xsd/2014-04-03"


def _schema_node(name: str, kind: str = "complexType") -> etree._Element:
    root = etree.fromstring(BUNDLED_WSDL.read_bytes())
    [node] = [n for n in root.iter(f"{XSD}{kind}") if n.get("name") == name]
    return node


def test_request_bodies_are_sequences_and_types_stay_all() -> None:
    from airflow_provider_ips.models.operations import OPERATIONS

    for op in OPERATIONS:
        body = _schema_node(op.param_element, "element")
        [group] = body.find(f"{XSD}complexType")
        assert group.tag == f"{XSD}sequence", op.param_element
        names = [e.get("name") for e in group]
        assert names == [op.param.ips_name(n) for n in op.param.model_fields]
        [reply] = _schema_node(op.return_element, "element").find(f"{XSD}complexType")
        assert reply.tag == f"{XSD}all", op.return_element
    # job and option types travel in replies too (ActiveJob embeds them): xsd:all
    for type_name in ("UploadUrlsJob", "AutomatedSetGenerationJob", "PhotoshopOptions"):
        [group] = _schema_node(type_name)
        assert group.tag == f"{XSD}all"


def test_wsdl_declares_elements_in_model_order() -> None:
    from airflow_provider_ips.models import PhotoshopOptions, UploadUrlsJob

    for model in (UploadUrlsJob, PhotoshopOptions):
        [group] = _schema_node(model.xsd_name())
        assert [e.get("name") for e in group] == [model.ips_name(n) for n in model.model_fields]


def test_url_array_is_capped_at_1000() -> None:
    [seq] = _schema_node("UrlArray")
    [items] = seq
    assert (items.get("name"), items.get("maxOccurs")) == ("items", "1000")
    [seq] = _schema_node("HandleArray")
    assert seq[0].get("maxOccurs") == "unbounded"


def _body(codec_param: object, op: object) -> etree._Element:
    from airflow_provider_ips.soap import ClientOptions, Credentials
    from airflow_provider_ips.soap.client import SoapCodec

    codec = SoapCodec(ClientOptions(base_url="http://127.0.0.1:1"), Credentials("u", "p"))
    envelope = etree.fromstring(codec.prepare(op, codec_param).body)  # type: ignore[arg-type]
    [body] = envelope.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
    return body


def test_zeep_emits_xsd_all_in_declaration_order() -> None:
    from airflow_provider_ips.models import SubmitJobParam
    from airflow_provider_ips.models.operations import SUBMIT_JOB

    # fields given in reverse order still go out in model (reference) order
    param = SubmitJobParam.model_validate(
        {
            "uploadUrlsJob": {
                "xmpKeywords": "k",
                "urlArray": ["https://x.example/a.jpg"],
                "readyForPublish": True,
                "photoshopOptions": {"layerOptions": {"anchor": "Center"}, "process": "None"},
                "overwrite": True,
                "emailSetting": "All",
                "autoColorCropOptions": {"tolerance": 0.1, "corner": "UpperLeft"},
            },
            "jobName": "j",
            "companyHandle": "c|1",
        }
    )
    body = _body(param, SUBMIT_JOB)
    assert [etree.QName(e).localname for e in body] == ["companyHandle", "jobName", "uploadUrlsJob"]
    job = body[2]
    assert [etree.QName(e).localname for e in job] == [
        "autoColorCropOptions",
        "emailSetting",
        "overwrite",
        "photoshopOptions",
        "readyForPublish",
        "urlArray",
        "xmpKeywords",
    ]
    assert [etree.QName(e).localname for e in job[0]] == ["corner", "tolerance"]
    assert [etree.QName(e).localname for e in job[3]] == ["process", "layerOptions"]


def test_replies_read_in_any_order_and_without_send_only_fields() -> None:
    import httpx

    from airflow_provider_ips.models.operations import GET_SCHEDULED_JOBS, GetScheduledJobsParam
    from airflow_provider_ips.soap import ClientOptions, Credentials
    from airflow_provider_ips.soap.client import SoapCodec

    codec = SoapCodec(ClientOptions(base_url="http://127.0.0.1:1"), Credentials("u", "p"))
    prepared = codec.prepare(GET_SCHEDULED_JOBS, GetScheduledJobsParam(company_handle="0"))
    body = (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
        f'<soapenv:Body><getScheduledJobsReturn xmlns="{TNS}"><jobArray><items>'
        "<triggerState>Paused</triggerState><execSchedule>00 00 00 * * </execSchedule>"
        "<jobHandle>0|Cleanup|</jobHandle><companyHandle>0</companyHandle>"
        "<automatedSetGenerationJob><emailSetting>None</emailSetting>"
        "<assetHandleArray><items>a|1</items></assetHandleArray></automatedSetGenerationJob>"
        "<serverDirectoryPublishJob><emailSettings>Error</emailSettings>"
        "</serverDirectoryPublishJob>"
        "</items></jobArray></getScheduledJobsReturn></soapenv:Body></soapenv:Envelope>"
    )
    response = httpx.Response(200, content=body.encode(), headers={"Content-Type": "text/xml"})
    [job] = codec.read(prepared, response).job_array
    assert job.job_handle == "0|Cleanup|"
    assert job.exec_schedule_quartz == "0 0 0 * * ?"
    assert job.automated_set_generation_job is not None
    assert job.automated_set_generation_job.asset_handle_array == ["a|1"]
    assert job.automated_set_generation_job.ready_for_publish is None
    assert job.server_directory_publish_job is not None
    assert job.server_directory_publish_job.email_setting == "Error"


# --- the simulator refuses what IPS would (it validates with this WSDL and the models) -------


def _simulator_fault(body: bytes) -> tuple[int, str]:
    from airflow_provider_ips.simulator.soap import SoapFault, parse_request

    try:
        parse_request(body, "submitJob", None)
    except SoapFault as fault:
        return fault.code, fault.reason
    raise AssertionError("the simulator accepted the request")


def _unchecked_submit(job_field: str, job: object) -> bytes:
    from airflow_provider_ips.models import SubmitJobParam
    from airflow_provider_ips.models.operations import SUBMIT_JOB
    from airflow_provider_ips.soap import ClientOptions, Credentials
    from airflow_provider_ips.soap.client import SoapCodec

    param = SubmitJobParam.model_construct(company_handle="c|1", job_name="j", **{job_field: job})
    codec = SoapCodec(ClientOptions(base_url="http://127.0.0.1:1"), Credentials("u", "p"))
    return codec.prepare(SUBMIT_JOB, param).body


def test_simulator_refuses_set_generation_without_required_fields() -> None:
    from airflow_provider_ips.models import AutomatedSetGenerationJob

    job = AutomatedSetGenerationJob.model_construct(asset_handle_array=["a|1"])
    code, reason = _simulator_fault(_unchecked_submit("automated_set_generation_job", job))
    assert code == 30002  # missing parameter
    assert "readyForPublish" in reason and "emailSetting" in reason


def test_simulator_refuses_more_than_1000_urls() -> None:
    from airflow_provider_ips.models import UploadUrlsJob

    urls = [f"https://x.example/{n}.jpg" for n in range(1000)]
    envelope = etree.fromstring(
        _unchecked_submit("upload_urls_job", UploadUrlsJob.model_construct(url_array=urls))
    )
    [url_array] = envelope.iter(f"{{{TNS}}}urlArray")
    url_array.append(etree.fromstring(f'<items xmlns="{TNS}">https://x.example/x.jpg</items>'))
    code, reason = _simulator_fault(etree.tostring(envelope))
    assert code == 30001
    assert "items" in reason


def test_zeep_will_not_render_more_than_1000_urls() -> None:
    import zeep.exceptions

    from airflow_provider_ips.models import UploadUrlsJob

    urls = [f"https://x.example/{n}.jpg" for n in range(1001)]
    with pytest.raises(zeep.exceptions.ValidationError, match="maxOccurs"):
        _unchecked_submit("upload_urls_job", UploadUrlsJob.model_construct(url_array=urls))


def test_simulator_checks_the_order_of_request_bodies() -> None:
    body = (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
        f'<soapenv:Body><submitJobParam xmlns="{TNS}"><jobName>j</jobName>'
        "<companyHandle>c|1</companyHandle><optimizeImagesJob/></submitJobParam>"
        "</soapenv:Body></soapenv:Envelope>"
    )
    code, reason = _simulator_fault(body.encode())
    assert code in (30001, 30002)
    assert "jobName" in reason or "companyHandle" in reason
