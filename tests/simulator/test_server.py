"""The simulator as a SOAP peer: WSDL, hardened parsing, schema checks, control API, CLI."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from lxml import etree

from airflow_provider_ips.models.operations import GetJobLogsParam, GetPropertyParam
from airflow_provider_ips.simulator import DEFAULT_COMPANY_HANDLE, IpsSimulator
from airflow_provider_ips.soap import ClientOptions, Credentials, IpsSoapClient, IpsTransportError

REPO = Path(__file__).resolve().parents[2]
NS = "http://www.scene7.com/IpsApi/xsd/2014-04-03"
AUTH = "http://www.scene7.com/IpsApi/xsd"


def envelope(body: str, user: str = "demo@example.com", password: str = "demo-password") -> str:
    return (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
        f'<soapenv:Header><a:authHeader xmlns:a="{AUTH}"><a:user>{user}</a:user>'
        f"<a:password>{password}</a:password></a:authHeader></soapenv:Header>"
        f"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    )


def post(sim: IpsSimulator, xml: str, action: str = "submitJob") -> httpx.Response:
    return httpx.post(
        sim.service_url, content=xml.encode(), headers={"SOAPAction": action,
        "Content-Type": "text/xml; charset=utf-8"}, timeout=5,
    )  # fmt: skip


def fault_code(response: httpx.Response) -> int:
    match = re.search(r"<[\w:]*code>(\d+)</", response.text)
    assert match, response.text
    return int(match.group(1))


def test_wsdl_is_served_with_its_own_address(simulator: IpsSimulator) -> None:
    response = httpx.get(simulator.wsdl_url)
    assert response.status_code == 200
    assert f'location="{simulator.service_url}"' in response.text


def test_client_can_use_the_wsdl_the_server_publishes(
    simulator: IpsSimulator, credentials: Credentials
) -> None:
    options = ClientOptions(base_url=simulator.url, wsdl=simulator.wsdl_url)
    with IpsSoapClient(options, credentials) as client:
        assert client.call("getProperty", GetPropertyParam(name="ApiVersion")).value == "2014-04-03"


def test_entities_and_dtds_are_refused(simulator: IpsSimulator) -> None:
    evil = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + envelope(
        f'<getPropertyParam xmlns="{NS}"><name>&e;</name></getPropertyParam>'
    )
    response = post(simulator, evil, "getProperty")
    assert response.status_code == 500
    assert fault_code(response) == 30003
    assert "root:" not in response.text


def test_missing_required_element_is_a_missing_parameter_fault(simulator: IpsSimulator) -> None:
    company = f"<companyHandle>{DEFAULT_COMPANY_HANDLE}</companyHandle>"
    body = f'<submitJobParam xmlns="{NS}">{company}</submitJobParam>'
    response = post(simulator, envelope(body))
    assert fault_code(response) == 30002
    assert simulator.engine.get_active_jobs() == []


def test_unknown_element_is_an_invalid_parameter_fault(simulator: IpsSimulator) -> None:
    body = f'<getPropertyParam xmlns="{NS}"><name>x</name><bogus>1</bogus></getPropertyParam>'
    assert fault_code(post(simulator, envelope(body), "getProperty")) == 30001


def test_missing_credentials_is_an_authentication_fault(simulator: IpsSimulator) -> None:
    body = f'<getPropertyParam xmlns="{NS}"><name>ServerVersion</name></getPropertyParam>'
    xml = (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
        f"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    )
    response = post(simulator, xml, "getProperty")
    assert "authenticationFault" in response.text
    assert fault_code(response) == 10000


def test_control_api_steers_a_simulator_over_http(
    simulator: IpsSimulator, client: IpsSoapClient
) -> None:
    base = simulator.url
    rule = httpx.post(f"{base}/_sim/faults", json={"type": "http_error", "status": 502}).json()
    assert rule["remaining"] == 1
    httpx.post(f"{base}/_sim/outcomes", json={"job_name": "scripted", "warnings": 2, "duration": 1})
    with pytest.raises(IpsTransportError):
        client.call("getProperty", GetPropertyParam(name="ServerVersion"))
    calls = httpx.get(f"{base}/_sim/calls").json()
    assert [(c["operation"], c["result"]) for c in calls] == [("getProperty", "http:502")]
    assert httpx.delete(f"{base}/_sim/calls").json() == {"ok": True}
    assert httpx.get(f"{base}/_sim/calls").json() == []
    bad = httpx.post(f"{base}/_sim/faults", json={"type": "meteor"})
    assert bad.status_code == 400 and "meteor" in bad.text


def test_cli_prints_a_working_airflow_connection(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "airflow_provider_ips.simulator.cli", "--port", "0"],
        stdout=subprocess.PIPE, text=True, cwd=REPO, start_new_session=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        export = next(line for line in lines if line.startswith("export AIRFLOW_CONN_IPS_DEFAULT="))
        conn = json.loads(export.split("=", 1)[1].strip().strip("'"))
        assert conn["conn_type"] == "ips" and conn["host"] == "http://127.0.0.1"
        options = ClientOptions(base_url=f"{conn['host']}:{conn['port']}")
        with IpsSoapClient(options, Credentials(conn["login"], conn["password"])) as client:
            logs = client.call(
                "getJobLogs", GetJobLogsParam(company_handle=conn["extra"]["company_handle"])
            )
            assert logs.job_log_array == []
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_schema_faults_are_logged_with_operation_and_honour_fault_status(
    simulator: IpsSimulator,
) -> None:
    body = f'<getPropertyParam xmlns="{NS}"><bogus>1</bogus></getPropertyParam>'
    xml = envelope(body).replace(
        "</a:password>", "</a:password><a:faultHttpStatusCode>200</a:faultHttpStatusCode>"
    )
    response = post(simulator, xml, "getProperty")
    assert response.status_code == 200 and fault_code(response) == 30001
    [call] = simulator.calls()
    assert (call.operation, call.user, call.result) == (
        "getProperty",
        "demo@example.com",
        "fault:30001",
    )


def test_control_api_refuses_unknown_fields_and_bad_queries(simulator: IpsSimulator) -> None:
    bad = httpx.post(f"{simulator.url}/_sim/faults", json={"type": "drop", "hits": 9})
    assert bad.status_code == 400 and "hits" in bad.text
    assert httpx.get(f"{simulator.url}/_sim/calls?since=abc").status_code == 400


def test_hostile_reply_faults_over_the_control_api(simulator: IpsSimulator) -> None:
    rule = httpx.post(
        f"{simulator.url}/_sim/faults", json={"type": "truncate", "size": 40, "operation": "x"}
    ).json()
    assert (rule["type"], rule["size"]) == ("truncate", 40)
    bad = httpx.post(f"{simulator.url}/_sim/faults", json={"type": "huge", "size": -1})
    assert bad.status_code == 400 and "size" in bad.text


def get_property(sim: IpsSimulator) -> httpx.Response:
    body = f'<getPropertyParam xmlns="{NS}"><name>ServerVersion</name></getPropertyParam>'
    return post(sim, envelope(body), "getProperty")


def test_huge_is_a_well_formed_reply_of_the_given_size_sent_in_chunks(
    simulator: IpsSimulator,
) -> None:
    simulator.inject("huge", size=300_000)
    response = get_property(simulator)
    assert response.headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in response.headers
    assert len(response.content) == 300_000
    root = etree.fromstring(response.content)
    assert root.findtext(f".//{{{NS}}}value") == "ips-simulator"


def test_gzip_bomb_is_valid_gzip_of_a_reply_of_the_given_size(simulator: IpsSimulator) -> None:
    size = 5 * 1024 * 1024 + 123
    simulator.inject("gzip_bomb", size=size)
    response = get_property(simulator)  # httpx decodes it (and checks the CRC)
    assert response.headers["Content-Encoding"] == "gzip"
    assert int(response.headers["Content-Length"]) < size / 200, "highly compressible"
    assert len(response.content) == size
    assert etree.fromstring(response.content).findtext(f".//{{{NS}}}value") == "ips-simulator"
    [call] = simulator.calls()
    assert (call.result, call.fault) == ("ok", "gzip_bomb")


def test_truncate_sends_part_of_the_real_reply_and_closes(simulator: IpsSimulator) -> None:
    full = get_property(simulator).content
    simulator.inject("truncate", size=50)
    response = get_property(simulator)
    assert response.status_code == 200 and "Content-Length" not in response.headers
    assert response.content == full[:50]
    simulator.inject("truncate")
    assert get_property(simulator).content == full[: len(full) // 2]
    assert [c.result for c in simulator.calls()] == ["ok", "truncated", "truncated"]


def test_substituted_replies_are_recorded_with_their_fault(simulator: IpsSimulator) -> None:
    for fault in ("html", "empty", "wrong_shape", "dtd"):
        simulator.inject(fault)
        response = get_property(simulator)
        assert response.status_code == 200
    calls = httpx.get(f"{simulator.url}/_sim/calls").json()
    assert [(c["result"], c["fault"]) for c in calls] == [
        ("html", "html"), ("empty", "empty"), ("wrong_shape", "wrong_shape"), ("dtd", "dtd"),
    ]  # fmt: skip


def test_late_and_trickle_have_a_default_pace(simulator: IpsSimulator) -> None:
    assert simulator.inject("late").seconds == 1.0
    assert simulator.inject("trickle").seconds == 0.5
    assert simulator.inject("trickle", seconds=0.01).seconds == 0.01
    assert simulator.inject("latency").seconds == 0.0
