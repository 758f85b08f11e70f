"""The campaign report: counts over the judged cycles, as JSON and as Markdown."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from chaos.plan import CycleSpec

#: Counts that must be 0 (their definitions: docs/reliability.md).
BAD_COUNTS = (
    "duplicate_jobs",
    "lost_jobs",
    "wrong_outcomes",
    "successes_without_summary",
    "resubmitted_instead_of_adopted",
    "jobs_stopped_by_restart",
    "unhandled_exceptions",
    "incomplete_cycles",
)

LABELS = {
    "cycles": "cycles judged",
    "faults_injected": "faults injected (rules added to the simulator)",
    "faults_fired": "faults fired (calls they hit)",
    "errored_as_expected": "errored as expected (tolerated, not bad)",
    "duplicate_jobs": "duplicate IPS jobs",
    "lost_jobs": "lost jobs",
    "wrong_outcomes": "wrong outcomes",
    "successes_without_summary": "successes without a summary",
    "resubmitted_instead_of_adopted": "re-runs that resubmitted instead of adopting",
    "jobs_stopped_by_restart": "jobs stopped by a triggerer restart",
    "unhandled_exceptions": "unhandled exceptions",
    "incomplete_cycles": "incomplete cycles (hung, harness error)",
}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def build_report(
    *,
    plan: list[CycleSpec],
    records: list[dict[str, Any]],
    seed: int,
    workers: int,
    started: str,
    seconds: float,
    usage: dict[str, int],
    command: str,
    code: dict[str, Any],
    timed_out: bool,
    worker_exits: dict[int, list[int]],
) -> dict[str, Any]:
    by_index: dict[int, dict[str, Any]] = {}
    worker_lines = []
    for record in records:
        if record.get("kind") == "cycle":
            by_index[int(record["index"])] = record
        elif record.get("kind") == "worker":
            worker_lines.append(record)
    for spec in plan:  # a cycle no worker judged (time limit, dead worker) is incomplete
        if spec.index not in by_index:
            by_index[spec.index] = {
                "kind": "cycle",
                "index": spec.index,
                "dag_id": spec.dag_id,
                "job_type": spec.job_type,
                "scenario": spec.scenario,
                "mode": spec.mode,
                "expected": spec.expected,
                "observed": None,
                "faults": [],
                "harness_error": "never judged",
                "verdict": {"incomplete": True, "notes": ["never judged"], "unhandled": []},
                "bad": True,
                "logs": [],
            }
    cycles = [by_index[i] for i in sorted(by_index)]
    verdicts = [c.get("verdict", {}) for c in cycles]

    faults: dict[str, Counter[str]] = {}
    for spec in plan:
        for fault in spec.faults:
            faults.setdefault(fault.type, Counter())["planned"] += 1
    for cycle in cycles:
        for fault in cycle.get("faults", []):
            entry = faults.setdefault(fault["type"], Counter())
            entry[fault.get("status", "not reached")] += 1
            entry["fired"] += int(fault.get("fired", 0))
    counts = {
        "cycles": sum(1 for c in cycles if not c["verdict"].get("incomplete")),
        "faults_injected": sum(f["injected"] for f in faults.values()),
        "faults_fired": sum(f["fired"] for f in faults.values()),
        "errored_as_expected": sum(bool(v.get("errored_as_expected")) for v in verdicts),
        "duplicate_jobs": sum(int(v.get("duplicates", 0)) for v in verdicts),
        "lost_jobs": sum(int(v.get("lost", 0)) for v in verdicts),
        "wrong_outcomes": sum(bool(v.get("wrong_outcome")) for v in verdicts),
        "successes_without_summary": sum(bool(v.get("missing_summary")) for v in verdicts),
        "resubmitted_instead_of_adopted": sum(int(v.get("not_adopted", 0)) for v in verdicts),
        "jobs_stopped_by_restart": sum(int(v.get("stopped", 0)) for v in verdicts),
        "unhandled_exceptions": sum(len(v.get("unhandled", [])) for v in verdicts),
        "incomplete_cycles": sum(bool(v.get("incomplete")) for v in verdicts),
    }
    scenarios: dict[str, dict[str, Any]] = {}
    for cycle in cycles:
        key = f"{cycle['scenario']} / {cycle['mode']}"
        row = scenarios.setdefault(key, {"cycles": 0, "bad": 0, "seconds": []})
        row["cycles"] += 1
        row["bad"] += int(bool(cycle.get("bad")))
        if cycle.get("seconds") is not None:
            row["seconds"].append(float(cycle["seconds"]))
    for row in scenarios.values():
        spent = row.pop("seconds")
        row["mean_seconds"] = round(statistics.fmean(spent), 2) if spent else None
    times = [float(c["seconds"]) for c in cycles if c.get("seconds") is not None]
    unhandled = Counter(u for v in verdicts for u in v.get("unhandled", []))
    return {
        "seed": seed,
        "cycles_planned": len(plan),
        "workers": workers,
        "started": started,
        "duration_seconds": round(seconds, 1),
        "command": command,
        "code": code,
        "timed_out": timed_out,
        "worker_exit_codes": worker_exits,
        "hook_params_accepted": any(w.get("hook_params") for w in worker_lines),
        "provider": sorted({str(w.get("provider")) for w in worker_lines}),
        "fault_types_available": sorted(
            {t for w in worker_lines for t in w.get("fault_types", ())}
        ),
        "counts": counts,
        "bad_counts": {name: counts[name] for name in BAD_COUNTS},
        "faults_by_type": {t: dict(sorted(c.items())) for t, c in sorted(faults.items())},
        "scenarios": dict(sorted(scenarios.items())),
        "cycle_seconds": {
            "mean": round(statistics.fmean(times), 2) if times else None,
            "median": round(statistics.median(times), 2) if times else None,
            "p95": round(_percentile(times, 0.95), 2) if times else None,
            "max": round(max(times), 2) if times else None,
        },
        "memory": {
            "campaign_max_rss_mb": round(usage["campaign_max_rss_kb"] / 1024, 1),
            "largest_child_max_rss_mb": round(usage["children_max_rss_kb"] / 1024, 1),
            "workers": [
                {
                    "slot": w.get("slot"),
                    "max_rss_mb": round(int(w.get("max_rss_kb", 0)) / 1024, 1),
                    "children_max_rss_mb": round(int(w.get("children_max_rss_kb", 0)) / 1024, 1),
                }
                for w in worker_lines
            ],
        },
        "unhandled_exception_types": dict(unhandled.most_common()),
        "bad_cycles": [_bad_summary(c) for c in cycles if c.get("bad")],
        "cycles": cycles,
    }


def _bad_summary(cycle: dict[str, Any]) -> dict[str, Any]:
    return {
        "index": cycle["index"],
        "scenario": cycle["scenario"],
        "mode": cycle["mode"],
        "job_type": cycle["job_type"],
        "outcome": cycle.get("outcome"),
        "fail_on": cycle.get("fail_on"),
        "retries": cycle.get("retries"),
        "faults": [f.get("label", f.get("type")) for f in cycle.get("faults", [])],
        "expected": cycle.get("expected"),
        "observed": cycle.get("observed"),
        "xcom": cycle.get("xcom"),
        "notes": cycle.get("verdict", {}).get("notes", []),
        "logs": cycle.get("logs", []),
    }


def counts_table(data: dict[str, Any]) -> str:
    counts = data["counts"]
    lines = ["| count | value | target |", "|---|---:|---:|"]
    for name in ("cycles", "faults_injected", "faults_fired", *BAD_COUNTS, "errored_as_expected"):
        target = "0" if name in BAD_COUNTS else ""
        lines.append(f"| {LABELS[name]} | {counts[name]} | {target} |")
    memory = data["memory"]
    peak = max(memory["campaign_max_rss_mb"], memory["largest_child_max_rss_mb"])
    lines.append(f"| peak memory of one process (ru_maxrss, MB) | {peak} | |")
    return "\n".join(lines)


def render_markdown(data: dict[str, Any]) -> str:
    counts = data["counts"]
    bad = {k: v for k, v in data["bad_counts"].items() if v}
    seconds = data["cycle_seconds"]
    out = [
        "# IPS provider fault campaign",
        "",
        f"Seed **{data['seed']}**, {data['cycles_planned']} cycles on {data['workers']} workers, "
        f"started {data['started']}, took {data['duration_seconds']:.0f} s "
        f"(cycle: mean {seconds['mean']} s, median {seconds['median']} s, "
        f"p95 {seconds['p95']} s, max {seconds['max']} s).",
        "",
        f"Reproduce: `{data['command']}` (or `python -m chaos` with those arguments).",
        "",
        f"Provider under test: `{', '.join(map(_in_repo, data['provider'])) or '?'}`; "
        f"repository commit `{data['code'].get('commit') or '?'}`"
        + (
            " with uncommitted provider changes"
            if data["code"].get("provider_changes_uncommitted")
            else ""
        )
        + f"; operators take `hook_params`: {'yes' if data['hook_params_accepted'] else 'no'}; "
        f"simulator fault types: {', '.join(data['fault_types_available']) or '?'}.",
        "",
        "**Result: " + ("all bad counts are 0**" if not bad else f"{len(bad)} bad count(s)**"),
        "",
        counts_table(data),
        "",
    ]
    if data.get("timed_out"):
        out += ["The campaign hit its time limit; unjudged cycles count as incomplete.", ""]
    out += [
        "## Faults by type",
        "",
        "| type | planned | injected | fired | unavailable | not reached |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, entry in data["faults_by_type"].items():
        out.append(
            f"| {kind} | {entry.get('planned', 0)} | {entry.get('injected', 0)} | "
            f"{entry.get('fired', 0)} | {entry.get('unavailable', 0) + entry.get('rejected', 0)} | "
            f"{entry.get('not reached', 0)} |"
        )
    out += ["", "## Scenarios", "", "| scenario / mode | cycles | bad | mean s |"]
    out.append("|---|---:|---:|---:|")
    for key, entry in data["scenarios"].items():
        out.append(f"| {key} | {entry['cycles']} | {entry['bad']} | {entry['mean_seconds']} |")
    if data["unhandled_exception_types"]:
        out += ["", "## Unhandled exceptions", ""]
        for text, n in data["unhandled_exception_types"].items():
            out.append(f"- {n} x `{text[:300]}`")
    memory = data["memory"]
    out += [
        "",
        "## Memory",
        "",
        f"Campaign process {memory['campaign_max_rss_mb']} MB; largest child process "
        f"{memory['largest_child_max_rss_mb']} MB (ru_maxrss).",
    ]
    for worker in memory["workers"]:
        out.append(
            f"- worker {worker['slot']}: {worker['max_rss_mb']} MB, its largest child "
            f"{worker['children_max_rss_mb']} MB"
        )
    if data["bad_cycles"]:
        out += ["", f"## Bad cycles ({len(data['bad_cycles'])})", ""]
        for cycle in data["bad_cycles"][:60]:
            faults = "; ".join(cycle["faults"]) or "no faults"
            out.append(
                f"- **#{cycle['index']}** {cycle['scenario']} / {cycle['mode']}, "
                f"{cycle['job_type']}, outcome {cycle['outcome']}, fail_on {cycle['fail_on']}, "
                f"retries {cycle['retries']}; {faults}: expected {cycle['expected']}, "
                f"got {cycle['observed']}"
            )
            for note in cycle["notes"][:4]:
                out.append(f"  - {str(note)[:400]}")
        if len(data["bad_cycles"]) > 60:
            out.append(f"- ... {len(data['bad_cycles']) - 60} more in the JSON report")
    if data.get("workdir"):
        out += ["", f"Cycle logs: `{data['workdir']}` (worker-N/logs/cycle-NNNN.log)."]
    out += ["", f"Cycles judged: {counts['cycles']} of {data['cycles_planned']}.", ""]
    return "\n".join(out)


def _in_repo(path: str) -> str:
    """A path inside this repository, relative to it (reports travel between machines)."""
    root = Path(__file__).resolve().parents[1]
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return path
