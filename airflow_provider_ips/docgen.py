"""Write docs/operators/<job type>.md from JOB_TYPES and the models (one table, no copies).

Run ``python -m airflow_provider_ips.docgen``; a test fails while the pages are stale.
"""

from __future__ import annotations

import enum
import sys
import types
import typing
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from airflow_provider_ips.models import JOB_TYPES, JobTypeSpec
from airflow_provider_ips.models._base import IpsModel, field_description

DOCS = Path(__file__).resolve().parent.parent / "docs" / "operators"


def _strip(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return args[0]
            annotation = args[0]
        else:
            return annotation


def describe_type(annotation: Any) -> str:
    annotation = _strip(annotation)
    if get_origin(annotation) is list:
        return f"list of {describe_type(get_args(annotation)[0])}"
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return "one of " + ", ".join(f"`{m.value}`" for m in annotation)
        if issubclass(annotation, IpsModel):
            return f"[{annotation.xsd_name()}](options.md#{annotation.xsd_name().lower()})"
        return annotation.__name__
    return str(annotation)


def _field_rows(model: type[IpsModel]) -> list[str]:
    rows = ["| argument | IPS name | type | notes |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        note = (field_description(model, name) or "").replace("\n", " ").replace("|", "\\|")
        rows.append(
            f"| `{name}` | `{model.ips_name(name)}` | {describe_type(field.annotation)} | {note} |"
        )
    return rows


def operator_page(spec: JobTypeSpec) -> str:
    model = spec.model
    op = f"Ips{model.__name__}Operator"
    lines = [
        f"# {op}",
        "",
        f"Runs an IPS `{model.__name__}`: {spec.summary}",
        "",
        "```python",
        f"from airflow_provider_ips.operators.jobs import {op}",
        "",
        f'{spec.param_field} = {op}(task_id="{spec.param_field}", ...)',
        "```",
        "",
        "The job's fields are typed keyword arguments (snake_case), all templated; a template",
        'for a field that is not a string is marked `Templated("{{ ... }}")`. Literal values',
        "are checked when the DAG is parsed, templated ones after rendering, before anything",
        "is sent. The common arguments (connection, job name, waiting, deferral, `fail_on`,",
        "`exec_time`, `hook_params`, ...) are on the [operators page](../operators.md).",
        "",
        "## Job fields",
        "",
        *_field_rows(model),
        "",
        "## Returns",
        "",
        "The job summary (XCom `return_value`): job handle and name, company, final log type,",
        "file success/error/warning/duplicate/update counts, fatal error, start and end.",
        "",
    ]
    return "\n".join(lines)


def option_types() -> list[type[IpsModel]]:
    seen: dict[str, type[IpsModel]] = {}

    def walk(model: type[IpsModel]) -> None:
        for field in model.model_fields.values():
            inner = _strip(field.annotation)
            if get_origin(inner) is list:
                inner = get_args(inner)[0]
            if (
                isinstance(inner, type)
                and issubclass(inner, IpsModel)
                and inner.xsd_name() not in seen
                and inner not in {s.model for s in JOB_TYPES}
            ):
                seen[inner.xsd_name()] = inner
                walk(inner)

    for spec in JOB_TYPES:
        walk(spec.model)
    return [seen[name] for name in sorted(seen)]


def options_page() -> str:
    lines = ["# Option types", "", "Nested settings the job types take, as dicts or models.", ""]
    for model in option_types():
        lines += [f"## {model.xsd_name()}", "", *_field_rows(model), ""]
    return "\n".join(lines)


def pages() -> dict[str, str]:
    out = {f"{spec.model.__name__}.md": operator_page(spec) for spec in JOB_TYPES}
    out["options.md"] = options_page()
    index = ["# Job type operators", "", "| operator | job type |", "|---|---|"]
    for spec in JOB_TYPES:
        name = spec.model.__name__
        index.append(f"| [Ips{name}Operator]({name}.md) | {spec.summary} |")
    out["README.md"] = "\n".join([*index, ""])
    return out


def main(argv: list[str] | None = None) -> int:
    target = Path(argv[0]) if argv else DOCS
    target.mkdir(parents=True, exist_ok=True)
    for name, text in pages().items():
        (target / name).write_text(text)
    print(f"wrote {len(pages())} pages to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
