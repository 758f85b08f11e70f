"""Reading replies without a server: decoding, bounds, statuses and what error messages show."""

from __future__ import annotations

import gzip
import pickle
import time
import zlib

import httpx
import pytest

from airflow_provider_ips.models.operations import GET_PROPERTY, GetPropertyParam
from airflow_provider_ips.soap import (
    ClientOptions,
    Credentials,
    IpsApiError,
    IpsProtocolError,
    IpsReplyTooLargeError,
    IpsTimeoutError,
    IpsTransportError,
)
from airflow_provider_ips.soap.client import PreparedCall, SoapCodec, _ReplyBody

NS = "http://www.scene7.com/IpsApi/xsd/2014-04-03"
SECRET = "pa55-w0rd-secret"
REPLY = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
    f'<soapenv:Body><getPropertyReturn xmlns="{NS}"><value>v1</value></getPropertyReturn>'
    "</soapenv:Body></soapenv:Envelope>"
).encode()


@pytest.fixture
def codec() -> SoapCodec:
    return SoapCodec(ClientOptions(base_url="http://127.0.0.1:1"), Credentials("u", SECRET))


@pytest.fixture
def call(codec: SoapCodec) -> PreparedCall:
    return codec.prepare(GET_PROPERTY, GetPropertyParam(name="x"))


def body(encoding: str | None, *, limit: int = 1 << 20, deadline: float = 1e18) -> _ReplyBody:
    headers = httpx.Headers({"Content-Encoding": encoding} if encoding else {})
    return _ReplyBody("getProperty", 200, headers, limit=limit, deadline=deadline)


def feed_all(reply: _ReplyBody, data: bytes, step: int = 7) -> bytes:
    for i in range(0, len(data), step):
        reply.feed(data[i : i + step])
    return reply.content()


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        (None, lambda b: b),
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),  # deflate as HTTP means it: zlib-wrapped
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw, as some servers send it
    ],
    ids=["identity", "gzip", "deflate", "raw-deflate"],
)
def test_bodies_are_decoded_in_small_pieces(encoding: str | None, encode: object) -> None:
    assert feed_all(body(encoding), encode(REPLY)) == REPLY  # type: ignore[operator]


def test_cut_off_or_unknown_compression_is_a_protocol_error() -> None:
    with pytest.raises(IpsProtocolError, match="ends early"):
        feed_all(body("gzip"), gzip.compress(REPLY)[:40])
    with pytest.raises(IpsProtocolError, match="could not be decompressed"):
        feed_all(body("gzip"), b"not gzip at all")
    with pytest.raises(IpsProtocolError, match="did not ask for"):
        body("br")


def test_size_is_bounded_on_the_wire_and_decoded() -> None:
    with pytest.raises(IpsReplyTooLargeError):
        feed_all(body(None, limit=100), b" " * 101)
    bomb = gzip.compress(b" " * (10 << 20))
    assert len(bomb) < 100_000
    with pytest.raises(IpsReplyTooLargeError) as info:
        feed_all(body("gzip", limit=1 << 20), bomb, step=65536)
    assert info.value.limit == 1 << 20 and info.value.retryable is False
    headers = httpx.Headers({"Content-Length": "101"})
    with pytest.raises(IpsReplyTooLargeError):  # refused before reading a byte
        _ReplyBody("getProperty", 200, headers, limit=100, deadline=1e18)


def test_a_reply_still_arriving_after_the_deadline_is_a_timeout() -> None:
    reply = body(None, deadline=time.monotonic() - 1)
    with pytest.raises(IpsTimeoutError, match="in time"):
        reply.feed(b"<")


def test_errors_survive_pickling() -> None:
    error = pickle.loads(pickle.dumps(IpsReplyTooLargeError("too big", 200, limit=5)))
    assert (str(error), error.status_code, error.limit, error.retryable) == (
        "too big",
        200,
        5,
        False,
    )
    error2 = pickle.loads(pickle.dumps(IpsProtocolError("odd", 200)))
    assert (str(error2), error2.retryable) == ("odd", True)


def reply(status: int, content: bytes, content_type: str = "text/xml") -> httpx.Response:
    return httpx.Response(status, content=content, headers={"Content-Type": content_type})


def test_a_good_reply_is_read(codec: SoapCodec, call: PreparedCall) -> None:
    assert codec.read(call, reply(200, REPLY)).value == "v1"


def test_messages_are_short_and_never_show_the_password(
    codec: SoapCodec, call: PreparedCall
) -> None:
    page = f"<html><body>login failed for u / {SECRET} {'x' * 5000}".encode()
    with pytest.raises(IpsProtocolError) as info:
        codec.read(call, reply(200, page, "text/plain"))
    message = str(info.value)
    assert "malformed" in message and "getProperty" in message
    assert SECRET not in message and "***" in message
    assert len(message) < 400


def test_errors_from_other_statuses_keep_their_status(codec: SoapCodec, call: PreparedCall) -> None:
    # XML that is no SOAP fault, with a 5xx: the server's trouble, retried
    with pytest.raises(IpsTransportError) as info:
        codec.read(call, reply(503, b"<busy/>"))
    assert type(info.value) is IpsTransportError and info.value.status_code == 503
    with pytest.raises(IpsTransportError) as info:
        codec.read(call, reply(500, b"<not xml"))
    assert info.value.retryable is True
    fault = (
        b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault>'
        b"<faultcode>e:Client</faultcode><faultstring>nope</faultstring></e:Fault></e:Body>"
        b"</e:Envelope>"
    )
    with pytest.raises(IpsApiError, match="nope"):
        codec.read(call, reply(500, fault))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<a><b></a>", "malformed"),
        (b"<plain>xml</plain>", "not a SOAP envelope"),
        (
            b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/>'
            b"</e:Envelope>",
            "holding nothing instead of <getPropertyReturn>",
        ),
        (REPLY.replace(b"<value>v1", b"<!-- c --><value>v1"), None),  # comments are fine
    ],
)
def test_replies_must_be_the_expected_envelope(
    content: bytes, message: str | None, codec: SoapCodec, call: PreparedCall
) -> None:
    if message is None:
        assert codec.read(call, reply(200, content)).value == "v1"
        return
    with pytest.raises(IpsProtocolError, match=message):
        codec.read(call, reply(200, content))


def test_read_only_envelopes_are_built_once_per_question(codec: SoapCodec) -> None:
    from airflow_provider_ips.models import SubmitJobParam
    from airflow_provider_ips.models.operations import (
        GET_ACTIVE_JOBS,
        SUBMIT_JOB,
        GetActiveJobsParam,
    )

    first = codec.prepare(GET_ACTIVE_JOBS, GetActiveJobsParam(company_handle="c1"))
    again = codec.prepare(GET_ACTIVE_JOBS, GetActiveJobsParam(company_handle="c1"))
    other = codec.prepare(GET_ACTIVE_JOBS, GetActiveJobsParam(company_handle="c2"))
    assert again is first, "a poller's repeated question reuses its envelope"
    assert other is not first and b"c2" in other.body and b"c2" not in first.body
    submit = SubmitJobParam(company_handle="c1", job_name="j", optimize_images_job={})
    assert codec.prepare(SUBMIT_JOB, submit) is not codec.prepare(SUBMIT_JOB, submit), (
        "calls that change something are built afresh"
    )
    for n in range(100):  # bounded
        codec.prepare(GET_ACTIVE_JOBS, GetActiveJobsParam(company_handle=f"c{n}"))
    assert len(codec._envelopes) <= 32
