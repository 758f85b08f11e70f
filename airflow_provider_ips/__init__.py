"""Apache Airflow provider for Adobe Dynamic Media Classic (Scene7) IPS jobs."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

#: The project's documentation; the same URL is ``[project.urls] Documentation`` in
#: pyproject.toml, which is where Airflow 3.3's Providers page reads it from.
DOCUMENTATION_URL = "https://github.com/airflow-provider-ips/airflow-provider-ips/tree/main/docs"
_INTEGRATION = "Adobe Dynamic Media Classic IPS"


def get_provider_info() -> dict[str, Any]:
    """Provider metadata read by Airflow's providers manager (entry point)."""
    from airflow_provider_ips.connection import (
        CONNECTION_TYPE,
        FIELD_BEHAVIOUR,
        HOOK_NAME,
        conn_fields,
    )

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
                "hook-name": HOOK_NAME,
                "connection-type": CONNECTION_TYPE,
                "ui-field-behaviour": {
                    key.replace("_", "-"): value for key, value in FIELD_BEHAVIOUR.items()
                },
                "conn-fields": conn_fields(),
            }
        ],
        "plugins": [
            {"name": "ips", "plugin-class": "airflow_provider_ips.plugins.IpsProviderPlugin"}
        ],
    }
