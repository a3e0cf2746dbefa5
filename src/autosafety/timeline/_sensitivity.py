"""Which assumptions move the dates? Each uncertain input of the trend and the bridge fixed at the
low and then the high end of its interval, the rest drawn as usual with common random numbers, so
the differences are the input's own effect and not Monte Carlo noise."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._files import load_bridge, load_trend
from ._result import TimelineResult
from ._simulate import simulate
from ._spec import Quantity, TrendSpec


def _fixed(q: Quantity, value: float) -> Quantity:
    return q.model_copy(update={"value": value, "low": None, "high": None})


def _summary(res: TimelineResult) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cat, members in zip(res.categories, res.members):
        meds = [res.quantile(i, 0.5) for i in members]
        out[f"{cat}_median"] = float(np.mean([m if m is not None else res.grid.until for m in meds]))
    stm = res.category_statements
    out.update({k: v for k, v in stm.items() if k.startswith("p_all") and not k.endswith("_se")})
    return out


def sensitivity(source: Any, *, draws: int = 10_000, seed: int = 0, **settings: Any) -> dict[str, Any]:
    """For every uncertain trend and bridge input: the category summaries with it at its low and
    at its high end. ``*_median`` is the mean over a category's areas of their median dates (an area
    never reaching the milestone counts at the end of the run). Sorted by the swing of the first two
    categories' difference, largest first."""
    base = simulate(source, draws=draws, seed=seed, **settings)
    trend: TrendSpec | None = base.trend
    assert trend is not None   # simulate() always has a trend
    rows = []
    inputs: list[tuple[str, Quantity, Any]] = []
    rel = {float(k): k for k in trend.horizons}
    anchor = rel.get(base.settings["reliability"], rel.get(0.5, next(iter(trend.horizons))))
    for name, q in (("doubling_time", trend.doubling_time), ("slope", trend.slope),
                    (f"horizon_{anchor}", trend.horizons[anchor])):
        inputs.append((f"trend.{name}", q, name))
    if base.kind == "model":
        bridge = load_bridge(settings.get("bridge"))
        inputs += [(f"bridge.{k}", q, k) for k, q in bridge.parameters.items()]
    cats = base.categories
    for label, q, key in inputs:
        if not q.uncertain or q.low is None or q.high is None:
            continue
        ends = {}
        for end, value in (("low", q.low), ("high", q.high)):
            kw = dict(settings)
            if label.startswith("bridge."):
                kw["bridge_parameters"] = {**settings.get("bridge_parameters", {}), key: value}
            else:
                update = ({"horizons": {**trend.horizons, anchor: _fixed(q, value)}}
                          if key.startswith("horizon_") else {key: _fixed(q, value)})
                kw["trend"] = trend.model_copy(update=update)
            ends[end] = _summary(simulate(source, draws=draws, seed=seed, **kw))
        row = {"input": label, "unit": q.unit, "kind": q.kind, "low": q.low, "high": q.high, **{
            f"{end}.{k}": v for end, d in ends.items() for k, v in d.items()}}
        if len(cats) >= 2:
            gap = {e: d[f"{cats[0]}_median"] - d[f"{cats[1]}_median"] for e, d in ends.items()}
            row["gap_low"], row["gap_high"] = gap["low"], gap["high"]
            row["swing"] = abs(gap["high"] - gap["low"])
        rows.append(row)
    rows.sort(key=lambda r: -r.get("swing", 0.0))
    return {"base": _summary(base), "categories": cats, "draws": draws, "seed": seed, "inputs": rows,
            "trend": load_trend(trend).id}
