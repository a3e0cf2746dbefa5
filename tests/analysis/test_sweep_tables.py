"""Tornado sweeps, leave-one-out and add-a-factor tables against scores recomputed by hand.

Every expected value comes from the weighted mean written out in numpy in this file,
score_a = sum_f w_f r_af / sum_f w_f, on models small enough to check on paper; ranks are
competition ranks (1 + how many areas score strictly higher).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from autosafety._errors import InputError, Problem
from autosafety.analysis import add_factor, leave_one_out, tornado
from autosafety.model import Area, Factor, Model, ModelSpec, Rater, Rating


def hand_model(weights: dict[str, float], table: dict[str, tuple[str, list[float]]], *,
               categories: list[str], origin: str = "model", mid: str = "hand") -> Model:
    """One rater 'r0'; ``table`` maps area -> (category, ratings per factor in weight order)."""
    fids = list(weights)
    return Model(ModelSpec(
        id=mid, categories=categories,
        factors=[Factor(id=f, name=f"Factor {f}", weight=w) for f, w in weights.items()],
        areas=[Area(id=a, category=c) for a, (c, _) in table.items()],
        raters=[Rater(id="r0")],
        ratings=[Rating(area=a, factor=fids[j], rater="r0", value=v)
                 for a, (_, vals) in table.items() for j, v in enumerate(vals)]), origin=origin)


# Four areas, two categories, three factors; integer ratings on 1-10.
FOUR = {"a0": ("x", [5.0, 6.0, 8.0]), "a1": ("x", [10.0, 1.0, 2.0]),
        "a2": ("y", [9.0, 10.0, 3.0]), "a3": ("y", [4.0, 9.0, 5.0])}
FOUR_W = {"f0": 1.0, "f1": 2.0, "f2": 0.5}


def table_array(table):
    return np.array([vals for _, vals in table.values()], dtype=float)


def members(table, categories):
    return [[i for i, (c, _) in enumerate(table.values()) if c == k] for k in categories]


def hand_scores(R, w):
    w = np.asarray(w, dtype=float)
    return (R * w).sum(axis=1) / w.sum()


def hand_gaps(s, groups):
    """'later - earlier' for each pair of categories, pairs in (0,1), (0,2), (1,2) order."""
    means = [np.mean([s[i] for i in g]) for g in groups]
    return [means[j] - means[i] for i in range(len(means)) for j in range(i + 1, len(means))]


def hand_ranks(s):
    return [1 + sum(1 for y in s if y > x + 1e-9) for x in s]


def brute_sweep(R, w, grid, groups):
    """Per factor j and grid value t: gaps and ranks with w_j = t (None where all weights are 0)."""
    out = []
    for j in range(len(w)):
        rows = []
        for t in grid:
            v = np.array(w, dtype=float)
            v[j] = t
            if v.sum() == 0:
                rows.append(None)
                continue
            s = hand_scores(R, v)
            rows.append((hand_gaps(s, groups), hand_ranks(s)))
        out.append(rows)
    return out


@pytest.fixture(scope="module")
def four() -> Model:
    return hand_model(FOUR_W, FOUR, categories=["x", "y"], origin="four.yaml")


def test_tornado_default_grid_is_zero_to_twice_the_largest_weight(four):
    res = tornado(four)
    np.testing.assert_allclose(res.grid, np.linspace(0.0, 4.0, 201), rtol=0, atol=1e-15)
    assert (res.low, res.high) == (0.0, 4.0)
    assert res.gaps.shape == (3, 201, 1) and res.ranks.shape == (3, 201, 4)


def test_tornado_gaps_ranks_and_frame_match_brute_force(four):
    R, groups = table_array(FOUR), members(FOUR, ["x", "y"])
    grid = np.linspace(0.5, 4.5, 9)
    res = tornado(four, low=0.5, high=4.5, points=9)
    brute = brute_sweep(R, list(FOUR_W.values()), grid, groups)
    for j in range(3):
        for k in range(9):
            gaps, ranks = brute[j][k]
            assert res.gaps[j, k, 0] == pytest.approx(gaps[0], abs=1e-12)
            assert list(res.ranks[j, k]) == ranks
    base = hand_gaps(hand_scores(R, list(FOUR_W.values())), groups)
    assert res.base_gaps[0] == pytest.approx(base[0], abs=1e-12)

    frame = res.to_frame()
    assert frame.index.name == "factor"
    assert list(frame.columns) == ["weight", "gap_at_low", "gap_at_high", "gap_min", "gap_max",
                                   "base_gap", "swing", "flips"]
    swings = {}
    for j, fid in enumerate(FOUR_W):
        g = [brute[j][k][0][0] for k in range(9)]
        row = frame.loc[fid]
        assert row["weight"] == FOUR_W[fid]
        assert row["gap_at_low"] == pytest.approx(g[0], abs=1e-12)
        assert row["gap_at_high"] == pytest.approx(g[-1], abs=1e-12)
        assert row["gap_min"] == pytest.approx(min(g), abs=1e-12)
        assert row["gap_max"] == pytest.approx(max(g), abs=1e-12)
        assert row["swing"] == pytest.approx(max(g) - min(g), abs=1e-12)
        assert row["base_gap"] == pytest.approx(base[0], abs=1e-12)
        assert bool(row["flips"]) == (min(g) < 0 < max(g))
        swings[fid] = max(g) - min(g)
    assert list(frame.index) == sorted(swings, key=swings.get, reverse=True)


def test_tornado_overrides_change_the_swept_model(four):
    R, groups = table_array(FOUR), members(FOUR, ["x", "y"])
    w = [3.0, 2.0, 0.5]
    ratings = {("a2", "f2"): 7.0}
    R2 = R.copy()
    R2[2, 2] = 7.0
    grid = np.linspace(0.0, 6.0, 7)  # default high: twice the largest (overridden) weight
    res = tornado(four, weights={"f0": 3.0}, ratings=ratings, points=7)
    np.testing.assert_allclose(res.grid, grid, rtol=0, atol=1e-15)
    np.testing.assert_allclose(res.weights, w)
    brute = brute_sweep(R2, w, grid, groups)
    for j in range(3):
        for k in range(7):
            assert res.gaps[j, k, 0] == pytest.approx(brute[j][k][0][0], abs=1e-12)
            assert list(res.ranks[j, k]) == brute[j][k][1]
    assert res.base_gaps[0] == pytest.approx(hand_gaps(hand_scores(R2, w), groups)[0], abs=1e-12)


def test_tornado_two_points_are_the_two_ends(four):
    R, groups = table_array(FOUR), members(FOUR, ["x", "y"])
    res = tornado(four, low=1.0, high=3.0, points=2)
    assert list(res.grid) == [1.0, 3.0]
    frame = res.to_frame()
    for j, fid in enumerate(FOUR_W):
        ends = []
        for t in (1.0, 3.0):
            v = np.array(list(FOUR_W.values()))
            v[j] = t
            ends.append(hand_gaps(hand_scores(R, v), groups)[0])
        assert frame.loc[fid, "gap_at_low"] == pytest.approx(ends[0], abs=1e-12)
        assert frame.loc[fid, "gap_at_high"] == pytest.approx(ends[1], abs=1e-12)


@pytest.mark.parametrize(("low", "high", "points"), [(2.0, 2.0, 5), (3.0, 1.0, 201), (-1.0, 2.0, 5),
                                                     (0.0, 2.0, 1), (0.0, float("inf"), 5),
                                                     (float("nan"), 2.0, 5)])
def test_tornado_rejects_bad_ranges_with_one_problem(four, low, high, points):
    with pytest.raises(InputError) as e:
        tornado(four, low=low, high=high, points=points)
    assert e.value.problems == [Problem(
        "sweep", f"need 0 <= low < high and points >= 2, got low={low}, high={high}, points={points}",
        "e.g. --low 0 --high 5")]


def test_tornado_blanks_the_points_where_every_weight_is_zero(four):
    R, groups = table_array(FOUR), members(FOUR, ["x", "y"])
    res = tornado(four, weights={"f1": 0.0, "f2": 0.0}, low=0.0, high=2.0, points=3)
    # sweeping f0 from 0: the first point has no weight at all
    assert np.isnan(res.gaps[0, 0, 0]) and np.isnan(res.ranks[0, 0]).all()
    brute = brute_sweep(R, [1.0, 0.0, 0.0], [0.0, 1.0, 2.0], groups)
    assert brute[0][0] is None
    for j in range(3):
        for k in range(3):
            if brute[j][k] is not None:
                assert res.gaps[j, k, 0] == pytest.approx(brute[j][k][0][0], abs=1e-12)
                assert list(res.ranks[j, k]) == brute[j][k][1]
    frame = res.to_frame()
    g0 = [brute[0][k][0][0] for k in (1, 2)]
    assert frame.loc["f0", "gap_min"] == pytest.approx(min(g0), abs=1e-12)
    assert frame.loc["f0", "gap_max"] == pytest.approx(max(g0), abs=1e-12)
    ranks = [brute[0][k][1] for k in (1, 2)]
    lo = [min(r[i] for r in ranks) for i in range(4)]
    hi = [max(r[i] for r in ranks) for i in range(4)]
    assert res.to_dict()["rank_ranges"]["f0"] == {a: [lo[i], hi[i]] for i, a in enumerate(FOUR)}


# Two areas p (category x) and q (category y): gaps that touch zero without crossing it, cross it
# while staying within (-1, 1), or stay strictly between 0 and 1.
TOUCH_ABOVE = {"p": ("x", [5.0, 5.0]), "q": ("y", [5.5, 5.0])}   # f0 sweep: 0.5t/(1+t) >= 0
TOUCH_BELOW = {"p": ("x", [5.5, 5.0]), "q": ("y", [5.0, 5.0])}   # f0 sweep: -0.5t/(1+t) <= 0
SMALL_CROSS = {"p": ("x", [5.5, 5.0, 5.0]), "q": ("y", [5.0, 5.0, 5.5])}  # f0: (0.5 - 0.5t)/(2+t)


@pytest.mark.parametrize("table", [TOUCH_ABOVE, TOUCH_BELOW, SMALL_CROSS, FOUR])
def test_flips_means_the_gap_takes_both_strict_signs(table):
    F = len(next(iter(table.values()))[1])
    weights = {f"f{j}": 1.0 for j in range(F)}
    m = hand_model(weights, table, categories=["x", "y"])
    res = tornado(m, low=0.0, high=2.0, points=5)
    brute = brute_sweep(table_array(table), [1.0] * F, np.linspace(0, 2, 5), members(table, ["x", "y"]))
    frame = res.to_frame()
    for j in range(F):
        g = [b[0][0] for b in brute[j]]
        assert bool(frame.loc[f"f{j}", "flips"]) is bool(min(g) < 0 and max(g) > 0)
        assert frame.loc[f"f{j}", "swing"] == pytest.approx(max(g) - min(g), abs=1e-12)


def test_flips_by_hand_on_two_areas():
    above = tornado(hand_model({"f0": 1.0, "f1": 1.0}, TOUCH_ABOVE, categories=["x", "y"]),
                    low=0.0, high=2.0, points=5).to_frame()
    # f0: gap 0.5t/(1+t) from exactly 0 up to 1/3; f1: gap 0.5/(1+t) from 1/2 down to 1/6
    assert above.loc["f0", "gap_min"] == 0.0 and above.loc["f0", "gap_max"] == pytest.approx(1 / 3)
    assert above.loc["f1", "gap_min"] == pytest.approx(1 / 6)
    assert not above["flips"].any()
    below = tornado(hand_model({"f0": 1.0, "f1": 1.0}, TOUCH_BELOW, categories=["x", "y"]),
                    low=0.0, high=2.0, points=5).to_frame()
    assert below.loc["f0", "gap_max"] == 0.0 and not below["flips"].any()
    cross = tornado(hand_model({"f0": 1.0, "f1": 1.0, "f2": 1.0}, SMALL_CROSS, categories=["x", "y"]),
                    low=0.0, high=2.0, points=5).to_frame()
    # f0: (0.5 - 0.5t)/(2+t) from 1/4 to -1/8; f2: (0.5t - 0.5)/(2+t) from -1/4 to 1/8
    assert cross.loc["f0", "gap_max"] == pytest.approx(0.25)
    assert cross.loc["f0", "gap_min"] == pytest.approx(-0.125)
    assert cross["flips"].to_dict() == {"f0": True, "f1": False, "f2": True}


def test_rank_ranges_are_the_extremes_over_the_grid(four):
    R, groups = table_array(FOUR), members(FOUR, ["x", "y"])
    grid = np.linspace(0.0, 6.0, 13)
    res = tornado(four, low=0.0, high=6.0, points=13)
    brute = brute_sweep(R, list(FOUR_W.values()), grid, groups)
    cells, ranges = [], {}
    for j, fid in enumerate(FOUR_W):
        ranks = [b[1] for b in brute[j]]
        lo = [min(r[i] for r in ranks) for i in range(4)]
        hi = [max(r[i] for r in ranks) for i in range(4)]
        cells.append([f"{a}-{b}" if a != b else f"{a}" for a, b in zip(lo, hi)])
        ranges[fid] = {a: [lo[i], hi[i]] for i, a in enumerate(FOUR)}
    flat = [c for row in cells for c in row]
    assert any("-" in c for c in flat) and any("-" not in c for c in flat)  # both kinds present
    expected = pd.DataFrame(cells, index=pd.Index(list(FOUR_W), name="factor"), columns=list(FOUR))
    pd.testing.assert_frame_equal(res.rank_ranges(), expected)
    assert res.to_dict()["rank_ranges"] == ranges


def test_rank_ranges_with_more_points_than_areas_and_more_areas_than_points():
    table = {f"a{i}": ("x" if i < 3 else "y", [float(1 + i), float(9 - i)]) for i in range(6)}
    m = hand_model({"f0": 1.0, "f1": 1.0}, table, categories=["x", "y"])
    R, groups = table_array(table), members(table, ["x", "y"])
    for points in (2, 9):
        grid = np.linspace(0.0, 3.0, points)
        res = tornado(m, low=0.0, high=3.0, points=points)
        brute = brute_sweep(R, [1.0, 1.0], grid, groups)
        rows = []
        for j in range(2):
            ranks = [b[1] for b in brute[j]]
            lo = [min(r[i] for r in ranks) for i in range(6)]
            hi = [max(r[i] for r in ranks) for i in range(6)]
            rows.append([f"{a}-{b}" if a != b else f"{a}" for a, b in zip(lo, hi)])
            assert res.to_dict()["rank_ranges"][f"f{j}"] == {
                a: [lo[i], hi[i]] for i, a in enumerate(table)}
        assert res.rank_ranges().values.tolist() == rows


def test_tornado_to_dict_by_hand(four):
    R, groups = table_array(FOUR), members(FOUR, ["x", "y"])
    grid = np.linspace(0.0, 2.0, 5)
    data = tornado(four, low=0.0, high=2.0, points=5).to_dict()
    assert set(data) == {"model", "low", "high", "gap", "factors", "rank_ranges"}
    assert (data["model"], data["low"], data["high"], data["gap"]) == ("hand", 0.0, 2.0, "y - x")
    brute = brute_sweep(R, list(FOUR_W.values()), grid, groups)
    base = hand_gaps(hand_scores(R, list(FOUR_W.values())), groups)[0]
    expected = []
    for j, fid in enumerate(FOUR_W):
        g = [b[0][0] for b in brute[j]]
        expected.append({"factor": fid, "weight": FOUR_W[fid], "gap_at_low": g[0],
                         "gap_at_high": g[-1], "gap_min": min(g), "gap_max": max(g),
                         "base_gap": base, "swing": max(g) - min(g),
                         "flips": bool(min(g) < 0 < max(g))})
    expected.sort(key=lambda r: r["swing"], reverse=True)
    assert [r["factor"] for r in data["factors"]] == [r["factor"] for r in expected]
    assert any(r["flips"] for r in expected) and not all(r["flips"] for r in expected)
    for got, want in zip(data["factors"], expected):
        assert list(got) == list(want)
        assert type(got["flips"]) is bool and got["flips"] is want["flips"]
        assert got["factor"] == want["factor"]
        for k in ("weight", "gap_at_low", "gap_at_high", "gap_min", "gap_max", "base_gap", "swing"):
            assert type(got[k]) is not bool and got[k] == pytest.approx(want[k], abs=1e-12)


def test_three_categories_name_every_pair_later_minus_earlier():
    table = {"a": ("red", [3.0, 8.0]), "b": ("green", [6.0, 2.0]), "c": ("blue", [9.0, 5.0]),
             "d": ("red", [1.0, 1.0])}
    m = hand_model({"f0": 2.0, "f1": 1.0}, table, categories=["red", "green", "blue"])
    res = tornado(m, low=0.0, high=2.0, points=3)
    assert res.gap_names() == ["green - red", "blue - red", "blue - green"]
    assert res.to_dict()["gap"] == "green - red"
    groups = members(table, ["red", "green", "blue"])
    brute = brute_sweep(table_array(table), [2.0, 1.0], np.linspace(0, 2, 3), groups)
    for j in range(2):
        for k in range(3):
            np.testing.assert_allclose(res.gaps[j, k], brute[j][k][0], rtol=0, atol=1e-12)
    frame = res.to_frame(gap=2)
    g = [b[0][2] for b in brute[1]]
    assert frame.loc["f1", "gap_min"] == pytest.approx(min(g), abs=1e-12)


def test_one_category_has_no_gap_and_no_factor_rows():
    table = {"a": ("only", [3.0, 8.0]), "b": ("only", [6.0, 2.0]), "c": ("only", [9.0, 4.0])}
    m = hand_model({"f0": 1.0, "f1": 1.0}, table, categories=["only"], mid="single")
    res = tornado(m, low=0.0, high=2.0, points=3)
    assert res.gap_names() == []
    data = res.to_dict()
    assert data["gap"] is None and data["factors"] == [] and data["model"] == "single"
    brute = brute_sweep(table_array(table), [1.0, 1.0], np.linspace(0, 2, 3), [[0, 1, 2]])
    for j in range(2):
        ranks = [b[1] for b in brute[j]]
        assert data["rank_ranges"][f"f{j}"] == {
            a: [min(r[i] for r in ranks), max(r[i] for r in ranks)] for i, a in enumerate(table)}
    rows = [c.to_row() for c in leave_one_out(m)]
    # dropping f0 leaves f1 alone: a 8, b 2, c 4 (ranks 1, 3, 2); base (5.5, 4, 6.5) ranks 2, 3, 1
    assert rows[0] == {"variant": "without f0", "base_gap": None, "gap": None,
                       "conclusion_holds": None, "max_rank_change": 1, "top_area": "a"}
    assert rows[1]["conclusion_holds"] is None and rows[1]["top_area"] == "c"


def test_leave_one_out_rows_by_hand(four):
    R, groups = table_array(FOUR), members(FOUR, ["x", "y"])
    w = np.array(list(FOUR_W.values()))
    base = hand_scores(R, w)
    rows = [c.to_row() for c in leave_one_out(four)]
    assert [r["variant"] for r in rows] == ["without f0", "without f1", "without f2"]
    for j, row in enumerate(rows):
        v = w.copy()
        v[j] = 0.0
        s = hand_scores(R, v)
        assert set(row) == {"variant", "base_gap", "gap", "conclusion_holds", "max_rank_change",
                            "top_area"}
        assert row["base_gap"] == pytest.approx(hand_gaps(base, groups)[0], abs=1e-12)
        assert row["gap"] == pytest.approx(hand_gaps(s, groups)[0], abs=1e-12)
        assert row["conclusion_holds"] is bool(
            np.sign(hand_gaps(base, groups)[0]) == np.sign(hand_gaps(s, groups)[0]))
        assert row["max_rank_change"] == max(abs(a - b) for a, b in
                                             zip(hand_ranks(base), hand_ranks(s)))
        assert row["top_area"] == list(FOUR)[int(np.argmax(s))]
    # by hand: base scores 21, 13, 30.5, 24.5 (/3.5) rank a0..a3 as 3, 4, 1, 2; without f1 the
    # scores 9, 11, 10.5, 6.5 (/1.5) rank them 3, 1, 2, 4: a1 moves up three places
    assert rows[1]["top_area"] == "a1" and rows[1]["max_rank_change"] == 3


def test_leave_one_out_uses_the_weight_overrides_and_skips_empty_models(four):
    R, groups = table_array(FOUR), members(FOUR, ["x", "y"])
    # f1 and f2 at zero: dropping f0 leaves nothing to score with, so it is skipped
    comps = leave_one_out(four, weights={"f1": 0.0, "f2": 0.0, "f0": 2.0})
    assert [c.label for c in comps] == ["without f1", "without f2"]
    for c in comps:
        np.testing.assert_allclose(c.base_scores, R[:, 0], rtol=0, atol=1e-12)
        np.testing.assert_allclose(c.scores, R[:, 0], rtol=0, atol=1e-12)
        assert c.to_row()["conclusion_holds"] is True and c.to_row()["max_rank_change"] == 0
    # small weights whose remainder is at most 1 are still compared
    comps = leave_one_out(four, weights={"f0": 0.3, "f1": 0.4, "f2": 0.2})
    assert [c.label for c in comps] == ["without f0", "without f1", "without f2"]
    s = hand_scores(R, [0.3, 0.4, 0.0])
    np.testing.assert_allclose(comps[2].scores, s, rtol=0, atol=1e-12)
    assert comps[2].to_row()["gap"] == pytest.approx(hand_gaps(s, groups)[0], abs=1e-12)


def test_comparison_row_sign_change_and_rank_moves():
    # the x - y conclusion rests on f0 alone: without it y leads
    table = {"p": ("x", [9.0, 2.0]), "q": ("x", [8.0, 3.0]), "r": ("y", [1.0, 6.0]),
             "s": ("y", [2.0, 5.0])}
    m = hand_model({"f0": 3.0, "f1": 1.0}, table, categories=["x", "y"])
    rows = {c.label: c.to_row() for c in leave_one_out(m)}
    R = table_array(table)
    base = hand_scores(R, [3.0, 1.0])  # p 7.25, q 6.75, r 2.25, s 2.75
    without_f0 = R[:, 1]  # p 2, q 3, r 6, s 5
    assert rows["without f0"] == {
        "variant": "without f0", "base_gap": pytest.approx((2.25 + 2.75) / 2 - (7.25 + 6.75) / 2),
        "gap": pytest.approx((6 + 5) / 2 - (2 + 3) / 2), "conclusion_holds": False,
        "max_rank_change": 3, "top_area": "r"}
    assert hand_ranks(base) == [1, 2, 4, 3] and hand_ranks(without_f0) == [4, 3, 1, 2]
    assert rows["without f1"]["conclusion_holds"] is True and rows["without f1"]["top_area"] == "p"


def test_add_factor_model_and_comparison_by_hand(four):
    ratings = {"a0": 10.0, "a1": 1.0, "a2": 1.0, "a3": 1.0}
    new, cmp = add_factor(four, "extra", weight=2.5, ratings=ratings)
    assert new.factor_ids == ["f0", "f1", "f2", "extra"]
    f = new.factors[-1]
    assert (f.id, f.name, f.weight) == ("extra", "extra", 2.5)
    assert new.rater_ids == ["r0", "user"]
    assert new.raters[-1].description == "added factor"
    added = [x for x in new.spec.ratings if x.factor == "extra"]
    assert {(x.area, x.rater, x.value) for x in added} == {(a, "user", v) for a, v in ratings.items()}
    assert new.origin == "four.yaml" and new.id == "hand"

    R, groups = table_array(FOUR), members(FOUR, ["x", "y"])
    R2 = np.column_stack([R, [10.0, 1.0, 1.0, 1.0]])
    base, s = hand_scores(R, [1.0, 2.0, 0.5]), hand_scores(R2, [1.0, 2.0, 0.5, 2.5])
    np.testing.assert_allclose(cmp.base_scores, base, rtol=0, atol=1e-12)
    np.testing.assert_allclose(cmp.scores, s, rtol=0, atol=1e-12)
    row = cmp.to_row()
    assert row["variant"] == "with extra" and row["top_area"] == "a0"
    assert row["base_gap"] == pytest.approx(hand_gaps(base, groups)[0], abs=1e-12)
    assert row["gap"] == pytest.approx(hand_gaps(s, groups)[0], abs=1e-12)
    assert row["max_rank_change"] == max(abs(a - b) for a, b in zip(hand_ranks(base), hand_ranks(s)))
    assert cmp.model is new


def test_add_factor_with_a_name_and_an_existing_rater(four):
    new, cmp = add_factor(four, "extra", weight=1.0, ratings=dict.fromkeys(FOUR, 5.0),
                          name="Extra factor", rater="r0")
    assert new.factors[-1].name == "Extra factor"
    assert new.rater_ids == ["r0"]
    assert {x.rater for x in new.spec.ratings} == {"r0"}
    assert new.origin == "four.yaml"
    R2 = np.column_stack([table_array(FOUR), [5.0] * 4])
    np.testing.assert_allclose(cmp.scores, hand_scores(R2, [1.0, 2.0, 0.5, 1.0]), rtol=0, atol=1e-12)


def test_add_factor_reports_every_problem(four):
    with pytest.raises(InputError) as e:
        add_factor(four, "f1", weight=1.0, ratings={"a0": 3.0, "mars": 2.0, "venus": 1.0})
    assert e.value.title == "cannot add the factor"
    assert e.value.problems == [
        Problem("factor f1", "already in the model", "pick a new id"),
        Problem("ratings of f1", "unknown area(s) ['mars', 'venus']", "use: a0, a1, a2, a3"),
        Problem("ratings of f1", "no rating for ['a1', 'a2', 'a3']", "rate every area on the new factor")]
    assert str(e.value).startswith("cannot add the factor: 3 problem(s)")
