"""What the result objects report (rows, dicts, frames, statements), read against a model small
enough to compute by hand (issue 16: mutants of keys, directions and orderings survived).

The model: factors f0 (weight 1) and f1 (weight 3), on 1-10; areas a0 (category c0) rated 2, 8;
a1 and a2 (category c1) rated 6, 4 and 9, 5. Scores (w0 r0 + w1 r1) / 4: a0 6.5, a1 4.5, a2 6.0;
category averages c0 6.5, c1 5.25.

Flip thresholds t = -S_j / D_j (S_j: the difference with factor j left out):
a0 - a1 = (-4, 4): total 8; f0: S = 12, t = 3 (rise from 1); f1: S = -4, t = 1 (fall from 3).
a0 - a2 = (-7, 3): total 2; f0: S = 9, t = 9/7; f1: S = -7, t = 7/3.
a1 - a2 = (-3, -1): both negative, never flips. c1 - c0 = (5.5, -3.5): total -5;
f0: S = -10.5, t = 21/11 (rise); f1: S = 5.5, t = 11/7 (fall).
"""

from __future__ import annotations

import numpy as np
import pytest

from autosafety.analysis import flip_thresholds, implied_weights, monte_carlo
from autosafety.analysis._implied import _conflicting_pair, max_margin
from autosafety.model import Area, Factor, Model, ModelSpec, Rater, Rating

RATINGS = {"a0": (2.0, 8.0), "a1": (6.0, 4.0), "a2": (9.0, 5.0)}


@pytest.fixture(scope="module")
def hand() -> Model:
    return Model(ModelSpec(
        id="hand", categories=["c0", "c1"],
        factors=[Factor(id="f0", name="Zero", weight=1.0), Factor(id="f1", name="One", weight=3.0)],
        areas=[Area(id="a0", name="Alpha", category="c0"), Area(id="a1", category="c1"),
               Area(id="a2", category="c1")],
        raters=[Rater(id="r")],
        ratings=[Rating(area=a, factor=f"f{j}", rater="r", value=v)
                 for a, vs in RATINGS.items() for j, v in enumerate(vs)]))


def test_flip_rows_by_hand(hand):
    res = flip_thresholds(hand)
    np.testing.assert_allclose(res.scores, [6.5, 4.5, 6.0])
    assert res.category_pairs == [("c0", "c1")]
    cats = res.category_rows()
    assert [(r["kind"], r["leader"], r["trailer"], r["factor"], r["direction"]) for r in cats] == [
        ("category", "c0", "c1", "f0", "rise"), ("category", "c0", "c1", "f1", "fall")]
    assert [r["margin"] for r in cats] == pytest.approx([1.25, 1.25])
    assert [r["weight"] for r in cats] == [1.0, 3.0]
    assert [r["threshold"] for r in cats] == pytest.approx([21 / 11, 11 / 7])
    assert cats[0]["statement"] == ("the weight of Zero would have to rise from 1 to 1.909 for c1 to "
                                    "come level with c0 (beyond it, c1 comes first)")
    assert cats[1]["statement"].startswith("the weight of One would have to fall from 3 to 1.571 ")
    pairs = res.pair_rows()
    assert [(r["kind"], r["leader"], r["trailer"], r["factor"], r["direction"]) for r in pairs] == [
        ("areas", "a0", "a1", "f0", "rise"), ("areas", "a0", "a1", "f1", "fall"),
        ("areas", "a0", "a2", "f0", "rise"), ("areas", "a0", "a2", "f1", "fall")]
    assert [r["threshold"] for r in pairs] == pytest.approx([3.0, 1.0, 9 / 7, 7 / 3])
    assert [r["margin"] for r in pairs] == pytest.approx([2.0, 2.0, 0.5, 0.5])
    # the thresholds really tie the two sides (a brute-force check of the closed form)
    for r in pairs:
        s = hand.score(weights={r["factor"]: r["threshold"]}).scores
        assert s[int(r["leader"][1])] == pytest.approx(s[int(r["trailer"][1])])


