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

#: The same DAG with five IPS operators or five EmptyOperators, literal arguments (which the
#: IPS operators validate while the file is parsed).
_DAG_FILE = """
import pendulum
from airflow.sdk import DAG
{imports}
with DAG("five", schedule=None, start_date=pendulum.datetime(2026, 1, 1, tz="UTC")):
    {tasks}
"""
_IPS_TASKS = {
    "imports": "from airflow_provider_ips.operators.jobs import (IpsUploadUrlsJobOperator, "
    "IpsImageServingPublishJobOperator, IpsReprocessAssetsJobOperator)",
    "tasks": "IpsUploadUrlsJobOperator(task_id='up1', url_array=['https://a.example/1.jpg'], "
    "overwrite=True) >> IpsUploadUrlsJobOperator(task_id='up2', url_array="
    "['https://a.example/2.jpg'], ready_for_publish=True) >> IpsReprocessAssetsJobOperator("
    "task_id='re', asset_handle_array=['a|1'], email_setting='Error') >> "
    "IpsImageServingPublishJobOperator(task_id='pub1', email_setting='None') >> "
    "IpsImageServingPublishJobOperator(task_id='pub2', publish_type='Full')",
}
_EMPTY_TASKS = {
    "imports": "from airflow.providers.standard.operators.empty import EmptyOperator",
    "tasks": " >> ".join(f"EmptyOperator(task_id='t{i}')" for i in range(5)),
}
_PARSE = """
import json, sys, time
import airflow.sdk
from airflow.sdk import DAG, BaseOperator  # what a DAG processor has loaded before a file
source = sys.stdin.read()
start = time.perf_counter()
exec(compile(source, "dag.py", "exec"), {"__name__": "dag"})
print(json.dumps({"parse": time.perf_counter() - start}))
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
    parse = _parse_times(runs)
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
            "parse a DAG file with five IPS operators (fresh process, literal arguments)",
            parse["ips"] * 1e3,
            "ms",
            detail=f"median of {runs} fresh processes, alternating; the same file with five "
            f"EmptyOperators: {parse['empty'] * 1e3:.0f} ms (IPS: "
            f"+{(parse['ips'] - parse['empty']) * 1e3:.0f} ms); operator imports and parse-time "
            "validation included",
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


def _parse_times(runs: int) -> dict[str, float]:
    files = {"ips": _DAG_FILE.format(**_IPS_TASKS), "empty": _DAG_FILE.format(**_EMPTY_TASKS)}
    samples: dict[str, list[float]] = {name: [] for name in files}
    for source in files.values():
        run_child(["-c", _PARSE], stdin=source)  # warm the bytecode cache
    for _ in range(runs):
        for name, source in files.items():
            samples[name].append(run_child(["-c", _PARSE], stdin=source)["parse"])
    return {name: statistics.median(values) for name, values in samples.items()}
