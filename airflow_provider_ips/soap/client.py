"""The IPS SOAP client core: zeep builds and reads envelopes, httpx carries them.

zeep owns the WSDL/XSD model (the schema is parsed once per process and shared by every
client, sync or async); httpx does the HTTP, so the sync and async clients differ only in
the one line that sends bytes, and every transport failure maps onto our own error types.
Credentials go into each call's ``authHeader`` (or HTTP Basic), never into shared state
that zeep or a log line could print.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, overload

import httpx
import zeep
import zeep.exceptions
import zeep.helpers
from lxml import etree
from zeep.wsdl.utils import etree_to_string

from airflow_provider_ips.models._base import IpsReadModel, IpsRequestModel
from airflow_provider_ips.models.operations import OPERATIONS_BY_NAME, Operation

from .errors import (
    FAULT_CLASSES,
    IpsApiError,
    IpsAuthenticationError,
    IpsError,
    IpsTimeoutError,
    IpsTransportError,
)
from .redaction import RedactingLogPlugin

log = logging.getLogger(__name__)

API_VERSION = "2014-04-03"
AUTH_NS = "http://www.scene7.com/IpsApi/xsd"
SERVICE_PATH = "/scene7/services/IpsApiService"
BUNDLED_WSDL = Path(__file__).resolve().parent.parent / "wsdl" / f"IpsApi-{API_VERSION}.wsdl"
DEFAULT_TIMEOUT = 60.0

P = TypeVar("P", bound=IpsRequestModel)
R = TypeVar("R", bound=IpsReadModel)


def _zeep_settings() -> zeep.Settings:
    # hardened parsing: no DTDs, entities or network fetches from anything we read
    return zeep.Settings(
        strict=False,
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
        xml_huge_tree=False,
    )


@functools.lru_cache(maxsize=8)
def load_schema(wsdl: str = str(BUNDLED_WSDL)) -> zeep.Client:
    """Parse a WSDL once per process. The zeep client is used only as a schema holder."""
    return zeep.Client(wsdl, settings=_zeep_settings(), plugins=[RedactingLogPlugin()])


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)

    def __post_init__(self) -> None:
        if not self.user:
            raise ValueError("user: an IPS user (email) is required")
        if not self.password:
            raise ValueError("password: an IPS password is required")


@dataclass(frozen=True)
class ClientOptions:
    """How to reach and talk to one IPS endpoint (no secrets)."""

    base_url: str
    auth: str = "header"  # "header" (authHeader SOAP header) or "basic" (HTTP Basic)
    app_name: str | None = "airflow-provider-ips"
    app_version: str | None = None
    locale: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    verify: bool = True
    wsdl: str = str(BUNDLED_WSDL)
    fault_http_status_code: int | None = None

    def __post_init__(self) -> None:
        if self.auth not in ("header", "basic"):
            raise ValueError(f"auth: must be 'header' or 'basic', got {self.auth!r}")
        if not (self.timeout > 0 and self.timeout != float("inf")):
            raise ValueError(f"timeout: must be a finite number of seconds > 0, got {self.timeout}")

    @property
    def service_url(self) -> str:
        return service_url(self.base_url)


def service_url(base_url: str) -> str:
    """``https://host[/scene7]`` or a full service URL -> the IpsApiService endpoint."""
    url = base_url.rstrip("/")
    if url.endswith(SERVICE_PATH):
        return url
    if url.endswith("/scene7"):
        url = url[: -len("/scene7")]
    return url + SERVICE_PATH


@dataclass(frozen=True)
class PreparedCall:
    operation: Operation
    url: str
    headers: dict[str, str]
    body: bytes = field(repr=False)
    auth: httpx.BasicAuth | None = field(default=None, repr=False)

    def post_kwargs(self) -> dict[str, Any]:
        """Arguments for ``httpx.Client.post`` / ``httpx.AsyncClient.post``."""
        return {
            "url": self.url,
            "content": self.body,
            "headers": self.headers,
            "auth": self.auth or httpx.USE_CLIENT_DEFAULT,
        }


