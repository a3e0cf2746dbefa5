"""Pure vectorised sampling: rating noise, simplex weights, rater resampling, one chunk of draws.

Every function takes a numpy ``Generator`` and returns arrays over all draws of a chunk at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model import _core
from ._plan import Plan
from ._simplex import ranged_weights

Array = NDArray[np.float64]

REJECTION_ROUNDS = 8
"""Rounds of redrawing out-of-scale values before the exact inverse-CDF fallback."""
BLOCK_ELEMENTS = 1 << 17
"""Draws processed per pass while generating rating noise (1 MiB of float64: about an L2 cache)."""
HIST_BINS = 4096
"""Bins of the score and gap histograms that medians, intervals and plots are read from."""


def two_piece_normal(rng: np.random.Generator, center: Array, sd_low: Array, sd_high: Array, *,
                     lower: float, upper: float, size: int) -> Array:
    """(size, R) draws with median ``center``; below it a half-normal of sd ``sd_low``, above it one
    of ``sd_high`` (each half holds half the mass), truncated to [lower, upper] exactly.

    The result is a view of an (R, size) C-ordered array: each rating's draws are contiguous, so
    every pass below runs along one rating with scalar parameters, a block of ratings at a time
    while it is still in cache.
    """
    n_ratings = center.shape[0]
    z = np.empty((n_ratings, size))
    # A median on a bound leaves exactly the inner half-normal: fold instead of rejecting half
    # (unless the outer half has sd 0: then it is a point mass on the bound, which stays).
    at_low = (center <= lower) & (sd_low > 0)
    at_high = (center >= upper) & (sd_high > 0)
    fold = np.flatnonzero(at_low | at_high)
    symmetric = np.array_equal(sd_low, sd_high)
    # folded values are >= 0; on the upper bound they go down by the inner (lower) half's sd
    up = np.where(at_high, -sd_low, sd_high)[:, None]
    down, mid = sd_low[:, None], center[:, None]
    out = np.empty((n_ratings, size), dtype=bool)  # out of the scale, to redraw
    rows = max(1, BLOCK_ELEMENTS // max(size, 1))
    clipped = np.empty((min(rows, n_ratings), size))
    for r0 in range(0, n_ratings, rows):
        r1 = min(n_ratings, r0 + rows)
        block = z[r0:r1]
        rng.standard_normal(out=block)
        for r in fold[(fold >= r0) & (fold < r1)]:
            np.absolute(z[r], out=z[r])
        block *= up[r0:r1] if symmetric else np.where(block < 0, down[r0:r1], up[r0:r1])
        block += mid[r0:r1]
        c = clipped[:r1 - r0]
        np.clip(block, lower, upper, out=c)  # one pass fewer than two comparisons
        np.not_equal(c, block, out=out[r0:r1])
    flat = z.reshape(-1)
    bad = np.flatnonzero(out)
    col = bad // max(size, 1)
    c, sl, sh = center[col], sd_low[col], sd_high[col]
    for _ in range(REJECTION_ROUNDS):
        if bad.size == 0:
            return z.T
        e = rng.standard_normal(bad.size)
        x = e * sl if symmetric else e * np.where(e < 0, sl, sh)
        x += c
        flat[bad] = x
        again = np.flatnonzero(np.clip(x, lower, upper) != x)
        bad, c, sl, sh = bad[again], c[again], sl[again], sh[again]
    if bad.size:  # far tails: invert the truncated CDF, F(x) = Phi((x - c) / sd(x))
        from scipy.special import ndtr, ndtri

        tiny = np.finfo(float).tiny  # a zero half-sd is a point mass of 1/2 at the median
        f_lo = np.where(sl > 0, ndtr((lower - c) / np.maximum(sl, tiny)), 0.0)
        f_hi = np.where(sh > 0, ndtr((upper - c) / np.maximum(sh, tiny)), 1.0)
        u = f_lo + rng.random(bad.size) * (f_hi - f_lo)
        flat[bad] = np.clip(c + np.where(u < 0.5, sl, sh) * ndtri(u), lower, upper)
    return z.T


def dirichlet(rng: np.random.Generator, alpha: Array, size: int | None = None) -> Array:
    """Dirichlet draws as normalised gammas; ``alpha`` (..., F) with zeros giving zero weights."""
    if size is not None and alpha.ndim == 1:  # one scalar-shape call per factor is faster
        g = np.empty((alpha.shape[0], size))  # (F, size): each factor's gammas contiguous
        for j, a in enumerate(alpha):
            if a > 0:
                rng.standard_gamma(a, out=g[j])
            else:
                g[j] = 0.0
        g /= g.sum(axis=0)
        return g.T
    g = rng.standard_gamma(alpha if size is None else np.broadcast_to(alpha, (size, *alpha.shape)))
    g /= g.sum(axis=-1, keepdims=True)
    return g


def resampled_rater_weights(rng: np.random.Generator, plan: Plan, size: int) -> Array:
    """(size, R) rating weights after resampling raters with replacement within each source."""
    assert plan.resample is not None
    present, within, source, source_weight, idx = plan.resample
    counts = np.zeros((size, within.shape[0]))
    for g in range(source_weight.shape[0]):
        members = np.flatnonzero(source == g)
        total = within[members].sum()
        if total <= 0:      # its raters all weigh 0: plain pooling leaves the source out, so here
            continue        # too (no rater drawn)
        counts[:, members] = rng.multinomial(members.size, within[members] / total, size=size)
    eff = _core.source_weights(present, counts[:, None, None, :], source, source_weight)
    a, f, k = idx
    w = eff[:, a, f, k]
    empty = np.add.reduceat(w, plan.cell_starts, axis=1) == 0  # no chosen rater rated the cell
    if empty.any():
        w = np.where(np.repeat(empty, np.diff(np.r_[plan.cell_starts, w.shape[1]]), axis=1),
                     plan.rater_weight, w)
    return w


def draw_weights(rng: np.random.Generator, plan: Plan, scenario: NDArray[np.intp] | None,
                 size: int) -> Array:
    """(size, F) weights on the simplex: point, uniform on what per-weight ranges allow (see
    :mod:`._simplex`), or Dirichlet(concentration x point weights)."""
    base = plan.scenario_weights[scenario] if scenario is not None else plan.scenario_weights[0]
    if plan.weight_ranges is not None:
        if scenario is None:
            return ranged_weights(rng, plan.weight_ranges[0], size)
        w = np.empty((size, plan.n_factors))
        for s, r in enumerate(plan.weight_ranges):  # each scenario's draws from its own ranges
            rows = np.flatnonzero(scenario == s)
            w[rows] = ranged_weights(rng, r, rows.size)
        return w
    if plan.concentration is not None:
        if scenario is None:
            return dirichlet(rng, plan.concentration * base, size)
        return dirichlet(rng, plan.concentration * base)
    return np.broadcast_to(base, (size, plan.n_factors))


def draw_pooled(rng: np.random.Generator, plan: Plan, scenario: NDArray[np.intp] | None,
                size: int) -> Array:
    """(size, A, F) pooled ratings: noisy raters pooled per cell, then scenario overrides."""
    if plan.noisy or plan.resample is not None:
        x = two_piece_normal(rng, plan.center, plan.sd_low, plan.sd_high, lower=plan.lower,
                             upper=plan.upper, size=size) if plan.noisy else \
            np.broadcast_to(plan.center, (size, plan.center.shape[0]))
        if not plan.one_per_cell:
            w = plan.rater_weight if plan.resample is None else resampled_rater_weights(rng, plan, size)
            x = np.add.reduceat(x * w, plan.cell_starts, axis=1)
        pooled = x
    else:
        pooled = np.broadcast_to(plan.point_pooled, (size, plan.point_pooled.shape[0]))
    if plan.override_mask.any():
        s = scenario if scenario is not None else np.zeros(size, np.intp)
        pooled = np.where(plan.override_mask[s], plan.override_value[s], pooled)
    return pooled.reshape(size, plan.n_areas, plan.n_factors)


@dataclass
class Tally:
    """Sufficient statistics of a set of draws; tallies of chunks add up."""

    n: int
    score_sum: Array
    score_sq: Array
    score_hist: NDArray[np.int64]
    rank_counts: NDArray[np.int64]
    above: NDArray[np.int64]
    cat_above: NDArray[np.int64]
    gap_hist: NDArray[np.int64]
    gap_sum: Array
    gap_sq: Array
    scenario_counts: NDArray[np.int64]

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(getattr(self, k) + getattr(other, k) for k in self.__dataclass_fields__))


def _hist(values: Array, lo: float, hi: float) -> NDArray[np.int64]:
    """Per column histogram of (n, m) values on [lo, hi] -> (m, HIST_BINS)."""
    b = np.subtract(values, lo)
    b *= HIST_BINS / (hi - lo)
    codes = b.astype(np.intp)
    np.clip(codes, 0, HIST_BINS - 1, out=codes)
    codes += np.arange(values.shape[1]) * HIST_BINS
    # the order of the codes does not matter to bincount: read them in memory order
    return np.bincount(codes.ravel(order="K"),
                       minlength=values.shape[1] * HIST_BINS).reshape(-1, HIST_BINS)


def simulate(plan: Plan, rng: np.random.Generator, size: int) -> Tally:
    """Draw ``size`` worlds at once and tally scores, ranks and category comparisons."""
    S = plan.scenario_probs.shape[0]
    scenario = rng.choice(S, size=size, p=plan.scenario_probs) if S > 1 else None
    pooled = draw_pooled(rng, plan, scenario, size)
    weights = draw_weights(rng, plan, scenario, size)
    scores = _core.weighted_scores(pooled, weights)  # (n, A)
    rk, above = _core.ranks_and_wins(scores)  # one comparison pass for ranks and pairs
    cats = _core.category_means(scores, plan.category_index, plan.n_categories)
    A, C = plan.n_areas, plan.n_categories
    codes = rk - 1
    codes += np.arange(A) * A
    rank_counts = np.bincount(codes.ravel(order="K"), minlength=A * A).reshape(A, A)
    iu = np.triu_indices(C, 1)
    gaps = cats[:, iu[1]] - cats[:, iu[0]]  # later - earlier, as ScoreResult.gaps
    span = plan.upper - plan.lower
    return Tally(size, scores.sum(0), np.square(scores).sum(0), _hist(scores, plan.lower, plan.upper),
                 rank_counts, above,
                 (cats[:, :, None] > cats[:, None, :]).sum(axis=0), _hist(gaps, -span, span),
                 gaps.sum(0), np.square(gaps).sum(0),
                 np.bincount(scenario, minlength=S) if scenario is not None
                 else np.array([size], dtype=np.int64))
