"""The per-type operators are real classes: help(), signatures and mypy see every job field."""

from __future__ import annotations

import ast
import inspect
import pydoc
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from airflow_provider_ips.models import JOB_TYPES
from airflow_provider_ips.operators import job_types
from airflow_provider_ips.operators.jobs import (
    JOB_OPERATORS,
    IpsSubmitJobOperator,
    IpsUploadUrlsJobOperator,
)
from airflow_provider_ips.simulator import IpsSimulator
from tests.helpers import xcom

REPO = Path(__file__).resolve().parents[2]


def _job_fields(operator: type[IpsSubmitJobOperator]) -> list[inspect.Parameter]:
    parameters = inspect.signature(operator).parameters.values()
    return [p for p in parameters if p.kind is p.KEYWORD_ONLY]


@pytest.mark.parametrize("operator", JOB_OPERATORS, ids=lambda op: op.__name__)
def test_signature_and_help_list_every_field_of_the_job_type(
    operator: type[IpsSubmitJobOperator],
) -> None:
    spec = operator.job_type
    assert spec is not None
    model = spec.model
    fields = _job_fields(operator)
    assert [p.name for p in fields] == list(model.model_fields)
    assert all(p.default is None and str(p.annotation).endswith("| None") for p in fields)
    page = pydoc.render_doc(operator, renderer=pydoc.plaintext)
    for name in model.model_fields:
        assert f":param {name}:" in page
        assert f"{name}: " in page  # in the signature shown, with its type
    doc = " ".join((operator.__doc__ or "").split())
    assert all(f"IPS: ``{model.ips_name(name)}``" in doc for name in model.model_fields)


def test_field_types_follow_the_model() -> None:
    types = {p.name: str(p.annotation) for p in _job_fields(IpsUploadUrlsJobOperator)}
    assert types["url_array"] == "list[str] | Templated | None"
    assert types["overwrite"] == "bool | Templated | None"
    assert types["xmp_keywords"] == "str | None"  # a string takes a template as it is
    assert types["email_setting"] == "EmailSetting | EmailSettingValue | Templated | None"
    assert types["photoshop_options"] == "PhotoshopOptions | dict[str, Any] | Templated | None"


def test_each_class_names_its_job_type() -> None:
    assert [op.job_type_name for op in JOB_OPERATORS] == [s.param_field for s in JOB_TYPES]
    assert IpsUploadUrlsJobOperator.job_type is JOB_TYPES[6]  # found by name, in any order
    assert IpsSubmitJobOperator.job_type is None

    class Misnamed(IpsUploadUrlsJobOperator):
        job_type_name = "upload_url_job"

    with pytest.raises(LookupError, match="upload_url_job"):
        Misnamed(task_id="t", url_array=["https://x.example/a.jpg"])


def test_only_given_fields_reach_the_job_and_ips_spellings_still_work() -> None:
    url = "https://x.example/a.jpg"
    op = IpsUploadUrlsJobOperator(task_id="t", urlArray=[url], overwrite=False)
    assert op.job == {"upload_urls_job": {"overwrite": False, "url_array": [url]}}
    with pytest.raises(TypeError, match="url_array: given twice"):
        IpsUploadUrlsJobOperator(task_id="t", url_array=[url], urlArray=[url])


