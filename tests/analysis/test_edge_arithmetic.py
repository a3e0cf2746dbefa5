"""Arithmetic at the edges: flip thresholds of zero, huge and tiny differences raise no numpy
warnings; LP weights are never negative zeros; whole integer weight arrays sweep a real grid;
batches of Dirichlet draws with one alpha per row."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from autosafety.analysis import dirichlet, flip_thresholds, thresholds, tornado
from autosafety.analysis._implied import max_margin
from autosafety.model import Area, Factor, Model, ModelSpec, Rater, Rating


def test_thresholds_of_zero_huge_and_tiny_differences_are_quiet():
    # per factor j: t = -(total - d_j w_j) / d_j with total = d . w
    diffs = np.array([[0.0, 0.0, 0.0],       # all zero: 0 / 0 everywhere, never flips
                      [0.0, 2.0, -1.0],      # a zero difference beside others: x / 0
                      [1e-300, -1e300, 0.0]])  # a tiny difference against a huge one: overflow
    w = np.array([1.0, 1.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = thresholds(diffs, w)
    # row 1: total 1; f1: -(1 - 2) / 2 = 1/2; f2: -(1 + 1) / -1 = 2; f0 never (difference 0)
    # row 2: f0 would need 1e600 (not finite: never); f1: -(1e-300) / -1e300 = 1e-600 -> 0.0
    expected = np.array([[np.nan, np.nan, np.nan], [np.nan, 0.5, 2.0], [np.nan, 0.0, np.nan]])
    np.testing.assert_array_equal(t, expected)


def test_flip_thresholds_of_a_model_with_tied_ratings_are_quiet():
    # p and q tie on f0 (5, 5) and differ on f1 (2, 8); r ties q on both
    ratings = {"p": (5.0, 2.0), "q": (5.0, 8.0), "r": (5.0, 8.0)}
    m = Model(ModelSpec(
        id="ties", categories=["x", "y"], factors=[Factor(id="f0"), Factor(id="f1")],
        areas=[Area(id="p", category="x"), Area(id="q", category="y"), Area(id="r", category="y")],
        raters=[Rater(id="k")],
        ratings=[Rating(area=a, factor=f"f{j}", rater="k", value=v)
                 for a, vs in ratings.items() for j, v in enumerate(vs)]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = flip_thresholds(m)
    # p - q = p - r = (0, -6): f0 never changes the order (difference 0); f1 at 0 ties them
    # (-(-6 + 6 x 1) / -6 = 0); q and r tie in every factor, so nothing flips them
    t = res.pair_thresholds
    expected = np.full((2, 3, 3), np.nan)
    expected[1, 0, 1:] = expected[1, 1:, 0] = 0.0
    np.testing.assert_array_equal(t, expected)
    assert [(r["leader"], r["trailer"], r["factor"], r["threshold"]) for r in res.pair_rows()] == [
        ("q", "p", "f1", 0.0), ("r", "p", "f1", 0.0)]


def test_lp_weights_are_never_negative_zeros():
    rng = np.random.default_rng(0)
    zeros = 0
    for _ in range(120):
        d = rng.integers(-3, 4, (int(rng.integers(1, 5)), 2)).astype(float)
        m, w = max_margin(d)
        assert not np.signbit(w).any(), (d, w)
        assert w.sum() == pytest.approx(1.0)
        zeros += int((w == 0).any())
        # the margin against a fine grid on the simplex (two factors: w = (t, 1 - t))
        t = np.linspace(0.0, 1.0, 2001)
        grid = (d[:, :1] * t + d[:, 1:] * (1 - t)).min(axis=0).max()
        assert grid - 1e-9 <= m <= grid + 6 * np.abs(d).max() / 2000
    assert zeros > 10


def test_tornado_with_a_whole_integer_weight_array_sweeps_a_real_grid():
    # areas a (x) rated (1, 9) and b (y) rated (7, 3); weights (1, 2) given as integers
    m = Model(ModelSpec(
        id="ints", categories=["x", "y"], factors=[Factor(id="f0"), Factor(id="f1")],
        areas=[Area(id="a", category="x"), Area(id="b", category="y")], raters=[Rater(id="k")],
        ratings=[Rating(area=a, factor=f"f{j}", rater="k", value=v)
                 for a, vs in {"a": (1.0, 9.0), "b": (7.0, 3.0)}.items() for j, v in enumerate(vs)]))
    res = tornado(m, weights=np.array([1, 2]), low=0.0, high=1.0, points=5)
    grid = np.linspace(0.0, 1.0, 5)
    # sweeping f0 with f1 at 2: b - a = (6 t - 12) / (t + 2); sweeping f1 with f0 at 1: (6 - 6 t) / (1 + t)
    np.testing.assert_allclose(res.gaps[0, :, 0], (6 * grid - 12) / (grid + 2), rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.gaps[1, :, 0], (6 - 6 * grid) / (1 + grid), rtol=0, atol=1e-12)


def test_dirichlet_batches_draw_one_vector_per_alpha_row():
    alpha = np.array([[1.0, 2.0, 3.0], [5.0, 0.0, 5.0]])
    g = dirichlet(np.random.default_rng(4), alpha, 20_000)
    assert g.shape == (20_000, 2, 3)
    np.testing.assert_allclose(g.sum(axis=-1), 1.0)
    assert (g[:, 1, 1] == 0).all()  # alpha 0: weight 0
    # Dirichlet means alpha / sum(alpha); sd of component i: sqrt(m (1 - m) / (sum + 1))
    mean = alpha / alpha.sum(axis=1, keepdims=True)
    sd = np.sqrt(mean * (1 - mean) / (alpha.sum(axis=1, keepdims=True) + 1))
    assert np.all(np.abs(g.mean(axis=0) - mean) <= 6 * sd / np.sqrt(20_000) + 1e-12)
    one = dirichlet(np.random.default_rng(4), alpha[0], 20_000)
    assert one.shape == (20_000, 3)
    assert np.all(np.abs(one.mean(axis=0) - mean[0]) <= 6 * sd[0] / np.sqrt(20_000))


def test_a_threshold_at_zero_reads_as_zero_and_never_promises_an_overtake():
    """p (category x) = (5, 2), q (y) = (5, 8): the categories differ only on f1, so y's lead
    (3 points at equal weights) shrinks to a tie as f1's weight falls to 0, and no weight goes
    lower: x never comes first. The threshold is 0 - 0 / -6, which IEEE makes -0.0."""
    spec = ModelSpec(id="zero", categories=["x", "y"], factors=[Factor(id="f0"), Factor(id="f1")],
                     areas=[Area(id="p", category="x"), Area(id="q", category="y")],
                     raters=[Rater(id="r")],
                     ratings=[Rating(area=a, factor=f"f{j}", rater="r", value=v)
                              for a, vs in {"p": (5, 2), "q": (5, 8)}.items() for j, v in enumerate(vs)])
    row = next(c for c in flip_thresholds(Model(spec)).to_dict()["categories"] if c["factor"] == "f1")
    assert row["threshold"] == 0 and str(row["threshold"]) == "0.0"
    assert row["statement"] == ("the weight of f1 would have to fall from 1 to 0 for x to come level "
                                "with y (x never comes first: a weight stops at 0)")
