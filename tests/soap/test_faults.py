"""IPS faults and transport failures surface as typed errors with code and reason."""

from __future__ import annotations

import pytest

from airflow_provider_ips.models import SubmitJobParam
from airflow_provider_ips.models.operations import (
    GetActiveJobsParam,
    GetPropertyParam,
    StopJobParam,
)
from airflow_provider_ips.simulator import DEFAULT_COMPANY_HANDLE, DEFAULT_USER, IpsSimulator
from airflow_provider_ips.soap import (
    ClientOptions,
    Credentials,
    IpsApiError,
    IpsAuthenticationError,
    IpsAuthorizationError,
    IpsSoapClient,
    IpsTimeoutError,
    IpsTransportError,
)

PROPERTY = GetPropertyParam(name="ServerVersion")


def test_wrong_password_is_an_authentication_error(client_options: ClientOptions) -> None:
    with (
        IpsSoapClient(client_options, Credentials(DEFAULT_USER, "wrong")) as client,
        pytest.raises(IpsAuthenticationError) as info,
    ):
        client.call("getProperty", PROPERTY)
    assert info.value.code == 10001
    assert info.value.retryable is False
    assert "wrong" not in str(info.value)


def test_unknown_user_is_an_authentication_error(client_options: ClientOptions) -> None:
    with (
        IpsSoapClient(client_options, Credentials("nobody@example.com", "x")) as client,
        pytest.raises(IpsAuthenticationError) as info,
    ):
        client.call("getProperty", PROPERTY)
    assert info.value.code == 10002


def test_basic_auth_is_accepted(client_options: ClientOptions, credentials: Credentials) -> None:
    options = ClientOptions(base_url=client_options.base_url, auth="basic")
    with IpsSoapClient(options, credentials) as client:
        assert client.call("getProperty", PROPERTY).value == "ips-simulator"


def test_basic_auth_with_wrong_password_fails(client_options: ClientOptions) -> None:
    options = ClientOptions(base_url=client_options.base_url, auth="basic")
    with (
        IpsSoapClient(options, Credentials(DEFAULT_USER, "nope")) as client,
        pytest.raises(IpsAuthenticationError),
    ):
        client.call("getProperty", PROPERTY)


def test_unknown_company_is_an_authorization_error(client: IpsSoapClient) -> None:
    with pytest.raises(IpsAuthorizationError) as info:
        client.call("getActiveJobs", GetActiveJobsParam(company_handle="c9999"))
    assert info.value.code == 20000
    assert "c9999" in info.value.reason


def test_unknown_job_is_an_api_error_with_code(client: IpsSoapClient) -> None:
    with pytest.raises(IpsApiError) as info:
        client.call("stopJob", StopJobParam(company_handle=DEFAULT_COMPANY_HANDLE, job_handle="x"))
    assert info.value.code == 30001
    assert info.value.operation == "stopJob"


def test_fault_http_status_code_is_honoured(
    client_options: ClientOptions, credentials: Credentials, simulator: IpsSimulator
) -> None:
    options = ClientOptions(base_url=client_options.base_url, fault_http_status_code=200)
    with (
        IpsSoapClient(options, Credentials(DEFAULT_USER, "wrong")) as client,
        pytest.raises(IpsAuthenticationError),
    ):
        client.call("getProperty", PROPERTY)
    # the fault came back with HTTP 200 as asked; the client still saw it as a fault
    assert simulator.calls()[-1].result == "fault:10001"


def test_http_5xx_is_a_retryable_transport_error(
    client: IpsSoapClient, simulator: IpsSimulator
) -> None:
    simulator.inject("http_error", status=503, count=1)
    with pytest.raises(IpsTransportError) as info:
        client.call("getProperty", PROPERTY)
    assert info.value.status_code == 503
    assert info.value.retryable is True
    assert client.call("getProperty", PROPERTY).value == "ips-simulator"


def test_dropped_connection_is_a_transport_error(
    client: IpsSoapClient, simulator: IpsSimulator
) -> None:
    simulator.inject("drop", operation="getProperty")
    with pytest.raises(IpsTransportError):
        client.call("getProperty", PROPERTY)
    assert [c.result for c in simulator.calls()] == ["dropped"]


def test_latency_beyond_the_timeout_is_a_timeout_error(
    simulator: IpsSimulator, credentials: Credentials
) -> None:
    simulator.inject("latency", seconds=1.0)
    options = ClientOptions(base_url=simulator.url, timeout=0.2)
    with IpsSoapClient(options, credentials) as client, pytest.raises(IpsTimeoutError):
        client.call("getProperty", PROPERTY)


def test_injected_auth_fault_fails_fast(client: IpsSoapClient, simulator: IpsSimulator) -> None:
    simulator.inject("auth_fault", code=10001, count=1)
    with pytest.raises(IpsAuthenticationError):
        client.call("getProperty", PROPERTY)


def test_fraction_of_calls_fails(client: IpsSoapClient, simulator: IpsSimulator) -> None:
    simulator.inject("http_error", status=502, fraction=0.5)
    failures = 0
    for _ in range(40):
        try:
            client.call("getProperty", PROPERTY)
        except IpsTransportError:
            failures += 1
    assert 8 <= failures <= 32


def test_unreachable_host_is_a_transport_error(credentials: Credentials) -> None:
    options = ClientOptions(base_url="http://127.0.0.1:9", timeout=2)
    with IpsSoapClient(options, credentials) as client, pytest.raises(IpsTransportError):
        client.call("getProperty", PROPERTY)


def test_invalid_submit_is_rejected_before_anything_is_sent(
    client: IpsSoapClient, simulator: IpsSimulator
) -> None:
    with pytest.raises(ValueError, match="job_name"):
        client.call(
            "submitJob",
            SubmitJobParam(
                company_handle=DEFAULT_COMPANY_HANDLE, job_name="", optimize_images_job={}
            ),
        )
    assert simulator.calls() == []
