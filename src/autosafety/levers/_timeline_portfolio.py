"""A portfolio of levers for the timeline: the units of each lever, within a budget, that move the
10x dates most, searched over the Monte Carlo with common random numbers.

The dates are not linear in the units (a rating moves task shares and verifiability through the
bridge; a delay moves only the areas it delays), so there is no LP here. Every candidate portfolio
runs through :func:`autosafety.timeline.simulate` with the same seed and draws, so two candidates
differ by their levers, not by Monte Carlo noise, and a greedy search can compare them directly:

1. **Greedy by gain per cost**: the budget is cut into ``steps`` equal sums of money; each step buys
   that sum's worth of the lever whose step gains most (a lever's units stay within its
   ``max_units`` and, unless it clips, every rating within its scale).
2. **Corners**: each lever alone with the whole budget, kept if it beats the greedy portfolio (a
   greedy step can go astray on a plateau of P, which moves in steps of 1/draws).
3. **Swaps**: move one step of money, or all of it, from one bought lever to another while that
   improves.

At most ``max_evaluations`` runs of ``simulate``; the chosen portfolio is then run once more with
``draws`` draws (same seed) for the figures reported.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .._errors import InputError, Problem
from ._effects import apply, categories_of, load_for
from ._timeline import bridge_with, model_with, summary

if TYPE_CHECKING:
    from ..model import Model
    from ..timeline import BridgeSpec
    from ._catalogue import Lever, LeverFile
    from ._portfolio import Costs

Array = NDArray[np.float64]

OBJECTIVES = {
    "months": "net months: the safety areas' median 10x date earlier plus the capabilities areas' later",
    "safety_months": "months the safety areas' median 10x date (mean over the areas) moves earlier",
    "p": "change of P(every safety area reaches 10x before the median capabilities area)",
}
"""What the search maximises (``objective=``)."""
TOL = 1e-12


@dataclass(frozen=True)
class Outcome:
    """What one portfolio does to the dates (positive: good for safety)."""

    safety_months: float
    capabilities_months: float
    dp: float
    clipped: list[str] = field(default_factory=list)

    @property
    def net_months(self) -> float:
        """Months the gap between the categories' median dates closes."""
        return self.safety_months + self.capabilities_months

    def value(self, objective: str) -> float:
        """The objective's value."""
        return {"months": self.net_months, "safety_months": self.safety_months, "p": self.dp}[objective]


class Evaluator:
    """Runs portfolios (units of each lever) through ``simulate`` with one seed and one set of draws
    (common random numbers); caches them and counts the runs."""

    def __init__(self, model: Model, levers: list[Lever], *, draws: int, seed: int,
                 settings: dict[str, Any]):
        from ..timeline import load_bridge

        self.model, self.levers = model, levers
        self.kw = dict(settings, draws=draws, seed=seed, subsample=1)
        self.bridge: BridgeSpec = load_bridge(settings.get("bridge"))
        self.delays0: dict[str, float] = dict(settings.get("area_delays") or {})
        self.s, c = categories_of(model)
        if c is None:
            raise InputError(Problem(model.id, "the model has one category: no gap between dates",
                                     "use a model with safety and capabilities areas"))
        self.c = c
        self.runs = 0
        self._cache: dict[tuple[float, ...], Outcome | None] = {}
        first = self._summary(np.zeros(len(levers)))
        assert first is not None
        self.base: dict[str, float] = first[0]

    def _summary(self, x: Array) -> tuple[dict[str, float], list[str]] | None:
        from ..timeline import simulate

        try:
            ap = apply(self.model, self.levers, x)
        except InputError:  # off a scale (a lever that does not clip) or a weight below 0
            return None
        delays = dict(self.delays0)
        rel: dict[str, float] = {}
        for lever, k in zip(self.levers, x.tolist()):
            if not k:
                continue
            for area, years in lever.delays.items():
                delays[area] = delays.get(area, 0.0) + k * years
            for name, v in lever.parameters.items():   # relative changes compound
                rel[name] = (1 + rel.get(name, 0.0)) * (1 + v) ** k - 1
        self.runs += 1
        bridge = bridge_with(self.bridge, rel) if rel else self.bridge
        run = simulate(model_with(self.model, ap), **{**self.kw, "area_delays": delays, "bridge": bridge})
        return summary(run, self.s, self.c), ap.clipped

    def __call__(self, x: Array) -> Outcome | None:
        """The portfolio's effect against the baseline, or None if it is not feasible."""
        key = tuple(round(v, 12) for v in x.tolist())
        if key not in self._cache:
            run = self._summary(np.asarray(x, float))
            if run is None:
                self._cache[key] = None
            else:
                e, clipped = run
                b = self.base
                self._cache[key] = Outcome((b[self.s] - e[self.s]) * 12, (e[self.c] - b[self.c]) * 12,
                                           e["p"] - b["p"], clipped)
        return self._cache[key]


