"""How long the event loop was held: the longest single step (callback) it ran.

asyncio runs every callback and every step of every task as a ``Handle``; while one runs,
nothing else on the loop does. :func:`probing` times each ``Handle._run`` by the wall clock
and by the loop thread's own CPU time, like asyncio's debug-mode ``slow_callback_duration``
warning but without debug mode's overhead.

* ``worst_wall``: what other triggers felt; on a busy machine it includes time the process
  was not scheduled at all, so the benchmark reports it but tests do not assert on it.
* ``worst_cpu``: the CPU the loop thread spent in one step.
* ``worst_code``: the same without the interpreter's garbage collections that happened to
  run inside the step. A full collection walks every object of the process (Airflow's
  own included) and lands in whatever step allocates at that moment; it is reported apart
  (``worst_gc``, over all threads) rather than charged to that step's code.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class LoopStallProbe:
    worst_wall: float = 0.0
    worst_cpu: float = 0.0
    worst_code: float = 0.0
    worst_gc: float = 0.0
    worst_wall_step: str = ""
    worst_code_step: str = ""
    steps: int = 0
    full_collections: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@contextmanager
def probing() -> Iterator[LoopStallProbe]:
    """Time every step of the event loops of this thread while the block runs."""
    probe = LoopStallProbe()
    loop_thread = threading.get_ident()
    original = asyncio.events.Handle._run
    gc_in_loop = [0.0]  # CPU seconds of collections run by the loop thread so far
    gc_started: dict[int, float] = {}

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        thread = threading.get_ident()
        if phase == "start":
            gc_started[thread] = time.thread_time()
            return
        took = time.thread_time() - gc_started.pop(thread, time.thread_time())
        probe.worst_gc = max(probe.worst_gc, took)
        probe.full_collections += info.get("generation") == 2
        if thread == loop_thread:
            gc_in_loop[0] += took

    def timed_run(handle: asyncio.Handle) -> None:
        wall, cpu, collected = time.perf_counter(), time.thread_time(), gc_in_loop[0]
        try:
            original(handle)
        finally:
            wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
            code = cpu - (gc_in_loop[0] - collected)
            probe.steps += 1
            if wall > probe.worst_wall:
                probe.worst_wall, probe.worst_wall_step = wall, _describe(handle)
            probe.worst_cpu = max(probe.worst_cpu, cpu)
            if code > probe.worst_code:
                probe.worst_code, probe.worst_code_step = code, _describe(handle)

    asyncio.events.Handle._run = timed_run  # type: ignore[method-assign]
    gc.callbacks.append(on_gc)
    try:
        yield probe
    finally:
        gc.callbacks.remove(on_gc)
        asyncio.events.Handle._run = original  # type: ignore[method-assign]


def _describe(handle: asyncio.Handle) -> str:
    callback = getattr(handle, "_callback", None)
    task = getattr(callback, "__self__", None)
    if isinstance(task, asyncio.Task):
        return f"task {task.get_name()}: {task.get_coro()!r}"[:200]
    return repr(handle)[:200]
