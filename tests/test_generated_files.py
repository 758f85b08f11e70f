"""Files generated from the models (WSDL, operator pages, typed operators) are up to date."""

from __future__ import annotations

from airflow_provider_ips.docgen import DOCS, pages


def test_operator_pages_are_up_to_date() -> None:
    for name, text in pages().items():
        path = DOCS / name
        assert path.exists() and path.read_text() == text, f"{path} is stale: run `make docs`"


def test_job_type_operators_are_up_to_date() -> None:
    from airflow_provider_ips.operators.generate import TARGET, render

    assert TARGET.read_text() == render(), f"{TARGET} is stale: run `make operators`"
