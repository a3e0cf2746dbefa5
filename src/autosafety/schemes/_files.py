"""Reading scheme files (YAML or JSON) and the built-in example schemes, with located errors."""

from __future__ import annotations

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
from ._gsn import RULES, SafetyCase, case_from_data, validate
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


def check_case_text(text: str, *, origin: str = "case") -> SafetyCase:
    """A gsn2x safety case (YAML, or the JSON report's `case`) that breaks none of gsn2x's rules.

    Raises an InputError listing every violation with its element id and rule."""
    data = parse_data(text, origin=origin)
    if isinstance(data, dict) and isinstance(data.get("case"), dict) and "level" in data:
        data = data["case"]
    case, problems = case_from_data(data)
    known = set(problems)
    problems = [*problems, *(p for p in validate(case) if p not in known)]
    if problems:
        raise InputError([Problem(f"{origin}: {p.node}", f"[{p.rule}] {p.message}", RULES[p.rule])
                          for p in problems], title=f"{origin} is not a valid safety case")
    return case


def assess_and_build(scheme: Scheme) -> tuple[Assessment, SafetyCase]:
    """The assessment of a scheme and its safety-case skeleton."""
    assessment = assess(scheme)
    return assessment, build_case(assessment)
