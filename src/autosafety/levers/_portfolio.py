"""Portfolios of levers under a budget: an exact LP on the factor model (scores are linear in the
ratings), with every rating kept on its scale."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .._errors import InputError, Problem
from ._effects import apply, categories_of, category_averages, load_for

if TYPE_CHECKING:
    from ..model import Model
    from ._catalogue import Lever, LeverFile

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Costs:
    """Cost per unit of each lever, and at most how many units can be bought."""

    per_unit: dict[str, float]
    max_units: dict[str, float]
    currency: str = ""
    origin: str = "costs"


def parse_costs(data: Any, *, origin: str = "costs") -> Costs:
    """Costs from parsed data: ``{currency: "$M", costs: {lever: COST | {cost, max_units}}}``;
    negative or non-finite costs and units are located errors."""
    title = f"{origin} is not a valid cost file"
    if not isinstance(data, dict) or not isinstance(data.get("costs"), dict):
        raise InputError(Problem(origin, "expected a mapping with 'costs: {lever id: cost per unit}'",
                                 "see docs/levers.md"), title=title)
    extra = sorted(set(data) - {"costs", "currency", "note"})
    problems = [Problem(f"{origin}: {k}", "unknown field", "use costs, currency, note") for k in extra]
    per_unit: dict[str, float] = {}
    max_units: dict[str, float] = {}
    for key, value in data["costs"].items():
        loc = f"{origin}: costs.{key}"
        entry = value if isinstance(value, dict) else {"cost": value}
        bad = sorted(set(entry) - {"cost", "max_units", "note"})
        problems += [Problem(f"{loc}.{b}", "unknown field", "use cost, max_units, note") for b in bad]
        for name in ("cost", "max_units"):
            v = entry.get(name)
            if v is None and name == "max_units":
                continue
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                problems.append(Problem(f"{loc}.{name}" if isinstance(value, dict) else loc,
                                        f"{v!r} is not a finite number", "give a number >= 0"))
            elif v < 0:
                problems.append(Problem(f"{loc}.{name}" if isinstance(value, dict) else loc,
                                        f"a {'cost' if name == 'cost' else 'number of units'} "
                                        f"cannot be negative ({v:g})", "give a number >= 0"))
            else:
                (per_unit if name == "cost" else max_units)[str(key)] = float(v)
    if problems:
        raise InputError(problems, title=title)
    return Costs(per_unit, max_units, str(data.get("currency", "")), origin)


def read_costs(path: Path) -> Costs:
    """A cost file (.yaml, .yml or .json)."""
    from .._input import load_yaml
    from ..model import read_text

    return parse_costs(load_yaml(read_text(path), origin=str(path), kind="YAML/JSON"), origin=str(path))


@dataclass(frozen=True, eq=False)
class Portfolio:
    """Units of each lever, what they cost and how much of the gap they close."""

    model: Model
    goal: str
    """'best within budget' or 'cheapest to come level'."""
    feasible: bool
    units: dict[str, float]
    cost: float
    closes: float
    """How much of the gap 'capabilities - safety' the portfolio closes (exact)."""
    gap: float
    budget: float | None
    currency: str
    excluded: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"model": self.model.id, "goal": self.goal, "feasible": self.feasible,
                "units": {k: v for k, v in self.units.items() if v > 1e-9}, "cost": self.cost,
                "currency": self.currency, "budget": self.budget, "gap": self.gap,
                "closes": self.closes, "gap_after": self.gap - self.closes,
                "excluded": [{"id": i, "reason": r} for i, r in self.excluded], "note": self.note}


@dataclass(frozen=True)
class LeverLP:
    """The LP's data: per-unit net effects, costs, bounds and the scale constraints."""

    levers: list[Lever]
    effect: Array
    cost: Array
    upper: list[float | None]
    a_ub: Array
    b_ub: Array
    gap: float
    excluded: list[tuple[str, str]]


