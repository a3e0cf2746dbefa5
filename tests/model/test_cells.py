"""'AREA:FACTOR' cell keys: what is accepted, what is refused, and how refusals are located."""

import pytest

from autosafety import InputError
from autosafety.model._cells import parse_cells, split_cell

EXAMPLE = "interpretability:feedback_quality"


def refusal(key: str) -> str:
    return f"'{key}' is not AREA:FACTOR (e.g. {EXAMPLE})"


def test_a_key_splits_at_its_colon():
    assert split_cell("interpretability:task_length") == ("interpretability", "task_length")


def test_a_pair_of_strings_passes_through_in_order():
    assert split_cell(("area", "factor")) == ("area", "factor")


@pytest.mark.parametrize("key", ["ab", "xy", ["a", "b"], ("a", "b", "c"), ("a", 1)])
def test_what_is_neither_a_key_nor_a_pair_of_strings_is_refused(key):
    with pytest.raises(ValueError, match="is not AREA:FACTOR"):
        split_cell(key)


@pytest.mark.parametrize("key", ["a:b:c", ":f", "a:", ":", "a", ""])
def test_a_key_without_exactly_one_colon_between_two_ids_is_refused(key):
    with pytest.raises(ValueError) as info:
        split_cell(key)
    assert str(info.value) == refusal(key)


def test_a_long_refused_key_is_shown_cut_to_100_characters():
    with pytest.raises(ValueError) as info:
        split_cell("k" * 150)
    assert str(info.value) == refusal("k" * 100)


def test_cells_become_pairs_with_their_values():
    assert parse_cells({"a1:f1": 7, "a2:f2": 2.5}, where="ratings") == {("a1", "f1"): 7,
                                                                         ("a2", "f2"): 2.5}


def test_every_bad_key_is_reported_at_its_field_path():
    with pytest.raises(InputError) as info:
        parse_cells({"a1:f1": 7, "bad": 1, "a:b:c": 2}, where="ratings")
    assert info.value.title == "invalid ratings"
    assert [(p.location, p.message, p.fix) for p in info.value.problems] == [
        ("ratings.bad", refusal("bad"), "write the key as AREA:FACTOR"),
        ("ratings.a:b:c", refusal("a:b:c"), "write the key as AREA:FACTOR"),
    ]


def test_a_bad_key_of_a_command_line_option_follows_the_option_after_a_space():
    with pytest.raises(InputError) as info:
        parse_cells({"nocolon": 1}, where="--rating", option=True)
    assert info.value.title == "invalid --rating"
    (p,) = info.value.problems
    assert (p.location, p.fix) == ("--rating nocolon", "write the key as AREA:FACTOR")


@pytest.mark.parametrize(("option", "sep"), [(False, "."), (True, " ")])
def test_a_long_bad_key_is_located_by_its_first_100_characters(option, sep):
    with pytest.raises(InputError) as info:
        parse_cells({"z" * 130: 1}, where="ratings", option=option)
    (p,) = info.value.problems
    assert p.location == "ratings" + sep + "z" * 100
    assert p.message == refusal("z" * 100)
