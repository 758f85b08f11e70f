"""Shared base classes for the IPS models.

Conventions (every model follows them, and the WSDL generator relies on them):

* Python attributes are snake_case; the IPS (camelCase) name is the alias. Both populate a
  model; ``to_ips()`` / ``model_dump(by_alias=True)`` produce IPS names.
* IPS wraps lists in array types (``UrlArray`` with repeated ``items``). Such a field is a
  plain ``list`` annotated with :class:`IpsArray`, which names the wrapper type and its item
  element; the wrapping happens only at the SOAP edge (``to_ips`` / read-side validation).
* Request models (what a client sends) forbid unknown fields; read models (what a server
  returns) ignore them, including inside nested request-model types they embed.
* Field declaration order is element order on the wire: ``to_ips()`` and the generated WSDL
  follow it, and zeep emits elements in WSDL declaration order. It is the order of the IPS
  reference (the type's table, or Adobe's example message where one shows the type), because
  IPS (Axis) reads its types as ``xsd:sequence``. Reading accepts any order.
* Where the reference spells a field several ways, every spelling is accepted as input and
  one is sent (see :func:`ips_spelling`).
* Send rules (:attr:`IpsRequestModel.required_on_send`, array limits) check what we send and
  are skipped for request types nested in replies (:func:`relaxed_job_rules`).
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Union, get_args, get_origin

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationInfo, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError
from typing_extensions import Self

_RELAXED: ContextVar[bool] = ContextVar("ips_relaxed_job_rules", default=False)

#: Validation context of data the reply reader (``soap/reader.py``) built: keyed by field
#: name, arrays unwrapped, unknown elements left out. The reshaping validators below skip it.
READER_CONTEXT: dict[str, bool] = {"ips_reader": True}


def _from_reader(info: ValidationInfo) -> bool:
    return info.context is READER_CONTEXT


@contextmanager
def relaxed_job_rules() -> Iterator[None]:
    """Within this block, request models skip the client-side send rules.

    Field types and documented ranges still apply. Read models use it for the job details
    a server returns.
    """
    token = relax_job_rules()
    try:
        yield
    finally:
        restore_job_rules(token)


def relax_job_rules() -> Token[bool]:
    """:func:`relaxed_job_rules` without a context manager: pass the token to
    :func:`restore_job_rules` (for validators that run once per item read)."""
    return _RELAXED.set(True)


def restore_job_rules(token: Token[bool]) -> None:
    _RELAXED.reset(token)


def job_rules_relaxed() -> bool:
    """Whether :func:`relaxed_job_rules` is active."""
    return _RELAXED.get()


@dataclass(frozen=True)
class IpsArray:
    """Marks a list field that IPS sends as ``<typeName><item/>...</typeName>``."""

    type_name: str
    item: str = "items"
    #: Most items a request may hold (the type's ``maxOccurs``); None: unbounded.
    max_items: int | None = None

    @functools.cached_property
    def item_names(self) -> frozenset[str]:
        """Item element names read: ours, and both spellings the reference uses."""
        return frozenset({self.item, *ARRAY_ITEM_NAMES})


#: How the reference names array items: ``items`` in most types, ``item`` in some
#: (``TaskProgressArray``). Both are read wherever an array is expected.
ARRAY_ITEM_NAMES = ("items", "item")


def unwrap_array(value: Any, array: IpsArray) -> Any:
    """``{"items": [...]}`` (or ``{"item": [...]}``) -> the list; anything else unchanged."""
    if not isinstance(value, dict) or not set(value) <= array.item_names:
        return value
    items: list[Any] = []
    for inner in value.values():
        if isinstance(inner, list):
            items.extend(inner)
        elif inner is not None:
            items.append(inner)
    return items


def ips_spelling(name: str, send: str, *also: str) -> Any:
    """A field the reference spells several ways: ``send`` goes on the wire, all are read.

    :param name: the snake_case attribute name (also accepted).
    :param send: the IPS name sent (the type's own reference page, unless another page
        shows a working example with another spelling).
    :param also: other documented spellings, accepted as input.
    """
    return Field(default=None, alias=send, validation_alias=AliasChoices(name, send, *also))


@dataclass(frozen=True)
class XsdType:
    """Overrides the XSD type the WSDL generator would infer from the annotation."""

    name: str


_COMMON_CONFIG = ConfigDict(
    alias_generator=to_camel,
    validate_by_name=True,
    validate_by_alias=True,
    serialize_by_alias=True,
    str_strip_whitespace=False,
    # Validators are built on first use, not at import, and attribute docstrings are read
    # only by the generators (field_description): a DAG file pays only for the job types it
    # uses (docs/performance.md, DAG parsing).
    defer_build=True,
)


def field_description(model_cls: type[BaseModel], field_name: str) -> str | None:
    """A field's description: ``Field(description=...)`` or the docstring under it.

    For the generators (docs, operator classes); models do not read their attribute
    docstrings at import, which would cost every DAG file that imports them.
    """
    field = model_cls.model_fields[field_name]
    if field.description:
        return field.description
    for cls in model_cls.__mro__:
        if field_name in getattr(cls, "__annotations__", {}):
            return _attribute_docstrings(cls).get(field_name)
    return None


@functools.cache
def _attribute_docstrings(cls: type) -> dict[str, str]:
    from pydantic._internal._docs_extraction import extract_docstrings_from_cls

    return extract_docstrings_from_cls(cls, use_inspect=True)


def field_array(model_cls: type[BaseModel], field_name: str) -> IpsArray | None:
    for meta in model_cls.model_fields[field_name].metadata:
        if isinstance(meta, IpsArray):
            return meta
    return None


def field_xsd_type(model_cls: type[BaseModel], field_name: str) -> str | None:
    for meta in model_cls.model_fields[field_name].metadata:
        if isinstance(meta, XsdType):
            return meta.name
    return None


def unwrap_optional(annotation: Any) -> Any:
    """``X | None`` -> ``X``; anything else unchanged."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def nested_model(annotation: Any) -> type[IpsModel] | None:
    """The IpsModel class a field holds (directly, optionally or as list items), if any."""
    annotation = unwrap_optional(annotation)
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) is typing.Annotated:
        annotation = get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, IpsModel):
        return annotation
    return None


