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
