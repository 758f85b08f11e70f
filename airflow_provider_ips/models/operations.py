"""Request and response bodies of the IPS operations this project speaks.

``OPERATIONS`` is the one table behind the WSDL generator, the SOAP client and the
simulator: each row names an operation, its ``<op>Param`` body and its ``<op>Return`` body.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Generic, TypeVar

from pydantic import Field, field_validator, model_validator

from ._base import IpsArray, IpsReadModel, IpsRequestModel
from .enums import JobDetailSortField, JobLogSortField, SortDirection
from .results import ActiveJob, CompanyInfo, JobLog, ScheduledJob
from .submit import SubmitJobParam


def _require_aware(value: datetime | None, field: str) -> datetime | None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{field} must be timezone-aware (got a naive datetime)")
    return value


class _JobHandleParam(IpsRequestModel):
    company_handle: str = Field(min_length=1)
    job_handle: str = Field(min_length=1)


class StopJobParam(_JobHandleParam):
    """Stop a running job."""


class PauseJobParam(_JobHandleParam):
    """Pause a job (a scheduled job stops firing until resumed)."""


class ResumeJobParam(_JobHandleParam):
    """Resume a paused job."""


class DeleteJobParam(_JobHandleParam):
    """Delete a scheduled or unfinished job."""


class ExecuteJobParam(_JobHandleParam):
    """Run a scheduled job now."""


class GetActiveJobsParam(IpsRequestModel):
    company_handle: str | None = None
    job_handle: str | None = None
    original_name: str | None = None


class GetScheduledJobsParam(IpsRequestModel):
    company_handle: str = Field(min_length=1)
    job_handle: str | None = None
    original_name: str | None = None


class GetJobLogsParam(IpsRequestModel):
    company_handle: str | None = None
    user_handle: str | None = None
    sort_by: JobLogSortField | None = None
    sort_direction: SortDirection | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    num_rows: int | None = Field(default=None, ge=1)

    @field_validator("start_date", "end_date")
    @classmethod
    def _aware(cls, value: datetime | None, info: object) -> datetime | None:
        return _require_aware(value, getattr(info, "field_name", "date"))


class GetJobLogDetailsParam(IpsRequestModel):
    """Job logs with their detail rows.

    ``job_handle`` and ``original_name`` are both optional, as the reference says: with
    neither, every job log of the company is returned, each with one page of its rows.
    """

    company_handle: str = Field(min_length=1)
    job_handle: str | None = Field(default=None, min_length=1)
    original_name: str | None = Field(default=None, min_length=1)
    log_type_array: Annotated[list[str] | None, IpsArray("StringArray")] = None
    records_per_page: int | None = Field(default=None, ge=1, le=1000)
    results_page: int | None = Field(default=None, ge=1)
    sort_by: JobDetailSortField | None = None
    sort_direction: SortDirection | None = None


class GetCompanyInfoParam(IpsRequestModel):
    company_handle: str | None = None
    company_name: str | None = None

    @model_validator(mode="after")
    def _one_selector(self) -> GetCompanyInfoParam:
        if not self.company_handle and not self.company_name:
            raise ValueError("company_handle or company_name is required")
        return self


class GetPropertyParam(IpsRequestModel):
    name: str = Field(min_length=1)


class SubmitJobReturn(IpsReadModel):
    job_handle: str


class GetActiveJobsReturn(IpsReadModel):
    job_array: Annotated[list[ActiveJob], IpsArray("ActiveJobArray")] = Field(default_factory=list)


class GetScheduledJobsReturn(IpsReadModel):
    job_array: Annotated[list[ScheduledJob], IpsArray("ScheduledJobArray")] = Field(
        default_factory=list
    )


class JobLogsReturn(IpsReadModel):
    job_log_array: Annotated[list[JobLog], IpsArray("JobLogArray")] = Field(default_factory=list)


class GetCompanyInfoReturn(IpsReadModel):
    company_info: CompanyInfo


class GetPropertyReturn(IpsReadModel):
    value: str | None = None


class EmptyReturn(IpsReadModel):
    """Operations that answer with an empty body."""


P = TypeVar("P", bound=IpsRequestModel)
R = TypeVar("R", bound=IpsReadModel)


@dataclass(frozen=True)
class Operation(Generic[P, R]):
    name: str
    param: type[P]
    result: type[R]
    #: Safe to send again after a transport error (no side effects on the server).
    read_only: bool

    @property
    def param_element(self) -> str:
        return f"{self.name}Param"

    @property
    def return_element(self) -> str:
        return f"{self.name}Return"


SUBMIT_JOB = Operation("submitJob", SubmitJobParam, SubmitJobReturn, read_only=False)
GET_ACTIVE_JOBS = Operation("getActiveJobs", GetActiveJobsParam, GetActiveJobsReturn, True)
GET_SCHEDULED_JOBS = Operation(
    "getScheduledJobs", GetScheduledJobsParam, GetScheduledJobsReturn, read_only=True
)
GET_JOB_LOGS = Operation("getJobLogs", GetJobLogsParam, JobLogsReturn, read_only=True)
GET_JOB_LOG_DETAILS = Operation(
    "getJobLogDetails", GetJobLogDetailsParam, JobLogsReturn, read_only=True
)
STOP_JOB = Operation("stopJob", StopJobParam, EmptyReturn, read_only=False)
PAUSE_JOB = Operation("pauseJob", PauseJobParam, EmptyReturn, read_only=False)
RESUME_JOB = Operation("resumeJob", ResumeJobParam, EmptyReturn, read_only=False)
DELETE_JOB = Operation("deleteJob", DeleteJobParam, EmptyReturn, read_only=False)
EXECUTE_JOB = Operation("executeJob", ExecuteJobParam, EmptyReturn, read_only=False)
GET_COMPANY_INFO = Operation(
    "getCompanyInfo", GetCompanyInfoParam, GetCompanyInfoReturn, read_only=True
)
GET_PROPERTY = Operation("getProperty", GetPropertyParam, GetPropertyReturn, read_only=True)

OPERATIONS: tuple[Operation, ...] = (
    SUBMIT_JOB,
    GET_ACTIVE_JOBS,
    GET_SCHEDULED_JOBS,
    GET_JOB_LOGS,
    GET_JOB_LOG_DETAILS,
    STOP_JOB,
    PAUSE_JOB,
    RESUME_JOB,
    DELETE_JOB,
    EXECUTE_JOB,
    GET_COMPANY_INFO,
    GET_PROPERTY,
)

OPERATIONS_BY_NAME: dict[str, Operation] = {op.name: op for op in OPERATIONS}


def build_validators(operations: tuple[Operation, ...] = OPERATIONS) -> None:
    """Build the validators of ``operations``' request and reply models now.

    Models build them on first use (``defer_build``); a caller that must not pause later
    (the triggerer's event loop) builds them ahead, in a worker thread.
    """
    for operation in operations:
        operation.param.model_rebuild()
        operation.result.model_rebuild()
