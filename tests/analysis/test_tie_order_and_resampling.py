"""Ties keep the declared order in flip rows (as ranks keep index order), and rater resampling
draws from every rater group, even after a group whose raters all weigh 0."""

from __future__ import annotations

import numpy as np
import pytest

from autosafety.analysis import flip_thresholds, monte_carlo
from autosafety.model import Area, Factor, Model, ModelSpec, Rater, RaterGroup, Rating


def tied_model() -> Model:
    """Areas p (category x) rated (2, 8) and q (category y) rated (8, 2), weights 1 and 1: both
    score 5, so the areas and the categories are tied; weight t on f0 (or f1) against 1 gives a
    difference q - p = 6 (t - 1) / (t + 1): the tie breaks at exactly t = 1."""
    return Model(ModelSpec(
        id="tied", categories=["x", "y"], factors=[Factor(id="f0"), Factor(id="f1")],
        areas=[Area(id="p", category="x"), Area(id="q", category="y")], raters=[Rater(id="r")],
        ratings=[Rating(area=a, factor=f"f{j}", rater="r", value=v)
                 for a, vs in {"p": (2.0, 8.0), "q": (8.0, 2.0)}.items() for j, v in enumerate(vs)]))


def test_tied_categories_and_areas_list_the_earlier_one_as_leader():
    res = flip_thresholds(tied_model())
    cats = res.category_rows()
    assert [(r["leader"], r["trailer"], r["margin"]) for r in cats] == [("x", "y", 0.0)] * 2
    pairs = res.pair_rows()
    assert [(r["leader"], r["trailer"], r["margin"], r["factor"]) for r in pairs] == [
        ("p", "q", 0.0, "f0"), ("p", "q", 0.0, "f1")]
    assert [r["threshold"] for r in pairs] == [1.0, 1.0]
    assert all("tied at the current weight" in r["statement"] for r in cats + pairs)


def test_a_lead_is_listed_the_same_way_whichever_comes_first():
    # q ahead of p (weight 3 on f0): q leads, in both rows and statements
    res = flip_thresholds(tied_model(), weights={"f0": 3.0})
    cat, pair = res.category_rows()[0], res.pair_rows()[0]
    # q - p = 6 (3 - 1) / 4 = 3
    assert (cat["leader"], cat["trailer"], cat["margin"]) == ("y", "x", pytest.approx(3.0))
    assert (pair["leader"], pair["trailer"], pair["margin"]) == ("q", "p", pytest.approx(3.0))


def grouped_model() -> Model:
    """Group g0 holds one rater of weight 0 (left out of pooling); group g1 two raters who
    disagree: r1 rates a 2 and b 8, r2 the reverse. Pooled, a and b both score 5."""
    ratings = {"r0": (10.0, 1.0), "r1": (2.0, 8.0), "r2": (8.0, 2.0)}
    return Model(ModelSpec(
        id="groups", categories=["x", "y"], factors=[Factor(id="f")],
        areas=[Area(id="a", category="x"), Area(id="b", category="y")],
        groups=[RaterGroup(id="g0"), RaterGroup(id="g1")],
        raters=[Rater(id="r0", group="g0", weight=0.0), Rater(id="r1", group="g1"),
                Rater(id="r2", group="g1")],
        ratings=[Rating(area=a, factor="f", rater=k, value=v[i])
                 for k, v in ratings.items() for i, a in enumerate(("a", "b"))]))


def test_resampling_draws_raters_from_groups_after_an_all_zero_group():
    m = grouped_model()
    np.testing.assert_allclose(m.pooled(), [[5.0], [5.0]])
    res = monte_carlo(m, draws=4000, seed=3, rating_noise=False, resample_raters=True)
    # two draws with replacement from {r1, r2}: a scores 2, 5 or 8 with chances 1/4, 1/2, 1/4
    # (b the mirror image): mean 5, sd sqrt(4.5); a ranks first (alone or tied) unless it drew
    # r1 twice, so with chance 3/4
    frame = res.to_frame()
    n = 4000
    for area in ("a", "b"):
        assert frame.loc[area, "mean"] == pytest.approx(5.0, abs=6 * np.sqrt(4.5 / n))
        assert frame.loc[area, "sd"] == pytest.approx(np.sqrt(4.5), abs=0.1)
        assert frame.loc[area, "p_top1"] == pytest.approx(0.75, abs=6 * np.sqrt(0.75 * 0.25 / n))
