"""The ``ips`` connection's extra fields: one model checks them and makes both UI field lists.

What the UI receives is read through Airflow's own API service (``HookMetaService``, what
the connection form asks for), once from the provider info's ``conn-fields`` (Airflow
3.2 and later) and once from the hook's form widgets, as Airflow before 3.2 builds it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any
from unittest.mock import MagicMock

import pytest

import airflow_provider_ips
from airflow_provider_ips.connection import (
    API_VERSION,
    DEFAULT_MAX_REPLY_BYTES,
    DEFAULT_TIMEOUT,
    HOOK_NAME,
    REGION_CODES,
    REGIONS,
    ConnectionConfigError,
    IpsConnectionExtras,
    conn_fields,
)

# Airflow's API service calls its own deprecated ProvidersManager.hooks.
pytestmark = pytest.mark.filterwarnings("ignore:ProvidersManager.hooks is deprecated")

FORM_LIBRARIES = ("wtforms", "flask_babel", "flask_appbuilder")


def drop_form_library_stand_ins() -> None:
    """Airflow puts stand-ins for the form libraries it lacks into sys.modules; take them out."""
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in FORM_LIBRARIES and isinstance(module, MagicMock):
            del sys.modules[name]


@pytest.fixture(autouse=True)
def _no_stand_ins_left() -> Iterator[None]:
    yield
    drop_form_library_stand_ins()


def ui_fields(monkeypatch: pytest.MonkeyPatch, *, older_airflow: bool = False) -> Any:
    """The ``ips`` entry Airflow's connection form gets from the API server.

    ``older_airflow``: the provider info without ``conn-fields`` and field behaviour, so
    Airflow takes them from the hook, as versions before 3.2 do.
    """
    from airflow.api_fastapi.core_api.services.ui.connections import HookMetaService

    if older_airflow:
        info = airflow_provider_ips.get_provider_info()
        for connection_type in info["connection-types"]:
            del connection_type["conn-fields"], connection_type["ui-field-behaviour"]
        monkeypatch.setattr(airflow_provider_ips, "get_provider_info", lambda: info)
    drop_form_library_stand_ins()
    hooks, widgets, behaviours = HookMetaService._get_hooks_with_mocked_fab()
    hook = hooks["ips"]
    assert hook is not None
    extra_fields = HookMetaService._convert_extra_fields(widgets)["ips"]
    return hook, extra_fields, HookMetaService._make_standard_fields(behaviours.get("ips"))


def test_the_ui_fields_are_the_models_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    _, fields, standard = ui_fields(monkeypatch)
    assert list(fields) == list(IpsConnectionExtras.model_fields)
    assert fields["timeout"]["value"] == DEFAULT_TIMEOUT
    assert fields["max_reply_bytes"]["value"] == DEFAULT_MAX_REPLY_BYTES
    assert fields["api_version"]["value"] == API_VERSION
    assert fields["company"]["schema"]["title"] == "Company name"
    assert standard.login.title == "IPS user (email)" and standard.url_schema.hidden
    for name, field in fields.items():
        assert "null" in field["schema"]["type"], f"{name} can be left empty"
        assert IpsConnectionExtras.from_extra({name: field["value"]}), "the default is valid"
        for value in field["schema"].get("enum", []):
            assert getattr(IpsConnectionExtras.from_extra({name: value}), name) == value


def test_region_offers_the_regions_and_no_null_option(monkeypatch: pytest.MonkeyPatch) -> None:
    _, fields, _ = ui_fields(monkeypatch)
    region = fields["region"]["schema"]
    # The form lists each enum value as an option; a null in it shows as "null".
    assert region["enum"] == ["north-america", "europe-middle-east-africa", "japan-asia-pacific"]
    assert region["values_display"]["europe-middle-east-africa"] == "Europe, Middle East, Africa"
    assert region["type"] == ["string", "null"], "cleared, the field sends null"
    assert fields["region"]["value"] is None
    for unset in (None, ""):
        assert IpsConnectionExtras.from_extra({"region": unset}).region is None
    with pytest.raises(ConnectionConfigError, match=r"^region: "):
        IpsConnectionExtras.from_extra({"region": "null"})


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("na", "north-america"),
        ("EMEA", "europe-middle-east-africa"),
        ("apac", "japan-asia-pacific"),
    ],
)
def test_short_region_codes_are_read_as_the_region(code: str, region: str) -> None:
    assert IpsConnectionExtras.from_extra({"region": code}).region == region


def test_nothing_the_ui_fills_in_or_offers_is_too_short_to_mask(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Airflow offers every extra value to its secrets masker, which logs "Skipping masking
    for a secret as it's too short" for strings shorter than this; the UI saves every
    field's value, defaults included."""
    from airflow.sdk.log import _secrets_masker

    shortest = _secrets_masker().min_length_to_mask
    _, fields, _ = ui_fields(monkeypatch)
    offered = {
        name: [field["value"], *field["schema"].get("enum", [])] for name, field in fields.items()
    }
    offered["protocol"].remove("http")  # for a local simulator; or "http://" in Host
    too_short = {
        name: value
        for name, values in offered.items()
        for value in values
        if isinstance(value, str) and len(value) < shortest
    }
    assert too_short == {}


