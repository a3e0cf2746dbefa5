"""Weight draws have exactly the distribution docs/analysis.md states, checked against closed-form
marginals (Beta marginals of a Dirichlet, a uniform share) and an independent brute-force sampler
(uniform spacings on the simplex, kept when some scaling puts them in the raw ranges)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from autosafety._errors import InputError
from autosafety.analysis import monte_carlo
from autosafety.analysis._plan import build_plan
from autosafety.analysis._sampling import draw_weights
from autosafety.analysis._simplex import MIN_ACCEPTANCE, propose, ranged_weights, ranges_of

N = 40_000
P_MIN = 1e-3  # a KS p-value below this fails (seeded: the draws are fixed)


def brute_force(low: np.ndarray, high: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Uniform on {w on the simplex : low <= t w <= high for some t}: the first m - 1 shares uniform
    in a box that holds the set (each share between its least and greatest possible value), the
    last share 1 minus their sum, kept when it is >= 0 and every pairwise condition
    low_i w_j <= high_j w_i holds (a different proposal and test from the sampler's)."""
    rng = np.random.default_rng(seed)
    least, most = low / (low + high.sum() - high), high / (high + low.sum() - low)
    out, got = [], 0
    while got < n:
        u = least[:-1] + rng.random((100_000, low.size - 1)) * (most - least)[:-1]
        w = np.column_stack([u, 1 - u.sum(axis=1)])
        ok = (w[:, -1] >= 0) & np.all(low[None, :, None] * w[:, None, :]
                                      <= high[None, None, :] * w[:, :, None], axis=(1, 2))
        out.append(w[ok])
        got += ok.sum()
    return np.concatenate(out)[:n]


def plan_draws(model, seed: int = 0, size: int = N, **kwargs) -> np.ndarray:
    return draw_weights(np.random.default_rng(seed), build_plan(model, rating_noise=False, **kwargs),
                        None, size)


@pytest.mark.parametrize("c", [20.0, 3.0])
def test_dirichlet_weights_have_beta_marginals(wehner, c):
    """Dirichlet(c w) has marginals Beta(c w_f, c (1 - w_f)) and mean w."""
    w = plan_draws(wehner, weight_concentration=c)
    bar = wehner.weights / wehner.weights.sum()
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    for f, b in enumerate(bar):
        ref = stats.beta(c * b, c * (1 - b))
        assert stats.kstest(w[:, f], ref.cdf).pvalue > P_MIN, f
        assert abs(w[:, f].mean() - b) < 5 * ref.std() / np.sqrt(N)


def test_a_zero_weight_stays_zero_under_the_dirichlet():
    from .conftest import random_model

    m = random_model(3, factors=3)
    m = m.replace(factors=[{**f.model_dump(), "weight": 0.0} if f.id == "f1" else f.model_dump()
                           for f in m.spec.factors])
    w = plan_draws(m, weight_concentration=20.0, size=2_000)
    assert (w[:, 1] == 0).all() and (w[:, [0, 2]] > 0).all()
    np.testing.assert_allclose(w.sum(axis=1), 1.0)


def test_one_ranged_weight_has_a_uniform_share_and_the_others_keep_their_ratios(wehner):
    j = wehner.factor_ids.index("scheming_risk")
    a = wehner.weights.sum() - wehner.weights[j]
    w = plan_draws(wehner, weight_ranges={"scheming_risk": (1.0, 4.0)})
    lo, hi = 1 / (1 + a), 4 / (4 + a)
    assert stats.kstest(w[:, j], stats.uniform(lo, hi - lo).cdf).pvalue > P_MIN
    others = np.delete(w, j, axis=1)
    np.testing.assert_allclose(others / others.sum(axis=1, keepdims=True),
                               np.broadcast_to(np.delete(wehner.weights, j) / a, others.shape))
    np.testing.assert_allclose(w.sum(axis=1), 1.0)


def test_uniform_then_normalise_would_fail_the_marginal_test(wehner):
    """The test above has the power to see the old sampler: x uniform on [1, 4], share x / (x + A)."""
    j = wehner.factor_ids.index("scheming_risk")
    a = wehner.weights.sum() - wehner.weights[j]
    x = np.random.default_rng(0).uniform(1.0, 4.0, N)
    lo, hi = 1 / (1 + a), 4 / (4 + a)
    assert stats.kstest(x / (x + a), stats.uniform(lo, hi - lo).cdf).pvalue < 1e-6


