"""The IPS jobs page in headless Chromium, as people use it: log in to Airflow, open the
page from the menu, read the jobs, open a job's log, pause and stop jobs with confirmation,
follow a task's "IPS job" link. Screenshots go to build/screenshots/ (see docs/ui.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright import sync_api as playwright

from airflow_provider_ips.simulator import IpsSimulator
from tests.ui.airflow_server import USERS, AirflowApiServer
from tests.ui.conftest import CONN_ID, PASSWORD, SCREENSHOTS
from tests.ui.seed import NIGHTLY, ONE_SHOT, PROBLEMS, RECURRING, RUNNING, Seeded

#: Chromium on a machine without network: no background connections, no first-run work.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[object]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        # Playwright gives the browser a new empty profile (user data dir) of its own
        launched = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def log_in(browser: object, server: AirflowApiServer, user: str) -> object:
    """A browser page of a fresh session, logged in to Airflow through its login form."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(server.url + "/auth/login")
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password").fill(USERS[user][1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/auth/" not in url)
    return page


def shot(page: object, name: str) -> Path:
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def row(page: object, table: str, text: str) -> object:
    return page.locator(f"table#{table} tbody tr", has_text=text)  # type: ignore[attr-defined]


def test_an_operator_reads_and_acts_on_jobs_in_the_browser(
    browser: object,
    airflow_server: AirflowApiServer,
    seeded: Seeded,
    ui_simulator: IpsSimulator,
) -> None:
    page = log_in(browser, airflow_server, "op")

    # the Browse menu leads to the page, shown inside Airflow's UI
    page.get_by_role("button", name="Browse").click()
    page.get_by_role("menuitem", name="IPS jobs").click()
    frame = page.frame_locator("iframe")
    frame.get_by_role("link", name=CONN_ID).click()
    expect = playwright.expect
    expect(frame.locator("table#active-jobs")).to_contain_text(RUNNING)
    shot(page, "01-ips-jobs-in-airflow")

    # the connection's overview, on its own
    page.goto(f"{airflow_server.url}/ips/connections/{CONN_ID}")
    expect(row(page, "active-jobs", RUNNING)).to_contain_text("Running")
    expect(row(page, "active-jobs", RUNNING).locator("progress")).to_have_count(1)
    expect(row(page, "scheduled-jobs", RECURRING)).to_contain_text(NIGHTLY)
    expect(row(page, "scheduled-jobs", RECURRING)).to_contain_text("At 02:00")  # in words
    expect(row(page, "scheduled-jobs", RECURRING)).to_contain_text("Normal")
    expect(row(page, "scheduled-jobs", ONE_SHOT)).to_contain_text("once")
    problems = row(page, "job-logs", PROBLEMS)
    expect(problems.locator("td.num")).to_have_text(["72", "60", "7", "5", "0"])
    assert PASSWORD not in page.content()
    shot(page, "02-connection-overview")

    # one job's log: errors first, then warnings, paged
    problems.get_by_role("link", name=PROBLEMS).click()
    expect(page.locator("h1")).to_have_text(f"Job {PROBLEMS}")
    rows = page.locator("table#log-details tbody tr")
    expect(rows).to_have_count(50)
    expect(rows.nth(0)).to_have_attribute("data-part", "errors")
    expect(rows.nth(0).locator("td.type")).to_have_text("UploadError")
    expect(rows.nth(7)).to_have_attribute("data-part", "warnings")
    expect(rows.nth(12)).to_have_attribute("data-part", "all")
    shot(page, "03-job-log-errors-first")
    page.get_by_role("link", name="Next →").first.click()
    expect(page.locator(".pager").first).to_contain_text("Page 2 of 2")
    expect(rows).to_have_count(7 + 5 + 75 - 50)

    # pause the recurring job: asked to confirm, cancelling does nothing, confirming does it
    page.goto(f"{airflow_server.url}/ips/connections/{CONN_ID}")
    row(page, "scheduled-jobs", RECURRING).get_by_role("link", name="Pause").click()
    expect(page.locator("h1")).to_have_text(f"Pause job {seeded.recurring}?")
    shot(page, "04-confirm-pause")
    page.get_by_role("link", name="Cancel").click()
    assert not ui_simulator.calls("pauseJob") or all(
        c.job_handle != seeded.recurring for c in ui_simulator.calls("pauseJob")
    )
    page.goto(f"{airflow_server.url}/ips/connections/{CONN_ID}")
    row(page, "scheduled-jobs", RECURRING).get_by_role("link", name="Pause").click()
    page.get_by_role("button", name="Pause the job").click()
    expect(page.locator("#done")).to_contain_text("IPS took the pause request")
    expect(page.locator("#job-facts")).to_contain_text("paused")
    assert seeded.recurring in [c.job_handle for c in ui_simulator.calls("pauseJob")]
    shot(page, "05-paused")

    # stop the running job
    page.goto(f"{airflow_server.url}/ips/connections/{CONN_ID}")
    row(page, "active-jobs", RUNNING).get_by_role("link", name="Stop").click()
    page.get_by_role("button", name="Stop the job").click()
    expect(page.locator("#done")).to_contain_text("IPS took the stop request")
    assert [c.job_handle for c in ui_simulator.calls("stopJob")] == [seeded.running]
    shot(page, "06-stopped")
    page.context.close()


def test_a_tasks_ips_job_link_opens_its_job(
    browser: object, airflow_server: AirflowApiServer, link_run: str, ui_simulator: IpsSimulator
) -> None:
    submitted = [c.job_handle for c in ui_simulator.calls("submitJob") if c.job_name and
                 c.job_name.startswith("ips_ui_link.optimize.")]  # fmt: skip
    (handle,) = submitted
    page = log_in(browser, airflow_server, "op")
    for task_id in ("optimize", "watch"):
        task = f"/dags/ips_ui_link/runs/{quote(link_run)}/tasks/{task_id}"
        page.goto(f"{airflow_server.url}{task}/details")  # the task's Details tab
        link = page.get_by_role("link", name="IPS job")
        playwright.expect(link).to_have_attribute(
            "href", f"/ips/connections/{CONN_ID}/jobs/{quote(handle, safe='')}"
        )
        shot(page, f"07-extra-link-{task_id}")
    link.click()
    playwright.expect(page.locator("#job-facts")).to_contain_text(handle)
    shot(page, "08-job-from-link")
    page.context.close()


def test_read_only_and_refused_users_in_the_browser(
    browser: object, airflow_server: AirflowApiServer, seeded: Seeded
) -> None:
    reader = log_in(browser, airflow_server, "reader")
    reader.goto(f"{airflow_server.url}/ips/connections/{CONN_ID}")
    playwright.expect(reader.locator("table#scheduled-jobs")).to_contain_text(RECURRING)
    playwright.expect(reader.locator("[data-action]")).to_have_count(0)
    playwright.expect(reader.locator("header .who")).to_contain_text("read only")
    shot(reader, "09-reader-no-buttons")
    reader.context.close()

    viewer = log_in(browser, airflow_server, "viewer")
    reply = viewer.goto(f"{airflow_server.url}/ips/connections/{CONN_ID}")
    assert reply is not None and reply.status == 403
    playwright.expect(viewer.locator("#error")).to_contain_text("You may not read")
    shot(viewer, "10-viewer-refused")
    viewer.context.close()
