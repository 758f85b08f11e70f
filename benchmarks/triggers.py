"""Deferred waits: many IpsJobTrigger on one company, and the first trigger of a process.

Each measurement runs in a fresh process (``python -m benchmarks.triggers ...``), the
triggers driven with asyncio as the triggerer drives them; the simulator runs in the
parent, so the child's CPU time is the triggers' alone. Jobs keep running throughout.

* ``waits N``: N triggers with a short poll interval; over a window of several intervals
  (after two polls), getActiveJobs calls per interval, CPU seconds, and resident memory
  grown since before the triggers were made.
* ``stall``: the longest event-loop stall while the process's first trigger starts and
  makes its first poll, seen by a probe task that wakes every 5 ms.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import statistics
import sys
import time
from typing import Any

from benchmarks._common import Figure, at_most, busy_simulator, prepare_environment, run_child

#: The interval the targets are stated for; the benchmark polls faster and scales.
TARGET_INTERVAL = 5.0
INTERVAL = 1.0
CPU_TARGET = 0.10
RSS_TARGET_KIB = 20.0
PROBE_EVERY = 0.005


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _consume(trigger: Any) -> None:
    async for _event in trigger.run():
        pass


async def _waits(count: int, interval: float, window: int) -> dict[str, Any]:
    from airflow_provider_ips.hooks.ips import IpsAsyncHook
    from airflow_provider_ips.triggers import IpsJobTrigger
    from airflow_provider_ips.triggers.poller import active_pollers

    hook = IpsAsyncHook()  # warm up: WSDL, connection; and learn the jobs' handles
    handles = [job.job_handle for job in await hook.get_active_jobs() if job.job_handle][:count]
    company = await hook.acompany_handle()
    await hook.aclose()
    assert len(handles) == count, f"{len(handles)} jobs running, {count} wanted"
    del hook
    gc.collect()
    rss_before = rss_bytes()

    triggers = [
        IpsJobTrigger(job_handle=h, poll_interval=interval, company_handle=company) for h in handles
    ]
    tasks = [asyncio.create_task(_consume(t)) for t in triggers]
    while not active_pollers() or active_pollers()[0].polls < 2:
        await asyncio.sleep(0.05)
    [poller] = active_pollers()
    joined = len(poller._waiters)

    polls, cpu, started = poller.polls, cpu_seconds(), time.perf_counter()
    wall_cpu, rss_peak = time.process_time(), rss_bytes()
    deadline = started + window * interval
    while time.perf_counter() < deadline:
        await asyncio.sleep(min(0.1, interval / 4))
        rss_peak = max(rss_peak, rss_bytes())
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    wall_cpu = time.process_time() - wall_cpu
    polls = poller.polls - polls
    rss_after = rss_bytes()
    unfinished = sum(not t.done() for t in tasks)
    return {
        "waits": count,
        "joined": joined,
        "still_waiting": unfinished,
        "interval": interval,
        "elapsed": elapsed,
        "polls": polls,
        "cpu": cpu,
        "process_time": wall_cpu,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "rss_peak": rss_peak,
    }


async def _stall() -> dict[str, Any]:
    # imported before the clock starts, as the triggerer has them before it runs a trigger
    from airflow_provider_ips.triggers import IpsJobTrigger
    from airflow_provider_ips.triggers.poller import active_pollers

    loop = asyncio.get_running_loop()
    lateness: list[tuple[float, float]] = []

    async def probe() -> None:
        while True:
            before = loop.time()
            await asyncio.sleep(PROBE_EVERY)
            lateness.append((before, loop.time() - before - PROBE_EVERY))

    probing = asyncio.create_task(probe())
    await asyncio.sleep(0.3)
    quiet = max(late for _, late in lateness)
    handle = os.environ["BENCH_JOB_HANDLE"]
    start = loop.time()
    task = asyncio.create_task(_consume(IpsJobTrigger(job_handle=handle, poll_interval=60)))
    while not active_pollers() or not active_pollers()[0].polls:
        await asyncio.sleep(0.01)
    first_poll = loop.time() - start
    await asyncio.sleep(0.1)
    probing.cancel()
    task.cancel()
    worst = max(late for at, late in lateness if at >= start - PROBE_EVERY)
    return {"stall": worst, "quiet": quiet, "first_poll": first_poll}


def child(argv: list[str]) -> None:
    prepare_environment()
    if argv[0] == "waits":
        result = asyncio.run(_waits(int(argv[1]), float(argv[2]), int(argv[3])))
    else:
        result = asyncio.run(_stall())
    print(json.dumps(result), flush=True)
    os._exit(0)  # the waits are left running: no cleanup to time or wait for


# -- the parent side ---------------------------------------------------------------------------


def measure_waits(count: int, window: int) -> dict[str, Any]:
    with busy_simulator(count, frozen=False) as sim:
        sim.clear_calls()
        result = run_child(
            ["-m", "benchmarks.triggers", "waits", str(count), str(INTERVAL), str(window)],
            timeout=600,
        )
        result["server_calls"] = len(sim.calls("getActiveJobs"))
        result["log_calls"] = len(sim.calls("getJobLogDetails"))
    return result


def measure_stall(runs: int) -> list[dict[str, Any]]:
    results = []
    with busy_simulator(1, frozen=False) as sim:
        handle = sim.engine.get_active_jobs()[0].job_handle
        for _ in range(runs):
            env = {"BENCH_JOB_HANDLE": handle}
            results.append(run_child(["-m", "benchmarks.triggers", "stall"], env=env))
    return results


def run(quick: bool) -> list[Figure]:
    group = f"Deferred waits (one company; polled every {INTERVAL:g} s"
    group += f", CPU scaled to {TARGET_INTERVAL:g} s)"
    figures = []
    window = 4 if quick else 6
    counts = [100, 1000] if quick else [100, 1000, 5000]
    for count in counts:
        r = measure_waits(count, window)
        intervals = r["elapsed"] / r["interval"]
        per_interval = r["polls"] / intervals
        cpu_per_poll = r["cpu"] / max(r["polls"], 1)
        # at the target interval a poll costs the same: CPU per interval / interval
        fraction = cpu_per_poll / TARGET_INTERVAL
        base = f"{count:,} waits"
        note = (
            f"{r['polls']} polls in {r['elapsed']:.1f} s; "
            f"{cpu_per_poll * 1e3:.0f} ms CPU per poll; "
            f"{r['cpu'] / r['elapsed']:.0%} of a core at {INTERVAL:g} s; "
            f"server saw {r['server_calls']} getActiveJobs (1 warm-up) and "
            f"{r['log_calls']} getJobLogDetails; {r['still_waiting']:,}/{count:,} still waiting"
        )
        if count == 1000:
            figures.append(
                Figure(group, f"{base}: getActiveJobs calls per interval", per_interval,
                       "calls", "1 per interval", abs(per_interval - 1) <= 0.25, note)
            )  # fmt: skip
        figures.append(
            Figure(group, f"{base}: CPU per {TARGET_INTERVAL:g} s interval", fraction * 100,
                   "% of a core", f"<= {CPU_TARGET:.0%}", at_most(fraction, CPU_TARGET), note)
        )  # fmt: skip
        if count >= 1000:
            kib = (r["rss_after"] - r["rss_before"]) / count / 1024
            figures.append(
                Figure(group, f"{base}: resident memory per waiting trigger", kib, "KiB",
                       f"<= {RSS_TARGET_KIB:g} KiB", at_most(kib, RSS_TARGET_KIB),
                       f"RSS {r['rss_before'] / 2**20:.0f} -> {r['rss_after'] / 2**20:.0f} MiB "
                       f"(peak {r['rss_peak'] / 2**20:.0f} MiB) from before the triggers to "
                       "the end of the window")
            )  # fmt: skip
    stalls = measure_stall(3)
    worst = statistics.median(s["stall"] for s in stalls)
    figures.append(
        Figure(
            "Startup",
            "longest event-loop stall while the first IpsJobTrigger starts",
            worst * 1e3,
            "ms",
            detail=(
                f"median of {len(stalls)} fresh processes (each: "
                + ", ".join(f"{s['stall'] * 1e3:.0f}" for s in stalls)
                + f" ms); a {PROBE_EVERY * 1e3:g} ms probe's lateness; before the trigger "
                f"{statistics.median(s['quiet'] for s in stalls) * 1e3:.1f} ms; first poll after "
                f"{statistics.median(s['first_poll'] for s in stalls) * 1e3:.0f} ms"
            ),
        )
    )
    return figures


if __name__ == "__main__":
    child(sys.argv[1:])
