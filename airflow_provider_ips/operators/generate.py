"""Write ``operators/job_types.py``: one typed operator class per job type, from the models.

Run ``python -m airflow_provider_ips.operators.generate`` (``make operators``) after changing
a job model, ``JOB_TYPES``, the arguments of ``IpsSubmitJobOperator`` or the Airflow version;
a test fails while the committed module differs from what this writes.

The classes are source, not built at import, so editors, ``help()`` and mypy see every
field with its type. The keyword arguments an operator passes on (``IpsSubmitJobOperator``'s
and ``BaseOperator``'s) become TypedDicts read from those signatures, so a misspelt argument
is an error to mypy, wherever it belongs. The output goes through ``ruff`` (import order and
format), so the committed file is what ``make lint`` checks.
"""

from __future__ import annotations

import ast
import builtins
import enum
import inspect
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

from airflow_provider_ips.models import JOB_TYPES, JobTypeSpec
from airflow_provider_ips.models._base import IpsModel, field_description, unwrap_optional

TARGET = Path(__file__).with_name("job_types.py")
MODELS = "airflow_provider_ips.models"
#: Names the generated module imports (for type checking) under these spellings.
TEMPLATED = "airflow_provider_ips.operators._arguments"
LINE = 100


@dataclass
class Imports:
    """``from module import name`` and ``import module`` lines, for type checking only."""

    names: dict[str, str] = field(default_factory=dict)  # name -> module
    modules: set[str] = field(default_factory=set)

    def add(self, module: str, name: str) -> None:
        known = self.names.setdefault(name, module)
        if known != module:
            raise ValueError(f"{name} would be imported from both {known} and {module}")

    def lines(self) -> list[str]:
        by_module: dict[str, list[str]] = {}
        for name, module in self.names.items():
            by_module.setdefault(module, []).append(name)
        out = [f"import {module}" for module in sorted(self.modules)]
        out += [
            f"from {module} import {', '.join(sorted(names))}"
            for module, names in sorted(by_module.items())
        ]
        return out


# --- the arguments an operator passes on: TypedDicts read from signatures --------------------


def _bindings(module_name: str) -> dict[str, tuple[str, str | None]]:
    """Top-level names of a module (TYPE_CHECKING blocks included) -> where to import them.

    ``(module, name)`` for ``from module import name`` and definitions in the module itself;
    ``(module, None)`` for ``import module`` (bound to its first part).
    """
    source = inspect.getsource(sys.modules[module_name])
    found: dict[str, tuple[str, str | None]] = {}
    statements = list(ast.parse(source).body)
    for node in list(statements):
        if isinstance(node, ast.If):  # ``if TYPE_CHECKING:``
            statements.extend(node.body)
    for node in statements:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                if alias.asname in (None, alias.name):
                    found[alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname is None:
                    found[alias.name.split(".")[0]] = (alias.name, None)
        elif isinstance(node, ast.ClassDef):
            found.setdefault(node.name, (module_name, node.name))
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, (module_name, target.id))
    return found


def _annotation(text: str, owner: str, imports: Imports) -> str:
    """An annotation written in module ``owner``, with the imports it needs here.

    A name that cannot be traced to an import falls back to ``Any``.
    """
    bindings = _bindings(owner)
    wanted: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(text, mode="eval")):
        if not isinstance(node, ast.Name) or hasattr(builtins, node.id):
            continue
        if node.id not in bindings:
            return "Any"
        wanted.append(bindings[node.id])
    for module, name in wanted:
        if name is None:
            imports.modules.add(module)
        elif name != "Any":
            imports.add(module, name)
    return text


def _typed_dict(
    name: str, base: str, doc: str, function: Any, skip: set[str], imports: Imports
) -> list[str]:
    owner = function.__module__
    lines = [f"class {name}({base}, total=False):", f'    """{doc}"""', ""]
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind is not parameter.KEYWORD_ONLY or parameter.name in skip:
            continue
        annotation = _annotation(str(parameter.annotation), owner, imports)
        if parameter.default is parameter.empty:
            annotation = f"Required[{annotation}]"
        lines.append(f"    {parameter.name}: {annotation}")
    return lines


