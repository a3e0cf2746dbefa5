"""Cooke's classical model of structured expert judgement, as EXCALIBUR and ANDURYL compute it.

Pure numpy on arrays of quantile assessments (experts x items x quantiles):

- **calibration**: the chi-square survival of ``2 N I(s, p)`` with (bins - 1) degrees of freedom, where
  ``s`` is the share of an expert's seed realizations in each inter-quantile bin, ``p`` the bin's
  probability, and ``N`` the smallest number of seed items any expert answered; a realization equal
  to a quantile falls in the bin below it;
- **information**: relative to a uniform (log-uniform for ``log`` items) background on the union of
  all experts' quantiles and the realization, widened by the overshoot (10%) on each side; the
  expert's average over the items they answered;
- **weights**: calibration x seed information x [calibration >= alpha] (global), or per item with
  the item's information (item), or equal; the decision maker is the weighted mixture of the
  experts' piecewise-linear distributions, and alpha (when not given) maximises its own
  calibration x seed information.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from .._errors import InputError, Problem

Weighting = Literal["global", "item", "equal"]
"""How experts are weighted: Cooke's global or item weights, or equal weights (linear pool)."""
WEIGHTINGS: tuple[str, ...] = ("global", "item", "equal")
OVERSHOOT = 0.1
"""Default widening of each item's range, as a share of it, on each side (EXCALIBUR's 10%)."""
Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class ExpertJudgements:
    """Experts' quantile assessments of items, some with a known realization (seed items).

    Build it with :func:`expert_judgements`, which checks every value.
    """

    experts: tuple[str, ...]
    """Expert ids, in order."""
    items: tuple[str, ...]
    """Item ids, in order."""
    quantiles: Array
    """The assessed quantile levels, strictly increasing in (0, 1), e.g. ``[0.05, 0.5, 0.95]``."""
    values: Array
    """Assessments, shape (experts, items, quantiles); NaN where an expert did not answer an item."""
    realizations: Array
    """True value per item; NaN for target items (no known answer)."""
    scales: tuple[str, ...]
    """Background per item: ``"uni"`` (uniform) or ``"log"`` (log-uniform)."""

    @property
    def seed(self) -> NDArray[np.bool_]:
        """Which items are seed (calibration) items."""
        return ~np.isnan(self.realizations)

    @property
    def answered(self) -> NDArray[np.bool_]:
        """(experts, items): which items each expert answered."""
        answered: NDArray[np.bool_] = np.asarray(np.isfinite(self.values).all(axis=2), dtype=bool)
        return answered


