"""What a fresh process pays: importing the operators (DAG parse) and building a client.

Every sample is a fresh interpreter (bytecode already cached: each measured import runs
once, untimed, first).
"""

from __future__ import annotations

import statistics

from benchmarks._common import Figure, at_most, run_child

IMPORT_TARGET_MS = 30.0

_IMPORT = """
import json, sys, time
t0 = time.perf_counter()
import airflow.sdk
t1 = time.perf_counter()
import airflow_provider_ips.operators.jobs
t2 = time.perf_counter()
print(json.dumps({"sdk": t1 - t0, "ours": t2 - t1,
                  "zeep": "zeep" in sys.modules, "lxml": "lxml" in sys.modules}))
"""

_CLIENT = """
import json, statistics, time
from airflow_provider_ips.soap import ClientOptions, Credentials, IpsSoapClient
options, credentials = ClientOptions(base_url="http://127.0.0.1:9"), Credentials("u", "p")
def build():
    start = time.perf_counter()
    IpsSoapClient(options, credentials).close()
    return time.perf_counter() - start
first = build()
later = statistics.median(build() for _ in range(20))
print(json.dumps({"first": first, "later": later}))
"""


def run(quick: bool) -> list[Figure]:
    runs = 5 if quick else 9
    run_child(["-c", _IMPORT])  # warm the bytecode cache
    imports = [run_child(["-c", _IMPORT]) for _ in range(runs)]
    ours = statistics.median(r["ours"] for r in imports) * 1e3
    sdk = statistics.median(r["sdk"] for r in imports) * 1e3
    heavy = [name for name in ("zeep", "lxml") if any(r[name] for r in imports)]
    clients = [run_child(["-c", _CLIENT]) for _ in range(3 if quick else 5)]
    first = statistics.median(r["first"] for r in clients) * 1e3
    later = statistics.median(r["later"] for r in clients) * 1e3
    return [
        Figure(
            "Startup",
            "import airflow_provider_ips.operators.jobs after airflow.sdk (DAG parse)",
            ours,
            "ms",
            f"<= {IMPORT_TARGET_MS:g} ms",
            at_most(ours, IMPORT_TARGET_MS),
            f"median of {runs} fresh processes; airflow.sdk itself {sdk:.0f} ms; "
            + (f"imported {' and '.join(heavy)}" if heavy else "zeep and lxml not imported"),
        ),
        Figure(
            "Startup",
            "IpsSoapClient construction, first in a process (WSDL parse included)",
            first,
            "ms",
            detail=f"median of {len(clients)} fresh processes",
        ),
        Figure(
            "Startup",
            "IpsSoapClient construction, later in the same process",
            later,
            "ms",
            detail="median of 20 per process, median over processes",
        ),
    ]