# --- the job fields ----------------------------------------------------------------------------


def _core_type(annotation: Any) -> Any:
    return unwrap_optional(annotation)


def field_annotation(annotation: Any, imports: Imports, literals: dict[str, str]) -> str:
    """The operator argument's type for a model field: what the model accepts, or a template.

    A string field takes a template as it is; any other field takes one marked
    ``Templated(...)``, so a plain string where a bool or a list belongs stays an error.
    """
    core = _core_type(annotation)
    if core is str:
        return "str | None"
    if core in (bool, int, float):
        kinds = core.__name__
    elif get_origin(core) is list and get_args(core) == (str,):
        kinds = "list[str]"
    elif isinstance(core, type) and issubclass(core, enum.Enum):
        imports.add(MODELS, core.__name__)
        alias = f"{core.__name__}Value"
        values = ", ".join(f'"{member.value}"' for member in core)
        literals[alias] = f"Literal[{values}]"
        kinds = f"{core.__name__} | {alias}"
    elif isinstance(core, type) and issubclass(core, IpsModel):
        imports.add(MODELS, core.__name__)
        kinds = f"{core.__name__} | dict[str, Any]"
    else:
        raise TypeError(f"no operator argument type for a field of type {annotation!r}")
    imports.add(TEMPLATED, "Templated")
    return f"{kinds} | Templated | None"


def field_doc(model: type[IpsModel], name: str) -> str:
    """One field's ``:param:`` text: its description, what it takes, its IPS name."""
    info = model.model_fields[name]
    parts = [" ".join((field_description(model, name) or "").split())]
    core = _core_type(info.annotation)
    if isinstance(core, type) and issubclass(core, enum.Enum):
        parts.append("One of " + ", ".join(f"``{m.value}``" for m in core) + ".")
    elif isinstance(core, type) and issubclass(core, IpsModel):
        summary = " ".join((core.__doc__ or "").strip().split("\n\n")[0].split())
        parts.append(f"{summary} ``{core.__name__}``, or a dict of its fields.")
    parts.append(f"IPS: ``{model.ips_name(name)}``.")
    text = " ".join(p for p in parts if p)
    return textwrap.fill(
        f":param {name}: {text}",
        width=LINE,
        initial_indent="    ",
        subsequent_indent="        ",
        break_on_hyphens=False,
    )


def _check_no_clash(model: type[IpsModel], passed_on: set[str]) -> None:
    from airflow.sdk import BaseOperator

    accepted = {
        key
        for name, info in model.model_fields.items()
        for key in (name, info.alias, *getattr(info.validation_alias, "choices", ()))
        if isinstance(key, str)
    }
    clash = accepted & (set(dir(BaseOperator)) | passed_on | {"job", "self", "kwargs"})
    if clash:
        raise TypeError(f"{model.__name__} fields clash with operator arguments: {sorted(clash)}")


def operator_class(
    spec: JobTypeSpec, imports: Imports, literals: dict[str, str], passed_on: set[str]
) -> list[str]:
    model = spec.model
    _check_no_clash(model, passed_on)
    name = f"Ips{model.__name__}Operator"
    intro = textwrap.fill(
        f"Run an IPS ``{model.__name__}``: {spec.summary}",
        width=LINE,
        initial_indent="    ",
        subsequent_indent="    ",
    )
    lines = [
        f"class {name}(IpsSubmitJobOperator):",
        f'    """{intro.strip()}',
        "",
        "    The job's fields are the keyword arguments below, all templated: a template for a",
        '    field that is not a string is marked ``Templated("{{ ... }}")``. The other',
        "    arguments are those of :class:`IpsSubmitJobOperator` (except ``job``) and of",
        "    ``BaseOperator``.",
        "",
        *(field_doc(model, field_name) for field_name in model.model_fields),
        '    """',
        "",
        f'    job_type_name: ClassVar[str] = "{spec.param_field}"',
        "",
        "    def __init__(",
        "        self,",
        "        *,",
    ]
    for field_name, info in model.model_fields.items():
        annotation = field_annotation(info.annotation, imports, literals)
        lines.append(f"        {field_name}: {annotation} = None,")
    lines += [
        "        **kwargs: Unpack[IpsSubmitJobOperatorArgs],",
        "    ) -> None:",
        "        job = {",
        *(f'            "{field_name}": {field_name},' for field_name in model.model_fields),
        "        }",
        f'        super().__init__(job={{"{spec.param_field}": job}}, **kwargs)',
    ]
    return lines


