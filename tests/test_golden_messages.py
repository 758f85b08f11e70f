"""Adobe's example messages as golden data for the envelopes our client builds.

Each fixture below is our own minimal reconstruction of an example request from the IPS
reference (the operation pages' examples, the XSD snippets on the type pages, the HTTP POST
upload example): the same elements, in the same order, with the same values. The test reads
the fixture's fields, builds our envelope for the same values with the real client codec
(no network) and compares the SOAP body element by element, order included.

Deliberate differences, checked here too: the examples use the unversioned namespace
``http://www.scene7.com/IpsApi/xsd`` (some with an ``ns1`` prefix); our client speaks the
2014-04-03 API, so every body element is in that version's namespace (a server answers in
the namespace of the WSDL version the client used). The ``authHeader`` SOAP header stays in
the unversioned namespace, as the reference says it always is. Prefixes and whitespace do
not matter.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from lxml import etree

from airflow_provider_ips.models import UploadPostJob
from airflow_provider_ips.models.operations import OPERATIONS_BY_NAME
from airflow_provider_ips.soap import ClientOptions, Credentials
from airflow_provider_ips.soap.client import SoapCodec

EXAMPLE_NS = "http://www.scene7.com/IpsApi/xsd"
OUR_NS = "http://www.scene7.com/IpsApi/xsd/2014-04-03"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"

# --- the operations' example requests ---------------------------------------------------------

OPERATION_EXAMPLES: dict[str, str] = {
    "submitJob": f"""
        <submitJobParam xmlns="{EXAMPLE_NS}">
          <companyHandle>47</companyHandle>
          <jobName>My Test Job</jobName>
          <imageServingPublishJob>
            <publishType>Full</publishType>
            <emailSetting>Error</emailSetting>
          </imageServingPublishJob>
        </submitJobParam>""",
    "getActiveJobs": f"""
        <ns1:getActiveJobsParam xmlns:ns1="{EXAMPLE_NS}">
          <ns1:companyHandle>47</ns1:companyHandle>
        </ns1:getActiveJobsParam>""",
    "getScheduledJobs": f"""
        <getScheduledJobsParam xmlns="{EXAMPLE_NS}">
          <companyHandle>0</companyHandle>
        </getScheduledJobsParam>""",
    "getJobLogs": f"""
        <ns1:getJobLogsParam xmlns:ns1="{EXAMPLE_NS}">
          <ns1:companyHandle>47</ns1:companyHandle>
        </ns1:getJobLogsParam>""",
    "getJobLogDetails": f"""
        <ns1:getJobLogDetailsParam xmlns:ns1="{EXAMPLE_NS}">
          <ns1:companyHandle>47</ns1:companyHandle>
          <ns1:jobHandle>47||Add_2007-09-14-15:04:34</ns1:jobHandle>
        </ns1:getJobLogDetailsParam>""",
    **{
        op: f"""
        <{op}Param xmlns="{EXAMPLE_NS}">
          <companyHandle>47</companyHandle>
          <jobHandle>47|My Test Job|</jobHandle>
        </{op}Param>"""
        for op in ("stopJob", "pauseJob", "resumeJob", "deleteJob", "executeJob")
    },
    "getCompanyInfo": f"""
        <ns1:getCompanyInfoParam xmlns:ns1="{EXAMPLE_NS}">
          <ns1:companyName>Planetary</ns1:companyName>
        </ns1:getCompanyInfoParam>""",
    "getProperty": f"""
        <ns1:getPropertyParam xmlns:ns1="{EXAMPLE_NS}">
          <ns1:name>IpsVersion</ns1:name>
        </ns1:getPropertyParam>""",
}

# --- submitJob bodies built from the XSD snippets and other examples on the type pages ------
# (the XSD snippets give element order only; the values are ours)

TYPE_EXAMPLES: dict[str, str] = {
    # AutomatedSetGenerationJob's XSD (a sequence)
    "automatedSetGenerationJob": f"""
        <submitJobParam xmlns="{EXAMPLE_NS}">
          <companyHandle>c|101</companyHandle>
          <jobName>sets</jobName>
          <automatedSetGenerationJob>
            <assetHandleArray><items>a|101|1</items><items>a|101|2</items></assetHandleArray>
            <destFolder>Acme/sets/</destFolder>
            <readyForPublish>false</readyForPublish>
            <autoSetCreationOptions>
              <autoSetsArray><items>ps|101|44</items></autoSetsArray>
            </autoSetCreationOptions>
            <emailSetting>None</emailSetting>
          </automatedSetGenerationJob>
        </submitJobParam>""",
    # the option types' XSD snippets (KnockoutBackgroundOptions, MediaOptions with
    # ThumbnailOptions, UnsharpMaskOptions, UnCompressOptions), the getAutoCropRect example's
    # autoColorCropOptions and the HTTP POST example's manualCropOptions / photoshopOptions,
    # nested in an upload job in its table order
    "uploadUrlsJob": f"""
        <submitJobParam xmlns="{EXAMPLE_NS}">
          <companyHandle>c|101</companyHandle>
          <jobName>shoes</jobName>
          <uploadUrlsJob>
            <autoColorCropOptions>
              <corner>UpperLeft</corner>
              <tolerance>0.5</tolerance>
            </autoColorCropOptions>
            <emailSetting>None</emailSetting>
            <knockoutBackground>
              <corner>UpperRight</corner>
              <tolerance>0.2</tolerance>
              <fillMethod>FloodFill</fillMethod>
            </knockoutBackground>
            <mediaOptions>
              <videoEncodingPresetsArray><items>vp|1</items></videoEncodingPresetsArray>
              <generateThumbnail>false</generateThumbnail>
              <thumbnailOptions><thumbnailTime>1500</thumbnailTime></thumbnailOptions>
            </mediaOptions>
            <overwrite>true</overwrite>
            <photoshopOptions>
              <process>MaintainLayers</process>
              <layerOptions>
                <layerNaming>AppendNumber</layerNaming>
                <anchor>Northwest</anchor>
                <createTemplate>true</createTemplate>
                <extractText>true</extractText>
                <extendLayers>false</extendLayers>
              </layerOptions>
            </photoshopOptions>
            <readyForPublish>true</readyForPublish>
            <unCompressOptions><process>UnCompress</process></unCompressOptions>
            <unsharpMaskOptions>
              <amount>1.5</amount>
              <radius>2.0</radius>
              <threshold>3</threshold>
              <monochrome>0</monochrome>
            </unsharpMaskOptions>
            <urlArray><items>https://assets.example.com/shoe-1.jpg</items></urlArray>
          </uploadUrlsJob>
        </submitJobParam>""",
    # a reprocess job with the HTTP POST example's manualCropOptions
    "reprocessAssetsJob": f"""
        <submitJobParam xmlns="{EXAMPLE_NS}">
          <companyHandle>c|101</companyHandle>
          <jobName>again</jobName>
          <reprocessAssetsJob>
            <assetHandleArray><items>a|101|1</items></assetHandleArray>
            <readyForPublish>true</readyForPublish>
            <preservePublishState>true</preservePublishState>
            <createMask>true</createMask>
            <preserveCrop>true</preserveCrop>
            <manualCropOptions>
              <left>500</left>
              <right>500</right>
              <top>500</top>
              <bottom>500</bottom>
            </manualCropOptions>
            <emailSetting>None</emailSetting>
          </reprocessAssetsJob>
        </submitJobParam>""",
}

# The HTTP POST upload example's uploadParams (an UploadPostJob; sent to the UploadFile
# servlet, not through SOAP, so only the model's element order is compared).
UPLOAD_POST_EXAMPLE = f"""
    <uploadParams xmlns="{OUR_NS}">
      <overwrite>true</overwrite>
      <readyForPublish>true</readyForPublish>
      <preservePublishState>true</preservePublishState>
      <createMask>true</createMask>
      <preserveCrop>true</preserveCrop>
      <manualCropOptions>
        <left>500</left>
        <right>500</right>
        <top>500</top>
        <bottom>500</bottom>
      </manualCropOptions>
      <photoshopOptions>
        <process>MaintainLayers</process>
        <layerOptions>
          <layerNaming>AppendNumber</layerNaming>
          <anchor>Northwest</anchor>
          <createTemplate>true</createTemplate>
          <extractText>true</extractText>
          <extendLayers>false</extendLayers>
        </layerOptions>
      </photoshopOptions>
      <emailSetting>None</emailSetting>
    </uploadParams>"""

# getScheduledJobs' example reply: the 5-field execSchedule, a zone abbreviation
SCHEDULED_JOBS_REPLY = f"""
    <getScheduledJobsReturn xmlns="{EXAMPLE_NS}">
      <jobArray>
        <items>
          <companyHandle>0</companyHandle>
          <jobHandle>0|Cleanup|</jobHandle>
          <name>Cleanup</name>
          <originalName></originalName>
          <type>Cleanup</type>
          <submitUserEmail>default@example.com</submitUserEmail>
          <execSchedule>00 00 00 * * </execSchedule>
          <nextFireTime>2007-10-13T00:00:00.000-07:00</nextFireTime>
          <timeZone>PST</timeZone>
          <triggerState>Paused</triggerState>
        </items>
      </jobArray>
    </getScheduledJobsReturn>"""


# The SOAP header example (the connection page): always the unversioned namespace.
AUTH_HEADER_EXAMPLE = f"""
    <authHeader xmlns="{EXAMPLE_NS}">
      <user>user@example.com</user>
      <password>mypassword</password>
      <appName>MyApp</appName>
      <appVersion>1.0</appVersion>
    </authHeader>"""


# --- helpers ----------------------------------------------------------------------------------

Shape = list[tuple[str, Any]]


def _parse(xml: str) -> etree._Element:
    return etree.fromstring(xml.strip().encode(), etree.XMLParser(remove_blank_text=True))


def shape(element: etree._Element) -> Shape:
    """Children as ``[(localname, text or nested shape), ...]``, in document order."""
    out: Shape = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        out.append((name, shape(child) if len(child) else (child.text or "").strip()))
    return out


def values(element: etree._Element) -> dict[str, Any]:
    """An example element as model input keyed by IPS names (arrays as ``items`` lists)."""
    out: dict[str, Any] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        kids = [c for c in child if isinstance(c.tag, str)]
        if kids and all(etree.QName(c).localname == "items" for c in kids):
            out[name] = {"items": [(c.text or "").strip() for c in kids]}
        elif kids:
            out[name] = values(child)
        else:
            out[name] = (child.text or "").strip()
    return out


def dict_shape(data: dict[str, Any]) -> Shape:
    """The shape of a ``to_ips()`` dict, as our SOAP layer lays it out."""
    out: Shape = []
    for name, value in data.items():
        if isinstance(value, dict) and set(value) == {"items"}:
            out.append((name, [("items", str(v)) for v in value["items"]]))
        elif isinstance(value, dict):
            out.append((name, dict_shape(value)))
        elif isinstance(value, bool):
            out.append((name, "true" if value else "false"))
        else:
            out.append((name, str(value)))
    return out


def namespaces(element: etree._Element) -> set[str | None]:
    return {etree.QName(e).namespace for e in element.iter() if isinstance(e.tag, str)}


@pytest.fixture(scope="module")
def codec() -> SoapCodec:
    return SoapCodec(ClientOptions(base_url="http://127.0.0.1:1"), Credentials("u", "p"))


def our_body(codec: SoapCodec, operation: str, example: etree._Element) -> etree._Element:
    op = OPERATIONS_BY_NAME[operation]
    param = op.param.model_validate(values(example))
    envelope = etree.fromstring(codec.prepare(op, param).body)
    body = envelope.find(f"{{{SOAP_ENV}}}Body")
    assert body is not None
    [element] = body
    return element


# --- tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", sorted(OPERATION_EXAMPLES))
def test_operation_examples(codec: SoapCodec, operation: str) -> None:
    example = _parse(OPERATION_EXAMPLES[operation])
    ours = our_body(codec, operation, example)
    assert etree.QName(ours).localname == etree.QName(example).localname
    assert shape(ours) == shape(example)
    assert namespaces(ours) == {OUR_NS}
    assert namespaces(example) == {EXAMPLE_NS}


@pytest.mark.parametrize("job", sorted(TYPE_EXAMPLES))
def test_type_examples_in_a_submit_job(codec: SoapCodec, job: str) -> None:
    example = _parse(TYPE_EXAMPLES[job])
    ours = our_body(codec, "submitJob", example)
    assert shape(ours) == shape(example)
    assert namespaces(ours) == {OUR_NS}


def test_auth_header_example() -> None:
    example = _parse(AUTH_HEADER_EXAMPLE)
    codec = SoapCodec(
        ClientOptions(base_url="http://127.0.0.1:1", app_name="MyApp", app_version="1.0"),
        Credentials("user@example.com", "mypassword"),
    )
    op = OPERATIONS_BY_NAME["getProperty"]
    envelope = etree.fromstring(codec.prepare(op, op.param(name="IpsVersion")).body)
    [header] = envelope.find(f"{{{SOAP_ENV}}}Header")
    assert shape(header) == shape(example)
    assert namespaces(header) == namespaces(example) == {EXAMPLE_NS}


def test_upload_post_example_order() -> None:
    example = _parse(UPLOAD_POST_EXAMPLE)
    job = UploadPostJob.model_validate(values(example))
    assert dict_shape(job.to_ips()) == shape(example)


def test_examples_read_in_any_order_give_the_same_envelope(codec: SoapCodec) -> None:
    example = _parse(TYPE_EXAMPLES["uploadUrlsJob"])
    job = example[2]
    job[:] = list(reversed(job))  # a DAG author may write the fields in any order
    ours = our_body(codec, "submitJob", example)
    assert shape(ours) == shape(_parse(TYPE_EXAMPLES["uploadUrlsJob"]))


def test_scheduled_jobs_example_reply_reads(codec: SoapCodec) -> None:
    op = OPERATIONS_BY_NAME["getScheduledJobs"]
    prepared = codec.prepare(op, op.param.model_validate({"companyHandle": "0"}))
    reply = _parse(SCHEDULED_JOBS_REPLY.replace(f'"{EXAMPLE_NS}"', f'"{OUR_NS}"'))
    envelope = (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}"><soapenv:Body>'
        f"{etree.tostring(reply).decode()}</soapenv:Body></soapenv:Envelope>"
    )
    response = httpx.Response(200, content=envelope.encode(), headers={"Content-Type": "text/xml"})
    [job] = codec.read(prepared, response).job_array
    assert (job.job_handle, job.name, job.time_zone) == ("0|Cleanup|", "Cleanup", "PST")
    assert job.exec_schedule_quartz == "0 0 0 * * ?"  # daily at midnight, as the example says
    schedule = job.schedule("America/Los_Angeles")  # PST is no IANA zone name
    assert schedule is not None and job.next_fire_time is not None
    assert schedule.next_after(job.next_fire_time) == job.next_fire_time.replace(day=14)


# --- the simulator answers the examples -------------------------------------------------------


def _post_example(sim: Any, operation: str, body: str) -> etree._Element:
    from airflow_provider_ips.simulator import DEFAULT_PASSWORD, DEFAULT_USER

    header = AUTH_HEADER_EXAMPLE.replace("user@example.com", DEFAULT_USER).replace(
        "mypassword", DEFAULT_PASSWORD
    )
    envelope = (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}"><soapenv:Header>{header}'
        f"</soapenv:Header><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    )
    response = httpx.post(
        sim.service_url,
        content=envelope.encode(),
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": operation},
        timeout=10,
    )
    reply = etree.fromstring(response.content)
    found = reply.find(f"{{{SOAP_ENV}}}Body")
    assert found is not None
    [answer] = found
    return answer


def test_the_simulator_answers_the_examples_in_their_namespace() -> None:
    """Each example request, as Adobe wrote it (company and job handles made the
    simulator's), is answered in the example's namespace, never refused for its shape."""
    from airflow_provider_ips.simulator import DEFAULT_COMPANY_HANDLE, IpsSimulator

    def own(xml: str) -> str:
        for company in (">47<", ">0<"):
            xml = xml.replace(company, f">{DEFAULT_COMPANY_HANDLE}<")
        return xml.replace(">Planetary<", ">Demo Company<")

    with IpsSimulator() as sim:
        submitted = _post_example(sim, "submitJob", own(OPERATION_EXAMPLES["submitJob"]))
        assert etree.QName(submitted) == etree.QName(EXAMPLE_NS, "submitJobReturn")
        handle = submitted.findtext(f"{{{EXAMPLE_NS}}}jobHandle")
        assert handle
        # reads first, then the controls in an order a job can go through
        order = ["getActiveJobs", "getJobLogDetails", "getJobLogs", "getScheduledJobs",
                 "getCompanyInfo", "getProperty", "pauseJob", "resumeJob", "stopJob",
                 "executeJob", "deleteJob"]  # fmt: skip
        assert sorted(order) == sorted(set(OPERATION_EXAMPLES) - {"submitJob"})
        answered = []
        for operation in order:
            body = own(OPERATION_EXAMPLES[operation])
            for sample_handle in ("47||Add_2007-09-14-15:04:34", "47|My Test Job|"):
                body = body.replace(sample_handle, handle)
            answer = _post_example(sim, operation, body)
            if etree.QName(answer).localname == "Fault":
                codes = [c.text for c in answer.iter() if etree.QName(c).localname == "code"]
                assert codes and "30002" not in codes and "30003" not in codes, (operation, codes)
                detail_ns = {etree.QName(c).namespace for c in answer.iter("{*}code")}
                assert detail_ns == {EXAMPLE_NS}, operation
            else:
                assert etree.QName(answer) == etree.QName(EXAMPLE_NS, f"{operation}Return")
                answered.append(operation)
        # executeJob takes a scheduled job, deleteJob an unfinished one: IPS faults in kind
        assert set(order) - set(answered) <= {"executeJob", "deleteJob"}, answered
