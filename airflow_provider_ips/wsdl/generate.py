"""Write the bundled WSDL from the models, so schema and models cannot drift apart.

Run ``python -m airflow_provider_ips.wsdl.generate`` after changing a model; a test fails
while the committed WSDL differs from what this module produces.

Element order: every type lists its elements in model field order, which is the IPS
reference order (see :mod:`airflow_provider_ips.models._base`). zeep emits elements in
declaration order for ``xsd:sequence`` and ``xsd:all`` alike, so the order is what goes on
the wire either way. The request bodies (``<op>Param``) are ``xsd:sequence``, as IPS (Axis)
declares them: they only ever travel to a server, and the simulator then checks their order
as Axis does. Complex types stay ``xsd:all``: the same types come back inside replies
(``ActiveJob`` embeds the job types), and ``xsd:all`` lets a reader take elements in any
order and skip those a newer server adds. Fields IPS requires in requests but that replies
may leave out (``required_on_send``) stay ``minOccurs="0"``; the models check them.
"""

from __future__ import annotations

import enum
import sys
import types
import typing
from datetime import datetime
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from lxml import etree

from airflow_provider_ips.models._base import IpsArray, IpsModel, XsdType
from airflow_provider_ips.models.operations import OPERATIONS

API_VERSION = "2014-04-03"
AUTH_NS = "http://www.scene7.com/IpsApi/xsd"
TNS = f"{AUTH_NS}/{API_VERSION}"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
SOAP_NS = "http://schemas.xmlsoap.org/wsdl/soap/"
SERVICE_PATH = "/scene7/services/IpsApiService"
WSDL_PATH = Path(__file__).with_name(f"IpsApi-{API_VERSION}.wsdl")

#: The SOAP faults every operation may answer with (element name, XSD type name).
FAULTS: tuple[tuple[str, str], ...] = (
    ("authenticationFault", "AuthenticationFault"),
    ("authorizationFault", "AuthorizationFault"),
    ("ipsApiFault", "IpsApiFault"),
)

#: The authHeader SOAP header: (element, XSD type, required).
AUTH_HEADER_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("user", "xsd:string", True),
    ("password", "xsd:string", True),
    ("locale", "xsd:string", False),
    ("appName", "xsd:string", False),
    ("appVersion", "xsd:string", False),
    ("gzipResponse", "xsd:boolean", False),
    ("faultHttpStatusCode", "xsd:int", False),
)

_SCALARS: dict[type, str] = {
    str: "xsd:string",
    bool: "xsd:boolean",
    int: "xsd:int",
    float: "xsd:double",
    datetime: "xsd:dateTime",
}


def _x(tag: str) -> str:
    return f"{{{XSD_NS}}}{tag}"


def _w(tag: str) -> str:
    return f"{{{WSDL_NS}}}{tag}"


def _s(tag: str) -> str:
    return f"{{{SOAP_NS}}}{tag}"


class _SchemaBuilder:
    """Collects complex types reachable from the operation bodies, in first-use order."""

    def __init__(self) -> None:
        self.types: dict[str, etree._Element] = {}

    def xsd_type(self, annotation: Any, metadata: list[Any]) -> str:
        for meta in metadata:
            if isinstance(meta, XsdType):
                return meta.name
            if isinstance(meta, IpsArray):
                item = self.xsd_type(_list_item(annotation), [])
                self._array_type(meta, item)
                return f"tns:{meta.type_name}"
        annotation = _strip(annotation)
        if isinstance(annotation, type):
            if issubclass(annotation, IpsModel):
                self.complex_type(annotation)
                return f"tns:{annotation.xsd_name()}"
            if issubclass(annotation, enum.Enum):
                return "xsd:string"
            for py_type, xsd in _SCALARS.items():
                if issubclass(annotation, py_type):
                    return xsd
        # enum-or-string unions on the read side are strings on the wire
        if get_origin(annotation) in (Union, types.UnionType) and all(
            isinstance(a, type) and issubclass(a, str) for a in get_args(annotation)
        ):
            return "xsd:string"
        raise TypeError(f"no XSD type for annotation {annotation!r}")

    def _array_type(self, array: IpsArray, item_type: str) -> None:
        if array.type_name in self.types:
            return
        node = etree.Element(_x("complexType"), name=array.type_name)
        seq = etree.SubElement(node, _x("sequence"))
        max_occurs = "unbounded" if array.max_items is None else str(array.max_items)
        etree.SubElement(
            seq, _x("element"), name=array.item, type=item_type,
            minOccurs="0", maxOccurs=max_occurs,
        )  # fmt: skip
        self.types[array.type_name] = node

    def fields(
        self, parent: etree._Element, model: type[IpsModel], *, ordered: bool = False
    ) -> None:
        # Types: xsd:all, not xsd:sequence: a reader then matches fields in any order, and an
        # element a newer server inserts does not hide the known ones after it. Request
        # bodies (ordered=True): xsd:sequence. zeep emits both in declaration order.
        seq = etree.SubElement(parent, _x("sequence" if ordered else "all"))
        for name, field in model.model_fields.items():
            xsd = self.xsd_type(field.annotation, list(field.metadata))
            required = field.is_required() and _request_side(model)
            etree.SubElement(
                seq, _x("element"), name=model.ips_name(name), type=xsd,
                minOccurs="1" if required else "0",
            )  # fmt: skip

    def complex_type(self, model: type[IpsModel]) -> None:
        name = model.xsd_name()
        if name in self.types:
            return
        node = etree.Element(_x("complexType"), name=name)
        self.types[name] = node  # registered first: types may refer to each other
        self.fields(node, model)


