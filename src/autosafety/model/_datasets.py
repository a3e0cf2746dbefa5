"""The built-in published models, shipped as YAML data in the package."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from .._errors import InputError, Problem
from ._files import parse_model_text, read_model_file
from ._model import Model

BUILTINS = ("wehner-2026", "safety-fields-2026")


@dataclass(frozen=True)
class Dataset:
    """A built-in model: its name, one-line description and source."""

    name: str
    description: str
    source: str


@cache
def _builtin(name: str) -> Model:
    text = resources.files("autosafety.data").joinpath(f"{name}.yaml").read_text("utf-8")
    return parse_model_text(text, fmt="yaml", origin=name)


def datasets() -> list[Dataset]:
    """Every built-in model with its one-line description and source."""
    out = []
    for name in BUILTINS:
        spec = _builtin(name).spec
        src = spec.source
        source = ", ".join(x for x in (src.author, src.title, src.date) if x) if src else ""
        out.append(Dataset(name, spec.description, source))
    return out


def load_model(name_or_path: str | Path) -> Model:
    """A built-in model by name (see :func:`datasets`) or a model file (YAML, JSON or CSV)."""
    if isinstance(name_or_path, str) and name_or_path in BUILTINS:
        return _builtin(name_or_path)
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml", ".json", ".csv") or path.exists():
        return read_model_file(path)
    raise InputError(Problem(str(name_or_path), "neither a built-in model nor a file",
                             f"use one of {', '.join(BUILTINS)} or a path to a .yaml/.json/.csv "
                             "model"))
