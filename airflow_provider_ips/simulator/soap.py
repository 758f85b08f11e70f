"""The simulator's side of the wire: hardened parsing, schema validation, models <-> XML.

This is deliberately not zeep: the client speaks through zeep, the simulator through this
independent codec, so a test that passes proves both agree with the WSDL, not with each
other's quirks.

What it accepts (see docs/simulator.md, "The SOAP endpoint"): SOAP 1.1 and SOAP 1.2
envelopes; request bodies in the namespace of any API version IPS supports (validated
against the bundled 2014-04-03 schema, answered in the request's namespace); credentials in
an ``authHeader`` (unversioned or versioned namespace, children qualified or not), in the
legacy ``AuthUser`` / ``AuthPassword`` header elements, or by HTTP Basic.
"""

from __future__ import annotations

import base64
import copy
import functools
import typing
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from lxml import etree
from pydantic import ValidationError

from airflow_provider_ips.models._base import IpsModel, field_array, nested_model, unwrap_optional
from airflow_provider_ips.models.enums import IpsEnum
from airflow_provider_ips.models.operations import OPERATIONS_BY_NAME, Operation
from airflow_provider_ips.soap.client import AUTH_NS, BUNDLED_WSDL, hardened_parser

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
XML_NS = "http://www.w3.org/XML/1998/namespace"

#: The unversioned IPS namespace: ``authHeader`` always, pre-4.0 bodies, fault details.
UNVERSIONED_NS = AUTH_NS
#: Namespace of the pre-3.8 ``AuthUser`` / ``AuthPassword`` header elements.
LEGACY_AUTH_NS = "http://www.scene7.com/IpsApi"
#: The API versions IPS still accepts, newest first (WSDL versions page of the reference).
API_VERSIONS = (
    "2014-04-03", "2013-02-15", "2012-02-14", "2010-01-31", "2009-07-31", "2008-09-10",
    "2008-01-15",
)  # fmt: skip
#: Every namespace a request body (or an ``authHeader``) may use.
SUPPORTED_NAMESPACES = (*(f"{UNVERSIONED_NS}/{v}" for v in API_VERSIONS), UNVERSIONED_NS)
#: Where fault details go by default: the reference's only fault example puts the fault
#: element (and its ``code`` / ``reason``) in the unversioned namespace, whatever the
#: request's version.
FAULT_NS = UNVERSIONED_NS

# IPS fault codes (see docs/simulator.md)
NO_CREDENTIALS = 10000
INVALID_CREDENTIALS = 10001
INVALID_USER = 10002
INVALID_COMPANY = 20000
ILLEGAL_COMPANY = 20006
API_EXCEPTION = 30000
INVALID_PARAMETER = 30001
MISSING_PARAMETER = 30002
INVALID_REQUEST_XML = 30003


@dataclass(frozen=True)
class SoapVersion:
    """What differs between SOAP 1.1 and 1.2 in a request and its answer."""

    name: str
    envelope_ns: str
    content_type: str
    client_code: str  # fault code of a caller's mistake
    server_code: str  # fault code of a server failure


SOAP11 = SoapVersion("1.1", SOAP_ENV, "text/xml; charset=utf-8", "Client", "Server")
SOAP12 = SoapVersion("1.2", SOAP12_ENV, "application/soap+xml; charset=utf-8", "Sender", "Receiver")
_BY_ENVELOPE = {SOAP_ENV: SOAP11, SOAP12_ENV: SOAP12}


class SoapFault(Exception):
    """A fault the simulator answers with; ``element`` is the WSDL fault element name."""

    def __init__(self, element: str, code: int, reason: str) -> None:
        self.element = element
        self.code = code
        self.reason = reason
        # known once the envelope was read: who asked what, and how faults should be sent
        self.operation: str | None = None
        self.user: str | None = None
        self.fault_http_status: int | None = None
        self.soap: SoapVersion | None = None
        self.namespace: str | None = None
        self.gzip_response: bool | None = None
        super().__init__(f"{element} {code}: {reason}")

    def about(self, request: Envelope | ParsedRequest) -> SoapFault:
        """Attach what is known of the request (how to answer it, and for the call record)."""
        self.operation = request.operation.name
        self.user = request.user
        self.fault_http_status = request.fault_http_status
        self.soap = request.soap
        self.namespace = request.namespace
        self.gzip_response = request.gzip_response
        return self


def api_fault(code: int, reason: str) -> SoapFault:
    return SoapFault("ipsApiFault", code, reason)


_PARSER = hardened_parser()


@functools.lru_cache(maxsize=1)
def _schema() -> tuple[str, etree.XMLSchema]:
    """The versioned schema embedded in the bundled WSDL, compiled once."""
    wsdl = etree.parse(str(BUNDLED_WSDL), _PARSER).getroot()
    tns = str(wsdl.get("targetNamespace"))
    for node in wsdl.iter(f"{{{XSD_NS}}}schema"):
        if node.get("targetNamespace") == tns:
            return tns, etree.XMLSchema(etree.fromstring(etree.tostring(node)))
    raise RuntimeError("bundled WSDL has no schema for its target namespace")


