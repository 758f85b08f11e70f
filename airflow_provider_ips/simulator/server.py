"""The simulator's HTTP server: the IPS SOAP endpoint, its WSDL and the ``/_sim`` control API."""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import re
import select
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from airflow_provider_ips.models.operations import (
    EmptyReturn,
    GetActiveJobsReturn,
    GetCompanyInfoReturn,
    GetPropertyReturn,
    GetScheduledJobsReturn,
    JobLogsReturn,
    SubmitJobReturn,
)
from airflow_provider_ips.models.results import CompanyInfo
from airflow_provider_ips.soap.client import API_VERSION, BUNDLED_WSDL, SERVICE_PATH

from . import bad_replies, soap
from .engine import JobEngine, JobOutcome, Timing
from .faults import AFTER_THE_WORK, DEFAULT_SIZES, FaultPlan, FaultRule, FaultType

log = logging.getLogger(__name__)

WSDL_PATH = f"/scene7/webservice/IpsApi-{API_VERSION}.wsdl"
MAX_BODY = 8 * 1024 * 1024

DEFAULT_USER = "demo@example.com"
DEFAULT_PASSWORD = "demo-password"  # a local, fake account: not a secret
DEFAULT_COMPANY_HANDLE = "c1001"
DEFAULT_COMPANY_NAME = "Demo Company"


@dataclass(frozen=True)
class SimCompany:
    handle: str
    name: str
    root_path: str = ""


@dataclass(frozen=True)
class SimUser:
    password: str = field(repr=False)
    companies: tuple[str, ...] = (DEFAULT_COMPANY_HANDLE,)


@dataclass
class SimulatorConfig:
    users: dict[str, SimUser] = field(
        default_factory=lambda: {DEFAULT_USER: SimUser(DEFAULT_PASSWORD)}
    )
    companies: dict[str, SimCompany] = field(
        default_factory=lambda: {
            DEFAULT_COMPANY_HANDLE: SimCompany(
                DEFAULT_COMPANY_HANDLE, DEFAULT_COMPANY_NAME, "DemoCompany/"
            )
        }
    )
    #: ``IpsVersion`` is the reference's property; the other two are the simulator's own.
    properties: dict[str, str] = field(
        default_factory=lambda: {
            "IpsVersion": "ips-simulator",
            "ServerVersion": "ips-simulator",
            "ApiVersion": API_VERSION,
        }
    )
    server_timezone: str = "UTC"
    timing: Timing = field(default_factory=Timing)
    default_outcome: JobOutcome = field(default_factory=JobOutcome)
    fault_seed: int = 0
    #: Namespace of fault details: ``"reference"`` (the unversioned namespace, as in the
    #: reference's only fault example) or ``"request"`` (the request body's namespace).
    fault_namespace: str = "reference"

    def __post_init__(self) -> None:
        if self.fault_namespace not in ("reference", "request"):
            raise ValueError(
                f"fault_namespace: 'reference' or 'request', got {self.fault_namespace!r}"
            )


@dataclass
class CallRecord:
    seq: int
    operation: str | None
    time: str
    user: str | None = None
    company_handle: str | None = None
    job_name: str | None = None
    job_handle: str | None = None
    # ok | fault:<code> | http:<status> | dropped | dropped_after | answer_lost | truncated
    # | html | empty | wrong_shape | dtd
    result: str = "ok"
    fault: str | None = None  # the type of the fault rule applied, if any


