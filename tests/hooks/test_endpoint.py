"""Connection fields -> endpoint: hosts, regions, validation messages that name the field."""

from __future__ import annotations

import http.server
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from airflow_provider_ips.simulator import IpsSimulator
from airflow_provider_ips.soap import BUNDLED_WSDL
from airflow_provider_ips.soap import endpoint as endpoint_module
from airflow_provider_ips.soap.endpoint import (
    ConnectionConfigError,
    IpsEndpoint,
    fetch_server_wsdl,
    is_loopback_host,
    resolve_wsdl,
    wsdl_cache_dir,
)


def endpoint(host: str | None = "ips.example.com", **extra: Any) -> IpsEndpoint:
    return IpsEndpoint.from_fields(
        host=host, port=extra.pop("port", None), login="u@example.com",
        password=extra.pop("password", "pw"), extra=extra,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("region", "staging", "url"),
    [
        ("north-america", False, "https://s7sps1apissl.scene7.com"),
        ("na", True, "https://s7sps1apissl-staging.scene7.com"),
        ("europe-middle-east-africa", False, "https://s7sps3apissl.scene7.com"),
        ("emea", "true", "https://s7sps3apissl-staging.scene7.com"),
        ("japan-asia-pacific", False, "https://s7sps5apissl.scene7.com"),
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
        ({"api_version": "2013-02-15", "wsdl": "bundled"}, "api_version"),
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


def test_ipv6_hosts_are_bracketed() -> None:
    assert endpoint("::1", port=8765, protocol="http").base_url == "http://[::1]:8765"
    assert endpoint("http://[::1]:8765/scene7").base_url == "http://[::1]:8765"
    with pytest.raises(ConnectionConfigError, match=r"^port"):
        endpoint("[::1]:8765", port=443)


# -- wsdl: auto ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("sim.localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("128.0.0.1", False),
        ("10.0.0.1", False),
        ("::2", False),
        ("s7sps1apissl.scene7.com", False),
        ("localhost.example.com", False),
        ("", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_auto_is_the_default_and_reads_any_api_version() -> None:
    assert endpoint().wsdl_mode == "auto"
    assert endpoint(wsdl="AUTO").wsdl_mode == "auto"
    assert endpoint(wsdl="Server").wsdl_mode == "server"
    assert endpoint(wsdl="/srv/IpsApi.wsdl").wsdl_mode == "/srv/IpsApi.wsdl"
    assert endpoint(api_version="2013-02-15").wsdl_url.endswith("/IpsApi-2013-02-15.wsdl")
    assert endpoint("127.0.0.1", port=8765).is_loopback
    assert not endpoint().is_loopback


@pytest.fixture
def fresh_wsdl_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty WSDL cache on disk and in this process."""
    monkeypatch.setenv("AIRFLOW_PROVIDER_IPS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(endpoint_module, "_fetched", {})
    monkeypatch.setattr(endpoint_module, "_auto_fallbacks", {})
    return wsdl_cache_dir()


def new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget what this process fetched (the disk cache stays)."""
    monkeypatch.setattr(endpoint_module, "_fetched", {})
    monkeypatch.setattr(endpoint_module, "_auto_fallbacks", {})


def remote(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat loopback addresses as a real IPS host somewhere else."""
    monkeypatch.setattr(endpoint_module, "is_loopback_host", lambda host: False)


def sim_endpoint(sim: IpsSimulator, **extra: Any) -> IpsEndpoint:
    conn = sim.connection()
    return IpsEndpoint.from_fields(
        host=conn["host"], port=conn["port"], login=conn["login"],
        password=conn["password"], extra={**conn["extra"], **extra},
    )  # fmt: skip


@pytest.mark.usefixtures("fresh_wsdl_cache")
def test_auto_bundles_for_the_simulator_on_loopback(simulator: IpsSimulator) -> None:
    resolved = sim_endpoint(simulator)
    assert resolved.wsdl_mode == "auto" and resolved.is_loopback
    assert resolve_wsdl(resolved) == str(BUNDLED_WSDL)
    assert simulator.calls("GET wsdl") == []


def test_auto_on_a_real_host_fetches_caches_and_reuses_the_servers_wsdl(
    fresh_wsdl_cache: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    remote(monkeypatch)
    with IpsSimulator() as sim:
        resolved = sim_endpoint(sim)
        path = resolve_wsdl(resolved)
        assert Path(path).parent == fresh_wsdl_cache and path != str(BUNDLED_WSDL)
        assert "IpsApiService" in Path(path).read_text()
        assert resolve_wsdl(sim_endpoint(sim)) == path, "once per process"
        assert len(sim.calls("GET wsdl")) == 1

    # the server is down now: a new process uses the copy fetched last time
    new_process(monkeypatch)
    with caplog.at_level(logging.WARNING, logger=endpoint_module.__name__):
        assert resolve_wsdl(resolved) == path
    assert "using the copy fetched earlier" in caplog.text


def test_auto_falls_back_to_the_bundled_wsdl_when_no_copy_exists(
    fresh_wsdl_cache: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    remote(monkeypatch)
    with IpsSimulator() as sim:
        resolved = sim_endpoint(sim, timeout=2)
    downloads: list[str] = []
    download = endpoint_module._download

    def counted(url: str, **kwargs: Any) -> bytes:
        downloads.append(url)
        return download(url, **kwargs)

    monkeypatch.setattr(endpoint_module, "_download", counted)
    with caplog.at_level(logging.WARNING, logger=endpoint_module.__name__):
        assert resolve_wsdl(resolved) == str(BUNDLED_WSDL)
    [record] = [r for r in caplog.records if r.name == endpoint_module.__name__]
    assert record.levelno == logging.WARNING
    assert resolved.wsdl_url in record.getMessage()
    assert "using the bundled 2014-04-03 WSDL" in record.getMessage()
    assert not list(fresh_wsdl_cache.glob("*.wsdl"))
    # not asked again on every new hook while it is down
    assert resolve_wsdl(resolved) == str(BUNDLED_WSDL)
    assert len(downloads) == 1
    # another API version has no bundled stand-in: the connection fails, naming the field
    with pytest.raises(ConnectionConfigError, match=r"^wsdl: could not fetch .*2013-02-15"):
        resolve_wsdl(sim_endpoint(sim, timeout=2, api_version="2013-02-15"))


def test_server_mode_still_fails_without_any_copy(
    fresh_wsdl_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with IpsSimulator() as sim:
        resolved = sim_endpoint(sim, wsdl="server", timeout=2)
    with pytest.raises(ConnectionConfigError, match=r"^wsdl: could not fetch"):
        resolve_wsdl(resolved)


class _LoginPage(http.server.BaseHTTPRequestHandler):
    """What a proxy in front of IPS might answer for the WSDL: an HTML page with 200."""

    def do_GET(self) -> None:
        body = b"<html><head><title>Sign in</title></head><body>sign in</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def login_page() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _LoginPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.usefixtures("fresh_wsdl_cache")
def test_a_page_that_is_not_a_wsdl_is_neither_cached_nor_used(
    login_page: int, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    remote(monkeypatch)
    resolved = endpoint("127.0.0.1", port=login_page, protocol="http")
    with caplog.at_level(logging.WARNING, logger=endpoint_module.__name__):
        assert resolve_wsdl(resolved) == str(BUNDLED_WSDL)
    assert "not a WSDL (root <html>)" in caplog.text
    assert not list(wsdl_cache_dir().glob("*.wsdl"))
    with pytest.raises(ConnectionConfigError, match=r"^wsdl: could not fetch .*not a WSDL"):
        resolve_wsdl(endpoint("127.0.0.1", port=login_page, protocol="http", wsdl="server"))
