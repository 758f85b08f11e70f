"""IpsHook calls against the same call made raw: httpx posts the client's own request body
and lxml reads the reply into plain dicts. Both run side by side in one process.

* a 1,000-job ``getActiveJobs`` reply (~1.5 MB, every job with its upload spec);
* a small call: ``getActiveJobs`` of a company with no jobs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchmarks._common import Figure, at_most, busy_simulator, side_by_side

LARGE_JOBS = 1000
LARGE_TARGET = 2.0
SMALL_TARGET = 1.5


def _to_plain(element: Any) -> Any:
    """An element as dicts, lists (``items``) and strings."""
    children = list(element)
    if not children:
        return element.text
    if all(child.tag.endswith("}items") for child in children):
        return [_to_plain(child) for child in children]
    return {child.tag.rpartition("}")[2]: _to_plain(child) for child in children}


class RawCall:
    """The hook's ``getActiveJobs`` made by hand: the request body the client sends, posted
    with httpx; the reply read with lxml into dicts. ``reply_bytes``: the last reply's size."""

    def __init__(self, hook: Any) -> None:
        import httpx

        from airflow_provider_ips.models.operations import GET_ACTIVE_JOBS, GetActiveJobsParam

        param = GetActiveJobsParam(company_handle=hook.company_handle)
        self.prepared = hook.client.codec.prepare(GET_ACTIVE_JOBS, param)
        self.http = httpx.Client()
        self.reply_bytes = 0

    def __call__(self) -> list[Any]:
        from lxml import etree

        p = self.prepared
        reply = self.http.post(p.url, content=p.body, headers=p.headers, auth=p.auth)
        reply.raise_for_status()
        self.reply_bytes = len(reply.content)
        array = next(etree.fromstring(reply.content).iter("{*}jobArray"), None)
        return [] if array is None else [_to_plain(item) for item in array]

    def close(self) -> None:
        self.http.close()


def compare(repeats: int, calls: int) -> tuple[dict[str, float], int, int]:
    """Median seconds per call of the hook and the raw call; the jobs; the reply's bytes."""
    from airflow_provider_ips.hooks.ips import IpsHook

    hook = IpsHook(retry_attempts=1)
    raw = RawCall(hook)
    try:
        jobs = len(hook.get_active_jobs())
        assert jobs == len(raw()), "the hook and the raw call read the same jobs"
        fns: dict[str, Callable[[], object]] = {"hook": hook.get_active_jobs, "raw": raw}
        return side_by_side(fns, repeats, calls), jobs, raw.reply_bytes
    finally:
        raw.close()
        hook.close()


def run(quick: bool) -> list[Figure]:
    group = "Hook calls vs raw httpx + lxml"
    with busy_simulator(LARGE_JOBS):
        large, jobs, size = compare(repeats=3 if quick else 7, calls=1)
    with busy_simulator(0):
        small, _, _ = compare(repeats=3 if quick else 7, calls=100 if quick else 300)
    large_ratio = large["hook"] / large["raw"]
    small_ratio = small["hook"] / small["raw"]
    return [
        Figure(
            group,
            f"get_active_jobs(), {jobs:,} jobs ({size / 1e6:.2f} MB reply): hook / raw",
            large_ratio,
            "x",
            f"<= {LARGE_TARGET:g}x",
            at_most(large_ratio, LARGE_TARGET),
            f"hook {large['hook'] * 1e3:.0f} ms, raw {large['raw'] * 1e3:.0f} ms (medians)",
        ),
        Figure(
            group,
            "one small call (getActiveJobs, no jobs): hook / raw",
            small_ratio,
            "x",
            f"<= {SMALL_TARGET:g}x",
            at_most(small_ratio, SMALL_TARGET),
            f"hook {small['hook'] * 1e3:.2f} ms, raw {small['raw'] * 1e3:.2f} ms (medians)",
        ),
    ]