@dataclass(frozen=True, eq=False)
class TimelinePortfolio:
    """Units of each lever chosen for the timeline, what they cost and what they do to the dates."""

    model: Model
    objective: str
    units: dict[str, float]
    cost: float
    budget: float
    currency: str
    outcome: Outcome
    """At ``draws`` draws (the search used ``search_draws``), same seed."""
    search_value: float
    """The objective at the search's draws."""
    baseline: dict[str, float]
    evaluations: int
    max_evaluations: int
    draws: int
    search_draws: int
    seed: int
    steps: list[str]
    excluded: list[tuple[str, str]]
    seconds: float
    names: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        o, s, c = self.outcome, "safety", "capabilities"
        return {"model": self.model.id, "goal": "best within budget (timeline)", "objective": self.objective,
                "objective_meaning": OBJECTIVES[self.objective],
                "units": {k: v for k, v in self.units.items() if v > 1e-12},
                "names": {k: self.names.get(k, k) for k, v in self.units.items() if v > 1e-12},
                "cost": self.cost, "currency": self.currency, "budget": self.budget,
                "safety_months": o.safety_months, "capabilities_months": o.capabilities_months,
                "net_months": o.net_months, "dp": o.dp, "value": o.value(self.objective),
                "search_value": self.search_value, "clipped": o.clipped,
                "baseline": {f"{s}_median": self.baseline[s], f"{c}_median": self.baseline[c],
                             "p_all_safety_before_median_capabilities": self.baseline["p"]},
                "evaluations": self.evaluations, "max_evaluations": self.max_evaluations,
                "draws": self.draws, "search_draws": self.search_draws, "seed": self.seed,
                "steps": self.steps, "excluded": [{"id": i, "reason": r} for i, r in self.excluded],
                "seconds": self.seconds,
                "method": "greedy by gain per cost, then swaps, every candidate run through simulate "
                          "with the same seed and draws (common random numbers)"}


def _room(ev: Evaluator, x: Array, k: int, upper: list[float | None]) -> float:
    """How many more units of lever k fit: its unit limit and, unless it clips, every rating's scale."""
    lever = ev.levers[k]
    cap = upper[k]
    room = math.inf if cap is None else max(cap - x[k], 0.0)
    if not lever.clip and lever.rating.any():
        m = ev.model
        now = m.pooled() + np.tensordot(x, np.array([lv.rating for lv in ev.levers]), axes=1)
        d = lever.rating
        up, down = d > 0, d < 0
        if up.any():
            room = min(room, float(((m.spec.scale.max - now[up]) / d[up]).min()))
        if down.any():
            room = min(room, float(((m.spec.scale.min - now[down]) / d[down]).min()))
    return max(room, 0.0)


def best_timeline_portfolio(model: Model, costs: Costs, *, budget: float,
                            levers: str | LeverFile | None = None, objective: str = "months",
                            draws: int = 20_000, search_draws: int = 2_000, seed: int = 0,
                            steps: int = 10, max_evaluations: int = 150,
                            **settings: Any) -> TimelinePortfolio:
    """The units of each lever, costing at most ``budget``, that maximise ``objective`` (see
    :data:`OBJECTIVES`) on the timeline; ``settings`` go to ``simulate`` (trend, bridge, ...)."""
    start = time.perf_counter()
    problems = []
    if not (math.isfinite(budget) and budget >= 0):
        problems.append(Problem("--budget", f"{budget:g} is not a budget >= 0", "give a budget >= 0"))
    if objective not in OBJECTIVES:
        problems.append(Problem("--objective", f"unknown objective '{objective}'",
                                f"use one of: {', '.join(OBJECTIVES)}"))
    for name, v, lo in (("--steps", steps, 1), ("--max-evaluations", max_evaluations, 1),
                        ("--draws", draws, 1), ("--search-draws", search_draws, 1)):
        if v < lo:
            problems.append(Problem(name, f"{v} is below {lo}", f"give at least {lo}"))
    if problems:
        raise InputError(problems, title="invalid timeline portfolio settings")
    resolved, _, _ = load_for(model, levers)
    known = {lv.id for lv in resolved}
    unknown = [Problem(f"{costs.origin}: costs.{k}", f"no lever '{k}' applies to {model.id}",
                       f"use one of: {', '.join(sorted(known))}") for k in costs.per_unit if k not in known]
    if unknown:
        raise InputError(unknown, title=f"{costs.origin} does not fit the levers")
    chosen: list[Lever] = []
    excluded: list[tuple[str, str]] = []
    for lv in resolved:
        if lv.id not in costs.per_unit:
            excluded.append((lv.id, "no cost given"))
        elif not (lv.rating.any() or lv.delays or lv.parameters):
            excluded.append((lv.id, "changes only weights: no effect on the timeline"))
        else:
            chosen.append(lv)
    ev = Evaluator(model, chosen, draws=search_draws, seed=seed, settings=settings)
    cost = np.array([costs.per_unit[lv.id] for lv in chosen])
    upper = [costs.max_units.get(lv.id) for lv in chosen]
    x, log = _search(ev, cost, upper, budget, objective, steps, max_evaluations)
    best = ev(x)
    assert best is not None
    search_value = best.value(objective)
    if draws != search_draws:
        final_ev = Evaluator(model, chosen, draws=draws, seed=seed, settings=settings)
        final, base, runs = final_ev(x), final_ev.base, ev.runs + final_ev.runs
    else:
        final, base, runs = best, ev.base, ev.runs
    assert final is not None
    return TimelinePortfolio(model, objective, {lv.id: float(v) for lv, v in zip(chosen, x)},
                             float(cost @ x), budget, costs.currency, final, search_value,
                             dict(base), runs, max_evaluations,
                             draws, search_draws, seed, log, excluded, time.perf_counter() - start,
                             {lv.id: lv.name for lv in chosen})


