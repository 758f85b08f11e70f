"""Airflow hooks for the IPS web service: a thin layer over the SOAP client core.

``IpsHook`` (sync) is what operators and sensors use on a worker; ``IpsAsyncHook`` is the
triggerer's read side. Both read the same ``ips`` connection and share the parsed WSDL.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from functools import cached_property
from typing import Any

from airflow.providers.common.compat.sdk import BaseHook

from airflow_provider_ips.checks import seconds, whole_number
from airflow_provider_ips.connection import (
    CONNECTION_TYPE,
    DEFAULT_CONN_ID,
    FIELD_BEHAVIOUR,
    HOOK_NAME,
    conn_fields,
)
from airflow_provider_ips.models import ActiveJob, CompanyInfo, JobLog, ScheduledJob
from airflow_provider_ips.models.operations import (
    DELETE_JOB,
    EXECUTE_JOB,
    GET_ACTIVE_JOBS,
    GET_COMPANY_INFO,
    GET_JOB_LOG_DETAILS,
    GET_JOB_LOGS,
    GET_PROPERTY,
    GET_SCHEDULED_JOBS,
    PAUSE_JOB,
    RESUME_JOB,
    STOP_JOB,
    SUBMIT_JOB,
    DeleteJobParam,
    ExecuteJobParam,
    GetActiveJobsParam,
    GetCompanyInfoParam,
    GetJobLogDetailsParam,
    GetJobLogsParam,
    GetPropertyParam,
    GetScheduledJobsParam,
    PauseJobParam,
    ResumeJobParam,
    StopJobParam,
)
from airflow_provider_ips.models.submit import SubmitJobParam
from airflow_provider_ips.watch import (
    JobSighting,
    JobWatch,
    WatchStep,
    arun_lookup,
    lookup_steps,
    run_lookup,
)

#: Hook settings an operator or sensor hands on to its hook and trigger (``hook_params``).
HOOK_PARAM_KEYS = ("retry_attempts", "retry_base_delay", "retry_max_delay", "submit_grace")


def hook_kwargs(params: dict[str, Any] | None) -> dict[str, Any]:
    """The :class:`IpsHook` / :class:`IpsAsyncHook` keyword arguments among ``params``."""
    return {k: v for k, v in (params or {}).items() if k in HOOK_PARAM_KEYS and v is not None}


#: HTTP statuses that say the server did not take the request: safe to send it again at once.
NOT_PROCESSED_STATUSES = frozenset({408, 429, 503})

_company_cache: dict[tuple[str, str, str], str] = {}
_company_lock = threading.Lock()


def _connection_endpoint(conn: Any) -> Any:
    from airflow_provider_ips.soap.endpoint import IpsEndpoint

    # The Extra text, not extra_dejson: that offers every extra value to the secrets masker,
    # which logs "Skipping masking for a secret as it's too short" for region "na" or protocol
    # "http" in every task. No extra is secret; the password is masked as Airflow fetches it.
    return IpsEndpoint.from_fields(
        host=conn.host,
        port=conn.port,
        login=conn.login,
        password=conn.password,
        extra=conn.extra,
    )


class _IpsHookBase(BaseHook):
    conn_name_attr = "ips_conn_id"
    default_conn_name = DEFAULT_CONN_ID
    conn_type = CONNECTION_TYPE
    hook_name = HOOK_NAME

    def __init__(
        self,
        ips_conn_id: str = default_conn_name,
        *,
        retry_attempts: int = 4,
        retry_base_delay: float = 0.5,
        retry_max_delay: float = 15.0,
        submit_grace: float | None = None,
    ) -> None:
        super().__init__()
        self.ips_conn_id = ips_conn_id
        self.retry_attempts = whole_number(retry_attempts, "retry_attempts")
        self.retry_base_delay = seconds(retry_base_delay, "retry_base_delay", zero_ok=True)
        self.retry_max_delay = seconds(retry_max_delay, "retry_max_delay", zero_ok=True)
        self._submit_grace = (
            None if submit_grace is None else seconds(submit_grace, "submit_grace", zero_ok=True)
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(ips_conn_id={self.ips_conn_id!r})"

    @cached_property
    def retry_policy(self) -> Any:
        from airflow_provider_ips.soap.retry import RetryPolicy

        return RetryPolicy(self.retry_attempts, self.retry_base_delay, self.retry_max_delay)

    @staticmethod
    def _cache_key(endpoint: Any, name: str) -> tuple[str, str, str]:
        return (endpoint.base_url, endpoint.credentials.user, name)

    @staticmethod
    def _options_with_wsdl(endpoint: Any) -> Any:
        from dataclasses import replace

        from airflow_provider_ips.soap.endpoint import resolve_wsdl

        return replace(endpoint.options, wsdl=resolve_wsdl(endpoint))


class IpsHook(_IpsHookBase):
    """Talk to IPS from a worker.

    :param ips_conn_id: The ``ips`` connection to use (default ``ips_default``).
    :param retry_attempts: Tries per call for transport errors and HTTP 5xx (first included).
    :param retry_base_delay: First backoff in seconds; doubles per retry, with full jitter.
    :param retry_max_delay: Longest backoff in seconds.
    """

    @cached_property
    def endpoint(self) -> Any:
        """The resolved connection (``IpsEndpoint``); validated, secrets kept out of reprs."""
        return _connection_endpoint(self.get_connection(self.ips_conn_id))

    @cached_property
    def client(self) -> Any:
        from airflow_provider_ips.soap.client import IpsSoapClient

        endpoint = self.endpoint
        return IpsSoapClient(self._options_with_wsdl(endpoint), endpoint.credentials)

    def get_conn(self) -> Any:
        return self.client

    @classmethod
    def get_connection_form_widgets(cls) -> dict[str, Any]:
        """The extra fields' form widgets, for Airflow before 3.2 (later ones read the
        provider info's ``conn-fields``, made from the same model)."""
        from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
        from flask_babel import lazy_gettext
        from wtforms import BooleanField, IntegerField, StringField
        from wtforms.validators import Optional, any_of

        widgets: dict[str, Any] = {}
        for name, field in conn_fields().items():
            schema = field["schema"]
            kind = schema["type"][0]
            label = lazy_gettext(field["label"])
            common = {"description": field["description"], "default": schema.get("default")}
            if kind == "boolean":
                widgets[name] = BooleanField(label, **common)
                continue
            validators = [Optional()]
            if "enum" in schema:
                validators.append(any_of(schema["enum"]))
            form_field = IntegerField if kind == "integer" else StringField
            if kind == "number":  # the forms have no field for fractions: typed as text
                common["default"] = format(common["default"], "g")
            widgets[name] = form_field(
                label, widget=BS3TextFieldWidget(), validators=validators, **common
            )
        return widgets

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        """How the standard fields show, for Airflow before 3.2 (``ui-field-behaviour``)."""
        return copy.deepcopy(FIELD_BEHAVIOUR)

    def close(self) -> None:
        if "client" in self.__dict__:
            self.client.close()
            del self.__dict__["client"]

    # -- plumbing ----------------------------------------------------------------------------
    #: Injectable for tests: how the hook waits and tells the time.
    sleep: Callable[[float], None] = staticmethod(time.sleep)
    clock: Callable[[], float] = staticmethod(time.time)
    #: Epoch seconds by which every call must have ended (set by :meth:`deadline`).
    _deadline: float | None = None

    @contextlib.contextmanager
    def deadline(self, at: float | None) -> Iterator[None]:
        """Within the block, each call (and its retries) ends by ``at`` (epoch seconds)."""
        previous, self._deadline = self._deadline, at
        try:
            yield
        finally:
            self._deadline = previous

    def _send(self, operation: Any, param: Any) -> Any:
        if self._deadline is None:
            return self.client.call(operation, param)
        from airflow_provider_ips.soap.errors import IpsTimeoutError

        left = self._deadline - self.clock()
        if left <= 0:
            error = IpsTimeoutError(f"no time left for {operation.name} before the deadline")
            error.retryable = False
            raise error
        return self.client.call(operation, param, timeout=left)

    def _call(self, operation: Any, param: Any, *, retry: bool | None = None) -> Any:
        from airflow_provider_ips.soap.retry import NO_RETRY, call_with_retry

        retry = operation.read_only if retry is None else retry
        policy = self.retry_policy if retry else NO_RETRY
        return call_with_retry(
            lambda: self._send(operation, param), policy, what=operation.name, sleep=self.sleep
        )

    @property
    def submit_grace(self) -> float:
        """Seconds a lost submitJob answer is given to show up as a job before sending again.

        Longer than IPS could still be working on the first request: by default ten call
        timeouts plus 30 s (a server may take that long to create a job it already took).
        """
        if self._submit_grace is not None:
            return self._submit_grace
        return 10 * float(self.endpoint.options.timeout) + 30.0

    @property
    def company_handle(self) -> str:
        """The connection's company handle; a company name is resolved once per process."""
        endpoint = self.endpoint
        if endpoint.company_handle:
            return str(endpoint.company_handle)
        if not endpoint.company_name:
            raise ValueError(
                f"connection {self.ips_conn_id!r}: set extra company_handle or company"
            )
        key = self._cache_key(endpoint, endpoint.company_name)
        with _company_lock:
            if key in _company_cache:
                return _company_cache[key]
        handle = str(self.get_company_info(name=endpoint.company_name).company_handle)
        with _company_lock:
            _company_cache[key] = handle
        return str(handle)

    # -- jobs --------------------------------------------------------------------------------
    def submit_job(self, param: SubmitJobParam) -> str:
        """Submit a job exactly once; returns its job handle.

        A failure after the request went out (a timeout, a dropped connection, a 5xx) does
        not tell whether IPS took the job. Then nothing is sent again until the job name has
        been looked up and found nowhere for :attr:`submit_grace` seconds; a job that shows up
        meanwhile is adopted. Faults IPS answered with are final (nothing was created).
        """
        from airflow_provider_ips.soap.retry import call_with_retry

        def adopt(error: BaseException) -> str | None:
            if not _maybe_accepted(error):
                return None
            return self._adopt_lost_submission(param.job_name, error)

        return call_with_retry(
            lambda: str(self._send(SUBMIT_JOB, param).job_handle),
            self.retry_policy,
            what=f"submitJob {param.job_name!r}",
            after_failure=adopt,
            sleep=self.sleep,
        )

    def _adopt_lost_submission(self, job_name: str, error: BaseException) -> str | None:
        """The handle of a job IPS created from a request whose answer was lost, or None
        once the name has been found nowhere for the whole grace period."""
        from airflow_provider_ips.soap.errors import IpsError, IpsTransportError

        grace = self.submit_grace
        started = self.clock()
        interval = min(max(grace / 10, 0.2), 10.0)
        self.log.warning(
            "submitJob %r: no answer (%s); IPS may have taken it. Looking for the job by name "
            "for up to %gs before sending it again",
            job_name, error, grace,
        )  # fmt: skip
        while True:
            try:
                seen = self.find_job(name=job_name)
            except IpsError as exc:
                self.log.warning("Looking up job %r failed: %s", job_name, exc)
                if self.clock() - started > 2 * grace:
                    raise IpsTransportError(
                        f"submitJob {job_name!r}: the answer was lost and IPS could not be asked "
                        f"whether it took the job ({exc}); not sending it again"
                    ) from None
            else:
                if seen.found and seen.job_handle:
                    self.log.warning(
                        "submitJob %r: IPS had taken it (job handle %s); not sent again",
                        job_name, seen.job_handle,
                    )  # fmt: skip
                    return seen.job_handle
                if self.clock() - started >= grace:
                    return None
            self.sleep(interval)

    def find_job(self, *, name: str | None = None, handle: str | None = None) -> JobSighting:
        """Look a job up by original name or handle: its run, schedule entry and log.

        The one lookup every path uses (adopting by name, waiting, the sensor); see
        :func:`airflow_provider_ips.watch.lookup_steps`.
        """
        return run_lookup(self, lookup_steps(handle=handle, name=name))

    def poll(self, watch: JobWatch, interval: float) -> WatchStep:
        """One poll of a watched job, bounded by the watch's deadline."""
        try:
            with self.deadline(watch.state.deadline):
                seen = self.find_job(handle=watch.state.job_handle)
        except Exception as exc:
            return watch.poll_failed(exc, self.clock(), interval)
        return watch.saw(seen, self.clock())

    def get_active_jobs(
        self, job_handle: str | None = None, original_name: str | None = None
    ) -> list[ActiveJob]:
        param = GetActiveJobsParam(
            company_handle=self.company_handle, job_handle=job_handle, original_name=original_name
        )
        return list(self._call(GET_ACTIVE_JOBS, param).job_array)

    def get_scheduled_jobs(
        self, job_handle: str | None = None, original_name: str | None = None
    ) -> list[ScheduledJob]:
        param = GetScheduledJobsParam(
            company_handle=self.company_handle, job_handle=job_handle, original_name=original_name
        )
        return list(self._call(GET_SCHEDULED_JOBS, param).job_array)

    def get_job_logs(
        self,
        user_handle: str | None = None,
        sort_by: str | None = None,
        sort_direction: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        num_rows: int | None = None,
    ) -> list[JobLog]:
        param = GetJobLogsParam(
            company_handle=self.company_handle,
            user_handle=user_handle,
            sort_by=sort_by,
            sort_direction=sort_direction,
            start_date=start_date,
            end_date=end_date,
            num_rows=num_rows,
        )
        return list(self._call(GET_JOB_LOGS, param).job_log_array)

    def get_job_log_details(
        self,
        job_handle: str | None = None,
        original_name: str | None = None,
        log_types: list[str] | None = None,
        records_per_page: int | None = None,
        results_page: int | None = None,
        sort_by: str | None = None,
        sort_direction: str | None = None,
        all_pages: bool = False,
    ) -> list[JobLog]:
        """Job logs with detail rows; ``all_pages`` follows the pages until every row is in.

        Without ``job_handle`` and ``original_name``: every job log of the company, each
        with its first page of rows (all of them with ``all_pages``; the later pages are
        asked for per log, by its job handle).
        """
        page = results_page or 1
        param = GetJobLogDetailsParam(
            company_handle=self.company_handle,
            job_handle=job_handle,
            original_name=original_name,
            log_type_array=log_types,
            records_per_page=records_per_page,
            results_page=page,
            sort_by=sort_by,
            sort_direction=sort_direction,
        )
        logs: list[JobLog] = list(self._call(GET_JOB_LOG_DETAILS, param).job_log_array)
        if all_pages:
            logs = [self._remaining_pages(log, param) for log in logs]
        return logs

    def _remaining_pages(self, log: JobLog, param: GetJobLogDetailsParam) -> JobLog:
        from airflow_provider_ips.soap.pages import merge_detail_pages

        return merge_detail_pages(
            log,
            param,
            lambda p: self._call(GET_JOB_LOG_DETAILS, p).job_log_array,
        )

    def stop_job(self, job_handle: str) -> None:
        self._call(
            STOP_JOB,
            StopJobParam(company_handle=self.company_handle, job_handle=job_handle),
            retry=True,
        )

    def pause_job(self, job_handle: str) -> None:
        self._call(
            PAUSE_JOB,
            PauseJobParam(company_handle=self.company_handle, job_handle=job_handle),
            retry=True,
        )

    def resume_job(self, job_handle: str) -> None:
        self._call(
            RESUME_JOB,
            ResumeJobParam(company_handle=self.company_handle, job_handle=job_handle),
            retry=True,
        )

    def delete_job(self, job_handle: str) -> None:
        self._call(
            DELETE_JOB,
            DeleteJobParam(company_handle=self.company_handle, job_handle=job_handle),
            retry=True,
        )

    def execute_job(self, job_handle: str) -> None:
        # not retried: a lost answer may hide a run IPS already started
        self._call(
            EXECUTE_JOB,
            ExecuteJobParam(company_handle=self.company_handle, job_handle=job_handle),
            retry=False,
        )

    # -- company and properties ----------------------------------------------------------
    def get_company_info(self, name: str | None = None, handle: str | None = None) -> CompanyInfo:
        param = GetCompanyInfoParam(company_handle=handle, company_name=name)
        info: CompanyInfo = self._call(GET_COMPANY_INFO, param).company_info
        return info

    def get_property(self, name: str) -> str:
        return str(self._call(GET_PROPERTY, GetPropertyParam(name=name)).value or "")

    def test_connection(self) -> tuple[bool, str]:
        """For the UI's Test button and ``airflow connections test``: credentials and company."""
        from airflow_provider_ips.soap.endpoint import ConnectionConfigError
        from airflow_provider_ips.soap.errors import (
            IpsAuthenticationError,
            IpsAuthorizationError,
            IpsError,
            IpsTransportError,
        )

        try:
            endpoint = self.endpoint
            if endpoint.company_handle:
                company = self.get_company_info(handle=endpoint.company_handle)
            elif endpoint.company_name:
                company = self.get_company_info(name=endpoint.company_name)
            else:
                return False, "No company: set extra 'company' (name) or 'company_handle'"
        except ConnectionConfigError as exc:
            return False, f"Connection is misconfigured: {exc}"
        except IpsAuthenticationError as exc:
            code = f" (code {exc.code})" if exc.code is not None else ""
            return False, f"Authentication failed{code}: {exc.reason}"
        except IpsAuthorizationError as exc:
            return False, f"Company not accessible (code {exc.code}): {exc.reason}"
        except IpsTransportError as exc:
            return False, f"IPS unreachable at {self.endpoint.base_url}: {exc}"
        except IpsError as exc:
            return False, f"IPS rejected the check: {exc}"
        return True, (
            f"Connected to IPS at {endpoint.base_url} as {endpoint.credentials.user}; "
            f"company {company.name!r} (handle {company.company_handle})"
        )