def test_nearest_flips_and_pairs_that_never_flip(hand):
    res = flip_thresholds(hand)
    near = res.nearest_pair_flip("a2", "a0")  # |9/7 - 1| < |7/3 - 3|
    assert near is not None and (near["factor"], near["threshold"]) == ("f0", pytest.approx(9 / 7))
    cat = res.nearest_category_flip("c1", "c0")  # |21/11 - 1| < |11/7 - 3|
    assert cat is not None and cat["factor"] == "f0"
    assert res.nearest_pair_flip("a1", "a2") is None
    assert np.isnan(res.pair_thresholds[:, 1, 2]).all()
    assert res.statement("a2", "a1", "f1", 3.0, np.nan) == \
        "no weight of One in [0, inf) puts a1 above a2"
    assert res.statement("a0", "a1", "f0", 3.0, 3.0) == \
        "a0 and a1 are tied at the current weight of Zero (3)"
    d = res.to_dict()
    assert d["model"] == "hand" and d["weights"] == {"f0": 1.0, "f1": 3.0}
    assert d["categories"] == res.category_rows() and d["pairs"] == res.pair_rows()
    frame = res.to_frame()
    assert len(frame) == 6 and list(frame["kind"]) == ["category"] * 2 + ["areas"] * 4


def test_a_category_that_never_flips_says_so():
    """c1 - c0 = (2, 3): no weight in [0, inf) puts c0 above c1."""
    m = Model(ModelSpec(id="never", categories=["c0", "c1"],
                        factors=[Factor(id="f0"), Factor(id="f1")],
                        areas=[Area(id="a0", category="c0"), Area(id="a1", category="c1")],
                        raters=[Rater(id="r")],
                        ratings=[Rating(area="a0", factor="f0", rater="r", value=3.0),
                                 Rating(area="a0", factor="f1", rater="r", value=4.0),
                                 Rating(area="a1", factor="f0", rater="r", value=5.0),
                                 Rating(area="a1", factor="f1", rater="r", value=7.0)]))
    rows = flip_thresholds(m).category_rows()
    assert [(r["leader"], r["trailer"], r["threshold"], r["direction"]) for r in rows] == [
        ("c1", "c0", None, "never"), ("c1", "c0", None, "never")]
    assert rows[0]["statement"] == "no weight of f0 in [0, inf) puts c0 above c1"
    assert rows[0]["margin"] == pytest.approx(2.5)
    assert flip_thresholds(m).nearest_category_flip("c0", "c1") is None


def test_implied_weights_of_a_feasible_ranking_by_hand(hand):
    """a0 > a2 > a1: rows (-7, 3), (-4, 4), (3, 1) at w = (p, 1 - p) give 3 - 10p, 4 - 8p, 1 + 2p;
    the smallest is largest where 3 - 10p = 1 + 2p: p = 1/6, margin 4/3."""
    res = implied_weights(hand, order=["a0", "a2", "a1"])
    assert res.feasible and res.margin == pytest.approx(4 / 3)
    np.testing.assert_allclose(res.weights, [1 / 6, 5 / 6], atol=1e-9)
    d = res.to_dict()
    assert d["model"] == "hand" and d["order"] == ["a0", "a2", "a1"] and d["feasible"] is True
    assert d["weights"] == pytest.approx({"f0": 1 / 6, "f1": 5 / 6})
    assert d["conflict"] == [] and d["unsatisfied"] == []
    assert d["margin"] == pytest.approx(4 / 3)
    assert d["best_weights"] == pytest.approx({"f0": 1 / 6, "f1": 5 / 6})
    assert (d["satisfied"], d["stated"]) == (3, 3)
    frame = res.to_frame()
    assert list(frame.index) == ["f0", "f1"] and frame.index.name == "factor"
    np.testing.assert_allclose(frame["model"], [0.25, 0.75])
    np.testing.assert_allclose(frame["implied"], [1 / 6, 5 / 6], atol=1e-9)
    np.testing.assert_allclose(frame["best"], [1 / 6, 5 / 6], atol=1e-9)


def test_implied_weights_of_an_impossible_ranking_by_hand(hand):
    """a1 > a0 > a2: a1 - a2 = (-3, -1) is negative at every weight (a conflict alone); a1 - a0 =
    (4, -4) needs p > 1/2 and a0 - a2 = (-7, 3) needs p < 0.3, so at most one order holds."""
    res = implied_weights(hand, order=["a1", "a0", "a2"])
    assert not res.feasible and res.margin <= 0
    assert res.conflict == [("a1", "a2")]
    assert len(res.satisfied) == 1 and res.pairs == [("a1", "a0"), ("a1", "a2"), ("a0", "a2")]
    d = res.to_dict()
    assert d["weights"] is None and d["conflict"] == [["a1", "a2"]]
    assert (d["satisfied"], d["stated"]) == (1, 3) and len(d["unsatisfied"]) == 2
    assert ["a1", "a2"] in d["unsatisfied"]
    assert sum(d["best_weights"].values()) == pytest.approx(1.0)
    assert np.isnan(res.to_frame()["implied"]).all()