def _request_side(model: type[IpsModel]) -> bool:
    from airflow_provider_ips.models._base import IpsRequestModel

    return issubclass(model, IpsRequestModel)


def _strip(annotation: Any) -> Any:
    """Remove ``Optional`` and ``Annotated`` wrappers."""
    while True:
        if get_origin(annotation) is typing.Annotated:
            annotation = get_args(annotation)[0]
            continue
        if get_origin(annotation) in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
            return typing.Union[tuple(args)]  # noqa: UP007 - rebuilt from a runtime tuple
        return annotation


def _list_item(annotation: Any) -> Any:
    annotation = _strip(annotation)
    if get_origin(annotation) is not list:
        raise TypeError(f"IpsArray on a non-list annotation {annotation!r}")
    return get_args(annotation)[0]


def build_wsdl(location: str = f"http://localhost{SERVICE_PATH}") -> bytes:
    builder = _SchemaBuilder()
    elements: list[etree._Element] = []
    for op in OPERATIONS:
        for element_name, model, ordered in (
            (op.param_element, op.param, True),
            (op.return_element, op.result, False),
        ):
            element = etree.Element(_x("element"), name=element_name)
            builder.fields(etree.SubElement(element, _x("complexType")), model, ordered=ordered)
            elements.append(element)
    for element_name, type_name in FAULTS:
        elements.append(etree.Element(_x("element"), name=element_name, type=f"tns:{type_name}"))
        fault = etree.Element(_x("complexType"), name=type_name)
        seq = etree.SubElement(fault, _x("sequence"))
        etree.SubElement(seq, _x("element"), name="code", type="xsd:int")
        etree.SubElement(seq, _x("element"), name="reason", type="xsd:string", minOccurs="0")
        builder.types[type_name] = fault

    nsmap: dict[Any, str] = {
        None: WSDL_NS, "wsdl": WSDL_NS, "soap": SOAP_NS, "xsd": XSD_NS, "tns": TNS, "auth": AUTH_NS,
    }  # fmt: skip
    root = etree.Element(_w("definitions"), nsmap=nsmap, name="IpsApi", targetNamespace=TNS)
    root.append(etree.Comment(" Generated by airflow_provider_ips.wsdl.generate - do not edit "))
    types_node = etree.SubElement(root, _w("types"))

    auth_schema = etree.SubElement(
        types_node, _x("schema"), targetNamespace=AUTH_NS, elementFormDefault="qualified"
    )
    header = etree.SubElement(auth_schema, _x("element"), name="authHeader")
    seq = etree.SubElement(etree.SubElement(header, _x("complexType")), _x("sequence"))
    for name, xsd, required in AUTH_HEADER_FIELDS:
        etree.SubElement(
            seq, _x("element"), name=name, type=xsd, minOccurs="1" if required else "0"
        )

    # tns declared on the schema itself, so the schema can be compiled on its own
    schema = etree.SubElement(
        types_node, _x("schema"), nsmap={"xsd": XSD_NS, "tns": TNS},
        targetNamespace=TNS, elementFormDefault="qualified",
    )  # fmt: skip
    for node in builder.types.values():
        schema.append(node)
    for element in elements:
        schema.append(element)

    def message(name: str, part: str, element: str) -> None:
        msg = etree.SubElement(root, _w("message"), name=name)
        etree.SubElement(msg, _w("part"), name=part, element=element)

    header_msg = etree.SubElement(root, _w("message"), name="authHeader")
    etree.SubElement(header_msg, _w("part"), name="authHeader", element="auth:authHeader")
    for element_name, _ in FAULTS:
        message(element_name, "fault", f"tns:{element_name}")
    for op in OPERATIONS:
        message(f"{op.name}Request", "parameters", f"tns:{op.param_element}")
        message(f"{op.name}Response", "parameters", f"tns:{op.return_element}")

    port_type = etree.SubElement(root, _w("portType"), name="IpsApiPortType")
    for op in OPERATIONS:
        node = etree.SubElement(port_type, _w("operation"), name=op.name)
        etree.SubElement(node, _w("input"), message=f"tns:{op.name}Request")
        etree.SubElement(node, _w("output"), message=f"tns:{op.name}Response")
        for element_name, _ in FAULTS:
            etree.SubElement(node, _w("fault"), name=element_name, message=f"tns:{element_name}")

    binding = etree.SubElement(
        root, _w("binding"), name="IpsApiSoapBinding", type="tns:IpsApiPortType"
    )
    etree.SubElement(
        binding, _s("binding"), style="document", transport="http://schemas.xmlsoap.org/soap/http"
    )
    for op in OPERATIONS:
        node = etree.SubElement(binding, _w("operation"), name=op.name)
        etree.SubElement(node, _s("operation"), soapAction=op.name, style="document")
        body_in = etree.SubElement(node, _w("input"))
        etree.SubElement(body_in, _s("body"), use="literal")
        etree.SubElement(
            body_in, _s("header"), message="tns:authHeader", part="authHeader", use="literal"
        )
        body_out = etree.SubElement(node, _w("output"))
        etree.SubElement(body_out, _s("body"), use="literal")
        for element_name, _ in FAULTS:
            fault = etree.SubElement(node, _w("fault"), name=element_name)
            etree.SubElement(fault, _s("fault"), name=element_name, use="literal")

    service = etree.SubElement(root, _w("service"), name="IpsApiService")
    port = etree.SubElement(
        service, _w("port"), name="IpsApiSoapPort", binding="tns:IpsApiSoapBinding"
    )
    etree.SubElement(port, _s("address"), location=location)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else WSDL_PATH
    target.write_bytes(build_wsdl())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
