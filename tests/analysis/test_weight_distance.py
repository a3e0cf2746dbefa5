"""The smallest change of the weights that flips a conclusion, against closed forms (the distance to a
hyperplane within the simplex; moving weight from the most to the least favourable factor) and a
brute force along the segment where the two sides tie."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autosafety._errors import InputError, Problem
from autosafety.analysis import smallest_change
from autosafety.analysis._distance import conclusion_diffs
from autosafety.model import Area, Factor, Model, ModelSpec, Rater, Rating


def build(rows: dict[str, list[float]], weights: list[float],
          categories: dict[str, str] | None = None) -> Model:
    """Areas rated on factors f0, f1, ... by one rater (1-10 scale)."""
    categories = categories or {a: f"c{i % 2}" for i, a in enumerate(rows)}
    fids = [f"f{j}" for j in range(len(weights))]
    return Model(ModelSpec(
        id="hand", categories=list(dict.fromkeys(categories.values())),
        factors=[Factor(id=f, weight=w) for f, w in zip(fids, weights)],
        areas=[Area(id=a, category=categories[a]) for a in rows], raters=[Rater(id="r")],
        ratings=[Rating(area=a, factor=f, rater="r", value=v) for a, vals in rows.items()
                 for f, v in zip(fids, vals)]))


# a0 - a1 per factor: g = (3, 1, -2)
ROWS = {"a0": [8.0, 6.0, 3.0], "a1": [5.0, 5.0, 5.0]}
G = np.array([3.0, 1.0, -2.0])


def l2_closed_form(g, w0):
    """Nearest point to w0 on {g.v = 0, sum v = 1}: step along g's part orthogonal to (1, ..., 1);
    the distance is |g.w0| / ||g - mean(g)||."""
    gp = g - g.mean()
    return w0 - (g @ w0) / (gp @ gp) * gp, abs(g @ w0) / np.linalg.norm(gp)


def tie_segment(g, points=400_001):
    """Every point of the simplex in 3 factors where g.v = 0 (a segment), finely."""
    # v = (a, b, 1 - a - b) with g0 a + g1 b + g2 (1 - a - b) = 0  ->  b = (-g2 - (g0 - g2) a) / (g1 - g2)
    a = np.linspace(0.0, 1.0, points)
    b = (-g[2] - (g[0] - g[2]) * a) / (g[1] - g[2])
    v = np.stack([a, b, 1 - a - b], axis=1)
    return v[(v >= 0).all(axis=1)]


def test_l2_is_the_distance_to_the_tie_hyperplane_by_default():
    m = build(ROWS, [2.0, 2.0, 2.0])
    res = smallest_change(m, kind="areas", higher="a0", lower="a1")
    v, d = l2_closed_form(G, np.full(3, 1 / 3))
    np.testing.assert_allclose(v, np.array([12, 18, 27]) / 57)  # by hand: lambda = 1/19
    assert d == pytest.approx(2 / math.sqrt(114))
    assert res.possible and res.distance == "l2" and res.conclusion == "a0 > a1"
    np.testing.assert_allclose(res.shares, v, atol=1e-9)
    np.testing.assert_allclose(res.weights, 6 * v, atol=1e-8)  # scaled back to the total weight 6
    assert res.size == pytest.approx(d, abs=1e-9)
    got = res.to_dict()
    assert set(got) == {"model", "conclusion", "distance", "possible", "size", "weights",
                        "share_change"}
    assert got["model"] == "hand" and got["conclusion"] == "a0 > a1" and got["distance"] == "l2"
    assert got["possible"] is True and got["size"] == pytest.approx(d, abs=1e-9)
    assert list(got["weights"]) == ["f0", "f1", "f2"]
    np.testing.assert_allclose(list(got["weights"].values()), 6 * v, atol=1e-8)
    np.testing.assert_allclose(list(got["share_change"].values()), v - 1 / 3, atol=1e-9)
    assert all(type(x) is float for x in got["weights"].values())


def test_l1_moves_weight_from_the_most_to_the_least_favourable_factor():
    # each unit moved from f0 (g = 3) to f2 (g = -2) lowers the gap by 5: move t = (2/3) / 5 = 2/15,
    # an l1 change of 2t = 4/15
    m = build(ROWS, [1.0, 1.0, 1.0])
    res = smallest_change(m, kind="areas", higher="a0", lower="a1", distance="l1")
    np.testing.assert_allclose(res.shares, [1 / 5, 1 / 3, 7 / 15], atol=1e-9)
    np.testing.assert_allclose(res.weights, [3 / 5, 1.0, 7 / 5], atol=1e-9)
    assert res.size == pytest.approx(4 / 15, abs=1e-9)
    assert res.distance == "l1" and res.conclusion == "a0 > a1"
    got = res.to_dict()
    assert got["distance"] == "l1" and got["size"] == pytest.approx(4 / 15, abs=1e-9)
    np.testing.assert_allclose(list(got["share_change"].values()), [-2 / 15, 0.0, 2 / 15], atol=1e-9)


@pytest.mark.parametrize("distance", ["l2", "l1"])
def test_given_weights_where_the_simplex_edge_binds_match_a_brute_force(distance):
    # from (1, 45, 4) / 50 the unconstrained l2 step would make f0 negative: the nearest tie lies on
    # the edge f0 = 0; the brute force walks the whole tie segment
    m = build(ROWS, [1.0, 1.0, 1.0])
    given = [1, 45, 4]
    w0 = np.array(given) / 50
    res = smallest_change(m, kind="areas", higher="a0", lower="a1", distance=distance, weights=given)
    seg = tie_segment(G)
    d = (np.abs(seg - w0).sum(axis=1) if distance == "l1" else np.linalg.norm(seg - w0, axis=1))
    best = seg[d.argmin()]
    assert res.possible and res.distance == distance
    assert res.size == pytest.approx(d.min(), abs=1e-5)
    np.testing.assert_allclose(res.shares, best, atol=1e-4)
    np.testing.assert_allclose(res.weights, 50 * res.shares, rtol=1e-12)
    assert res.shares @ G == pytest.approx(0.0, abs=1e-9)
    assert (res.shares >= 0).all() and res.shares.sum() == pytest.approx(1.0, abs=1e-12)
    # by hand: the tie segment ends on the edge f0 = 0 at (0, 2/3, 1/3), where l2 lands (the
    # unconstrained step leaves the simplex) and l1 too (f0's 0.02 moves to f2, then 7/30 of f1)
    assert l2_closed_form(G, w0)[0][0] < 0
    np.testing.assert_allclose(res.shares, [0.0, 2 / 3, 1 / 3], atol=1e-9)
    edge = np.array([0.0, 2 / 3, 1 / 3]) - w0
    assert res.size == pytest.approx(np.abs(edge).sum() if distance == "l1" else np.linalg.norm(edge),
                                     abs=1e-9)
    # the change reported is from the weights given, (0.02, 0.9, 0.08), not the model's thirds
    np.testing.assert_allclose(list(res.to_dict()["share_change"].values()),
                               [-0.02, 2 / 3 - 0.9, 1 / 3 - 0.08], atol=1e-9)


@pytest.mark.parametrize("distance", ["l2", "l1"])
def test_a_factor_that_favours_neither_side_can_carry_all_the_weight(distance):
    # g = (2, 0): the gap is 2 w0, zero exactly when f1 has all the weight
    m = build({"a0": [7.0, 5.0], "a1": [5.0, 5.0]}, [1.0, 1.0])
    res = smallest_change(m, kind="areas", higher="a0", lower="a1", distance=distance)
    assert res.possible
    np.testing.assert_allclose(res.shares, [0.0, 1.0], atol=1e-9)
    np.testing.assert_allclose(res.weights, [0.0, 2.0], atol=1e-8)
    assert res.size == pytest.approx(1.0 if distance == "l1" else math.sqrt(0.5), abs=1e-9)


@pytest.mark.parametrize("distance", ["l2", "l1"])
def test_when_every_factor_favours_the_leader_nothing_flips(distance):
    m = build({"a0": [7.0, 6.0], "a1": [5.0, 5.0]}, [1.0, 3.0])
    res = smallest_change(m, kind="areas", higher="a0", lower="a1", distance=distance)
    assert res.possible is False and res.size == math.inf
    assert res.conclusion == "a0 > a1" and res.distance == distance
    np.testing.assert_allclose(res.weights, [1.0, 3.0])
    np.testing.assert_allclose(res.shares, [0.25, 0.75])
    assert res.to_dict() == {"model": "hand", "conclusion": "a0 > a1", "distance": distance,
                             "possible": False, "size": None, "weights": None, "share_change": None}


def test_a_tie_or_a_reversed_conclusion_is_refused():
    # g = (2, -2) at equal weights: the two areas tie exactly
    tie = build({"a0": [6.0, 4.0], "a1": [4.0, 6.0]}, [1.0, 1.0])
    with pytest.raises(InputError) as e:
        smallest_change(tie, kind="areas", higher="a0", lower="a1")
    assert e.value.problems == [Problem("conclusion", "a0 does not score above a1 now",
                                        "ask about 'a1 > a0' instead")]
    m = build(ROWS, [1.0, 1.0, 1.0])
    with pytest.raises(InputError) as e:
        smallest_change(m, kind="areas", higher="a1", lower="a0", distance="l1")
    assert e.value.problems == [Problem("conclusion", "a1 does not score above a0 now",
                                        "ask about 'a0 > a1' instead")]


@pytest.mark.parametrize(("kind", "higher", "lower", "location", "names"), [
    ("areas", "mars", "a1", "areas mars", "a0, a1"),
    ("areas", "a0", "mars", "areas mars", "a0, a1"),
    ("category", "c0", "x", "category x", "c0, c1"),
    ("category", "y", "x", "category y", "c0, c1")])
def test_unknown_names_are_refused_with_the_known_ones(kind, higher, lower, location, names):
    m = build(ROWS, [1.0, 1.0, 1.0])
    with pytest.raises(InputError) as e:
        smallest_change(m, kind=kind, higher=higher, lower=lower)
    assert e.value.problems == [Problem(location, "unknown name", f"use one of: {names}")]


# --- the per-factor differences -----------------------------------------------------------------

FOUR = {"a0": [8.0, 2.0], "a1": [6.0, 4.0], "a2": [3.0, 9.0], "a3": [1.0, 5.0]}
FOUR_CATS = {"a0": "lab", "a1": "lab", "a2": "field", "a3": "field"}


def test_category_differences_are_differences_of_category_means_per_factor():
    m = build(FOUR, [1.0, 1.0], FOUR_CATS)
    # lab means: (7, 3); field means: (2, 7)
    np.testing.assert_allclose(conclusion_diffs(m, "category", "lab", "field"), [5.0, -4.0])
    np.testing.assert_allclose(conclusion_diffs(m, "areas", "a2", "a1"), [-3.0, 5.0])
    # given pooled ratings replace the model's
    pooled = np.array([[1.0, 1.0], [3.0, 1.0], [10.0, 2.0], [6.0, 8.0]])
    np.testing.assert_allclose(conclusion_diffs(m, "category", "field", "lab", pooled=pooled),
                               [6.0, 4.0])
    np.testing.assert_allclose(conclusion_diffs(m, "areas", "a0", "a3", pooled=pooled), [-5.0, -7.0])


def test_category_conclusion_flips_at_the_closed_form_weights():
    # gap lab - field = 5 w0 - 4 w1 with w = (2, 1) / 3: 2 > 0; ties at w0 = 4/9
    m = build(FOUR, [2.0, 1.0], FOUR_CATS)
    for distance, size in (("l2", math.sqrt(2) * (2 / 3 - 4 / 9)), ("l1", 2 * (2 / 3 - 4 / 9))):
        res = smallest_change(m, kind="category", higher="lab", lower="field", distance=distance)
        assert res.conclusion == "lab > field"
        np.testing.assert_allclose(res.shares, [4 / 9, 5 / 9], atol=1e-9)
        np.testing.assert_allclose(res.weights, [4 / 3, 5 / 3], atol=1e-8)
        assert res.size == pytest.approx(size, abs=1e-9)


# --- precision of the l2 solver -----------------------------------------------------------------

@pytest.mark.parametrize(("a0", "weights"), [([6.2, 3.6, 5.2, 5.4], [46.0, 29.0, 22.0, 3.0]),
                                             ([6.0, 4.0, 7.0, 3.0, 8.0], [3.0, 1.0, 1.0, 2.0, 3.0])])
def test_l2_lands_on_the_projection_to_machine_precision(a0, weights):
    # a1 is rated 5 everywhere, so g = a0 - 5; the projection of w0 onto {g.v = 0, sum v = 1} has no
    # negative share here, so it is the answer: the solver (ftol 1e-14) must reach it, not stop near it
    a1 = [5.0] * len(a0)
    m = build({"a0": a0, "a1": a1}, weights)
    g = np.array(a0) - np.array(a1)
    w0 = np.array(weights) / sum(weights)
    v, d = l2_closed_form(g, w0)
    assert (v > 0).all()
    res = smallest_change(m, kind="areas", higher="a0", lower="a1")
    np.testing.assert_allclose(res.shares, v, rtol=0, atol=1e-12)
    assert res.size == pytest.approx(d, abs=1e-12)


def test_given_whole_number_weights_come_back_as_floats():
    m = build({"a0": [7.0, 6.0], "a1": [5.0, 5.0]}, [1.0, 1.0])
    res = smallest_change(m, kind="areas", higher="a0", lower="a1", weights=[1, 3])
    assert not res.possible
    assert res.weights.dtype == np.float64 and res.weights.tolist() == [1.0, 3.0]
    assert res.shares.tolist() == [0.25, 0.75]
