"""Exact flip thresholds: the value of one factor weight (others fixed) at which a conclusion flips.

For a weighted mean, a difference d(t) between two areas (or two category averages) with weight
``t`` on factor j is ``(S_j + t D_j) / (W_j + t)`` where ``D_j`` is the difference of their ratings
on j, ``S_j`` the weighted difference over the other factors and ``W_j`` their total weight. The sign
flips at ``t* = -S_j / D_j`` when ``D_j != 0`` and ``t* >= 0``; otherwise no t in [0, inf) flips it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..model import _core

if TYPE_CHECKING:
    import pandas as pd

    from ..model import Model

Array = NDArray[np.float64]


def thresholds(diffs: Array, weights: Array) -> Array:
    """Flip thresholds (..., F): per factor j the weight at which ``diffs @ weights`` changes sign.

    ``diffs`` (..., F) are rating differences per factor, ``weights`` (F,) not normalised. NaN where
    no weight in [0, inf) flips it (or where the other weights are all zero).
    """
    total = diffs @ weights  # (...)
    others = total[..., None] - diffs * weights  # S_j
    rest = weights.sum() - weights  # W_j
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = -others / diffs + 0.0  # + 0.0: a threshold of 0 is +0, never "-0" in a statement
    ok = (diffs != 0) & (t >= 0) & (rest > 0) & np.isfinite(t)
    return np.where(ok, t, np.nan)


def resolve_inputs(model: Model, weights: Mapping[str, float] | Array | None,
                   ratings: Mapping[tuple[str, str], float] | Array | None) -> tuple[Array, Array]:
    """(weights (F,), pooled ratings (A, F)) from overrides (mappings) or full arrays."""
    if weights is None or isinstance(weights, Mapping):
        w = model.override_weights(weights or {})
    else:
        w = np.asarray(weights, dtype=float)
    if ratings is None or isinstance(ratings, Mapping):
        r = model.override_ratings(model.pooled(), ratings) if ratings else model.pooled()
    else:
        r = np.asarray(ratings, dtype=float)
    return w, r


def flip_thresholds(model: Model, *, weights: Mapping[str, float] | Array | None = None,
                    ratings: Mapping[tuple[str, str], float] | Array | None = None) -> FlipResult:
    """Every exact one-weight flip threshold: each area pair and each category pair."""
    w, r = resolve_inputs(model, weights, ratings)
    pair = thresholds(r[:, None, :] - r[None, :, :], w)  # (A, A, F): a vs b
    cat = _core.category_means(r.T, model.category_index, len(model.categories)).T  # (C, F)
    iu = np.triu_indices(len(model.categories), 1)
    cat_diff = cat[iu[1]] - cat[iu[0]]  # (P, F) later - earlier
    return FlipResult(model, w, r, np.moveaxis(pair, -1, 0), thresholds(cat_diff, w).T, cat_diff)


@dataclass(frozen=True, eq=False)
class FlipResult:
    """Flip thresholds with the weights and ratings they were computed from."""

    model: Model
    weights: Array
    """Factor weights (F,), not normalised."""
    pooled: Array
    """Pooled oriented ratings (A, F)."""
    pair_thresholds: Array
    """(F, A, A): [j, a, b] = weight of factor j at which areas a and b swap (NaN: never)."""
    category_thresholds: Array
    """(F, P) per category pair 'later - earlier' (as ScoreResult.gaps): weight that flips it."""
    category_diffs: Array
    """(P, F) difference of the two categories' average ratings per factor."""

    @cached_property
    def scores(self) -> Array:
        """Scores (A,) at these weights."""
        return _core.weighted_scores(self.pooled, self.weights)

    @cached_property
    def category_pairs(self) -> list[tuple[str, str]]:
        """(earlier, later) category names of each category pair."""
        cats = self.model.categories
        return [(cats[i], cats[j]) for i, j in zip(*np.triu_indices(len(cats), 1))]

    def category_rows(self) -> list[dict[str, Any]]:
        """One row per (category pair, factor): who leads now, the threshold, what changes."""
        out = []
        gaps = self.category_diffs @ (self.weights / self.weights.sum())
        for p, (x, y) in enumerate(self.category_pairs):
            lead, trail = (y, x) if gaps[p] > 0 else (x, y)
            for j, fid in enumerate(self.model.factor_ids):
                out.append(self._row("category", lead, trail, float(abs(gaps[p])), j, fid,
                                     float(self.category_thresholds[j, p])))
        return out

    def pair_rows(self) -> list[dict[str, Any]]:
        """One row per (area pair, factor) with a threshold in [0, inf)."""
        out = []
        ids = self.model.area_ids
        s = self.scores
        for a, b in zip(*np.triu_indices(len(ids), 1)):
            lead, trail = (a, b) if s[a] >= s[b] else (b, a)
            for j in np.flatnonzero(~np.isnan(self.pair_thresholds[:, a, b])):
                out.append(self._row("areas", ids[lead], ids[trail], float(abs(s[a] - s[b])), int(j),
                                     self.model.factor_ids[j], float(self.pair_thresholds[j, a, b])))
        return out

    def _row(self, kind: str, lead: str, trail: str, margin: float, j: int, fid: str,
             t: float) -> dict[str, Any]:
        w = float(self.weights[j])
        flips = not np.isnan(t)
        return {"kind": kind, "leader": lead, "trailer": trail, "margin": margin, "factor": fid,
                "weight": w, "threshold": t if flips else None,
                "direction": ("fall" if t < w else "rise") if flips else "never",
                "statement": self.statement(lead, trail, fid, w, t)}

    def statement(self, lead: str, trail: str, factor: str, weight: float, t: float) -> str:
        """The finding in words."""
        name = next(f.name or f.id for f in self.model.factors if f.id == factor)
        if np.isnan(t):
            return f"no weight of {name} in [0, inf) puts {trail} above {lead}"
        if np.isclose(t, weight):
            return f"{lead} and {trail} are tied at the current weight of {name} ({weight:g})"
        verb = "fall" if t < weight else "rise"
        beyond = (f"beyond it, {trail} comes first" if t > 0 else
                  f"{trail} never comes first: a weight stops at 0")
        return f"the weight of {name} would have to {verb} from {weight:g} to {t:.4g} for {trail} " \
               f"to come level with {lead} ({beyond})"

    def nearest_category_flip(self, higher: str, lower: str) -> dict[str, Any] | None:
        """The single-weight change closest to the current weight that flips 'higher > lower'."""
        rows = [r for r in self.category_rows() if {r["leader"], r["trailer"]} == {higher, lower}]
        return _nearest(rows)

    def nearest_pair_flip(self, a: str, b: str) -> dict[str, Any] | None:
        """The single-weight change closest to the current weight that swaps areas a and b."""
        rows = [r for r in self.pair_rows() if {r["leader"], r["trailer"]} == {a, b}]
        return _nearest(rows)

    def to_frame(self) -> pd.DataFrame:
        """Category rows, then area-pair rows (only pairs some weight can flip)."""
        import pandas as pd

        return pd.DataFrame(self.category_rows() + self.pair_rows())

    def to_dict(self) -> dict[str, Any]:
        """Plain data: weights, category rows, area-pair rows."""
        return {"model": self.model.id,
                "weights": dict(zip(self.model.factor_ids, map(float, self.weights))),
                "categories": self.category_rows(), "pairs": self.pair_rows()}


def _nearest(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    flips = [r for r in rows if r["threshold"] is not None]
    return min(flips, key=lambda r: abs(r["threshold"] - r["weight"])) if flips else None
