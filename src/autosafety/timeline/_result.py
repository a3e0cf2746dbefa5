"""The result of a timeline run: milestone dates per area, pairs, categories, bottlenecks and fan
charts; it keeps the model, trend, bridge, seed and settings that produced it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._core import (
    coefficients,
    common_q,
    doublings,
    floor_share,
    rank_tasks,
    solve_ranked,
    solve_x,
    years_for_doublings,
)
from ._tally import DAY, WEEK, Counts, Grid, Tally, quantile

if TYPE_CHECKING:
    import pandas as pd

    from ._sampling import Draws
    from ._spec import BridgeSpec, TrendSpec

Array = NDArray[np.float64]
FAN_DENSE_YEARS = 12.0
"""The fan charts have a point every half year over the first this many years, then sparser."""


def fan_times(start: float, until: float) -> Array:
    """Time points of the fan charts: every half year at first (where the speedups rise), then
    ten more to the end of the run."""
    dense_end = min(until, start + FAN_DENSE_YEARS)
    dense = np.linspace(start, dense_end, max(round((dense_end - start) * 2), 1) + 1)
    return dense if dense_end >= until else np.concatenate([dense, np.linspace(dense_end, until, 11)[1:]])


BOTTLENECK_ROWS = 300_000
"""Most (draw, area, improved task, task) entries the bottleneck search holds at once (areas are
searched together up to this; about 2.4 MB per array)."""
FAN_DRAWS = 400
"""Draws (of the subsample) the fan charts' 10/50/90% bands come from (each band within about
1.5 percentile points)."""


class AreaInfo(NamedTuple):
    """An area's id, name, category and its tasks as (id, name)."""

    id: str
    name: str
    category: str
    tasks: list[tuple[str, str]]


class Subsample(NamedTuple):
    """The first draws kept whole: their inputs and dates."""

    draws: Draws | None
    """None for a model without tasks (the AI 2027 preset)."""
    dates: Array
    log2h: Array | None = None
    """log2 of each draw's reference horizon in hours (durations in ``draws.m`` are above it)."""
    reuse_key: tuple[Any, ...] | None = None
    """Key under which solutions that do not depend on the horizon or doubling time are kept."""
    shape_key: tuple[Any, ...] | None = None
    """Key under which task orderings that do not depend on an AI attempt's cost are kept."""
    hour_m: Array | None = None
    """``draws.m`` measured above a one-hour horizon (as sampled, before the trend's horizon),
    without ``hour_shift``."""
    hour_shift: Array | None = None
    """(N, A) doublings added to every task of an area (``TaskDraws.shift``), or None."""


