"""The seed's definitions, worries, experiment types and less-automation alternatives, read from data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Level:
    """One of the seed's four levels of automated AI safety."""

    number: int
    name: str
    quote: str


@dataclass(frozen=True)
class Worry:
    """A known worry, the features that trigger it, and the claim the safety case must develop."""

    id: str
    family: str
    name: str
    quote: str
    claim: str
    component: str
    triggers: tuple[str, ...]
    assumption: str = ""


@dataclass(frozen=True)
class ExperimentType:
    """A parameterised experiment type of the evaluation algorithm."""

    id: str
    name: str
    quote: str
    scalable_oversight_like: bool
    human_judgement: bool
    relies_on: tuple[str, ...]
    controller_builds: bool
    models: tuple[str, ...]


@dataclass(frozen=True)
class Gain:
    """An advantage of less automation."""

    id: str
    name: str
    quote: str


@dataclass(frozen=True)
class Alternative:
    """A less automated alternative for one component, and when it applies."""

    id: str
    component: str
    when: tuple[str, ...]
    instead_of: str
    alternative: str
    gains: tuple[str, ...]
    quote: str
    condition: str


@dataclass(frozen=True)
class Catalogue:
    """Everything the seed defines, as data."""

    source: dict[str, str]
    levels: dict[int, Level]
    rules: dict[str, dict[str, str]]
    verdicts: dict[int, dict[str, str]]
    obligations: tuple[dict[str, str], ...]
    root_goal: dict[str, str]
    worries: dict[str, Worry]
    experiment_types: dict[str, ExperimentType]
    gains: dict[str, Gain]
    alternatives: dict[str, Alternative]


def _load(name: str) -> Any:
    text = resources.files("autosafety.schemes").joinpath("data", name).read_text("utf-8")
    return yaml.safe_load(text)


def _tuples(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()}


@cache
def catalogue() -> Catalogue:
    """The seed's definitions (cached; the data ships with the package)."""
    d = _load("definitions.yaml")
    w = _load("worries.yaml")["worries"]
    e = _load("experiment_types.yaml")["experiment_types"]
    a = _load("alternatives.yaml")
    return Catalogue(
        source=d["source"],
        levels={int(n): Level(int(n), v["name"], v["quote"]) for n, v in d["levels"].items()},
        rules=d["rules"],
        verdicts={int(n): v for n, v in d["verdicts"].items()},
        obligations=tuple(d["obligations"]),
        root_goal=d["root_goal"],
        worries={k: Worry(id=k, **_tuples(v)) for k, v in w.items()},
        experiment_types={k: ExperimentType(id=k, **_tuples(v)) for k, v in e.items()},
        gains={k: Gain(id=k, **v) for k, v in a["gains"].items()},
        alternatives={k: Alternative(id=k, **_tuples(v)) for k, v in a["alternatives"].items()},
    )
