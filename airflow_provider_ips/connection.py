"""The ``ips`` connection type: its extra fields, declared once (no Airflow imports).

:class:`IpsConnectionExtras` checks a connection's *Extra* JSON, naming the field that is
wrong, and is the only list of those fields: the Airflow UI's field list comes from it
twice, as ``conn-fields`` in the provider info (read by Airflow 3.2 and later, see
:func:`conn_fields`) and as the hook's ``get_connection_form_widgets()`` (older Airflow).
The standard fields (host, port, login, password) are resolved in
:mod:`airflow_provider_ips.soap.endpoint`.
"""

from __future__ import annotations

import json
import types
from collections.abc import Mapping
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError, field_validator

CONNECTION_TYPE = "ips"
DEFAULT_CONN_ID = "ips_default"
#: The connection type's name in the UI; its type picker searches this and the type, so
#: the product's older name (Scene7) finds it too.
HOOK_NAME = "Adobe Dynamic Media Classic (Scene7 IPS)"

#: The IPS API (WSDL) version of the bundled WSDL.
API_VERSION = "2014-04-03"
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_REPLY_BYTES = 16 * 1024 * 1024
DEFAULT_APP_NAME = "airflow-provider-ips"
#: The ``wsdl`` extra's keywords; any other value is a path or URL.
WSDL_MODES = ("auto", "bundled", "server")

#: IPS regions: the ``region`` extra's values and what the UI shows for them. Airflow logs
#: "Skipping masking for a secret as it's too short" for any extra value of less than 5
#: characters, so the values are spelled out and the short codes are only read.
REGIONS: dict[str, JsonValue] = {
    "north-america": "North America",
    "europe-middle-east-africa": "Europe, Middle East, Africa",
    "japan-asia-pacific": "Japan, Asia Pacific",
}
REGION_CODES = {
    "na": "north-america",
    "emea": "europe-middle-east-africa",
    "apac": "japan-asia-pacific",
}
Region = Literal["north-america", "europe-middle-east-africa", "japan-asia-pacific"]

#: How the UI shows the standard fields (``ui-field-behaviour`` in the provider info).
FIELD_BEHAVIOUR: dict[str, Any] = {
    "hidden_fields": ["schema"],
    "relabeling": {"login": "IPS user (email)", "host": "IPS host (empty: use region)"},
    "placeholders": {"host": "s7sps1apissl.scene7.com", "login": "name@example.com", "port": "443"},
}


class ConnectionConfigError(ValueError):
    """The IPS connection is misconfigured; the message starts with the field's name."""


