"""What broken or hostile servers answer: padded and compressed replies, HTML, odd shapes.

Large replies are produced in pieces, never built whole: a ``huge`` reply is streamed, and a
gzip bomb repeats one compressed block, so a GiB of reply costs the simulator almost nothing.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

from airflow_provider_ips.models.operations import GetActiveJobsReturn
from airflow_provider_ips.models.results import ActiveJob

from . import soap

_PAD_LINE = b" " * 1023 + b"\n"  # whitespace between elements: the reply stays valid
_PAD_CHUNK = _PAD_LINE * 64  # 64 KiB per write
_PAD_BLOCK = _PAD_LINE * 1024  # 1 MiB per compressed block
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # deflate, no name, no mtime

HTML_PAGE = b"""<!DOCTYPE html>
<html><head><title>Scheduled maintenance</title></head>
<body><h1>Scheduled maintenance</h1>
<p>The service is down for maintenance. Please try again later.<br>
(an HTML page where a SOAP reply belongs: simulated by ips-simulator)</p>
</body></html>
"""


def split_for_padding(reply: bytes, size: int) -> tuple[bytes, int, bytes]:
    """``(head, pad, tail)``: ``pad`` bytes of whitespace go between head and tail."""
    cut = reply.rindex(b"</soapenv:Body>")
    return reply[:cut], max(0, size - len(reply)), reply[cut:]


def padding(length: int) -> Iterator[bytes]:
    full, rest = divmod(length, len(_PAD_CHUNK))
    for _ in range(full):
        yield _PAD_CHUNK
    if rest:
        yield _PAD_CHUNK[:rest]


def gzip_padded(reply: bytes, size: int) -> tuple[int, Iterator[bytes]]:
    """The reply padded to ``size`` bytes, gzip-compressed: (compressed length, pieces).

    The padding is compressed once as a 1 MiB block; a full flush before and after it makes
    the block stand alone, so it can be sent again and again as the same bytes.
    """
    head, pad, tail = split_for_padding(reply, size)
    blocks, rest = divmod(pad, len(_PAD_BLOCK))
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(_PAD_BLOCK) + deflate.flush(zlib.Z_FULL_FLUSH) if blocks else b""
    last = deflate.compress(_PAD_BLOCK[:rest]) + deflate.compress(tail) + deflate.flush()
    expanded = len(head) + pad + len(tail)
    length = len(_GZIP_HEADER) + len(first) + blocks * len(block) + len(last) + 8

    def pieces() -> Iterator[bytes]:
        crc = zlib.crc32(head)
        yield _GZIP_HEADER + first
        batch = 64  # blocks per write
        for start in range(0, blocks, batch):
            n = min(batch, blocks - start)
            for _ in range(n):
                crc = zlib.crc32(_PAD_BLOCK, crc)
            yield block * n
        crc = zlib.crc32(tail, zlib.crc32(_PAD_BLOCK[:rest], crc))
        yield last + struct.pack("<II", crc, expanded & 0xFFFFFFFF)

    return length, pieces()


def wrong_shape(request: soap.ParsedRequest) -> bytes:
    """A well-formed SOAP reply the client cannot use.

    ``getActiveJobs``: the right element, but a job whose ``progress`` is not a number.
    Any other operation: the body holds an element that is not the operation's reply.
    """
    ns = request.namespace
    if request.operation.name == "getActiveJobs":
        job = ActiveJob(
            company_handle=getattr(request.param, "company_handle", None),
            job_handle="wrong-shape|0",
            state="Running",
            progress=0,
        )
        payload = GetActiveJobsReturn(job_array=[job]).to_ips()
        payload["jobArray"]["items"][0]["progress"] = "lots"
        return soap.envelope(ns, request.operation.return_element, payload, request.soap)
    return soap.envelope(ns, "unexpectedReturn", {"value": "not what was asked for"}, request.soap)


def dtd_reply(request: soap.ParsedRequest) -> bytes:
    """A reply with a DOCTYPE whose external entity points at a local file (XXE)."""
    element = request.operation.return_element
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        f'<soapenv:Envelope xmlns:soapenv="{request.soap.envelope_ns}" '
        f'xmlns:ips="{request.namespace}">'
        f"<soapenv:Body><ips:{element}>&xxe;</ips:{element}></soapenv:Body></soapenv:Envelope>"
    ).encode()
