"""The IPS SOAP client core. Imports nothing from Airflow."""

from .client import (
    API_VERSION,
    BUNDLED_WSDL,
    DEFAULT_MAX_REPLY_BYTES,
    AsyncIpsSoapClient,
    ClientOptions,
    Credentials,
    IpsSoapClient,
    load_schema,
    service_url,
)
from .errors import (
    FaultKind,
    IpsApiError,
    IpsAuthenticationError,
    IpsAuthorizationError,
    IpsError,
    IpsFault,
    IpsProtocolError,
    IpsReplyTooLargeError,
    IpsTimeoutError,
    IpsTransportError,
)

__all__ = [
    "API_VERSION",
    "BUNDLED_WSDL",
    "DEFAULT_MAX_REPLY_BYTES",
    "AsyncIpsSoapClient",
    "ClientOptions",
    "Credentials",
    "FaultKind",
    "IpsApiError",
    "IpsAuthenticationError",
    "IpsAuthorizationError",
    "IpsError",
    "IpsFault",
    "IpsProtocolError",
    "IpsReplyTooLargeError",
    "IpsSoapClient",
    "IpsTimeoutError",
    "IpsTransportError",
    "load_schema",
    "service_url",
]