CASES = {  # raw lows and highs of 4 factors; equal ends = no range
    "two ranged, two fixed": ([0.0, 0.5, 1.0, 2.0], [3.0, 1.5, 1.0, 2.0]),
    "narrow ranges, one fixed": ([0.9, 1.8, 2.7, 1.0], [1.1, 2.2, 3.3, 1.0]),
    "all ranged from zero": ([0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0]),
    "all ranged, none from zero": ([1.0, 0.5, 2.0, 1.0], [2.0, 3.0, 4.0, 1.5]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_ranged_weights_match_a_brute_force_sampler(case):
    low, high = (np.array(v) for v in CASES[case])
    r = ranges_of(low, high)
    w = ranged_weights(np.random.default_rng(1), r, N)
    ranged = low < high
    coords = np.column_stack([w[:, ranged], w[:, ~ranged].sum(axis=1)]) if (~ranged).any() else w
    lo = np.r_[low[ranged], low[~ranged].sum()] if (~ranged).any() else low
    hi = np.r_[high[ranged], high[~ranged].sum()] if (~ranged).any() else high
    ref = brute_force(lo, hi, N, seed=2)
    for f in range(coords.shape[1]):
        assert stats.ks_2samp(coords[:, f], ref[:, f]).pvalue > P_MIN, (case, f)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    # a fixed factor's share is its weight's part of the fixed block's share
    if (~ranged).sum() > 1:
        fixed = w[:, ~ranged]
        np.testing.assert_allclose(fixed / fixed.sum(axis=1, keepdims=True),
                                   np.broadcast_to(low[~ranged] / low[~ranged].sum(), fixed.shape))


@pytest.mark.parametrize("case", ["two ranged, two fixed", "narrow ranges, one fixed"])
@pytest.mark.parametrize("proposal", ["box", "simplex"])
def test_both_proposals_give_the_same_distribution(case, proposal):
    low, high = (np.array(v) for v in CASES[case])
    r = ranges_of(low, high)
    w = propose(np.random.default_rng(3), r, proposal, 4 * N)
    ranged = low < high
    ref = brute_force(np.r_[low[ranged], low[~ranged].sum()], np.r_[high[ranged], high[~ranged].sum()],
                      N, seed=4)
    assert w.shape[0] > N // 10
    for f in range(w.shape[1]):
        assert stats.ks_2samp(w[:, f], ref[:, f]).pvalue > P_MIN, (proposal, f)


def test_the_proposal_that_accepts_more_is_chosen():
    """Narrow ranges suit the box (about 0.9 of it accepted, against 0.1 of the simplex corner);
    ranges from 0 with a light fixed block suit the simplex corner."""
    narrow = ranges_of(np.array([0.9, 1.8, 2.7, 1.0]), np.array([1.1, 2.2, 3.3, 1.0]))
    wide = ranges_of(np.array([0.0, 0.0, 0.0, 0.1]), np.array([5.0, 5.0, 5.0, 0.1]))
    assert narrow.proposal == "box" and narrow.acceptance > 0.5
    assert wide.proposal == "simplex" and wide.acceptance > 0.5
    free = ranges_of(np.zeros(3), np.ones(3))  # nothing fixed: only the simplex corner applies
    assert free.proposal == "simplex" and free.acceptance == 1.0


@pytest.mark.parametrize("case", list(CASES))
def test_every_draw_and_the_mean_lie_in_the_ranges(case):
    """Each draw and the mean (the set is convex) scale into the raw box; every share stays within
    its least and greatest possible share, low_f / (low_f + other highs) .. high_f / (high_f +
    other lows)."""
    low, high = (np.array(v) for v in CASES[case])
    w = ranged_weights(np.random.default_rng(5), ranges_of(low, high), 5_000)
    for v in (*w, w.mean(axis=0)):
        with np.errstate(divide="ignore", invalid="ignore"):
            t_lo, t_hi = np.nanmax(low / v), np.nanmin(high / v)
        assert t_lo <= t_hi * (1 + 1e-12)
    least, most = low / (low + high.sum() - high), high / (high + low.sum() - low)
    assert (w >= least - 1e-12).all() and (w <= most + 1e-12).all()
    m = w.mean(axis=0)
    assert (m > least).all() and (m < most).all()


def test_nothing_varies_when_ranges_pin_the_weights():
    pinned = ranged_weights(np.random.default_rng(0), ranges_of(np.array([1.0, 3.0]),
                                                                 np.array([1.0, 3.0])), 3)
    np.testing.assert_array_equal(pinned, [[0.25, 0.75]] * 3)
    alone = ranged_weights(np.random.default_rng(0), ranges_of(np.array([0.0, 0.0]),
                                                                np.array([0.0, 2.0])), 3)
    np.testing.assert_array_equal(alone, [[0.0, 1.0]] * 3)
    assert ranged_weights(np.random.default_rng(0), ranges_of(np.zeros(3), np.ones(3)), 0).shape \
        == (0, 3)


def test_ranges_that_leave_too_little_room_are_refused_with_the_fix():
    """Twelve weights each within 1% and nothing fixed: a sliver of the simplex."""
    w = np.arange(1.0, 13.0)
    with pytest.raises(ValueError, match="too small"):
        ranges_of(w * 0.99, w * 1.01)
    from .conftest import random_model

    m = random_model(0, factors=12)
    with pytest.raises(InputError) as e:
        monte_carlo(m, draws=100, weight_ranges={f: (0.99 * x, 1.01 * x)
                                                 for f, x in zip(m.factor_ids, m.weights)})
    assert e.value.problems[0].location == "weight ranges"
    assert "widen" in e.value.problems[0].fix
    assert MIN_ACCEPTANCE == 1e-3


def test_each_scenario_draws_from_its_own_ranges(wehner):
    """A scenario that sets a ranged weight pins it; the other scenario keeps the range."""
    from autosafety.analysis import Scenario

    j = wehner.factor_ids.index("scheming_risk")
    scen = [Scenario(name="pinned", probability=0.5, weights={"scheming_risk": 2.0}),
            Scenario(name="free", probability=0.5)]
    plan = build_plan(wehner, rating_noise=False, scenarios=scen,
                      weight_ranges={"scheming_risk": (0.0, 4.0)})
    which = np.repeat([0, 1], N // 2)
    w = draw_weights(np.random.default_rng(0), plan, which, N)
    a = wehner.weights.sum() - wehner.weights[j]
    np.testing.assert_allclose(w[which == 0, j], 2 / (2 + a))
    assert stats.kstest(w[which == 1, j], stats.uniform(0, 4 / (4 + a)).cdf).pvalue > P_MIN