class SoapCodec:
    """Turns models into envelopes and envelopes into models; does no I/O."""

    def __init__(self, options: ClientOptions, credentials: Credentials) -> None:
        self.options = options
        self._credentials = credentials
        self._schema = load_schema(options.wsdl)
        self._binding = self._schema.service._binding

    def __repr__(self) -> str:
        return f"SoapCodec(url={self.options.service_url!r}, user={self._credentials.user!r})"

    @property
    def user(self) -> str:
        return self._credentials.user

    def _auth_header(self) -> Any:
        element = self._schema.get_element(f"{{{AUTH_NS}}}authHeader")
        values: dict[str, Any] = {
            "user": self._credentials.user,
            "password": self._credentials.password,
            "locale": self.options.locale,
            "appName": self.options.app_name,
            "appVersion": self.options.app_version,
            "faultHttpStatusCode": self.options.fault_http_status_code,
        }
        known = {name for name, _ in element.type.elements}
        return element(**{k: v for k, v in values.items() if v is not None and k in known})

    def prepare(self, operation: Operation[Any, Any] | str, param: IpsRequestModel) -> PreparedCall:
        op = OPERATIONS_BY_NAME[operation] if isinstance(operation, str) else operation
        operation = op.name
        if not isinstance(param, op.param):
            raise TypeError(f"{operation} takes {op.param.__name__}, not {type(param).__name__}")
        kwargs: dict[str, Any] = param.to_ips()
        if self.options.auth == "header":
            kwargs["_soapheaders"] = [self._auth_header()]
        envelope, headers = self._binding._create(operation, (), kwargs, client=self._schema)
        headers = dict(headers)
        headers["SOAPAction"] = f'"{operation}"'
        return PreparedCall(
            op, self.options.service_url, headers, etree_to_string(envelope), self.basic_auth()
        )

    def basic_auth(self) -> httpx.BasicAuth | None:
        if self.options.auth != "basic":
            return None
        return httpx.BasicAuth(self._credentials.user, self._credentials.password)

    def read(self, call: PreparedCall, response: httpx.Response) -> Any:
        operation_obj = self._binding.get(call.operation.name)
        content_type = response.headers.get("Content-Type", "")
        if response.status_code != 200 and "xml" not in content_type:
            # an error page from a proxy or load balancer, not a SOAP answer
            raise self._status_error(call.operation.name, response.status_code)
        try:
            result = self._binding.process_reply(self._schema, operation_obj, response)
        except zeep.exceptions.Fault as fault:
            raise self._fault_error(call.operation.name, fault, response.status_code) from None
        except zeep.exceptions.TransportError:
            raise self._status_error(call.operation.name, response.status_code) from None
        except (zeep.exceptions.Error, etree.LxmlError, AttributeError) as exc:
            raise IpsTransportError(
                f"IPS answered {call.operation.name} with a response that could not be read: "
                f"{type(exc).__name__}: {exc}",
                status_code=response.status_code,
            ) from None
        return _to_model(call.operation.result, result)

    def _status_error(self, operation: str, status: int) -> IpsError:
        if status in (401, 403):
            return IpsAuthenticationError(None, f"HTTP {status} from IPS", operation)
        return IpsTransportError(
            f"IPS answered {operation} with HTTP {status} and no SOAP body", status_code=status
        )

    @staticmethod
    def _fault_error(operation: str, fault: zeep.exceptions.Fault, status: int) -> IpsError:
        detail = fault.detail
        if detail is not None:
            for child in detail.iter():
                if not isinstance(child.tag, str):
                    continue
                name = etree.QName(child).localname
                cls = FAULT_CLASSES.get(name)
                if cls is None:
                    continue
                code_text = _child_text(child, "code")
                reason = _child_text(child, "reason") or fault.message or ""
                code = int(code_text) if code_text and code_text.strip().isdigit() else None
                return cls(code, reason, operation)
        if status >= 500 and not fault.message:
            return IpsTransportError(f"IPS failed on {operation} (HTTP {status})", status)
        return IpsApiError(None, fault.message or "SOAP fault without detail", operation)


