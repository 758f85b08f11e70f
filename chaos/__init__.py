"""A seeded fault campaign against the IPS provider: real DAG runs, a hostile simulator.

``make chaos`` (or ``python -m chaos --cycles N --seed S``) drives the provider's operators
with ``dag.test()``, kills workers, restarts triggers and injects faults into the IPS
simulator, then counts what went wrong. See docs/reliability.md.

Uses the provider's public API only (operators, ``IpsJobTrigger``, ``IpsHook``, the
simulator and its control API), so the provider's internals can change underneath it.
"""

from chaos.campaign import CampaignResult, run_campaign

__all__ = ["CampaignResult", "run_campaign"]
