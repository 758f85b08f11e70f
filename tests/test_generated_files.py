"""Files generated from the models (WSDL, operator pages) are committed up to date."""

from __future__ import annotations

from airflow_provider_ips.docgen import DOCS, pages


def test_operator_pages_are_up_to_date() -> None:
    for name, text in pages().items():
        path = DOCS / name
        assert path.exists() and path.read_text() == text, f"{path} is stale: run `make docs`"
