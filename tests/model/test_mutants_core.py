"""Tests written to kill mutants of ``model/_core.py`` that survived ``scripts/mutation.sh
model-core`` (issue 16). Each checks against a value computed here: a loop over cells, a hand sum,
``np.round`` ties, counting by brute force."""

from __future__ import annotations

import numpy as np

from autosafety.model import _core

from .test_core_independent import _median  # the weighted median by its definition

RNG = np.random.default_rng(16)


def test_median_pooling_of_many_cells_matches_each_cell_alone():
    """(A, F, K) = (3, 4, 5): every cell pooled on its own axis, not across cells."""
    values = RNG.integers(1, 11, (3, 4, 5)).astype(float)
    weights = RNG.choice([0.0, 0.5, 1.0, 2.0], (3, 4, 5))
    weights[..., 0] += 1.0  # every cell has a rater
    w = weights / weights.sum(axis=-1, keepdims=True)
    got = _core.pool(values, w, method="median")
    want = [[_median(list(values[a, f]), list(w[a, f])) for f in range(4)] for a in range(3)]
    np.testing.assert_allclose(got, want)
    assert got.shape == (3, 4)


def test_a_rater_of_weight_zero_between_the_halves_is_not_the_midpoint():
    """Weights 1/2, 0, 1/2 on ratings 1, 2, 5: the 50% split is between 1 and 5, so the median is
    3, whatever the weightless rater (2, between them) said."""
    got = _core.pool(np.array([[[1.0, 2.0, 5.0]]]), np.array([[[0.5, 0.0, 0.5]]]), method="median")
    assert got[0, 0] == 3.0


def test_pooling_is_the_weighted_mean_by_default():
    values = np.array([[[2.0, 8.0], [4.0, np.nan]]])  # NaN: a rater who did not rate (weight 0)
    weights = np.array([[[0.25, 0.75], [1.0, 0.0]]])
    np.testing.assert_allclose(_core.pool(values, weights), [[0.25 * 2 + 0.75 * 8, 4.0]])


def test_integer_weights_near_the_int64_limit_normalise_exactly():
    """Three weights of 2**62 as int64: summing them as integers would overflow (3 x 2**62 > 2**63)."""
    w = np.full(3, 2**62, dtype=np.int64)
    np.testing.assert_allclose(_core.normalised(w), [1 / 3] * 3, rtol=1e-15)
    assert _core.rescaled(w).dtype == np.float64


def test_one_weight_vector_of_huge_weights_does_not_overflow():
    """Twenty weights of 1e307 sum past the largest float; the scores are still the plain mean."""
    pooled = RNG.uniform(1, 10, (4, 20))
    np.testing.assert_allclose(_core.weighted_scores(pooled, np.full(20, 1e307)),
                               pooled.mean(axis=1), rtol=1e-12)


def test_one_weight_vector_of_subnormal_weights_scores_as_its_ratios():
    pooled = np.array([[1.0, 9.0], [4.0, 2.0]])
    want = [(1 + 3 * 9) / 4, (4 + 3 * 2) / 4]
    np.testing.assert_allclose(_core.weighted_scores(pooled, np.array([1e-320, 3e-320])), want,
                               rtol=1e-13)


def test_rows_of_zero_weights_stay_zero_beside_rows_that_are_rescaled():
    """Rows of huge weights are divided by their largest; rows of zeros must stay exactly zero (not
    whatever the memory held: freed arrays of 7s are left where the result will be allocated)."""
    w = np.zeros((300, 3))
    w[::2] = [1e150, 2e150, 4e150]
    for _ in range(20):
        junk = np.full(w.shape, 7.0)
        del junk
        got = _core.rescaled(w)
        np.testing.assert_array_equal(got[1::2], 0.0)
        np.testing.assert_allclose(got[::2], np.broadcast_to([0.25, 0.5, 1.0], (150, 3)))


def test_a_source_absent_from_a_cell_gives_its_raters_no_weight():
    """Raters r0, r1 in one source (weights 3, 1), r2 alone; source weights 2 and 1. Cells where
    only r2 rated: r2 has weight 1 and r0, r1 exactly 0; cells where only r0 rated: r0 has 1."""
    present = np.zeros((100, 3, 3), dtype=bool)
    present[:, 0, 2] = True  # only r2
    present[:, 1, 0] = True  # only r0
    present[:, 2] = True  # all: r0 2 x 3/4, r1 2 x 1/4, r2 1, over 3
    want = np.zeros((100, 3, 3))
    want[:, 0, 2] = 1.0
    want[:, 1, 0] = 1.0
    want[:, 2] = [0.5, 1 / 6, 1 / 3]
    for _ in range(20):
        junk = [np.full(present.shape, 7.0) for _ in range(4)]
        del junk
        got = _core.source_weights(present, np.array([3.0, 1.0, 1.0]), np.array([0, 0, 1]),
                                   np.array([2.0, 1.0]))
        np.testing.assert_allclose(got, want, atol=1e-15)


def test_ranks_keep_two_batch_dimensions_and_count_wins_as_integers():
    s = RNG.integers(0, 4, (3, 5, 6)).astype(float)  # many ties
    rk = _core.ranks(s)
    assert rk.shape == s.shape and rk.dtype == np.int64
    for i in range(3):
        for j in range(5):
            np.testing.assert_array_equal(rk[i, j], [1 + int((s[i, j] > v).sum()) for v in s[i, j]])
    rk2, wins = _core.ranks_and_wins(s.reshape(15, 6))
    assert wins.dtype == np.int64 and rk2.dtype == np.int64
    flat = s.reshape(15, 6)
    np.testing.assert_array_equal(wins, [[int((flat[:, a] > flat[:, b]).sum()) for b in range(6)]
                                         for a in range(6)])


def test_one_vector_ties_round_to_nine_decimals_exactly_as_np_round():
    """Scores a few 1e-10 apart around the 9-decimal grid: tied iff np.round(., 9) says so."""
    base = RNG.uniform(1, 10, 300)
    for x in base:
        row = [x, x + 3e-10, x - 4e-10, x + 7e-10, x + 2e-9]
        keys = np.round(row, 9)
        want = [1 + int((keys > k).sum()) for k in keys]
        assert _core.standing(row)[1] == want, row
        np.testing.assert_array_equal(_core.ranks(np.array(row)), want)


def test_huge_finite_scores_rank_as_np_round_ranks_them():
    """Scores of 1e295 and 2e295 are finite and distinct to 9 decimals (np.round keeps them)."""
    row = [1e295, 2e295, 2e295, -3e295]
    keys = np.round(row, 9)
    assert np.isfinite(keys).all()
    want = [1 + int((keys > k).sum()) for k in keys]
    assert want == [3, 1, 1, 4]
    assert _core.standing(row)[1] == want
    np.testing.assert_array_equal(_core.ranks(np.array(row)), want)


def test_weights_inside_the_safe_range_are_left_as_given():
    """Only a largest weight outside [1e-100, 1e100] triggers division; the ends are inside, and an
    all-zero row (no largest > 0) leaves the other rows of a batch alone."""
    for w in ([1e100, 5e99], [1e-100, 5e-101]):
        np.testing.assert_array_equal(_core.rescaled(np.array(w)), w)
    batch = np.array([[0.0, 0.0], [1.0, 2.0]])
    np.testing.assert_array_equal(_core.rescaled(batch), batch)