# --- the module ----------------------------------------------------------------------------

HEADER = '''"""One operator per IPS job type, with the job's fields as typed keyword arguments.

Generated by ``python -m airflow_provider_ips.operators.generate`` (``make operators``) from
the job models and ``JOB_TYPES``: do not edit by hand. A test fails while it is stale.

Importing it costs no more than :mod:`airflow_provider_ips.operators.jobs`: the model and
enum types appear in annotations only. Each class names its job type (``job_type_name``);
``IpsSubmitJobOperator`` checks literal field values when the operator is created.
"""
'''


def render_unformatted() -> str:
    from airflow.sdk import BaseOperator

    from airflow_provider_ips.operators.jobs import IpsSubmitJobOperator

    imports = Imports()
    imports.add("typing", "Literal")
    for name in ("Required", "TypedDict", "Unpack"):
        imports.add("typing_extensions", name)
    literals: dict[str, str] = {}
    base_args = _typed_dict(
        "BaseOperatorArgs",
        "TypedDict",
        "The keyword arguments of ``BaseOperator`` (read from its signature).",
        BaseOperator.__init__,
        set(),
        imports,
    )
    submit_args = _typed_dict(
        "IpsSubmitJobOperatorArgs",
        "BaseOperatorArgs",
        "The keyword arguments of ``IpsSubmitJobOperator`` except ``job``, and BaseOperator's.",
        IpsSubmitJobOperator.__init__,
        {"job"},
        imports,
    )
    passed_on = {line.split(":")[0].strip() for line in base_args + submit_args if ": " in line}
    classes = [operator_class(spec, imports, literals, passed_on) for spec in JOB_TYPES]
    names = [f"Ips{spec.model.__name__}Operator" for spec in JOB_TYPES]
    lines = [
        HEADER,
        "from __future__ import annotations",
        "",
        "from typing import TYPE_CHECKING, Any, ClassVar",
        "",
        "from airflow_provider_ips.operators.jobs import IpsSubmitJobOperator",
        "",
        "if TYPE_CHECKING:",
        *(f"    {line}" for line in imports.lines()),
        "",
        *(f"    {alias} = {value}" for alias, value in sorted(literals.items())),
        "",
        *(f"    {line}" if line else "" for line in base_args),
        "",
        *(f"    {line}" if line else "" for line in submit_args),
        "",
        "__all__ = [",
        '    "JOB_OPERATORS",',
        *(f'    "{name}",' for name in sorted(names)),
        "]",
        "",
    ]
    for block in classes:
        lines += ["", *block, "", ""]
    lines += [
        "#: Every per-type operator, in ``JOB_TYPES`` order.",
        "JOB_OPERATORS: tuple[type[IpsSubmitJobOperator], ...] = (",
        *(f"    {name}," for name in names),
        ")",
    ]
    return "\n".join(lines) + "\n"


def _ruff(args: list[str], source: str) -> str:
    from ruff.__main__ import find_ruff_bin

    done = subprocess.run(
        [find_ruff_bin(), *args, "--stdin-filename", str(TARGET), "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=TARGET.parents[2],
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ruff {args[0]} failed on the generated module:\n{done.stderr}")
    return done.stdout


def render() -> str:
    """The module's source, as ``make lint`` wants it."""
    source = _ruff(["format", "--quiet"], render_unformatted())
    source = _ruff(["check", "--fix", "--quiet"], source)
    return _ruff(["format", "--quiet"], source)


def main(argv: list[str] | None = None) -> int:
    target = Path(argv[0]) if argv else TARGET
    target.write_text(render())
    print(f"wrote {len(JOB_TYPES)} operators to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
