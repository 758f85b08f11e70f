"""Run every benchmark and write ``benchmarks/report.md`` and ``benchmarks/report.json``.

    python -m benchmarks [--quick] [--only hook_calls,triggers,...]

Figures are medians of repeated runs; ratios come from runs side by side in one process.
``--quick`` is a smoke run: fewer repeats, no 5,000-wait run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from benchmarks._common import Figure, prepare_environment

HERE = Path(__file__).resolve().parent
#: In the order they run and are reported.
BENCHMARKS = ["hook_calls", "triggers", "startup", "simulator_throughput", "dag_run"]


def table(figures: list[Figure]) -> str:
    lines = ["| figure | measured | target | status | notes |", "|---|---|---|---|---|"]
    group = None
    for f in figures:
        if f.group != group:
            group = f.group
            lines.append(f"| **{group}** | | | | |")
        lines.append(f"| {f.name} | {f.shown()} | {f.target or '-'} | {f.status} | {f.detail} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument("--only", default="", help="comma-separated benchmarks to run")
    args = parser.parse_args()
    prepare_environment()
    chosen = [b for b in BENCHMARKS if not args.only or b in args.only.split(",")]
    figures: list[Figure] = []
    timings: dict[str, float] = {}
    started = time.perf_counter()
    for name in chosen:
        print(f"== {name}", flush=True)
        begin = time.perf_counter()
        module = importlib.import_module(f"benchmarks.{name}")
        try:
            found = module.run(args.quick)
        except Exception as error:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            found = [Figure(name, f"{name} failed: {error!s:.200}", None, "")]
        timings[name] = time.perf_counter() - begin
        for figure in found:
            print(f"   {figure.name}: {figure.shown()} ({figure.status.strip('*')})", flush=True)
        figures.extend(found)
    total = time.perf_counter() - started
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    mode = "quick" if args.quick else "full"
    machine = f"{platform.python_implementation()} {platform.python_version()}"
    machine += f", {platform.machine()}"
    header = (
        f"# Benchmark report\n\n{when}, {mode} run ({total:.0f} s), {machine}.\n"
        "Medians of repeated runs; ratios measured side by side in the same run.\n"
        "See docs/performance.md for what each figure means.\n\n"
    )
    (HERE / "report.md").write_text(header + table(figures) + "\n")
    report = {
        "when": when,
        "mode": mode,
        "seconds": round(total, 1),
        "seconds_per_benchmark": {k: round(v, 1) for k, v in timings.items()},
        "machine": machine,
        "figures": [f.as_dict() for f in figures],
    }
    (HERE / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    print()
    print(table(figures))
    print(f"\n{len(figures)} figures in {total:.0f} s; wrote {HERE / 'report.md'} and report.json")


if __name__ == "__main__":
    main()
