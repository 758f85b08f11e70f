"""What a task run against the simulator writes to its log, about the connection's secrets."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import pytest

from airflow_provider_ips.simulator import DEFAULT_PASSWORD, IpsSimulator

REPO = Path(__file__).resolve().parents[2]
SHORT_SECRET_WARNING = "Skipping masking for a secret as it's too short"

pytestmark = pytest.mark.usefixtures("airflow_db")


@pytest.fixture
def warn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Airflow warns about a short secret once per process: let it warn in this test."""
    from airflow._shared.secrets_masker import SecretsMasker as CoreMasker
    from airflow.sdk._shared.secrets_masker import SecretsMasker as TaskMasker

    for masker in (CoreMasker, TaskMasker):
        monkeypatch.setattr(masker, "_has_warned_short_secret", False)


def upload_dag() -> Any:
    sys.path.insert(0, str(REPO / "tests" / "dags"))
    import ips_test_dags  # type: ignore[import-not-found]

    return ips_test_dags.ips_upload_once_dag


@pytest.mark.usefixtures("warn_again")
def test_a_task_log_has_no_short_secret_warning_and_the_password_stays_masked(
    live_simulator: IpsSimulator,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    from airflow.sdk import Connection
    from airflow.sdk.log import _secrets_masker

    caplog.set_level(logging.INFO)
    run = upload_dag().test()
    assert {str(ti.state) for ti in run.get_task_instances()} == {"success"}
    out = capfd.readouterr()
    # The task's lines are printed by Airflow's log setup; Airflow's own warnings are
    # logging records as well.
    task_log = out.out + out.err + caplog.text
    assert "Submitted IPS UploadUrlsJob" in task_log, "the task's own lines are here"
    assert SHORT_SECRET_WARNING not in task_log
    assert DEFAULT_PASSWORD not in task_log
    assert _secrets_masker().redact(f"password={DEFAULT_PASSWORD}") == "password=***"

    # An extra value under 5 characters, read as Airflow reads every connection, does warn.
    caplog.clear()
    conn = Connection(conn_id="probe", conn_type="ips", extra=json.dumps({"protocol": "http"}))
    assert conn.get_uri()
    assert SHORT_SECRET_WARNING in caplog.text
