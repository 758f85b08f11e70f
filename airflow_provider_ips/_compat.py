"""What differs between the Airflow 3 releases the provider supports (3.0 to 3.3).

Import paths that moved between releases come from ``apache-airflow-providers-common-compat``
(``airflow.providers.common.compat.sdk``) where it has them; this module holds the rest, so
each difference is decided in one place. docs/airflow-versions.md says what each release
gets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from airflow.providers.common.compat.version_compat import (
    AIRFLOW_V_3_2_PLUS,
    AIRFLOW_V_3_3_PLUS,
)
from dateutil.relativedelta import relativedelta

__all__ = [
    "CONN_FIELDS_READ",
    "TRIGGER_ON_KILL",
    "dag_bag",
    "decode_interval",
    "encode_interval",
]

#: Airflow calls a trigger's ``on_kill`` when a user kills its deferred task (from 3.3).
TRIGGER_ON_KILL: bool = AIRFLOW_V_3_3_PLUS
#: The connection form is built from the provider info's ``conn-fields`` (from 3.2); before,
#: from the hook's ``get_connection_form_widgets``.
CONN_FIELDS_READ: bool = AIRFLOW_V_3_2_PLUS


def encode_interval(interval: dt.timedelta | relativedelta) -> float | dict[str, Any]:
    """A timetable interval as Airflow serialises it (the same form in every release)."""
    if AIRFLOW_V_3_2_PLUS:
        from airflow.serialization.encoders import encode_interval as encode
    else:  # 3.0 and 3.1 keep it beside CronTriggerTimetable
        from airflow.timetables.trigger import _serialize_interval as encode  # type: ignore[attr-defined,no-redef]
    return encode(interval)


def decode_interval(value: float | dict[str, Any]) -> dt.timedelta | relativedelta:
    """The inverse of :func:`encode_interval`."""
    if AIRFLOW_V_3_2_PLUS:
        from airflow.serialization.decoders import decode_interval as decode
    else:
        from airflow.timetables.trigger import _deserialize_interval as decode  # type: ignore[attr-defined,no-redef]
    return decode(value)  # type: ignore[arg-type]


def dag_bag(dag_folder: str) -> Any:
    """A ``DagBag`` of ``dag_folder`` (the class moved to ``airflow.dag_processing`` in 3.2)."""
    try:
        from airflow.dag_processing.dagbag import DagBag
    except ImportError:
        from airflow.models.dagbag import DagBag  # type: ignore[no-redef]
    return DagBag(dag_folder=dag_folder)
