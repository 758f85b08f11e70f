"""``ips-simulator``: run a local IPS until interrupted."""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
from collections.abc import Sequence

from .engine import JobOutcome, Timing
from .server import (
    DEFAULT_COMPANY_HANDLE,
    DEFAULT_COMPANY_NAME,
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    IpsSimulator,
    SimCompany,
    SimulatorConfig,
    SimUser,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ips-simulator",
        description="Run a local Adobe Dynamic Media Classic IPS web service for development.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    parser.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    parser.add_argument("--user", default=DEFAULT_USER, help="the account's login")
    parser.add_argument("--password", default=DEFAULT_PASSWORD, help="the account's password")
    parser.add_argument("--company-handle", default=DEFAULT_COMPANY_HANDLE)
    parser.add_argument("--company-name", default=DEFAULT_COMPANY_NAME)
    parser.add_argument("--timezone", default="UTC", help="the server's time zone (IANA name)")
    parser.add_argument(
        "--job-seconds", type=float, default=3.0, help="how long a job runs (default 3)"
    )
    parser.add_argument(
        "--log-lag-seconds",
        type=float,
        default=0.0,
        help="write a job log's ending this long after the job left the active list (default 0)",
    )
    parser.add_argument("--conn-id", default="ips_default", help="conn id for the printed env var")
    return parser


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    company = SimCompany(args.company_handle, args.company_name, f"{args.company_name}/")
    return SimulatorConfig(
        users={args.user: SimUser(args.password, (company.handle,))},
        companies={company.handle: company},
        server_timezone=args.timezone,
        timing=Timing(log_lag_seconds=args.log_lag_seconds),
        # one file per URL of an upload job (3 files for jobs that name none)
        default_outcome=JobOutcome(duration=args.job_seconds, files=None),
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    simulator = IpsSimulator(args.host, args.port, config_from_args(args))
    simulator.start()
    env_name = f"AIRFLOW_CONN_{args.conn_id.upper()}"
    print(f"ips-simulator listening on {simulator.url}", flush=True)
    print(f"WSDL: {simulator.wsdl_url}", flush=True)
    print(f"export {env_name}={shlex.quote(simulator.connection_json(args.user))}", flush=True)

    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
