"""Source weights set by rater id, group id or rater kind: what each does to the pooled rating (by hand,
from the source-weighted mean), and every bad weight located and explained at once."""

import math

import pytest

from autosafety import InputError, Problem
from autosafety.model import RaterGroup, model_from_data, with_source_weights


def _one_cell(raters, ratings, groups=()):
    """A one-area, one-factor model: ``ratings`` maps rater id -> its rating of the one cell."""
    return model_from_data({
        "id": "cell", "factors": [{"id": "f"}], "areas": [{"id": "a", "category": "safety"}],
        "groups": list(groups), "raters": raters,
        "ratings": [{"area": "a", "factor": "f", "rater": k, "value": v} for k, v in ratings.items()],
    }, origin="panel.yaml")


def _two_humans():
    return _one_cell([{"id": "ann"}, {"id": "bob"}], {"ann": 8, "bob": 2})


def _two_groups_and_one_rater():
    """Group g1 (x1 = 2, x2 = 4: mean 3), group g2 (y1 = 9), ungrouped solo = 8; all weights 1."""
    return _one_cell(
        [{"id": "x1", "group": "g1"}, {"id": "x2", "group": "g1"}, {"id": "y1", "group": "g2"},
         {"id": "solo"}],
        {"x1": 2, "x2": 4, "y1": 9, "solo": 8},
        groups=[{"id": "g1"}, {"id": "g2"}])


def test_a_rater_of_source_weight_zero_drops_out_of_the_pool():
    assert with_source_weights(_two_humans(), {"bob": 0.0}).pooled()[0, 0] == pytest.approx(8.0)


def test_a_fractional_source_weight_is_a_ratio_like_any_other():
    # ann 8 at weight 1, bob 2 at weight 1/2: (8 + 0.5 * 2) / 1.5 = 6.
    assert with_source_weights(_two_humans(), {"bob": 0.5}).pooled()[0, 0] == pytest.approx(6.0)


def test_a_group_weight_changes_that_group_only():
    model = _two_groups_and_one_rater()
    assert model.pooled()[0, 0] == pytest.approx((3 + 9 + 8) / 3)
    # g1 (mean 3) at 4 against g2 (9) and solo (8) at 1 each.
    assert with_source_weights(model, {"g1": 4}).pooled()[0, 0] == pytest.approx((4 * 3 + 9 + 8) / 6)
    assert with_source_weights(model, {"g2": 4}).pooled()[0, 0] == pytest.approx((3 + 4 * 9 + 8) / 6)


def test_an_ungrouped_rater_weight_is_set_beside_groups():
    model = with_source_weights(_two_groups_and_one_rater(), {"solo": 2})
    assert model.pooled()[0, 0] == pytest.approx((3 + 9 + 2 * 8) / 4)
    assert [(r.id, r.weight) for r in model.raters] == [("x1", 1), ("x2", 1), ("y1", 1), ("solo", 2)]


def test_a_grouped_rater_weight_is_its_weight_within_the_group():
    # x1 at 3 within g1: g1 = (3 * 2 + 4) / 4 = 2.5, then against g2 (9) and solo (8).
    model = with_source_weights(_two_groups_and_one_rater(), {"x1": 3})
    assert model.pooled()[0, 0] == pytest.approx((2.5 + 9 + 8) / 3)


def test_a_kind_pools_its_ungrouped_raters_first_then_weighs_them_as_one():
    model = _one_cell([{"id": "ann"}, {"id": "gpt", "kind": "llm"}, {"id": "gem", "kind": "llm"}],
                      {"ann": 8, "gpt": 2, "gem": 4})
    weighted = with_source_weights(model, {"llm": 3})
    # The LLMs' mean (3) at weight 3 against ann (8) at 1.
    assert weighted.pooled()[0, 0] == pytest.approx((8 + 3 * 3) / 4)
    assert [(r.id, r.group) for r in weighted.raters] == [("ann", None), ("gpt", "llm"), ("gem", "llm")]
    assert list(weighted.spec.groups) == [RaterGroup(id="llm", weight=3, description="all llm raters")]


def test_the_human_kind_groups_the_humans():
    model = _one_cell([{"id": "ann"}, {"id": "bob"}, {"id": "gpt", "kind": "llm"}],
                      {"ann": 8, "bob": 2, "gpt": 2})
    # Humans' mean (5) at 2 against gpt (2) at 1.
    assert with_source_weights(model, {"human": 2}).pooled()[0, 0] == pytest.approx((2 * 5 + 2) / 3)


def test_the_other_kind_groups_the_published_tables():
    model = _one_cell([{"id": "ann"}, {"id": "tab1", "kind": "other"}, {"id": "tab2", "kind": "other"}],
                      {"ann": 10, "tab1": 6, "tab2": 2})
    # The tables' mean (4) at 3 against ann (10) at 1.
    assert with_source_weights(model, {"other": 3}).pooled()[0, 0] == pytest.approx((3 * 4 + 10) / 4)


def test_every_bad_source_weight_is_reported_at_once_with_where_and_how_to_fix():
    with pytest.raises(InputError) as info:
        with_source_weights(_two_humans(),
                            {"ann": -1.0, "other": 1.0, "martians": 1.0, "bob": math.inf, "llm": 2.0})
    assert info.value.title == "invalid source weight"
    assert info.value.problems == [
        Problem("source weight ann", "must be a finite number >= 0, got -1.0",
                "give a non-negative weight"),
        Problem("source weight other", "no ungrouped other raters",
                "check the rater kinds with `autosafety show`"),
        Problem("source weight martians", "not a rater, group or rater kind",
                "use one of: ann, bob, human, llm, other"),
        Problem("source weight bob", "must be a finite number >= 0, got inf",
                "give a non-negative weight"),
        Problem("source weight llm", "no ungrouped llm raters",
                "check the rater kinds with `autosafety show`"),
    ]


def test_a_nan_source_weight_is_refused():
    with pytest.raises(InputError) as info:
        with_source_weights(_two_humans(), {"ann": math.nan})
    assert [p.message for p in info.value.problems] == ["must be a finite number >= 0, got nan"]


def test_the_reweighted_model_keeps_the_origin_its_errors_name():
    assert with_source_weights(_two_humans(), {"ann": 2}).origin == "panel.yaml"
