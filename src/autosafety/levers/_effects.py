"""What each lever does to the factor model: exact, since scores are linear in the ratings.

A rating change ``d`` of factor ``f`` in every area of a category with ``n`` areas moves that
category's average by ``w_f / sum(w) * d * (areas changed) / n``; weight changes are rescored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .._errors import InputError, Problem
from ..model import _core
from ._catalogue import BUILTIN, Lever, LeverFile, builtin_catalogue, resolve

if TYPE_CHECKING:
    from ..model import Model

Array = NDArray[np.float64]
EPS = 1e-9


def categories_of(model: Model) -> tuple[str, str | None]:
    """(safety, capabilities): the categories so named, else the first and second (None if one)."""
    cats = model.categories
    safety = "safety" if "safety" in cats else cats[0]
    rest = [c for c in cats if c != safety]
    return safety, ("capabilities" if "capabilities" in rest else (rest[0] if rest else None))


def to_raw(model: Model, j: int, value: float) -> float:
    """An oriented rating on the model's scale -> the factor's own scale and direction."""
    from ..model._check import factor_scale

    f = model.spec.factors[j]
    s, out = factor_scale(model.spec, f.id), model.spec.scale
    frac = (value - out.min) / (out.max - out.min)
    frac = 1 - frac if f.direction == "lower" else frac
    return float(s.min + frac * (s.max - s.min))


@dataclass(frozen=True, eq=False)
class Applied:
    """A model's pooled ratings and weights after some units of one or more levers."""

    pooled: Array
    weights: Array
    clipped: list[str] = field(default_factory=list)
    """Sentences naming every rating or weight clipped at the end of its range."""


def apply(model: Model, levers: list[Lever], units: list[float] | Array | None = None) -> Applied:
    """Pooled ratings (A, F) and weights (F,) with ``units`` of each lever applied (default 1 each).

    A rating pushed off the model's scale is clipped at its end if the lever allows it (and said
    where), else an InputError names the cell; so is a weight pushed below 0."""
    u = np.ones(len(levers)) if units is None else np.asarray(units, float)
    base, lo, hi = model.pooled(), model.spec.scale.min, model.spec.scale.max
    pooled, weights = base.copy(), model.weights.astype(float).copy()
    for lever, k in zip(levers, u.tolist()):
        pooled += k * lever.rating
        weights += k * lever.weight
    clip = all(lv.clip for lv, k in zip(levers, u.tolist()) if k)
    problems, notes = [], []
    off = np.argwhere((pooled < lo - EPS) | (pooled > hi + EPS))
    for i, j in off.tolist():
        bound = hi if pooled[i, j] > hi else lo
        fname = model.spec.factors[j].name or model.factor_ids[j]
        area = model.areas[i].name or model.area_ids[i]
        raw_old, raw_new = to_raw(model, j, base[i, j]), to_raw(model, j, pooled[i, j])
        raw_end = to_raw(model, j, bound)
        text = (f"the rating of {area} on {fname} would go from {raw_old:.4g} to {raw_new:.4g}, "
                f"beyond the end of its scale ({raw_end:g})")
        if clip:
            notes.append(f"{area}, {fname}: clipped at {raw_end:g} (would be {raw_new:.4g})")
        else:
            who = [lv.where for lv, k in zip(levers, u.tolist()) if k and lv.rating[i, j]]
            problems.append(Problem(f"{who[0] if who else 'levers'} ({model.area_ids[i]}:"
                                    f"{model.factor_ids[j]})", text,
                                    f"lower the change, or set 'clip: true' on the lever to clip at "
                                    f"{raw_end:g}"))
    for j in np.flatnonzero(weights < -EPS).tolist():
        text = f"the weight of {model.factor_ids[j]} would go below 0 ({weights[j]:.4g})"
        if clip:
            notes.append(f"weight of {model.factor_ids[j]}: clipped at 0 (would be {weights[j]:.4g})")
        else:
            problems.append(Problem(f"levers ({model.factor_ids[j]} weight)", text,
                                    "lower the change, or set 'clip: true' on the lever"))
    if problems:
        raise InputError(problems, title="a lever pushes the model off its scale")
    if not (weights > EPS).any():
        raise InputError(Problem("levers", "the levers leave every factor weight at 0",
                                 "lower the weight changes"), title="invalid levers")
    return Applied(np.clip(pooled, lo, hi), np.clip(weights, 0.0, None), notes)


