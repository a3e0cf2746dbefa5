"""Cooke's classical model: closed forms, hand computations, the chi-square tail against scipy, and
ANDURYL (GPL, a test oracle only) on cases built here, to 3 significant figures."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from autosafety._errors import InputError
from autosafety.elicit._cooke import (
    bin_counts,
    calibration_scores,
    chi2_sf,
    cooke,
    expert_judgements,
)

P5_50_95 = np.array([0.05, 0.5, 0.95])


@pytest.mark.parametrize("df", [1, 2, 3, 4, 5, 6, 9])
def test_chi2_tail_matches_scipy(df):
    x = np.array([0.0, 1e-6, 0.3, 1.0, 2.5, 7.8, 20.0, 60.0, 300.0])
    assert np.allclose(chi2_sf(x, df), stats.chi2.sf(x, df), rtol=1e-12, atol=0)


def _seed_case(expert_values, realizations, quantiles=P5_50_95, scales=None):
    v = np.asarray(expert_values, dtype=float)
    return expert_judgements([f"e{k}" for k in range(v.shape[0])], [f"s{i}" for i in range(v.shape[1])],
                             quantiles, v, realizations, scales)


def _perfect_expert_items():
    """20 seed items with realizations placed 1 / 9 / 9 / 1 in the bins of [10, 20, 30]."""
    reals = [5.0] + [15.0] * 9 + [25.0] * 9 + [35.0]
    return [[10.0, 20.0, 30.0]] * 20, reals


def test_perfectly_calibrated_expert_scores_one():
    vals, reals = _perfect_expert_items()
    result = cooke(_seed_case([vals], reals))
    assert result.calibration[0] == pytest.approx(1.0, abs=1e-12)
    assert bin_counts(np.array([vals]), np.array(reals)).tolist() == [[1, 9, 9, 1]]


def test_calibration_by_hand_with_the_smallest_number_of_answered_seeds():
    vals, reals = _perfect_expert_items()
    # expert 1 has every realization in the 5-50% bin, and answered only 10 of the 20 seeds
    b = [[r - 1.0, r + 0.5, r + 1.0] if k < 10 else [math.nan] * 3 for k, r in enumerate(reals)]
    # every realization of expert 1 sits above its 5% and below its 50%
    result = cooke(_seed_case([vals, b], reals))
    assert result.n_min == 10
    s_a, p = np.array([1, 9, 9, 1]) / 20, np.array([0.05, 0.45, 0.45, 0.05])
    assert result.calibration[0] == pytest.approx(stats.chi2.sf(2 * 10 * np.sum(s_a * np.log(s_a / p)), 3))
    assert result.calibration[1] == pytest.approx(stats.chi2.sf(2 * 10 * math.log(1 / 0.45), 3), rel=1e-9)
    assert result.seeds_answered.tolist() == [20, 10]


def test_a_realization_on_a_quantile_falls_in_the_bin_below():
    values = np.array([[[1.0, 2.0, 3.0]] * 4])
    reals = np.array([1.0, 2.0, 3.0, 3.5])
    assert bin_counts(values, reals).tolist() == [[1, 1, 1, 1]]
    # just above each quantile moves it up one bin
    assert bin_counts(values, np.nextafter(reals, np.inf)).tolist() == [[0, 1, 1, 2]]


def test_calibration_of_counts_matches_the_chi_square_statistic():
    counts = np.array([[3, 4, 2, 1], [0, 10, 0, 0]])
    s = counts / 10
    p = np.array([0.05, 0.45, 0.45, 0.05])
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.nansum(np.where(s > 0, s * np.log(s / p), 0), axis=1)
    assert np.allclose(calibration_scores(counts, P5_50_95, 7), stats.chi2.sf(2 * 7 * rel, 3))


def test_information_of_the_uniform_background_is_zero_and_a_narrow_expert_by_hand():
    # With levels 1/12, 1/2, 11/12 and a 10% overshoot, quantiles 0, 50, 100 are exactly the
    # uniform background's on [-10, 110].
    q = np.array([1 / 12, 0.5, 11 / 12])
    vals = [[[0.0, 50.0, 100.0]], [[40.0, 50.0, 60.0]]]
    result = cooke(_seed_case(vals, [55.0], quantiles=q))
    assert result.lower[0] == pytest.approx(-10) and result.upper[0] == pytest.approx(110)
    assert result.information[0] == pytest.approx(0.0, abs=1e-12)
    p = np.array([1, 5, 5, 1]) / 12
    widths = np.array([50.0, 10.0, 10.0, 50.0])
    assert result.information[1] == pytest.approx(math.log(120) + np.sum(p * np.log(p / widths)))


def test_log_items_use_a_log_uniform_background():
    # On the log scale 1, 10, 100 are 0, ln 10, ln 100: the uniform case above, scaled.
    q = np.array([1 / 12, 0.5, 11 / 12])
    result = cooke(_seed_case([[[1.0, 10.0, 100.0]]], [20.0], quantiles=q, scales=["log"]))
    assert result.information[0] == pytest.approx(0.0, abs=1e-12)
    assert math.exp(result.lower[0]) == pytest.approx(10 ** -0.2)


def test_identical_experts_give_their_own_distribution_as_decision_maker():
    vals, reals = _perfect_expert_items()
    for weighting in ("global", "item", "equal"):
        result = cooke(_seed_case([vals, vals], reals), weighting=weighting)
        assert np.allclose(result.dm_quantiles, np.array(vals))
        assert result.dm_calibration == pytest.approx(result.calibration[0])
        assert result.dm_information == pytest.approx(result.information[0])
        assert result.weights.tolist() == pytest.approx([0.5, 0.5])


def test_global_weights_are_calibration_times_information_above_the_cutoff():
    rng = np.random.default_rng(7)
    j = _random_case(rng, experts=6, items=10, seeds=8)
    result = cooke(j, weighting="global", alpha=None)
    raw = result.calibration * result.information * (result.calibration >= result.alpha)
    assert np.allclose(result.weights, raw / raw.sum())
    # the optimised cutoff is the best of all cutoffs, as a virtual expert
    best = max(cooke(j, alpha=float(a)).dm_score for a in np.unique(result.calibration))
    assert result.dm_score == pytest.approx(best)
    assert result.dm_score > 0


def test_equal_weights_mix_two_experts_by_hand():
    # Two experts on one item, equal weights: the DM's CDF is the average of two piecewise-linear
    # CDFs on [L, U] = [-2, 22] (quantiles 0..20 widened by 10%).
    vals = [[[0.0, 5.0, 10.0]], [[10.0, 15.0, 20.0]]]
    result = cooke(_seed_case(vals, [10.0]), weighting="equal")
    # DM median: A's CDF is 0.95 at 10 and B's 0.05, so the average is exactly 0.5 at x = 10.
    assert result.dm_quantiles[0, 1] == pytest.approx(10.0)
    # DM 5%: below 5 only A has mass: A(x) = 0.05 * (x + 2) / 2 on [-2, 0], then
    # 0.05 + 0.45 * x / 5; B(x) = 0.05 * (x + 2) / 12 for x < 10. Solve (A + B) / 2 = 0.05.
    x = (0.1 - 0.05 - 0.05 * 2 / 12) / (0.45 / 5 + 0.05 / 12)
    assert result.dm_quantiles[0, 0] == pytest.approx(x)


def test_bad_judgements_are_located():
    with pytest.raises(InputError) as err:
        expert_judgements(["a"], ["x", "y"], P5_50_95, [[[1, 3, 2], [1, math.nan, 2]]], [1.0, math.nan])
    text = str(err.value)
    assert "expert a, item x: quantiles [1.0, 3.0, 2.0] are not strictly increasing" in text
    assert "expert a, item y: some quantiles are missing" in text
    with pytest.raises(InputError, match="no seed item"):
        expert_judgements(["a"], ["x"], P5_50_95, [[[1, 2, 3]]], [math.nan])
    with pytest.raises(InputError, match="LOG item needs positive"):
        expert_judgements(["a"], ["x"], P5_50_95, [[[-1, 2, 3]]], [1.0], ["log"])
    vals, reals = _perfect_expert_items()
    shifted = [[v + 6.0 for v in row] for row in vals]  # realizations now sit too low
    assert cooke(_seed_case([shifted], reals)).calibration[0] < 0.5
    with pytest.raises(InputError, match="above every expert's calibration"):
        cooke(_seed_case([shifted], reals), alpha=0.5)


def _random_case(rng, *, experts, items, seeds, quantiles=P5_50_95, missing=0.0, log_share=0.3,
                 ties=False):
    """Experts with their own bias and spread around true values; some LOG items, some missing."""
    z = stats.norm.ppf(quantiles)
    truth = rng.uniform(1, 100, items)
    scales = ["log" if rng.random() < log_share else "uni" for _ in range(items)]
    vals = np.empty((experts, items, len(quantiles)))
    for e in range(experts):
        bias, spread = rng.normal(0, 0.3), rng.uniform(0.05, 1.0)
        centre = truth * np.exp(bias + rng.normal(0, 0.3, items))
        vals[e] = np.round(centre[:, None] * np.exp(spread * z[None, :]), 3)
        if e > 0:  # expert 0 answers everything, so every item has an answer
            vals[e, rng.random(items) < missing] = np.nan
    reals = truth.copy()
    if ties:  # some realizations exactly on an expert's quantile
        for i in range(0, seeds, 2):
            e = int(rng.integers(experts))
            if np.isfinite(vals[e, i]).all():
                reals[i] = vals[e, i, int(rng.integers(len(quantiles)))]
    reals[seeds:] = np.nan
    return expert_judgements([f"ex{e}" for e in range(experts)], [f"item {i}" for i in range(items)],
                             quantiles, vals, reals, scales)