class _Context:
    """What a handler needs from the running simulator."""

    def __init__(self, config: SimulatorConfig, engine: JobEngine, faults: FaultPlan) -> None:
        self.config = config
        self.engine = engine
        self.faults = faults
        self.calls: list[CallRecord] = []
        self.calls_lock = threading.Lock()
        self.wsdl_template = BUNDLED_WSDL.read_bytes()

    def record(self, record: CallRecord) -> None:
        with self.calls_lock:
            record.seq = len(self.calls) + 1
            self.calls.append(record)

    def answer_lost(self, record: CallRecord) -> None:
        """The call was carried out and recorded, but its answer never reached the client."""
        with self.calls_lock:
            record.result = "answer_lost"

    # -- authentication and authorisation ------------------------------------------------
    def authenticate(self, request: soap.Envelope | soap.ParsedRequest) -> str:
        if not request.user or request.password is None:
            raise soap.SoapFault(
                "authenticationFault", soap.NO_CREDENTIALS, "no credentials in the request"
            )
        account = self.config.users.get(request.user)
        if account is None:
            raise soap.SoapFault("authenticationFault", soap.INVALID_USER, "unknown user")
        if account.password != request.password:
            raise soap.SoapFault(
                "authenticationFault", soap.INVALID_CREDENTIALS, "invalid user name or password"
            )
        return request.user

    def check_company(self, user: str, company_handle: str | None) -> None:
        if company_handle is None:
            return
        if company_handle not in self.config.companies:
            raise soap.SoapFault(
                "authorizationFault", soap.INVALID_COMPANY, f"unknown company {company_handle!r}"
            )
        if company_handle not in self.config.users[user].companies:
            raise soap.SoapFault(
                "authorizationFault", soap.ILLEGAL_COMPANY, f"no access to {company_handle!r}"
            )

    # -- operations ------------------------------------------------------------------------
    def dispatch(self, user: str, op: str, p: Any) -> Any:
        engine = self.engine
        if op == "submitJob":
            return SubmitJobReturn(job_handle=engine.submit(p.company_handle, p, user))
        if op == "getActiveJobs":
            return GetActiveJobsReturn(
                job_array=engine.get_active_jobs(
                    company_handle=p.company_handle,
                    job_handle=p.job_handle,
                    original_name=p.original_name,
                )
            )
        if op == "getScheduledJobs":
            return GetScheduledJobsReturn(
                job_array=engine.get_scheduled_jobs(
                    p.company_handle, job_handle=p.job_handle, original_name=p.original_name
                )
            )
        if op == "getJobLogs":
            return JobLogsReturn(
                job_log_array=engine.get_job_logs(
                    company_handle=p.company_handle,
                    user_handle=p.user_handle,
                    sort_by=_value(p.sort_by),
                    sort_direction=_value(p.sort_direction),
                    start_date=p.start_date,
                    end_date=p.end_date,
                    num_rows=p.num_rows,
                )
            )
        if op == "getJobLogDetails":
            return JobLogsReturn(
                job_log_array=engine.get_job_log_details(
                    p.company_handle,
                    job_handle=p.job_handle,
                    original_name=p.original_name,
                    log_types=p.log_type_array,
                    records_per_page=p.records_per_page or 1000,
                    results_page=p.results_page or 1,
                    sort_by=_value(p.sort_by) or "Date",
                    sort_direction=_value(p.sort_direction) or "Ascending",
                )
            )
        if op in ("stopJob", "pauseJob", "resumeJob", "deleteJob", "executeJob"):
            method: Callable[[str, str], Any] = getattr(engine, _SNAKE[op])
            method(p.company_handle, p.job_handle)
            return EmptyReturn()
        if op == "getCompanyInfo":
            return GetCompanyInfoReturn(company_info=self.company_info(user, p))
        if op == "getProperty":
            if p.name not in self.config.properties:
                raise soap.api_fault(soap.INVALID_PARAMETER, f"name: unknown property {p.name!r}")
            return GetPropertyReturn(value=self.config.properties[p.name])
        raise soap.api_fault(soap.API_EXCEPTION, f"{op} is not implemented")  # pragma: no cover

    def company_info(self, user: str, p: Any) -> CompanyInfo:
        company: SimCompany | None = None
        if p.company_handle:
            company = self.config.companies.get(p.company_handle)
        else:
            company = next(
                (c for c in self.config.companies.values() if c.name == p.company_name), None
            )
        if company is None:
            raise soap.api_fault(
                soap.INVALID_PARAMETER,
                f"companyName: no company named {p.company_name!r}"
                if not p.company_handle
                else f"companyHandle: unknown company {p.company_handle!r}",
            )
        self.check_company(user, company.handle)
        return CompanyInfo(
            company_handle=company.handle, name=company.name, root_path=company.root_path
        )


