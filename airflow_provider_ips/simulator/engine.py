"""The simulator's job engine: IPS job life cycles, schedules and job logs, in memory.

Pure Python (pydantic models and the Quartz schedule module only), so it can be driven
directly by tests with a fake clock. Every public method takes the engine lock and first
advances the simulated world to ``clock()``; nothing runs in the background.

Semantics (the IPS reference leaves these open; the simulator fixes them as follows):

Life cycle of a job run
    ``New`` (``Timing.new_seconds``) -> ``WaitingCoordinator`` (``Timing.waiting_seconds``)
    -> ``Running`` (``JobOutcome.duration``; progress rises from 0, the message counts files)
    -> ``Done`` (progress 100). The run stays in the active list as ``Done`` for
    ``Timing.done_seconds`` and then leaves it. ``Done`` means *finished*, not *succeeded*: a
    fatal run is ``Done`` too.

Job logs
    A run's log is written from its start, as IPS writes it: a ``Begin...`` row and an
    ``OriginalJobName`` row at once, a row per file as files are processed (counts growing,
    ``totalFileCount`` 0, log type the ``Begin...`` type, no end date). When the run ends
    its ending is written: the ``End...`` row (or ``FatalError``), the end date, the total.
    By default that happens the moment the run ends; with ``Timing.log_lag_seconds`` it
    happens that long after the run left the active list, which reproduces the race where a
    job is gone from ``getActiveJobs`` while its log still reads as running. A log is final
    exactly when :func:`airflow_provider_ips.watch.log_is_final` says so (end date, or an
    ``End...`` / ``FatalError`` row).

``execTime``
    A job whose ``exec_time`` is in the future is a one-shot scheduled job: it is listed by
    :meth:`JobEngine.get_scheduled_jobs` (``next_fire_time`` = ``exec_time``, no
    ``exec_schedule``, trigger ``Normal``) and **not** by :meth:`JobEngine.get_active_jobs`
    until it fires. When it fires it leaves the scheduled list and runs as an active job with
    the *same* handle, so a caller can follow one handle from submission to its log. An
    ``exec_time`` that is not in the future runs the job immediately.

``execSchedule``
    A recurring scheduled job (trigger ``Normal``) with ``next_fire_time`` computed by
    :class:`~airflow_provider_ips.schedule.QuartzSchedule` in the server time zone. Each fire
    starts a run: an active job with its own handle, the name
    ``"<scheduled name>_<YYYY-MM-DD-HH:MM:SS>"`` and the scheduled job's *name* as its
    original name. Each run writes its own log. Logs and active runs can be looked up by the
    run's handle or by the scheduled job's handle (which selects all of its runs). When the
    clock jumps ahead, missed fire times are replayed at their exact times (up to 1000 in a
    row; beyond that the rest are skipped, like a Quartz misfire).

Names
    ``original_name`` is the submitted ``job_name``; ``name`` is unique among the company's
    active and scheduled jobs: the submitted name if free, otherwise ``"<name>_<k>"``.

``stop_job``
    An active run goes to ``Stopping`` (progress frozen) for ``Timing.stopping_seconds``,
    then leaves the active list with a log that can never pass for a success:
    ``fatal_error=True``, ``log_type="FatalError"``, no ``End...`` row, and a final
    ``FatalError`` detail row whose message starts with :data:`STOPPED_MESSAGE`. Stopping a
    one-shot job that has not fired yet cancels it with the same kind of log. Stopping a
    recurring scheduled job stops its runs in progress (fault 30001 if there are none).

``delete_job``
    A scheduled job is removed (runs already in progress carry on). An unfinished job ends at
    once with a log like a stopped one, but :data:`DELETED_MESSAGE`. A one-shot job that has
    not fired yet is removed with such a log too, so its handle always ends in a log.

``pause_job`` / ``resume_job``
    A scheduled job's trigger becomes ``Paused`` (it does not fire; ``next_fire_time`` is
    kept) and ``Normal`` again. On resume a one-shot job whose time has passed fires at once;
    a recurring job skips the fire times it missed. An active job that is paused freezes
    (phase timer and progress) and reports state ``WaitingClient`` with the progress message
    ``"Paused"``: it waits for the client to resume it. Pausing or resuming twice is a no-op.

``execute_job``
    Runs a scheduled job now: one extra run of a recurring job (its schedule is unchanged,
    even when paused), or the early firing of a one-shot job.

Outcome of a run (:class:`JobOutcome`)
    ``files`` succeed, ``warnings`` more files get a warning, ``errors`` more fail,
    ``duplicates`` more are skipped as duplicates; the first ``updates`` successful files
    replaced existing assets; ``files=None`` means one per file the job names (each URL of an
    ``UploadUrlsJob``). ``total_file_count`` is the sum of the four. Details: a ``Begin...``
    row, an ``OriginalJobName`` row, one row per file (plus a ``FileUpdated`` row per update),
    an ``End...`` row. File names come from the job where it names them (see
    :class:`_AssetNames`). The finished log's ``log_type`` is the ``End...`` type. A fatal
    outcome fails at half its ``duration`` (progress stops at 50) after processing half its
    files: no ``End...`` row, a ``FatalError`` row with ``fatal_message``, ``log_type``
    ``FatalError`` and ``fatal_error=True``. The row types per job type are in
    :data:`LOG_TYPES`.

Faults
    :class:`EngineFault` carries an IPS fault ``code`` and ``reason`` and a ``kind``
    (``"api"`` or ``"authorization"``), for the SOAP layer to turn into a SOAP fault. Control
    operations on a handle that was never issued, belongs to another company, or has already
    finished raise 30001; missing required arguments raise 30002.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import math
import threading
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from airflow_provider_ips.models import (
    JOB_TYPES,
    ActiveJob,
    ActiveJobState,
    JobDetailSortField,
    JobLog,
    JobLogDetail,
    JobLogFileType,
    JobLogSortField,
    JobLogType,
    JobTriggerState,
    JobType,
    ScheduledJob,
    SortDirection,
    SubmitJobParam,
)
from airflow_provider_ips.schedule import InvalidScheduleError, QuartzSchedule

__all__ = [
    "DELETED_MESSAGE",
    "INVALID_COMPANY",
    "INVALID_PARAMETER",
    "LOG_TYPES",
    "MISSING_PARAMETER",
    "SERVER_NAME",
    "STOPPED_MESSAGE",
    "EngineAuthorizationFault",
    "EngineFault",
    "JobEngine",
    "JobLogTypes",
    "JobOutcome",
    "Timing",
]

#: IPS fault codes the engine raises.
INVALID_COMPANY = 20000
INVALID_PARAMETER = 30001
MISSING_PARAMETER = 30002

#: ``ActiveJob.server_name`` of every job.
SERVER_NAME = "ips-simulator"
#: Start of the ``FatalError`` detail message of a stopped job.
STOPPED_MESSAGE = "Job stopped by request"
#: Start of the ``FatalError`` detail message of a deleted job.
DELETED_MESSAGE = "Job deleted by request"

#: A fatal outcome fails after this fraction of its duration (and of its files).
_FATAL_POINT = 0.5

_MAX_RECORDS_PER_PAGE = 1000
#: A recurring job replays at most this many missed fire times when the clock jumps ahead.
_MAX_BACKLOG_RUNS = 1000


# --- faults ----------------------------------------------------------------------------------


class EngineFault(Exception):
    """An IPS fault: ``code`` and ``reason`` as IPS would send them, ``kind`` its family."""

    kind: str = "api"

    def __init__(self, code: int, reason: str) -> None:
        self.code = code
        self.reason = reason
        super().__init__(f"IPS {self.kind} fault {code}: {reason}")

    def __reduce__(self) -> tuple[type, tuple[int, str]]:
        return type(self), (self.code, self.reason)


class EngineAuthorizationFault(EngineFault):
    """The company is unknown to the engine (only when it was given a list of companies)."""

    kind = "authorization"


def _invalid(reason: str) -> EngineFault:
    return EngineFault(INVALID_PARAMETER, reason)


def _missing(reason: str) -> EngineFault:
    return EngineFault(MISSING_PARAMETER, reason)


# --- configuration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """How long a run stays in each phase (seconds of the engine's clock)."""

    new_seconds: float = 0.05
    waiting_seconds: float = 0.05
    #: How long a finished run stays in the active list as ``Done``.
    done_seconds: float = 0.05
    #: How long a stopped run stays in the active list as ``Stopping``.
    stopping_seconds: float = 0.05
    #: How long after a run left the active list its log gets its ending (the ``End...`` or
    #: ``FatalError`` row and the end date); until then the log reads as still running.
    #: ``0``: the ending is written the moment the run ends (while it is still ``Done``).
    log_lag_seconds: float = 0.0

    def __post_init__(self) -> None:
        for name in (
            "new_seconds", "waiting_seconds", "done_seconds", "stopping_seconds",
            "log_lag_seconds",
        ):  # fmt: skip
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{name}: must be a finite number >= 0, got {value!r}")


@dataclass(frozen=True)
class JobOutcome:
    """What a run does: how long it runs and what it reports per file."""

    duration: float = 1.0
    #: Files that succeed; ``None``: one per file the job names (each URL of an
    #: ``UploadUrlsJob``), or :data:`DEFAULT_FILES` for jobs that name none.
    files: int | None = 3
    warnings: int = 0
    errors: int = 0
    fatal: bool = False
    fatal_message: str = "Simulated fatal error"
    duplicates: int = 0
    updates: int = 0

    def __post_init__(self) -> None:
        if (
            not isinstance(self.duration, (int, float))
            or isinstance(self.duration, bool)
            or not math.isfinite(self.duration)
            or self.duration < 0
        ):
            raise ValueError(f"duration: must be a finite number >= 0, got {self.duration!r}")
        for name in ("files", "warnings", "errors", "duplicates", "updates"):
            value = getattr(self, name)
            if value is None and name == "files":
                continue
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name}: must be an integer >= 0, got {value!r}")
        if not isinstance(self.fatal, bool):
            raise ValueError(f"fatal: must be true or false, got {self.fatal!r}")
        if not isinstance(self.fatal_message, str):
            raise ValueError("fatal_message: must be a string")


