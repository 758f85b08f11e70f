"""Triggers: wait for IPS jobs in the triggerer, one shared poll per company."""

from airflow_provider_ips.triggers.jobs import IpsJobTrigger
from airflow_provider_ips.triggers.poller import JobPoller, JobWaiter

__all__ = ["IpsJobTrigger", "JobPoller", "JobWaiter"]
