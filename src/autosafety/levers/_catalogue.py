"""Lever files: the built-in catalogue and user files, validated, then resolved against a model
into arrays (rating changes per cell, weight changes, delays per area, bridge constants)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from .._errors import InputError, Problem
from ._spec import ChangeSpec, LeverFile, LeverSpec

if TYPE_CHECKING:
    from ..model import Model

Array = NDArray[np.float64]
BUILTIN = "builtin"
"""The name of the built-in catalogue (the 004 post's levers)."""


@cache
def _builtin_text() -> str:
    return resources.files("autosafety.levers").joinpath("data", "catalogue.yaml").read_text("utf-8")


def builtin_catalogue() -> LeverFile:
    """The 004 post's levers (``levers/data/catalogue.yaml``)."""
    return parse_levers(_builtin_text(), origin="built-in catalogue")


def parse_levers(text: str, *, origin: str, fmt: str = "yaml") -> LeverFile:
    """A validated lever file from YAML or JSON text; every problem located by field path."""
    from .._input import load_json, load_yaml
    from ..model._files import pydantic_problems

    data = load_json(text, origin=origin) if fmt == "json" else load_yaml(text, origin=origin,
                                                                            kind="YAML/JSON")
    title = f"{origin} is not a valid lever file"
    if isinstance(data, list):
        data = {"levers": data}
    if not isinstance(data, dict):
        raise InputError(Problem(origin, f"expected a mapping with 'levers', got {type(data).__name__}",
                                 "see docs/levers.md or `autosafety levers --schema`"), title=title)
    try:
        spec = LeverFile.model_validate(data)
    except ValidationError as e:
        raise InputError(pydantic_problems(e, origin), title=title) from None
    ids = [lv.id for lv in spec.levers]
    dups = sorted({x for x in ids if ids.count(x) > 1})
    if dups:
        raise InputError([Problem(f"{origin}: levers", f"lever id '{d}' appears {ids.count(d)} times",
                                  "give each lever its own id") for d in dups], title=title)
    return spec


def read_levers(path: Path | str) -> LeverFile:
    """The built-in catalogue ('builtin') or a lever file (.yaml, .yml, .json)."""
    if str(path) == BUILTIN:
        return builtin_catalogue()
    from ..model import read_text

    p = Path(path)
    if p.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InputError(Problem(f"--levers {p}", f"unknown file extension '{p.suffix}'",
                                 "use a .yaml, .yml or .json lever file, or 'builtin'"))
    return parse_levers(read_text(p), origin=str(p), fmt="json" if p.suffix.lower() == ".json" else "yaml")


def lever_schema() -> dict[str, Any]:
    """The JSON Schema of lever files."""
    schema = LeverFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "autosafety levers"
    return schema


def dumps_schema() -> str:
    """The schema as indented JSON text."""
    return json.dumps(lever_schema(), indent=2)


@dataclass(frozen=True, eq=False)
class Lever:
    """A lever resolved against one model: what one unit of it changes, as arrays."""

    spec: LeverSpec
    source: str
    where: str
    """Where the lever is defined (file and field path), for messages."""
    rating: Array
    """(A, F) change of each pooled, oriented rating per unit (model scale, higher = more amenable)."""
    weight: Array
    """(F,) change of each factor weight per unit."""
    delays: dict[str, float]
    """Years added to each area's adoption lag per unit (timeline)."""
    parameters: dict[str, float]
    """Relative change of bridge constants per unit (timeline)."""
    clip: bool
    cells: list[tuple[int, int, str]] = field(default_factory=list)
    """(area, factor, where) of every rating cell a change touches, for off-scale messages."""

    @property
    def id(self) -> str:
        """The lever's id."""
        return self.spec.id

    @property
    def name(self) -> str:
        """The lever's name (its id if it has none)."""
        return self.spec.name or self.spec.id

    @property
    def acts_on_ratings(self) -> bool:
        """True if it changes ratings or weights (it has an effect on the factor model)."""
        return bool(self.rating.any() or self.weight.any())

    @property
    def acts_on_timeline_only(self) -> bool:
        """True if it changes only timeline parameters (delays, bridge constants)."""
        return not self.acts_on_ratings


@dataclass(frozen=True)
class Resolved:
    """Levers that apply to a model, and the built-in ones that do not (with the reason)."""

    levers: list[Lever]
    skipped: list[tuple[str, str]]


def resolve(model: Model, levers: LeverFile, *, origin: str = "levers", strict: bool = True,
            bridge_parameters: list[str] | None = None) -> Resolved:
    """Resolve every lever against ``model``: unknown factors, areas, categories and bridge
    constants are located errors (``strict``) or, for the built-in catalogue, skip the lever."""
    if bridge_parameters is None:
        from ..timeline import default_bridge

        bridge_parameters = list(default_bridge().parameters)
    out: list[Lever] = []
    skipped: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for i, spec in enumerate(levers.levers):
        where = f"{origin}: levers[{i}] ({spec.id})"
        mine: list[Problem] = []
        lever = _resolve_one(model, spec, where, levers.source, bridge_parameters, mine, not strict)
        if mine and strict:
            problems += mine
        elif mine:
            skipped.append((spec.id, "; ".join(dict.fromkeys(p.message for p in mine))))
        elif lever is not None:
            out.append(lever)
    if problems:
        raise InputError(problems, title=f"{origin} does not fit the model {model.id}")
    return Resolved(out, skipped)


def _targets(model: Model, ch: ChangeSpec, loc: str, problems: list[Problem]) -> list[int]:
    if ch.category is not None:
        if ch.category not in model.categories:
            problems.append(Problem(f"{loc}.category", f"the model {model.id} has no category "
                                    f"'{ch.category}'", f"use one of: {', '.join(model.categories)}"))
            return []
        return model.category_members[model.categories.index(ch.category)]
    idx = []
    for k, a in enumerate(ch.areas or []):
        if a not in model.area_ids:
            problems.append(Problem(f"{loc}.areas[{k}]", f"the model {model.id} has no area '{a}'",
                                    f"use one of: {', '.join(model.area_ids)}"))
        else:
            idx.append(model.area_ids.index(a))
    return idx


def _resolve_one(model: Model, spec: LeverSpec, where: str, source: str, params: list[str],
                 problems: list[Problem], builtin: bool) -> Lever | None:
    """One lever as arrays, or None with its problems appended."""
    from ..model._check import factor_scale

    a, f = len(model.area_ids), len(model.factor_ids)
    rating, weight = np.zeros((a, f)), np.zeros(f)
    delays: dict[str, float] = {}
    parameters: dict[str, float] = {}
    cells: list[tuple[int, int, str]] = []
    out_range = model.spec.scale.max - model.spec.scale.min
    for j, ch in enumerate(spec.changes):
        loc = f"{where}.changes[{j}]"
        kind = ch.kind
        if kind in ("rating", "weight"):
            fid = ch.rating if kind == "rating" else ch.weight
            if fid not in model.factor_ids:
                problems.append(Problem(f"{loc}.{kind}", f"the model {model.id} has no factor '{fid}'",
                                        f"use one of: {', '.join(model.factor_ids)}"))
                continue
            col = model.factor_ids.index(fid)
            assert ch.by is not None
            if kind == "weight":
                weight[col] += ch.by
                continue
            s = factor_scale(model.spec, fid)
            sign = -1.0 if model.spec.factors[col].direction == "lower" else 1.0
            for i in _targets(model, ch, loc, problems):
                rating[i, col] += sign * ch.by * out_range / (s.max - s.min)
                cells.append((i, col, loc))
        elif kind == "delay":
            assert ch.delay is not None
            for i in _targets(model, ch, loc, problems):
                delays[model.area_ids[i]] = delays.get(model.area_ids[i], 0.0) + ch.delay
        else:
            assert ch.parameter is not None and ch.by is not None
            if ch.parameter not in params:
                problems.append(Problem(f"{loc}.parameter", f"unknown timeline parameter "
                                        f"'{ch.parameter}'", f"use one of: {', '.join(params)}"))
                continue
            parameters[ch.parameter] = (1 + parameters.get(ch.parameter, 0.0)) * (1 + ch.by) - 1
    if problems:
        return None
    # the built-in catalogue clips at the end of a scale (and says where); a user's lever only
    # if it asks to (clip: true), otherwise going off the scale is an error
    return Lever(spec, spec.source or source, where, rating, weight, delays, parameters,
                 clip=spec.clip or builtin, cells=cells)
