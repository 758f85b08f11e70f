"""The IPS SOAP client core: zeep builds and reads envelopes, httpx carries them.

zeep owns the WSDL/XSD model (the schema is parsed once per process and shared by every
client, sync or async); httpx does the HTTP, so the sync and async clients differ only in
how they obtain the reply's bytes, and every transport failure maps onto our own error
types. Credentials go into each call's ``authHeader`` (or HTTP Basic), never into shared
state that zeep or a log line could print.

A reply is never trusted: it is read within the call's time budget and up to
``max_reply_bytes`` (on the wire and after decompression), parsed strictly (no recovery,
no DTDs or entities), and must be the SOAP envelope the operation expects. Anything else is
an :class:`IpsProtocolError`, never a partial or invented result.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import importlib
import logging
import re
import sys
import time
import zlib
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, overload

import httpx
import zeep
import zeep.exceptions
import zeep.plugins
from lxml import etree
from pydantic import ValidationError
from zeep.wsdl.utils import etree_to_string

from airflow_provider_ips.connection import API_VERSION, DEFAULT_MAX_REPLY_BYTES, DEFAULT_TIMEOUT
from airflow_provider_ips.models._base import (
    FieldShape,
    IpsModel,
    IpsReadModel,
    IpsRequestModel,
    field_shapes,
)
from airflow_provider_ips.models.operations import OPERATIONS_BY_NAME, Operation, build_validators

from .deadline import bounded_client, call_deadline
from .errors import (
    FAULT_CLASSES,
    IpsApiError,
    IpsAuthenticationError,
    IpsError,
    IpsProtocolError,
    IpsReplyTooLargeError,
    IpsTimeoutError,
    IpsTransportError,
)
from .reader import local_name, read_model
from .redaction import RedactingLogPlugin, redact_text

log = logging.getLogger(__name__)

AUTH_NS = "http://www.scene7.com/IpsApi/xsd"
SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_PATH = "/scene7/services/IpsApiService"
BUNDLED_WSDL = Path(__file__).resolve().parent.parent / "wsdl" / f"IpsApi-{API_VERSION}.wsdl"
_INFLATE_STEP = 1024 * 1024
#: Read-only envelopes a codec keeps for reuse (see SoapCodec.prepare).
ENVELOPE_CACHE_SIZE = 32
#: We decode these ourselves (bounded), so we only ask for what we can decode.
ACCEPT_ENCODING = "gzip, deflate"

P = TypeVar("P", bound=IpsRequestModel)
R = TypeVar("R", bound=IpsReadModel)
T = TypeVar("T")


def _zeep_settings() -> zeep.Settings:
    # strict=False: schema leniency (a newer server's extra elements are skipped). zeep
    # parses only the WSDL with these settings; replies go through _REPLY_PARSER below.
    return zeep.Settings(
        strict=False,
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
        xml_huge_tree=False,
    )


def hardened_parser() -> etree.XMLParser:
    """The lxml parser for anything read off the wire (replies here, requests in the simulator).

    Strict: a cut-off or garbled document is an error, never "recovered" into a partial
    result; no DTD is loaded, no entity resolved, nothing fetched.
    """
    return etree.XMLParser(
        recover=False,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


_REPLY_PARSER = hardened_parser()


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
    """How to reach and talk to one IPS endpoint (no secrets).

    ``timeout`` is the budget of a whole call (connect, send and every read), not of one
    read; ``max_reply_bytes`` bounds a reply, both as sent and once decompressed.
    """

    base_url: str
    auth: str = "header"  # "header" (authHeader SOAP header) or "basic" (HTTP Basic)
    app_name: str | None = "airflow-provider-ips"
    app_version: str | None = None
    locale: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    verify: bool = True
    wsdl: str = str(BUNDLED_WSDL)
    fault_http_status_code: int | None = None
    max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES

    def __post_init__(self) -> None:
        if self.auth not in ("header", "basic"):
            raise ValueError(f"auth: must be 'header' or 'basic', got {self.auth!r}")
        if not (self.timeout > 0 and self.timeout != float("inf")):
            raise ValueError(f"timeout: must be a finite number of seconds > 0, got {self.timeout}")
        limit = self.max_reply_bytes
        if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
            raise ValueError(f"max_reply_bytes: must be a whole number > 0, got {limit!r}")

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

    def request_kwargs(self, timeout: float) -> dict[str, Any]:
        """Arguments for ``httpx.Client.stream`` / ``httpx.AsyncClient.stream``."""
        return {
            "method": "POST",
            "url": self.url,
            "content": self.body,
            "headers": self.headers,
            "auth": self.auth or httpx.USE_CLIENT_DEFAULT,
            "timeout": httpx.Timeout(timeout),
        }


class _Inflater:
    """gzip or deflate, decoded in bounded steps (a small bomb never expands past the limit)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
        self._zlib = zlib.decompressobj(wbits)
        # deflate as some servers send it: raw, without the zlib wrapper HTTP asks for.
        # Kept until the first output, to start over in raw mode if the wrapper is missing.
        self._head: bytes | None = b"" if encoding == "deflate" else None

    @property
    def unconsumed_tail(self) -> bytes:
        return self._zlib.unconsumed_tail

    def decompress(self, data: bytes, max_length: int) -> bytes:
        try:
            out = self._zlib.decompress(data, max_length)
        except zlib.error:
            if self._head is None:
                raise
            data, self._head = self._head + data, None
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._zlib.decompress(data, max_length)
        if self._head is not None:
            self._head = None if out or len(self._head) > 1024 else self._head + data
        return out

    def flush(self) -> bytes:
        return self._zlib.flush()

    @property
    def complete(self) -> bool:
        return self._zlib.eof


