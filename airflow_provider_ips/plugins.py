"""The ``ips`` Airflow plugin: the IPS schedule timetable, the "IPS jobs" page, the job link.

- :class:`IpsScheduleTimetable`: Airflow stores a DAG's timetable serialised (class path
  plus :meth:`serialize` data) and the scheduler, API server and DAG processor rebuild it
  only from timetable classes that a plugin lists.
- The "IPS jobs" page (:mod:`airflow_provider_ips.ui`): a FastAPI app the API server mounts
  at ``/ips`` (``fastapi_apps``, Airflow 3.0+), with an entry in the UI's Browse menu
  (``external_views``, Airflow 3.1+; older versions ignore it and the page is reached at
  ``/ips/`` or through the task link).
- :class:`IpsJobLink`: listed so ``airflow plugins`` shows it. It applies to no operator
  class here: the operators carry it themselves, and the UI reads the link the worker stored
  (a plugin link bound to an operator would be computed in the API server instead).

The package exposes this plugin through the ``airflow.plugins`` entry point (and as
``plugins`` in its provider info), so installing it is enough.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from airflow_provider_ips.links import IpsJobLink
from airflow_provider_ips.timetables import IpsScheduleTimetable
from airflow_provider_ips.ui import URL_PREFIX, LazyApp


class IpsProviderPlugin(AirflowPlugin):
    """Adobe Dynamic Media Classic (IPS) provider plugin."""

    name = "ips"
    timetables = [IpsScheduleTimetable]
    fastapi_apps = [{"app": LazyApp(), "url_prefix": URL_PREFIX, "name": "IPS jobs"}]
    external_views = [
        {
            "name": "IPS jobs",
            "href": URL_PREFIX.lstrip("/") + "/",
            "destination": "nav",
            "category": "browse",
            "url_route": "ips-jobs",
        }
    ]
    operator_extra_links = [IpsJobLink()]