def test_a_conflicting_pair_is_a_pair_that_really_conflicts():
    """Against an LP per pair: the first conflicting pair in (p, q) order, or None if none is."""
    rng = np.random.default_rng(11)
    found = 0
    for _ in range(150):
        d = rng.integers(-3, 4, (int(rng.integers(2, 6)), 3)).astype(float)
        d = d[d.max(axis=1) > 0]  # no row that conflicts alone
        if len(d) < 2:
            continue
        brute = [(p, q) for p in range(len(d)) for q in range(p + 1, len(d))
                 if max_margin(d[[p, q]])[0] <= 1e-9]
        got = _conflicting_pair(d)
        assert got == (brute[0] if brute else None), d
        found += got is not None
    assert 10 < found < 140  # both outcomes were exercised


def test_monte_carlo_without_uncertainty_reports_the_point_model(hand):
    """No noise, no weight draws: every draw is the point model, so every summary is known."""
    res = monte_carlo(hand, draws=500, seed=3, rating_noise=False, chunk_size=200)
    assert res.draws == 500 and not res.converged
    np.testing.assert_allclose(res.score_mean, [6.5, 4.5, 6.0])
    np.testing.assert_allclose(res.score_sd, 0.0, atol=1e-7)
    np.testing.assert_array_equal(res.rank_probabilities, [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    np.testing.assert_array_equal(res.pairwise, [[0, 1, 1], [0, 0, 0], [0, 1, 0]])
    np.testing.assert_array_equal(res.p_top(2), [1, 0, 1])
    res_bin = 9 / 4096
    np.testing.assert_allclose(res.score_quantile(0.5), [6.5, 4.5, 6.0], atol=res_bin)
    frame = res.to_frame()
    assert list(frame.index) == ["a0", "a2", "a1"] and frame.index.name == "area"
    assert list(frame["name"]) == ["Alpha", "a2", "a1"]
    assert list(frame["category"]) == ["c0", "c1", "c1"]
    np.testing.assert_allclose(frame["expected_rank"], [1, 2, 3])
    np.testing.assert_allclose(frame["p_top1"], [1, 0, 0])
    np.testing.assert_allclose(frame["p_top3"], [1, 1, 1])
    np.testing.assert_allclose(frame[["p_rank1", "p_rank2", "p_rank3"]], [[1, 0, 0], [0, 1, 0],
                                                                         [0, 0, 1]])
    np.testing.assert_allclose(frame["low"], frame["mean"], atol=res_bin)
    np.testing.assert_allclose(frame["median"], frame["mean"], atol=res_bin)
    np.testing.assert_allclose(frame["high"], frame["mean"], atol=res_bin)
    np.testing.assert_allclose(frame[["sd", "se"]], 0.0, atol=1e-7)
    pair = res.pairwise_frame()
    assert list(pair.index) == list(pair.columns) == ["a0", "a1", "a2"]
    assert pair.index.name == "area"
    assert pair.loc["a2", "a1"] == 1.0 and pair.loc["a1", "a2"] == 0.0


def test_monte_carlo_dict_by_hand(hand):
    res = monte_carlo(hand, draws=500, seed=3, rating_noise=False, chunk_size=200)
    d = res.to_dict(bins=64)
    assert (d["model"], d["seed"], d["draws"], d["converged"], d["max_se"]) == ("hand", 3, 500,
                                                                               False, 0.0)
    assert d["settings"]["draws"] == 500 and d["settings"]["chunk_size"] == 200
    assert d["seconds"] == res.seconds >= 0
    assert d["settings"]["interval"] == 0.9 and d["settings"]["rating_noise"] is False
    assert [a["id"] for a in d["areas"]] == ["a0", "a2", "a1"]
    assert d["areas"][0]["name"] == "Alpha" and d["areas"][0]["mean"] == pytest.approx(6.5)
    assert d["areas"][1]["rank_probabilities"] == [0.0, 1.0, 0.0]
    assert d["areas"][2]["expected_rank"] == pytest.approx(3.0)
    assert not any(k.startswith("p_rank") for k in d["areas"][0])
    assert d["pairwise"] == {"areas": ["a0", "a1", "a2"],
                             "p_row_above_column": [[0.0, 1.0, 1.0], [0.0, 0.0, 0.0],
                                                    [0.0, 1.0, 0.0]]}
    [gap] = d["categories"]
    assert (gap["gap"], gap["higher"], gap["lower"]) == ("c1 - c0", "c1", "c0")
    assert gap["p_higher_above"] == 0.0 and gap["se"] == 0.0
    assert gap["mean"] == pytest.approx(-1.25) and gap["sd"] == pytest.approx(0.0, abs=1e-6)
    assert gap["se_mean"] == pytest.approx(0.0, abs=1e-7)
    for k in ("median", "low", "high"):
        assert gap[k] == pytest.approx(-1.25, abs=18 / 4096)
    assert d["scenarios"] == {}
    edges = d["distributions"]["edges"]
    assert len(edges) == 65 and edges[0] == 1.0 and edges[-1] == 10.0
    counts = d["distributions"]["counts"]
    assert list(counts) == ["a0", "a1", "a2"]
    # 6.5 falls in bin floor((6.5 - 1) / 9 x 64) = 39, 4.5 in 24, 6.0 in 35
    for aid, b in (("a0", 39), ("a1", 24), ("a2", 35)):
        assert counts[aid][b] == 500 and sum(counts[aid]) == 500
    text = repr(res)
    assert text.splitlines() == ["MonteCarloResult('hand', seed=3, draws=500)",
                                 "  P(c1 > c0) = 0.0000 ± 0.0000; gap -1.25 [-1.25, -1.25]"]


@pytest.mark.parametrize(("order", "problems"), [
    (["a0", "mars"], [("ranking mars", "unknown area", "use: a0, a1, a2")]),
    (["a0", "a0"], [("ranking", "an area appears twice", "name each area once")]),
    (["a1"], [("ranking", "needs at least two areas", "name two or more areas")]),
    (["x", "x"], [("ranking x", "unknown area", "use: a0, a1, a2"),
                  ("ranking x", "unknown area", "use: a0, a1, a2"),
                  ("ranking", "an area appears twice", "name each area once")]),
])
def test_a_bad_ranking_lists_every_problem_with_its_place_and_fix(hand, order, problems):
    from autosafety._errors import InputError

    with pytest.raises(InputError) as e:
        implied_weights(hand, order=order)
    assert [(p.location, p.message, p.fix) for p in e.value.problems] == problems
    assert e.value.title == "invalid ranking"


def test_two_areas_are_enough_for_a_ranking(hand):
    """a2 above a1 holds at every weight (9 > 6 and 5 > 4): margin max(3, 1) = 3 at w = (1, 0)."""
    res = implied_weights(hand, order=["a2", "a1"])
    assert res.feasible and res.margin == pytest.approx(3.0)
    np.testing.assert_allclose(res.weights, [1.0, 0.0], atol=1e-9)


def test_a_model_without_a_stated_ranking_says_what_to_give(hand):
    from autosafety._errors import InputError

    with pytest.raises(InputError) as e:
        implied_weights(hand)
    [p] = e.value.problems
    assert (p.location, p.message, p.fix) == ("ranking", "model 'hand' states no ranking",
                                              "give the order of areas, most amenable first")


def test_the_later_area_and_category_can_lead_by_less_than_a_point():
    """Weights 3, 1; a0 (c0) rated 2, 8 scores 3.5, a1 (c1) rated 4, 4 scores 4.0: a1 and c1 lead
    by 0.5. a0 - a1 = (-2, 4), total -2: f0 flips at t = 4 / 2 = 2 (fall from 3), f1 at 6 / 4 = 1.5
    (rise from 1)."""
    m = Model(ModelSpec(id="later", categories=["c0", "c1"],
                        factors=[Factor(id="f0", weight=3.0), Factor(id="f1", weight=1.0)],
                        areas=[Area(id="a0", category="c0"), Area(id="a1", category="c1")],
                        raters=[Rater(id="r")],
                        ratings=[Rating(area=a, factor=f"f{j}", rater="r", value=v)
                                 for a, vs in {"a0": (2.0, 8.0), "a1": (4.0, 4.0)}.items()
                                 for j, v in enumerate(vs)]))
    res = flip_thresholds(m)
    pairs, cats = res.pair_rows(), res.category_rows()
    assert [(r["leader"], r["trailer"], r["factor"], r["direction"]) for r in pairs] == [
        ("a1", "a0", "f0", "fall"), ("a1", "a0", "f1", "rise")]
    assert [(r["leader"], r["trailer"], r["factor"], r["direction"]) for r in cats] == [
        ("c1", "c0", "f0", "fall"), ("c1", "c0", "f1", "rise")]
    for rows in (pairs, cats):
        assert [r["threshold"] for r in rows] == pytest.approx([2.0, 1.5])
        assert [r["margin"] for r in rows] == pytest.approx([0.5, 0.5])


def test_the_nearest_flip_is_the_smallest_change_of_weight_not_the_smallest_threshold():
    from autosafety.analysis._flips import _nearest

    rows = [{"threshold": 0.1, "weight": 1.0}, {"threshold": 5.5, "weight": 5.0},
            {"threshold": None, "weight": 2.0}]
    assert _nearest(rows) == rows[1]  # a change of 0.5 beats one of 0.9
    assert _nearest(rows[2:]) is None


def test_a_pair_that_cancels_with_a_shared_zero_factor_is_found():
    """Rows (1, -1, 0) and (-1, 1, 0): their average is 0 in every factor, so no weights make both
    positive; factor 2 is 0 in both (no bound on the mix from it)."""
    assert _conflicting_pair(np.array([[1.0, -1.0, 0.0], [-1.0, 1.0, 0.0]])) == (0, 1)
    assert _conflicting_pair(np.array([[1.0, -1.0, 0.0], [-1.0, 2.0, 0.0]])) is None


def test_the_most_satisfied_orders_match_a_search_over_subsets():
    """Against brute force: the largest set of rows some simplex weights make >= eps (an LP per
    subset); the returned weights are on the simplex and satisfy exactly the rows they claim."""
    import itertools

    from autosafety.analysis._implied import most_satisfied

    rng = np.random.default_rng(5)
    eps = 9e-6  # what implied_weights uses on a 1-10 scale (1e-6 x the range)
    for _ in range(25):
        d = rng.integers(-3, 4, (int(rng.integers(3, 6)), 3)).astype(float)
        best = max(len(s) for k in range(len(d) + 1) for s in itertools.combinations(range(len(d)), k)
                   if not s or max_margin(d[list(s)])[0] >= eps)
        w, ok = most_satisfied(d, eps=eps)
        assert w.sum() == pytest.approx(1.0) and (w >= -1e-12).all()
        assert list(ok) == list(d @ w > 0)
        assert ok.sum() == best, d


def test_top_three_of_four_areas_by_hand():
    """Four areas rated 1, 4, 7, 9 on one factor, no noise: the three best are always the top 3."""
    m = Model(ModelSpec(id="four", categories=["c"], factors=[Factor(id="f")],
                        areas=[Area(id=f"a{i}", category="c") for i in range(4)],
                        raters=[Rater(id="r")],
                        ratings=[Rating(area=f"a{i}", factor="f", rater="r", value=v)
                                 for i, v in enumerate((1.0, 4.0, 7.0, 9.0))]))
    frame = monte_carlo(m, draws=100, rating_noise=False).to_frame()
    np.testing.assert_array_equal(frame.loc[["a0", "a1", "a2", "a3"], "p_top3"], [0, 1, 1, 1])
    np.testing.assert_array_equal(frame.loc[["a0", "a1", "a2", "a3"], "p_top1"], [0, 0, 0, 1])


def test_flip_thresholds_take_weights_and_ratings_as_overrides_or_arrays(hand):
    """Weights (3, 1): scores (6 + 8) / 4, (18 + 4) / 4, (27 + 5) / 4 = 3.5, 5.5, 8. a0's f1
    rated 2 instead of 8: a0 = (2 + 6) / 4 = 2. Ratings given whole: 1, 2, 3 in both factors."""
    np.testing.assert_allclose(flip_thresholds(hand, weights=np.array([3, 1])).scores, [3.5, 5.5, 8])
    np.testing.assert_allclose(flip_thresholds(hand, weights={"f0": 3.0, "f1": 1.0}).scores,
                               [3.5, 5.5, 8])
    res = flip_thresholds(hand, ratings={("a0", "f1"): 2.0})
    np.testing.assert_allclose(res.scores, [2.0, 4.5, 6.0])
    assert res.pooled[0, 1] == 2.0
    whole = np.array([[1, 1], [2, 2], [3, 3]])
    np.testing.assert_allclose(flip_thresholds(hand, ratings=whole).scores, [1, 2, 3])


def test_thresholds_of_a_difference_of_one_and_of_a_tie_at_weight_zero():
    """d = (1, -2), w = (1, 1): f0 flips at 2 (2 - 2 = 0), f1 at 0.5 (1 - 1 = 0). d = (2, -1, 1),
    w = (1, 2, 0): tied now, and f2's weight 0 is where it flips (t = 0)."""
    from autosafety.analysis import thresholds

    np.testing.assert_allclose(thresholds(np.array([1.0, -2.0]), np.array([1.0, 1.0])), [2.0, 0.5])
    assert thresholds(np.array([2.0, -1.0, 1.0]), np.array([1.0, 2.0, 0.0]))[2] == 0.0