def expert_judgements(experts: list[str] | tuple[str, ...], items: list[str] | tuple[str, ...],
                      quantiles: Any, values: Any, realizations: Any,
                      scales: list[str] | tuple[str, ...] | None = None, *,
                      locate: Any = None, require_seed: bool = True) -> ExpertJudgements:
    """Check and freeze assessments; every problem is reported at once (InputError).

    ``values`` has shape (experts, items, quantiles), NaN for an unanswered item (all its quantiles);
    ``realizations`` NaN for target items; ``scales`` default ``uni``. ``locate(expert, item)``
    (optional) names where an assessment came from (e.g. a file line) in the messages.
    ``require_seed=False`` accepts a case without answered seed items (for the equal-weight
    pool, which needs none; Cooke's weights refuse it).
    """
    q = np.asarray(quantiles, dtype=float)
    v = np.array(values, dtype=float)
    r = np.array(realizations, dtype=float)
    sc = tuple(s.lower() for s in (scales if scales is not None else ["uni"] * len(items)))

    def where(e: int, i: int) -> str:
        return str(locate(e, i)) if locate else f"expert {experts[e]}, item {items[i]}"

    problems: list[Problem] = []
    if q.ndim != 1 or q.size == 0 or not np.all((q > 0) & (q < 1)) or np.any(np.diff(q) <= 0):
        problems.append(Problem("quantiles", f"{q.tolist()} are not increasing levels in (0, 1)",
                                "give e.g. 5 50 95"))
    if v.shape != (len(experts), len(items), q.size):
        problems.append(Problem("values", f"shape {v.shape}, expected "
                                f"{(len(experts), len(items), q.size)}"))
    if r.shape != (len(items),) or len(sc) != len(items):
        problems.append(Problem("realizations", "need one realization and one scale per item"))
    if problems:
        raise InputError(problems, title="invalid expert judgements")
    for s_i, s in enumerate(sc):
        if s not in ("uni", "log"):
            problems.append(Problem(f"item {items[s_i]}", f"scale '{s}' is neither UNI nor LOG",
                                    "use UNI or LOG"))
    if len(set(experts)) != len(experts):
        problems.append(Problem("experts", "expert ids repeat", "give each expert its own id"))
    if len(set(items)) != len(items):
        problems.append(Problem("items", "item ids repeat", "give each item its own id"))
    finite = np.isfinite(v)
    partial = finite.any(axis=2) & ~finite.all(axis=2)
    for e, i in zip(*np.nonzero(partial)):
        problems.append(Problem(where(e, i), "some quantiles are missing",
                                "give all quantiles or mark the whole item as missing"))
    full = finite.all(axis=2)
    bad_order = full & np.any(np.diff(np.where(finite, v, 0.0), axis=2) <= 0, axis=2)
    for e, i in zip(*np.nonzero(bad_order)):
        problems.append(Problem(where(e, i), f"quantiles {v[e, i].tolist()} are not strictly increasing",
                                "each quantile must be above the previous one"))
    log = np.array([s == "log" for s in sc], dtype=bool)
    nonpos = full & log[None, :] & np.any(np.where(finite, v, 1.0) <= 0, axis=2)
    for e, i in zip(*np.nonzero(nonpos)):
        problems.append(Problem(where(e, i), "a LOG item needs positive quantiles",
                                "use a UNI background or positive values"))
    for i in np.nonzero(log & np.isfinite(r) & (r <= 0))[0]:
        problems.append(Problem(f"item {items[i]}", f"realization {r[i]:g} of a LOG item is not positive",
                                "use a UNI background"))
    for i in np.nonzero(~full.any(axis=0))[0]:
        problems.append(Problem(f"item {items[i]}", "no expert answered it", "drop the item"))
    seed = np.isfinite(r)
    if not require_seed:
        pass
    elif not seed.any():
        problems.append(Problem("realizations", "no seed item (every realization is missing)",
                                "give the realizations of the calibration items"))
    elif not (full[:, seed]).any():
        problems.append(Problem("realizations", "no expert answered a seed item",
                                "calibration needs answered seed items"))
    if problems:
        raise InputError(problems, title="invalid expert judgements")
    v[~full] = np.nan
    r[~seed] = np.nan
    return ExpertJudgements(tuple(experts), tuple(items), q, v, r, sc)


