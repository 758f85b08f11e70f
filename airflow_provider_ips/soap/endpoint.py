"""Where IPS is and how to talk to it, from plain connection fields (no Airflow types).

The hook hands over an Airflow connection's host, port, login, password and extras; this
module validates them (naming the field that is wrong; the extras through
:class:`~airflow_provider_ips.connection.IpsConnectionExtras`) and resolves the regional
host, the WSDL to use and the client options.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from lxml import etree

from airflow_provider_ips.connection import ConnectionConfigError, IpsConnectionExtras

from .client import (
    ACCEPT_ENCODING,
    API_VERSION,
    BUNDLED_WSDL,
    DEFAULT_MAX_REPLY_BYTES,
    ClientOptions,
    Credentials,
    _ReplyBody,
    load_schema,
)
from .errors import IpsProtocolError, IpsTransportError

log = logging.getLogger(__name__)

#: Regional IPS API hosts: region -> (production, staging).
REGION_HOSTS: dict[str, tuple[str, str]] = {
    "north-america": ("s7sps1apissl.scene7.com", "s7sps1apissl-staging.scene7.com"),
    "europe-middle-east-africa": ("s7sps3apissl.scene7.com", "s7sps3apissl-staging.scene7.com"),
    "japan-asia-pacific": ("s7sps5apissl.scene7.com", "s7sps5apissl-staging.scene7.com"),
}


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` names this machine: ``localhost``, 127.0.0.0/8 or ``::1``."""
    host = host.strip().strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


@dataclass(frozen=True)
class IpsEndpoint:
    """A resolved IPS connection: the client options, credentials and company selection."""

    options: ClientOptions
    credentials: Credentials
    company_handle: str | None
    company_name: str | None
    api_version: str
    wsdl_mode: str  # auto | bundled | server | <path or URL>

    @property
    def base_url(self) -> str:
        return self.options.base_url

    @property
    def is_loopback(self) -> bool:
        """Whether IPS is on this machine (the simulator, usually): ``auto`` then bundles."""
        return is_loopback_host(urlsplit(self.base_url).hostname or "")

    @property
    def wsdl_url(self) -> str:
        return f"{self.base_url}/scene7/webservice/IpsApi-{self.api_version}.wsdl"

    @classmethod
    def from_fields(
        cls,
        *,
        host: str | None,
        port: int | None,
        login: str | None,
        password: str | None,
        extra: dict[str, Any] | str | None,
    ) -> IpsEndpoint:
        """``extra``: the extras as a mapping or as the connection's *Extra* JSON text."""
        extras = IpsConnectionExtras.from_extra(extra)
        protocol: str = extras.protocol
        host = (host or "").strip()
        if "://" in host:
            scheme, host = host.split("://", 1)
            protocol = scheme.lower()
            if protocol not in ("http", "https"):
                raise ConnectionConfigError(f"host: scheme must be http or https, got {scheme!r}")
        host = host.rstrip("/")
        path = ""
        if "/" in host:
            host, path = host.split("/", 1)
            path = "/" + path.rstrip("/")
        if path in ("/scene7", "/scene7/services/IpsApiService"):
            path = ""  # the web app path is added per URL (service, WSDL)
        if host.startswith("[") and "]" in host:  # an IPv6 address, with a port or not
            address, _, after = host[1:].partition("]")
            if after.startswith(":") and after[1:].isdigit():
                if port and int(port) != int(after[1:]):
                    raise ConnectionConfigError(
                        f"port: {port} differs from the host's port {after[1:]}"
                    )
                port = int(after[1:])
            host = f"[{address}]"
        elif host.count(":") > 1:  # a bare IPv6 address
            host = f"[{host}]"
        elif host.count(":") == 1:
            host, _, host_port = host.partition(":")
            if port and int(port) != int(host_port):
                raise ConnectionConfigError(
                    f"port: {port} differs from the host's port {host_port}"
                )
            port = int(host_port)
        if not host:
            if extras.region is None:
                raise ConnectionConfigError(
                    "host: set the IPS host, or leave it empty and set region "
                    f"({', '.join(REGION_HOSTS)})"
                )
            host = REGION_HOSTS[extras.region][1 if extras.staging else 0]
        netloc = f"{host}:{int(port)}" if port else host
        base_url = f"{protocol}://{netloc}{path}"

        if not login:
            raise ConnectionConfigError("login: the IPS user (email) is required")
        if not password:
            raise ConnectionConfigError("password: the IPS password is required")

        options = ClientOptions(
            base_url=base_url,
            auth=extras.auth,
            app_name=extras.app_name,
            app_version=extras.app_version,
            locale=extras.locale,
            timeout=extras.timeout,
            verify=extras.verify,
            wsdl=str(BUNDLED_WSDL),
            max_reply_bytes=extras.max_reply_bytes,
        )
        return cls(
            options=options,
            credentials=Credentials(login, password),
            company_handle=extras.company_handle,
            company_name=extras.company,
            api_version=extras.api_version,
            wsdl_mode=extras.wsdl_mode,
        )


# -- the WSDL a server publishes -----------------------------------------------------------

_fetched: dict[str, str] = {}
_fetch_lock = threading.Lock()


def wsdl_cache_dir() -> Path:
    root = os.environ.get("AIRFLOW_PROVIDER_IPS_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "airflow-provider-ips"
    )
    return Path(root) / "wsdl"