# --- log types per job type ------------------------------------------------------------------


@dataclass(frozen=True)
class JobLogTypes:
    """The job type a submission reports and the log row types its runs write.

    Every value is one the IPS reference documents (Job Types and Job Log Types constants),
    spelled as documented; where a job has no constant of its own the closest documented one
    stands in (see docs/ips-fidelity.md).
    """

    #: ``ActiveJob.type`` / ``ScheduledJob.type``; None: left out (no documented type fits).
    job_type: JobType | None
    label: str
    begin: JobLogType | str
    success: JobLogType | str
    warning: JobLogType | str
    error: JobLogType | str
    end: JobLogType | str
    asset_type: JobLogFileType
    #: Asset names are ``f"{asset_prefix}-{n:03d}{asset_suffix}"`` unless the job names them.
    asset_prefix: str = "file"
    asset_suffix: str = ".jpg"


_L = JobLogType
_F = JobLogFileType
_J = JobType

#: Documented spellings the models correct: the simulator sends them as documented, so the
#: client is tested against them (``BeginVideoPubl]ish`` is markup damage, not a spelling).
VIDEO_PUBLISH_SUCCESS_AS_DOCUMENTED = "VideoPubilshSuccess"
END_REOPTIMIZE_AS_DOCUMENTED = "endReoptimize"

#: Per ``SubmitJobParam`` job field. Stand-ins (the reference has no constant of the job's
#: own): no job type for ``ExportJob``; ``UploadFromServerDirectory`` for the jobs that
#: re-run upload processing on files already on the server (PDF rip, reprocessing, set
#: generation); ``UploadWarning`` for the warning rows of the families without a warning
#: constant (export, reoptimize, PDF rip), ``ImageServingPublishWarning`` for image
#: rendering; ``UploadSuccess`` and ``EndUpload`` for the PDF-rip family, which documents
#: only ``BeginPdfRip`` and ``PdfRipError``.
# fmt: off
LOG_TYPES: dict[str, JobLogTypes] = {
    "export_job": JobLogTypes(
        None, "Export", _L.BEGIN_GET, _L.RETURN_SUCCESS, _L.UPLOAD_WARNING, _L.GET_FAILURE,
        _L.END_GET, _F.MASTER_IMAGE,
    ),
    "image_serving_publish_job": JobLogTypes(
        _J.IMAGE_SERVING_PUBLISH, "Image Serving publish", _L.BEGIN_IMAGE_SERVING_PUBLISH,
        _L.IMAGE_SERVING_PUBLISH_SUCCESS, _L.IMAGE_SERVING_PUBLISH_WARNING,
        _L.IMAGE_SERVING_PUBLISH_ERROR, _L.END_IMAGE_SERVING_PUBLISH, _F.MASTER_IMAGE,
    ),
    "image_rendering_publish_job": JobLogTypes(
        _J.IMAGE_RENDERING_PUBLISH, "Image Rendering publish",
        _L.BEGIN_IMAGE_RENDERING_PUBLISH, _L.IMAGE_RENDERING_PUBLISH_SUCCESS,
        _L.IMAGE_SERVING_PUBLISH_WARNING, _L.IMAGE_RENDERING_PUBLISH_ERROR,
        _L.END_IMAGE_RENDERING_PUBLISH, _F.VIGNETTE, asset_suffix=".vnt",
    ),
    "video_publish_job": JobLogTypes(
        _J.VIDEO_PUBLISH, "Video publish", _L.BEGIN_VIDEO_PUBLISH,
        VIDEO_PUBLISH_SUCCESS_AS_DOCUMENTED, _L.VIDEO_PUBLISH_WARNING, _L.VIDEO_PUBLISH_ERROR,
        _L.END_VIDEO_PUBLISH, _F.VIDEO, asset_suffix=".mp4",
    ),
    "server_directory_publish_job": JobLogTypes(
        _J.SERVER_DIRECTORY_PUBLISH, "Server directory publish",
        _L.BEGIN_SERVER_DIRECTORY_PUBLISH, _L.SERVER_DIRECTORY_PUBLISH_SUCCESS,
        _L.SERVER_DIRECTORY_PUBLISH_WARNING, _L.SERVER_DIRECTORY_PUBLISH_ERROR,
        _L.END_SERVER_DIRECTORY_PUBLISH, _F.MASTER_IMAGE,
    ),
    "upload_directory_job": JobLogTypes(
        _J.UPLOAD_FROM_SERVER_DIRECTORY, "Upload", _L.BEGIN_UPLOAD, _L.UPLOAD_SUCCESS,
        _L.UPLOAD_WARNING, _L.UPLOAD_ERROR, _L.END_UPLOAD, _F.MASTER_IMAGE,
    ),
    "upload_urls_job": JobLogTypes(
        _J.URL_UPLOAD, "URL upload", _L.BEGIN_UPLOAD_URLS, _L.UPLOAD_SUCCESS,
        _L.UPLOAD_WARNING, _L.UPLOAD_ERROR, _L.END_UPLOAD_URLS, _F.MASTER_IMAGE,
    ),
    "optimize_images_job": JobLogTypes(
        _J.IMAGE_OPTIMIZATION, "Image optimization", _L.BEGIN_REOPTIMIZE,
        _L.REOPTIMIZE_SUCCESS, _L.UPLOAD_WARNING, _L.REOPTIMIZE_FAILURE,
        END_REOPTIMIZE_AS_DOCUMENTED, _F.OPTIMIZED_IMAGE,
    ),
    "rip_pdfs_job": JobLogTypes(
        _J.UPLOAD_FROM_SERVER_DIRECTORY, "PDF rip", _L.BEGIN_PDF_RIP, _L.UPLOAD_SUCCESS,
        _L.UPLOAD_WARNING, _L.PDF_RIP_ERROR, _L.END_UPLOAD, _F.PDF, asset_suffix=".pdf",
    ),
    "reprocess_assets_job": JobLogTypes(
        _J.UPLOAD_FROM_SERVER_DIRECTORY, "Reprocessing", _L.BEGIN_UPLOAD, _L.UPLOAD_SUCCESS,
        _L.UPLOAD_WARNING, _L.UPLOAD_ERROR, _L.END_UPLOAD, _F.MASTER_IMAGE,
    ),
    "automated_set_generation_job": JobLogTypes(
        _J.UPLOAD_FROM_SERVER_DIRECTORY, "Set generation", _L.BEGIN_UPLOAD, _L.UPLOAD_SUCCESS,
        _L.UPLOAD_WARNING, _L.UPLOAD_ERROR, _L.END_UPLOAD, _F.IMAGE_SET,
        asset_prefix="set", asset_suffix="",
    ),
}
# fmt: on

