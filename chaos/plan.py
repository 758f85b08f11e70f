"""What each cycle of a campaign does, drawn from one seed: pure data, no Airflow, no I/O.

A plan depends only on ``(seed, cycles)``, never on the code under test: a fault type the
simulator does not offer (yet) is still planned, and skipped when it is injected, so the
same seed gives the same cycles before and after the simulator learns new faults.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from typing import Any

#: The client call timeout (connection extra ``timeout``, seconds) every cycle runs with.
CALL_TIMEOUT = 0.5
#: Seconds between status checks of the operators and triggers under test.
POLL_INTERVAL = 0.1
#: Operator ``timeout`` (seconds): bounds every wait, so a stuck cycle ends as a failure.
TASK_TIMEOUT = 60.0
#: Logical date of every DAG run: the run id, and so the derived job name, is the same
#: on every run of a cycle's DAG (that is what makes a re-run a retry of the same run).
LOGICAL_DATE = "2026-06-01T00:00:00+00:00"

JOB_TYPES = (
    "export_job",
    "image_serving_publish_job",
    "image_rendering_publish_job",
    "video_publish_job",
    "server_directory_publish_job",
    "upload_directory_job",
    "upload_urls_job",
    "optimize_images_job",
    "rip_pdfs_job",
    "reprocess_assets_job",
    "automated_set_generation_job",
)

#: Scenarios and their weights.
RUN = "run"  # one dag.test(), faults injected around it
KILL_AFTER_SUBMIT = "kill_after_submit"  # worker SIGKILLed once IPS recorded submitJob, re-run
KILL_WHILE_WAITING = "kill_while_waiting"  # worker SIGKILLed during the wait, re-run
TRIGGERER_RESTART = "triggerer_restart"  # IpsJobTrigger cancelled mid-wait, re-created
SCENARIOS: dict[str, float] = {
    RUN: 0.62,
    KILL_AFTER_SUBMIT: 0.09,
    KILL_WHILE_WAITING: 0.09,
    TRIGGERER_RESTART: 0.20,
}

FAIL_ON = ("fatal", "errors", "warnings")
OUTCOMES: dict[str, float] = {"success": 0.4, "warnings": 0.2, "errors": 0.2, "fatal": 0.2}

#: Faults a client must ride out (retry, adopt): the task ends as its job says.
TRANSIENT = "transient"
#: Faults that may legitimately end the task as an error: IPS refused the call (auth, API),
#: answered with something that is not a usable reply at all (hostile replies), or stayed
#: unreachable for longer than one call's retries (an outage).
ERRORING = "erroring"

HTTP_STATUSES = (500, 502, 503, 504, 429, 408)
#: Read calls a waiting task makes; "wait" faults target these.
WAIT_OPERATIONS = ("getActiveJobs", "getJobLogDetails")
#: Hostile replies. Injected only where the simulator offers them (see chaos.sim).
HOSTILE_TYPES = (
    "late",
    "trickle",
    "huge",
    "gzip_bomb",
    "truncate",
    "html",
    "empty",
    "wrong_shape",
    "dtd",
)
#: Consecutive failures of one operation stay below the hook's retry attempts (4), so a
#: transient fault never exhausts one call's retries: riding them out is the expectation.
MAX_TRANSIENT_PER_OPERATION = 3


@dataclass(frozen=True)
class FaultSpec:
    """One fault rule for the simulator, and when to add it."""

    type: str
    operation: str
    count: int
    #: "submit": added before the task starts (hits its submitJob calls); "wait": added
    #: once the task is waiting (its first status poll after the submission).
    phase: str
    seconds: float = 0.0
    status: int | None = None

    @property
    def kind(self) -> str:
        if self.type in ("auth_fault", "api_fault", *HOSTILE_TYPES):
            return ERRORING
        return ERRORING if self.count > MAX_TRANSIENT_PER_OPERATION else TRANSIENT

    def rule(self) -> dict[str, Any]:
        """The rule as the simulator's control API takes it."""
        rule: dict[str, Any] = {"type": self.type, "operation": self.operation, "count": self.count}
        if self.type == "latency":
            rule["seconds"] = self.seconds
        if self.status is not None:
            rule["status"] = self.status
        return rule

    def label(self) -> str:
        extra = f" {self.status}" if self.status is not None else ""
        if self.type == "latency":
            extra = f" {self.seconds:.2f}s"
        return f"{self.type}{extra} x{self.count} on {self.operation} ({self.phase})"


@dataclass(frozen=True)
class CycleSpec:
    """One cycle: a one-task DAG (or a bare trigger), its job's outcome, and the trouble."""

    index: int
    seed: int
    job_type: str
    scenario: str
    deferrable: bool
    outcome: str
    fail_on: str
    retries: int
    duration: float
    faults: tuple[FaultSpec, ...] = ()
    #: Triggerer restarts (TRIGGERER_RESTART), or seconds to wait before the kill (kills).
    restarts: int = 0
    kill_delay: float = 0.0
    outcome_fields: dict[str, Any] = field(default_factory=dict)

    @property
    def dag_id(self) -> str:
        return f"chaos_{self.seed}_{self.index:04d}"

    @property
    def mode(self) -> str:
        return "deferrable" if self.deferrable else "sync"

    @property
    def expected(self) -> str:
        return expected_state(self.outcome, self.fail_on)

    @property
    def may_error(self) -> bool:
        """Whether a fault of this cycle may legitimately end the task as an error."""
        return any(f.kind == ERRORING for f in self.faults)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["faults"] = [asdict(f) for f in self.faults]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CycleSpec:
        faults = tuple(FaultSpec(**f) for f in data.get("faults", ()))
        return cls(**{**data, "faults": faults})