def test_searching_scene7_finds_the_connection_type(monkeypatch: pytest.MonkeyPatch) -> None:
    hook, _, _ = ui_fields(monkeypatch)
    info = airflow_provider_ips.get_provider_info()
    [connection_type] = info["connection-types"]
    assert connection_type["hook-name"] == hook.hook_name == HOOK_NAME
    # The type picker matches the typed text against "<hook name> <connection type>".
    assert "scene7" in f"{hook.hook_name} {hook.connection_type}".lower()
    assert "dynamic media" in hook.hook_name.lower()


@pytest.mark.filterwarnings("ignore:Hook 'airflow_provider_ips.hooks.ips.IpsHook' defines")
def test_older_airflow_gets_the_same_fields_from_the_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    _, declared, declared_standard = ui_fields(monkeypatch)
    _, from_hook, hook_standard = ui_fields(monkeypatch, older_airflow=True)
    assert list(from_hook) == list(declared)
    assert hook_standard == declared_standard
    for name, field in declared.items():
        legacy = from_hook[name]
        schema, legacy_schema = field["schema"], legacy["schema"]
        assert legacy["description"] == field["description"], name
        assert legacy_schema["title"] == schema["title"], name
        assert legacy_schema.get("enum") == schema.get("enum"), name
        if schema["type"][0] == "number":  # the older forms have no field for fractions
            assert legacy_schema["type"] == ["string", "null"], name
            assert float(legacy["value"]) == field["value"], name
        else:
            assert legacy_schema["type"] == schema["type"], name
            assert legacy["value"] == field["value"], name


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, {}),
        (
            {"region": " EMEA ", "staging": "yes"},
            {"region": "europe-middle-east-africa", "staging": True},
        ),
        ({"verify": None, "staging": ""}, {}),
        ({"timeout": "90", "max_reply_bytes": 2048.0}, {"timeout": 90.0, "max_reply_bytes": 2048}),
        ({"company_handle": 1001}, {"company_handle": "1001"}),
        ({"wsdl": "Server", "auth": "BASIC"}, {"wsdl": "server", "auth": "basic"}),
        ({"wsdl": "/srv/IpsApi.wsdl"}, {"wsdl": "/srv/IpsApi.wsdl"}),
    ],
)
def test_extras_are_read_leniently(extra: dict[str, Any], expected: dict[str, Any]) -> None:
    assert IpsConnectionExtras.from_extra(extra).model_dump(exclude_defaults=True) == expected


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"region": "us"}, "region: input should be 'north-america', 'europe-middle-east-africa'"),
        ({"timeout": float("inf")}, "timeout: input should be a finite number (got inf)"),
        ({"timeout": True}, "timeout: expected a number, not true/false (got True)"),
        ({"verify": "maybe"}, "verify: input should be a valid boolean"),
        ({"company": {"name": "x"}}, "company: input should be a valid string"),
        ({"colour": "blue", "size": 3}, "extra: unknown field(s) colour, size; known: api_version"),
    ],
)
def test_bad_extras_name_the_field(extra: dict[str, Any], message: str) -> None:
    with pytest.raises(ConnectionConfigError) as info:
        IpsConnectionExtras.from_extra(extra)
    assert str(info.value).startswith(message)


def test_defaults_match_the_soap_client_and_the_regions_their_hosts() -> None:
    from airflow_provider_ips.soap import client
    from airflow_provider_ips.soap.endpoint import REGION_HOSTS

    assert (API_VERSION, DEFAULT_TIMEOUT, DEFAULT_MAX_REPLY_BYTES) == (
        client.API_VERSION,
        client.DEFAULT_TIMEOUT,
        client.DEFAULT_MAX_REPLY_BYTES,
    )
    regions = conn_fields()["region"]["schema"]["enum"]
    assert list(REGION_HOSTS) == list(REGIONS) == regions
    assert sorted(REGION_CODES.values()) == sorted(regions)


def test_no_extra_is_a_name_airflow_would_mask() -> None:
    """Nothing is lost by reading the extras without ``extra_dejson``'s masking pass.

    That pass masks a value only under a sensitive-sounding key; no extra of ours is one
    (the password is a standard field, masked by Airflow wherever the connection is read).
    """
    from airflow.sdk.log import _secrets_masker

    masker = _secrets_masker()  # the task process's, with Airflow's sensitive key names
    assert masker.should_hide_value_for_key("password")
    assert not [name for name in conn_fields() if masker.should_hide_value_for_key(name)]
