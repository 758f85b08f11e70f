"""The bundled WSDL is generated from the models and matches them."""

from __future__ import annotations

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