def lp_data(model: Model, levers: list[Lever], costs: Costs) -> LeverLP:
    """Per-unit effects and the constraints that keep every rating on its scale."""
    s, c = categories_of(model)
    if c is None:
        raise InputError(Problem(model.id, "the model has one category: there is no gap to close",
                                 "use a model with safety and capabilities areas"))
    known = {lv.id for lv in levers}
    unknown = [Problem(f"{costs.origin}: costs.{k}", f"no lever '{k}' applies to {model.id}",
                       f"use one of: {', '.join(sorted(known))}") for k in costs.per_unit if k not in known]
    if unknown:
        raise InputError(unknown, title=f"{costs.origin} does not fit the levers")
    cats = model.categories
    base = category_averages(model, model.pooled(), model.weights)
    chosen, excluded = [], []
    for lv in levers:
        if lv.id not in costs.per_unit:
            excluded.append((lv.id, "no cost given"))
        elif lv.weight.any():
            excluded.append((lv.id, "changes weights: the gap is not linear in them"))
        elif not lv.rating.any():
            excluded.append((lv.id, "no effect on the factor model (timeline only)"))
        else:
            chosen.append(lv)
    eff = []
    for lv in chosen:   # exact per unit: scores are linear in the ratings
        d = category_averages(model, model.pooled() + lv.rating, model.weights) - base
        eff.append(d[cats.index(s)] - d[cats.index(c)])
    pooled, lo, hi = model.pooled(), model.spec.scale.min, model.spec.scale.max
    touched = sorted({(i, j) for lv in chosen for i, j in zip(*np.nonzero(lv.rating))})
    rows, bounds = [], []
    for i, j in touched:    # lo <= pooled + sum_l x_l d_l <= hi
        d = np.array([lv.rating[i, j] for lv in chosen])
        rows += [d, -d]
        bounds += [hi - pooled[i, j], pooled[i, j] - lo]
    gap = float(base[cats.index(c)] - base[cats.index(s)])
    return LeverLP(chosen, np.array(eff), np.array([costs.per_unit[lv.id] for lv in chosen]),
                      [costs.max_units.get(lv.id) for lv in chosen],
                      np.array(rows).reshape(len(rows), len(chosen)), np.array(bounds), gap, excluded)


def _solve(c: Array, p: LeverLP, extra_a: Array, extra_b: Array) -> Any:
    from scipy.optimize import linprog

    a = np.vstack([p.a_ub, extra_a]) if len(p.a_ub) else extra_a
    b = np.r_[p.b_ub, extra_b]
    return linprog(c, A_ub=a, b_ub=b, bounds=[(0, u) for u in p.upper], method="highs")


def best_portfolio(model: Model, costs: Costs, *, budget: float,
                   levers: str | LeverFile | None = None) -> Portfolio:
    """The units of each lever that close the gap most for at most ``budget`` (exact LP)."""
    if not (math.isfinite(budget) and budget >= 0):
        raise InputError(Problem("--budget", f"{budget:g} is not a budget >= 0", "give a budget >= 0"))
    resolved, _, _ = load_for(model, levers)
    p = lp_data(model, resolved, costs)
    if not p.levers:
        return Portfolio(model, "best within budget", False, {}, 0.0, 0.0, p.gap, budget,
                         costs.currency, p.excluded, "no lever with a cost acts on the ratings")
    res = _solve(-p.effect, p, p.cost[None], np.array([budget]))
    return _portfolio(model, p, res.x, "best within budget", budget, costs)


def cheapest_level(model: Model, costs: Costs, *, levers: str | LeverFile | None = None) -> Portfolio:
    """The cheapest units of the levers that make safety's average reach capabilities' (exact LP);
    infeasible if the levers cannot close the gap within the scales and unit limits."""
    resolved, _, _ = load_for(model, levers)
    p = lp_data(model, resolved, costs)
    if p.gap <= 0:
        return Portfolio(model, "cheapest to come level", True, {}, 0.0, 0.0, p.gap, None,
                         costs.currency, p.excluded, "safety already scores level or ahead")
    if p.levers:
        res = _solve(p.cost, p, -p.effect[None], np.array([-p.gap]))
        if res.status == 0:
            return _portfolio(model, p, res.x, "cheapest to come level", None, costs)
        most = _solve(-p.effect, p, np.zeros((1, len(p.levers))), np.zeros(1))
        reach = float(-most.fun) if most.status == 0 else 0.0
    else:
        reach = 0.0
    return Portfolio(model, "cheapest to come level", False, {}, 0.0, 0.0, p.gap, None,
                     costs.currency, p.excluded, f"these levers cannot close the gap of {p.gap:.3f} "
                     f"within the rating scales and unit limits: at most {reach:.3f}")


def _portfolio(model: Model, p: LeverLP, x: Array, goal: str, budget: float | None,
               costs: Costs) -> Portfolio:
    x = np.clip(x, 0, None)
    x[x < 1e-12] = 0.0
    ap = apply(model, p.levers, x)     # the exact effect, recomputed from the model
    s, c = categories_of(model)
    cats = model.categories
    after = category_averages(model, ap.pooled, ap.weights)
    closes = p.gap - float(after[cats.index(c or s)] - after[cats.index(s)])
    return Portfolio(model, goal, True, {lv.id: float(v) for lv, v in zip(p.levers, x)},
                     float(p.cost @ x), closes, p.gap, budget, costs.currency, p.excluded)
