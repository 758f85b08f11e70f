"""OpenLineage datasets of the job operators, named as docs/lineage.md says.

The IPS namespace is ``ips://127.0.0.1:<simulator port>/c1001`` here; ``None`` in the tables
below stands for it. Real runs are watched through the OpenLineage provider's own events.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from airflow_provider_ips import lineage
from airflow_provider_ips.lineage import (
    JOB_LINEAGE,
    IpsCompany,
    ips_namespace,
    job_lineage,
    url_dataset,
)
from airflow_provider_ips.models import JOB_TYPES, UploadUrlsJob
from airflow_provider_ips.operators.jobs import (
    JOB_OPERATORS,
    IpsCreateScheduledJobOperator,
    IpsSubmitJobOperator,
    IpsUploadDirectoryJobOperator,
    IpsUploadUrlsJobOperator,
)
from airflow_provider_ips.simulator import IpsSimulator
from tests.examples import EXAMPLE_JOBS

REPO = Path(__file__).resolve().parents[1]
Pairs = list[tuple[str | None, str]]

#: job type -> (inputs, outputs) of its example job in tests/examples.py.
EXPECTED: dict[str, tuple[Pairs, Pairs]] = {
    "export_job": (
        [(None, "assets/a|1001|img-1"), (None, "assets/a|1001|img-2")],
        [(None, "exports/")],
    ),
    "image_serving_publish_job": ([(None, "folders/")], [(None, "publish/image-serving")]),
    "image_rendering_publish_job": (
        [(None, "folders/")],
        [(None, "publish/image-rendering/ctx|render")],
    ),
    "video_publish_job": ([(None, "folders/")], [(None, "publish/video/ctx|video")]),
    "server_directory_publish_job": ([(None, "folders/")], [(None, "publish/server-directory")]),
    "upload_directory_job": (
        [(None, "upload-directories/incoming/spring/")],
        [(None, "folders/spring/"), (None, "publish/image-serving")],
    ),
    "upload_urls_job": (
        [
            ("https://assets.example.com", "/shoe-1.jpg"),
            ("https://assets.example.com", "/shoe-2.jpg"),
        ],
        [(None, "folders/")],
    ),
    "optimize_images_job": ([(None, "folders/")], [(None, "folders/")]),
    "rip_pdfs_job": ([(None, "assets/a|1001|catalog.pdf")], [(None, "assets/a|1001|catalog.pdf")]),
    "reprocess_assets_job": (
        [(None, "assets/a|1001|img-3")],
        [(None, "assets/a|1001|img-3"), (None, "publish/video")],
    ),
    "automated_set_generation_job": (
        [(None, "assets/a|1001|img-4"), (None, "assets/a|1001|img-5")],
        [(None, "folders/sets/")],
    ),
}


class _TaskInstance:
    """What ``execute`` touches of a task instance, for a run outside a DAG run."""

    dag_id, task_id, run_id, map_index = "lineage", "complete", "r1", -1

    def __init__(self) -> None:
        self.xcoms: dict[str, Any] = {}

    def xcom_push(self, key: str, value: Any) -> None:
        self.xcoms[key] = value


def _pairs(datasets: Any, ips: str) -> Pairs:
    return [(None if d.namespace == ips else d.namespace, d.name) for d in datasets]


def _event_pairs(datasets: list[dict[str, Any]], ips: str) -> Pairs:
    return [(None if d["namespace"] == ips else d["namespace"], d["name"]) for d in datasets]


def test_every_job_type_has_a_lineage_rule_an_expected_case_and_a_docs_row() -> None:
    assert set(JOB_LINEAGE) == {spec.model for spec in JOB_TYPES}
    assert set(EXPECTED) == {spec.param_field for spec in JOB_TYPES}
    docs = (REPO / "docs" / "lineage.md").read_text()
    for spec in JOB_TYPES:
        assert f"| `{spec.model.__name__}` |" in docs, spec.model.__name__


@pytest.mark.parametrize("operator", JOB_OPERATORS, ids=lambda op: op.__name__)
def test_each_job_type_reports_what_it_reads_and_writes(
    operator: type[IpsSubmitJobOperator], simulator: IpsSimulator, ips_connection: Any
) -> None:
    spec = operator.job_type
    assert spec is not None
    found = operator(
        task_id="t", **EXAMPLE_JOBS[spec.param_field]
    ).get_openlineage_facets_on_start()
    ips = f"ips://127.0.0.1:{simulator.port}/c1001"
    inputs, outputs = EXPECTED[spec.param_field]
    assert _pairs(found.inputs, ips) == inputs
    assert _pairs(found.outputs, ips) == outputs
    assert found.run_facets == {}  # no job yet: no external query on start


def test_a_company_named_by_name_is_namespaced_by_its_handle(
    simulator: IpsSimulator, ips_connection: Any
) -> None:
    name = simulator.config.companies["c1001"].name
    ips_connection(extra={"company": name, "company_handle": None})
    found = IpsUploadUrlsJobOperator(
        task_id="t", url_array=["https://assets.example.com/a.jpg"]
    ).get_openlineage_facets_on_start()
    assert [d.namespace for d in found.outputs] == [f"ips://127.0.0.1:{simulator.port}/c1001"]


def test_folders_are_named_relative_to_the_company_root_however_written(
    simulator: IpsSimulator, ips_connection: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lineage, "_root_paths", {})
    names = set()
    for dest in ("DemoCompany/spring/", "/DemoCompany/spring", "spring", " spring/ "):
        found = IpsUploadDirectoryJobOperator(
            task_id="t", server_dir="/in", dest_folder=dest
        ).get_openlineage_facets_on_start()
        names.add(found.outputs[0].name)
    assert names == {"folders/spring/"}
    assert len(simulator.calls("getCompanyInfo")) == 1, "the root path is read once per process"


def test_namespaces_drop_default_ports_lower_case_hosts_and_encode_the_company() -> None:
    assert (
        ips_namespace("https://S7SPS1APISSL.scene7.com:443", "c|101")
        == "ips://s7sps1apissl.scene7.com/c%7C101"
    )
    assert ips_namespace("http://127.0.0.1:8765", "c1001") == "ips://127.0.0.1:8765/c1001"
    assert ips_namespace("http://[::1]:8765/scene7", "c1") == "ips://[::1]:8765/c1"


def test_url_datasets_keep_scheme_host_and_path_but_no_credentials_or_query() -> None:
    ref = url_dataset("https://user:s3cret@Assets.Example.com:443/a/b.jpg?X-Sig=tok3n#top")
    assert (ref.namespace, ref.name) == ("https://assets.example.com", "/a/b.jpg")
    assert url_dataset("http://host:8080").name == "/"
    assert url_dataset("http://host:8080/x").namespace == "http://host:8080"


def test_an_upload_directory_given_as_a_url_is_named_on_its_own_server() -> None:
    company = IpsCompany("ips://ips.example.com/c1")
    job = {"upload_directory_job": {"server_dir": "ftp://FTP.example.com:2121/in/spring"}}
    found = job_lineage(job, company)
    assert [(d.namespace, d.name) for d in found.inputs] == [
        ("ftp://ftp.example.com:2121", "/in/spring/")
    ]
    assert [d.name for d in found.outputs] == ["folders/"]


def test_follow_on_publish_jobs_add_their_targets_to_the_outputs() -> None:
    company = IpsCompany("ips://ips.example.com/c1")
    job = UploadUrlsJob(
        url_array=["https://a.example.com/1.jpg"],
        post_image_rendering_publish_job={"context_handle": "ctx|1"},
    )
    assert [d.name for d in job_lineage(job, company).outputs] == [
        "folders/",
        "publish/image-rendering/ctx|1",
    ]


def test_models_dicts_and_ips_spellings_give_the_same_lineage() -> None:
    company = IpsCompany("ips://ips.example.com/c1")
    urls = ["https://a.example.com/1.jpg", "https://a.example.com/1.jpg"]
    by_model = job_lineage(UploadUrlsJob(url_array=urls), company)
    assert by_model == job_lineage({"uploadUrlsJob": {"urlArray": urls}}, company)
    assert by_model == job_lineage({"UploadUrlsJob": {"url_array": urls}}, company)
    assert len(by_model.inputs) == 1, "a URL listed twice is one dataset"
    with pytest.raises(ValueError, match="expected one IPS job type"):
        job_lineage({"nope": {}}, company)


def test_creating_a_recurring_job_reports_no_datasets(
    simulator: IpsSimulator, ips_connection: Any
) -> None:
    op = IpsCreateScheduledJobOperator(
        task_id="t", job={"optimize_images_job": {}}, exec_schedule="0 0 2 * * ?"
    )
    found = op.get_openlineage_facets_on_start()
    assert (found.inputs, found.outputs) == ([], [])


@pytest.mark.usefixtures("airflow_db")
def test_on_complete_names_the_ips_job_that_ran(live_simulator: IpsSimulator) -> None:
    op = IpsUploadUrlsJobOperator(
        task_id="complete", url_array=["https://assets.example.com/a.jpg"], poll_interval=0.05
    )
    ti = _TaskInstance()
    op.execute({"ti": ti})  # type: ignore[arg-type]
    found = op.get_openlineage_facets_on_complete(ti)
    ips = f"ips://127.0.0.1:{live_simulator.port}/c1001"
    query = found.run_facets["externalQuery"]
    assert (query.externalQueryId, query.source) == (ti.xcoms["ips_job_handle"], ips)
    assert _pairs(found.outputs, ips) == [(None, "folders/")]


@pytest.mark.usefixtures("airflow_db")
def test_a_dag_run_emits_the_datasets_of_every_task(
    live_simulator: IpsSimulator, tmp_path: Path
) -> None:
    """A real DAG run with the OpenLineage provider on, writing its events to a file."""
    events_file = tmp_path / "events.jsonl"
    env = {
        **os.environ,
        "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps(
            {"type": "file", "log_file_path": str(events_file), "append": True}
        ),
    }
    code = (
        f"import sys; sys.path[:0] = [{str(REPO)!r}, {str(REPO / 'tests' / 'dags')!r}]\n"
        "from ips_lineage_dag import ips_lineage_dag\n"
        "run = ips_lineage_dag.test()\n"
        "import json\n"
        "states = {ti.task_id: str(ti.state) for ti in run.get_task_instances()}\n"
        "print('STATES', json.dumps(states))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("STATES ")]
    states = json.loads(line.removeprefix("STATES "))
    assert set(states.values()) == {"success"}, states

    ips = f"ips://127.0.0.1:{live_simulator.port}/c1001"
    events: dict[tuple[str, str], dict[str, Any]] = {}
    for line in events_file.read_text().splitlines():
        event = json.loads(line)
        task = event["job"]["name"].removeprefix("ips_lineage.")
        events[(task, event["eventType"])] = event  # the last one of each kind

    def seen(task: str, kind: str) -> tuple[Pairs, Pairs]:
        event = events[(task, kind)]
        return _event_pairs(event["inputs"], ips), _event_pairs(event["outputs"], ips)

    for field, expected in EXPECTED.items():
        assert seen(field, "START") == expected, field
        assert seen(field, "COMPLETE") == expected, field
        query = events[(field, "COMPLETE")]["run"]["facets"]["externalQuery"]
        assert query["source"] == ips
        assert query["externalQueryId"].startswith(f"c1001|ips_lineage.{field}."), query
    # waited in the triggerer: the same datasets, and the handle from the trigger's event
    assert seen("upload_urls_job_deferred", "COMPLETE") == EXPECTED["upload_urls_job"]
    query = events[("upload_urls_job_deferred", "COMPLETE")]["run"]["facets"]["externalQuery"]
    assert query["externalQueryId"].startswith("c1001|ips_lineage.upload_urls_job_deferred."), query
    assert seen("templated", "START") == (
        [(None, "upload-directories/incoming/summer/")],
        [(None, "folders/summer/")],
    )
    assert seen("recurring", "COMPLETE") == ([], [])


def _site_packages_without_openlineage(shadow: Path) -> Path:
    """This environment's site-packages as symlinks, less every OpenLineage package.

    A child ``python -S`` on it sees an install without the ``openlineage`` extra: no
    modules and no distribution (so no provider entry point) of OpenLineage.
    """
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])

    def mirror(source: Path, target: Path, nested: tuple[str, ...]) -> None:
        target.mkdir()
        for entry in source.iterdir():
            if "openlineage" in entry.name.lower() or entry.suffix == ".pth":
                continue
            if nested and entry.name == nested[0]:
                mirror(entry, target / entry.name, nested[1:])
            else:
                (target / entry.name).symlink_to(entry)

    mirror(site, shadow, ("airflow", "providers"))
    return shadow


@pytest.mark.usefixtures("airflow_db")
def test_without_openlineage_the_provider_imports_and_runs(
    live_simulator: IpsSimulator, tmp_path: Path
) -> None:
    code = (
        "import importlib, json, pkgutil, sys\n"
        "OPENLINEAGE = ('openlineage', 'airflow.providers.openlineage')\n"
        "import airflow_provider_ips as package\n"
        "for mod in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "    importlib.import_module(mod.name)\n"
        "from airflow.providers_manager import ProvidersManager\n"
        "from airflow_provider_ips.lineage import IpsCompany, job_lineage\n"
        "from airflow_provider_ips.operators.jobs import IpsUploadUrlsJobOperator\n"
        "from tests.test_lineage import _TaskInstance\n"
        "op = IpsUploadUrlsJobOperator(task_id='complete', poll_interval=0.05,\n"
        "                              url_array=['https://assets.example.com/a.jpg'])\n"
        "summary = op.execute({'ti': _TaskInstance()})\n"
        "found = job_lineage(op.job, IpsCompany('ips://h/c'))\n"
        "try:\n"
        "    op.get_openlineage_facets_on_complete(None)\n"
        "    error = None\n"
        "except ModuleNotFoundError as exc:\n"
        "    error = exc.name\n"
        "result = {\n"
        "    'handle': summary['job_handle'],\n"
        "    'input': found.inputs[0].name,\n"
        "    'error': error,\n"
        "    'loaded': sorted(m for m in sys.modules if m.startswith(OPENLINEAGE)),\n"
        "    'providers': sorted(ProvidersManager().providers),\n"
        "}\n"
        "print('RESULT', json.dumps(result))\n"
    )
    site = _site_packages_without_openlineage(tmp_path / "site-packages")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(REPO)])}
    done = subprocess.run(
        [sys.executable, "-S", "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    result = json.loads(line.removeprefix("RESULT "))
    assert result["handle"].startswith("c1001|"), "the job ran to success"
    assert result["input"] == "/a.jpg", "the datasets are known without OpenLineage"
    assert result["error"].startswith("airflow.providers"), "the facets need the extra"
    assert result["loaded"] == []
    assert "airflow-provider-ips" in result["providers"]
    assert not any("openlineage" in name for name in result["providers"])
