"""The fast paths of the sampler: folded bounds, shared rank/pair comparisons, chunk tallies."""

import numpy as np
import pytest
from scipy import stats

from autosafety.analysis import two_piece_normal
from autosafety.analysis._plan import build_plan
from autosafety.analysis._sampling import draw_pooled, draw_weights, simulate
from autosafety.model import _core


@pytest.mark.parametrize("size", [1, 7, 5_000, 150_000])
def test_ranks_and_wins_match_brute_force_counts(size):
    rng = np.random.default_rng(size)
    # few distinct values plus noise below the tie precision: many exact and rounded ties
    scores = rng.integers(0, 4, (size, 6)) + rng.random((size, 6)) * 1e-11
    rk, wins = _core.ranks_and_wins(scores)
    s = np.round(scores, _core.TIE_DECIMALS)
    above = s[:, :, None] > s[:, None, :]
    np.testing.assert_array_equal(rk, 1 + above.sum(axis=1))
    np.testing.assert_array_equal(wins, above.sum(axis=0))
    np.testing.assert_array_equal(_core.ranks(scores), rk)
    assert rk.dtype == wins.dtype == np.int64


def test_ranks_keep_leading_batch_dimensions():
    scores = np.random.default_rng(0).integers(0, 3, (4, 5, 7)).astype(float)
    rk = _core.ranks(scores)
    assert rk.shape == scores.shape
    for i in range(4):
        for j in range(5):
            row = scores[i, j]
            np.testing.assert_array_equal(rk[i, j], [1 + (row > v).sum() for v in row])


@pytest.mark.parametrize(("center", "sd_low", "sd_high", "a", "b", "scale"), [
    (10.0, 2.0, 0.5, -4.5, 0.0, 2.0),  # on the upper bound: only the lower half, sd 2
    (1.0, 0.5, 3.0, 0.0, 3.0, 3.0),  # on the lower bound: only the upper half, sd 3
])
def test_medians_on_a_bound_fold_into_the_inner_half(center, sd_low, sd_high, a, b, scale):
    rng = np.random.default_rng(7)
    x = two_piece_normal(rng, np.array([5.0, center]), np.array([1.0, sd_low]),
                         np.array([1.0, sd_high]), lower=1.0, upper=10.0, size=200_000)[:, 1]
    ref = stats.truncnorm(a, b, loc=center, scale=scale)
    assert x.min() >= 1.0 and x.max() <= 10.0
    assert abs(x.mean() - ref.mean()) < 5 * ref.std() / np.sqrt(x.size)
    assert stats.kstest(x, ref.cdf).pvalue > 1e-4


def test_chunk_tally_matches_the_model_functions_on_the_same_draws(wehner):
    """The tally of one chunk equals counting ranks and pairs draw by draw from the same stream."""
    plan = build_plan(wehner, weight_concentration=20.0)
    tally = simulate(plan, np.random.default_rng(5), 3_000)
    rng = np.random.default_rng(5)
    pooled, w = draw_pooled(rng, plan, None, 3_000), draw_weights(rng, plan, None, 3_000)
    scores = np.array([_core.weighted_scores(pooled[i], w[i]) for i in range(3_000)])
    rk = np.array([_core.ranks(s) for s in scores])
    a = scores.shape[1]
    np.testing.assert_allclose(tally.score_sum, scores.sum(axis=0), rtol=1e-12)
    np.testing.assert_array_equal(tally.rank_counts,
                                  [[(rk[:, i] == k).sum() for k in range(1, a + 1)] for i in range(a)])
    np.testing.assert_array_equal(tally.above, (rk[:, :, None] < rk[:, None, :]).sum(axis=0))