class _ReplyBody:
    """One reply's body as it arrives, bounded in size and time.

    Both clients feed it the raw chunks they read (nothing else differs between them): it
    stops a reply that outgrows ``limit`` on the wire or once decompressed, and one still
    arriving after the call's deadline.
    """

    __slots__ = (
        "_deadline", "_inflater", "_limit", "_operation", "_parts", "_size",
        "_wire", "headers", "status",
    )  # fmt: skip

    def __init__(
        self,
        operation: str,
        status: int,
        headers: httpx.Headers,
        *,
        limit: int,
        deadline: float,
    ) -> None:
        self._operation = operation
        self.status = status
        self.headers = headers
        self._limit = limit
        self._deadline = deadline
        self._wire = 0
        self._size = 0
        self._parts: list[bytes] = []
        self._inflater = self._open_encoding(headers.get("Content-Encoding"))
        length = headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            raise self._too_large()

    def _open_encoding(self, value: str | None) -> _Inflater | None:
        codings = [c.strip().lower() for c in (value or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if not codings:
            return None
        if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
            return _Inflater("deflate" if codings[0] == "deflate" else "gzip")
        raise IpsProtocolError(
            f"IPS answered {self._operation} with Content-Encoding {_short(str(value), 40)!r}, "
            f"which this client did not ask for ({ACCEPT_ENCODING})",
            self.status,
        )

    def feed(self, chunk: bytes) -> None:
        if time.monotonic() > self._deadline:
            raise IpsTimeoutError(
                f"IPS did not finish answering {self._operation} in time "
                f"({self._wire} bytes received when the call's time was up)"
            )
        self._wire += len(chunk)
        if self._wire > self._limit:
            raise self._too_large()
        if self._inflater is None:
            self._keep(chunk)
            return
        # in steps of at most _INFLATE_STEP, so memory grows with what is kept, no faster
        while chunk:
            step = min(_INFLATE_STEP, self._limit - self._size + 1)
            try:
                self._keep(self._inflater.decompress(chunk, step))
            except zlib.error as exc:
                raise self._undecodable(exc) from None
            chunk = self._inflater.unconsumed_tail

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise self._too_large()
        if data:
            self._parts.append(data)

    @property
    def size(self) -> int:
        """Bytes of the body so far, decompressed."""
        return self._size

    def content(self) -> bytes:
        if self._inflater is not None:
            try:
                self._keep(self._inflater.flush())
            except zlib.error as exc:
                raise self._undecodable(exc) from None
            if not self._inflater.complete and self._wire:
                raise self._undecodable("the compressed data ends early")
        return b"".join(self._parts)

    def _too_large(self) -> IpsReplyTooLargeError:
        return IpsReplyTooLargeError(
            f"IPS answered {self._operation} with more than {self._limit} bytes "
            f"(max_reply_bytes); refused. Raise the connection extra max_reply_bytes if "
            "such replies are expected",
            self.status,
            limit=self._limit,
        )

    def _undecodable(self, why: object) -> IpsProtocolError:
        encoding = self._inflater.encoding if self._inflater else "?"
        return IpsProtocolError(
            f"IPS answered {self._operation} with a {encoding} body that could not be "
            f"decompressed: {_short(str(why), 120)}",
            self.status,
        )


class SoapCodec:
    """Turns models into envelopes and replies into models; does no I/O."""

    def __init__(self, options: ClientOptions, credentials: Credentials) -> None:
        self.options = options
        self._credentials = credentials
        self._schema = load_schema(options.wsdl)
        self._binding = self._schema.service._binding
        # Our models and the bundled WSDL spell every element alike (a test holds them
        # together); another WSDL (a server's own) may use another documented spelling.
        self._respell = Path(options.wsdl) != BUNDLED_WSDL
        #: Envelopes of read-only calls, by operation and parameters: a poller asks the same
        #: question every interval, and zeep's building of it is most of a small call's cost.
        self._envelopes: dict[tuple[str, str], PreparedCall] = {}

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
        if not isinstance(param, op.param):
            raise TypeError(f"{op.name} takes {op.param.__name__}, not {type(param).__name__}")
        if not op.read_only:
            return self._prepare(op, param)
        key = (op.name, param.model_dump_json())
        prepared = self._envelopes.get(key)
        if prepared is None:
            if len(self._envelopes) >= ENVELOPE_CACHE_SIZE:
                self._envelopes.pop(next(iter(self._envelopes)))  # the oldest
            prepared = self._envelopes[key] = self._prepare(op, param)
        return prepared

    def _prepare(self, op: Operation[Any, Any], param: IpsRequestModel) -> PreparedCall:
        operation = op.name
        kwargs: dict[str, Any] = param.to_ips()
        if self._respell:
            kwargs = _as_declared(op.param, kwargs, self._binding.get(operation).input.body.type)
        if self.options.auth == "header":
            kwargs["_soapheaders"] = [self._auth_header()]
        try:
            envelope, headers = self._binding._create(operation, (), kwargs, client=self._schema)
        except TypeError as exc:
            if "unexpected keyword argument" not in str(exc):
                raise
            # an element the WSDL in use does not declare (under any spelling): nothing sent
            raise ValueError(
                f"{operation}: the WSDL in use ({self.options.wsdl}) does not declare an "
                f"element this request holds: {_short(str(exc), 300)}"
            ) from None
        headers = dict(headers)
        headers["SOAPAction"] = f'"{operation}"'
        headers["Accept-Encoding"] = ACCEPT_ENCODING
        return PreparedCall(
            op, self.options.service_url, headers, etree_to_string(envelope), self.basic_auth()
        )

    def basic_auth(self) -> httpx.BasicAuth | None:
        if self.options.auth != "basic":
            return None
        return httpx.BasicAuth(self._credentials.user, self._credentials.password)

    # -- time and size bounds ------------------------------------------------------------------
    def budget(self, operation: Operation[Any, Any] | str, timeout: float | None) -> float:
        """Seconds a call may take: ``options.timeout``, or less when the caller has less."""
        if timeout is None:
            return self.options.timeout
        if not timeout > 0:
            name = operation if isinstance(operation, str) else operation.name
            raise IpsTimeoutError(f"no time left to call {name} (timeout={timeout!r}); not sent")
        return min(self.options.timeout, timeout)

    def open_reply(
        self, call: PreparedCall, status: int, headers: httpx.Headers, deadline: float
    ) -> _ReplyBody:
        """Check a reply's status line and headers; the body is then fed to the result."""
        if status != 200 and "xml" not in headers.get("Content-Type", ""):
            # an error page from a proxy or load balancer, not a SOAP answer: not read
            raise self._status_error(call.operation.name, status)
        return _ReplyBody(
            call.operation.name,
            status,
            headers,
            limit=self.options.max_reply_bytes,
            deadline=deadline,
        )

    def finish(self, call: PreparedCall, reply: _ReplyBody) -> Any:
        return self.read_reply(call, reply.status, reply.headers, reply.content())

    # -- reading -------------------------------------------------------------------------------
    def read(self, call: PreparedCall, response: httpx.Response) -> Any:
        """Read a response whose body httpx has already read (and decoded)."""
        return self.read_reply(call, response.status_code, response.headers, response.content)

    def read_reply(
        self, call: PreparedCall, status: int, headers: httpx.Headers, content: bytes
    ) -> Any:
        """One reply -> the operation's ``<op>Return`` model, or the IpsError it amounts to."""
        name = call.operation.name
        content_type = headers.get("Content-Type", "")
        if status != 200 and "xml" not in content_type:
            raise self._status_error(name, status)
        if status == 200 and not content.strip():
            raise self._protocol_error(call, status, headers, content, "an empty body")
        if status == 200 and "html" in content_type.split(";")[0].lower():
            raise self._protocol_error(call, status, headers, content, "an HTML page")
        try:
            doc = etree.fromstring(content, _REPLY_PARSER)
        except etree.XMLSyntaxError as exc:
            if status != 200:
                raise self._status_error(name, status) from None
            what = f"malformed or truncated XML ({_short(str(exc), 100)})"
            raise self._protocol_error(call, status, headers, content, what) from None
        docinfo = doc.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:  # type: ignore[union-attr]
            what = "a DOCTYPE (refused: DTDs and entities are never read)"
            raise self._protocol_error(call, status, headers, content, what)
        operation_obj = self._binding.get(name)
        doc, _ = zeep.plugins.apply_ingress(self._schema, doc, headers, operation_obj)

        body = None
        if doc.tag == f"{{{SOAP_ENV_NS}}}Envelope":
            body = doc.find(f"{{{SOAP_ENV_NS}}}Body")
        if body is None:
            if status != 200:
                raise self._status_error(name, status)
            what = f"XML that is not a SOAP envelope (root <{_localname(doc)}>)"
            raise self._protocol_error(call, status, headers, content, what)
        if body.find(f"{{{SOAP_ENV_NS}}}Fault") is not None:
            try:
                self._binding.process_error(doc, operation_obj)
            except zeep.exceptions.Fault as fault:
                raise self._fault_error(name, fault, status) from None
        if status != 200:
            raise self._status_error(name, status)

        result_model = call.operation.result
        children = [child for child in body if isinstance(child.tag, str)]
        if not children and not result_model.model_fields:
            return result_model()  # nothing to say, and nothing said
        expected = operation_obj.output.body.qname
        if len(children) != 1 or children[0].tag != expected:
            found = ", ".join(f"<{_localname(c)}>" for c in children[:3]) or "nothing"
            what = f"a SOAP body holding {found} instead of <{etree.QName(expected).localname}>"
            raise self._protocol_error(call, status, headers, content, what)

        try:
            return read_model(result_model, children[0])
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or result_model.__name__
            value = first.get("input")
            if isinstance(value, str):
                what = (
                    f"a value of the wrong type at {where} ({_short(value, 40)!r}: {first['msg']})"
                )
            else:
                what = (
                    f"a reply that does not fit {result_model.__name__} ({where}: {first['msg']})"
                )
            raise self._protocol_error(call, status, headers, content, _short(what, 160)) from None

    def _protocol_error(
        self, call: PreparedCall, status: int, headers: httpx.Headers, content: bytes, what: str
    ) -> IpsProtocolError:
        content_type = _short(headers.get("Content-Type") or "no Content-Type", 40)
        message = f"IPS answered {call.operation.name} with {what} (HTTP {status}, {content_type})"
        sample = self._sample(content)
        return IpsProtocolError(f"{message}: {sample!r}" if sample else message, status)

    def _sample(self, content: bytes, length: int = 120) -> str:
        """The start of a reply for an error message: short, one line, password blanked."""
        title = re.search(rb"<title[^>]*>([^<]{1,200})</title>", content[:4096], re.IGNORECASE)
        if title:
            content = title.group(1)
        content = re.sub(rb"^\s*<\?xml[^>]{0,100}\?>", b"", content[:8192])
        # decode past the cut by the password's length, so a password is blanked whole
        window = content[: 4 * (length + len(self._credentials.password))]
        text = " ".join(window.decode("utf-8", "replace").split())
        return _short(redact_text(text, [self._credentials.password]), length)

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


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 3] + "..."


def _localname(node: etree._Element) -> str:
    return local_name(node.tag) if isinstance(node.tag, str) else "?"


def _child_text(node: etree._Element, localname: str) -> str | None:
    for child in node:
        if isinstance(child.tag, str) and etree.QName(child).localname == localname:
            return child.text
    return None


def _as_declared(model: type[IpsModel], data: dict[str, Any], xsd_type: Any) -> dict[str, Any]:
    """``to_ips()`` output with each element named as the WSDL's type declares it.

    Where our spelling of a field is not declared but another documented spelling of it is
    (``illustratorOptions`` for ``IllustratorOptions``, array items ``item`` for ``items``),
    the declared one is sent. Anything else is left for zeep to refuse.
    """
    declared = _declared_elements(xsd_type)
    if declared is None:
        return data
    shapes = field_shapes(model)
    out: dict[str, Any] = {}
    for key, value in data.items():
        shape = shapes.get(key)
        element = declared.get(key)
        if element is None and shape is not None:
            for spelling in _spellings(model, shape.name):
                if spelling in declared:
                    key, element = spelling, declared[spelling]
                    break
        if element is not None and shape is not None:
            value = _value_as_declared(shape, value, element.type)
        out[key] = value
    return out


def _value_as_declared(shape: FieldShape, value: Any, xsd_type: Any) -> Any:
    if shape.array is not None and isinstance(value, dict):
        declared = _declared_elements(xsd_type) or {}
        if len(declared) == 1 and len(value) == 1 and not set(value) & set(declared):
            [item_name] = declared  # e.g. ``item`` where we say ``items``
            [items] = value.values()
            value = {item_name: items}
        for item_name, item in declared.items():
            if shape.inner is not None and isinstance(value.get(item_name), list):
                value = {
                    **value,
                    item_name: [
                        _as_declared(shape.inner, v, item.type) if isinstance(v, dict) else v
                        for v in value[item_name]
                    ],
                }
        return value
    if shape.inner is not None and isinstance(value, dict):
        return _as_declared(shape.inner, value, xsd_type)
    return value


def _declared_elements(xsd_type: Any) -> dict[str, Any] | None:
    """A zeep complex type's child elements by name (None for a simple type)."""
    elements = getattr(xsd_type, "elements", None)
    if elements is None:
        return None
    return {name: element for name, element in elements}


@functools.cache
def _spellings(model: type[IpsModel], field_name: str) -> tuple[str, ...]:
    """The IPS names a field may have: the one we send, then the other documented ones."""
    keys = [key for key, shape in field_shapes(model).items() if shape.name == field_name]
    sent = model.ips_name(field_name)
    return tuple(dict.fromkeys([sent, *(k for k in keys if k != field_name)]))


def _http_options(options: ClientOptions) -> dict[str, Any]:
    return {"timeout": options.timeout, "verify": options.verify, "follow_redirects": False}


def _transport_error(operation: str, url: str, exc: httpx.HTTPError) -> IpsTransportError:
    error: IpsTransportError
    if isinstance(exc, httpx.TimeoutException):
        error = IpsTimeoutError(f"IPS did not answer {operation} in time ({type(exc).__name__})")
    else:
        error = IpsTransportError(f"could not reach IPS at {url} for {operation}: {exc!r}")
    # no connection, no request: safe to send again (submitJob included)
    error.request_sent = not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
    return error


def _time_left(call: PreparedCall, deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise IpsTimeoutError(f"no time left to send {call.operation.name}")
    return left


if sys.version_info >= (3, 11):

    async def _within(awaitable: Awaitable[T], seconds: float) -> T:
        async with asyncio.timeout(seconds):
            return await awaitable

else:  # pragma: no cover - Python 3.10
    _within = asyncio.wait_for


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
        self._http = http_client or bounded_client(**_http_options(options))

    def __repr__(self) -> str:
        return f"IpsSoapClient({self.codec!r})"

    @overload
    def call(self, operation: Operation[P, R], param: P, *, timeout: float | None = None) -> R: ...
    @overload
    def call(
        self, operation: str, param: IpsRequestModel, *, timeout: float | None = None
    ) -> IpsReadModel: ...

    def call(
        self,
        operation: Operation[Any, Any] | str,
        param: IpsRequestModel,
        *,
        timeout: float | None = None,
    ) -> Any:
        """Send one operation; returns its ``<op>Return`` model or raises an IpsError.

        The whole call (connect, send, every read) gets ``options.timeout`` seconds, or
        ``timeout`` if that is less (the time left until the caller's own deadline).
        """
        started = time.monotonic()
        budget = self.codec.budget(operation, timeout)
        prepared = self.codec.prepare(operation, param)
        deadline = started + budget
        try:
            with (
                call_deadline(deadline),
                self._http.stream(**prepared.request_kwargs(_time_left(prepared, deadline))) as rsp,
            ):
                reply = self.codec.open_reply(prepared, rsp.status_code, rsp.headers, deadline)
                for chunk in rsp.iter_raw():
                    reply.feed(chunk)
        except httpx.HTTPError as exc:
            raise _transport_error(prepared.operation.name, prepared.url, exc) from None
        return self.codec.finish(prepared, reply)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> IpsSoapClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncIpsSoapClient:
    """The same client for asyncio (triggers): only the reading of bytes is awaited.

    A reply larger than :attr:`off_loop_bytes` is read into models in a worker thread, so a
    large company's job list never holds the event loop (other triggers wait on it). Build
    the client off the loop too (:func:`build_async_client`): it parses the WSDL.
    """

    #: Replies above this size (decompressed) are parsed in a worker thread.
    off_loop_bytes: int = 64 * 1024

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
    async def call(
        self, operation: Operation[P, R], param: P, *, timeout: float | None = None
    ) -> R: ...
    @overload
    async def call(
        self, operation: str, param: IpsRequestModel, *, timeout: float | None = None
    ) -> IpsReadModel: ...

    async def call(
        self,
        operation: Operation[Any, Any] | str,
        param: IpsRequestModel,
        *,
        timeout: float | None = None,
    ) -> Any:
        """See :meth:`IpsSoapClient.call`; here the budget also bounds every await."""
        started = time.monotonic()
        budget = self.codec.budget(operation, timeout)
        prepared = self.codec.prepare(operation, param)
        deadline = started + budget
        left = _time_left(prepared, deadline)
        try:
            reply = await _within(self._receive(prepared, deadline, left), left)
        except asyncio.TimeoutError:
            raise IpsTimeoutError(
                f"IPS did not answer {prepared.operation.name} within {budget:g}s"
            ) from None
        if reply.size > self.off_loop_bytes:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(_parser_thread(), self.codec.finish, prepared, reply)
        return self.codec.finish(prepared, reply)

    async def _receive(self, prepared: PreparedCall, deadline: float, left: float) -> _ReplyBody:
        try:
            async with self._http.stream(**prepared.request_kwargs(left)) as rsp:
                reply = self.codec.open_reply(prepared, rsp.status_code, rsp.headers, deadline)
                async for chunk in rsp.aiter_raw():
                    reply.feed(chunk)
        except httpx.HTTPError as exc:
            raise _transport_error(prepared.operation.name, prepared.url, exc) from None
        return reply

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncIpsSoapClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


@functools.cache
def _parser_thread() -> concurrent.futures.ThreadPoolExecutor:
    """The one thread that parses large replies for every async client of the process.

    One, not the loop's default executor: each thread that allocates gets its own malloc
    arena, which keeps its high-water mark; one parsing thread keeps one.
    """
    return concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="ips-reply-parser")


def build_async_client(options: ClientOptions, credentials: Credentials) -> AsyncIpsSoapClient:
    """An :class:`AsyncIpsSoapClient` with everything its first calls need built up front.

    Blocking (WSDL parse, TLS context, the reply models' validators): meant to run in a
    worker thread, away from the event loop.
    """
    client = AsyncIpsSoapClient(options, credentials)
    build_validators()
    # httpx's async transport loads its asyncio backend (anyio) on the first request
    with contextlib.suppress(ImportError):
        importlib.import_module("anyio._backends._asyncio")
    return client
