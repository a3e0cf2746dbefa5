"""The pure scoring functions against values computed here independently: plain Python sums,
scipy's rankdata, brute-force weighted medians and hand-computed source weights."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import rankdata

from autosafety.model import _core

RNG = np.random.default_rng(2024)


def _score(r: list[float], w: list[float]) -> float:
    top = max(w)
    return math.fsum(x * (v / top) for x, v in zip(r, w)) / math.fsum(v / top for v in w)


@pytest.mark.parametrize("scale", [1.0, 1e-250, 1e-120, 1e120, 1e250, 3.0])
def test_weighted_scores_are_the_normalised_weighted_mean_at_any_scale(scale):
    pooled = RNG.uniform(1, 10, (5, 4))
    w = RNG.uniform(0.1, 3, 4) * scale
    want = [_score(list(row), list(w)) for row in pooled]
    np.testing.assert_allclose(_core.weighted_scores(pooled, w), want, rtol=1e-12)
    batch = np.stack([w, w[::-1], w * 0.5])  # (3, F) weights, one score vector each
    got = _core.weighted_scores(np.broadcast_to(pooled, (3, 5, 4)), batch)
    for i, wi in enumerate(batch):
        np.testing.assert_allclose(got[i], [_score(list(row), list(wi)) for row in pooled], rtol=1e-12)
    np.testing.assert_allclose(_core.normalised(batch).sum(axis=1), 1.0, rtol=1e-12)
    assert np.isfinite(_core.rescaled(batch)).all() and _core.rescaled(batch).max() <= 1e100


def test_rescaled_divides_by_the_largest_only_when_needed():
    np.testing.assert_array_equal(_core.rescaled(np.array([1.0, 2.0])), [1.0, 2.0])
    np.testing.assert_array_equal(_core.rescaled(np.array([1e-90, 2e-90])), [1e-90, 2e-90])
    np.testing.assert_allclose(_core.rescaled(np.array([1e150, 2e150])), [0.5, 1.0])
    np.testing.assert_allclose(_core.rescaled(np.array([1e-150, 4e-150])), [0.25, 1.0])
    np.testing.assert_array_equal(_core.rescaled(np.array([0.0, 0.0])), [0.0, 0.0])
    # one huge row in a batch rescales every row by its own largest weight; zero rows stay zero
    got = _core.rescaled(np.array([[1e150, 2e150], [1.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(got, [[0.5, 1.0], [0.25, 1.0], [0.0, 0.0]])
    got = _core.rescaled(np.array([[1e-150, 2e-150], [1.0, 4.0]]))
    np.testing.assert_allclose(got, [[0.5, 1.0], [0.25, 1.0]])
    assert _core.rescaled(np.zeros((0,))).shape == (0,)


def test_ranks_and_wins_match_scipy_and_counting():
    s = np.round(RNG.uniform(1, 10, (200, 6)), 1)  # many ties
    s[0] = [5.0, 5.0 + 1e-12, 7.0, 7.0, 1.0, 9.0]  # equal to 9 decimals: tied
    want = np.array([rankdata(-np.round(row, 9), method="min") for row in s])
    np.testing.assert_array_equal(_core.ranks(s), want)
    for row, w in zip(s[:20], want[:20]):
        np.testing.assert_array_equal(_core.ranks(row), w)  # the one-vector path
        order, rk = _core.standing(list(row))
        assert rk == list(w)
        assert order == sorted(range(6), key=lambda i: (w[i], i))
    rk, wins = _core.ranks_and_wins(s)
    np.testing.assert_array_equal(rk, want)
    r9 = np.round(s, 9)
    brute = np.array([[int((r9[:, a] > r9[:, b]).sum()) for b in range(6)] for a in range(6)])
    np.testing.assert_array_equal(wins, brute)


def _median(values: list[float], weights: list[float]) -> float:
    pairs = sorted((v, w) for v, w in zip(values, weights) if w > 0)
    total = math.fsum(w for _, w in pairs)
    cum = 0.0
    for i, (v, w) in enumerate(pairs):
        cum += w / total
        if math.isclose(cum, 0.5):
            return (v + pairs[i + 1][0]) / 2
        if cum > 0.5:
            return v
    raise AssertionError


def test_weighted_median_pooling_matches_the_definition():
    for _ in range(200):
        k = int(RNG.integers(1, 6))
        values = RNG.integers(1, 11, k).astype(float)
        weights = RNG.choice([0.0, 0.5, 1.0, 2.0], k)
        if weights.sum() == 0:
            weights[0] = 1.0
        values[weights == 0] = RNG.choice([np.nan, 100.0, -100.0])  # ignored whatever they are
        w = weights / weights.sum()
        got = _core.pool(values[None, None, :], w[None, None, :], method="median")[0, 0]
        assert got == pytest.approx(_median(list(values), list(w))), (values, w)
    got = _core.pool(np.array([[[2.0, 4.0, 9.0]]]), np.array([[[0.5, 0.5, 0.0]]]), method="median")
    assert got[0, 0] == 3.0  # an exact 50% split: the midpoint
    with pytest.raises(ValueError, match="unknown pooling"):
        _core.pool(np.ones((1, 1, 1)), np.ones((1, 1, 1)), method="mode")  # type: ignore[arg-type]


def test_source_weights_by_hand():
    # raters r0, r1 in group g (weights 3, 1; group weight 2) and r2 alone (weight 1);
    # cell 0: all rated -> r0 2*3/4, r1 2*1/4, r2 1, over a total of 3: .5, 1/6, 1/3
    # cell 1: r0 missing -> r1 gets all of g's 2: 2/3, r2 1/3; cell 2: only r0 -> 1
    present = np.array([[[True, True, True], [False, True, True], [True, False, False]]])
    got = _core.source_weights(present, np.array([3.0, 1.0, 1.0]), np.array([0, 0, 1]),
                               np.array([2.0, 1.0]))
    np.testing.assert_allclose(got[0], [[0.5, 1 / 6, 1 / 3], [0, 2 / 3, 1 / 3], [1, 0, 0]])
    none = _core.source_weights(np.zeros((1, 1, 3), bool), np.ones(3), np.array([0, 0, 1]),
                                np.ones(2))
    np.testing.assert_array_equal(none, 0.0)