def namespace() -> str:
    return _schema()[0]


@dataclass
class Envelope:
    """A request read up to its body element: everything but the body's validation."""

    soap: SoapVersion
    operation: Operation
    element: etree._Element
    namespace: str  # the body's namespace, which the answer uses
    user: str | None
    password: str | None
    fault_http_status: int | None
    gzip_response: bool | None  # the authHeader's gzipResponse, if sent


@dataclass
class ParsedRequest:
    operation: Operation
    param: Any  # an instance of operation.param
    user: str | None
    password: str | None
    fault_http_status: int | None
    namespace: str
    soap: SoapVersion = SOAP11
    gzip_response: bool | None = None


def content_type_params(content_type: str | None) -> tuple[str, dict[str, str]]:
    """``("application/soap+xml", {"charset": "utf-8", "action": "submitJob"})``."""
    media, *params = (content_type or "").split(";")
    out: dict[str, str] = {}
    for param in params:
        key, sep, value = param.partition("=")
        if sep:
            out[key.strip().lower()] = value.strip().strip('"')
    return media.strip().lower(), out


def soap_version_of(content_type: str | None) -> SoapVersion:
    """The SOAP version a request's Content-Type announces (for answers before parsing)."""
    media, _ = content_type_params(content_type)
    return SOAP12 if media == "application/soap+xml" else SOAP11


def read_envelope(
    body: bytes,
    soap_action: str | None,
    authorization: str | None,
    content_type: str | None = None,
) -> Envelope:
    """Read a request's envelope, header and body element; raises SoapFault as IPS would.

    The body element is not validated yet (:func:`validate`): credentials are checked in
    between, so a request with bad credentials is an authentication fault whatever its body.
    """
    guessed = soap_version_of(content_type)
    try:
        return _read_envelope(body, soap_action, authorization, content_type)
    except SoapFault as fault:
        if fault.soap is None:
            fault.soap = guessed
        raise


def _read_envelope(
    body: bytes, soap_action: str | None, authorization: str | None, content_type: str | None
) -> Envelope:
    if b"<!DOCTYPE" in body[:4096] or b"<!ENTITY" in body:
        raise api_fault(INVALID_REQUEST_XML, "DTDs and entities are not accepted")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise api_fault(INVALID_REQUEST_XML, f"request is not well-formed XML: {exc}") from None
    root_ns = etree.QName(root).namespace
    soap = _BY_ENVELOPE.get(root_ns or "")
    if soap is None or etree.QName(root).localname != "Envelope":
        raise api_fault(INVALID_REQUEST_XML, "request is not a SOAP 1.1 or SOAP 1.2 envelope")
    user, password, fault_status, gzip_response = _credentials(root, soap, authorization)

    def fault(code: int, reason: str) -> SoapFault:
        error = api_fault(code, reason)
        error.user, error.fault_http_status, error.soap = user, fault_status, soap
        error.gzip_response = gzip_response
        return error

    body_node = root.find(f"{{{soap.envelope_ns}}}Body")
    elements = [] if body_node is None else [c for c in body_node if isinstance(c.tag, str)]
    if not elements:
        raise fault(INVALID_REQUEST_XML, "SOAP body is empty")
    element = elements[0]
    qname = etree.QName(element)
    if qname.namespace not in SUPPORTED_NAMESPACES:
        raise fault(
            INVALID_REQUEST_XML,
            f"unsupported namespace {qname.namespace!r}; this server speaks "
            f"{UNVERSIONED_NS}/<version> for the versions {', '.join(API_VERSIONS)}, "
            f"and {UNVERSIONED_NS}",
        )
    op_name = qname.localname.removesuffix("Param")
    operation = OPERATIONS_BY_NAME.get(op_name)
    if operation is None or qname.localname != operation.param_element:
        raise fault(INVALID_REQUEST_XML, f"unknown operation element {qname.localname!r}")
    _, params = content_type_params(content_type)
    for action in ((soap_action or "").strip().strip('"'), params.get("action", "")):
        if action and action != op_name:
            raise fault(INVALID_REQUEST_XML, f"SOAP action {action!r} does not match {op_name}")
    return Envelope(
        soap=soap,
        operation=operation,
        element=element,
        namespace=str(qname.namespace),
        user=user,
        password=password,
        fault_http_status=fault_status,
        gzip_response=gzip_response,
    )


