"""Apache Airflow provider for Adobe Dynamic Media Classic (Scene7) IPS jobs."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def get_provider_info() -> dict[str, Any]:
    """Provider metadata read by Airflow's providers manager (entry point)."""
    return {
        "package-name": "airflow-provider-ips",
        "name": "Adobe Dynamic Media Classic (Scene7) IPS",
        "description": "Run Adobe Dynamic Media Classic IPS jobs from Airflow.",
        "versions": [__version__],
    }
