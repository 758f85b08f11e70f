"""The SOAP layer (models, WSDL, client core, simulator, schedules) never imports Airflow."""

from __future__ import annotations

import subprocess
import sys

import pytest

SOAP_LAYER = [
    "airflow_provider_ips.connection",
    "airflow_provider_ips.models",
    "airflow_provider_ips.soap",
    "airflow_provider_ips.simulator",
    "airflow_provider_ips.simulator.cli",
    "airflow_provider_ips.schedule",
    "airflow_provider_ips.wsdl.generate",
]


def test_soap_layer_imports_nothing_from_airflow() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {SOAP_LAYER!r}: importlib.import_module(name)\n"
        "loaded = {m for m in sys.modules if m == 'airflow' or m.startswith('airflow.')}\n"
        "print(sorted(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


@pytest.mark.parametrize(
    "statement",
    [
        "import airflow_provider_ips.models",
        # the providers manager reads it in every Airflow process
        "import airflow_provider_ips as p; p.get_provider_info()",
    ],
)
def test_models_and_provider_info_import_no_soap_stack(statement: str) -> None:
    code = (
        f"import sys; {statement}\n"
        "print(sorted(m for m in ('zeep', 'lxml', 'httpx') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