@dataclass(frozen=True, eq=False)
class CookeResult:
    """Scores of every expert and of the decision maker (DM); keeps what produced it."""

    judgements: ExpertJudgements
    """The assessments scored."""
    weighting: str
    """'global', 'item' or 'equal'."""
    overshoot: float
    """Widening of each item's range on each side."""
    calibration: Array
    """Per expert; NaN for an expert who answered no seed item."""
    information: Array
    """Per expert: mean information over the seed items they answered."""
    information_all: Array
    """Per expert: mean information over all items they answered."""
    seeds_answered: NDArray[np.int_]
    """Per expert: seed items answered."""
    weights: Array
    """Per expert, normalised to sum 1: calibration x seed information x [calibration >= alpha]
    (global and item), or equal."""
    item_weights: Array
    """(experts, items): the normalised weight of each expert in the DM on each item."""
    alpha: float
    """The calibration cutoff used (optimised unless given)."""
    alpha_optimised: bool
    """Whether ``alpha`` was chosen to maximise the DM's score."""
    dm_calibration: float
    dm_information: float
    """DM's mean information over seed items."""
    dm_information_all: float
    """DM's mean information over all items."""
    dm_quantiles: Array
    """(items, quantiles): the DM's quantiles, on the items' own scale."""
    lower: Array = field(repr=False)
    """Per item: the lower end of the background range (log scale for LOG items)."""
    upper: Array = field(repr=False)
    """Per item: the upper end of the background range (log scale for LOG items)."""
    n_min: int = 0
    """Smallest number of seed items an expert answered (the N of the calibration statistic)."""

    @property
    def dm_score(self) -> float:
        """The DM's unnormalised weight as a virtual expert: calibration x seed information x
        [calibration >= alpha]; the optimised alpha maximises it."""
        passed = self.dm_calibration >= self.alpha
        return self.dm_calibration * self.dm_information if passed else 0.0

    @property
    def scores(self) -> Array:
        """Per expert, unnormalised: calibration x seed information (no cutoff)."""
        return self.calibration * self.information

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (NaN as None)."""
        j = self.judgements

        def num(x: float) -> float | None:
            return None if not math.isfinite(float(x)) else float(x)

        return {
            "weighting": self.weighting, "overshoot": self.overshoot, "alpha": num(self.alpha),
            "alpha_optimised": self.alpha_optimised, "n_min": self.n_min,
            "quantiles": j.quantiles.tolist(),
            "experts": [{"id": ex, "calibration": num(self.calibration[e]),
                         "information": num(self.information[e]),
                         "information_all": num(self.information_all[e]),
                         "seeds_answered": int(self.seeds_answered[e]),
                         "score": num(self.scores[e]), "weight": num(self.weights[e])}
                        for e, ex in enumerate(j.experts)],
            "decision_maker": {
                "calibration": num(self.dm_calibration), "information": num(self.dm_information),
                "information_all": num(self.dm_information_all), "score": num(self.dm_score),
                "items": [{"id": it, "scale": j.scales[i],
                           "realization": num(j.realizations[i]),
                           "quantiles": [num(x) for x in self.dm_quantiles[i]]}
                          for i, it in enumerate(j.items)]},
        }


def chi2_sf(x: Any, df: int) -> Array:
    """Survival function of the chi-square distribution with integer ``df``, in closed form
    (a Poisson sum for even ``df``; erfc plus a half-integer sum for odd ``df``)."""
    xs = np.asarray(x, dtype=float)
    h = np.maximum(xs, 0.0) / 2.0
    with np.errstate(divide="ignore"):
        logh = np.log(h)
    total = np.zeros_like(h)
    if df % 2 == 0:
        js = range(df // 2)
        offset = 0.0
    else:
        erfc = np.vectorize(math.erfc, otypes=[float])
        total = erfc(np.sqrt(h))
        js = range((df - 1) // 2)
        offset = 0.5
    for j in js:
        a = j + offset
        term = np.exp(-h + a * logh - math.lgamma(a + 1)) if a > 0 else np.exp(-h)
        total = total + term
    result: Array = np.minimum(total, 1.0)
    return result


def bin_probabilities(quantiles: Array) -> Array:
    """Probability of each inter-quantile bin: ``diff([0, q..., 1])``."""
    return np.diff(np.concatenate([[0.0], quantiles, [1.0]]))


def bin_counts(values: Array, realizations: Array) -> NDArray[np.int_]:
    """(..., bins): how many seed realizations fall in each inter-quantile bin of each assessor.

    ``values`` (..., items, quantiles), NaN = unanswered; a realization equal to a quantile counts
    in the bin below it. Only seed items (finite realization) that were answered count.
    """
    seed = np.isfinite(realizations)
    vs = values[..., seed, :]
    rs = realizations[seed]
    answered: NDArray[np.bool_] = np.asarray(np.isfinite(vs).all(axis=-1), dtype=bool)
    k = (vs < rs[:, None]).sum(axis=-1)
    nbins = values.shape[-1] + 1
    counts = (k[..., None] == np.arange(nbins)) & answered[..., None]
    return counts.sum(axis=-2)


def calibration_scores(counts: NDArray[np.int_], quantiles: Array, n_min: int) -> Array:
    """Cooke's calibration from bin counts (..., bins): chi-square survival of 2 N I(s, p)."""
    p = bin_probabilities(quantiles)
    n = counts.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = counts / n
        terms = np.where(s > 0, s * np.log(s / p), 0.0)
    stat = 2.0 * n_min * terms.sum(axis=-1)
    cal = chi2_sf(stat, len(p) - 1)
    return np.where(n[..., 0] > 0, cal, np.nan)


def background_ranges(values: Array, realizations: Array, log: NDArray[np.bool_],
                      overshoot: float) -> tuple[Array, Array]:
    """Per item, the background range: all quantiles and the realization (on the log scale for LOG
    items), widened by ``overshoot`` of its length on each side. ``values`` is (experts, items, Q)."""
    v = np.where(log[None, :, None], np.log(np.where(log[None, :, None], values, 1.0)), values)
    r = np.where(log, np.log(np.where(log, realizations, 1.0)), realizations)
    lo = np.fmin(np.nanmin(v, axis=(0, 2)), r)
    hi = np.fmax(np.nanmax(v, axis=(0, 2)), r)
    span = hi - lo
    return lo - overshoot * span, hi + overshoot * span


