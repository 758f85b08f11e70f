"""Log SOAP envelopes without secrets.

zeep's own transport logger prints raw requests at DEBUG; our client never sends through
zeep's transport, and this plugin logs a copy of each envelope with the password blanked.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from lxml import etree
from zeep import Plugin

log = logging.getLogger("airflow_provider_ips.soap.wire")

REDACTED = "***"
SECRET_ELEMENTS = frozenset({"password"})


def redacted_copy(envelope: etree._Element) -> etree._Element:
    """A deep copy of ``envelope`` with every secret element's text replaced."""
    clone = copy.deepcopy(envelope)
    for node in clone.iter():
        if isinstance(node.tag, str) and etree.QName(node).localname in SECRET_ELEMENTS:
            node.text = REDACTED
    return clone


def redact_text(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


class RedactingLogPlugin(Plugin):
    def egress(
        self,
        envelope: etree._Element,
        http_headers: dict[str, str],
        operation: Any,
        binding_options: Any,
    ) -> tuple[etree._Element, dict[str, str]]:
        if log.isEnabledFor(logging.DEBUG):
            text = etree.tostring(redacted_copy(envelope), encoding="unicode")
            log.debug("IPS request %s:\n%s", getattr(operation, "name", "?"), text)
        return envelope, http_headers

    def ingress(
        self, envelope: etree._Element, http_headers: dict[str, str], operation: Any
    ) -> tuple[etree._Element, dict[str, str]]:
        if log.isEnabledFor(logging.DEBUG):
            text = etree.tostring(redacted_copy(envelope), encoding="unicode")
            log.debug("IPS response %s:\n%s", getattr(operation, "name", "?"), text)
        return envelope, http_headers