def _search(ev: Evaluator, cost: Array, upper: list[float | None], budget: float, objective: str,
            steps: int, max_evaluations: int) -> tuple[Array, list[str]]:
    n = len(ev.levers)
    x = np.zeros(n)
    cur = 0.0   # the empty portfolio's effect is exactly zero (common random numbers)
    inc = budget / steps
    log: list[str] = []

    def affordable(x: Array) -> float:
        return budget - float(cost @ x)

    # 1. greedy: each step spends `inc` (or what is left) on the lever that gains most per cost; on
    # a plateau (no step gains, as P moves in steps of 1/draws) the step doubles, up to all that is left
    scale = 1.0
    while ev.runs < max_evaluations:
        best: tuple[float, float, Array, str] | None = None
        left = affordable(x)
        for k in range(n):
            if ev.runs >= max_evaluations:
                break
            du = min(inc * scale, left) / cost[k] if cost[k] > 0 else scale  # free: `scale` units a step
            du = min(du, _room(ev, x, k, upper))
            if du <= TOL:
                continue
            y = x.copy()
            y[k] += du
            out = ev(y)
            if out is None:
                continue
            gain = out.value(objective) - cur
            ratio = gain / (du * cost[k]) if cost[k] > 0 else (math.inf if gain > TOL else -math.inf)
            if gain > TOL and (best is None or ratio > best[0]):
                best = (ratio, out.value(objective), y, f"+{du:.3g} {ev.levers[k].id}")
        if best is None:
            if inc * scale >= left or not any(cost > 0):
                break
            scale *= 2
            continue
        scale = 1.0
        _, cur, x, step = best
        log.append(f"{step}: {objective} {cur:+.4g}")
    # 2. each lever alone with the whole budget: a better start if greedy went astray on a plateau
    for k in range(n):
        if ev.runs >= max_evaluations or cost[k] <= 0:
            continue
        y = np.zeros(n)
        y[k] = min(budget / cost[k], _room(ev, y, k, upper))
        out = ev(y) if y[k] > TOL else None
        if out is not None and out.value(objective) > cur + TOL:
            x, cur = y, out.value(objective)
            log.append(f"instead, the whole budget on {ev.levers[k].id}: {objective} {cur:+.4g}")
    # 3. swaps: move one step of money (or all of it) from a bought lever to another while that improves
    improved = True
    while improved and ev.runs < max_evaluations:
        improved = False
        for i in range(n):
            if x[i] <= TOL or cost[i] <= 0:
                continue
            for j in range(n):
                if j == i or cost[j] <= 0:
                    continue
                for part in sorted({min(inc, x[i] * cost[i]), x[i] * cost[i]}):
                    money = min(part, _room(ev, x, j, upper) * cost[j])
                    if money <= TOL or ev.runs >= max_evaluations:
                        continue
                    y = x.copy()
                    y[i] = max(y[i] - money / cost[i], 0.0)
                    y[j] += money / cost[j]
                    out = ev(y)
                    if out is not None and out.value(objective) > cur + TOL:
                        x, cur, improved = y, out.value(objective), True
                        log.append(f"swap {money:.3g} from {ev.levers[i].id} to {ev.levers[j].id}: "
                                   f"{objective} {cur:+.4g}")
                        break
                if improved:
                    break
            if improved:
                break
    return x, log