def test_generated_module_imports_no_models_at_run_time() -> None:
    """DAG parsing pays for the classes only: model and enum types are annotations."""
    tree = ast.parse(Path(job_types.__file__).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {"__future__", "typing", "airflow_provider_ips.operators.jobs"}


# --- mypy on DAG files -------------------------------------------------------------------------

BAD_DAG = """
from airflow_provider_ips.operators.jobs import IpsUploadUrlsJobOperator

IpsUploadUrlsJobOperator(
    task_id="upload", url_arary=["https://assets.example.com/a.jpg"], overwrite="yes"
)
"""

GOOD_DAG = """
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import DAG

from airflow_provider_ips.models import PhotoshopOptions, PhotoshopProcess
from airflow_provider_ips.operators import IpsExportJobOperator, IpsStopJobOperator
from airflow_provider_ips.operators.jobs import IpsUploadUrlsJobOperator, Templated

with DAG(dag_id="typed", schedule=None, start_date=pendulum.datetime(2026, 1, 1, tz="UTC")):
    upload = IpsUploadUrlsJobOperator(
        task_id="upload",
        url_array=["https://assets.example.com/a.jpg"],
        overwrite=Templated("{{ params.overwrite }}"),
        email_setting="ErrorAndWarning",
        photoshop_options=PhotoshopOptions(process=PhotoshopProcess.MAINTAIN_LAYERS),
        manual_crop_options={"left": 10},
        xmp_keywords="{{ params.keywords }}",
        retries=2,
        retry_delay=timedelta(seconds=10),
        deferrable=True,
        poll_interval=5,
        fail_on="warnings",
    )
    export = IpsExportJobOperator(task_id="export", asset_handle_array=["a|1"], fmt="orig")
    stop = IpsStopJobOperator(task_id="stop", job_handle="{{ ti.xcom_pull('upload') }}")
    upload >> export >> stop
"""


def _mypy_cache(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """pytest's cache directory keeps mypy's analysis of Airflow between runs (~30 s cold)."""
    cache = getattr(request.config, "cache", None)
    return cache.mkdir("mypy-dag-files") if cache is not None else tmp_path / "mypy-cache"


def test_mypy_finds_a_misspelt_field_and_a_wrong_type_in_a_dag_file(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """As a user's DAG sees the installed package (py.typed), with mypy --strict."""
    (tmp_path / "bad_dag.py").write_text(textwrap.dedent(BAD_DAG))
    (tmp_path / "good_dag.py").write_text(textwrap.dedent(GOOD_DAG))
    (tmp_path / "mypy.ini").write_text("[mypy]\n")
    examples = sorted(str(path) for path in (REPO / "dags").glob("*.py"))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", "mypy.ini",
         "--cache-dir", str(_mypy_cache(request, tmp_path)), "--no-error-summary",
         "--hide-error-context", "--no-pretty", "bad_dag.py", "good_dag.py", *examples],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 2, done.stdout + done.stderr
    misspelt, wrong_type = errors
    assert misspelt.startswith("bad_dag.py:")
    assert 'Unexpected keyword argument "url_arary" for "IpsUploadUrlsJobOperator"' in misspelt
    assert 'did you mean "url_array"' in misspelt
    assert wrong_type.startswith("bad_dag.py:")
    assert 'Argument "overwrite" to "IpsUploadUrlsJobOperator" has incompatible type "str"' in (
        wrong_type
    )
    assert 'expected "bool | Templated | None"' in wrong_type


# --- a real signature lets Airflow map over a job field ----------------------------------------


@pytest.mark.usefixtures("airflow_db")
def test_a_job_field_can_be_mapped_over(live_simulator: IpsSimulator) -> None:
    from tests.operators.test_job_operators import load_dag

    dag = load_dag("ips_mapped_upload")  # puts tests/dags on sys.path
    from ips_test_dags import MAPPED_URL_BATCHES  # type: ignore[import-not-found]

    live_simulator.script_outcome(files=None, duration=0.3, count=2)  # a file a URL
    run = dag.test()
    assert [str(ti.state) for ti in run.get_task_instances()] == ["success"] * 2
    names = sorted(c.job_name or "" for c in live_simulator.calls("submitJob"))
    assert [name.rsplit(".", 1)[-1] for name in names] == ["0", "1"]  # one job a map index
    counts = [xcom(run, "upload", map_index)["total_file_count"] for map_index in (0, 1)]
    assert counts == [len(batch) for batch in MAPPED_URL_BATCHES]
