"""What each lever does to the timeline's dates, with common random numbers: every run uses the
same seed, and a lever changes ratings, adoption lags or bridge constants without changing which
random deviates are drawn, so the differences are the lever's effect, not Monte Carlo noise."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..model._spec import Rating
from ._effects import Applied, apply, categories_of, load_for, to_raw

if TYPE_CHECKING:
    from ..model import Model
    from ..timeline import BridgeSpec, TimelineResult
    from ._catalogue import Lever, LeverFile


def model_with(model: Model, applied: Applied) -> Model:
    """A model whose pooled ratings are ``applied.pooled``: every rater's rating of a changed cell
    moves by the cell's change (on the factor's own scale, clipped to it)."""
    from ..model._check import factor_scale

    delta = applied.pooled - model.pooled()
    if not delta.any():
        return model
    ai, fi = {a: i for i, a in enumerate(model.area_ids)}, {f: j for j, f in enumerate(model.factor_ids)}
    ratings = []
    for r in model.spec.ratings:
        i, j = ai[r.area], fi[r.factor]
        if delta[i, j] == 0:
            continue
        s = factor_scale(model.spec, r.factor)
        step = to_raw(model, j, model.pooled()[i, j] + delta[i, j]) - to_raw(model, j, model.pooled()[i, j])
        ratings.append(Rating(area=r.area, factor=r.factor, rater=r.rater,
                              value=float(np.clip(r.value + step, s.min, s.max)),
                              rationale="changed by a lever", provenance=dict(r.provenance)))
    return model.with_ratings(ratings)


def bridge_with(bridge: BridgeSpec, changes: dict[str, float]) -> BridgeSpec:
    """The bridge with constants scaled by (1 + relative change), intervals with them: every draw
    of the constant is scaled by the same factor (the same deviates)."""
    params = dict(bridge.parameters)
    for name, rel in changes.items():
        q, k = params[name], 1.0 + rel
        params[name] = q.model_copy(update={"value": q.value * k,
                                            "low": None if q.low is None else q.low * k,
                                            "high": None if q.high is None else q.high * k})
    return bridge.model_copy(update={"parameters": params})


def summary(res: TimelineResult, safety: str, capabilities: str) -> dict[str, float]:
    """Mean over each category's areas of their median dates (never: the end of the run), and
    P(every safety area before the median capabilities area)."""
    out: dict[str, float] = {}
    for cat, members in zip(res.categories, res.members):
        meds = [res.quantile(i, 0.5) for i in members]
        out[cat] = float(np.mean([m if m is not None else res.grid.until for m in meds]))
    out["p"] = float(res.category_statements[f"p_all_{safety}_before_median_{capabilities}"])
    return out


@dataclass(frozen=True, eq=False)
class TimelineEffect:
    """One lever's effect on the dates (positive months: good for safety)."""

    lever: Lever
    safety_months: float
    """Months the safety areas' median 10x date (mean over areas) moves earlier."""
    capabilities_months: float
    """Months the capabilities areas' median date moves later (negative: a spill-over)."""
    dp: float
    """Change of P(every safety area before the median capabilities area)."""
    clipped: list[str]

    @property
    def net_months(self) -> float:
        """Months the gap between the categories' median dates closes."""
        return self.safety_months + self.capabilities_months

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"id": self.lever.id, "name": self.lever.name, "safety_months": self.safety_months,
                "capabilities_months": self.capabilities_months, "net_months": self.net_months,
                "spillover_months": min(self.capabilities_months, 0.0), "dp": self.dp,
                "clipped": self.clipped}


@dataclass(frozen=True, eq=False)
class TimelineLevers:
    """Levers ranked by how many months they close the gap between the categories' dates."""

    model: Model
    base: TimelineResult
    baseline: dict[str, float]
    effects: list[TimelineEffect]
    categories: tuple[str, str]
    seed: int
    draws: int
    units: float
    settings: dict[str, Any]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the baseline, then one row per lever, best first."""
        s, c = self.categories
        return {"model": self.model.id, "seed": self.seed, "draws": self.draws, "units": self.units,
                "settings": self.settings, "seconds": self.seconds,
                "baseline": {"safety_median": self.baseline[s], "capabilities_median": self.baseline[c],
                             "p_all_safety_before_median_capabilities": self.baseline["p"]},
                "levers": [e.to_dict() for e in self.effects],
                "method": "common random numbers: every run uses the same seed and draws; "
                          "dates are each category's mean of its areas' median dates"}


def timeline_effects(model: Model, levers: str | LeverFile | None = None, *, draws: int = 20_000,
                     seed: int = 0, units: float = 1.0, **settings: Any) -> TimelineLevers:
    """Every lever (``units`` of it alone) run through the timeline with the baseline's seed.

    ``settings`` go to :func:`autosafety.timeline.simulate` (trend, bridge, milestone, ...)."""
    from ..timeline import load_bridge, simulate

    start = time.perf_counter()
    resolved, _, _ = load_for(model, levers)
    s, c = categories_of(model)
    if c is None:
        from .._errors import InputError, Problem

        raise InputError(Problem(model.id, "the model has one category: no gap between dates",
                                 "use a model with safety and capabilities areas"))
    kw = dict(settings, draws=draws, seed=seed, subsample=1)
    base = simulate(model, **kw)
    b = summary(base, s, c)
    bridge = load_bridge(settings.get("bridge"))
    delays0 = dict(settings.get("area_delays") or {})
    effects = []
    for lever in resolved:
        ap = apply(model, [lever], [units])
        delays = dict(delays0)
        for k, v in lever.delays.items():
            delays[k] = delays.get(k, 0.0) + units * v
        rel = {k: (1 + v) ** units - 1 for k, v in lever.parameters.items()}
        run = simulate(model_with(model, ap), **{**kw, "area_delays": delays,
                                                 "bridge": bridge_with(bridge, rel) if rel else bridge})
        e = summary(run, s, c)
        effects.append(TimelineEffect(lever, (b[s] - e[s]) * 12, (e[c] - b[c]) * 12, e["p"] - b["p"],
                                      ap.clipped))
    effects.sort(key=lambda x: (-x.net_months, -x.dp, x.lever.id))
    return TimelineLevers(model, base, b, effects, (s, c), seed, draws, units,
                          {k: v for k, v in settings.items() if k != "bridge"},
                          time.perf_counter() - start)
