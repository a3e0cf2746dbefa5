"""A model file the schema refuses is still cross-checked on what can be read: every problem in
one pass, in the file's order, none reported twice or against a section that could not be read."""

from __future__ import annotations

from typing import Any

import pytest

from autosafety import InputError
from autosafety.model import model_from_data

from .conftest import make_spec

NEGATIVE = ("m.yaml: factors[0].weight", "Input should be greater than or equal to 0",
            "give a value >= 0")
UNKNOWN_FIELD = ("unknown field", "remove it or check its spelling (see `autosafety schema`)")


def problems(data: dict[str, Any], origin: str = "m.yaml") -> list[tuple[str, str, str]]:
    with pytest.raises(InputError) as info:
        model_from_data(data, origin=origin)
    assert info.value.title == f"{origin} is not a valid model"
    return [(p.location, p.message, p.fix) for p in info.value.problems]


def negative_weight(**changes: Any) -> dict[str, Any]:
    """The tiny model with a schema problem (a negative weight) and ``changes``."""
    return make_spec(factors=[{"id": "f1", "weight": -1}, {"id": "f2", "weight": 3.0}], **changes)


def test_declared_categories_still_reveal_a_misspelt_area_category():
    data = negative_weight(categories=["safety", 5, "capabilities"],
                           areas=[{"id": "a1", "category": "safety"},
                                  {"id": "a2", "category": "capabilties"}])
    assert problems(data) == [
        ("m.yaml: categories[1]", "Input should be a valid string", ""),
        NEGATIVE,
        ("m.yaml: areas[1].category",
         "category 'capabilties' looks misspelt (not among the declared categories)",
         "did you mean 'capabilities'? If 'capabilties' is meant, list it under categories")]


@pytest.mark.parametrize("categories", ["safety", 5])
def test_categories_that_are_not_a_list_are_reported_once(categories):
    assert problems(negative_weight(categories=categories)) == [
        ("m.yaml: categories", "Input should be a valid list", ""), NEGATIVE]


def test_ratings_are_checked_against_the_models_own_scale():
    ratings = [{"area": a, "factor": f, "rater": "me", "value": v}
               for (a, f), v in zip([("a1", "f1"), ("a1", "f2"), ("a2", "f1"), ("a2", "f2")],
                                    [50, 100, 0, 101])]
    data = negative_weight(scale={"min": 0, "max": 100}, ratings=ratings)
    assert problems(data) == [
        NEGATIVE,
        ("m.yaml: ratings[3].value", "101 is outside the scale 0-100 of factor 'f2'",
         "use a value between 0 and 100")]


def test_an_unreadable_scale_leaves_the_default_scale_to_check_against():
    data = make_spec(scale={"min": 10, "max": 1})
    data["ratings"][2]["value"] = 42
    assert problems(data) == [
        ("m.yaml: scale", "scale min (10.0) must be below max (1.0)", ""),
        ("m.yaml: ratings[2].value", "42 is outside the scale 1-10 of factor 'f1'",
         "use a value between 1 and 10")]


def test_a_stated_ranking_is_still_checked_when_another_part_is_refused():
    data = negative_weight(stated_ranking={"order": ["a2", "a3", "a1"], "source": "me"})
    assert problems(data) == [
        NEGATIVE,
        ("m.yaml: stated_ranking.order[1]", "unknown area 'a3'", "use one of: a1, a2")]


def test_an_unreadable_stated_ranking_is_reported_once():
    assert problems(make_spec(stated_ranking={"order": "a2 a1"})) == [
        ("m.yaml: stated_ranking.order", "Input should be a valid list", "")]


def test_a_refused_rating_still_has_its_value_checked():
    data = make_spec()
    data["ratings"][1].update(value=42, note="hm")
    assert problems(data) == [
        ("m.yaml: ratings[1].note", *UNKNOWN_FIELD),
        ("m.yaml: ratings[1].value", "42 is outside the scale 1-10 of factor 'f2'",
         "use a value between 1 and 10")]


def test_an_area_id_refused_by_its_pattern_still_names_the_area():
    data = make_spec(categories=["safety", "capabilities"],
                     areas=[{"id": "a1", "category": "safety"},
                            {"id": "a 2", "category": "capabilties"}])
    for r in data["ratings"][2:]:
        r["area"] = "a 2"
    # no "unknown area 'a 2'" for the ratings of it, and its category is still checked
    assert sorted(problems(data)) == [
        ("m.yaml: areas[1].category",
         "category 'capabilties' looks misspelt (not among the declared categories)",
         "did you mean 'capabilities'? If 'capabilties' is meant, list it under categories"),
        ("m.yaml: areas[1].id", "String should match pattern '^[A-Za-z0-9_.\\-]+$'", "")]


def test_problems_come_in_the_files_order_with_indices_compared_as_numbers():
    areas = [{"id": f"a{i}", "category": "safety"} for i in range(6)]
    ratings = [{"area": f"a{i}", "factor": f, "rater": "me", "value": 5}
               for i in range(6) for f in ("f1", "f2")]
    ratings[2]["value"] = "lots"   # schema
    ratings[10]["area"] = "a9"     # cross-reference; a string sort would put it before [2]
    data = make_spec(areas=areas, ratings=ratings,
                     factors=[{"id": "f1", "weight": 1}, {"id": "f2", "weight": -2}])
    data["areas"][3]["category"] = ""
    assert problems(data) == [
        ("m.yaml: factors[1].weight", "Input should be greater than or equal to 0",
         "give a value >= 0"),
        ("m.yaml: areas[3].category", "String should have at least 1 character", ""),
        ("m.yaml: ratings", "area 'a5' has no rating on factor 'f1'", "add a rating for it"),
        ("m.yaml: ratings[2].value", "Input should be a valid number, unable to parse string "
         "as a number", "give a number"),
        ("m.yaml: ratings[10].area", "unknown area 'a9'", "use one of: a0, a1, a2, a3, a4, a5")]


def test_a_file_name_containing_a_section_name_hides_no_problem():
    data = make_spec(areas={"a1": "safety"}, raters=[{"id": "me", "group": "llm"}],
                     groups=[{"id": "llms"}])
    assert problems(data, origin="my.areas.yaml") == [
        ("my.areas.yaml: areas", "Input should be a valid list", ""),
        ("my.areas.yaml: raters[0].group", "unknown group 'llm'", "did you mean 'llms'?")]
