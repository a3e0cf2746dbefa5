"""Rating noise drawn a block of ratings at a time: with more draws per rating than one block holds,
each rating is its own block, and a rating folded onto a bound in one block keeps its
distribution while later blocks are drawn (on a scale that includes negative values)."""

from __future__ import annotations

import numpy as np
from scipy import stats

from autosafety.analysis import two_piece_normal
from autosafety.analysis._sampling import BLOCK_ELEMENTS


def test_a_median_on_the_upper_bound_keeps_its_half_normal_across_blocks():
    size = BLOCK_ELEMENTS  # one rating per block
    center = np.array([10.0, 0.0, 3.0])
    sd_low, sd_high = np.array([5.0, 2.0, 1.0]), np.array([1.0, 2.0, 4.0])
    x = two_piece_normal(np.random.default_rng(1), center, sd_low, sd_high, lower=-10.0, upper=10.0,
                         size=size)
    assert x.shape == (size, 3) and x.min() >= -10.0 and x.max() <= 10.0
    # rating 0: median on the upper bound, so only the lower half: N(10, 5) truncated to
    # [-10, 10], i.e. standardised bounds (-4, 0); about 4.6% of it lies below 0
    first = stats.truncnorm(-4.0, 0.0, loc=10.0, scale=5.0)
    assert abs(x[:, 0].mean() - first.mean()) < 5 * first.std() / np.sqrt(size)
    assert (x[:, 0] < 0).mean() > 0.04
    assert stats.kstest(x[:, 0], first.cdf).pvalue > 1e-4
    # rating 1: symmetric N(0, 2) truncated to (-5, 5) standard deviations
    assert stats.kstest(x[:, 1], stats.truncnorm(-5.0, 5.0, loc=0.0, scale=2.0).cdf).pvalue > 1e-4
    # rating 2: median 3, sd 1 below (13 sds to the bound: all of its half kept) and 4 above (7/4
    # sds to the bound: 2 Phi(7/4) - 1 of its half kept): P(x < 3) = 1/2 / (1/2 + Phi(7/4) - 1/2)
    assert abs((x[:, 2] < 3.0).mean() - 0.5 / stats.norm.cdf(7 / 4)) < 0.01


def test_one_draw_per_rating_redraws_each_rating_with_its_own_parameters():
    # 1000 pairs: even ratings N(2, 3) truncated to [1, 10] (about a third falls below 1 and is
    # redrawn), odd ratings N(9, 0.1) (never out of the scale)
    center = np.tile([2.0, 9.0], 1000)
    sd = np.tile([3.0, 0.1], 1000)
    x = two_piece_normal(np.random.default_rng(2), center, sd, sd, lower=1.0, upper=10.0, size=1)[0]
    even, odd = x[0::2], x[1::2]
    assert stats.kstest(even, stats.truncnorm(-1 / 3, 8 / 3, loc=2.0, scale=3.0).cdf).pvalue > 1e-4
    assert np.abs(odd - 9.0).max() < 1.0


def test_a_point_mass_on_a_bound_survives_the_far_tail_fallback():
    """Median on the lower bound with no spread below it (a point mass 1/2 on the bound) and sd
    500 above on 1-10: the upper half keeps only 2 Phi(9/500) - 1 of its mass, so the bound holds
    0.5 / Phi(9/500) of the draws; the rest lies strictly inside (never on the other bound). Most
    upper draws are rejected 8 times and go through the inverse-CDF fallback. Mirrored on the
    upper bound."""
    from scipy.special import ndtr

    n = 1_000_000
    edge = 0.5 / ndtr(9 / 500)
    se = np.sqrt(edge * (1 - edge) / n)
    x = two_piece_normal(np.random.default_rng(5), np.array([1.0, 10.0]), np.array([0.0, 500.0]),
                         np.array([500.0, 0.0]), lower=1.0, upper=10.0, size=n)
    assert abs(np.mean(x[:, 0] == 1.0) - edge) < 5 * se
    assert abs(np.mean(x[:, 1] == 10.0) - edge) < 5 * se
    assert not (x[:, 0] == 10.0).any() and not (x[:, 1] == 1.0).any()


def test_the_fallback_uses_each_half_with_its_own_sd():
    """Median 1.5, sd 1 below and 500 above on 1-10 (mirrored: 9.5, 500 below, 1 above). Half the
    mass is below the median, of which 2 Phi(0.5) - 1 stays in the scale; half above, of which
    2 Phi(8.5/500) - 1 stays. Nothing lands exactly on a bound."""
    from scipy.special import ndtr

    n = 1_000_000
    x = two_piece_normal(np.random.default_rng(6), np.array([1.5, 9.5]), np.array([1.0, 500.0]),
                         np.array([500.0, 1.0]), lower=1.0, upper=10.0, size=n)
    low_half, high_half = ndtr(0.5) - 0.5, ndtr(8.5 / 500) - 0.5
    beyond = (ndtr(8.5 / 500) - ndtr(0.5 / 500)) / (low_half + high_half)  # P(x > 2)
    se = np.sqrt(beyond * (1 - beyond) / n)
    assert abs(np.mean(x[:, 0] > 2.0) - beyond) < 6 * se
    assert abs(np.mean(x[:, 1] < 9.0) - beyond) < 6 * se
    below = low_half / (low_half + high_half)  # P(x < median)
    assert abs(np.mean(x[:, 0] < 1.5) - below) < 6 * np.sqrt(below * (1 - below) / n)
    assert not np.isin(x, [1.0, 10.0]).any()
