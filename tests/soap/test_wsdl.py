"""The bundled WSDL is generated from the models and matches them."""

from __future__ import annotations

from airflow_provider_ips.soap import BUNDLED_WSDL, load_schema
from airflow_provider_ips.wsdl.generate import build_wsdl


def test_committed_wsdl_is_up_to_date() -> None:
    assert BUNDLED_WSDL.read_bytes() == build_wsdl(), (
        "the WSDL is stale: run `make wsdl` and commit the result"
    )


def test_wsdl_declares_every_operation_with_auth_header_and_faults() -> None:
    schema = load_schema()
    binding = schema.service._binding
    names = set(binding._operations)
    assert names == {
        "submitJob", "getActiveJobs", "getScheduledJobs", "getJobLogs", "getJobLogDetails",
        "stopJob", "pauseJob", "resumeJob", "deleteJob", "executeJob", "getCompanyInfo",
        "getProperty",
    }  # fmt: skip
    submit = binding._operations["submitJob"]
    assert submit.soapaction == "submitJob"
    assert "authHeader: ns0:authHeader" in submit.input.header.signature(schema=schema.wsdl.types)
    assert set(submit.faults) == {"authenticationFault", "authorizationFault", "ipsApiFault"}
    assert schema.wsdl.types.get_element("{http://www.scene7.com/IpsApi/xsd}authHeader")
