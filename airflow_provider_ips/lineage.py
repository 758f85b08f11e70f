"""OpenLineage datasets of IPS jobs: what each job type reads and what it writes.

One table, :data:`JOB_LINEAGE`, maps every ``submitJob`` job type to its inputs and outputs
(docs/lineage.md shows it as a table). Everything IPS holds is named inside one namespace per
IPS host and company, ``ips://<host>/<company handle>``:

* ``folders/<path>/``: an IPS folder, its path relative to the company's root folder
  (``folders/`` is the root folder itself, where uploads without a destination folder land;
  it stands for the company's whole library)
* ``assets/<handle>``: one asset, by handle
* ``publish/image-serving``, ``publish/image-rendering[/<context>]``,
  ``publish/video[/<context>]``, ``publish/server-directory``: the publish targets
* ``upload-directories/<path>/``: a directory on the company's upload (FTP) server
* ``exports/``: the company's exports

Upload sources outside IPS keep their own names: a URL is namespace ``scheme://host[:port]``
and name its path (query, fragment and user info left out: they may carry credentials).
The same goes for an ``UploadDirectoryJob`` whose ``server_dir`` is a URL (``ftp://...``).

The mapping needs no OpenLineage; :func:`operator_lineage` turns it into the OpenLineage
provider's ``OperatorLineage``, importing that provider (the ``openlineage`` extra) only then,
as Airflow's own providers do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from airflow_provider_ips.models import JOB_TYPES
from airflow_provider_ips.models.jobs import (
    AutomatedSetGenerationJob,
    ExportJob,
    ImageRenderingPublishJob,
    ImageServingPublishJob,
    OptimizeImagesJob,
    ReprocessAssetsJob,
    RipPdfsJob,
    ServerDirectoryPublishJob,
    UploadDirectoryJob,
    UploadUrlsJob,
    VideoPublishJob,
)

if TYPE_CHECKING:
    from airflow.providers.openlineage.extractors import OperatorLineage

#: Ports left out of namespaces, so ``https://host`` and ``https://host:443`` are one system.
_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21, "sftp": 22}
#: Characters a company handle keeps in the namespace (``c|101`` becomes ``c%7C101``).
_SAFE_IN_SEGMENT = "-._~"


@dataclass(frozen=True)
class DatasetRef:
    """One OpenLineage dataset: the system holding it and its name there."""

    namespace: str
    name: str


@dataclass(frozen=True)
class IpsCompany:
    """Where one IPS company's data is named: its namespace and its root folder's path.

    IPS folder paths start with the company's root path (``DemoCompany/spring/``); folder
    names leave it out, so a path given with or without it names the same folder.
    """

    namespace: str
    root_path: str = ""


@dataclass(frozen=True)
class JobLineage:
    """What one IPS job reads and writes."""

    inputs: tuple[DatasetRef, ...]
    outputs: tuple[DatasetRef, ...]


def _authority(scheme: str, host: str, port: int | None) -> str:
    host = host.lower()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    if port is None or _DEFAULT_PORTS.get(scheme) == port:
        return host
    return f"{host}:{port}"


def ips_namespace(base_url: str, company_handle: str) -> str:
    """``ips://<host>/<company>`` for the IPS at ``base_url`` (default port left out)."""
    parts = urlsplit(base_url)
    if not parts.hostname:
        raise ValueError(f"base_url: no host in {base_url!r}")
    authority = _authority(parts.scheme.lower(), parts.hostname, parts.port)
    return f"ips://{authority}/{quote(company_handle, safe=_SAFE_IN_SEGMENT)}"


