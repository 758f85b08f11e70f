"""Triggers: wait for IPS jobs in the triggerer, one shared poll per company.

Only the trigger class is imported here: the triggerer imports it on its event loop, so the
poller, the hook and the SOAP client are loaded later, off the loop (see ``IpsJobTrigger.run``).
"""

from airflow_provider_ips.triggers.jobs import IpsJobTrigger

__all__ = ["IpsJobTrigger"]