class IpsModel(BaseModel):
    """Common behaviour of every IPS type."""

    model_config = _COMMON_CONFIG
    #: The type's name in the WSDL; defaults to the class name.
    ips_type_name: ClassVar[str | None] = None

    @classmethod
    def xsd_name(cls) -> str:
        return cls.ips_type_name or cls.__name__

    @classmethod
    def ips_name(cls, field_name: str) -> str:
        field = cls.model_fields[field_name]
        return field.serialization_alias or field.alias or _generated_alias(cls, field_name)

    @model_validator(mode="before")
    @classmethod
    def _unwrap_arrays(cls, data: Any, info: ValidationInfo) -> Any:
        """Accept IPS array wrappers (``{"items": [...]}``) wherever a list is expected."""
        if not isinstance(data, dict) or _from_reader(info):
            return data
        arrays = _array_keys(cls)
        if not arrays or arrays.isdisjoint(data):
            return data
        data = dict(data)
        shapes = field_shapes(cls)
        for key in arrays.intersection(data):
            array = shapes[key].array
            assert array is not None
            data[key] = unwrap_array(data[key], array)
        return data

    def to_ips(self) -> dict[str, Any]:
        """A dict keyed by IPS names, arrays wrapped, ``None`` left out, ready for SOAP."""
        out: dict[str, Any] = {}
        cls = type(self)
        for name in cls.model_fields:
            value = getattr(self, name)
            if value is None:
                continue
            array = field_array(cls, name)
            encoded = _encode(value)
            if isinstance(encoded, bool) and field_xsd_type(cls, name) == "xsd:string":
                # IPS documents a few flags as strings; send them the way it spells them
                encoded = "true" if encoded else "false"
            if array is not None:
                encoded = {array.item: encoded}
            out[cls.ips_name(name)] = encoded
        return out


def _generated_alias(model_cls: type[BaseModel], field_name: str) -> str:
    """The alias the config's generator gives a field.

    Pydantic before 2.12 fills ``FieldInfo.alias`` from the generator only when it builds the
    model's validator, which ``defer_build`` postpones to the first use.
    """
    generator = model_cls.model_config.get("alias_generator")
    return generator(field_name) if callable(generator) else field_name


def _validation_aliases(field: Any) -> list[str]:
    alias = field.validation_alias
    if alias is None:
        return []
    if isinstance(alias, str):
        return [alias]
    choices = getattr(alias, "choices", [])
    return [c for c in choices if isinstance(c, str)]


def _encode(value: Any) -> Any:
    if isinstance(value, IpsModel):
        return value.to_ips()
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, datetime):
        return value
    # str-valued enums go on the wire as their value
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


def label(model_cls: type[IpsModel], field_name: str) -> str:
    """``field_name (ipsName)`` for error messages."""
    ips = model_cls.ips_name(field_name)
    return field_name if ips == field_name else f"{field_name} ({ips})"


