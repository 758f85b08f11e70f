"""Apache Airflow provider for Adobe Dynamic Media Classic (Scene7) IPS jobs."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

#: The project's documentation; the same URL is ``[project.urls] Documentation`` in
#: pyproject.toml, which is where Airflow 3.3's Providers page reads it from.
DOCUMENTATION_URL = "https://github.com/airflow-provider-ips/airflow-provider-ips/tree/main/docs"
_INTEGRATION = "Adobe Dynamic Media Classic IPS"

_STRING = {"type": ["string", "null"]}


def _field(label: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"label": label, "schema": schema, "description": description}


#: Extra fields of the ``ips`` connection, as the Airflow UI shows them.
CONN_FIELDS: dict[str, dict[str, Any]] = {
    "company": _field("Company name", _STRING, "Resolved to a handle once per process."),
    "company_handle": _field("Company handle", _STRING, "Wins over the company name."),
    "region": _field(
        "Region (when host is empty)",
        {"type": ["string", "null"], "enum": ["na", "emea", "apac", None]},
        "na = North America, emea = Europe/Middle East/Africa, apac = Japan/Asia Pacific.",
    ),
    "staging": _field(
        "Staging", {"type": ["boolean", "null"], "default": False}, "Use the region's staging host."
    ),
    "protocol": _field(
        "Protocol",
        {"type": ["string", "null"], "enum": ["https", "http"], "default": "https"},
        "http only for the local ips-simulator.",
    ),
    "api_version": _field(
        "API version", {"type": ["string", "null"], "default": "2014-04-03"}, "IPS WSDL version."
    ),
    "wsdl": _field(
        "WSDL",
        {"type": ["string", "null"], "default": "auto"},
        "auto (the server's own WSDL, cached; the bundled one for a simulator on this "
        "machine), bundled, server, or a path/URL.",
    ),
    "auth": _field(
        "Authentication",
        {"type": ["string", "null"], "enum": ["header", "basic"], "default": "header"},
        "header = authHeader SOAP header; basic = HTTP Basic.",
    ),
    "app_name": _field("Application name", _STRING, "Sent in authHeader."),
    "app_version": _field("Application version", _STRING, "Sent in authHeader."),
    "locale": _field("Locale", _STRING, "For job logs and emails, e.g. en-US."),
    "timeout": _field(
        "Timeout (seconds)",
        {"type": ["number", "null"], "default": 60},
        "The whole of one call: connect, send and read the reply.",
    ),
    "max_reply_bytes": _field(
        "Largest reply (bytes)",
        {"type": ["integer", "null"], "default": 16777216},
        "Replies larger than this (after decompression) are refused.",
    ),
    "verify": _field(
        "Verify TLS", {"type": ["boolean", "null"], "default": True}, "Check the certificate."
    ),
}


def get_provider_info() -> dict[str, Any]:
    """Provider metadata read by Airflow's providers manager (entry point)."""
    return {
        "package-name": "airflow-provider-ips",
        "name": "Adobe Dynamic Media Classic (Scene7) IPS",
        "description": "Run Adobe Dynamic Media Classic IPS jobs from Airflow.",
        "versions": [__version__],
        "integrations": [
            {
                "integration-name": "Adobe Dynamic Media Classic IPS",
                "external-doc-url": "https://experienceleague.adobe.com/",
                "tags": ["service"],
            }
        ],
        "documentation-url": DOCUMENTATION_URL,
        "operators": [
            {
                "integration-name": _INTEGRATION,
                "python-modules": ["airflow_provider_ips.operators.jobs"],
            }
        ],
        "sensors": [
            {
                "integration-name": _INTEGRATION,
                "python-modules": ["airflow_provider_ips.sensors.jobs"],
            }
        ],
        "triggers": [
            {
                "integration-name": _INTEGRATION,
                "python-modules": ["airflow_provider_ips.triggers.jobs"],
            }
        ],
        "extra-links": ["airflow_provider_ips.links.IpsJobLink"],
        "hooks": [
            {
                "integration-name": "Adobe Dynamic Media Classic IPS",
                "python-modules": ["airflow_provider_ips.hooks.ips"],
            }
        ],
        "connection-types": [
            {
                "hook-class-name": "airflow_provider_ips.hooks.ips.IpsHook",
                "hook-name": "Adobe Dynamic Media Classic (IPS)",
                "connection-type": "ips",
                "ui-field-behaviour": {
                    "hidden-fields": ["schema"],
                    "relabeling": {
                        "login": "IPS user (email)",
                        "host": "IPS host (empty: use region)",
                    },
                    "placeholders": {
                        "host": "s7sps1apissl.scene7.com",
                        "login": "name@example.com",
                        "port": "443",
                    },
                },
                "conn-fields": CONN_FIELDS,
            }
        ],
        "plugins": [
            {"name": "ips", "plugin-class": "airflow_provider_ips.plugins.IpsProviderPlugin"}
        ],
    }