def fetch_server_wsdl(
    url: str, *, timeout: float, verify: bool = True, max_bytes: int = DEFAULT_MAX_REPLY_BYTES
) -> str:
    """Download a server's WSDL once per process; store it on disk named by its content.

    Returns the local path zeep should parse. If the server cannot be reached, or answers
    with something that is not a WSDL, the copy fetched last time from the same URL is used
    (with a warning). Without one, :class:`ConnectionConfigError`. A WSDL larger than
    ``max_bytes`` is refused; the download takes ``timeout`` seconds at most.
    """
    with _fetch_lock:
        if url in _fetched:
            return _fetched[url]
        cache = wsdl_cache_dir()
        index_path = cache / "index.json"
        try:
            content = _download(url, timeout=timeout, verify=verify, max_bytes=max_bytes)
            _check_wsdl_document(content)
        except (httpx.HTTPError, IpsTransportError) as exc:
            index = _read_index(index_path)
            if url in index and (cache / index[url]).exists():
                path = str(cache / index[url])
                log.warning(
                    "wsdl: could not fetch %s (%s); using the copy fetched earlier, %s",
                    url, exc, path,
                )  # fmt: skip
                _fetched[url] = path
                return path
            raise ConnectionConfigError(f"wsdl: could not fetch {url}: {exc}") from None
        name = hashlib.sha256(content).hexdigest()[:32] + ".wsdl"
        cache.mkdir(parents=True, exist_ok=True)
        target = cache / name
        if not target.exists():
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(content)
            tmp.replace(target)
        index = _read_index(index_path)
        index[url] = name
        tmp_index = index_path.with_suffix(f".{os.getpid()}.tmp")
        tmp_index.write_text(json.dumps(index, indent=1))
        tmp_index.replace(index_path)
        _fetched[url] = str(target)
        return str(target)


def _download(url: str, *, timeout: float, verify: bool, max_bytes: int) -> bytes:
    """The WSDL, read like a SOAP reply: within ``timeout`` in all, up to ``max_bytes``."""
    deadline = time.monotonic() + timeout
    headers = {"Accept-Encoding": ACCEPT_ENCODING}
    with httpx.stream(
        "GET", url, headers=headers, timeout=timeout, verify=verify, follow_redirects=True
    ) as response:
        response.raise_for_status()
        body = _ReplyBody(
            "the WSDL download", response.status_code, response.headers,
            limit=max_bytes, deadline=deadline,
        )  # fmt: skip
        for chunk in response.iter_raw():
            body.feed(chunk)
    return body.content()


_WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
_WSDL_PARSER = etree.XMLParser(
    recover=False, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


def _check_wsdl_document(content: bytes) -> None:
    """Refuse what is not a WSDL (a login page, a proxy's error) before it is cached."""
    try:
        root = etree.fromstring(content, _WSDL_PARSER)
    except etree.XMLSyntaxError as exc:
        raise IpsProtocolError(f"the answer is not XML ({exc})") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # type: ignore[union-attr]
        raise IpsProtocolError("the answer has a DOCTYPE (refused)")
    if root.tag != f"{{{_WSDL_NS}}}definitions":
        raise IpsProtocolError(f"the answer is not a WSDL (root <{etree.QName(root).localname}>)")


def _read_index(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


#: ``auto`` without any server copy falls back to the bundled WSDL; the server is asked
#: again after this many seconds (not on every new hook while it is down).
AUTO_RETRY_SECONDS = 300.0
_auto_fallbacks: dict[str, float] = {}


def resolve_wsdl(endpoint: IpsEndpoint) -> str:
    """The WSDL location the client parses for this endpoint, parsed once already.

    Blocking (a download, a parse): the async hook calls it in a worker thread.

    * ``bundled``: the WSDL shipped in the package.
    * ``server``: the server's own (:func:`fetch_server_wsdl`).
    * ``auto``: the bundled WSDL for a host on this machine (the simulator); for any other
      host the server's own, falling back to the bundled one (with a warning) when the
      server has never been reached and its API version is the bundled one.
    * anything else: that path or URL.
    """
    mode = endpoint.wsdl_mode
    if mode == "bundled":
        location = str(BUNDLED_WSDL)
    elif mode == "server":
        location = _server_wsdl(endpoint)
    elif mode == "auto":
        return _auto_wsdl(endpoint)
    else:
        location = mode
    _parse(location)
    return location


def _server_wsdl(endpoint: IpsEndpoint) -> str:
    return fetch_server_wsdl(
        endpoint.wsdl_url,
        timeout=endpoint.options.timeout,
        verify=endpoint.options.verify,
        max_bytes=endpoint.options.max_reply_bytes,
    )


def _auto_wsdl(endpoint: IpsEndpoint) -> str:
    bundled = str(BUNDLED_WSDL)
    if endpoint.api_version == API_VERSION and endpoint.is_loopback:
        _parse(bundled)
        return bundled
    url = endpoint.wsdl_url
    can_fall_back = endpoint.api_version == API_VERSION
    with _fetch_lock:
        retry_at = _auto_fallbacks.get(url)
    if can_fall_back and retry_at is not None and time.monotonic() < retry_at:
        _parse(bundled)
        return bundled
    try:
        location = _server_wsdl(endpoint)
        _parse(location)
    except ConnectionConfigError as exc:
        if not can_fall_back:
            raise
        log.warning(
            "%s; using the bundled %s WSDL instead (asking the server again in %gs)",
            exc, API_VERSION, AUTO_RETRY_SECONDS,
        )  # fmt: skip
        with _fetch_lock:
            _auto_fallbacks[url] = time.monotonic() + AUTO_RETRY_SECONDS
        _parse(bundled)
        return bundled
    with _fetch_lock:
        _auto_fallbacks.pop(url, None)
    return location


def _parse(location: str) -> None:
    """Parse the WSDL now (cached per process), so a client is built without blocking."""
    try:
        load_schema(location)
    except Exception as exc:  # zeep, lxml, file or network errors alike
        raise ConnectionConfigError(
            f"wsdl: could not read {location}: {type(exc).__name__}: {exc}"
        ) from None