def url_dataset(url: str) -> DatasetRef:
    """A file outside IPS: namespace ``scheme://host[:port]``, name its path."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.hostname:
        raise ValueError(f"not a URL with a host: {url!r}")
    scheme = parts.scheme.lower()
    return DatasetRef(
        f"{scheme}://{_authority(scheme, parts.hostname, parts.port)}", parts.path or "/"
    )


def _path(value: str | None) -> str:
    """An IPS path as a name segment: no leading slash, a trailing one (``""`` for the root)."""
    path = (value or "").strip().strip("/")
    return f"{path}/" if path else ""


def _folder(company: IpsCompany, path: str | None = None) -> DatasetRef:
    path, root = _path(path), _path(company.root_path)
    if root and path.startswith(root):
        path = path[len(root) :]
    return DatasetRef(company.namespace, f"folders/{path}")


def _assets(company: IpsCompany, handles: Iterable[str] | None) -> list[DatasetRef]:
    return [DatasetRef(company.namespace, f"assets/{handle}") for handle in handles or ()]


def _upload_directory(company: IpsCompany, server_dir: str | None) -> DatasetRef:
    if server_dir and "://" in server_dir:
        ref = url_dataset(server_dir)
        return DatasetRef(ref.namespace, "/" + _path(ref.name))
    return DatasetRef(company.namespace, f"upload-directories/{_path(server_dir)}")


#: Publish job types and the target each publishes to.
_PUBLISH_TARGETS: dict[type, str] = {
    ImageServingPublishJob: "image-serving",
    ImageRenderingPublishJob: "image-rendering",
    VideoPublishJob: "video",
    ServerDirectoryPublishJob: "server-directory",
}


def _publish_target(company: IpsCompany, job: Any) -> DatasetRef:
    """Where a publish job (or an upload's follow-on publish job) publishes to.

    Image Rendering and video publish name their publish context, when one is given.
    """
    context = getattr(job, "context_handle", None)
    target = _PUBLISH_TARGETS[type(job)] + (f"/{context}" if context else "")
    return DatasetRef(company.namespace, f"publish/{target}")


def _follow_on(company: IpsCompany, job: Any) -> list[DatasetRef]:
    """The publish target of an upload or processing job's ``post_*_publish_job``."""
    posts = (
        job.post_image_serving_publish_job,
        job.post_image_rendering_publish_job,
        job.post_video_publish_job,
    )
    return [_publish_target(company, post) for post in posts if post is not None]


Side = Callable[[IpsCompany, Any], list[DatasetRef]]


@dataclass(frozen=True)
class LineageRule:
    """How one job type's fields name what it reads and what it writes."""

    reads: Side
    writes: Side


#: A publish job reads every asset marked ready for publish: the company's library.
_PUBLISHING = LineageRule(lambda c, j: [_folder(c)], lambda c, j: [_publish_target(c, j)])


#: Every job type's inputs and outputs, keyed by its model.
JOB_LINEAGE: Mapping[type, LineageRule] = {
    ExportJob: LineageRule(
        lambda c, j: _assets(c, j.asset_handle_array),
        lambda c, j: [DatasetRef(c.namespace, "exports/")],
    ),
    ImageServingPublishJob: _PUBLISHING,
    ImageRenderingPublishJob: _PUBLISHING,
    VideoPublishJob: _PUBLISHING,
    ServerDirectoryPublishJob: _PUBLISHING,
    UploadDirectoryJob: LineageRule(
        lambda c, j: [_upload_directory(c, j.server_dir)],
        lambda c, j: [_folder(c, j.dest_folder), *_follow_on(c, j)],
    ),
    UploadUrlsJob: LineageRule(
        lambda c, j: [url_dataset(url) for url in j.url_array or ()],
        # the job type names no destination folder: files land in the company's root
        lambda c, j: [_folder(c), *_follow_on(c, j)],
    ),
    OptimizeImagesJob: LineageRule(lambda c, j: [_folder(c)], lambda c, j: [_folder(c)]),
    RipPdfsJob: LineageRule(
        lambda c, j: _assets(c, j.pdf_handle_array),
        lambda c, j: [*_assets(c, j.pdf_handle_array), *_follow_on(c, j)],
    ),
    ReprocessAssetsJob: LineageRule(
        lambda c, j: _assets(c, j.asset_handle_array),
        lambda c, j: [*_assets(c, j.asset_handle_array), *_follow_on(c, j)],
    ),
    AutomatedSetGenerationJob: LineageRule(
        lambda c, j: _assets(c, j.asset_handle_array),
        lambda c, j: [_folder(c, j.dest_folder)],
    ),
}


def _job_model(job: Any) -> Any:
    """A job model from a model or ``{param_field: fields}`` (the operators' ``job``)."""
    if isinstance(job, tuple(JOB_LINEAGE)):
        return job
    if isinstance(job, Mapping) and len(job) == 1:
        ((field, fields),) = job.items()
        for spec in JOB_TYPES:
            if field in (spec.param_field, spec.ips_field, spec.model.__name__):
                return (
                    fields if isinstance(fields, spec.model) else spec.model.model_validate(fields)
                )
    got = sorted(map(str, job)) if isinstance(job, Mapping) else type(job).__name__
    raise ValueError(f"job: expected one IPS job type, got {got}")


def job_lineage(job: Any, company: IpsCompany) -> JobLineage:
    """The datasets ``job`` reads and writes; those IPS holds named for ``company``.

    :param job: A job model, or ``{"upload_urls_job": {...}}`` as the operators hold it.
    """
    model = _job_model(job)
    rule = JOB_LINEAGE[type(model)]
    return JobLineage(
        inputs=tuple(dict.fromkeys(rule.reads(company, model))),
        outputs=tuple(dict.fromkeys(rule.writes(company, model))),
    )


#: Company root paths by (IPS base URL, company handle), read once per process.
_root_paths: dict[tuple[str, str], str] = {}


def operator_company(hook: Any, job: Any) -> IpsCompany:
    """The company an operator's hook submits to; its root path only if a folder is named."""
    handle = str(hook.company_handle)
    namespace = ips_namespace(hook.endpoint.base_url, handle)
    if not getattr(_job_model(job), "dest_folder", None):
        return IpsCompany(namespace)
    key = (hook.endpoint.base_url, handle)
    if key not in _root_paths:
        _root_paths[key] = hook.get_company_info(handle=handle).root_path or ""
    return IpsCompany(namespace, _root_paths[key])


def operator_lineage(operator: Any) -> OperatorLineage:
    """The OpenLineage facets of an IPS job operator (needs the ``openlineage`` extra).

    Datasets come from the operator's rendered job; the namespace from its connection's host
    and company. Creating a recurring job moves no data, so that operator reports none. Once
    the task has submitted (or adopted) its job, the IPS job handle is the run's external
    query; a task resumed from the triggerer does not hold it, and reports the datasets only.
    """
    from airflow.providers.common.compat.openlineage.facet import (
        Dataset,
        ExternalQueryRunFacet,
    )
    from airflow.providers.openlineage.extractors import OperatorLineage

    from airflow_provider_ips.operators.jobs import IpsCreateScheduledJobOperator

    if isinstance(operator, IpsCreateScheduledJobOperator):
        return OperatorLineage()
    company = operator_company(operator.hook, operator.job)
    found = job_lineage(operator.job, company)
    run_facets: dict[str, Any] = {}
    handle = getattr(operator, "_job_handle", None)
    if handle:
        run_facets["externalQuery"] = ExternalQueryRunFacet(
            externalQueryId=str(handle), source=company.namespace
        )
    return OperatorLineage(
        inputs=[Dataset(namespace=d.namespace, name=d.name) for d in found.inputs],
        outputs=[Dataset(namespace=d.namespace, name=d.name) for d in found.outputs],
        run_facets=run_facets,
    )
