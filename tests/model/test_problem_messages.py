"""What a user reads for each kind of schema error in a model file: the field path, the message
and the fix, exactly; and ratings-CSV problems listed in line order."""

import pytest
from pydantic import ValidationError

from autosafety import InputError
from autosafety.model import Rating, model_from_data, parse_ratings_csv
from autosafety.model._files import pydantic_problems

from .conftest import make_spec


def _problems(spec):
    with pytest.raises(InputError) as info:
        model_from_data(spec, origin="m.yaml")
    return [(p.location, p.message, p.fix) for p in info.value.problems]


def _rating(**fields):
    spec = make_spec()
    spec["ratings"][0].update(fields)
    return spec


def test_our_own_validator_message_is_shown_without_pydantic_prefix():
    assert _problems(make_spec(scale={"min": 5, "max": 1})) == [
        ("m.yaml: scale", "scale min (5.0) must be below max (1.0)", "")]


def test_an_unknown_field_gets_a_spelling_fix():
    spec = make_spec()
    spec["areas"][1]["categroy"] = "safety"
    assert _problems(spec) == [
        ("m.yaml: areas[1].categroy", "unknown field",
         "remove it or check its spelling (see `autosafety schema`)")]


def test_a_missing_field_asks_for_it():
    spec = make_spec()
    del spec["ratings"][2]["value"]
    assert _problems(spec) == [("m.yaml: ratings[2].value", "Field required", "add this field")]


@pytest.mark.parametrize("bad", ["seven", None, [7]])
def test_a_value_that_is_not_a_number_asks_for_a_number(bad):
    ((location, _, fix),) = _problems(_rating(value=bad))
    assert (location, fix) == ("m.yaml: ratings[0].value", "give a number")


@pytest.mark.parametrize("bad", [float("nan"), float("-inf")])
def test_nan_and_infinity_are_named_as_such(bad):
    assert _problems(_rating(value=bad)) == [
        ("m.yaml: ratings[0].value", "NaN or infinity is not allowed", "give a finite number")]


def test_a_negative_weight_asks_for_a_value_at_least_zero():
    spec = make_spec(raters=[{"id": "me", "weight": -2}])
    ((location, _, fix),) = _problems(spec)
    assert (location, fix) == ("m.yaml: raters[0].weight", "give a value >= 0")


def test_an_error_without_a_known_fix_offers_none():
    spec = make_spec()
    spec["areas"][0]["category"] = ""
    ((location, _, fix),) = _problems(spec)
    assert (location, fix) == ("m.yaml: areas[0].category", "")


def test_a_bad_mapping_key_is_located_at_the_key():
    spec = make_spec()
    spec["factors"][1]["rubric"] = {"1": "low", 10: "high"}
    ((location, _, _),) = _problems(spec)
    assert location == "m.yaml: factors[1].rubric[10]"


def test_an_error_about_the_whole_input_is_located_at_the_top_level():
    with pytest.raises(ValidationError) as info:
        Rating.model_validate(["not", "a", "mapping"])
    (p,) = pydantic_problems(info.value, "r.json")
    assert p.location == "r.json: (top level)"


def test_csv_problems_are_listed_by_line_whichever_check_found_them():
    model = model_from_data(make_spec())
    text = ("area,factor,rater,value,note\n"
            "a1,f1,bob,abc,\n"      # line 2: not a number (read)
            "zz,f1,bob,5,\n"        # line 3: unknown area (checked against the model)
            "a2,f1,bob,eleven,\n")  # line 4: not a number (read)
    with pytest.raises(InputError) as info:
        parse_ratings_csv(text, origin="r.csv", model=model)
    assert [p.location for p in info.value.problems] == [
        "r.csv: header", "r.csv: line 2 value", "r.csv: line 3 area", "r.csv: line 4 value"]
