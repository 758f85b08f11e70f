"""Test helpers shared by several test modules."""

from __future__ import annotations

import json
import threading
from typing import Any


class FakeClock:
    """A clock tests move by hand, so job timing needs no sleeping."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


def xcom(run: Any, task_id: str, map_index: int = -1) -> Any:
    """A task's return value in a finished ``dag.test()`` run (of one mapped task instance)."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        row = session.scalars(
            select(XComModel).where(
                XComModel.dag_id == run.dag_id,
                XComModel.run_id == run.run_id,
                XComModel.task_id == task_id,
                XComModel.map_index == map_index,
                XComModel.key == "return_value",
            )
        ).first()
        assert row is not None, f"no return value for {task_id}"
        value = row.value
    return json.loads(value) if isinstance(value, str) else value