def expected_state(outcome: str, fail_on: str) -> str:
    """The task state a finished job must give: the ``fail_on`` rules of the provider."""
    if outcome == "fatal":
        return "failed"
    if outcome == "errors":
        return "success" if fail_on == "fatal" else "failed"
    if outcome == "warnings":
        return "failed" if fail_on == "warnings" else "success"
    return "success"


def outcome_fields(outcome: str, rng: random.Random) -> dict[str, Any]:
    """``JobOutcome`` fields (without duration) for an outcome kind."""
    if outcome == "warnings":
        return {"files": 2, "warnings": rng.randint(1, 2)}
    if outcome == "errors":
        return {"files": 2, "errors": rng.randint(1, 2)}
    if outcome == "fatal":
        return {"files": 4, "fatal": True, "fatal_message": "chaos: disk on fire"}
    return {"files": 3}


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def submit_fault(rng: random.Random) -> FaultSpec:
    kind = _weighted(rng, {"latency": 0.4, "drop": 0.2, "drop_after": 0.2, "http_error": 0.2})
    if kind == "latency":  # answered after the client gave up: 1.5x to 10x the call timeout
        seconds = round(rng.uniform(1.5, 10.0) * CALL_TIMEOUT, 3)
        return FaultSpec("latency", "submitJob", 1, "submit", seconds=seconds)
    status = rng.choice(HTTP_STATUSES) if kind == "http_error" else None
    return FaultSpec(kind, "submitJob", rng.randint(1, 2), "submit", status=status)


def wait_fault(rng: random.Random, used: dict[str, int]) -> FaultSpec | None:
    kind = _weighted(
        rng,
        {
            "http_error": 0.22,
            "latency": 0.14,
            "drop": 0.12,
            "drop_after": 0.08,
            "auth_fault": 0.09,
            "api_fault": 0.09,
            "outage": 0.06,
            "hostile": 0.22,
        },
    )
    operation = rng.choice(WAIT_OPERATIONS)
    if kind in ("auth_fault", "api_fault"):
        return FaultSpec(kind, operation, 1, "wait")
    if kind == "outage":  # more failures in a row than one call retries: polls fail
        if used.get(operation):
            return None
        used[operation] = MAX_TRANSIENT_PER_OPERATION
        unavailable = rng.choice((502, 503))
        return FaultSpec("http_error", operation, rng.randint(4, 6), "wait", status=unavailable)
    if kind == "hostile":
        return FaultSpec(rng.choice(HOSTILE_TYPES), operation, rng.randint(1, 2), "wait")
    room = MAX_TRANSIENT_PER_OPERATION - used.get(operation, 0)
    if room < 1:
        return None
    count = min(room, rng.randint(1, 3) if kind == "http_error" else rng.randint(1, 2))
    used[operation] = used.get(operation, 0) + count
    if kind == "latency":
        seconds = round(rng.uniform(1.5, 4.0) * CALL_TIMEOUT, 3)
        return FaultSpec("latency", operation, count, "wait", seconds=seconds)
    status = rng.choice(HTTP_STATUSES) if kind == "http_error" else None
    return FaultSpec(kind, operation, count, "wait", status=status)


def plan_cycle(rng: random.Random, seed: int, index: int) -> CycleSpec:
    scenario = _weighted(rng, SCENARIOS)
    job_type = rng.choice(JOB_TYPES)
    outcome = _weighted(rng, OUTCOMES)
    fail_on = rng.choice(FAIL_ON)
    fields = outcome_fields(outcome, rng)
    faults: list[FaultSpec] = []
    used: dict[str, int] = {}
    restarts, kill_delay, retries = 0, 0.0, 0
    if scenario == RUN:
        deferrable = rng.random() < 0.5
        retries = 1 if rng.random() < 0.35 else 0
        # a job a retry can still find running, when the task has retries
        duration = round(rng.uniform(0.8, 1.5) if retries else rng.uniform(0.2, 0.5), 3)
        if rng.random() < 0.45:
            faults.append(submit_fault(rng))
        for _ in range(rng.choices((0, 1, 2), weights=(0.35, 0.45, 0.2))[0]):
            fault = wait_fault(rng, used)
            if fault is not None:
                faults.append(fault)
    elif scenario in (KILL_AFTER_SUBMIT, KILL_WHILE_WAITING):
        # the job outlives the kill, so the re-run finds it running (or just finished)
        deferrable = rng.random() < 0.5
        duration = round(rng.uniform(0.6, 1.5), 3)
        kill_delay = round(rng.uniform(0.0, 0.3), 3) if scenario == KILL_WHILE_WAITING else 0.0
        if rng.random() < 0.4:
            fault = wait_fault(rng, used)
            if fault is not None:
                faults.append(fault)
    else:
        deferrable = True
        duration = round(rng.uniform(0.6, 1.2), 3)
        restarts = rng.randint(1, 2)
        for _ in range(rng.choices((0, 1, 2), weights=(0.35, 0.45, 0.2))[0]):
            fault = wait_fault(rng, used)
            if fault is not None:
                faults.append(fault)
    return CycleSpec(
        index=index,
        seed=seed,
        job_type=job_type,
        scenario=scenario,
        deferrable=deferrable,
        outcome=outcome,
        fail_on=fail_on,
        retries=retries,
        duration=duration,
        faults=tuple(faults),
        restarts=restarts,
        kill_delay=kill_delay,
        outcome_fields=fields,
    )


def make_plan(seed: int, cycles: int) -> list[CycleSpec]:
    """The campaign's cycles; the same ``(seed, cycles)`` always gives the same list."""
    rng = random.Random(seed)
    return [plan_cycle(rng, seed, index) for index in range(cycles)]