def _maybe_accepted(error: BaseException) -> bool:
    """Whether IPS may have carried out a request that failed this way."""
    if getattr(error, "request_sent", True) is False:
        return False  # never left this machine (connection refused, connect timeout)
    return getattr(error, "status_code", None) not in NOT_PROCESSED_STATUSES


class IpsAsyncHook(_IpsHookBase):
    """What triggers need from IPS (reads, and stop), on asyncio: nothing blocks the loop.

    Shares the parsed WSDL and company-name cache with :class:`IpsHook`.
    """

    def __init__(self, ips_conn_id: str = _IpsHookBase.default_conn_name, **kwargs: Any) -> None:
        super().__init__(ips_conn_id, **kwargs)
        self._endpoint: Any = None
        self._client: Any = None
        self._company: str | None = None

    async def aendpoint(self) -> Any:
        if self._endpoint is None:
            from airflow.providers.common.compat.connection import get_async_connection

            conn = await get_async_connection(self.ips_conn_id, hook=self)
            # reading the connection loads the SOAP layer (zeep, lxml): off the loop
            self._endpoint = await asyncio.to_thread(_connection_endpoint, conn)
        return self._endpoint

    async def aclient(self) -> Any:
        if self._client is None:
            endpoint = await self.aendpoint()
            # imports, WSDL fetching and parsing, TLS set-up, validators: off the loop
            self._client = await asyncio.to_thread(self._build_async_client, endpoint)
        return self._client

    @classmethod
    def _build_async_client(cls, endpoint: Any) -> Any:
        from airflow_provider_ips.soap.client import build_async_client

        return build_async_client(cls._options_with_wsdl(endpoint), endpoint.credentials)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    #: Injectable for tests: how the hook waits between tries.
    asleep: Callable[[float], Awaitable[None]] = staticmethod(asyncio.sleep)

    async def _acall(self, operation: Any, param: Any) -> Any:
        from airflow_provider_ips.soap.retry import acall_with_retry

        client = await self.aclient()
        return await acall_with_retry(
            lambda: client.call(operation, param),
            self.retry_policy,
            what=operation.name,
            sleep=self.asleep,
        )

    async def acompany_handle(self) -> str:
        # Every call starts here. The client comes first: building it (in a worker thread)
        # also builds the validators of the request models the call is about to make.
        await self.aclient()
        if self._company:
            return self._company
        endpoint = await self.aendpoint()
        if endpoint.company_handle:
            self._company = str(endpoint.company_handle)
            return self._company
        if not endpoint.company_name:
            raise ValueError(
                f"connection {self.ips_conn_id!r}: set extra company_handle or company"
            )
        key = self._cache_key(endpoint, endpoint.company_name)
        with _company_lock:
            cached = _company_cache.get(key)
        if cached is None:
            info = await self._acall(
                GET_COMPANY_INFO, GetCompanyInfoParam(company_name=endpoint.company_name)
            )
            cached = str(info.company_info.company_handle)
            with _company_lock:
                _company_cache[key] = cached
        self._company = cached
        return cached

    async def get_active_jobs(
        self, job_handle: str | None = None, original_name: str | None = None
    ) -> list[ActiveJob]:
        param = GetActiveJobsParam(
            company_handle=await self.acompany_handle(),
            job_handle=job_handle,
            original_name=original_name,
        )
        return list((await self._acall(GET_ACTIVE_JOBS, param)).job_array)

    async def get_scheduled_jobs(
        self, job_handle: str | None = None, original_name: str | None = None
    ) -> list[ScheduledJob]:
        param = GetScheduledJobsParam(
            company_handle=await self.acompany_handle(),
            job_handle=job_handle,
            original_name=original_name,
        )
        return list((await self._acall(GET_SCHEDULED_JOBS, param)).job_array)

    async def get_job_logs(
        self,
        user_handle: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        num_rows: int | None = None,
    ) -> list[JobLog]:
        param = GetJobLogsParam(
            company_handle=await self.acompany_handle(),
            user_handle=user_handle,
            start_date=start_date,
            end_date=end_date,
            num_rows=num_rows,
        )
        return list((await self._acall(GET_JOB_LOGS, param)).job_log_array)

    async def get_job_log_details(
        self,
        job_handle: str | None = None,
        original_name: str | None = None,
        log_types: list[str] | None = None,
        records_per_page: int | None = None,
        all_pages: bool = False,
    ) -> list[JobLog]:
        """:meth:`IpsHook.get_job_log_details` on asyncio (no handle: the whole company)."""
        from airflow_provider_ips.soap.pages import amerge_detail_pages

        param = GetJobLogDetailsParam(
            company_handle=await self.acompany_handle(),
            job_handle=job_handle,
            original_name=original_name,
            log_type_array=log_types,
            records_per_page=records_per_page,
            results_page=1,
        )
        logs: list[JobLog] = list((await self._acall(GET_JOB_LOG_DETAILS, param)).job_log_array)
        if not all_pages:
            return logs

        async def fetch(p: GetJobLogDetailsParam) -> list[JobLog]:
            return list((await self._acall(GET_JOB_LOG_DETAILS, p)).job_log_array)

        return [await amerge_detail_pages(log, param, fetch) for log in logs]

    async def find_job(
        self,
        *,
        name: str | None = None,
        handle: str | None = None,
        active: list[ActiveJob] | None = None,
    ) -> JobSighting:
        """:meth:`IpsHook.find_job` on asyncio; ``active``: a company-wide list already read."""
        return await arun_lookup(self, lookup_steps(handle=handle, name=name, active=active))

    async def stop_job(self, job_handle: str) -> None:
        param = StopJobParam(company_handle=await self.acompany_handle(), job_handle=job_handle)
        await self._acall(STOP_JOB, param)
