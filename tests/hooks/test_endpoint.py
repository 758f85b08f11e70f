"""Connection fields -> endpoint: hosts, regions, validation messages that name the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from airflow_provider_ips.simulator import IpsSimulator
from airflow_provider_ips.soap.endpoint import (
    ConnectionConfigError,
    IpsEndpoint,
    fetch_server_wsdl,
)


def endpoint(host: str | None = "ips.example.com", **extra: Any) -> IpsEndpoint:
    return IpsEndpoint.from_fields(
        host=host, port=extra.pop("port", None), login="u@example.com",
        password=extra.pop("password", "pw"), extra=extra,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("region", "staging", "url"),
    [
        ("na", False, "https://s7sps1apissl.scene7.com"),
        ("na", True, "https://s7sps1apissl-staging.scene7.com"),
        ("emea", False, "https://s7sps3apissl.scene7.com"),
        ("emea", "true", "https://s7sps3apissl-staging.scene7.com"),
        ("apac", False, "https://s7sps5apissl.scene7.com"),
        ("APAC", True, "https://s7sps5apissl-staging.scene7.com"),
    ],
)
def test_region_picks_the_regional_host(region: str, staging: Any, url: str) -> None:
    resolved = endpoint(None, region=region, staging=staging)
    assert resolved.base_url == url
    assert resolved.options.service_url == url + "/scene7/services/IpsApiService"


def test_explicit_host_port_and_protocol() -> None:
    resolved = endpoint("127.0.0.1", port=8765, protocol="http", region="na")
    assert resolved.base_url == "http://127.0.0.1:8765"
    assert endpoint("https://ips.example.com/scene7/").options.service_url == (
        "https://ips.example.com/scene7/services/IpsApiService"
    )


def test_wsdl_url_follows_the_api_version() -> None:
    resolved = endpoint(api_version="2013-02-15", wsdl="server")
    assert resolved.wsdl_url == "https://ips.example.com/scene7/webservice/IpsApi-2013-02-15.wsdl"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"host": None}, "host"),
        ({"host": None, "region": "mars"}, "region"),
        ({"protocol": "ftp"}, "protocol"),
        ({"auth": "oauth"}, "auth"),
        ({"timeout": "soon"}, "timeout"),
        ({"timeout": 0}, "timeout"),
        ({"verify": "maybe"}, "verify"),
        ({"max_reply_bytes": 0}, "max_reply_bytes"),
        ({"max_reply_bytes": -5}, "max_reply_bytes"),
        ({"max_reply_bytes": "lots"}, "max_reply_bytes"),
        ({"max_reply_bytes": 1.5}, "max_reply_bytes"),
        ({"max_reply_bytes": True}, "max_reply_bytes"),
        ({"api_version": "2013-02-15"}, "api_version"),
        ({"password": ""}, "password"),
        ({"colour": "blue"}, "extra"),
    ],
)
def test_bad_fields_are_named(kwargs: dict[str, Any], field: str) -> None:
    host = kwargs.pop("host", "ips.example.com")
    with pytest.raises(ConnectionConfigError, match=f"^{field}"):
        endpoint(host, **kwargs)


def test_secrets_stay_out_of_reprs() -> None:
    resolved = endpoint(password="s3cret-value")
    assert "s3cret-value" not in repr(resolved)


def test_host_forms_are_normalised() -> None:
    assert (
        endpoint("HTTPS://ips.example.com:8443/scene7/").base_url == "https://ips.example.com:8443"
    )
    resolved = endpoint("https://ips.example.com/scene7", wsdl="server")
    assert resolved.wsdl_url == "https://ips.example.com/scene7/webservice/IpsApi-2014-04-03.wsdl"
    with pytest.raises(ConnectionConfigError, match=r"^port"):
        endpoint("ips.example.com:8443", port=443)


def test_null_flags_take_their_defaults() -> None:
    resolved = endpoint(None, region="na", staging=None, verify=None)
    assert resolved.base_url == "https://s7sps1apissl.scene7.com"
    assert resolved.options.verify is True


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 16 * 1024 * 1024),
        ("", 16 * 1024 * 1024),
        (1024, 1024),
        ("2048", 2048),
        (4096.0, 4096),
    ],
)
def test_max_reply_bytes_reaches_the_client_options(value: Any, expected: int) -> None:
    assert endpoint(max_reply_bytes=value).options.max_reply_bytes == expected


def test_server_wsdl_download_is_bounded(simulator: IpsSimulator) -> None:
    with pytest.raises(ConnectionConfigError, match=r"^wsdl: .*max_reply_bytes"):
        fetch_server_wsdl(simulator.wsdl_url, timeout=5, max_bytes=1000)
    path = fetch_server_wsdl(simulator.wsdl_url, timeout=5)
    assert "IpsApiService" in Path(path).read_text()
