"""Monte Carlo inputs: scenarios, rating-noise parameters and their validation (the edge).

A :class:`Plan` holds every array the pure sampler needs, so the hot loop never touches the model.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import NDArray

from .._defaults import MAX_DRAWS, RATING_NOISE
from .._errors import InputError, Problem
from ..model import _core
from ._scenario import Scenario
from ._simplex import WeightRanges, ranges_of

if TYPE_CHECKING:
    from ..model import Model

Array = NDArray[np.float64]

PROBABILITY_TOLERANCE = 1e-6
"""Scenario probabilities must sum to 1 within this tolerance."""
DEFAULT_RATING_SD = RATING_NOISE
"""Alias of :data:`RATING_NOISE` (kept for callers of earlier versions)."""


class ScenarioArrays(NamedTuple):
    """The scenarios of a run as arrays (one row per scenario; one row of no overrides if none)."""

    probs: Array
    """(S,) probabilities, summing to 1."""
    weights: Array
    """(S, F) normalised weights of each scenario."""
    override_mask: NDArray[np.bool_]
    """(S, A*F) cells a scenario fixes."""
    override_value: Array
    """(S, A*F) the fixed oriented values."""


class Resampling(NamedTuple):
    """What resampling raters within their sources needs (see :func:`model._core.source_weights`)."""

    present: NDArray[np.bool_]
    """(A, F, K) which raters rated which cells."""
    within: Array
    """(K,) weight of each rater within its source."""
    source: NDArray[np.intp]
    """(K,) source index of each rater."""
    source_weight: Array
    """(G,) weight of each source."""
    rating_index: tuple[NDArray[np.intp], ...]
    """(a, f, k) index arrays of the R ratings."""


@dataclass(frozen=True, kw_only=True)
class Plan:
    """Everything the sampler needs, as arrays. ``R`` ratings, ``S`` scenarios."""

    n_areas: int
    n_factors: int
    center: Array
    """(R,) oriented rating values (the median of each rating's distribution)."""
    sd_low: Array
    """(R,) sd of the lower half of each rating's distribution."""
    sd_high: Array
    """(R,) sd of the upper half."""
    lower: float
    upper: float
    cell_starts: NDArray[np.intp]
    """Start of each (area, factor) cell's ratings in the R axis (every cell has one)."""
    rater_weight: Array
    """(R,) effective weight of each rating in its cell (sums to 1 per cell)."""
    point_pooled: Array
    """(A*F,) pooled ratings without noise."""
    scenario_probs: Array
    """(S,) scenario probabilities."""
    scenario_weights: Array
    """(S, F) weights in each scenario, normalised to sum to 1."""
    override_mask: NDArray[np.bool_]
    """(S, A*F) cells fixed by a scenario."""
    override_value: Array
    """(S, A*F) the fixed oriented values."""
    category_index: NDArray[np.intp]
    n_categories: int
    noisy: bool
    concentration: float | None
    weight_ranges: tuple[WeightRanges, ...] | None = None
    """Per scenario, the per-weight ranges to draw from uniformly on the simplex (None: no ranges);
    a scenario's own weights override the ranges of those factors."""
    resample: Resampling | None = None
    """Rater resampling inputs, or None when raters are not resampled."""

    @property
    def one_per_cell(self) -> bool:
        """True when every cell has exactly one rating of weight 1 (pooling is the identity)."""
        return self.center.shape[0] == self.n_areas * self.n_factors and self.resample is None


def check_settings(*, draws: int, precision: float | None, concentration: float | None,
                   chunk_size: int | None) -> None:
    """Raise one InputError listing every bad Monte Carlo setting."""
    p = []
    if not isinstance(draws, int | np.integer) or draws <= 0 or draws > MAX_DRAWS:
        p.append(Problem("draws", f"must be a whole number between 1 and {MAX_DRAWS:,}, got {draws}",
                         f"use e.g. 10000; at most {MAX_DRAWS:,}"))
    if precision is not None and not 0 < precision < 0.5:
        p.append(Problem("precision", f"must be between 0 and 0.5, got {precision}",
                         "give a standard error to reach, e.g. 0.002"))
    if concentration is not None and not (math.isfinite(concentration) and concentration > 0):
        p.append(Problem("weight concentration", f"must be a number > 0, got {concentration}",
                         "larger means weights stay closer to the point weights, e.g. 50"))
    if chunk_size is not None and chunk_size <= 0:
        p.append(Problem("chunk size", f"must be > 0, got {chunk_size}", "leave it unset"))
    if p:
        raise InputError(p, title="invalid Monte Carlo settings")


def _scenarios(model: Model, scenarios: Sequence[Scenario] | None) -> ScenarioArrays:
    A, F = len(model.area_ids), len(model.factor_ids)
    base = model.pooled().reshape(-1)
    if not scenarios:
        w = _core.normalised(model.weights)
        return ScenarioArrays(np.ones(1), w[None], np.zeros((1, A * F), bool), np.zeros((1, A * F)))
    problems: list[Problem] = []
    probs = np.array([s.probability for s in scenarios], dtype=float)
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        problems.append(Problem("scenarios", "two scenarios share a name", "give each a unique name"))
    if (probs < 0).any() or not math.isclose(probs.sum(), 1.0, abs_tol=PROBABILITY_TOLERANCE):
        problems.append(Problem("scenarios", f"probabilities {probs.tolist()} sum to {probs.sum():g}",
                                "make them non-negative and sum to 1"))
    weights, mask, values = np.zeros((len(scenarios), F)), np.zeros((len(scenarios), A * F), bool), \
        np.zeros((len(scenarios), A * F))
    for i, s in enumerate(scenarios):
        try:
            w = model.override_weights(s.weights)
            weights[i] = _core.normalised(w)
            pooled = model.override_ratings(base.reshape(A, F), s.ratings).reshape(-1)
        except InputError as e:
            problems += [Problem(f"scenario '{s.name}' {p.location}", p.message, p.fix)
                         for p in e.problems]
            continue
        for a, f in s.ratings:
            cell = model.area_ids.index(a) * F + model.factor_ids.index(f)
            mask[i, cell], values[i, cell] = True, pooled[cell]
    if problems:
        raise InputError(problems, title="invalid scenarios")
    return ScenarioArrays(probs / probs.sum(), weights, mask, values)


def interval_sds(center: Array, low: Array, high: Array, credibility: Array) -> tuple[Array, Array]:
    """The two half-sds that put ``credibility`` of the mass in [low, high], half on each side."""
    from scipy.special import ndtri

    z = ndtri((1 + credibility) / 2)
    return (center - low) / z, (high - center) / z


def build_plan(model: Model, *, rating_noise: bool | float = True,
               weight_concentration: float | None = None,
               weight_ranges: Mapping[str, tuple[float, float]] | None = None,
               scenarios: Sequence[Scenario] | None = None,
               resample_raters: bool = False) -> Plan:
    """Turn a model and uncertainty settings into the arrays of a :class:`Plan`."""
    A, F = len(model.area_ids), len(model.factor_ids)
    idx = np.nonzero(model.present)  # C order: sorted by (area, factor, rater)
    center = model.ratings[idx]
    lo, hi = model.spec.scale.min, model.spec.scale.max
    share = RATING_NOISE if rating_noise is True else float(rating_noise or 0.0)
    if not math.isfinite(share) or share < 0:
        raise InputError(Problem("rating noise", f"must be >= 0, got {rating_noise}",
                                 "give the sd as a share of the scale range, e.g. 0.1"))
    sd_low = np.full(center.shape, share * (hi - lo))
    sd_high = sd_low.copy()
    if rating_noise is not False:
        _apply_intervals(model, idx, center, sd_low, sd_high)
    cell = idx[0] * F + idx[1]
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    scen = _scenarios(model, scenarios)
    ranges = None
    if weight_ranges:
        if weight_concentration is not None:
            raise InputError(Problem("weights", "both a concentration and weight ranges given",
                                     "choose Dirichlet draws (concentration) or ranges"))
        ranges = _scenario_ranges(model, *_ranges(model, weight_ranges), scenarios or [])
    resample = None
    if resample_raters and len(model.rater_ids) > 1:
        _, within, source, source_weight = model.sources
        resample = Resampling(model.present, within, source, source_weight, idx)
    return Plan(n_areas=A, n_factors=F, center=center, sd_low=sd_low, sd_high=sd_high, lower=lo,
                upper=hi, cell_starts=starts, rater_weight=model.rater_weights[idx],
                point_pooled=model.pooled().reshape(-1).copy(), scenario_probs=scen.probs,
                scenario_weights=scen.weights, override_mask=scen.override_mask,
                override_value=scen.override_value, category_index=model.category_index,
                n_categories=len(model.categories), noisy=bool(sd_low.any() or sd_high.any()),
                concentration=weight_concentration, weight_ranges=ranges, resample=resample)


def _scenario_ranges(model: Model, low: Array, high: Array,
                     scenarios: Sequence[Scenario]) -> tuple[WeightRanges, ...]:
    """The ranges of each scenario (its own weights fix those factors), ready to sample."""
    worlds: list[tuple[str | None, Mapping[str, float]]] = \
        [(s.name, s.weights) for s in scenarios] or [(None, {})]
    out = []
    for name, given in worlds:
        lo, hi = low.copy(), high.copy()
        for fid, value in given.items():
            lo[model.factor_ids.index(fid)] = hi[model.factor_ids.index(fid)] = value
        try:
            out.append(ranges_of(lo, hi))
        except ValueError as e:
            where = "weight ranges" if name is None else f"weight ranges in scenario '{name}'"
            raise InputError(Problem(where, str(e), "widen the ranges, or give fewer weights a "
                                     "range"), title="invalid weight ranges") from None
    return tuple(out)


def _apply_intervals(model: Model, idx: tuple[NDArray[np.intp], ...], center: Array,
                     sd_low: Array, sd_high: Array) -> None:
    """Ratings with an interval get the two-piece normal that matches it (oriented)."""
    pos = {(a, f, k): i for i, (a, f, k) in enumerate(zip(*(x.tolist() for x in idx)))}
    ai = {x: i for i, x in enumerate(model.area_ids)}
    fi = {x: i for i, x in enumerate(model.factor_ids)}
    ki = {x: i for i, x in enumerate(model.rater_ids)}
    rows, lows, highs, creds = [], [], [], []
    for r in model.spec.ratings:
        if r.low is None or r.high is None or r.credibility is None:
            continue
        rows.append(pos[(ai[r.area], fi[r.factor], ki[r.rater])])
        raw = np.full((2, len(model.factor_ids)), np.nan)
        raw[:, fi[r.factor]] = (r.low, r.high)
        ends = np.sort(model.orient(raw)[:, fi[r.factor]])  # 'lower is better' swaps the ends
        lows.append(ends[0])
        highs.append(ends[1])
        creds.append(r.credibility)
    if rows:
        rr = np.array(rows)
        sd_low[rr], sd_high[rr] = interval_sds(center[rr], np.array(lows), np.array(highs),
                                               np.array(creds))


def _ranges(model: Model, ranges: Mapping[str, tuple[float, float]]) -> tuple[Array, Array]:
    lo, hi = model.weights.copy(), model.weights.copy()
    problems = []
    for fid, (a, b) in ranges.items():
        if fid not in model.factor_ids:
            problems.append(Problem(f"weight range {fid}", f"unknown factor '{fid}'",
                                    f"use one of: {', '.join(model.factor_ids)}"))
        elif not (math.isfinite(a) and math.isfinite(b) and 0 <= a <= b):
            problems.append(Problem(f"weight range {fid}", f"need 0 <= low <= high, got {a}..{b}",
                                    "e.g. 1..3"))
        else:
            j = model.factor_ids.index(fid)
            lo[j], hi[j] = a, b
    if not problems and hi.sum() <= 0:
        problems.append(Problem("weight ranges", "every weight can only be zero",
                                "give some factor a positive range"))
    if problems:
        raise InputError(problems, title="invalid weight ranges")
    return lo, hi
