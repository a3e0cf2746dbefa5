"""Monte Carlo over ratings, weights and scenarios: chunked, threaded, reproducible, early-stopping."""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .._defaults import DRAWS, INTERVAL
from ._plan import build_plan, check_settings
from ._sampling import HIST_BINS, Tally, simulate
from ._scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

    from ..model import Model

Array = NDArray[np.float64]
ELEMENT_BUDGET = 1_600_000
"""Largest (draws x per-draw elements) of one chunk; bounds memory whatever the number of draws."""


def default_chunk_size(model: Model) -> int:
    """Draws per chunk so that the biggest per-chunk array stays near ELEMENT_BUDGET elements."""
    a, f, _ = model.present.shape
    per_draw = max(a * a, int(model.present.sum()), a * f)
    return int(np.clip(ELEMENT_BUDGET // per_draw, 256, 65_536))


def monte_carlo(model: Model, *, draws: int = DRAWS, seed: int = 0, rating_noise: bool | float = True,
                weight_concentration: float | None = None,
                weight_ranges: Mapping[str, tuple[float, float]] | None = None,
                scenarios: Sequence[Scenario] | None = None, resample_raters: bool = False,
                precision: float | None = None, chunk_size: int | None = None,
                workers: int | None = None, interval: float = INTERVAL,
                progress: Callable[[int, int], None] | None = None) -> MonteCarloResult:
    """Draw ``draws`` worlds (rating noise, weights, scenario) and tally scores, ranks and gaps.

    ``rating_noise``: True uses each rating's interval, and an sd of :data:`RATING_NOISE` (0.1) x
    the scale range for ratings without one; a float sets that share; False turns noise off.
    ``weight_concentration``: Dirichlet draws around the point weights (alpha = c x weights).
    ``precision``: stop once the standard errors of the category and rank probabilities are all
    at most this. Draws run in chunks of ``chunk_size``, ``workers`` threads at a time; chunk ``i``
    uses seed ``(seed, i)``, so results depend on the seed and chunk size, not on the threads.
    """
    check_settings(draws=draws, precision=precision, concentration=weight_concentration,
                   chunk_size=chunk_size)
    plan = build_plan(model, rating_noise=rating_noise, weight_concentration=weight_concentration,
                      weight_ranges=weight_ranges, scenarios=scenarios,
                      resample_raters=resample_raters)
    chunk = chunk_size or default_chunk_size(model)
    sizes = [min(chunk, draws - i) for i in range(0, draws, chunk)]
    workers = max(1, min(workers or os.cpu_count() or 1, len(sizes)))

    def run(i: int) -> Tally:
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
        return simulate(plan, rng, sizes[i])

    start = time.perf_counter()
    total: Tally | None = None
    converged = False
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # a few chunks in flight, consumed in order: no barrier between rounds, bounded memory
        pending = deque(pool.submit(run, i) for i in range(min(2 * workers, len(sizes))))
        submitted = len(pending)
        while pending:
            t = pending.popleft().result()
            total = t if total is None else total + t
            if precision is not None and _max_se(total) <= precision:
                converged = True
                for f in pending:
                    f.cancel()
                break
            if submitted < len(sizes):
                pending.append(pool.submit(run, submitted))
                submitted += 1
            if progress is not None and (not pending or total.n % (workers * chunk) < chunk):
                progress(total.n, draws)
        if progress is not None and total is not None and converged:
            progress(total.n, draws)
    assert total is not None
    settings = {"draws": draws, "rating_noise": rating_noise,
                "weight_concentration": weight_concentration,
                "weight_ranges": {k: list(v) for k, v in (weight_ranges or {}).items()},
                "scenarios": [s.to_dict() for s in scenarios or []],
                "resample_raters": resample_raters, "precision": precision, "chunk_size": chunk,
                "interval": interval}
    return MonteCarloResult(model, seed, settings, total, converged=converged,
                            seconds=time.perf_counter() - start)


def _max_se(t: Tally) -> float:
    """Largest standard error among the rank and category-comparison probabilities."""
    p = np.concatenate([t.rank_counts.reshape(-1), t.cat_above.reshape(-1)]) / t.n
    return float(np.sqrt(p * (1 - p) / t.n).max())


def hist_quantile(hist: NDArray[np.int64], lo: float, hi: float, q: float) -> Array:
    """The q-quantile of each row's histogram on [lo, hi], interpolated within its bin."""
    cum = np.cumsum(hist, axis=1)
    target = q * cum[:, -1]
    idx = np.argmax(cum >= target[:, None], axis=1)
    prev = np.where(idx > 0, cum[np.arange(len(idx)), idx - 1], 0)
    inbin = hist[np.arange(len(idx)), idx]
    # the bin holding the target has draws unless the target is 0 (then target - prev is 0 too)
    frac = (target - prev) / np.maximum(inbin, 1)
    return lo + (idx + frac) * (hi - lo) / hist.shape[1]


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """What the draws say about scores, ranks and categories; keeps the model, seed and settings."""

    model: Model
    seed: int
    settings: dict[str, Any]
    tally: Tally
    converged: bool = False
    """True if ``precision`` was reached before ``draws`` ran out."""
    seconds: float = field(default=0.0, compare=False)

    @property
    def draws(self) -> int:
        """Draws actually made (fewer than asked when the precision was reached early)."""
        return self.tally.n

    @cached_property
    def score_mean(self) -> Array:
        """Mean score per area (A,)."""
        return self.tally.score_sum / self.draws

    @cached_property
    def score_sd(self) -> Array:
        """Standard deviation of each area's score (A,)."""
        return np.sqrt(np.maximum(self.tally.score_sq / self.draws - self.score_mean ** 2, 0))

    @property
    def score_se(self) -> Array:
        """Standard error of each mean score (A,)."""
        return self.score_sd / np.sqrt(self.draws)

    def score_quantile(self, q: float) -> Array:
        """q-quantile of each area's score (A,), from a 4096-bin histogram on the scale."""
        s = self.model.spec.scale
        return hist_quantile(self.tally.score_hist, s.min, s.max, q)

    @property
    def rank_probabilities(self) -> Array:
        """Rank acceptability (A, A): [area, k-1] = P(area has rank k)."""
        return self.tally.rank_counts / self.draws

    def p_top(self, k: int) -> Array:
        """P(area ranks in the top k) per area (A,)."""
        return self.rank_probabilities[:, :k].sum(axis=1)

    @property
    def pairwise(self) -> Array:
        """(A, A): [a, b] = P(area a scores above area b)."""
        return self.tally.above / self.draws

    @property
    def category_probabilities(self) -> Array:
        """(C, C): [x, y] = P(average of category x > average of category y)."""
        return self.tally.cat_above / self.draws

    def se(self, p: Array | float) -> Array:
        """Monte Carlo standard error of probabilities estimated from these draws."""
        p = np.asarray(p, dtype=float)
        return np.sqrt(p * (1 - p) / self.draws)

    @cached_property
    def gaps(self) -> list[dict[str, Any]]:
        """Per category pair 'later - earlier': P(later > earlier), its se, and the gap's summary."""
        cats, span = self.model.categories, self.model.spec.scale.max - self.model.spec.scale.min
        lvl = self.settings["interval"]
        out = []
        iu = np.triu_indices(len(cats), 1)
        for p, (i, j) in enumerate(zip(*iu)):
            mean = self.tally.gap_sum[p] / self.draws
            sd = np.sqrt(max(self.tally.gap_sq[p] / self.draws - mean ** 2, 0.0))
            h = self.tally.gap_hist[p:p + 1]
            q = [float(hist_quantile(h, -span, span, x)[0]) for x in ((1 - lvl) / 2, 0.5, (1 + lvl) / 2)]
            prob = float(self.category_probabilities[j, i])
            out.append({"gap": f"{cats[j]} - {cats[i]}", "higher": cats[j], "lower": cats[i],
                        "p_higher_above": prob, "se": float(self.se(prob)), "mean": float(mean),
                        "sd": float(sd), "se_mean": float(sd / np.sqrt(self.draws)), "median": q[1],
                        "low": q[0], "high": q[2]})
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per area (by mean score): score summary, expected rank, P(top 1/3), P(rank = k)."""
        import pandas as pd

        m, lvl = self.model, self.settings["interval"]
        rp = self.rank_probabilities
        frame = pd.DataFrame({
            "name": [a.name or a.id for a in m.areas], "category": [a.category for a in m.areas],
            "mean": self.score_mean, "median": self.score_quantile(0.5),
            "low": self.score_quantile((1 - lvl) / 2), "high": self.score_quantile((1 + lvl) / 2),
            "sd": self.score_sd, "se": self.score_se,
            "expected_rank": rp @ np.arange(1, len(m.area_ids) + 1),
            "p_top1": self.p_top(1), "p_top3": self.p_top(3)},
            index=pd.Index(m.area_ids, name="area"))
        for k in range(rp.shape[1]):
            frame[f"p_rank{k + 1}"] = rp[:, k]
        return frame.sort_values("mean", ascending=False)

    def pairwise_frame(self) -> pd.DataFrame:
        """P(row area scores above column area)."""
        import pandas as pd

        ids = self.model.area_ids
        return pd.DataFrame(self.pairwise, index=pd.Index(ids, name="area"), columns=ids)

    def to_dict(self, *, bins: int = 64) -> dict[str, Any]:
        """Plain data: areas, pairwise matrix, category gaps, settings; score histograms in ``bins``."""
        m = self.model
        frame = self.to_frame()
        areas = [{"id": aid, **{k: (float(v) if not isinstance(v, str) else v)
                                for k, v in row.items() if not k.startswith("p_rank")},
                  "rank_probabilities": self.rank_probabilities[m.area_ids.index(aid)].tolist()}
                 for aid, row in frame.iterrows()]
        s = m.spec.scale
        hist = self.tally.score_hist.reshape(len(m.area_ids), bins, HIST_BINS // bins).sum(axis=2)
        return {"model": m.id, "seed": self.seed, "settings": self.settings, "draws": self.draws,
                "converged": self.converged, "seconds": self.seconds,
                "max_se": _max_se(self.tally), "areas": areas,
                "pairwise": {"areas": m.area_ids, "p_row_above_column": self.pairwise.tolist()},
                "categories": self.gaps,
                "scenarios": {sc["name"]: int(c) for sc, c in
                              zip(self.settings["scenarios"], self.tally.scenario_counts)},
                "distributions": {"edges": np.linspace(s.min, s.max, bins + 1).tolist(),
                                  "counts": {aid: hist[i].tolist()
                                             for i, aid in enumerate(m.area_ids)}}}

    def __repr__(self) -> str:
        lines = [f"MonteCarloResult({self.model.id!r}, seed={self.seed}, draws={self.draws})"]
        lines += [f"  P({g['higher']} > {g['lower']}) = {g['p_higher_above']:.4f} ± {g['se']:.4f}; "
                  f"gap {g['mean']:+.2f} [{g['low']:+.2f}, {g['high']:+.2f}]" for g in self.gaps]
        return "\n".join(lines)