assert set(LOG_TYPES) == {spec.param_field for spec in JOB_TYPES}, "LOG_TYPES out of date"

#: Files a run processes when its outcome leaves ``files`` to the job and the job names none.
DEFAULT_FILES = 3


def _url_file_name(url: str) -> str:
    """The file an upload URL names: its last path segment (else its host)."""
    parts = urlsplit(url)
    leaf = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    return leaf or parts.hostname or "file"


class _AssetNames:
    """Names and handles of the files a job's runs report, taken from the job where it can.

    ``UploadUrlsJob``: one file per URL, named after the URL's last path segment (when an
    outcome has more files than URLs, the names repeat with ``_2``, ``_3``... before the
    extension). ``UploadDirectoryJob``: files under its ``serverDir``. Jobs given asset
    handles (export, PDF rip, reprocessing, set generation) report those handles.
    Otherwise ``file-001.jpg``, ... (per :class:`JobLogTypes`).
    """

    def __init__(self, job_field: str, job: Any, types: JobLogTypes) -> None:
        self._types = types
        self._urls: list[str] = []
        self._dir: str | None = None
        self._handles: list[str] = []
        if job_field == "upload_urls_job":
            self._urls = [_url_file_name(u) for u in getattr(job, "url_array", None) or []]
        elif job_field == "upload_directory_job":
            self._dir = getattr(job, "server_dir", None) or None
        for array in ("asset_handle_array", "pdf_handle_array"):
            self._handles = self._handles or list(getattr(job, array, None) or [])

    @property
    def named(self) -> int:
        """How many files the job names (0: it names none)."""
        return len(self._urls)

    def name(self, index: int) -> str:
        """The ``index``-th file's name (from 1)."""
        types = self._types
        if self._urls:
            base = self._urls[(index - 1) % len(self._urls)]
            repeat = (index - 1) // len(self._urls)
            if not repeat:
                return base
            stem, dot, ext = base.rpartition(".")
            return f"{stem}_{repeat + 1}.{ext}" if dot and stem else f"{base}_{repeat + 1}"
        if self._dir is not None:
            folder = self._dir.rstrip("/")
            leaf = folder.rsplit("/", 1)[-1] or types.asset_prefix
            return f"{folder}/{leaf}-{index:03d}{types.asset_suffix}"
        return f"{types.asset_prefix}-{index:03d}{types.asset_suffix}"

    def handle(self, index: int, run_seq: int) -> str:
        if index <= len(self._handles):
            return self._handles[index - 1]
        return f"a|{run_seq}|1|{index}"


# --- internal state --------------------------------------------------------------------------

_SUCCESS, _WARNING, _ERROR, _DUPLICATE = "success", "warning", "error", "duplicate"
_DONE, _FATAL, _STOPPED, _DELETED = "done", "fatal", "stopped", "deleted"

_EV_END, _EV_REMOVE, _EV_FIRE = 0, 1, 2


@dataclass
class _Spec:
    """What was submitted: shared by a scheduled job and all of its runs."""

    company: str
    param: SubmitJobParam
    job_field: str
    types: JobLogTypes
    email: str
    user_handle: str | None
    names: _AssetNames


@dataclass
class _Script:
    outcome: JobOutcome
    job_name: str | None
    remaining: int | None


@dataclass(frozen=True)
class _Row:
    log_type: JobLogType | str
    message: str
    asset_name: str | None = None
    asset_type: JobLogFileType | None = None
    asset_handle: str | None = None


@dataclass
class _Tally:
    """What a job log says at one moment."""

    log_type: JobLogType | str
    end: float | None
    success: int
    errors: int
    warnings: int
    duplicates: int
    updates: int
    total: int
    fatal: bool
    rows: list[_Row]

    def unfinished(self, begin: JobLogType | str) -> _Tally:
        """The same log before its ending was written: no last row, no end date."""
        return _Tally(
            log_type=begin, end=None, success=self.success, errors=self.errors,
            warnings=self.warnings, duplicates=self.duplicates, updates=self.updates,
            total=0, fatal=False, rows=self.rows[:-1],
        )  # fmt: skip


@dataclass
class _Log:
    """A run's job log: written from the run's start, final once its ending is written.

    While ``job`` runs, :meth:`view` reads the rows written so far off the run; once the run
    ended, ``final`` holds the whole log, shown from ``final_at`` on (``Timing.log_lag_seconds``
    after the run left the active list; at once without a lag).
    """

    seq: int
    company: str
    handle: str
    parent: str | None
    name: str
    original_name: str
    spec: _Spec
    start: float
    job: _Job | None = None
    final: _Tally | None = None
    final_at: float = 0.0
    _cache: tuple[int, _Tally] | None = None

    def view(self, now: float) -> _Tally:
        if self.final is not None:
            if now >= self.final_at:
                return self.final
            return self.final.unfinished(self.spec.types.begin)
        job = self.job
        assert job is not None, "a log has a run or an ending"
        processed = job.processed(job.elapsed(now))
        if self._cache is None or self._cache[0] != processed:
            self._cache = (processed, _tally(job, processed, None, None))
        return self._cache[1]


