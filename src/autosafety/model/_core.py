"""Pure scoring functions on arrays: orientation, rater pooling, weighted scores, ranks, categories.

Shapes: ``A`` areas, ``F`` factors, ``K`` raters, ``G`` rater sources (groups). Leading batch
dimensions (e.g. Monte Carlo draws) are allowed wherever an argument is documented as ``(..., X)``.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Pooling = Literal["mean", "median"]

TIE_DECIMALS = 9
"""Scores equal to this many decimals count as tied."""


def orient(values: Array, *, low: Array, high: Array, lower_is_better: NDArray[np.bool_],
           out_low: float, out_high: float) -> Array:
    """Map raw ratings (..., F) from each factor's scale onto the output scale, higher = amenable."""
    frac = (values - low) / (high - low)
    frac = np.where(lower_is_better, 1.0 - frac, frac)
    return out_low + frac * (out_high - out_low)


def source_weights(present: NDArray[np.bool_], rater_weight: Array, rater_source: NDArray[np.intp],
                   source_weight: Array) -> Array:
    """Effective weight of each rater per cell (A, F, K), renormalised over the raters present.

    A rater's weight counts within its source (group); each source present in a cell gets its
    source weight, shared among its present raters in proportion to their weights.
    """
    n_sources = source_weight.shape[0]
    w = np.where(present, rater_weight, 0.0)
    one_hot = np.eye(n_sources)[rater_source]  # (K, G)
    within = w @ one_hot  # (A, F, G): sum of present rater weights per source
    share = np.divide(w, within[..., rater_source], out=np.zeros_like(w),
                      where=within[..., rater_source] > 0)
    eff = share * source_weight[rater_source]
    total = eff.sum(axis=-1, keepdims=True)
    return np.divide(eff, total, out=np.zeros_like(eff), where=total > 0)


def pool(ratings: Array, weights: Array, *, method: Pooling = "mean") -> Array:
    """Pool ratings (A, F, K) with effective weights (A, F, K) into one rating per cell (A, F)."""
    r = np.nan_to_num(ratings, nan=0.0)
    if method == "mean":
        return np.einsum("afk,afk->af", r, weights)
    if method == "median":
        # Weighted median per cell: sort the ratings (raters with weight 0 last, as +inf), add up
        # their weights in that order, and take the first rating where the sum reaches 1/2.
        big = np.where(weights > 0, r, np.inf)
        order = np.argsort(big, axis=-1, kind="stable")
        w_sorted = np.take_along_axis(weights, order, axis=-1)
        r_sorted = np.take_along_axis(r, order, axis=-1)
        cum = np.cumsum(w_sorted, axis=-1)
        idx = (cum < 0.5 - 1e-12).sum(axis=-1, keepdims=True)
        idx = np.minimum(idx, r.shape[-1] - 1)
        lower = np.take_along_axis(r_sorted, idx, axis=-1)[..., 0]
        # An exact 50% split takes the midpoint of the two middle values.
        at_half = np.isclose(np.take_along_axis(cum, idx, axis=-1)[..., 0], 0.5)
        nxt = np.take_along_axis(r_sorted, np.minimum(idx + 1, r.shape[-1] - 1), axis=-1)[..., 0]
        return np.where(at_half, (lower + nxt) / 2, lower)
    raise ValueError(f"unknown pooling method {method!r}; use 'mean' or 'median'")


SAFE_WEIGHTS = (1e-100, 1e100)
"""Weights whose largest lies outside this range are divided by the largest before any arithmetic
(scores depend only on the ratios of weights; 1e308 would otherwise overflow to infinity)."""


def rescaled(weights: Array) -> Array:
    """Weights (..., F) with the same ratios, divided by their largest when it is so large (or so
    small) that sums and products of weights could overflow (or underflow)."""
    w = np.asarray(weights, dtype=float)
    top = w.max(axis=-1, keepdims=True) if w.size else w
    if w.size and ((top > SAFE_WEIGHTS[1]).any() or ((top > 0) & (top < SAFE_WEIGHTS[0])).any()):
        return np.divide(w, top, out=np.zeros_like(w), where=top > 0)
    return w


