"""Apache Airflow provider for Adobe Dynamic Media Classic (Scene7) IPS jobs."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


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