class _Job:
    """An active run (listed by getActiveJobs until it has been ``Done`` for a while)."""

    def __init__(
        self,
        handle: str,
        name: str,
        original_name: str,
        parent: str | None,
        spec: _Spec,
        outcome: JobOutcome,
        timing: Timing,
        start: float,
        seq: int,
    ) -> None:
        files = outcome.files
        if files is None:
            files = spec.names.named or DEFAULT_FILES
        self.handle = handle
        self.name = name
        self.original_name = original_name
        self.parent = parent
        self.spec = spec
        self.outcome = outcome
        self.seq = seq
        self.activated = start
        self.new_end = timing.new_seconds
        self.wait_end = timing.new_seconds + timing.waiting_seconds
        fraction = _FATAL_POINT if outcome.fatal else 1.0
        self.run_seconds = outcome.duration * fraction
        self.total_seconds = self.wait_end + self.run_seconds
        plan = (
            [_SUCCESS] * files
            + [_WARNING] * outcome.warnings
            + [_ERROR] * outcome.errors
            + [_DUPLICATE] * outcome.duplicates
        )
        self.plan = plan
        self.target = int(len(plan) * _FATAL_POINT) if outcome.fatal else len(plan)
        self.progress_cap = int(100 * _FATAL_POINT) if outcome.fatal else 100
        # active time accrued before ``resumed_at``; ``resumed_at`` is None while frozen
        self.accrued = 0.0
        self.resumed_at: float | None = start
        self.frozen_at: float | None = None
        self.paused = False
        self.stopping_at: float | None = None
        self.finished_at: float | None = None
        self.ending: str | None = None
        self.version = 0
        self.log: _Log | None = None

    @property
    def company(self) -> str:
        return self.spec.company

    def elapsed(self, now: float) -> float:
        if self.resumed_at is None:
            return self.accrued
        return self.accrued + max(0.0, now - self.resumed_at)

    def freeze(self, now: float) -> None:
        self.accrued = self.elapsed(now)
        self.resumed_at = None
        self.frozen_at = now
        self.version += 1

    def run_fraction(self, elapsed: float) -> float:
        if elapsed <= self.wait_end:
            return 0.0
        if self.run_seconds <= 0:
            return 1.0
        return min(1.0, (elapsed - self.wait_end) / self.run_seconds)

    def processed(self, elapsed: float) -> int:
        return min(self.target, math.floor(self.run_fraction(elapsed) * self.target + 1e-9))

    def progress(self, elapsed: float) -> int:
        if self.ending in (_DONE, _FATAL):
            return self.progress_cap
        value = math.floor(self.run_fraction(elapsed) * self.progress_cap + 1e-9)
        return min(value, 99)


class _Scheduled:
    """A job waiting for its ``exec_time`` (one-shot) or ``exec_schedule`` (recurring)."""

    def __init__(
        self,
        handle: str,
        name: str,
        original_name: str,
        spec: _Spec,
        schedule: QuartzSchedule | None,
        next_fire: float,
        seq: int,
    ) -> None:
        self.handle = handle
        self.name = name
        self.original_name = original_name
        self.spec = spec
        self.schedule = schedule
        self.next_fire = next_fire
        self.seq = seq
        self.paused = False
        self.version = 0
        self.backlog = 0  # consecutive fires replayed from the past in one advance

    @property
    def company(self) -> str:
        return self.spec.company


# --- the engine ------------------------------------------------------------------------------


