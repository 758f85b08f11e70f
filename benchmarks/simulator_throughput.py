"""Calls per second the simulator answers on loopback, and the client's share of the time.

    .venv/bin/python benchmarks/simulator_throughput.py [--calls 600] [--repeats 5]

Prints medians over repeats: raw HTTP (a prepared envelope posted with httpx, so the
simulator alone), the full client (zeep envelope + httpx + zeep parsing + models), and the
ratio between them. Benchmarks, not tests: numbers depend on the machine.
``python -m benchmarks`` runs it with the others.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import httpx

from airflow_provider_ips.models.operations import GET_ACTIVE_JOBS, GetActiveJobsParam
from airflow_provider_ips.simulator import (
    DEFAULT_COMPANY_HANDLE,
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    IpsSimulator,
)
from airflow_provider_ips.soap import ClientOptions, Credentials, IpsSoapClient


def rate(fn: object, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()  # type: ignore[operator]
    return calls / (time.perf_counter() - start)


def measure(calls: int, repeats: int) -> tuple[float, float]:
    """Median calls/s of the raw HTTP call and of the full client, side by side."""
    param = GetActiveJobsParam(company_handle=DEFAULT_COMPANY_HANDLE)
    with IpsSimulator() as sim:
        options = ClientOptions(base_url=sim.url)
        with IpsSoapClient(options, Credentials(DEFAULT_USER, DEFAULT_PASSWORD)) as client:
            prepared = client.codec.prepare(GET_ACTIVE_JOBS, param)
            with httpx.Client() as raw:

                def raw_call() -> None:
                    raw.post(prepared.url, content=prepared.body, headers=prepared.headers)

                def full_call() -> None:
                    client.call(GET_ACTIVE_JOBS, param)

                raw_call()  # warm up
                full_call()
                raw_rates, full_rates = [], []
                for _ in range(repeats):  # interleaved: both see the same conditions
                    raw_rates.append(rate(raw_call, calls))
                    full_rates.append(rate(full_call, calls))
    return statistics.median(raw_rates), statistics.median(full_rates)


def run(quick: bool) -> list[Any]:
    """The figures of ``python -m benchmarks``."""
    from benchmarks._common import Figure

    raw_med, full_med = measure(calls=200 if quick else 600, repeats=3 if quick else 5)
    group = "Simulator throughput (getActiveJobs, no jobs)"
    return [
        Figure(group, "simulator alone (raw HTTP)", raw_med, "calls/s",
               detail=f"{1000 / raw_med:.2f} ms per call"),
        Figure(group, "client + simulator", full_med, "calls/s",
               detail=f"{1000 / full_med:.2f} ms per call; client share of a call "
               f"{1 - full_med / raw_med:.0%}"),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=600)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    raw_med, full_med = measure(args.calls, args.repeats)
    print(f"{'':28}{'median calls/s':>16}{'per call':>12}")
    print(f"{'simulator (raw HTTP)':28}{raw_med:>16.0f}{1000 / raw_med:>10.2f}ms")
    print(f"{'client + simulator':28}{full_med:>16.0f}{1000 / full_med:>10.2f}ms")
    print(f"client share of a call: {1 - full_med / raw_med:.0%} (ratio {raw_med / full_med:.2f}x)")


if __name__ == "__main__":
    main()
