"""Pure scoring functions on arrays: orientation, rater pooling, weighted scores, ranks, categories.

Shapes: ``A`` areas, ``F`` factors, ``K`` raters, ``G`` rater sources (groups). Leading batch
dimensions (e.g. Monte Carlo draws) are allowed wherever an argument is documented as ``(..., X)``.
"""

from __future__ import annotations

import math
import operator
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Pooling = Literal["mean", "median"]

TIE_DECIMALS = 9
"""Scores equal to this many decimals count as tied."""
PLAIN_MAX_CELLS = 4096
"""One model of at most this many areas x factors is scored in plain Python floats."""


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


def weighted_scores(pooled: Array, weights: Array) -> Array:
    """Normalised weighted mean per area: sum_f w_f r_af / sum_f w_f; pooled (..., A, F), w (..., F)."""
    w = np.asarray(weights, dtype=float)
    r = np.asarray(pooled, dtype=float)
    if w.ndim == 1 and r.ndim == 2 and r.size <= PLAIN_MAX_CELLS:
        return np.array(score_list(r.tolist(), w.tolist()))
    w = w / w.sum(axis=-1, keepdims=True)  # normalise first: tiny weights keep their precision
    return np.einsum("...af,...f->...a", r, w)


def score_list(pooled: list[list[float]], weights: list[float]) -> list[float]:
    """:func:`weighted_scores` of one (A, F) model in plain Python floats (equal to numpy's within
    rounding): for a few thousand cells, faster than numpy's per-call overhead."""
    total = sum(weights)
    if not total:  # as numpy: 0 / 0
        return [math.nan] * len(pooled)
    w = [x / total for x in weights]
    return [sum(map(operator.mul, row, w)) for row in pooled]


def ranks(scores: Array) -> NDArray[np.int64]:
    """Competition ranks (1 = most amenable; ties share the best rank), scores (..., A)."""
    s = np.asarray(scores)
    if s.ndim == 1 and np.isfinite(s).all():
        return np.array(rank_list(s.tolist()), dtype=np.int64)
    return _beats(s)[1]


def rank_list(scores: list[float]) -> list[int]:
    """:func:`ranks` of one vector of finite scores, in plain Python: a sort, O(A log A), several
    times faster than numpy for the few areas of one model; rounds exactly as ``np.round``."""
    scale = 10.0**TIE_DECIMALS
    keys = [round(x * scale) / scale for x in scores]
    best_first = sorted(keys, reverse=True)
    # worst to best, so a tied score keeps its best position
    first = dict(zip(reversed(best_first), range(len(keys), 0, -1)))
    return list(map(first.__getitem__, keys))


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