def _child_text(node: etree._Element, localname: str) -> str | None:
    for child in node:
        if isinstance(child.tag, str) and etree.QName(child).localname == localname:
            return child.text
    return None


def _to_model(result_model: type[R], result: Any) -> R:
    """zeep unwraps single-child bodies (and empty ones) per operation; undo that."""
    data = _without_raw(zeep.helpers.serialize_object(result, target_cls=dict))
    names = {result_model.ips_name(n) for n in result_model.model_fields}
    if data is None:
        data = {}
    elif not (isinstance(data, dict) and set(data) & names) and len(names) == 1:
        data = {next(iter(names)): data}
    return result_model.model_validate(data)


def _without_raw(data: Any) -> Any:
    """Drop ``_raw_elements``: where zeep keeps elements a newer server added."""
    if isinstance(data, dict):
        return {k: _without_raw(v) for k, v in data.items() if k != "_raw_elements"}
    if isinstance(data, list):
        return [_without_raw(v) for v in data]
    return data


def _http_options(options: ClientOptions) -> dict[str, Any]:
    return {"timeout": options.timeout, "verify": options.verify, "follow_redirects": False}


def _transport_error(operation: str, url: str, exc: httpx.HTTPError) -> IpsTransportError:
    if isinstance(exc, httpx.TimeoutException):
        return IpsTimeoutError(f"IPS did not answer {operation} in time ({type(exc).__name__})")
    return IpsTransportError(f"could not reach IPS at {url} for {operation}: {exc!r}")


class IpsSoapClient:
    """Blocking IPS client. One HTTP connection pool per instance; close() when done."""

    def __init__(
        self,
        options: ClientOptions,
        credentials: Credentials,
        *,
        http_client: httpx.Client | None = None,
    ) -> None:
        self.codec = SoapCodec(options, credentials)
        self._http = http_client or httpx.Client(**_http_options(options))

    def __repr__(self) -> str:
        return f"IpsSoapClient({self.codec!r})"

    @overload
    def call(self, operation: Operation[P, R], param: P) -> R: ...
    @overload
    def call(self, operation: str, param: IpsRequestModel) -> IpsReadModel: ...

    def call(self, operation: Operation[Any, Any] | str, param: IpsRequestModel) -> Any:
        """Send one operation; returns its ``<op>Return`` model or raises an IpsError."""
        prepared = self.codec.prepare(operation, param)
        try:
            response = self._http.post(**prepared.post_kwargs())
        except httpx.HTTPError as exc:
            raise _transport_error(prepared.operation.name, prepared.url, exc) from None
        return self.codec.read(prepared, response)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> IpsSoapClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncIpsSoapClient:
    """The same client for asyncio (triggers): only the send is awaited."""

    def __init__(
        self,
        options: ClientOptions,
        credentials: Credentials,
        *,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.codec = SoapCodec(options, credentials)
        self._http = http_client or httpx.AsyncClient(**_http_options(options))

    def __repr__(self) -> str:
        return f"AsyncIpsSoapClient({self.codec!r})"

    @overload
    async def call(self, operation: Operation[P, R], param: P) -> R: ...
    @overload
    async def call(self, operation: str, param: IpsRequestModel) -> IpsReadModel: ...

    async def call(self, operation: Operation[Any, Any] | str, param: IpsRequestModel) -> Any:
        prepared = self.codec.prepare(operation, param)
        try:
            response = await self._http.post(**prepared.post_kwargs())
        except httpx.HTTPError as exc:
            raise _transport_error(prepared.operation.name, prepared.url, exc) from None
        return self.codec.read(prepared, response)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncIpsSoapClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