def normalised(weights: Array) -> Array:
    """Weights (..., F) divided by their sum, safely for huge or tiny weights (see rescaled)."""
    w = rescaled(weights)
    return w / w.sum(axis=-1, keepdims=True)


def weighted_scores(pooled: Array, weights: Array) -> Array:
    """Normalised weighted mean per area: sum_f w_f r_af / sum_f w_f; pooled (..., A, F), w (..., F).

    Weights are normalised first (after dividing huge or tiny ones by the largest), so the result
    depends only on their ratios and never overflows."""
    w = np.asarray(weights, dtype=float)
    if w.ndim == 1:  # one weight vector: a plain sum and a matrix product, the fewest numpy calls
        values = w.tolist()
        top = max(values, default=0.0)
        if top > SAFE_WEIGHTS[1] or 0 < top < SAFE_WEIGHTS[0]:
            w = w / top
            values = w.tolist()
        return np.asarray(pooled, dtype=float) @ (w / sum(values))
    w = normalised(w)  # normalise first: tiny weights keep their precision
    return np.einsum("...af,...f->...a", pooled, w)


def ranks(scores: Array) -> NDArray[np.int64]:
    """Competition ranks (1 = most amenable; ties share the best rank), scores (..., A)."""
    s = np.asarray(scores)
    if s.ndim == 1 and np.isfinite(s).all():
        return np.array(standing(s.tolist())[1], dtype=np.int64)
    return _beats(s)[1]


def standing(scores: list[float]) -> tuple[list[int], list[int]]:
    """(order, ranks) of one vector of finite scores, in plain Python: area indices from most to
    least amenable (tied areas in index order) and :func:`ranks`. A sort, O(A log A), several
    times faster than numpy for the few areas of one model; rounds exactly as ``np.round``."""
    scale = 10.0**TIE_DECIMALS
    keys = [round(x * scale) / scale for x in scores]
    order = sorted(range(len(keys)), key=keys.__getitem__, reverse=True)  # stable: ties keep order
    ranks = [0] * len(keys)
    previous, rank = math.nan, 0
    for position, i in enumerate(order, start=1):
        if keys[i] != previous:
            previous, rank = keys[i], position
        ranks[i] = rank
    return order, ranks


def ranks_and_wins(scores: Array) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """:func:`ranks` and wins (A, A): [a, b] = how many score vectors of the batch rank a above b.

    One comparison pass serves both; scores tied to ``TIE_DECIMALS`` are not wins.
    """
    beats, rk = _beats(scores)
    a, n = beats.shape[0], beats.shape[-1]
    # a narrow accumulator is several times faster than summing bools into int64
    wins = np.add.reduce(beats.reshape(a * a, n), axis=1, dtype=np.min_scalar_type(n))
    return rk, wins.astype(np.int64).reshape(a, a)


def _beats(scores: Array) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """(A, A, N) [b, a, i]: area b scores above area a in vector i of the batch; and the ranks."""
    s = np.round(scores, TIE_DECIMALS)
    a = s.shape[-1]
    # areas as rows, so every comparison runs along the contiguous batch axis
    by_area = np.ascontiguousarray(s.reshape(math.prod(s.shape[:-1]), a).T)
    beats = by_area[:, None, :] > by_area[None, :, :]
    rk = np.add.reduce(beats, axis=0, dtype=np.min_scalar_type(a)).astype(np.int64)
    rk += 1
    return beats, rk.T.reshape(s.shape)


def category_mean_list(scores: list[float], members: list[list[int]]) -> list[float]:
    """:func:`category_means` of one score vector in plain Python; ``members`` lists the area
    indices of each category."""
    return [sum(scores[i] for i in areas) / len(areas) for areas in members]


def category_means(scores: Array, category_index: NDArray[np.intp], n_categories: int) -> Array:
    """Mean score of the areas in each category; scores (..., A) -> (..., C)."""
    one_hot = np.eye(n_categories)[category_index]  # (A, C)
    return (scores @ one_hot) / one_hot.sum(axis=0)