class JobEngine:
    """In-memory IPS jobs: submit, list, control and log them against an injectable clock."""

    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        *,
        server_timezone: str = "UTC",
        timing: Timing = Timing(),
        default_outcome: JobOutcome = JobOutcome(),
        companies: Collection[str] | None = None,
    ) -> None:
        """``companies``: if given, other company handles raise an authorization fault."""
        try:
            self._tz = ZoneInfo(server_timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"server_timezone: unknown time zone {server_timezone!r}") from exc
        self._tz_name = server_timezone
        self._clock = clock
        self._timing = timing
        self._initial_outcome = default_outcome
        self._default_outcome = default_outcome
        self._companies = frozenset(companies) if companies is not None else None
        self._lock = threading.Lock()
        self._seq = itertools.count(1)  # handles stay unique across reset()
        self._now = float(clock())
        self._clear()

    def _clear(self) -> None:
        self._jobs: dict[str, _Job] = {}
        self._jobs_by_company: dict[str, dict[str, _Job]] = {}
        self._jobs_by_original: dict[str, dict[str, _Job]] = {}
        self._runs: dict[str, dict[str, _Job]] = {}
        self._scheduled: dict[str, _Scheduled] = {}
        self._scheduled_by_company: dict[str, dict[str, _Scheduled]] = {}
        self._issued: dict[str, str] = {}  # every handle ever issued -> its company
        self._names: dict[str, set[str]] = {}
        self._name_suffix: dict[tuple[str, str], int] = {}
        self._logs: list[_Log] = []
        self._logs_by_handle: dict[str, list[_Log]] = {}
        self._logs_by_original: dict[tuple[str, str], list[_Log]] = {}
        self._events: list[tuple[float, int, int, str, int]] = []
        self._scripts: list[_Script] = []

    # -- configuration ---------------------------------------------------------------------
    @property
    def timing(self) -> Timing:
        return self._timing

    @property
    def server_timezone(self) -> str:
        return self._tz_name

    @property
    def default_outcome(self) -> JobOutcome:
        return self._default_outcome

    @default_outcome.setter
    def default_outcome(self, outcome: JobOutcome) -> None:
        if not isinstance(outcome, JobOutcome):
            raise TypeError("default_outcome must be a JobOutcome")
        with self._lock:
            self._default_outcome = outcome

    def script_outcome(
        self, outcome: JobOutcome, *, job_name: str | None = None, count: int | None = 1
    ) -> None:
        """Use ``outcome`` for the next ``count`` runs named ``job_name`` (any run if None).

        A run matches by its original name (for runs of a scheduled job also the scheduled
        job's submitted name). Scripts naming the job win over wildcard ones; among equals
        the oldest script is used first. ``count=None`` applies until :meth:`clear_scripts`.
        """
        if not isinstance(outcome, JobOutcome):
            raise TypeError("outcome must be a JobOutcome")
        if count is not None and (
            not isinstance(count, int) or isinstance(count, bool) or count < 1
        ):
            raise ValueError(f"count: must be an integer >= 1 or None, got {count!r}")
        with self._lock:
            self._scripts.append(_Script(outcome, job_name, count))

    def clear_scripts(self) -> None:
        with self._lock:
            self._scripts.clear()

    def reset(self) -> None:
        """Forget all jobs, schedules, logs and scripts; restore the initial default outcome."""
        with self._lock:
            self._clear()
            self._default_outcome = self._initial_outcome
            self._now = max(self._now, float(self._clock()))

    def jobs_snapshot(self) -> dict[str, Any]:
        """Handles of active and scheduled jobs and counters, for tests and the control API."""
        with self._lock:
            self._advance()
            return {
                "now": self._dt(self._now),
                "active": list(self._jobs),
                "scheduled": list(self._scheduled),
                "logs": len(self._logs),
                "scripts": len(self._scripts),
                "pending_events": len(self._events),
            }

    # -- submitJob -------------------------------------------------------------------------
    def submit(
        self,
        company_handle: str,
        param: SubmitJobParam,
        submit_user_email: str,
        *,
        submit_user_handle: str | None = None,
    ) -> str:
        """Submit a job; returns its handle. See the module docstring for the timing rules."""
        with self._lock:
            now = self._advance()
            company = self._require_company(company_handle)
            job_name = param.job_name
            if not job_name or not job_name.strip():
                raise _missing("jobName: required")
            job_field = self._job_field(param)
            if param.exec_time is not None and param.exec_schedule is not None:
                raise _invalid("execTime and execSchedule: set at most one of them")
            schedule: QuartzSchedule | None = None
            first_fire: float | None = None
            if param.exec_schedule is not None:
                try:
                    schedule = QuartzSchedule.parse(param.exec_schedule, self._tz)
                except InvalidScheduleError as exc:
                    raise _invalid(f"execSchedule: {exc}") from exc
                fire = schedule.next_after(self._dt(now))
                if fire is None:
                    raise _invalid(f"execSchedule: {param.exec_schedule!r} never fires again")
                first_fire = fire.timestamp()
            elif param.exec_time is not None:
                at = self._epoch(param.exec_time)
                if at > now:
                    first_fire = at
            spec = _Spec(
                company=company,
                param=param,
                job_field=job_field,
                types=LOG_TYPES[job_field],
                email=submit_user_email,
                user_handle=param.user_handle or submit_user_handle,
                names=_AssetNames(job_field, getattr(param, job_field), LOG_TYPES[job_field]),
            )
            name = self._unique_name(company, job_name)
            handle = self._new_handle(company, name)
            if first_fire is None:
                self._start_run(handle, name, job_name, None, spec, now, (job_name,))
            else:
                sched = _Scheduled(handle, name, job_name, spec, schedule, first_fire, self._n())
                self._scheduled[handle] = sched
                self._scheduled_by_company.setdefault(company, {})[handle] = sched
                self._push(first_fire, _EV_FIRE, handle, sched.version)
            return handle

    # -- getActiveJobs / getScheduledJobs --------------------------------------------------
    def get_active_jobs(
        self,
        company_handle: str | None = None,
        job_handle: str | None = None,
        original_name: str | None = None,
    ) -> list[ActiveJob]:
        """Active runs (``New`` ... ``Done``), oldest first.

        ``job_handle`` selects that run, or all runs of a scheduled job with that handle.
        Unknown handles and names select nothing (no fault).
        """
        with self._lock:
            now = self._advance()
            if company_handle:
                self._check_company(company_handle)
            candidates: Iterable[_Job]
            if job_handle:
                own = self._jobs.get(job_handle)
                runs = self._runs.get(job_handle, {})
                candidates = ([own] if own is not None else []) + list(runs.values())
            elif original_name is not None:
                candidates = self._jobs_by_original.get(original_name, {}).values()
            elif company_handle:
                candidates = self._jobs_by_company.get(company_handle, {}).values()
            else:
                candidates = self._jobs.values()
            return [
                self._active_job(job, now)
                for job in candidates
                if (not company_handle or job.company == company_handle)
                and (original_name is None or job.original_name == original_name)
            ]

    def get_scheduled_jobs(
        self,
        company_handle: str,
        job_handle: str | None = None,
        original_name: str | None = None,
    ) -> list[ScheduledJob]:
        """Scheduled jobs (one-shot and recurring) of a company, in submission order."""
        with self._lock:
            self._advance()
            company = self._require_company(company_handle)
            candidates: Iterable[_Scheduled]
            if job_handle:
                sched = self._scheduled.get(job_handle)
                candidates = [sched] if sched is not None else []
            else:
                candidates = self._scheduled_by_company.get(company, {}).values()
            return [
                self._scheduled_job(sched)
                for sched in candidates
                if sched.company == company
                and (original_name is None or sched.original_name == original_name)
            ]

    # -- getJobLogs / getJobLogDetails -----------------------------------------------------
    def get_job_logs(
        self,
        company_handle: str | None = None,
        user_handle: str | None = None,
        sort_by: str | None = None,
        sort_direction: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        num_rows: int | None = None,
    ) -> list[JobLog]:
        """Job logs without detail rows; by default the newest first (``StartDate``).

        Logs of runs still going are included, as far as they are written (no end date).
        ``user_handle`` matches the job's ``userHandle`` or the submitting user's e-mail.
        ``start_date`` keeps logs that started at or after it, ``end_date`` logs that ended
        at or before it; naive datetimes are read in the server time zone.
        """
        with self._lock:
            now = self._advance()
            if company_handle:
                self._check_company(company_handle)
            field = self._enum(JobLogSortField, sort_by or "StartDate", "sortBy")
            descending = (
                self._enum(SortDirection, sort_direction or "Descending", "sortDirection")
                is SortDirection.DESCENDING
            )
            if num_rows is not None and num_rows < 1:
                raise _invalid(f"numRows: must be at least 1, got {num_rows}")
            start = self._epoch(start_date) if start_date is not None else None
            end = self._epoch(end_date) if end_date is not None else None
            views = [
                (log, view)
                for log in self._logs
                if (not company_handle or log.company == company_handle)
                and (user_handle is None or user_handle in (log.spec.user_handle, log.spec.email))
                and (start is None or log.start >= start)
                for view in (log.view(now),)
                if end is None or (view.end is not None and view.end <= end)
            ]
            key = _LOG_SORT_KEYS[field]
            views.sort(key=lambda item: (key(*item), item[0].seq), reverse=descending)
            if num_rows is not None:
                views = views[:num_rows]
            return [self._job_log(log, view) for log, view in views]

    def get_job_log_details(
        self,
        company_handle: str,
        job_handle: str | None = None,
        original_name: str | None = None,
        log_types: Iterable[str] | None = None,
        records_per_page: int = 1000,
        results_page: int = 1,
        sort_by: str = "Date",
        sort_direction: str = "Ascending",
    ) -> list[JobLog]:
        """Logs with their detail rows, filtered by ``log_types`` and paginated per log.

        ``job_handle`` selects the log of that run or of all runs of that scheduled job. A run
        still going has a log as far as it is written: its ``Begin...`` row, the files done so
        far, no ending row and no end date (a job not started yet has none). A handle never
        issued to this company raises 30001. Without ``job_handle`` and ``original_name``:
        every log of the company.
        """
        with self._lock:
            now = self._advance()
            company = self._require_company(company_handle)
            if not 1 <= records_per_page <= _MAX_RECORDS_PER_PAGE:
                raise _invalid(
                    f"recordsPerPage: must be between 1 and {_MAX_RECORDS_PER_PAGE}, "
                    f"got {records_per_page}"
                )
            if results_page < 1:
                raise _invalid(f"resultsPage: must be at least 1, got {results_page}")
            by_type = (
                self._enum(JobDetailSortField, sort_by or "Date", "sortBy")
                is JobDetailSortField.LOG_TYPE
            )
            descending = (
                self._enum(SortDirection, sort_direction or "Ascending", "sortDirection")
                is SortDirection.DESCENDING
            )
            wanted = None if log_types is None else {_fold_log_type(t) for t in log_types}
            if job_handle:
                if self._issued.get(job_handle) != company:
                    raise _invalid(f"jobHandle: no job {job_handle!r} in company {company!r}")
                logs = self._logs_by_handle.get(job_handle, [])
            elif original_name is not None:
                logs = self._logs_by_original.get((company, original_name), [])
            else:
                logs = [log for log in self._logs if log.company == company]
            first = (results_page - 1) * records_per_page
            out: list[JobLog] = []
            for log in logs:
                if original_name is not None and log.original_name != original_name:
                    continue
                view = log.view(now)
                indexed = [
                    (index, row)
                    for index, row in enumerate(view.rows)
                    if wanted is None or _fold_log_type(row.log_type) in wanted
                ]
                if by_type:
                    indexed.sort(key=lambda item: (str(item[1].log_type), item[0]))
                if descending:
                    indexed.reverse()
                page = [row for _, row in indexed[first : first + records_per_page]]
                out.append(self._job_log(log, view, page, len(indexed)))
            return out

    # -- stopJob / pauseJob / resumeJob / deleteJob / executeJob ---------------------------
    def stop_job(self, company_handle: str, job_handle: str) -> None:
        """Stop a run (``Stopping``, then a log marked as stopped); see the module docs."""
        with self._lock:
            now = self._advance()
            target = self._lookup(company_handle, job_handle)
            if isinstance(target, _Job):
                self._stop(target, now)
            elif target.schedule is None:
                self._drop_scheduled(target, release_name=True)
                self._write_unstarted_log(target, now, _STOPPED)
            else:
                runs = [r for r in self._runs.get(target.handle, {}).values() if _unfinished(r)]
                if not runs:
                    raise _invalid(
                        f"jobHandle: scheduled job {job_handle!r} has no run in progress "
                        "(pause or delete the schedule instead)"
                    )
                for run in runs:
                    self._stop(run, now)

    def pause_job(self, company_handle: str, job_handle: str) -> None:
        """Pause a scheduled job's trigger, or freeze an active run (``WaitingClient``)."""
        with self._lock:
            now = self._advance()
            target = self._lookup(company_handle, job_handle)
            if isinstance(target, _Scheduled):
                if not target.paused:
                    target.paused = True
                    target.version += 1
            elif target.stopping_at is None and not target.paused:
                target.freeze(now)
                target.paused = True

    def resume_job(self, company_handle: str, job_handle: str) -> None:
        """Undo :meth:`pause_job`; resuming a job that is not paused does nothing."""
        with self._lock:
            now = self._advance()
            target = self._lookup(company_handle, job_handle)
            if isinstance(target, _Scheduled):
                if target.paused:
                    target.paused = False
                    target.version += 1
                    if target.next_fire <= now and target.schedule is not None:
                        fire = target.schedule.next_after(self._dt(now))
                        if fire is None:
                            self._drop_scheduled(target, release_name=True)
                            return
                        target.next_fire = fire.timestamp()
                    self._push(max(target.next_fire, now), _EV_FIRE, target.handle, target.version)
                    self._advance()
            elif target.paused:
                target.paused = False
                target.resumed_at = now
                target.frozen_at = None
                target.version += 1
                remaining = max(0.0, target.total_seconds - target.accrued)
                self._push(now + remaining, _EV_END, target.handle, target.version)
                self._advance()

    def delete_job(self, company_handle: str, job_handle: str) -> None:
        """Remove a scheduled job, or end an unfinished run with a log marked as deleted."""
        with self._lock:
            now = self._advance()
            target = self._lookup(company_handle, job_handle)
            if isinstance(target, _Job):
                if target.stopping_at is None:
                    target.freeze(now)
                self._finish(target, now, _DELETED)
            else:
                self._drop_scheduled(target, release_name=True)
                if target.schedule is None:
                    self._write_unstarted_log(target, now, _DELETED)

    def execute_job(self, company_handle: str, job_handle: str) -> None:
        """Run a scheduled job now (an extra run of a recurring one)."""
        with self._lock:
            now = self._advance()
            target = self._lookup(company_handle, job_handle)
            if isinstance(target, _Job):
                raise _invalid(f"jobHandle: {job_handle!r} is not a scheduled job")
            self._fire(target, now, manual=True)
            self._advance()

    # -- the world -------------------------------------------------------------------------
    def _advance(self) -> float:
        """Process every event due by ``clock()``, in time order; returns the new now."""
        now = max(self._now, float(self._clock()))
        self._now = now
        events = self._events
        while events and events[0][0] <= now:
            at, _, kind, handle, version = heapq.heappop(events)
            if kind == _EV_END:
                job = self._jobs.get(handle)
                if job is not None and job.version == version and job.finished_at is None:
                    self._finish(job, at, _STOPPED if job.stopping_at is not None else None)
            elif kind == _EV_REMOVE:
                job = self._jobs.get(handle)
                if job is not None and job.finished_at is not None:
                    self._drop_job(job)
            else:
                sched = self._scheduled.get(handle)
                if sched is not None and sched.version == version and not sched.paused:
                    self._fire(sched, at)
        return now

    def _push(self, at: float, kind: int, handle: str, version: int) -> None:
        heapq.heappush(self._events, (at, self._n(), kind, handle, version))

    def _n(self) -> int:
        return next(self._seq)

    def _fire(self, sched: _Scheduled, at: float, *, manual: bool = False) -> None:
        """Start a run at ``at``; ``manual`` (executeJob) leaves the schedule as it is."""
        spec = sched.spec
        if sched.schedule is None:
            # a one-shot job becomes the active job itself: same handle and name
            self._drop_scheduled(sched, release_name=False)
            names: tuple[str, ...] = (sched.original_name,)
            self._start_run(sched.handle, sched.name, sched.original_name, None, spec, at, names)
            return
        stamp = self._dt(at).strftime("%Y-%m-%d-%H:%M:%S")
        name = self._unique_name(spec.company, f"{sched.name}_{stamp}")
        handle = self._new_handle(spec.company, name)
        names = (sched.name, sched.original_name)
        self._start_run(handle, name, sched.name, sched.handle, spec, at, names)
        if not manual:
            fire = sched.schedule.next_after(self._dt(at))
            if fire is not None and fire.timestamp() <= self._now:
                sched.backlog += 1
                if sched.backlog >= _MAX_BACKLOG_RUNS:
                    # far behind (the clock jumped): skip the rest, like a Quartz misfire
                    sched.backlog = 0
                    fire = sched.schedule.next_after(self._dt(self._now))
            else:
                sched.backlog = 0
            if fire is None:
                self._drop_scheduled(sched, release_name=True)
                return
            sched.next_fire = fire.timestamp()
            self._push(sched.next_fire, _EV_FIRE, sched.handle, sched.version)

    def _start_run(
        self,
        handle: str,
        name: str,
        original_name: str,
        parent: str | None,
        spec: _Spec,
        at: float,
        script_names: tuple[str, ...],
    ) -> _Job:
        outcome = self._pick_outcome(script_names)
        job = _Job(handle, name, original_name, parent, spec, outcome, self._timing, at, self._n())
        self._jobs[handle] = job
        self._jobs_by_company.setdefault(spec.company, {})[handle] = job
        self._jobs_by_original.setdefault(original_name, {})[handle] = job
        if parent is not None:
            self._runs.setdefault(parent, {})[handle] = job
        job.log = _Log(
            seq=self._n(), company=spec.company, handle=handle, parent=parent, name=name,
            original_name=original_name, spec=spec, start=at, job=job,
        )  # fmt: skip
        self._add_log(job.log)
        self._push(at + job.total_seconds, _EV_END, handle, job.version)
        return job

    def _pick_outcome(self, names: tuple[str, ...]) -> JobOutcome:
        chosen: _Script | None = None
        for script in self._scripts:
            if script.job_name is not None and script.job_name in names:
                chosen = script
                break
        if chosen is None:
            chosen = next((s for s in self._scripts if s.job_name is None), None)
        if chosen is None:
            return self._default_outcome
        if chosen.remaining is not None:
            chosen.remaining -= 1
            if chosen.remaining <= 0:
                self._scripts.remove(chosen)
        return chosen.outcome

    def _stop(self, job: _Job, now: float) -> None:
        if job.stopping_at is not None:
            return
        job.freeze(now)
        job.paused = False
        job.stopping_at = now
        stopping = self._timing.stopping_seconds
        if stopping <= 0:
            self._finish(job, now, _STOPPED)
        else:
            self._push(now + stopping, _EV_END, job.handle, job.version)

    def _finish(self, job: _Job, at: float, ending: str | None) -> None:
        """Write the run's log; ``ending`` None means it ran to its scripted end."""
        if ending is None:
            ending = _FATAL if job.outcome.fatal else _DONE
            elapsed = job.total_seconds
        else:
            elapsed = job.elapsed(at)
        job.ending = ending
        job.finished_at = at
        job.accrued = elapsed
        job.resumed_at = None
        job.version += 1
        processed = job.target if ending in (_DONE, _FATAL) else job.processed(elapsed)
        done_seconds = self._timing.done_seconds
        listed_until = at if ending in (_STOPPED, _DELETED) else at + max(0.0, done_seconds)
        lag = self._timing.log_lag_seconds
        log = job.log
        assert log is not None, "a run's log is written from its start"
        log.final = _tally(job, processed, ending, at)
        log.final_at = listed_until + lag if lag > 0 else at
        log.job = None
        if listed_until <= at:
            self._drop_job(job)
        else:
            self._push(listed_until, _EV_REMOVE, job.handle, job.version)

    def _drop_job(self, job: _Job) -> None:
        handle = job.handle
        self._jobs.pop(handle, None)
        self._jobs_by_company.get(job.company, {}).pop(handle, None)
        by_original = self._jobs_by_original.get(job.original_name)
        if by_original is not None:
            by_original.pop(handle, None)
            if not by_original:
                del self._jobs_by_original[job.original_name]
        if job.parent is not None:
            runs = self._runs.get(job.parent)
            if runs is not None:
                runs.pop(handle, None)
                if not runs:
                    del self._runs[job.parent]
        self._release_name(job.company, job.name)

    def _drop_scheduled(self, sched: _Scheduled, *, release_name: bool) -> None:
        self._scheduled.pop(sched.handle, None)
        self._scheduled_by_company.get(sched.company, {}).pop(sched.handle, None)
        sched.version += 1
        if release_name:
            self._release_name(sched.company, sched.name)

    # -- logs ------------------------------------------------------------------------------
    def _write_unstarted_log(self, sched: _Scheduled, at: float, ending: str) -> None:
        """The log of a one-shot job cancelled before its ``exec_time``."""
        message = self._ending_message(None, ending) + " before it started"
        log = _Log(
            seq=self._n(), company=sched.company, handle=sched.handle, parent=None,
            name=sched.name, original_name=sched.original_name, spec=sched.spec, start=at,
        )  # fmt: skip
        log.final = _Tally(
            log_type=_L.FATAL_ERROR, end=at, success=0, errors=0, warnings=0, duplicates=0,
            updates=0, total=0, fatal=True,
            rows=[_Row(_L.ORIGINAL_JOB_NAME, sched.original_name), _Row(_L.FATAL_ERROR, message)],
        )  # fmt: skip
        log.final_at = at
        self._add_log(log)

    @staticmethod
    def _ending_message(outcome: JobOutcome | None, ending: str) -> str:
        if ending == _STOPPED:
            return STOPPED_MESSAGE
        if ending == _DELETED:
            return DELETED_MESSAGE
        assert outcome is not None
        return outcome.fatal_message

    def _add_log(self, log: _Log) -> None:
        self._logs.append(log)
        self._logs_by_handle.setdefault(log.handle, []).append(log)
        if log.parent is not None:
            self._logs_by_handle.setdefault(log.parent, []).append(log)
        self._logs_by_original.setdefault((log.company, log.original_name), []).append(log)

    # -- conversion to the IPS models ------------------------------------------------------
    def _dt(self, at: float) -> datetime:
        return datetime.fromtimestamp(at, self._tz)

    def _epoch(self, value: datetime) -> float:
        if value.tzinfo is None or value.utcoffset() is None:
            value = value.replace(tzinfo=self._tz)
        return value.timestamp()

    def _active_job(self, job: _Job, now: float) -> ActiveJob:
        elapsed = job.elapsed(now)
        total = len(job.plan)
        last_update: float
        if job.finished_at is not None:
            state = ActiveJobState.DONE
            last_update = job.finished_at
            if job.ending == _FATAL:
                message = f"Failed: {job.outcome.fatal_message}"
            else:
                message = f"Completed: {job.target} of {total} files"
        elif job.stopping_at is not None:
            state, message, last_update = ActiveJobState.STOPPING, "Stopping", job.stopping_at
        elif job.paused:
            state, message = ActiveJobState.WAITING_CLIENT, "Paused"
            last_update = job.frozen_at if job.frozen_at is not None else now
        elif elapsed < job.new_end:
            state, message, last_update = ActiveJobState.NEW, "Queued", job.activated
        elif elapsed < job.wait_end:
            state, message = ActiveJobState.WAITING_COORDINATOR, "Waiting for a job slot"
            last_update = now - (elapsed - job.new_end)
        else:
            state = ActiveJobState.RUNNING
            message = f"Processed {job.processed(elapsed)} of {total} files"
            last_update = now
        spec = job.spec
        param = spec.param
        extra: dict[str, Any] = {}
        if spec.job_field in ActiveJob.model_fields:
            extra[spec.job_field] = getattr(param, spec.job_field)
        return ActiveJob.model_construct(
            company_handle=job.company,
            job_handle=job.handle,
            name=job.name,
            original_name=job.original_name,
            type=spec.types.job_type,
            state=state,
            submit_user_email=spec.email,
            locale=param.locale,
            description=param.description,
            server_name=SERVER_NAME,
            start_date=self._dt(job.activated),
            progress=job.progress(elapsed),
            progress_message=message,
            last_progress_update=self._dt(last_update),
            task_progress_array=[],
            **extra,
        )

    def _scheduled_job(self, sched: _Scheduled) -> ScheduledJob:
        spec = sched.spec
        param = spec.param
        extra: dict[str, Any] = {}
        if spec.job_field in ScheduledJob.model_fields:
            extra[spec.job_field] = getattr(param, spec.job_field)
        return ScheduledJob.model_construct(
            company_handle=sched.company,
            job_handle=sched.handle,
            name=sched.name,
            original_name=sched.original_name,
            type=spec.types.job_type,
            submit_user_email=spec.email,
            locale=param.locale,
            description=param.description,
            exec_schedule=param.exec_schedule,
            next_fire_time=self._dt(sched.next_fire),
            time_zone=self._tz_name,
            trigger_state=JobTriggerState.PAUSED if sched.paused else JobTriggerState.NORMAL,
            **extra,
        )

    def _job_log(
        self,
        log: _Log,
        view: _Tally,
        rows: list[_Row] | None = None,
        total_rows: int | None = None,
    ) -> JobLog:
        return JobLog.model_construct(
            company_handle=log.company,
            job_handle=log.handle,
            job_name=log.name,
            original_job_name=log.original_name,
            submit_user_email=log.spec.email,
            log_type=view.log_type,
            start_date=self._dt(log.start),
            end_date=self._dt(view.end) if view.end is not None else None,
            description=log.spec.param.description,
            file_success_count=view.success,
            file_error_count=view.errors,
            file_warning_count=view.warnings,
            file_duplicate_count=view.duplicates,
            file_update_count=view.updates,
            total_file_count=view.total,
            fatal_error=view.fatal,
            detail_total_rows=total_rows,
            detail_array=[
                JobLogDetail.model_construct(
                    log_message=row.message,
                    log_type=row.log_type,
                    asset_name=row.asset_name,
                    asset_type=row.asset_type,
                    asset_handle=row.asset_handle,
                    aux_array=[],
                )
                for row in rows or ()
            ],
        )

    # -- lookups and validation ------------------------------------------------------------
    def _check_company(self, company_handle: str) -> None:
        if self._companies is not None and company_handle not in self._companies:
            raise EngineAuthorizationFault(
                INVALID_COMPANY, f"companyHandle: unknown company {company_handle!r}"
            )

    def _require_company(self, company_handle: str | None) -> str:
        if not company_handle:
            raise _missing("companyHandle: required")
        self._check_company(company_handle)
        return company_handle

    def _lookup(self, company_handle: str, job_handle: str) -> _Job | _Scheduled:
        """The unfinished run or the scheduled job ``job_handle`` names in the company."""
        company = self._require_company(company_handle)
        if not job_handle:
            raise _missing("jobHandle: required")
        job = self._jobs.get(job_handle)
        if job is not None and job.company == company and job.finished_at is None:
            return job
        sched = self._scheduled.get(job_handle)
        if sched is not None and sched.company == company:
            return sched
        if self._issued.get(job_handle) != company:
            raise _invalid(f"jobHandle: no job {job_handle!r} in company {company!r}")
        raise _invalid(f"jobHandle: job {job_handle!r} has already finished")

    @staticmethod
    def _job_field(param: SubmitJobParam) -> str:
        chosen = [s.param_field for s in JOB_TYPES if getattr(param, s.param_field) is not None]
        if not chosen:
            raise _missing("submitJobParam: one job type is required (e.g. uploadUrlsJob)")
        if len(chosen) > 1:
            names = ", ".join(s.ips_field for s in JOB_TYPES if s.param_field in chosen)
            raise _invalid(f"submitJobParam: set exactly one job type, got {names}")
        return chosen[0]

    @staticmethod
    def _enum(enum: Any, value: str, field: str) -> Any:
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(m.value for m in enum)
            raise _invalid(f"{field}: {value!r} is not one of {allowed}") from None

    def _unique_name(self, company: str, base: str) -> str:
        used = self._names.setdefault(company, set())
        name = base
        if name in used:
            key = (company, base)
            k = self._name_suffix.get(key, 1)
            while f"{base}_{k}" in used:
                k += 1
            self._name_suffix[key] = k + 1
            name = f"{base}_{k}"
        used.add(name)
        return name

    def _release_name(self, company: str, name: str) -> None:
        used = self._names.get(company)
        if used is not None:
            used.discard(name)

    def _new_handle(self, company: str, name: str) -> str:
        handle = f"{company}|{name}|{self._n()}"
        self._issued[handle] = company
        return handle


