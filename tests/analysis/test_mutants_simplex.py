"""Edge cases of the range sampler (``analysis/_simplex.py``) found by mutation testing: weights
summing below 1, a weightless factor beside ranged ones, many rounds of proposals, one draw."""

from __future__ import annotations

import numpy as np
from scipy import stats

from autosafety.analysis._simplex import ranged_weights, ranges_of


def _inside(low: np.ndarray, high: np.ndarray, w: np.ndarray) -> bool:
    """Every row scales into the raw box: low_i w_j <= high_j w_i for all i, j (with slack)."""
    lhs = low[None, :, None] * w[:, None, :]
    rhs = high[None, None, :] * w[:, :, None]
    return bool(np.all(lhs <= rhs + 1e-12))


def test_pinned_weights_summing_below_one_are_normalised():
    w = ranged_weights(np.random.default_rng(0), ranges_of(np.array([0.25, 0.5]),
                                                            np.array([0.25, 0.5])), 4)
    np.testing.assert_allclose(w, [[1 / 3, 2 / 3]] * 4)


def test_one_range_beside_fixed_weights_summing_below_one():
    """f0 fixed at 0.5, f1 in [0, 2]: f1's share x / (x + 0.5) is uniform on [0, 0.8]."""
    w = ranged_weights(np.random.default_rng(1), ranges_of(np.array([0.5, 0.0]),
                                                            np.array([0.5, 2.0])), 20_000)
    assert stats.kstest(w[:, 1], stats.uniform(0, 0.8).cdf).pvalue > 1e-3
    np.testing.assert_allclose(w.sum(axis=1), 1.0)


def test_a_weightless_factor_beside_ranged_ones_stays_at_zero():
    """Nothing fixed weighs anything (A = 0): the factor fixed at 0 keeps share 0 exactly."""
    low, high = np.array([0.0, 0.0, 1.0]), np.array([0.0, 2.0, 3.0])
    w = ranged_weights(np.random.default_rng(2), ranges_of(low, high), 5_000)
    assert (w[:, 0] == 0).all()
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert _inside(low[1:], high[1:], w[:, 1:])


def test_many_rounds_give_exactly_the_draws_asked_for_from_the_same_distribution():
    """Telling the sampler its proposals are kept 20 times more often than they are makes it take
    many small rounds; the draws must still number `size` and match a single-round run."""
    low, high = np.array([0.0, 0.5, 1.0, 2.0]), np.array([3.0, 1.5, 1.0, 2.0])
    r = ranges_of(low, high)
    many = ranged_weights(np.random.default_rng(3), r._replace(acceptance=min(1.0, 20 * r.acceptance)),
                          20_000)
    one = ranged_weights(np.random.default_rng(4), r, 20_000)
    assert many.shape == one.shape == (20_000, 4)
    for f in range(2):
        assert stats.ks_2samp(many[:, f], one[:, f]).pvalue > 1e-3


def test_ranges_that_keep_few_proposals_still_deliver():
    """Eight weights all ranged within 20% and none fixed keep about 1 proposal in 200."""
    base = np.arange(1.0, 9.0)
    low, high = 0.8 * base, 1.2 * base
    r = ranges_of(low, high)
    assert r.acceptance < 0.01
    w = ranged_weights(np.random.default_rng(5), r, 3_000)
    assert w.shape == (3_000, 8) and _inside(low, high, w)


def test_one_draw_at_a_time():
    r = ranges_of(np.array([0.0, 1.0]), np.array([2.0, 1.0]))
    for size in (1, 2, 3):
        assert ranged_weights(np.random.default_rng(size), r, size).shape == (size, 2)
