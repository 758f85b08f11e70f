"""The fault campaign (chaos/, docs/reliability.md): a short seeded run must count no harm.

The campaign runs real DAG runs in worker processes of its own (each with its own
AIRFLOW_HOME, metadata DB and simulator), so this test needs no fixture: it only reads the
report. The other tests check the campaign's own rules on made-up input.
"""

from __future__ import annotations

from pathlib import Path

from chaos import run_campaign
from chaos.analysis import judge, raised_exceptions, unhandled_exceptions
from chaos.plan import JOB_TYPES, SCENARIOS, CycleSpec, FaultSpec, expected_state, make_plan

#: The short campaign. Seed 624 was picked by scanning plans (not results) for coverage in
#: 32 cycles: all 11 job types, every scenario in both modes, 5 worker kills, 4 submitJob
#: answers slower than the call timeout, a lost one, 4 kinds of hostile reply and 3 sync
#: tasks retried after an error mid-wait; and for few submitJob failures that make the hook
#: wait out its submit grace (seconds each). On 2 workers: about a minute, much of it
#: Airflow starting up in the workers.
SEED = 624
CYCLES = 32


def test_the_plan_depends_on_the_seed_only() -> None:
    assert make_plan(SEED, 80) == make_plan(SEED, 80)
    assert make_plan(SEED, 80) != make_plan(SEED + 1, 80)
    assert make_plan(SEED, 80)[:10] == make_plan(SEED, 10), "a longer plan extends a shorter"
    plan = make_plan(SEED, 300)
    assert {c.job_type for c in plan} == set(JOB_TYPES)
    assert {c.scenario for c in plan} == set(SCENARIOS)
    assert {(c.deferrable, c.retries) for c in plan} >= {(False, 0), (False, 1), (True, 0)}
    for cycle in plan:
        assert CycleSpec.from_json(cycle.to_json()) == cycle
        submit = [f for f in cycle.faults if f.phase == "submit"]
        assert all(f.operation == "submitJob" for f in submit)
        latencies = [f.seconds for f in submit if f.type == "latency"]
        assert all(0.75 <= s <= 5.0 for s in latencies), "1.5x to 10x the 0.5 s call timeout"


def test_fail_on_decides_the_expected_state() -> None:
    assert expected_state("success", "warnings") == "success"
    assert expected_state("warnings", "errors") == "success"
    assert expected_state("warnings", "warnings") == "failed"
    assert expected_state("errors", "fatal") == "success"
    assert expected_state("errors", "errors") == "failed"
    assert expected_state("fatal", "fatal") == "failed"


TRACEBACKS = """\
2026-01-01T00:00:00Z [error    ] Task failed with exception [task]
Traceback (most recent call last):
  File "x.py", line 1, in f
    raise httpx.ReadTimeout("slow")
httpx.ReadTimeout: slow

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "x.py", line 2, in g
    raise IpsTimeoutError("slow")
airflow_provider_ips.soap.errors.IpsTimeoutError: no answer in 0.5s
Traceback (most recent call last):
  File "y.py", line 3, in h
    return event["summary"]
KeyError: 'summary'
Traceback (most recent call last):
  File "z.py", line 4, in i
    raise AirflowFailException("IPS job failed")
airflow.sdk.exceptions.AirflowFailException: IPS job failed
"""


def test_only_the_raised_end_of_a_chain_counts_and_ips_types_are_handled() -> None:
    raised = [e.type for e in raised_exceptions(TRACEBACKS)]
    assert raised == [
        "airflow_provider_ips.soap.errors.IpsTimeoutError",
        "KeyError",
        "airflow.sdk.exceptions.AirflowFailException",
    ]
    assert unhandled_exceptions(TRACEBACKS) == ["KeyError: 'summary'"]


def _cycle(**changes: object) -> CycleSpec:
    base = CycleSpec(
        index=7, seed=1, job_type="upload_urls_job", scenario="run", deferrable=False,
        outcome="errors", fail_on="errors", retries=1, duration=0.3,
    )  # fmt: skip
    return CycleSpec(**{**base.__dict__, **changes})


SUMMARY = {"job_handle": "h1", "file_success_count": 2, "file_error_count": 1,
           "file_warning_count": 0}  # fmt: skip


def test_judging_rules() -> None:
    jobs = {"chaos_1_0007.job.run": ["h1"]}
    ok = judge(_cycle(), observed="failed", xcom=None, jobs=jobs, log_text="handle h1")
    assert not ok.bad
    # a failed job that ends as a successful task, without its summary: two bad counts
    wrong = judge(_cycle(), observed="success", xcom=None, jobs=jobs, log_text="handle h1")
    assert wrong.wrong_outcome and wrong.missing_summary
    # two jobs under one name: a duplicate; a job no try of the task saw: lost
    twice = {"chaos_1_0007.job.run": ["h1", "h2"], "chaos_1_0007.job.run-2": ["h3"]}
    harm = judge(_cycle(), observed="failed", xcom=None, jobs=twice, log_text="h1")
    assert (harm.duplicates, harm.lost) == (1, 1)
    # an auth fault may end the task as an error; a retryable one may not
    success = _cycle(outcome="success")
    auth = FaultSpec("auth_fault", "getActiveJobs", 1, "wait")
    errored = judge(_cycle(outcome="success", faults=(auth,)), observed="failed", xcom=None,
                    jobs=jobs, log_text="h1")  # fmt: skip
    assert errored.errored_as_expected and not errored.bad
    blip = FaultSpec("http_error", "getActiveJobs", 2, "wait", status=503)
    failed = judge(_cycle(outcome="success", faults=(blip,)), observed="failed", xcom=None,
                   jobs=jobs, log_text="h1")  # fmt: skip
    assert failed.wrong_outcome
    fine = judge(success, observed="success", xcom=SUMMARY, jobs=jobs, log_text="")
    assert not fine.bad, fine.notes


def test_short_campaign_counts_no_harm(tmp_path: Path) -> None:
    result = run_campaign(
        cycles=CYCLES,
        seed=SEED,
        workers=2,
        report=tmp_path / "report.md",
        workdir=tmp_path / "work",
        timeout=240,
    )
    counts = result.report["counts"]
    assert counts["cycles"] + counts["incomplete_cycles"] == CYCLES
    assert counts["faults_injected"] > 0
    assert result.bad_counts == dict.fromkeys(result.bad_counts, 0), result.markdown
