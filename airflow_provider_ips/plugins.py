"""The ``ips`` Airflow plugin: registers :class:`IpsScheduleTimetable` with Airflow.

Airflow stores a DAG's timetable serialised (class path plus :meth:`serialize` data) and
the scheduler, API server and DAG processor rebuild it only from timetable classes that a
plugin lists. The package exposes this plugin through the ``airflow.plugins`` entry point
(and as ``plugins`` in its provider info), so installing it is enough.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from airflow_provider_ips.timetables import IpsScheduleTimetable


class IpsProviderPlugin(AirflowPlugin):
    """Adobe Dynamic Media Classic (IPS) provider plugin."""

    name = "ips"
    timetables = [IpsScheduleTimetable]