def information_scores(values_bg: Array, lower: Array, upper: Array, quantiles: Array) -> Array:
    """(..., items): relative information of each assessment with respect to the uniform background
    on [lower, upper]; ``values_bg`` (..., items, quantiles) already on the background scale
    (log for LOG items). NaN where unanswered."""
    p = bin_probabilities(quantiles)
    shape = (*values_bg.shape[:-1], 1)
    edges = np.concatenate([np.broadcast_to(lower[:, None], shape), values_bg,
                            np.broadcast_to(upper[:, None], shape)], axis=-1)
    widths = np.diff(edges, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        info: Array = np.log(upper - lower) + np.sum(p * np.log(p / widths), axis=-1)
    return info


def _to_background(values: Array, log: NDArray[np.bool_]) -> Array:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(log[:, None], np.log(np.where(log[:, None], values, 1.0)), values)


def _weighted_cdf_sums(x: Array, edges: Array, probs: Array, weights: Array) -> Array:
    """(experts, points): prefix sums over experts of ``weights[e]`` x expert e's piecewise-linear
    CDF (through ``probs`` at ``edges[e]``) at the sorted points ``x``."""
    out = np.empty((edges.shape[0], x.size))
    for e in range(edges.shape[0]):  # one C call per expert; everything else is whole-array
        out[e] = np.interp(x, edges[e], probs)
    out *= weights[:, None]
    np.cumsum(out, axis=0, out=out)
    return out


def decision_makers(values_bg: Array, lower: Array, upper: Array, quantiles: Array, base: Array,
                    key: Array, alphas: Array) -> Array:
    """(alphas, items, quantiles): the DM's quantiles (background scale) for each cutoff.

    The DM for cutoff ``a`` mixes the answering experts' CDFs with weights ``base[e, i]`` over the
    experts with ``key[e] >= a`` (renormalised per item); its quantiles are read from the mixture
    by linear interpolation on the union of all answers. Experts are sorted by ``key`` once, so
    every cutoff's mixture is a prefix sum (no loop over cutoffs).
    """
    _n_exp, n_items, n_q = values_bg.shape
    probs = np.concatenate([[0.0], quantiles, [1.0]])
    out = np.full((len(alphas), n_items, n_q), np.nan)
    answered: NDArray[np.bool_] = np.asarray(np.isfinite(values_bg).all(axis=2), dtype=bool)
    for i in range(n_items):
        ans = np.nonzero(answered[:, i])[0]
        ans = ans[np.argsort(-key[ans], kind="stable")]
        vals = values_bg[ans, i, :]
        x = np.unique(np.concatenate([[lower[i]], vals.ravel(), [upper[i]]]))
        edges = np.concatenate([np.full((ans.size, 1), lower[i]), vals,
                                np.full((ans.size, 1), upper[i])], axis=1)
        w = base[ans, i]
        csum = _weighted_cdf_sums(x, edges, probs, w)
        wsum = np.cumsum(w)
        n_in = (key[ans][None, :] >= np.asarray(alphas)[:, None]).sum(axis=1)
        ok = n_in > 0
        take = np.maximum(n_in - 1, 0)
        total = wsum[take]
        ok &= total > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            mix = csum[take] / total[:, None]
        for a in np.nonzero(ok)[0]:
            out[a, i] = np.interp(quantiles, mix[a], x)
    return out


def cooke(judgements: ExpertJudgements, *, weighting: str = "global", alpha: float | None = None,
          overshoot: float = OVERSHOOT) -> CookeResult:
    """Score experts and build the decision maker by Cooke's classical model.

    ``alpha=None`` optimises the calibration cutoff (over the experts' calibration scores) for the
    DM's calibration x seed information; ``weighting='equal'`` is the equal-weight linear pool.
    """
    if weighting not in WEIGHTINGS:
        raise InputError(Problem("--weights", f"'{weighting}' is not one of {', '.join(WEIGHTINGS)}",
                                 "choose global, item or equal"))
    if not (overshoot > 0 and math.isfinite(overshoot)):
        raise InputError(Problem("--overshoot", f"{overshoot} is not a positive number",
                                 "use e.g. 0.1"))
    j = judgements
    q = j.quantiles
    log = np.array([s == "log" for s in j.scales], dtype=bool)
    seed = j.seed
    answered = j.answered
    lower, upper = background_ranges(j.values, j.realizations, log, overshoot)
    v_bg = _to_background(j.values, log)
    info = information_scores(v_bg, lower, upper, q)
    counts = bin_counts(j.values, j.realizations)
    n_seed = counts.sum(axis=1)
    has_seed = n_seed > 0
    if not has_seed.any() and weighting != "equal":
        raise InputError(Problem("realizations", "no expert answered a seed item",
                                 f"{weighting} weights need answered seed items; equal weights do not"))
    n_min = int(n_seed[has_seed].min()) if has_seed.any() else 0
    cal = calibration_scores(counts, q, n_min)
    with np.errstate(invalid="ignore"):
        info_seed = _nanmean(np.where(answered[:, seed], info[:, seed], np.nan))
        info_all = _nanmean(np.where(answered, info, np.nan))
    cal_key = np.where(has_seed, cal, -np.inf)
    if weighting == "equal":
        base = answered.astype(float)
        key = np.zeros(len(j.experts))
        alphas = np.array([0.0])
    else:
        key = cal_key
        if weighting == "global":
            score = np.where(has_seed, cal * info_seed, 0.0)
            base = np.where(answered, score[:, None], 0.0)
        else:
            base = np.where(answered & has_seed[:, None], cal[:, None] * np.nan_to_num(info), 0.0)
        if alpha is None:
            alphas = np.unique(cal[has_seed])
        else:
            if not (0 <= alpha <= 1):
                raise InputError(Problem("--alpha", f"{alpha} is not in [0, 1]", "use e.g. 0.05"))
            if alpha > np.nanmax(cal):
                raise InputError(Problem("--alpha", f"{alpha:g} is above every expert's calibration "
                                         f"(highest {np.nanmax(cal):.3g}), so nobody has weight",
                                         "lower it, or leave it out to optimise it"))
            alphas = np.array([float(alpha)])
    dm_bg = decision_makers(v_bg, lower, upper, q, base, key, alphas)
    dm_info = information_scores(dm_bg, lower, upper, q)
    dm_values = np.where(log[None, :, None], np.exp(dm_bg), dm_bg)
    dm_cal = calibration_scores(bin_counts(dm_values, j.realizations), q, n_min)
    dm_info_seed = _nanmean(dm_info[:, seed])
    # The DM is scored as a virtual expert: its own calibration must also pass the cutoff.
    dm_score = np.nan_to_num(dm_cal * dm_info_seed * (dm_cal >= alphas), nan=-1.0)
    best = int(np.argmax(dm_score))
    used = float(alphas[best])
    incl = (key >= used) if weighting != "equal" else np.ones(len(j.experts), dtype=bool)
    if weighting == "equal":
        weights = np.full(len(j.experts), 1.0 / len(j.experts))
    else:
        raw = np.where(incl & has_seed, cal * info_seed, 0.0)
        weights = raw / raw.sum() if raw.sum() > 0 else raw
    item_w = np.where(incl[:, None], base, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        item_w = item_w / item_w.sum(axis=0, keepdims=True)
    return CookeResult(
        judgements=j, weighting=weighting, overshoot=overshoot, calibration=cal,
        information=info_seed, information_all=info_all, seeds_answered=n_seed,
        weights=weights, item_weights=item_w, alpha=used,
        alpha_optimised=alpha is None and weighting != "equal",
        dm_calibration=float(dm_cal[best]), dm_information=float(dm_info_seed[best]),
        dm_information_all=float(_nanmean(dm_info[best:best + 1])[0]),
        dm_quantiles=dm_values[best], lower=lower, upper=upper, n_min=n_min)


def _nanmean(a: Array) -> Array:
    """Row means over the finite entries of a 2-D array; NaN for a row with none."""
    finite = np.isfinite(a)
    n = finite.sum(axis=1)
    total = np.where(finite, a, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: Array = np.where(n > 0, total / np.maximum(n, 1), np.nan)
    return out
