"""Replies read straight into the models: one walk over the XML, guided by the model's fields.

zeep keeps the contract (the WSDL, the envelopes we send, faults); the body of a successful
reply is read here instead, because building zeep's objects and then our models from them
cost several times the parse itself on large replies (see docs/performance.md).

The walk follows :func:`field_shapes` of the expected model, so it reads exactly what the
models declare and nothing else:

* elements are matched by local name, so every supported API version's namespace reads
  alike, and every documented spelling of a field (aliases, ``item``/``items``) is accepted;
* order does not matter; elements the model does not know (a newer server's additions) are
  skipped; ``xsi:nil`` reads as None (an empty list for an array);
* a field repeated under the same name becomes a list, which validation refuses unless the
  field is one; a field given under two spellings keeps the first value that is not nil.

The simulator keeps its own reader of requests (``simulator/soap.py``): it must refuse what
a request model does not declare, and an independent reading on the other side of the wire
is what lets the tests catch a misreading.

Values stay text; the pydantic models then validate and convert them (the reader's dicts are
keyed by field name and hold only known fields, so the models' own reshaping validators are
skipped: see :data:`READER_CONTEXT`).
"""

from __future__ import annotations

import functools
from typing import Any, TypeVar

from lxml import etree

from airflow_provider_ips.models._base import (
    READER_CONTEXT,
    FieldShape,
    IpsModel,
    IpsReadModel,
    field_shapes,
)

M = TypeVar("M", bound=IpsReadModel)

_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def local_name(tag: str) -> str:
    """``{namespace}name`` -> ``name``."""
    return tag.rpartition("}")[2]


def read_model(model: type[M], element: etree._Element) -> M:
    """``element`` (e.g. ``<getActiveJobsReturn>``) as an instance of ``model``.

    :raises pydantic.ValidationError: if a value does not fit its field.
    """
    return model.model_validate(read_fields(model, element), context=READER_CONTEXT)


def read_fields(model: type[IpsModel], element: etree._Element) -> dict[str, Any]:
    """The children of ``element`` that are fields of ``model``: ``{field name: value}``."""
    fields = _fields_by_tag(model)
    out: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for child in element:
        tag = child.tag
        found = fields.get(tag)
        if found is None:
            found = fields[tag] = _field_for(model, tag)
        if found is _UNKNOWN:
            continue
        name, shape = found
        if shape.array is None and shape.inner is None:  # most fields: text
            value = None if child.get(_XSI_NIL) in _TRUE else child.text
        else:
            value = _value(shape, child)
        field = shape.name
        if field not in out:
            out[field] = value
            spelled[field] = name
        elif spelled[field] != name:  # another spelling of a field already read
            if out[field] is None:
                out[field] = value
        elif shape.array is not None:
            out[field] = [*(out[field] or ()), *(value or ())]
        else:
            previous = out[field]
            out[field] = [*(previous if isinstance(previous, list) else [previous]), value]
    return out


_TRUE = ("true", "1")
#: A tag that names no field of the model (or is not an element).
_UNKNOWN: Any = object()


@functools.cache
def _fields_by_tag(model: type[IpsModel]) -> dict[Any, Any]:
    """Per model: full tag (namespace included) -> ``(local name, shape)``, filled as met."""
    return {}


def _field_for(model: type[IpsModel], tag: Any) -> Any:
    if not isinstance(tag, str):
        return _UNKNOWN
    name = local_name(tag)
    shape = field_shapes(model).get(name)
    return _UNKNOWN if shape is None else (name, shape)


def _value(shape: FieldShape, element: etree._Element) -> Any:
    array = shape.array
    if array is None:
        return _item(shape.inner, element)
    if element.get(_XSI_NIL) in _TRUE:
        return []  # a nil array holds nothing
    names = array.item_names
    inner = shape.inner
    return [
        _item(inner, child)
        for child in element
        if isinstance(child.tag, str) and local_name(child.tag) in names
    ]


def _item(model: type[IpsModel] | None, element: etree._Element) -> Any:
    if element.get(_XSI_NIL) in _TRUE:
        return None
    return element.text if model is None else read_fields(model, element)
