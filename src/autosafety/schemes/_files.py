"""Reading scheme files (YAML or JSON) and the built-in example schemes, with located errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._errors import InputError, Problem
from .._input import load_json, load_yaml
from ..model._files import pydantic_problems, read_text
from ._assess import Assessment, assess
from ._case import build_case
from ._check import scheme_problems
from ._gsn import RULES, SafetyCase, Violation
from ._gsn_check import check
from ._gsn_read import case_from_data as read_case
from ._gsn_read import read_cases
from ._spec import Scheme

EXAMPLES = (
    "human-scalable-oversight",
    "ai-explores-oversight",
    "ai-explores-adversarial-prober",
    "fancy-parameterised-honeypots",
    "ai-novel-algorithms-checked",
    "deference",
)
"""Built-in example schemes, taken from the seed's own examples (see `autosafety scheme examples`)."""


@dataclass(frozen=True)
class Example:
    """A built-in example scheme: name, title and one-line description."""

    name: str
    title: str
    description: str


def parse_data(text: str, *, origin: str) -> Any:
    """YAML (or JSON, which is YAML) text as data, or an InputError with line and column (also
    for nesting over 64 levels, runaway aliases, duplicate keys and over-long integers)."""
    return load_yaml(text, origin=origin, kind="YAML/JSON")


def scheme_from_data(data: Any, *, origin: str = "scheme") -> Scheme:
    """A validated Scheme from parsed data: schema errors, unknown types and contradictions listed."""
    title = f"{origin} is not a valid scheme"
    if not isinstance(data, dict):
        raise InputError(Problem(origin, f"expected a mapping at the top level, got {type(data).__name__}",
                                 "see `autosafety scheme schema` or `autosafety scheme examples`"),
                         title=title)
    try:
        scheme = Scheme.model_validate(data)
    except ValidationError as e:
        problems = [Problem(p.location, p.message, p.fix.replace("`autosafety schema`",
                                                                 "`autosafety scheme schema`"))
                    for p in pydantic_problems(e, origin)]
        raise InputError(problems, title=title) from None
    problems = scheme_problems(scheme, origin=origin)
    if problems:
        raise InputError(problems, title=title)
    return scheme


def parse_scheme_text(text: str, *, origin: str = "scheme") -> Scheme:
    """A Scheme from YAML or JSON text."""
    return scheme_from_data(parse_data(text, origin=origin), origin=origin)


def example_text(name: str) -> str:
    """The YAML text of a built-in example."""
    if name not in EXAMPLES:
        raise InputError(Problem(name, "no such built-in example", "use one of " + ", ".join(EXAMPLES)))
    return resources.files("autosafety.schemes").joinpath("data", "examples", f"{name}.yaml").read_text(
        "utf-8")


@cache
def _example(name: str) -> Scheme:
    return parse_scheme_text(example_text(name), origin=name)


def examples() -> list[Example]:
    """Every built-in example scheme."""
    return [Example(n, _example(n).name, _example(n).description) for n in EXAMPLES]


def load_scheme(name_or_path: str | Path) -> Scheme:
    """A built-in example by name, or a scheme file (.yaml, .yml or .json)."""
    if isinstance(name_or_path, str) and name_or_path in EXAMPLES:
        return _example(name_or_path)
    path = Path(name_or_path)
    if path.suffix.lower() not in (".yaml", ".yml", ".json") and not path.exists():
        raise InputError(Problem(str(name_or_path), "neither a built-in example nor a file",
                                 "use one of " + ", ".join(EXAMPLES) + " or a .yaml/.json scheme file"))
    text = read_text(path)
    if path.suffix.lower() == ".json":
        return scheme_from_data(load_json(text, origin=str(path)), origin=str(path))
    return parse_scheme_text(text, origin=str(path))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of scheme files, with the known experiment types listed."""
    from ._catalogue import catalogue

    schema = Scheme.model_json_schema()
    exp = schema["$defs"]["Experiment"]["properties"]["type"]
    exp["enum"] = list(catalogue().experiment_types)
    return schema


@dataclass(frozen=True)
class CaseCheck:
    """gsn2x's verdict on an argument: its modules and every diagnostic in gsn2x's order."""

    modules: list[SafetyCase]
    violations: list[Violation]

    @property
    def errors(self) -> list[Violation]:
        """The errors (exit status 2); the rest are warnings."""
        return [v for v in self.violations if v.severity == "error"]

    @property
    def notes(self) -> list[str]:
        """What gsn2x would ignore silently (a malformed `module` entry)."""
        return [note for m in self.modules for note in m.notes]

    @property
    def elements(self) -> int:
        """Elements over all modules."""
        return sum(len(m.nodes) for m in self.modules)

    @property
    def undeveloped(self) -> int:
        """Elements marked undeveloped."""
        return sum(n.undeveloped for m in self.modules for n in m.nodes.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ok, counts, modules and diagnostics (gsn2x's line for each)."""
        return {"ok": not self.errors, "errors": len(self.errors),
                "warnings": len(self.violations) - len(self.errors), "elements": self.elements,
                "undeveloped": self.undeveloped, "modules": [m.name for m in self.modules],
                "notes": self.notes,
                "diagnostics": [{"severity": v.severity, "module": v.module, "rule": v.rule, "node": v.node,
                                 "message": v.message, "gsn2x": v.gsn2x()} for v in self.violations]}


def validate_files(paths: Sequence[str | Path], *, excluded: Sequence[str] = (), layers: Sequence[str] = (),
                   extended_check: bool = False, warn_dialectic: bool = False) -> CaseCheck:
    """gsn2x's verdict on files given together (modules of one argument, plus their `uses`).

    An unreadable file, a missing `uses` file or an attribute gsn2x cannot read is an InputError
    (gsn2x stops there too); rule violations are in the result."""
    modules, stop = read_cases(paths)
    if stop:
        return CaseCheck(modules, stop)
    return CaseCheck(modules, check(modules, excluded=excluded, layers=layers, extended_check=extended_check,
                                    warn_dialectic=warn_dialectic))


def check_case(text: str, *, origin: str = "case") -> CaseCheck:
    """gsn2x's verdict on one module given as text (YAML, or the JSON report's `case`)."""
    data = parse_data(text, origin=origin)
    if isinstance(data, dict) and isinstance(data.get("case"), dict) and "level" in data:
        data = data["case"]
    case, problems = read_case(data, origin=origin)
    if problems:
        raise InputError(problems, title=f"{origin}: gsn2x cannot read this case")
    return CaseCheck([case], check([case]))


def check_case_text(text: str, *, origin: str = "case") -> SafetyCase:
    """A gsn2x safety case (YAML, or the JSON report's `case`) with no error under gsn2x's rules
    (warnings allowed, as in gsn2x). Raises an InputError listing every error and warning."""
    result = check_case(text, origin=origin)
    if result.errors:
        raise InputError([Problem(f"{origin}: {v.node or v.module or 'argument'}",
                                  f"[{v.rule or v.severity}] {v.message}", RULES.get(v.rule, ""))
                          for v in result.violations], title=f"{origin} is not a valid safety case")
    return result.modules[0]


def assess_and_build(scheme: Scheme) -> tuple[Assessment, SafetyCase]:
    """The assessment of a scheme and its safety-case skeleton."""
    assessment = assess(scheme)
    return assessment, build_case(assessment)