@dataclass(frozen=True, eq=False)
class TimelineResult:
    """Milestone dates per area and what follows from them; keeps everything that produced them."""

    source: Any
    """The factor model (through the bridge) or the task-level model."""
    kind: str
    """'model' (factor model through the bridge) or 'tasks' (a task-level model)."""
    trend: TrendSpec | None
    """The capability trend (None for the AI 2027 preset, which carries its own)."""
    bridge: BridgeSpec | None
    seed: int
    settings: dict[str, Any]
    areas: list[AreaInfo]
    categories: list[str]
    members: list[list[int]]
    grid: Grid
    tally: Tally
    subsample: Subsample
    converged: bool = False
    seconds: float = field(default=0.0, compare=False)

    @property
    def draws(self) -> int:
        """Draws made (fewer than asked if the precision was reached)."""
        return self.tally.n

    @property
    def trend_id(self) -> str:
        """The trend's name, or the method's for a preset that carries its own."""
        return self.trend.id if self.trend else str(self.settings.get("method", ""))

    @property
    def milestone_label(self) -> str:
        """What is forecast, in words."""
        return str(self.settings.get("milestone_label") or f"{self.milestone:g}x speedup")

    @property
    def milestone(self) -> float:
        """The speedup whose date is forecast (NaN for a milestone that is not a speedup)."""
        m = self.settings.get("milestone")
        return math.nan if m is None else float(m)

    def quantile(self, area: int, q: float) -> float | None:
        """q-quantile of an area's milestone date (decimal year), None if beyond the run."""
        t = self.tally
        return quantile(t.dates[area], int(t.before[area]), t.n, q, self.grid.start, DAY,
                        self._reached[area])

    @cached_property
    def _reached(self) -> Counts:
        """(A, days) draws that have reached the milestone by the end of each day of the run."""
        return np.cumsum(self.tally.dates, axis=1) + self.tally.before[:, None]

    @cached_property
    def p_never(self) -> Array:
        """P(no milestone within the run) per area."""
        return self.tally.never / self.draws

    @cached_property
    def p_capped(self) -> Array:
        """P(the area's cap is below the milestone: never at all) per area."""
        return self.tally.capped / self.draws

    @cached_property
    def first(self) -> Array:
        """(A, A) [a, b] = P(a reaches the milestone before b)."""
        return self.tally.first / self.draws

    def se(self, p: Array | float) -> Array:
        """Monte Carlo standard error of a probability from these draws."""
        p = np.asarray(p, dtype=float)
        return np.sqrt(p * (1 - p) / self.draws)

    @cached_property
    def caps(self) -> Array:
        """Median cap (largest speedup reachable, every task automated) per area, from the subsample."""
        d = self.subsample.draws
        if d is None:
            return np.full(len(self.areas), np.inf)
        return np.median(1 / floor_share(d.s, d.c, d.q), axis=0)

    @cached_property
    def bottlenecks(self) -> list[dict[str, Any]]:
        """Per area: the task whose one-step improvement (effective duration halved) brings the
        median milestone date forward most, and by how many months (from the subsample, with common
        random numbers); for areas that mostly never get there, the task that limits the cap."""
        from ._sampling import logit
        from ._simulate import remembered

        d, dates = self.subsample[:2]
        if d is None:
            return [{"task": None, "name": "", "months": None, "reason": "the model has no tasks"}
                    for _ in self.areas]
        base = np.median(dates, axis=0)
        eye, b = np.eye(d.m.shape[-1]), d.beta[:, None]
        log2h = self.subsample.log2h
        shift = np.zeros((len(d.beta), 1)) if log2h is None else log2h[:, None]

        a = logit(self.settings["reliability"])
        hour_m = self.subsample.hour_m if self.subsample.hour_m is not None else d.m + shift[..., None]
        area_shift = (np.zeros(d.lag.shape) if self.subsample.hour_shift is None
                      else self.subsample.hour_shift)                          # (N, A)
        common = common_q(d.q)
        ranked_key = self.subsample.shape_key

        def needs(block: slice) -> tuple[Array, Array]:
            """Doublings above one hour each improvement needs (independent of the horizon and the
            doubling time, so kept for a page's next slider move): (draws, areas of the block,
            improved task)."""
            m = hour_m[:, block, None, :] - eye                    # doublings above one hour
            s, c, q = (np.broadcast_to(v[:, block, None, :], m.shape) for v in (d.s, d.c, d.q))
            beta = b[..., None, None]
            if common is None:
                x = solve_x(1 / self.milestone, s, c, q, coefficients(m, q, beta, a))
            else:   # one attempt cost per area (the bridge): tasks ranked once per shape
                from ._simulate import kept

                where = ("bottleneck", block.start, block.stop)
                ranked = kept(None if ranked_key is None else (*ranked_key, *where),
                              lambda last: rank_tasks(s, c, coefficients(m, 1.0, beta, a), last),
                              rows=None if ranked_key is None else (*ranked_key[1:4], *where))
                x = solve_ranked(1 / self.milestone, ranked,
                                 np.broadcast_to(common[:, block, None], m.shape[:-1]))
            with np.errstate(divide="ignore", invalid="ignore"):
                return -np.log(x) / b[..., None], np.isnan(x)

        key = self.subsample.reuse_key
        gains = np.empty(d.m.shape[1:])                                            # (A, K) months
        n_areas, k_tasks = d.m.shape[1:]
        step = max(1, BOTTLENECK_ROWS // (len(d.beta) * k_tasks * k_tasks))      # areas at once
        for first in range(0, n_areas, step):
            block = slice(first, min(first + step, n_areas))
            nu, never = remembered(None if key is None else (*key, "bottleneck", block.start,
                                                             block.stop), partial(needs, block))
            better = np.where(never, np.inf, self.grid.start + d.lag[:, block, None] + years_for_doublings(
                nu + area_shift[:, block, None] - shift[..., None], d.T[:, None, None],
                d.g[:, None, None]))
            with np.errstate(invalid="ignore"):   # never - never: such areas report their cap
                gains[block] = (base[block, None] - np.median(better, axis=0)) * 12
        out: list[dict[str, Any]] = []
        for i, area in enumerate(self.areas):
            k = len(area.tasks)
            if not np.isfinite(base[i]):
                contrib = np.median(d.s[:, i, :k] * (d.c[:, i, :k] + (1 - d.c[:, i, :k])
                                                     * np.minimum(d.q[:, i, :k], 1)), axis=0)
                j = int(np.argmax(contrib))
                out.append({"task": area.tasks[j][0], "name": area.tasks[j][1], "months": None,
                            "reason": f"capped at {self.caps[i]:.1f}x: this task's floor is largest"})
                continue
            shifts = gains[i, :k]
            j = int(np.argmax(shifts))
            out.append({"task": area.tasks[j][0], "name": area.tasks[j][1],
                        "months": float(shifts[j]),
                        "reason": "halving its effective duration moves the median date most"})
        return out

    @cached_property
    def fan(self) -> tuple[Array, Array]:
        """(times (G,), speedup quantiles (A, G, 3) at 10/50/90%) from the subsample."""
        from ._sampling import logit

        d = self.subsample.draws
        times = fan_times(self.grid.start, self.grid.until)
        out = np.full((len(self.areas), len(times), 3), np.nan)
        if d is None:
            return times, out
        d = d.take(FAN_DRAWS)
        tau = times[None, None, :] - self.grid.start - d.lag[:, :, None]           # (N, A, G)
        n = doublings(tau, d.T[:, None, None], d.g[:, None, None])
        with np.errstate(over="ignore"):
            x = np.exp(np.minimum(-d.beta[:, None, None] * n, 700.0))
        # F(x) = sum s c + sum w - sum max(0, a_k - b_k x), w = s (1 - c), a = w (1 - q), b = w E
        E = coefficients(d.m, d.q, d.beta[:, None, None], logit(self.settings["reliability"]))
        w = d.s * (1 - d.c)
        a_k = np.moveaxis(w * (1 - np.minimum(d.q, 1.0)), -1, 0).copy()             # (K, N, A)
        b_k = np.moveaxis(w * E, -1, 0).copy()
        f = ((d.s * d.c).sum(axis=-1) + w.sum(axis=-1))[..., None] - np.zeros(x.shape)
        saved = np.empty_like(x)
        with np.errstate(invalid="ignore", over="ignore"):
            for k in range(a_k.shape[0]):   # one task at a time, in place on (N, A, G) slabs
                np.multiply(b_k[k, ..., None], x, out=saved)
                np.subtract(a_k[k, ..., None], saved, out=saved)
                np.fmax(saved, 0.0, out=saved)                                      # NaN: 0
                f -= saved
        return times, np.moveaxis(np.quantile(1 / f, [0.1, 0.5, 0.9], axis=0), 0, -1)

    def lead(self, area: int, category: int) -> dict[str, Any]:
        """Years after the first area of ``category`` that ``area`` reaches the milestone."""
        t = self.tally
        h = t.leads[category, area]
        never, neither = int(t.lead_never[category, area]), int(t.lead_neither[category, area])
        n = int(h.sum()) + never
        lo = -self.grid.lead_span
        cum = np.cumsum(h)
        qs = {f"p{int(q * 100)}": (quantile(h, 0, n, q, lo, WEEK, cum) if n else None)
              for q in (0.1, 0.5, 0.9)}
        before = int(h[: round(self.grid.lead_span / WEEK)].sum())
        return {**qs, "p_before": before / self.draws, "p_never_after": never / self.draws,
                "p_neither": neither / self.draws}

    @cached_property
    def category_statements(self) -> dict[str, Any]:
        """P(every area of x before the median area of y), and leads behind each category's first."""
        t, cats = self.tally, self.categories
        out: dict[str, Any] = {}
        for x, cx in enumerate(cats):
            for y, cy in enumerate(cats):
                if x == y:
                    continue
                p = float(t.all_before_median[x, y] / self.draws)
                out[f"p_all_{cx}_before_median_{cy}"] = p
                out[f"p_all_{cx}_before_median_{cy}_se"] = float(self.se(p))
                out[f"years_after_first_{cy}"] = {self.areas[i].id: self.lead(i, y)
                                                   for i in self.members[x]}
        return out

    @cached_property
    def rows(self) -> list[dict[str, Any]]:
        """One summary per area, in file order: the ``areas`` entries of :meth:`to_dict`."""
        rows = []
        for i, a in enumerate(self.areas):
            b = self.bottlenecks[i]
            rows.append({"id": a.id, "name": a.name, "category": a.category,
                         "p10": self.quantile(i, 0.1), "p50": self.quantile(i, 0.5),
                         "p90": self.quantile(i, 0.9), "p_never": float(self.p_never[i]),
                         "p_capped": float(self.p_capped[i]), "cap": float(self.caps[i]),
                         "bottleneck": b["task"], "bottleneck_name": b["name"],
                         "bottleneck_months": b["months"]})
        return rows

    def to_frame(self) -> pd.DataFrame:
        """One row per area, earliest median first."""
        import pandas as pd

        frame = pd.DataFrame(self.rows).set_index("id")
        frame.index.name = "area"
        return frame.sort_values("p50", na_position="last")

    def to_dict(self) -> dict[str, Any]:
        """Plain data, in the JSON contract: milestone, areas, pairs, categories (+ settings, fan)."""
        ids = [a.id for a in self.areas]
        pairs = [{"a": ids[i], "b": ids[j], "p_a_first": float(self.first[i, j])}
                 for i in range(len(ids)) for j in range(len(ids)) if i != j]
        times, fan = self.fan
        return {"milestone": self.milestone_label, "model": getattr(self.source, "id", None),
                "kind": self.kind, "trend": self.trend_id, "seed": self.seed, "draws": self.draws,
                "converged": self.converged, "seconds": self.seconds, "settings": self.settings,
                "areas": self.rows, "pairs": pairs, "categories": self.category_statements,
                "fan": {"times": times.tolist(), "quantiles": [0.1, 0.5, 0.9],
                        "speedup": {aid: fan[i].tolist() for i, aid in enumerate(ids)
                                    if self.subsample.draws is not None}},
                "cdf": self.cdf(),
                "assumptions": self.assumptions}

    def cdf(self, *, step_days: int = 30) -> dict[str, Any]:
        """P(milestone reached by t) per area on a grid of ``step_days``."""
        t, cum = self.tally, self._reached
        idx = np.arange(step_days - 1, cum.shape[1], step_days)
        times = self.grid.start + (idx + 1) * DAY
        return {"times": times.tolist(),
                "p": {a.id: (cum[i, idx] / t.n).tolist() for i, a in enumerate(self.areas)}}

    @property
    def assumptions(self) -> str:
        """What the dates rest on, in one sentence."""
        if self.kind == "ai-2027":
            return str(self.settings["assumptions"])
        if self.kind == "model":
            bridge = self.bridge.id if self.bridge else ""
            return (f"Dates come from the factor ratings through the bridge '{bridge}', whose "
                    "constants are autosafety's assumptions (docs/timeline.md), and the "
                    f"'{self.trend_id}' capability trend.")
        return f"Dates come from the task-level model and the '{self.trend_id}' capability trend."

    def __repr__(self) -> str:
        lines = [f"TimelineResult({getattr(self.source, 'id', '?')!r}, trend={self.trend_id!r}, "
                 f"milestone={self.milestone_label!r}, seed={self.seed}, draws={self.draws})"]
        for r in self.rows:
            p50 = "never" if r["p50"] is None else f"{r['p50']:.1f}"
            lines.append(f"  {r['id']}: median {p50}, P(never) {r['p_never']:.2f}")
        return "\n".join(lines)