class IpsRequestModel(IpsModel):
    """A type a client sends: unknown fields are an error that names the field."""

    model_config = ConfigDict(**{**_COMMON_CONFIG, "extra": "forbid"})

    #: Fields IPS requires in a request although the model lets them default to None (so
    #: the same type still reads replies that leave them out).
    required_on_send: ClassVar[tuple[str, ...]] = ()
    #: Most items per list field, beyond :attr:`IpsArray.max_items`.
    max_items: ClassVar[dict[str, int]] = {}

    @classmethod
    def item_limit(cls, field_name: str) -> int | None:
        """The most items ``field_name`` may hold in a request (None: no limit)."""
        if field_name in cls.max_items:
            return cls.max_items[field_name]
        array = field_array(cls, field_name)
        return None if array is None else array.max_items

    def send_problems(self) -> tuple[list[str], list[str]]:
        """What IPS would refuse in this request: ``(missing, invalid)`` messages.

        Checked by validation unless :func:`relaxed_job_rules` is active; subclasses add
        their own rules.
        """
        cls = type(self)
        missing = [
            f"{label(cls, name)} is required"
            for name in cls.required_on_send
            if getattr(self, name) is None
        ]
        invalid = []
        for name in cls.model_fields:
            limit = cls.item_limit(name)
            value = getattr(self, name)
            if limit is not None and isinstance(value, list) and len(value) > limit:
                invalid.append(
                    f"{label(cls, name)} holds at most {limit:,} items, got {len(value):,}"
                )
        return missing, invalid

    @model_validator(mode="after")
    def _check_send_rules(self, info: ValidationInfo) -> Self:
        if _from_reader(info) or _RELAXED.get():  # a reply's job details: not what we send
            return self
        missing, invalid = self.send_problems()
        if invalid:
            raise ValueError("; ".join(missing + invalid))
        if missing:
            # the error type of a missing element, so a server answers "missing parameter"
            raise PydanticCustomError("missing", "{problems}", {"problems": "; ".join(missing)})
        return self


class IpsReadModel(IpsModel):
    """A type a server returns: unknown fields (from newer API versions) are ignored."""

    model_config = ConfigDict(**{**_COMMON_CONFIG, "extra": "ignore"})

    @model_validator(mode="before")
    @classmethod
    def _prune_unknown_in_nested_requests(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict) or _from_reader(info):
            return data
        return _prune(cls, data)


@dataclass(frozen=True)
class FieldShape:
    """What the read side needs to know about one field of a model."""

    name: str
    """The Python attribute name."""
    array: IpsArray | None
    """Set when IPS wraps the list in an array type."""
    inner: type[IpsModel] | None
    """The IPS type the field holds (directly, optionally or as list items), if any."""


@functools.cache
def field_shapes(model_cls: type[BaseModel]) -> dict[str, FieldShape]:
    """Every accepted key of a model (name, alias, validation aliases) -> its field's shape.

    Computed once per class: the reply reader and the read-side validators look keys up
    here instead of walking the fields for every value.
    """
    shapes: dict[str, FieldShape] = {}
    for name, field in model_cls.model_fields.items():
        array = field_array(model_cls, name) if issubclass(model_cls, IpsModel) else None
        shape = FieldShape(name, array, nested_model(field.annotation))
        alias = field.alias or _generated_alias(model_cls, name)
        for key in (name, alias, *_validation_aliases(field)):
            if key:
                shapes.setdefault(key, shape)
    return shapes


@functools.cache
def _array_keys(model_cls: type[BaseModel]) -> frozenset[str]:
    return frozenset(key for key, shape in field_shapes(model_cls).items() if shape.array)


@functools.cache
def _holds_request_types(model_cls: type[BaseModel]) -> bool:
    """Whether a request model is ``model_cls`` or occurs anywhere inside it."""
    todo: list[type[BaseModel]] = [model_cls]
    seen: set[type[BaseModel]] = set()
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        if issubclass(cls, IpsRequestModel):
            return True
        todo.extend(s.inner for s in field_shapes(cls).values() if s.inner is not None)
    return False


def _prune(model_cls: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """Drop keys a request model nested in a read model would reject as unknown."""
    if not _holds_request_types(model_cls):
        return data  # nothing below would reject a key
    shapes = field_shapes(model_cls)
    strict = issubclass(model_cls, IpsRequestModel)
    out: dict[str, Any] = {}
    for key, value in data.items():
        shape = shapes.get(key)
        if shape is None:
            if not strict:
                out[key] = value
            continue
        if shape.array is not None:
            value = unwrap_array(value, shape.array)
        inner = shape.inner
        if inner is not None and isinstance(value, dict):
            value = _prune(inner, value)
        elif inner is not None and isinstance(value, list):
            value = [_prune(inner, v) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out
