"""ips-simulator: a local IPS that speaks the same WSDL. Imports nothing from Airflow.

``IpsSimulator`` runs it in a thread (tests, notebooks); ``ips-simulator`` runs it as a
process (demos, a DAG developer's machine). See docs/simulator.md.
"""

from .engine import JobEngine, JobOutcome, Timing
from .faults import FaultRule, FaultType
from .server import (
    DEFAULT_COMPANY_HANDLE,
    DEFAULT_COMPANY_NAME,
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    CallRecord,
    IpsSimulator,
    SimCompany,
    SimulatorConfig,
    SimUser,
)

__all__ = [
    "DEFAULT_COMPANY_HANDLE",
    "DEFAULT_COMPANY_NAME",
    "DEFAULT_PASSWORD",
    "DEFAULT_USER",
    "CallRecord",
    "FaultRule",
    "FaultType",
    "IpsSimulator",
    "JobEngine",
    "JobOutcome",
    "SimCompany",
    "SimUser",
    "SimulatorConfig",
    "Timing",
]