def validate(envelope: Envelope) -> ParsedRequest:
    """Check the body element against the schema and the models; raises SoapFault."""
    try:
        param = _validated_param(envelope.operation, envelope.element, envelope.namespace)
    except SoapFault as fault:
        raise fault.about(envelope) from None
    return ParsedRequest(
        operation=envelope.operation,
        param=param,
        user=envelope.user,
        password=envelope.password,
        fault_http_status=envelope.fault_http_status,
        namespace=envelope.namespace,
        soap=envelope.soap,
        gzip_response=envelope.gzip_response,
    )


def parse_request(
    body: bytes,
    soap_action: str | None,
    authorization: str | None,
    content_type: str | None = None,
) -> ParsedRequest:
    """Read and validate one request (no authentication); raises SoapFault."""
    return validate(read_envelope(body, soap_action, authorization, content_type))


def _in_namespace(element: etree._Element, source: str, target: str) -> etree._Element:
    """A copy of ``element`` with the elements of namespace ``source`` moved to ``target``."""
    if source == target:
        return element
    moved = copy.deepcopy(element)
    for node in moved.iter():
        if isinstance(node.tag, str) and etree.QName(node).namespace == source:
            node.tag = f"{{{target}}}{etree.QName(node).localname}"
    etree.cleanup_namespaces(moved)
    return moved


def _validated_param(operation: Operation, element: etree._Element, ns: str) -> Any:
    op_name = operation.name
    tns, schema = _schema()
    element = _in_namespace(element, ns, tns)
    if not schema.validate(etree.ElementTree(element)):
        last = schema.error_log.last_error  # type: ignore[attr-defined]
        message = str(last.message) if last is not None else "does not match the schema"
        message = message.replace(f"{{{tns}}}", "")
        code = MISSING_PARAMETER if "Missing child element" in message else INVALID_PARAMETER
        raise api_fault(code, f"{op_name}: {message}")
    check_constants(element, operation.param, operation.param_element)
    try:
        param = operation.param.model_validate(element_to_dict(element, operation.param))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or op_name
        code = MISSING_PARAMETER if first["type"] == "missing" else INVALID_PARAMETER
        raise api_fault(code, f"{where}: {first['msg']}") from None
    return param


# --- string constants: exact, as IPS reads them ----------------------------------------------


def _constant_type(annotation: Any) -> type[IpsEnum] | None:
    """The constant set a field holds (directly, optionally or as list items), if any."""
    annotation = unwrap_optional(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    annotation = unwrap_optional(annotation)
    if typing.get_origin(annotation) is list:
        annotation = typing.get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, IpsEnum):
        return annotation
    return None


def check_constants(element: etree._Element, model: type[IpsModel], path: str) -> None:
    """Refuse a string constant that is not spelled exactly as documented.

    The models read constants case-insensitively (what a server sends must not fail on
    capitalisation), but IPS compares them exactly: ``full`` is not ``Full``. Raises an
    ``ipsApiFault`` 30001 naming the field.
    """
    by_ips = {model.ips_name(name): name for name in model.model_fields}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        key = etree.QName(child).localname
        field_name = by_ips.get(key)
        if field_name is None:
            continue
        annotation = model.model_fields[field_name].annotation
        where = f"{path}.{key}"
        inner = nested_model(annotation)
        array = field_array(model, field_name)
        items = [c for c in child if isinstance(c.tag, str)] if array is not None else [child]
        for item in items:
            if inner is not None:
                check_constants(item, inner, where)
                continue
            constants = _constant_type(annotation)
            if constants is None:
                continue
            text = item.text or ""
            allowed = [member.value for member in constants]
            if text not in allowed:
                hint = next((v for v in allowed if v.casefold() == text.strip().casefold()), None)
                raise api_fault(
                    INVALID_PARAMETER,
                    f"{where}: {text!r} is not one of {', '.join(allowed)}"
                    + (f" (string constants are case-sensitive: write {hint!r})" if hint else ""),
                )


# --- credentials -----------------------------------------------------------------------------


def _credentials(
    root: etree._Element, soap: SoapVersion, authorization: str | None
) -> tuple[str | None, str | None, int | None, bool | None]:
    """``(user, password, faultHttpStatusCode, gzipResponse)`` from the header or HTTP Basic.

    In order: an ``authHeader`` in any supported namespace (its children qualified with the
    header's namespace or unqualified), the legacy ``AuthUser`` / ``AuthPassword`` elements,
    then HTTP Basic.
    """
    header = root.find(f"{{{soap.envelope_ns}}}Header")
    fault_status: int | None = None
    gzip_response: bool | None = None
    user = password = None
    auth = _auth_header(header)
    if auth is not None:
        fields = _auth_fields(auth)
        user, password = fields.get("user"), fields.get("password")
        status_text = (fields.get("faultHttpStatusCode") or "").strip()
        if status_text.isdigit() and 100 <= int(status_text) <= 599:
            fault_status = int(status_text)
        gzip_text = (fields.get("gzipResponse") or "").strip()
        if gzip_text in ("true", "1"):
            gzip_response = True
        elif gzip_text in ("false", "0"):
            gzip_response = False
    elif header is not None:
        user = header.findtext(f"{{{LEGACY_AUTH_NS}}}AuthUser")
        password = header.findtext(f"{{{LEGACY_AUTH_NS}}}AuthPassword")
    if user is None and authorization and authorization.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(authorization[6:].strip()).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            decoded = ""
        if ":" in decoded:
            user, password = decoded.split(":", 1)
    return user, password, fault_status, gzip_response