_SNAKE = {
    "stopJob": "stop_job",
    "pauseJob": "pause_job",
    "resumeJob": "resume_job",
    "deleteJob": "delete_job",
    "executeJob": "execute_job",
}


def _value(enum_or_none: Any) -> Any:
    return getattr(enum_or_none, "value", enum_or_none)


def _job_name(request: soap.ParsedRequest) -> str | None:
    return getattr(request.param, "job_name", None) or getattr(request.param, "original_name", None)


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header allows a gzip-compressed answer."""
    for item in (accept_encoding or "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        return quality > 0
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # avoids the Nagle/delayed-ACK stall on keep-alive
    server: _Server
    server_version = "ips-simulator"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    # -- plumbing --------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str, *, compress: bool = False) -> None:
        if compress:
            body = gzip.compress(body, compresslevel=5, mtime=0)
            self._start(status, content_type, len(body), ("Content-Encoding", "gzip"))
        else:
            self._start(status, content_type, len(body))
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, default=str).encode(), "application/json")

    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, b"request too large", "text/plain")
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    # -- routes ----------------------------------------------------------------------------
    def do_GET(self) -> None:
        path = urlsplit(self.path)
        ctx = self.server.ctx
        if path.path == WSDL_PATH:
            host = self.headers.get("Host") or f"{self.server.host}:{self.server.port}"
            location = f"http://{host}{SERVICE_PATH}".encode()
            wsdl = re.sub(rb'location="[^"]*"', b'location="' + location + b'"', ctx.wsdl_template)
            ctx.record(CallRecord(0, "GET wsdl", datetime.now(timezone.utc).isoformat()))
            self._send(200, wsdl, "text/xml; charset=utf-8")
        elif path.path == "/_sim/health":
            self._json(200, {"status": "ok"})
        elif path.path == "/_sim/calls":
            since_text = parse_qs(path.query).get("since", ["0"])[0]
            if not since_text.isdigit():
                self._json(400, {"error": f"since: expected a call count >= 0, got {since_text!r}"})
                return
            since = int(since_text)
            with ctx.calls_lock:
                calls = [asdict(c) for c in ctx.calls[since:]]
            self._json(200, calls)
        elif path.path == "/_sim/faults":
            self._json(200, [r.to_json() for r in ctx.faults.rules()])
        else:
            self._json(404, {"error": f"no route {path.path}"})

    def do_DELETE(self) -> None:
        path = urlsplit(self.path).path
        ctx = self.server.ctx
        if path == "/_sim/calls":
            with ctx.calls_lock:
                ctx.calls.clear()
        elif path == "/_sim/faults":
            ctx.faults.clear()
        elif path == "/_sim/outcomes":
            ctx.engine.clear_scripts()
        else:
            self._json(404, {"error": f"no route {path}"})
            return
        self._json(200, {"ok": True})

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        body = self._body()
        if body is None:
            return
        if path == SERVICE_PATH:
            self._soap(body)
            return
        try:
            data = json.loads(body or b"{}")
            if not isinstance(data, dict):
                raise ValueError("body must be a JSON object")
            self._control(path, data)
        except (ValueError, TypeError) as exc:
            self._json(400, {"error": str(exc)})

    def _control(self, path: str, data: dict[str, Any]) -> None:
        ctx = self.server.ctx
        if path == "/_sim/faults":
            unknown = sorted(set(data) - FaultRule.SETTABLE)
            if unknown:
                raise ValueError(f"unknown field(s) {unknown}; known: {sorted(FaultRule.SETTABLE)}")
            rule = ctx.faults.add(FaultRule(**data))
            self._json(200, rule.to_json())
        elif path == "/_sim/outcomes":
            job_name = data.pop("job_name", None)
            count = data.pop("count", 1)
            ctx.engine.script_outcome(JobOutcome(**data), job_name=job_name, count=count)
            self._json(200, {"ok": True})
        elif path == "/_sim/reset":
            self.server.reset()
            self._json(200, {"ok": True})
        else:
            self._json(404, {"error": f"no route {path}"})

    def _soap(self, body: bytes) -> None:
        ctx = self.server.ctx
        record = CallRecord(0, None, datetime.now(timezone.utc).isoformat())
        envelope: soap.Envelope | None = None
        request: soap.ParsedRequest | None = None
        rule: FaultRule | None = None
        try:
            envelope = soap.read_envelope(
                body,
                self.headers.get("SOAPAction"),
                self.headers.get("Authorization"),
                self.headers.get("Content-Type"),
            )
            record.operation = envelope.operation.name
            record.user = envelope.user
            try:
                request = soap.validate(envelope)
            except soap.SoapFault:
                ctx.authenticate(envelope)  # bad credentials win over a bad body
                raise
            record.company_handle = getattr(request.param, "company_handle", None)
            record.job_name = _job_name(request)
            record.job_handle = getattr(request.param, "job_handle", None)
            rule = ctx.faults.pick(request.operation.name)
            if rule is not None:
                record.fault = rule.type.value
                if self._answer_instead(rule, request, record):
                    return
            user = ctx.authenticate(request)
            ctx.check_company(user, record.company_handle)
            result = ctx.dispatch(user, request.operation.name, request.param)
        except soap.SoapFault as fault:
            self._fault(fault, request or envelope, record)
            return
        except Exception as exc:  # engine faults and anything unexpected become IPS faults
            code = getattr(exc, "code", None)
            reason = getattr(exc, "reason", None) or str(exc)
            kind = getattr(exc, "kind", "api")
            element = {"authorization": "authorizationFault"}.get(str(kind), "ipsApiFault")
            if code is None:
                log.exception("simulator failed on %s", record.operation)
                code = soap.API_EXCEPTION
            failure = soap.SoapFault(element, int(code), str(reason))
            self._fault(failure, request or envelope, record)
            return
        if isinstance(result, SubmitJobReturn):
            record.job_handle = result.job_handle
        # the work is done: from here on, trouble sending is a lost answer, never a fault
        self._answer(rule, record, request, soap.response_envelope(request, result))

    def _gzip_wanted(self, gzip_response: bool | None) -> bool:
        """IPS compresses answers when the client accepts gzip, unless gzipResponse is false."""
        return gzip_response is not False and accepts_gzip(self.headers.get("Accept-Encoding"))

    def _fault(
        self,
        fault: soap.SoapFault,
        request: soap.Envelope | soap.ParsedRequest | None,
        record: CallRecord,
    ) -> None:
        if request is not None:
            fault.about(request)
        record.operation = record.operation or fault.operation
        record.user = record.user or fault.user
        record.result = f"fault:{fault.code}"
        self.server.ctx.record(record)
        status = fault.fault_http_status or 500
        version = fault.soap or soap.SOAP11
        ns = fault.namespace if self.server.ctx.config.fault_namespace == "request" else None
        body = soap.fault_envelope(fault, ns, version)
        self._send_quietly(
            status, body, version.content_type, compress=self._gzip_wanted(fault.gzip_response)
        )

    def _send_quietly(
        self, status: int, body: bytes, content_type: str, *, compress: bool = False
    ) -> None:
        """Send an answer for a call that did nothing: a client gone by now changes nothing."""
        try:
            self._send(status, body, content_type, compress=compress)
        except OSError:
            self.close_connection = True

    def _answer_instead(
        self, rule: FaultRule, request: soap.ParsedRequest, record: CallRecord
    ) -> bool:
        """Apply a rule before the work. True when the rule answered (or dropped) the call."""
        kind = rule.type
        if kind is FaultType.LATENCY:
            time.sleep(rule.seconds)  # a slow server: it still does the work afterwards
            return False
        if kind in AFTER_THE_WORK:
            return False
        if kind is FaultType.DROP:
            record.result = "dropped"
            self.server.ctx.record(record)
            self._drop()
            return True
        if kind in (FaultType.AUTH_FAULT, FaultType.API_FAULT):
            element = "authenticationFault" if kind is FaultType.AUTH_FAULT else "ipsApiFault"
            default = (
                soap.INVALID_CREDENTIALS if kind is FaultType.AUTH_FAULT else soap.API_EXCEPTION
            )
            raise soap.SoapFault(element, rule.code or default, rule.reason or "simulated fault")
        xml = request.soap.content_type
        if kind is FaultType.HTTP_ERROR:
            record.result = f"http:{rule.status}"
            status, body, content_type = rule.status, b"simulated server error", "text/plain"
        elif kind is FaultType.HTML:
            record.result = "html"
            status, body, content_type = 200, bad_replies.HTML_PAGE, "text/html; charset=utf-8"
        elif kind is FaultType.EMPTY:
            record.result = "empty"
            status, body, content_type = 200, b"", xml
        elif kind is FaultType.WRONG_SHAPE:
            record.result = "wrong_shape"
            status, body, content_type = 200, bad_replies.wrong_shape(request), xml
        else:  # FaultType.DTD
            record.result = "dtd"
            status, body, content_type = 200, bad_replies.dtd_reply(request), xml
        self.server.ctx.record(record)
        self._send_quietly(status, body, content_type)
        return True

    def _answer(
        self,
        rule: FaultRule | None,
        record: CallRecord,
        request: soap.ParsedRequest,
        reply: bytes,
    ) -> None:
        """Answer a call that was carried out; record it once, whatever becomes of the answer."""
        ctx = self.server.ctx
        kind = rule.type if rule is not None else None
        if kind is FaultType.DROP_AFTER:
            # the work is done, the answer is lost: what a client sees on a broken link
            record.result = "dropped_after"
            ctx.record(record)
            self._drop()
            return
        if kind is FaultType.LATENCY and self._client_gone():
            record.result = "answer_lost"  # it gave up while we were slow
            ctx.record(record)
            self.close_connection = True
            return
        if kind is FaultType.TRUNCATE:
            record.result = "truncated"
        ctx.record(record)  # now: the job exists while the client still waits
        content_type = request.soap.content_type
        compress = self._gzip_wanted(request.gzip_response)
        try:
            if rule is None or kind is FaultType.LATENCY:
                self._send(200, reply, content_type, compress=compress)
            else:
                self._send_faulty(rule, reply, content_type, compress)
        except OSError:
            ctx.answer_lost(record)
            self.close_connection = True

    def _send_faulty(self, rule: FaultRule, reply: bytes, xml: str, compress: bool) -> None:
        """Send a carried-out call's reply the way ``rule`` says (raw bytes, except ``late``)."""
        kind = rule.type
        size = rule.size if rule.size is not None else DEFAULT_SIZES.get(kind)
        if kind is FaultType.LATE:
            time.sleep(rule.seconds)
            if self._client_gone():
                raise ConnectionAbortedError("the client went away before the answer")
            self._send(200, reply, xml, compress=compress)
        elif kind is FaultType.TRICKLE:
            self._start(200, xml, len(reply))
            for i in range(len(reply)):
                if i and rule.seconds:
                    time.sleep(rule.seconds)
                self.wfile.write(reply[i : i + 1])
        elif kind is FaultType.HUGE:
            # chunked, as a streaming server sends it: the size shows only while reading
            head, pad, tail = bad_replies.split_for_padding(reply, size or 0)
            self._start(200, xml, None, ("Transfer-Encoding", "chunked"))
            for chunk in (head, *bad_replies.padding(pad), tail):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        elif kind is FaultType.GZIP_BOMB:
            length, pieces = bad_replies.gzip_padded(reply, size or 0)
            self._start(200, xml, length, ("Content-Encoding", "gzip"))
            for piece in pieces:
                self.wfile.write(piece)
        elif kind is FaultType.TRUNCATE:
            # no Content-Length, then close: the HTTP message ends cleanly, the XML does not
            cut = len(reply) // 2 if size is None else min(size, len(reply))
            self._start(200, xml, None, ("Connection", "close"))
            self.wfile.write(reply[:cut])
            self.close_connection = True
        else:  # pragma: no cover - every rule type after the work is handled above
            raise AssertionError(f"unhandled fault type {kind}")

    def _start(
        self, status: int, content_type: str, length: int | None, *extra: tuple[str, str]
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()

    def _client_gone(self) -> bool:
        """Whether the client hung up while the call was worked on (it sends nothing else)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], ctx: _Context, reset: Callable[[], None]) -> None:
        self.ctx = ctx
        self.reset = reset
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)
        self.host, self.port = str(self.server_address[0]), int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a client that gave up (timeout, dropped connection) is routine here, not a crash
        log.debug("connection from %s ended with an error", client_address, exc_info=True)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_all(self) -> None:
        """Close keep-alive connections still open, so handler threads end."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class IpsSimulator:
    """A local IPS on loopback. Use as a context manager or call start()/stop().

    >>> with IpsSimulator() as sim:  # doctest: +SKIP
    ...     sim.connection_json()
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        config: SimulatorConfig | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.config = config or SimulatorConfig()
        self._clock = clock or time.time
        self.engine = self._new_engine()
        self.faults = FaultPlan(self.config.fault_seed)
        self._ctx = _Context(self.config, self.engine, self.faults)
        self._server = _Server((host, port), self._ctx, self.reset)
        self._thread: threading.Thread | None = None

    def _new_engine(self) -> JobEngine:
        return JobEngine(
            self._clock,
            server_timezone=self.config.server_timezone,
            timing=self.config.timing,
            default_outcome=self.config.default_outcome,
        )

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> IpsSimulator:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.05,), name="ips-simulator", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._server.close_all()
        self._server.server_close()

    def __enter__(self) -> IpsSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget jobs, calls, scripted outcomes and fault rules."""
        self.engine.reset()
        self.faults.clear()
        with self._ctx.calls_lock:
            self._ctx.calls.clear()

    # -- addresses -------------------------------------------------------------------------
    @property
    def host(self) -> str:
        return str(self._server.host)

    @property
    def port(self) -> int:
        return int(self._server.port)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def service_url(self) -> str:
        return self.url + SERVICE_PATH

    @property
    def wsdl_url(self) -> str:
        return self.url + WSDL_PATH

    # -- what tests use ----------------------------------------------------------------------
    def calls(self, operation: str | None = None) -> list[CallRecord]:
        with self._ctx.calls_lock:
            return [c for c in self._ctx.calls if operation is None or c.operation == operation]

    def clear_calls(self) -> None:
        with self._ctx.calls_lock:
            self._ctx.calls.clear()

    def inject(self, type: FaultType | str, **kwargs: Any) -> FaultRule:
        return self.faults.add(FaultRule(type=FaultType(type), **kwargs))

    def script_outcome(
        self, outcome: JobOutcome | None = None, *, job_name: str | None = None,
        count: int | None = 1, **fields: Any,
    ) -> None:  # fmt: skip
        self.engine.script_outcome(outcome or JobOutcome(**fields), job_name=job_name, count=count)

    def connection(self, user: str = DEFAULT_USER) -> dict[str, Any]:
        """An Airflow connection (JSON form) for this simulator and one of its users.

        The scheme is in the host rather than a ``protocol: http`` extra: Airflow logs
        "Skipping masking for a secret as it's too short" for any extra under 5 characters.
        """
        account = self.config.users[user]
        return {
            "conn_type": "ips",
            "host": f"http://{self.host}",
            "port": self.port,
            "login": user,
            "password": account.password,
            "extra": {"company_handle": account.companies[0]},
        }

    def connection_json(self, user: str = DEFAULT_USER) -> str:
        return json.dumps(self.connection(user))
