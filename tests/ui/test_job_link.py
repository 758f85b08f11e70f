"""Where the "IPS job" link of a task points, for the operators and the sensor.

The end-to-end path (worker stores the link, API server serves it, the UI shows it) is
tested in test_ui_browser.py; here each source of the job handle, one at a time.
"""

from __future__ import annotations

from typing import Any

import pytest

from airflow_provider_ips import links
from airflow_provider_ips.links import IpsJobLink
from airflow_provider_ips.operators.jobs import IpsSubmitJobOperator, IpsUploadUrlsJobOperator
from airflow_provider_ips.plugins import IpsProviderPlugin
from airflow_provider_ips.sensors.jobs import WATCH_STATE_KEY, IpsJobSensor
from airflow_provider_ips.ui import job_path

URLS = {"url_array": ["https://assets.example.com/a.jpg"]}


class StateStore:
    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


class RunningTask:
    """What the task runner hands a link at the end of a try: the task instance."""

    def __init__(self, state: dict[str, Any] | None = None) -> None:
        self.state = StateStore(state or {})

    def get_template_context(self) -> dict[str, Any]:
        return {"task_state_store": self.state}


@pytest.fixture
def xcoms(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    pushed: dict[str, Any] = {}
    monkeypatch.setattr(links, "_xcom", lambda ti_key, key: pushed.get(key))
    return pushed


def test_every_job_operator_and_the_sensor_carry_the_link() -> None:
    for cls in (IpsSubmitJobOperator, IpsUploadUrlsJobOperator, IpsJobSensor):
        assert [type(link) for link in cls.operator_extra_links] == [IpsJobLink]


def test_an_operator_links_the_job_it_submitted(xcoms: dict[str, Any]) -> None:
    task = IpsUploadUrlsJobOperator(task_id="upload", ips_conn_id="ips prod", **URLS)
    assert IpsJobLink().get_link(task, ti_key=RunningTask()) == ""  # not submitted yet
    xcoms["ips_job_handle"] = "c1|upload/1|7"
    assert IpsJobLink().get_link(task, ti_key=RunningTask()) == (
        "/ips/connections/ips%20prod/jobs/c1%7Cupload%2F1%7C7"
    )


def test_a_sensor_links_its_handle_the_job_it_watches_or_the_name(xcoms: dict[str, Any]) -> None:
    xcoms["ips_job_handle"] = "ignored: the sensor pushes none"
    by_handle = IpsJobSensor(task_id="a", job_handle="c1|j|1")
    assert IpsJobLink().get_link(by_handle, ti_key=RunningTask()) == job_path(
        "ips_default", handle="c1|j|1"
    )
    by_name = IpsJobSensor(task_id="b", job_name="spring upload")
    watching = RunningTask({WATCH_STATE_KEY: {"job_handle": "c1|spring|4"}})
    assert IpsJobLink().get_link(by_name, ti_key=watching) == job_path(
        "ips_default", handle="c1|spring|4"
    )
    assert IpsJobLink().get_link(by_name, ti_key=RunningTask()) == (
        "/ips/connections/ips_default/jobs?name=spring+upload"
    )
    nightly = IpsJobSensor(task_id="c", scheduled_job_name="nightly")
    assert IpsJobLink().get_link(nightly, ti_key=RunningTask()).endswith("/jobs?name=nightly")


def test_the_link_is_absolute_when_the_api_base_url_is_set(
    xcoms: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "https://airflow.example.com/")
    task = IpsJobSensor(task_id="a", job_handle="h1")
    assert IpsJobLink().get_link(task, ti_key=RunningTask()) == (
        "https://airflow.example.com/ips/connections/ips_default/jobs/h1"
    )


def test_the_plugin_serves_the_page_and_lists_it_in_the_menu() -> None:
    (app,) = IpsProviderPlugin.fastapi_apps
    assert app["url_prefix"] == "/ips" and callable(app["app"])
    (view,) = IpsProviderPlugin.external_views
    assert view["href"] == "ips/" and view["destination"] == "nav"
    assert [type(link) for link in IpsProviderPlugin.operator_extra_links] == [IpsJobLink]
    # bound to no operator class: the API server then reads the link the worker stored
    assert IpsJobLink.operators == []


def test_loading_the_plugin_leaves_the_page_unbuilt() -> None:
    # every Airflow process loads the plugin; only the API server needs FastAPI and templates
    import subprocess
    import sys

    code = (
        "import sys, airflow_provider_ips.plugins\n"
        "print('airflow_provider_ips.ui.app' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