def category_averages(model: Model, pooled: Array, weights: Array) -> Array:
    """(C,) category averages of the scores from these pooled ratings and weights."""
    return np.asarray(_core.category_mean_list(_core.weighted_scores(pooled, weights).tolist(),
                                               model.category_members))


@dataclass(frozen=True, eq=False)
class LeverEffect:
    """One lever's exact effect on the category averages of the factor model."""

    lever: Lever
    safety: float
    """Change of the safety average (positive: safety more amenable)."""
    capabilities: float
    """Change of the capabilities average (positive: a spill-over that speeds capabilities)."""
    clipped: list[str]

    @property
    def net(self) -> float:
        """How much the gap 'capabilities - safety' closes: safety gain minus capabilities gain."""
        return self.safety - self.capabilities

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        lv = self.lever
        return {"id": lv.id, "name": lv.name, "group": lv.spec.group, "unit": lv.spec.unit,
                "safety": self.safety, "capabilities": self.capabilities,
                "spillover": max(self.capabilities, 0.0), "net": self.net,
                "timeline_only": lv.acts_on_timeline_only, "clipped": self.clipped,
                "quote": lv.spec.quote, "source": lv.source, "magnitude_note": lv.spec.magnitude_note}


@dataclass(frozen=True, eq=False)
class LeverRanking:
    """Levers ranked by how much they close the gap of the factor model; keeps its inputs."""

    model: Model
    levers: list[Lever]
    effects: list[LeverEffect]
    """Largest net effect first."""
    categories: tuple[str, str | None]
    averages: Array
    """(C,) category averages before any lever."""
    units: float
    skipped: list[tuple[str, str]]
    catalogue: str

    @property
    def gap(self) -> float:
        """'capabilities - safety' before any lever (0 with one category)."""
        s, c = self.categories
        if c is None:
            return 0.0
        cats = self.model.categories
        return float(self.averages[cats.index(c)] - self.averages[cats.index(s)])

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the gap, then one row per lever, best first."""
        s, c = self.categories
        return {"model": self.model.id, "catalogue": self.catalogue, "units": self.units,
                "safety": s, "capabilities": c, "gap": self.gap,
                "gap_meaning": f"average {c} score - average {s} score" if c else None,
                "levers": [e.to_dict() | {"gap_after": self.gap - e.net} for e in self.effects],
                "not_applicable": [{"id": i, "reason": r} for i, r in self.skipped]}


def load_for(model: Model, levers: str | LeverFile | None = None) -> tuple[list[Lever],
                                                                           list[tuple[str, str]], str]:
    """Resolve the built-in catalogue (None or 'builtin'), a lever file path or a LeverFile."""
    from ._catalogue import read_levers

    if levers is None or levers == BUILTIN:
        res = resolve(model, builtin_catalogue(), origin="built-in catalogue", strict=False)
        return res.levers, res.skipped, BUILTIN
    spec = levers if isinstance(levers, LeverFile) else read_levers(levers)
    origin = "levers" if isinstance(levers, LeverFile) else str(levers)
    return resolve(model, spec, origin=origin).levers, [], origin


def rank_levers(model: Model, levers: str | LeverFile | None = None, *,
                units: float = 1.0) -> LeverRanking:
    """Every lever's exact effect (``units`` of it alone) on the safety and capabilities averages,
    ranked by the net effect (how much the gap closes)."""
    resolved, skipped, name = load_for(model, levers)
    s, c = categories_of(model)
    cats = model.categories
    base = category_averages(model, model.pooled(), model.weights)
    effects = []
    for lever in resolved:
        ap = apply(model, [lever], [units])
        after = category_averages(model, ap.pooled, ap.weights) - base
        effects.append(LeverEffect(lever, float(after[cats.index(s)]),
                                   float(after[cats.index(c)]) if c else 0.0, ap.clipped))
    effects.sort(key=lambda e: (-e.net, e.lever.id))
    return LeverRanking(model, resolved, effects, (s, c), base, units, skipped, name)
