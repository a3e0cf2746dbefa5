"""Exact flip thresholds against brute-force search over a fine grid of weights."""

import numpy as np
import pytest

from autosafety.analysis import flip_thresholds
from autosafety.model import _core

from .conftest import random_model


def _sign_changes(model, j, grid, fn):
    """Grid points after which fn(scores) changes sign as weight j sweeps the grid."""
    w = np.broadcast_to(model.weights, (grid.size, model.weights.size)).copy()
    w[:, j] = grid
    vals = fn(_core.weighted_scores(model.pooled(), w))
    s = np.sign(vals)
    return grid[:-1][s[:-1] * s[1:] < 0], vals


@pytest.mark.parametrize("seed", range(6))
def test_pair_thresholds_match_brute_force(seed):
    m = random_model(seed, areas=6, factors=4)
    res = flip_thresholds(m)
    grid = np.linspace(0, 60, 60_001)
    for j in range(4):
        for a, b in [(0, 1), (2, 5), (3, 4), (1, 5)]:
            changes, _ = _sign_changes(m, j, grid, lambda s, a=a, b=b: s[:, a] - s[:, b])
            t = res.pair_thresholds[j, a, b]
            if changes.size:
                assert changes.size == 1  # a ratio of linear functions changes sign at most once
                assert changes[0] <= t <= changes[0] + grid[1] + 1e-12
            else:
                assert np.isnan(t) or t > 60
            assert res.pair_thresholds[j, b, a] == t or (np.isnan(t) and np.isnan(
                res.pair_thresholds[j, b, a]))


@pytest.mark.parametrize("seed", range(6))
def test_category_thresholds_match_brute_force(seed):
    m = random_model(seed + 100, areas=8, factors=5)
    res = flip_thresholds(m)
    grid = np.linspace(0, 200, 200_001)
    for j in range(5):
        def gap(s):
            c = _core.category_means(s, m.category_index, 2)
            return c[:, 1] - c[:, 0]

        changes, _vals = _sign_changes(m, j, grid, gap)
        t = res.category_thresholds[j, 0]
        if changes.size:
            assert changes[0] <= t <= changes[0] + grid[1] + 1e-12
            # at the threshold the category gap is zero
            w = m.weights.copy()
            w[j] = t
            assert abs(gap(_core.weighted_scores(m.pooled(), w)[None])[0]) < 1e-9
        else:
            assert np.isnan(t) or t > 200


def test_wehner_statement_and_never_flips(wehner):
    res = flip_thresholds(wehner)
    rows = {r["factor"]: r for r in res.category_rows()}
    # feedback quality alone cannot put safety first: even at weight 0 capabilities lead
    assert rows["feedback_quality"]["direction"] == "never"
    assert wehner.score(weights={"feedback_quality": 0}).gaps["capabilities - safety"] > 0
    cvl = rows["compute_vs_labour"]
    assert cvl["direction"] == "rise" and "would have to rise from 2.5" in cvl["statement"]
    at = wehner.score(weights={"compute_vs_labour": cvl["threshold"]}).gaps["capabilities - safety"]
    assert abs(at) < 1e-9


def test_overrides_and_large_model_shapes():
    m = random_model(7, areas=100, factors=20)
    res = flip_thresholds(m)
    assert res.pair_thresholds.shape == (20, 100, 100)
    assert np.all(np.isnan(res.pair_thresholds[:, np.arange(100), np.arange(100)]))
    finite = res.pair_thresholds[~np.isnan(res.pair_thresholds)]
    assert np.all(finite >= 0)
    res2 = flip_thresholds(m, weights={"f0": 0.0})
    assert res2.weights[0] == 0.0
