"""The simulator answers what real SOAP clients send, the way IPS answers, in raw HTTP.

No zeep here: each test writes the request bytes a third-party client (or Adobe's reference
examples) would send, and reads the answer's bytes: SOAP version, namespaces, status codes,
compression and fault details.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from airflow_provider_ips.models import JOB_TYPES, SubmitJobParam
from airflow_provider_ips.simulator import (
    DEFAULT_COMPANY_HANDLE,
    IpsSimulator,
    JobOutcome,
    SimulatorConfig,
    Timing,
)
from airflow_provider_ips.simulator.soap import SUPPORTED_NAMESPACES
from tests.examples import EXAMPLE_JOBS
from tests.helpers import FakeClock

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
UNVERSIONED = "http://www.scene7.com/IpsApi/xsd"
LEGACY = "http://www.scene7.com/IpsApi"
CURRENT = f"{UNVERSIONED}/2014-04-03"
USER, PASSWORD = "demo@example.com", "demo-password"
CO = DEFAULT_COMPANY_HANDLE
REFERENCE_INDEX = Path("/work/shared/reference/ips-api-index.json")


# --- building requests -----------------------------------------------------------------------


def auth_header(
    ns: str = UNVERSIONED,
    *,
    qualified: bool = True,
    password: str = PASSWORD,
    extra: str = "",
) -> str:
    """An ``authHeader``; ``qualified``: children in its namespace (as in the reference)."""
    if qualified:
        return (
            f'<authHeader xmlns="{ns}"><user>{USER}</user><password>{password}</password>'
            f"<appName>raw-test</appName>{extra}</authHeader>"
        )
    return (
        f'<a:authHeader xmlns:a="{ns}"><user>{USER}</user><password>{password}</password>'
        f"{extra}</a:authHeader>"
    )


def envelope(body: str, header: str = "", soap: str = SOAP11) -> bytes:
    head = f"<env:Header>{header}</env:Header>" if header else ""
    return (
        f"<?xml version='1.0' encoding='UTF-8'?>"
        f'<env:Envelope xmlns:env="{soap}">{head}<env:Body>{body}</env:Body></env:Envelope>'
    ).encode()


def get_property(ns: str = CURRENT, name: str = "ServerVersion") -> str:
    return (
        f'<ns1:getPropertyParam xmlns:ns1="{ns}"><ns1:name>{name}</ns1:name></ns1:getPropertyParam>'
    )


def post(
    sim: IpsSimulator,
    body: bytes,
    *,
    action: str | None = "getProperty",
    soap12: bool = False,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    sent = {"Accept-Encoding": "identity"}
    if soap12:
        content_type = "application/soap+xml; charset=utf-8"
        sent["Content-Type"] = content_type + (f'; action="{action}"' if action else "")
    else:
        sent["Content-Type"] = "text/xml; charset=UTF-8"
        if action is not None:
            sent["SOAPAction"] = action
    sent.update(headers or {})
    return httpx.post(sim.service_url, content=body, headers=sent, timeout=5)


def root_of(response: httpx.Response) -> etree._Element:
    return etree.fromstring(response.content)


def body_child(response: httpx.Response) -> etree._Element:
    root = root_of(response)
    [body] = [c for c in root if etree.QName(c).localname == "Body"]
    return body[0]


def fault_detail(response: httpx.Response) -> etree._Element:
    """The fault element inside the detail (SOAP 1.1 ``detail`` or SOAP 1.2 ``Detail``)."""
    fault = body_child(response)
    assert etree.QName(fault).localname == "Fault", response.text
    [detail] = [c for c in fault if etree.QName(c).localname in ("detail", "Detail")]
    return detail[0]


def fault_code(response: httpx.Response) -> int:
    detail = fault_detail(response)
    return int(detail.findtext(f"{{{etree.QName(detail).namespace}}}code") or 0)


@pytest.fixture
def raw_sim(clock: FakeClock) -> Iterator[IpsSimulator]:
    config = SimulatorConfig(
        timing=Timing(new_seconds=0.5, waiting_seconds=0.5),
        default_outcome=JobOutcome(duration=2.0),
    )
    with IpsSimulator(config=config, clock=clock) as sim:
        yield sim


# --- credentials -----------------------------------------------------------------------------


@pytest.mark.parametrize("header_ns", [UNVERSIONED, CURRENT, f"{UNVERSIONED}/2008-01-15"])
@pytest.mark.parametrize("qualified", [True, False], ids=["qualified", "unqualified"])
def test_auth_header_in_any_supported_namespace(
    raw_sim: IpsSimulator, header_ns: str, qualified: bool
) -> None:
    response = post(raw_sim, envelope(get_property(), auth_header(header_ns, qualified=qualified)))
    assert response.status_code == 200, response.text
    reply = body_child(response)
    assert reply.tag == f"{{{CURRENT}}}getPropertyReturn"
    assert reply.findtext(f"{{{CURRENT}}}value") == "ips-simulator"


def test_auth_header_in_an_unknown_namespace_is_no_credentials(raw_sim: IpsSimulator) -> None:
    response = post(raw_sim, envelope(get_property(), auth_header("urn:not-ips")))
    assert response.status_code == 500
    assert etree.QName(fault_detail(response)).localname == "authenticationFault"
    assert fault_code(response) == 10000


def test_legacy_auth_user_and_password_header(raw_sim: IpsSimulator) -> None:
    def legacy(password: str) -> str:
        return (
            f'<AuthUser xmlns="{LEGACY}">{USER}</AuthUser>'
            f'<AuthPassword xmlns="{LEGACY}">{password}</AuthPassword>'
        )

    assert post(raw_sim, envelope(get_property(), legacy(PASSWORD))).status_code == 200
    refused = post(raw_sim, envelope(get_property(), legacy("wrong")))
    assert refused.status_code == 500 and fault_code(refused) == 10001


def test_http_basic_authentication(raw_sim: IpsSimulator) -> None:
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    response = post(raw_sim, envelope(get_property()), headers={"Authorization": f"Basic {token}"})
    assert response.status_code == 200
    assert raw_sim.calls()[-1].user == USER


# --- SOAP 1.2 --------------------------------------------------------------------------------


def test_soap12_request_is_answered_in_soap12(raw_sim: IpsSimulator) -> None:
    response = post(raw_sim, envelope(get_property(), auth_header(), SOAP12), soap12=True)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/soap+xml")
    assert root_of(response).tag == f"{{{SOAP12}}}Envelope"
    assert body_child(response).tag == f"{{{CURRENT}}}getPropertyReturn"


def test_soap12_fault_structure(raw_sim: IpsSimulator) -> None:
    body = envelope(get_property(), auth_header(password="wrong"), SOAP12)
    response = post(raw_sim, body, soap12=True)
    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("application/soap+xml")
    fault = body_child(response)
    assert fault.tag == f"{{{SOAP12}}}Fault"
    assert fault.findtext(f"{{{SOAP12}}}Code/{{{SOAP12}}}Value").endswith(":Sender")  # type: ignore[union-attr]
    reason = fault.find(f"{{{SOAP12}}}Reason/{{{SOAP12}}}Text")
    assert reason is not None and reason.text
    assert reason.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    detail = fault.find(f"{{{SOAP12}}}Detail")
    assert detail is not None and detail[0].tag == f"{{{UNVERSIONED}}}authenticationFault"
    assert fault_code(response) == 10001


def test_soap12_action_parameter_must_match_the_body(raw_sim: IpsSimulator) -> None:
    body = envelope(get_property(), auth_header(), SOAP12)
    response = post(raw_sim, body, soap12=True, action="submitJob")
    assert response.status_code == 500 and fault_code(response) == 30003
    assert root_of(response).tag == f"{{{SOAP12}}}Envelope"


def test_unparsable_soap12_request_gets_a_soap12_fault(raw_sim: IpsSimulator) -> None:
    response = post(raw_sim, b"<not-xml", soap12=True)
    assert response.status_code == 500 and fault_code(response) == 30003
    assert root_of(response).tag == f"{{{SOAP12}}}Envelope"


# --- API versions ----------------------------------------------------------------------------


@pytest.mark.parametrize("ns", SUPPORTED_NAMESPACES)
def test_body_in_every_supported_namespace_is_answered_in_it(
    raw_sim: IpsSimulator, ns: str
) -> None:
    response = post(raw_sim, envelope(get_property(ns), auth_header()))
    assert response.status_code == 200, response.text
    reply = body_child(response)
    assert reply.tag == f"{{{ns}}}getPropertyReturn"
    assert [etree.QName(c).namespace for c in reply] == [ns]


def test_job_operations_in_an_old_namespace(raw_sim: IpsSimulator, clock: FakeClock) -> None:
    ns = f"{UNVERSIONED}/2008-01-15"
    submit = (
        f'<submitJobParam xmlns="{ns}"><companyHandle>{CO}</companyHandle>'
        "<jobName>old-client</jobName><imageServingPublishJob><publishType>Full</publishType>"
        "</imageServingPublishJob></submitJobParam>"
    )
    response = post(raw_sim, envelope(submit, auth_header()), action="submitJob")
    assert response.status_code == 200, response.text
    reply = body_child(response)
    assert reply.tag == f"{{{ns}}}submitJobReturn"
    handle = reply.findtext(f"{{{ns}}}jobHandle")
    assert handle
    clock.advance(60)
    details = (
        f'<getJobLogDetailsParam xmlns="{ns}"><companyHandle>{CO}</companyHandle>'
        f"<jobHandle>{handle}</jobHandle></getJobLogDetailsParam>"
    )
    response = post(raw_sim, envelope(details, auth_header()), action="getJobLogDetails")
    assert response.status_code == 200, response.text
    log = body_child(response).find(f"{{{ns}}}jobLogArray/{{{ns}}}items")
    assert log is not None and log.findtext(f"{{{ns}}}logType") == "EndImageServingPublish"
    assert {etree.QName(n).namespace for n in log.iter() if isinstance(n.tag, str)} == {ns}


def test_unsupported_namespace_is_refused(raw_sim: IpsSimulator) -> None:
    response = post(raw_sim, envelope(get_property(f"{UNVERSIONED}/2020-01-01"), auth_header()))
    assert response.status_code == 500 and fault_code(response) == 30003


@pytest.mark.parametrize("version", ["2010-01-31", "2014-04-03"])
def test_fault_detail_is_in_the_unversioned_namespace_as_in_the_reference(
    raw_sim: IpsSimulator, version: str
) -> None:
    response = post(
        raw_sim, envelope(get_property(f"{UNVERSIONED}/{version}", "Nope"), auth_header())
    )
    detail = fault_detail(response)
    assert detail.tag == f"{{{UNVERSIONED}}}ipsApiFault"
    assert detail.findtext(f"{{{UNVERSIONED}}}code") == "30001"
    assert detail.findtext(f"{{{UNVERSIONED}}}reason")
    fault = body_child(response)
    assert fault.findtext("faultcode") == "soapenv:Client" and fault.findtext("faultstring")


def test_fault_detail_can_follow_the_request_namespace(clock: FakeClock) -> None:
    ns = f"{UNVERSIONED}/2010-01-31"
    with IpsSimulator(config=SimulatorConfig(fault_namespace="request"), clock=clock) as sim:
        response = post(sim, envelope(get_property(ns, "Nope"), auth_header()))
        assert fault_detail(response).tag == f"{{{ns}}}ipsApiFault"
    with pytest.raises(ValueError, match="fault_namespace"):
        SimulatorConfig(fault_namespace="elsewhere")


# --- faultHttpStatusCode ---------------------------------------------------------------------

STATUS_200 = "<faultHttpStatusCode>200</faultHttpStatusCode>"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("", 30003),  # an empty SOAP body: a malformed envelope
        (f'<ns1:fooParam xmlns:ns1="{CURRENT}"/>', 30003),  # no such operation
        (get_property(name="Nope"), 30001),  # an operation's own fault
    ],
    ids=["malformed-envelope", "unknown-operation", "operation-fault"],
)
@pytest.mark.parametrize("soap", [SOAP11, SOAP12], ids=["soap11", "soap12"])
def test_fault_http_status_code_is_honoured_for_every_fault(
    raw_sim: IpsSimulator, body: str, code: int, soap: str
) -> None:
    request = envelope(body, auth_header(extra=STATUS_200), soap)
    response = post(raw_sim, request, action=None, soap12=soap == SOAP12)
    assert response.status_code == 200
    assert root_of(response).tag == f"{{{soap}}}Envelope"
    assert fault_code(response) == code


def test_fault_http_status_code_for_an_authentication_fault(raw_sim: IpsSimulator) -> None:
    header = auth_header(password="wrong", extra=STATUS_200)
    response = post(raw_sim, envelope(get_property(), header))
    assert response.status_code == 200 and fault_code(response) == 10001
    # without it: 500, as documented
    assert post(raw_sim, envelope(get_property(), auth_header(password="x"))).status_code == 500


# --- gzip ------------------------------------------------------------------------------------


def raw_answer(sim: IpsSimulator, body: bytes, accept: str) -> tuple[httpx.Headers, bytes]:
    headers = {"Content-Type": "text/xml", "SOAPAction": "getProperty", "Accept-Encoding": accept}
    with httpx.stream("POST", sim.service_url, content=body, headers=headers) as response:
        return response.headers, b"".join(response.iter_raw())


def test_gzip_when_the_client_accepts_it(raw_sim: IpsSimulator) -> None:
    headers, raw = raw_answer(raw_sim, envelope(get_property(), auth_header()), "gzip, deflate")
    assert headers["Content-Encoding"] == "gzip" and int(headers["Content-Length"]) == len(raw)
    assert b"getPropertyReturn" in gzip.decompress(raw)

    headers, raw = raw_answer(raw_sim, envelope(get_property(), auth_header()), "identity")
    assert "Content-Encoding" not in headers and b"getPropertyReturn" in raw
    headers, raw = raw_answer(raw_sim, envelope(get_property(), auth_header()), "gzip;q=0")
    assert "Content-Encoding" not in headers


def test_faults_are_gzipped_too_and_gzip_response_false_turns_it_off(
    raw_sim: IpsSimulator,
) -> None:
    headers, raw = raw_answer(raw_sim, envelope(get_property(), auth_header(password="x")), "gzip")
    assert headers["Content-Encoding"] == "gzip" and b"authenticationFault" in gzip.decompress(raw)
    off = auth_header(extra="<gzipResponse>false</gzipResponse>")
    headers, raw = raw_answer(raw_sim, envelope(get_property(), off), "gzip")
    assert "Content-Encoding" not in headers and b"getPropertyReturn" in raw


# --- string constants, order of checks -------------------------------------------------------


def submit_publish(publish_type: str, email: str = "All") -> str:
    return (
        f'<submitJobParam xmlns="{CURRENT}"><companyHandle>{CO}</companyHandle>'
        f"<jobName>constants</jobName><imageServingPublishJob><publishType>{publish_type}"
        f"</publishType><emailSetting>{email}</emailSetting></imageServingPublishJob>"
        "</submitJobParam>"
    )


@pytest.mark.parametrize(
    ("publish_type", "email", "field", "hint"),
    [
        ("full", "All", "publishType", "Full"),
        ("Full", "all", "emailSetting", "All"),
        ("FULL ", "All", "publishType", "Full"),
        ("Complete", "All", "publishType", None),
    ],
)
def test_string_constants_are_case_sensitive(
    raw_sim: IpsSimulator, publish_type: str, email: str, field: str, hint: str | None
) -> None:
    response = post(
        raw_sim, envelope(submit_publish(publish_type, email), auth_header()), action="submitJob"
    )
    assert response.status_code == 500
    assert etree.QName(fault_detail(response)).localname == "ipsApiFault"
    assert fault_code(response) == 30001
    reason = fault_detail(response).findtext(f"{{{UNVERSIONED}}}reason") or ""
    assert f"imageServingPublishJob.{field}" in reason
    assert (f"write {hint!r}" in reason) if hint else "case-sensitive" not in reason
    assert raw_sim.engine.get_active_jobs() == []


def test_nested_and_exact_constants(raw_sim: IpsSimulator) -> None:
    ok = post(raw_sim, envelope(submit_publish("Full"), auth_header()), action="submitJob")
    assert ok.status_code == 200, ok.text
    nested = (
        f'<submitJobParam xmlns="{CURRENT}"><companyHandle>{CO}</companyHandle>'
        "<jobName>nested</jobName><uploadUrlsJob><urlArray><items>https://x.example/a.jpg"
        "</items></urlArray><knockoutBackground><corner>upperRight</corner>"
        "<fillMethod>FloodFill</fillMethod></knockoutBackground></uploadUrlsJob></submitJobParam>"
    )
    response = post(raw_sim, envelope(nested, auth_header()), action="submitJob")
    assert fault_code(response) == 30001
    reason = fault_detail(response).findtext(f"{{{UNVERSIONED}}}reason") or ""
    assert "knockoutBackground.corner" in reason and "'UpperRight'" in reason


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (auth_header(password="wrong"), 10001),
        ("", 10000),
        (auth_header(), 30002),
    ],
    ids=["bad-password", "no-credentials", "good-credentials"],
)
def test_authentication_is_checked_before_the_schema(
    raw_sim: IpsSimulator, header: str, code: int
) -> None:
    malformed = (
        f'<submitJobParam xmlns="{CURRENT}"><companyHandle>{CO}</companyHandle></submitJobParam>'
    )
    response = post(raw_sim, envelope(malformed, header), action="submitJob")
    assert response.status_code == 500 and fault_code(response) == code
    expected = "ipsApiFault" if code == 30002 else "authenticationFault"
    assert etree.QName(fault_detail(response)).localname == expected
    [call] = raw_sim.calls()
    assert (call.operation, call.result) == ("submitJob", f"fault:{code}")


# --- only documented values ------------------------------------------------------------------


def texts(response: httpx.Response, localname: str) -> set[str]:
    return {
        node.text or ""
        for node in root_of(response).iter()
        if isinstance(node.tag, str) and etree.QName(node).localname == localname
    }


@pytest.mark.skipif(not REFERENCE_INDEX.exists(), reason="the IPS reference is not on this machine")
def test_only_documented_constants_are_reported(raw_sim: IpsSimulator, clock: FakeClock) -> None:
    constants = json.loads(REFERENCE_INDEX.read_text())["constants"]
    documented = {name: set(entry["values"]) for name, entry in constants.items()}
    # "BeginVideoPubl]ish" is markup damage in the page (the reference's README lists it):
    # the only constant here that is not sent exactly as printed
    documented["Job Log Types"].add("BeginVideoPublish")

    def submit(job_field: str, **fields: object) -> None:  # how it arrives is tested above
        job = {job_field: EXAMPLE_JOBS[job_field]}
        raw_sim.engine.submit(
            CO, SubmitJobParam(company_handle=CO, job_name="doc", **job, **fields), USER
        )

    # every job type with every kind of file row, then one fatal run (scripts go in order)
    raw_sim.script_outcome(files=1, warnings=1, errors=1, duplicates=1, updates=1, count=11)
    raw_sim.script_outcome(fatal=True)
    for spec in JOB_TYPES:
        submit(spec.param_field)
    submit("upload_urls_job")
    submit("optimize_images_job", exec_schedule="0 0 2 * * ?")

    def ask(operation: str, selector: str = "") -> httpx.Response:
        body = (
            f'<{operation}Param xmlns="{CURRENT}"><companyHandle>{CO}</companyHandle>'
            f"{selector}</{operation}Param>"
        )
        response = post(raw_sim, envelope(body, auth_header()), action=operation)
        assert response.status_code == 200, response.text
        return response

    scheduled = ask("getScheduledJobs")
    assert texts(scheduled, "type") <= documented["Job Types"], texts(scheduled, "type")
    assert texts(scheduled, "triggerState") <= documented["Job Trigger States"]
    clock.advance(1.5)  # all running
    active = ask("getActiveJobs")
    assert len(texts(active, "jobHandle")) == len(JOB_TYPES) + 1
    assert texts(active, "type") <= documented["Job Types"], texts(active, "type")
    assert texts(active, "state") <= documented["Active Job States"]
    seen: dict[str, set[str]] = {"logType": set(), "assetType": set()}
    for moment in (0.5, 60):  # running, then finished
        clock.advance(moment)
        logs = ask("getJobLogDetails", "<originalName>doc</originalName>")
        for key in seen:
            seen[key] |= texts(logs, key)
    assert seen["logType"] <= documented["Job Log Types"], (
        seen["logType"] - documented["Job Log Types"]
    )
    assert seen["assetType"] <= documented["Job Log File Types"], seen["assetType"]
    assert {"FatalError", "BeginUpload", "EndUploadUrls", "endReoptimize"} <= seen["logType"]