def _auth_header(header: etree._Element | None) -> etree._Element | None:
    if header is None:
        return None
    for child in header:
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        if qname.localname == "authHeader" and qname.namespace in SUPPORTED_NAMESPACES:
            return child
    return None


def _auth_fields(auth: etree._Element) -> dict[str, str | None]:
    """The header's fields by name: children in its own namespace, the unversioned one, or none."""
    accepted = {etree.QName(auth).namespace, UNVERSIONED_NS, None}
    fields: dict[str, str | None] = {}
    for child in auth:
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        if qname.namespace in accepted:
            fields.setdefault(qname.localname, child.text or "")
    return fields


# --- models <-> XML --------------------------------------------------------------------------


def element_to_dict(element: etree._Element, model: type[IpsModel]) -> dict[str, Any]:
    """Read an element into a dict keyed by IPS names, guided by the model's fields."""
    by_ips = {model.ips_name(name): name for name in model.model_fields}
    out: dict[str, Any] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        key = etree.QName(child).localname
        field_name = by_ips.get(key)
        if field_name is None:
            out[key] = child.text  # left for the model to reject (requests) or ignore
            continue
        annotation = model.model_fields[field_name].annotation
        inner = nested_model(annotation)
        array = field_array(model, field_name)
        if array is not None:
            items = [c for c in child if isinstance(c.tag, str)]
            out[key] = [element_to_dict(c, inner) if inner else c.text for c in items]
        elif inner is not None:
            out[key] = element_to_dict(child, inner)
        else:
            out[key] = child.text
    return out


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _append(parent: etree._Element, ns: str, key: str, value: Any) -> None:
    if isinstance(value, list):
        for item in value:
            _append(parent, ns, key, item)
        return
    node = etree.SubElement(parent, f"{{{ns}}}{key}")
    if isinstance(value, dict):
        for child_key, child_value in value.items():
            _append(node, ns, child_key, child_value)
    else:
        node.text = _text(value)


def envelope(
    ns: str, element_name: str, payload: dict[str, Any], soap: SoapVersion = SOAP11
) -> bytes:
    env = soap.envelope_ns
    root = etree.Element(f"{{{env}}}Envelope", nsmap={"soapenv": env, "ips": ns})
    body = etree.SubElement(root, f"{{{env}}}Body")
    _append(body, ns, element_name, payload)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def response_envelope(request: ParsedRequest, result: IpsModel) -> bytes:
    name = request.operation.return_element
    return envelope(request.namespace, name, result.to_ips(), request.soap)


def fault_envelope(
    fault: SoapFault, ns: str | None = None, soap: SoapVersion | None = None
) -> bytes:
    """The fault as IPS sends it: ``code`` and ``reason`` in a detail element.

    ``ns`` is the detail's namespace (default :data:`FAULT_NS`, as in the reference's
    example); ``soap`` the SOAP version (default the request's, else 1.1).
    """
    ns = ns or FAULT_NS
    soap = soap or fault.soap or SOAP11
    env = soap.envelope_ns
    code = soap.server_code if fault.code == API_EXCEPTION else soap.client_code
    root = etree.Element(f"{{{env}}}Envelope", nsmap={"soapenv": env})
    body = etree.SubElement(root, f"{{{env}}}Body")
    node = etree.SubElement(body, f"{{{env}}}Fault")
    if soap is SOAP12:
        value = etree.SubElement(etree.SubElement(node, f"{{{env}}}Code"), f"{{{env}}}Value")
        value.text = f"soapenv:{code}"
        reason = etree.SubElement(etree.SubElement(node, f"{{{env}}}Reason"), f"{{{env}}}Text")
        reason.set(f"{{{XML_NS}}}lang", "en")
        reason.text = fault.reason
        detail = etree.SubElement(node, f"{{{env}}}Detail")
    else:
        etree.SubElement(node, "faultcode").text = f"soapenv:{code}"
        etree.SubElement(node, "faultstring").text = fault.reason
        detail = etree.SubElement(node, "detail")
    element = etree.SubElement(detail, f"{{{ns}}}{fault.element}", nsmap={"ns1": ns})
    etree.SubElement(element, f"{{{ns}}}code").text = str(fault.code)
    etree.SubElement(element, f"{{{ns}}}reason").text = fault.reason
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
