"""``python -m chaos``: run a fault campaign and write its report (exit 1 on a bad count)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chaos.campaign import DEFAULT_CYCLES, DEFAULT_REPORT, run_campaign
from chaos.report import counts_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m chaos",
        description="Seeded fault campaign: real DAG runs of the IPS operators against a "
        "simulator injecting faults, worker kills and triggerer restarts.",
    )
    parser.add_argument("--cycles", type=int, default=DEFAULT_CYCLES, help="cycles to run")
    parser.add_argument("--seed", type=int, default=None, help="plan seed (default: random)")
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: up to 2)"
    )
    parser.add_argument(
        "--report",
        type=Path,
        default=DEFAULT_REPORT,
        help="Markdown report path; the JSON report goes next to it (.json)",
    )
    parser.add_argument("--workdir", type=Path, default=None, help="keep homes and logs here")
    parser.add_argument("--keep", action="store_true", help="keep the work dir and its logs")
    parser.add_argument("--timeout", type=float, default=None, help="campaign time limit (s)")
    args = parser.parse_args(argv)
    result = run_campaign(
        cycles=args.cycles,
        seed=args.seed,
        workers=args.workers,
        report=args.report,
        workdir=args.workdir,
        keep=args.keep,
        timeout=args.timeout,
    )
    print(counts_table(result.report))
    print(f"\nseed {result.report['seed']}; report {result.markdown_path}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