def _unfinished(job: _Job) -> bool:
    return job.finished_at is None


def _fold_log_type(value: Any) -> str:
    text = str(value)
    with contextlib.suppress(ValueError):
        text = JobLogType(text).value
    return text.casefold()


_LOG_SORT_KEYS: dict[JobLogSortField, Callable[[_Log, _Tally], Any]] = {
    JobLogSortField.JOB_NAME: lambda log, view: log.name.casefold(),
    JobLogSortField.LOG_TYPE: lambda log, view: str(view.log_type),
    JobLogSortField.START_DATE: lambda log, view: log.start,
    JobLogSortField.COMPANY_NAME: lambda log, view: log.company,
    JobLogSortField.USER_ID: lambda log, view: log.spec.user_handle or log.spec.email,
    JobLogSortField.EMAIL: lambda log, view: log.spec.email.casefold(),
    JobLogSortField.FILE_ERROR_COUNT: lambda log, view: view.errors,
    JobLogSortField.FILE_WARNING_COUNT: lambda log, view: view.warnings,
    JobLogSortField.FILE_SUCCESS_COUNT: lambda log, view: view.success,
}


def _tally(job: _Job, processed: int, ending: str | None, at: float | None) -> _Tally:
    """The log of ``job`` with its first ``processed`` files; ``ending`` None: still running.

    Rows: a ``Begin...`` row and an ``OriginalJobName`` row, one row per file (plus a
    ``FileUpdated`` row per update), then the ending: an ``End...`` row for a run that
    finished, a ``FatalError`` row otherwise.
    """
    types = job.spec.types
    names = job.spec.names
    outcome = job.outcome
    rows = [
        _Row(types.begin, f"{types.label} started"),
        _Row(_L.ORIGINAL_JOB_NAME, job.original_name),
    ]
    counts = {_SUCCESS: 0, _WARNING: 0, _ERROR: 0, _DUPLICATE: 0}
    updates = 0
    for index, kind in enumerate(job.plan[:processed], start=1):
        asset = names.name(index)
        counts[kind] += 1
        entries: list[tuple[JobLogType | str, str]]
        if kind == _SUCCESS:
            entries = [(types.success, f"{asset}: processed")]
            if updates < outcome.updates:
                updates += 1
                entries.append((_L.FILE_UPDATED, f"{asset}: replaced the existing asset"))
        elif kind == _WARNING:
            entries = [(types.warning, f"{asset}: processed with a warning")]
        elif kind == _ERROR:
            entries = [(types.error, f"{asset}: could not be processed")]
        else:
            entries = [(_L.DUPLICATE_SKIPPED, f"{asset}: duplicate, skipped")]
        asset_handle = names.handle(index, job.seq)
        rows.extend(
            _Row(log_type, message, asset, types.asset_type, asset_handle)
            for log_type, message in entries
        )
    log_type: JobLogType | str = types.begin
    if ending == _DONE:
        rows.append(_Row(types.end, f"{types.label} finished: {processed} files"))
        log_type = types.end
    elif ending is not None:
        rows.append(_Row(_L.FATAL_ERROR, JobEngine._ending_message(outcome, ending)))
        log_type = _L.FATAL_ERROR
    return _Tally(
        log_type=log_type,
        end=at if ending is not None else None,
        success=counts[_SUCCESS],
        errors=counts[_ERROR],
        warnings=counts[_WARNING],
        duplicates=counts[_DUPLICATE],
        updates=updates,
        total=len(job.plan) if ending is not None else 0,
        fatal=ending not in (None, _DONE),
        rows=rows,
    )
