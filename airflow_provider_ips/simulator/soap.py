"""The simulator's side of the wire: hardened parsing, schema validation, models <-> XML.

This is deliberately not zeep: the client speaks through zeep, the simulator through this
independent codec, so a test that passes proves both agree with the WSDL, not with each
other's quirks.
"""

from __future__ import annotations

import base64
import functools
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from lxml import etree
from pydantic import ValidationError

from airflow_provider_ips.models._base import IpsModel, field_array, nested_model
from airflow_provider_ips.models.operations import OPERATIONS_BY_NAME, Operation
from airflow_provider_ips.soap.client import AUTH_NS, BUNDLED_WSDL

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSD_NS = "http://www.w3.org/2001/XMLSchema"

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
        super().__init__(f"{element} {code}: {reason}")


def api_fault(code: int, reason: str) -> SoapFault:
    return SoapFault("ipsApiFault", code, reason)


_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


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
class ParsedRequest:
    operation: Operation
    param: Any  # an instance of operation.param
    user: str | None
    password: str | None
    fault_http_status: int | None
    namespace: str


def parse_request(body: bytes, soap_action: str | None, authorization: str | None) -> ParsedRequest:
    """Parse and check one SOAP request; raises SoapFault the way IPS would answer it."""
    if b"<!DOCTYPE" in body[:4096] or b"<!ENTITY" in body:
        raise api_fault(INVALID_REQUEST_XML, "DTDs and entities are not accepted")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise api_fault(INVALID_REQUEST_XML, f"request is not well-formed XML: {exc}") from None
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise api_fault(INVALID_REQUEST_XML, "request is not a SOAP 1.1 envelope")
    body_node = root.find(f"{{{SOAP_ENV}}}Body")
    if body_node is None or len(body_node) == 0:
        raise api_fault(INVALID_REQUEST_XML, "SOAP body is empty")
    element = body_node[0]
    qname = etree.QName(element)
    tns, schema = _schema()
    if qname.namespace != tns:
        raise api_fault(
            INVALID_REQUEST_XML,
            f"unsupported namespace {qname.namespace!r}; this server speaks {tns}",
        )
    op_name = qname.localname.removesuffix("Param")
    operation = OPERATIONS_BY_NAME.get(op_name)
    if operation is None or qname.localname != operation.param_element:
        raise api_fault(INVALID_REQUEST_XML, f"unknown operation element {qname.localname!r}")
    action = (soap_action or "").strip('"')
    if action and action != op_name:
        raise api_fault(INVALID_REQUEST_XML, f"SOAPAction {action!r} does not match {op_name}")

    user, password, fault_status = _credentials(root, authorization)
    try:
        param = _validated_param(operation, element, schema)
    except SoapFault as fault:
        fault.operation, fault.user, fault.fault_http_status = op_name, user, fault_status
        raise
    return ParsedRequest(operation, param, user, password, fault_status, tns)


def _validated_param(operation: Operation, element: etree._Element, schema: etree.XMLSchema) -> Any:
    op_name = operation.name
    if not schema.validate(etree.ElementTree(element)):
        last = schema.error_log.last_error  # type: ignore[attr-defined]
        message = str(last.message) if last is not None else "does not match the schema"
        code = MISSING_PARAMETER if "Missing child element" in message else INVALID_PARAMETER
        raise api_fault(code, f"{op_name}: {message}")
    try:
        param = operation.param.model_validate(element_to_dict(element, operation.param))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or op_name
        code = MISSING_PARAMETER if first["type"] == "missing" else INVALID_PARAMETER
        raise api_fault(code, f"{where}: {first['msg']}") from None
    return param


def _credentials(
    root: etree._Element, authorization: str | None
) -> tuple[str | None, str | None, int | None]:
    header = root.find(f"{{{SOAP_ENV}}}Header/{{{AUTH_NS}}}authHeader")
    fault_status: int | None = None
    user = password = None
    if header is not None:
        user = header.findtext(f"{{{AUTH_NS}}}user")
        password = header.findtext(f"{{{AUTH_NS}}}password")
        status_text = header.findtext(f"{{{AUTH_NS}}}faultHttpStatusCode")
        if status_text and status_text.strip().isdigit():
            fault_status = int(status_text)
    if user is None and authorization and authorization.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(authorization[6:].strip()).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            decoded = ""
        if ":" in decoded:
            user, password = decoded.split(":", 1)
    return user, password, fault_status


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


def envelope(ns: str, element_name: str, payload: dict[str, Any]) -> bytes:
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soapenv": SOAP_ENV, "ips": ns})
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    _append(body, ns, element_name, payload)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def response_envelope(request: ParsedRequest, result: IpsModel) -> bytes:
    return envelope(request.namespace, request.operation.return_element, result.to_ips())


def fault_envelope(fault: SoapFault, ns: str | None = None) -> bytes:
    ns = ns or namespace()
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soapenv": SOAP_ENV, "ips": ns})
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    node = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(node, "faultcode").text = (
        "soapenv:Client" if fault.code != API_EXCEPTION else "soapenv:Server"
    )
    etree.SubElement(node, "faultstring").text = fault.reason
    detail = etree.SubElement(node, "detail")
    _append(detail, ns, fault.element, {"code": fault.code, "reason": fault.reason})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
