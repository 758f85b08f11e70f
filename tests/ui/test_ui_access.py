"""Who may use the IPS jobs page, asked of a real API server: anonymous callers and users
without the connection permission are refused, readers see jobs but cannot act, editors
act only with a confirmation's token, and no page ever shows the connection's password."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest

from airflow_provider_ips.simulator import IpsSimulator
from tests.ui.airflow_server import AirflowApiServer
from tests.ui.conftest import CONN_ID, PASSWORD
from tests.ui.seed import Seeded

#: The page and its access control on every supported release (make test-matrix).
pytestmark = pytest.mark.integration

HTML = {"Accept": "text/html"}


def job_url(handle: str) -> str:
    return f"/ips/connections/{CONN_ID}/jobs/{quote(handle, safe='')}"


def pages(seeded: Seeded) -> list[str]:
    """Every kind of page the app serves (GET)."""
    return [
        "/ips/",
        f"/ips/connections/{CONN_ID}",
        job_url(seeded.problems),
        job_url(seeded.recurring),
        f"/ips/connections/{CONN_ID}/jobs?name=catalog-reprocess",
        job_url(seeded.running) + "/stop",
    ]


def actions_seen(simulator: IpsSimulator) -> list[tuple[str | None, str | None]]:
    return [
        (c.operation, c.job_handle)
        for c in simulator.calls()
        if c.operation in ("stopJob", "pauseJob", "resumeJob")
    ]


def token_of(confirm_page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', confirm_page)
    assert found, confirm_page
    return found.group(1)


def test_anonymous_requests_are_refused(
    airflow_server: AirflowApiServer, seeded: Seeded, ui_simulator: IpsSimulator
) -> None:
    before = actions_seen(ui_simulator)
    with airflow_server.client() as anonymous:
        for path in pages(seeded):
            reply = anonymous.get(path)
            assert reply.status_code == 401, (path, reply.text)
        stop = anonymous.post(job_url(seeded.running) + "/stop", data={"token": "x"})
        assert stop.status_code == 401
        page = anonymous.get(f"/ips/connections/{CONN_ID}", headers=HTML)
    assert page.status_code == 401
    assert "Log in to Airflow" in page.text and "/auth/login" in page.text
    assert actions_seen(ui_simulator) == before


def test_pages_may_be_framed_by_airflow_only(airflow_server: AirflowApiServer) -> None:
    with airflow_server.client("admin") as admin:
        headers = admin.get("/ips/").headers
    assert headers["content-security-policy"] == "frame-ancestors 'self'"
    assert headers["x-frame-options"] == "SAMEORIGIN"


def test_a_bad_token_is_refused(airflow_server: AirflowApiServer, seeded: Seeded) -> None:
    with airflow_server.client(Authorization="Bearer not-a-jwt") as forged:
        assert forged.get(f"/ips/connections/{CONN_ID}").status_code in (401, 403)
    with airflow_server.client(Cookie="_token=not-a-jwt") as forged:
        assert forged.get(f"/ips/connections/{CONN_ID}").status_code in (401, 403)


def test_a_user_without_the_connection_permission_is_refused(
    airflow_server: AirflowApiServer, seeded: Seeded, ui_simulator: IpsSimulator
) -> None:
    before = actions_seen(ui_simulator)
    with airflow_server.client("viewer") as viewer:
        for path in pages(seeded):
            reply = viewer.get(path)
            assert reply.status_code == 403, (path, reply.text)
        assert viewer.post(job_url(seeded.running) + "/stop").status_code == 403
    assert actions_seen(ui_simulator) == before


def test_a_reader_sees_jobs_but_no_buttons_and_cannot_act(
    airflow_server: AirflowApiServer, seeded: Seeded, ui_simulator: IpsSimulator
) -> None:
    before = actions_seen(ui_simulator)
    with airflow_server.client("reader") as reader:
        overview = reader.get(f"/ips/connections/{CONN_ID}")
        assert overview.status_code == 200
        assert seeded.running in overview.text and "read only" in overview.text
        assert "data-action" not in overview.text
        assert "data-action" not in reader.get(job_url(seeded.running)).text
        assert reader.get(job_url(seeded.running) + "/stop").status_code == 403
        stop = reader.post(job_url(seeded.running) + "/stop", data={"token": "x"})
        assert stop.status_code == 403
    assert actions_seen(ui_simulator) == before


def test_an_editor_acts_only_with_the_confirmations_token(
    airflow_server: AirflowApiServer, seeded: Seeded, ui_simulator: IpsSimulator
) -> None:
    one_shot = job_url(seeded.one_shot)
    before = actions_seen(ui_simulator)
    with airflow_server.client("op") as op:
        assert f'data-action="pause" href="{one_shot}/pause"' in op.get(one_shot).text
        confirm = op.get(one_shot + "/pause")
        assert confirm.status_code == 200 and "Pause job" in confirm.text
        assert actions_seen(ui_simulator) == before  # asking is not doing
        token = token_of(confirm.text)
        other_job = token_of(op.get(job_url(seeded.recurring) + "/pause").text)
        other_action = token_of(op.get(one_shot + "/stop").text)
        with airflow_server.client("admin") as admin:
            other_user = token_of(admin.get(one_shot + "/pause").text)
        for wrong in ("", "forged", other_job, other_action, other_user):
            refused = op.post(one_shot + "/pause", data={"token": wrong})
            assert refused.status_code == 403, wrong
        assert actions_seen(ui_simulator) == before

        done = op.post(one_shot + "/pause", data={"token": token})
        assert done.status_code == 303
        assert done.headers["location"] == one_shot + "?done=pause"
        assert actions_seen(ui_simulator) == [*before, ("pauseJob", seeded.one_shot)]
        after = op.get(done.headers["location"], headers=HTML).text
    assert "IPS took the pause request" in after and 'badge trigger paused">paused' in after


def test_no_page_shows_the_password(airflow_server: AirflowApiServer, seeded: Seeded) -> None:
    with airflow_server.client("admin", **HTML) as admin:
        for path in [*pages(seeded), "/ips/connections/no_such_conn", job_url("c1001|nope|1")]:
            reply = admin.get(path, follow_redirects=True)
            assert PASSWORD not in reply.text, path
            assert reply.status_code in (200, 404), (path, reply.status_code)


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/ips/connections/no_such_conn", 404, "No connection 'no_such_conn'"),
        (job_url("c1001|no-such-job|1"), 404, "no-such-job"),
        (f"/ips/connections/{CONN_ID}/jobs?name=nothing-by-that-name", 404, "no job named"),
        (f"/ips/connections/{CONN_ID}/jobs/h/explode", 404, "No job action 'explode'"),
        (f"/ips/connections/{CONN_ID}?logs=0", 422, "logs"),
    ],
)
def test_problems_are_pages_that_say_what_is_wrong(
    airflow_server: AirflowApiServer, seeded: Seeded, path: str, status: int, message: str
) -> None:
    with airflow_server.client("admin", **HTML) as admin:
        reply = admin.get(path)
    assert reply.status_code == status, reply.text
    assert message in html.unescape(reply.text)
