"""Calls per second the simulator answers on loopback, and the client's share of the time.

    .venv/bin/python benchmarks/simulator_throughput.py [--calls 600] [--repeats 5]

Prints medians over repeats: raw HTTP (a prepared envelope posted with httpx, so the
simulator alone), the full client (zeep envelope + httpx + zeep parsing + models), and the
ratio between them. Benchmarks, not tests: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import time

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=600)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
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

                raw_call(), full_call()  # warm up
                raw_rates = [rate(raw_call, args.calls) for _ in range(args.repeats)]
                full_rates = [rate(full_call, args.calls) for _ in range(args.repeats)]
    raw_med, full_med = statistics.median(raw_rates), statistics.median(full_rates)
    print(f"{'':28}{'median calls/s':>16}{'per call':>12}")
    print(f"{'simulator (raw HTTP)':28}{raw_med:>16.0f}{1000 / raw_med:>10.2f}ms")
    print(f"{'client + simulator':28}{full_med:>16.0f}{1000 / full_med:>10.2f}ms")
    print(f"client share of a call: {1 - full_med / raw_med:.0%} (ratio {raw_med / full_med:.2f}x)")


if __name__ == "__main__":
    main()
