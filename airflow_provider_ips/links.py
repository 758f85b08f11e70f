"""The "IPS job" extra link: from an IPS task to its job's page in the Airflow UI.

Airflow 3 computes a task's extra links on the worker when a try ends (success, failure,
deferral or reschedule) and stores them as XComs that the UI reads. The job is found from
the sensor's ``job_handle`` argument; else, for the sensor, from the job it is watching
between reschedule pokes (its task state); else, for the operators, from the handle they
push once the job is submitted (XCom ``ips_job_handle``). Without a handle the link opens
the job by name (the page looks it up); a task that has neither has no link.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseOperatorLink

#: XCom key of the job handle (the operators' ``JOB_HANDLE_XCOM_KEY``; not imported: the
#: operators import this module).
_HANDLE_KEY = "ips_job_handle"
#: Task state key of the sensor's watch (``sensors.jobs.WATCH_STATE_KEY``), same reason.
_WATCH_KEY = "ips_job_watch"


def _xcom(ti_key: Any, key: str) -> Any:
    from airflow.sdk.execution_time.xcom import XCom

    try:
        return XCom.get_value(ti_key=ti_key, key=key)
    except Exception:
        return None  # no XCom backend reachable (the link is optional)


def _watched_handle(ti_key: Any) -> str | None:
    context = getattr(ti_key, "get_template_context", None)
    if context is None:
        return None
    try:
        state = context()["task_state_store"].get(_WATCH_KEY)
    except Exception:
        return None
    return state.get("job_handle") if isinstance(state, dict) else None


def job_handle_of(operator: Any, ti_key: Any) -> str | None:
    """The handle of the job an IPS task submitted or watches, if one is known."""
    from airflow_provider_ips.sensors.jobs import IpsJobSensor

    given = getattr(operator, "job_handle", None)
    if given:
        return str(given)
    if isinstance(operator, IpsJobSensor):
        return _watched_handle(ti_key)  # the sensor pushes no handle: no XCom to miss
    return str(_xcom(ti_key, _HANDLE_KEY) or "") or None


def _base_url() -> str:
    from airflow.providers.common.compat.sdk import conf

    return str(conf.get("api", "base_url", fallback="") or "").rstrip("/")


class IpsJobLink(BaseOperatorLink):
    """Opens the task's IPS job on the plugin's "IPS jobs" page."""

    name = "IPS job"

    def get_link(self, operator: Any, *, ti_key: Any) -> str:
        from airflow_provider_ips.ui import job_path

        conn_id = getattr(operator, "ips_conn_id", None)
        if not conn_id:
            return ""
        handle = job_handle_of(operator, ti_key)
        name = getattr(operator, "job_name", None) or getattr(operator, "scheduled_job_name", None)
        if not handle and not name:
            return ""
        return _base_url() + job_path(str(conn_id), handle=handle, name=None if handle else name)