def _lower_case(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


class IpsConnectionExtras(BaseModel):
    """The extras of an ``ips`` connection; unset (null or empty) ones take their default.

    Field order is the UI's order. ``title`` and ``description`` are the UI's label and
    help text; ``json_schema_extra`` is added to the UI schema as it is.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True
    )

    company: str | None = Field(
        None, title="Company name", description="Resolved to a handle once per process."
    )
    company_handle: str | None = Field(
        None, title="Company handle", description="Wins over the company name."
    )
    region: Region | None = Field(
        None,
        title="Region (when host is empty)",
        description="Picks the IPS host when Host is empty.",
        json_schema_extra={"values_display": dict(REGIONS)},
    )
    staging: bool = Field(False, title="Staging", description="Use the region's staging host.")
    protocol: Literal["https", "http"] = Field(
        "https", title="Protocol", description="http only for the local ips-simulator."
    )
    api_version: str = Field(API_VERSION, title="API version", description="IPS WSDL version.")
    wsdl: str | None = Field(
        None,
        title="WSDL",
        description="Empty (auto): the server's own WSDL, cached, or the bundled one for a "
        "simulator on this machine. Or bundled, server, or a path/URL.",
    )
    auth: Literal["header", "basic"] = Field(
        "header",
        title="Authentication",
        description="header = authHeader SOAP header; basic = HTTP Basic.",
    )
    app_name: str = Field(
        DEFAULT_APP_NAME, title="Application name", description="Sent in authHeader."
    )
    app_version: str | None = Field(
        None, title="Application version", description="Sent in authHeader."
    )
    locale: str | None = Field(
        None, title="Locale", description="For job logs and emails, e.g. en-US."
    )
    timeout: float = Field(
        DEFAULT_TIMEOUT,
        gt=0,
        allow_inf_nan=False,
        title="Timeout (seconds)",
        description="The whole of one call: connect, send and read the reply.",
    )
    max_reply_bytes: int = Field(
        DEFAULT_MAX_REPLY_BYTES,
        gt=0,
        title="Largest reply (bytes)",
        description="Replies larger than this (after decompression) are refused.",
    )
    verify: bool = Field(True, title="Verify TLS", description="Check the certificate.")

    _lower_case_keywords = field_validator("protocol", "auth", mode="before")(_lower_case)

    @field_validator("region", mode="before")
    @classmethod
    def _region_code(cls, value: Any) -> Any:
        value = _lower_case(value)
        return REGION_CODES.get(value, value) if isinstance(value, str) else value

    @field_validator("wsdl")
    @classmethod
    def _wsdl_keyword(cls, value: str | None) -> str | None:
        if value is not None and value.lower() in WSDL_MODES:
            return value.lower()
        return value

    @property
    def wsdl_mode(self) -> str:
        """``auto`` (also when unset), ``bundled``, ``server``, or a WSDL's path or URL."""
        return self.wsdl or "auto"

    @field_validator("timeout", "max_reply_bytes", mode="before")
    @classmethod
    def _no_boolean_numbers(cls, value: Any) -> Any:
        if isinstance(value, bool):  # Python takes True for 1
            raise ValueError("expected a number, not true/false")
        return value

    @classmethod
    def from_extra(cls, extra: Mapping[str, Any] | str | None) -> IpsConnectionExtras:
        """Check a connection's extras, given as a mapping or as the *Extra* JSON text.

        :raises ConnectionConfigError: naming the first wrong field (``extra`` for names
            that are not fields, or text that is not a JSON object).
        """
        if isinstance(extra, str):
            extra = _json_object(extra)
        extra = dict(extra or {})
        unknown = sorted(set(extra) - set(cls.model_fields))
        if unknown:
            raise ConnectionConfigError(
                f"extra: unknown field(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(cls.model_fields))}"
            )
        # The UI stores a field left empty as null, older forms as "": both mean unset.
        given = {name: value for name, value in extra.items() if value not in (None, "")}
        try:
            extras = cls.model_validate(given)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(part) for part in error["loc"]) or "extra"
            message = error["msg"].removeprefix("Value error, ")
            raise ConnectionConfigError(
                f"{field}: {message[:1].lower()}{message[1:]} (got {error['input']!r})"
            ) from None
        if extras.wsdl_mode == "bundled" and extras.api_version != API_VERSION:
            raise ConnectionConfigError(
                f"api_version: the bundled WSDL is {API_VERSION}; for {extras.api_version!r} "
                "set wsdl to 'server' (or a path/URL)"
            )
        return extras


def _json_object(text: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:  # where, not what: the text may hold anything
        raise ConnectionConfigError(
            f"extra: not valid JSON ({exc.msg}: line {exc.lineno} column {exc.colno})"
        ) from None
    if not isinstance(value, dict):
        raise ConnectionConfigError(f"extra: expected a JSON object, got a {type(value).__name__}")
    return value


_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}


def _ui_schema(annotation: Any) -> dict[str, Any]:
    """The UI schema of a field's type: always nullable, so a field can be left empty."""
    if get_origin(annotation) in (Union, types.UnionType):
        (annotation,) = [arg for arg in get_args(annotation) if arg is not type(None)]
    if get_origin(annotation) is Literal:
        values = list(get_args(annotation))
        return {"type": [_JSON_TYPES[type(values[0])], "null"], "enum": values}
    return {"type": [_JSON_TYPES[annotation], "null"]}


def conn_fields() -> dict[str, dict[str, Any]]:
    """The extras as the Airflow UI shows them (``conn-fields`` of the provider info)."""
    fields: dict[str, dict[str, Any]] = {}
    for name, field in IpsConnectionExtras.model_fields.items():
        schema = _ui_schema(field.annotation)
        if field.default is not None:
            schema["default"] = field.default
        if isinstance(field.json_schema_extra, dict):
            schema.update(field.json_schema_extra)
        fields[name] = {"label": field.title, "schema": schema, "description": field.description}
    return fields
