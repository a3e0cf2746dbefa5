"""Cross-reference checks of a model spec, problem by problem: each located under its origin
("model" unless told, none when the origin is empty), with its message and fix exactly; and how a
model built from data that is not a mapping, or replaced, or salvaged, says where it came from."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

import pytest

from autosafety import InputError
from autosafety.model import Model, ModelSpec, dump_model, model_from_data, parse_model_text
from autosafety.model._check import check_spec
from autosafety.model._salvage import salvage

from .conftest import make_spec


def rated(areas: list[tuple[str, str]], factors: tuple[str, ...] = ("f1",),
          **changes: Any) -> dict[str, Any]:
    """A model rating every area (id, category) on every factor at 5 by rater 'me'."""
    return {"id": "m", "scale": {"min": 1, "max": 10},
            "factors": [{"id": f} for f in factors],
            "areas": [{"id": a, "category": c} for a, c in areas],
            "raters": [{"id": "me"}],
            "ratings": [{"area": a, "factor": f, "rater": "me", "value": 5}
                        for a, _ in areas for f in factors],
            **changes}


def checked(data: dict[str, Any], **kwargs: Any) -> list[tuple[str, str, str]]:
    return [(p.location, p.message, p.fix)
            for p in check_spec(ModelSpec.model_validate(data), **kwargs)]


def with_rating(**fields: Any) -> dict[str, Any]:
    """The tiny model with fields of its first rating (a1, f1 by 'me') changed."""
    data = make_spec()
    data["ratings"][0].update(fields)
    return data


# -- where a problem is located -----------------------------------------------------------------
def test_an_empty_model_lacks_factors_and_areas_located_under_model_by_default():
    assert checked({}) == [("model: factors", "the model has no factors", "add at least one factor"),
                           ("model: areas", "the model has no areas", "add at least one area")]


def test_an_empty_origin_locates_problems_by_field_path_alone():
    assert checked({}, origin="") == [
        ("factors", "the model has no factors", "add at least one factor"),
        ("areas", "the model has no areas", "add at least one area")]


def test_a_named_origin_prefixes_every_location():
    assert checked({}, origin="m.yaml") == [
        ("m.yaml: factors", "the model has no factors", "add at least one factor"),
        ("m.yaml: areas", "the model has no areas", "add at least one area")]


def test_factors_all_weighing_zero():
    data = make_spec(factors=[{"id": "f1", "weight": 0}, {"id": "f2", "weight": 0}])
    assert checked(data) == [
        ("model: factors", "all factor weights are zero", "give some factor a weight > 0")]


# -- duplicates ---------------------------------------------------------------------------------
def test_duplicate_raters_and_groups_are_each_reported_at_the_repeat():
    data = make_spec(raters=[{"id": "me"}, {"id": "me"}], groups=[{"id": "g"}, {"id": "g"}])
    assert checked(data) == [
        ("model: raters[1].id", "duplicate rater id 'me' (first at raters[0])",
         "give each rater a unique id"),
        ("model: groups[1].id", "duplicate group id 'g' (first at groups[0])",
         "give each group a unique id")]


def test_a_duplicate_after_an_unreadable_id_is_still_found():
    data = make_spec(areas=[{"id": 7, "category": "safety"}, {"id": "a1", "category": "safety"},
                            {"id": "a2", "category": "capabilities"},
                            {"id": "a1", "category": "safety"}])
    with pytest.raises(InputError) as info:
        model_from_data(data, origin="m.yaml")
    assert [(p.location, p.message, p.fix) for p in info.value.problems] == [
        ("m.yaml: areas[0].id", "Input should be a valid string", ""),
        ("m.yaml: areas[3].id", "duplicate area id 'a1' (first at areas[1])",
         "give each area a unique id")]


def test_a_second_rating_of_a_cell_by_one_rater():
    data = make_spec()
    data["ratings"].append({"area": "a2", "factor": "f1", "rater": "me", "value": 3})
    assert checked(data) == [("model: ratings[4]", "second rating of (a2, f1) by 'me'",
                              "keep one rating per area, factor and rater")]


# -- groups and categories ----------------------------------------------------------------------
def test_an_unknown_group_with_no_groups_declared():
    data = make_spec(raters=[{"id": "me", "group": "panel"}])
    assert checked(data) == [("model: raters[0].group", "unknown group 'panel'",
                              "declare it under groups or use one of: none")]


def test_an_unknown_group_far_from_the_declared_ones_lists_them():
    data = make_spec(groups=[{"id": "llm"}], raters=[{"id": "me", "group": "panel"}])
    assert checked(data) == [("model: raters[0].group", "unknown group 'panel'",
                              "declare it under groups or use one of: ['llm']")]


def test_an_unknown_group_close_to_a_declared_one_names_it():
    data = make_spec(groups=[{"id": "llms"}], raters=[{"id": "me", "group": "llm"}])
    assert checked(data) == [("model: raters[0].group", "unknown group 'llm'",
                              "did you mean 'llms'?")]


def test_a_declared_category_no_area_uses():
    data = make_spec(categories=["safety", "capabilities", "governance"])
    assert checked(data) == [("model: categories[2]", "category 'governance' has no areas",
                              "remove it or assign an area to it")]


def test_an_area_category_close_to_a_declared_one_looks_misspelt():
    data = rated([("a1", "safety"), ("a2", "capabilties")], categories=["safety", "capabilities"])
    assert checked(data) == [
        ("model: areas[1].category",
         "category 'capabilties' looks misspelt (not among the declared categories)",
         "did you mean 'capabilities'? If 'capabilties' is meant, list it under categories")]


def test_without_declared_categories_the_rarer_spelling_looks_misspelt():
    data = rated([("a1", "capabilities"), ("a2", "capabilities"), ("a3", "capabilties")])
    assert checked(data) == [
        ("model: areas[2].category", "category 'capabilties' looks misspelt (2 areas use "
         "'capabilities')",
         "did you mean 'capabilities'? If 'capabilties' is meant, list it under categories")]


def test_a_category_only_loosely_like_a_declared_one_is_taken_as_meant():
    assert 0.6 < SequenceMatcher(None, "saf", "safety").ratio() < 0.8
    data = rated([("a1", "safety"), ("a2", "capabilities"), ("a3", "saf")],
                 categories=["safety", "capabilities"])
    assert checked(data) == []


def test_a_category_only_loosely_like_a_commoner_one_is_taken_as_meant():
    data = rated([("a1", "safety"), ("a2", "safety"), ("a3", "saf")])
    assert checked(data) == []


# -- ratings ------------------------------------------------------------------------------------
def test_a_rating_of_an_unknown_factor_is_not_also_checked_against_a_scale():
    data = make_spec()
    data["ratings"].append({"area": "a1", "factor": "zzz", "rater": "me", "value": 50})
    assert checked(data) == [("model: ratings[4].factor", "unknown factor 'zzz'",
                              "use one of: f1, f2")]


def test_a_value_off_the_scale():
    assert checked(with_rating(value=11)) == [
        ("model: ratings[0].value", "11 is outside the scale 1-10 of factor 'f1'",
         "use a value between 1 and 10")]


def test_an_interval_with_only_one_end():
    assert checked(with_rating(low=1, credibility=0.8)) == [
        ("model: ratings[0]", "an interval needs both low and high", "give both or neither")]


def test_an_interval_upside_down():
    assert checked(with_rating(value=5, low=7, high=3, credibility=0.8)) == [
        ("model: ratings[0]", "low (7) is above high (3)", "swap them")]


@pytest.mark.parametrize(("value", "low", "high"), [(2, 2, 2), (2, 2, 5), (5, 2, 5)])
def test_a_value_at_an_end_of_its_interval_or_a_point_interval_is_fine(value, low, high):
    assert checked(with_rating(value=value, low=low, high=high, credibility=0.8)) == []


def test_a_value_outside_its_interval():
    assert checked(with_rating(value=6, low=2, high=5, credibility=0.8)) == [
        ("model: ratings[0].value", "value 6 lies outside its interval [2, 5]",
         "widen the interval")]


def test_an_interval_without_credibility():
    assert checked(with_rating(value=2, low=1, high=3)) == [
        ("model: ratings[0].credibility", "an interval needs its credibility",
         "say how likely the value lies inside it, e.g. 0.8")]


def _unrated(n: int) -> list[tuple[str, str, str]]:
    return [("model: ratings", f"area 'a{i:02d}' has no rating on factor 'f1'",
             "add a rating for it") for i in range(n)]


def test_twenty_two_unrated_cells_list_twenty_then_a_count():
    data = rated([(f"a{i:02d}", "safety") for i in range(22)], ratings=[])
    assert checked(data) == [*_unrated(20), ("model: ratings", "... and 2 more unrated cells",
                                             "rate every area on every factor")]


def test_twenty_one_unrated_cells_list_twenty_then_one_more():
    data = rated([(f"a{i:02d}", "safety") for i in range(21)], ratings=[])
    assert checked(data) == [*_unrated(20), ("model: ratings", "... and 1 more unrated cells",
                                             "rate every area on every factor")]


def test_twenty_unrated_cells_are_all_listed():
    data = rated([(f"a{i:02d}", "safety") for i in range(20)], ratings=[])
    assert checked(data) == _unrated(20)


def test_a_stated_ranking_with_an_unknown_area_and_a_repeat():
    data = make_spec(stated_ranking={"order": ["a1", "zzz", "a1", "a2"]})
    assert checked(data) == [
        ("model: stated_ranking.order[1]", "unknown area 'zzz'", "use one of: a1, a2"),
        ("model: stated_ranking.order", "area 'a1' is listed 2 times", "list each area once")]


# -- building models ----------------------------------------------------------------------------
@pytest.mark.parametrize(("data", "kind"), [([1, 2], "list"), ("text", "str"), (None, "NoneType")])
def test_data_that_is_not_a_mapping_is_refused_at_the_top_level(data, kind):
    with pytest.raises(InputError) as info:
        model_from_data(data)
    assert info.value.title == "model is not a valid model"
    assert [(p.location, p.message, p.fix) for p in info.value.problems] == [
        ("model", f"expected a mapping at the top level, got {kind}",
         "see `autosafety init` for a template")]


def test_an_invalid_model_built_in_code_is_named_model():
    with pytest.raises(InputError) as info:
        Model(ModelSpec())
    assert info.value.title == "model is not a valid model"
    assert [p.location for p in info.value.problems] == ["model: factors", "model: areas"]


def test_an_invalid_model_is_named_by_its_origin():
    with pytest.raises(InputError) as info:
        Model(ModelSpec(), origin="m.yaml")
    assert info.value.title == "m.yaml is not a valid model"


def test_a_replaced_model_keeps_its_origin():
    model = Model(ModelSpec.model_validate(make_spec()), origin="m.yaml")
    assert model.replace(name="Renamed").origin == "m.yaml"
    with pytest.raises(InputError) as info:
        model.replace(factors=[])
    assert info.value.title == "m.yaml is not a valid model"
    assert info.value.problems[0].location == "m.yaml: factors"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_model_file_may_start_with_a_byte_order_mark(fmt):
    model = Model(ModelSpec.model_validate(make_spec()))
    loaded = parse_model_text("\ufeff" + dump_model(model, fmt), fmt=fmt)
    assert loaded.spec == model.spec


def test_a_salvaged_item_keeps_a_bad_optional_field_at_its_default():
    spec = salvage({"factors": [{"id": "f1", "weight": 2, "rubric": 5}],
                    "raters": [{"id": "me", "provenance": 5}]})
    assert (spec.factors[0].id, spec.factors[0].weight, spec.factors[0].rubric) == ("f1", 2.0, {})
    assert (spec.raters[0].id, spec.raters[0].provenance) == ("me", {})
