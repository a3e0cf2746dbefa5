"""The fix offered for an unknown id: a near miss is named (as difflib would pick it), else the
known ids are listed, the first 12 in sorted order and then how many more; none known says so."""

from __future__ import annotations

from difflib import get_close_matches

from autosafety.model._check import suggest

NAMES = [f"area_{c}" for c in "mlkjihgfedcba"]  # 13 ids, given out of order


def test_a_near_miss_is_named_as_difflib_picks_it():
    known = ["interpretability", "evals", "red_teaming"]
    assert get_close_matches("interpretabilty", known, n=1) == ["interpretability"]
    assert suggest("interpretabilty", known) == "did you mean 'interpretability'?"


def test_a_near_miss_is_named_even_without_a_listing():
    assert suggest("evls", {"evals", "oversight"}, listing=False) == "did you mean 'evals'?"


def test_thirteen_known_ids_list_the_first_twelve_sorted_and_one_more():
    listed = ", ".join(f"area_{c}" for c in "abcdefghijkl")
    assert suggest("zzzz", NAMES) == f"use one of: {listed} and 1 more"


def test_fourteen_known_ids_say_two_more():
    listed = ", ".join(f"area_{c}" for c in "abcdefghijkl")
    assert suggest("zzzz", [*NAMES, "area_n"]) == f"use one of: {listed} and 2 more"


def test_exactly_twelve_known_ids_are_all_listed_with_no_more():
    twelve = NAMES[1:]  # area_a .. area_l
    assert suggest("zzzz", twelve) == (
        "use one of: area_a, area_b, area_c, area_d, area_e, area_f, area_g, area_h, area_i, "
        "area_j, area_k, area_l")


def test_no_known_ids_says_none_are_declared():
    assert suggest("zzzz", set()) == "use one of: none declared"


def test_without_a_listing_a_far_miss_gets_no_fix():
    assert suggest("zzzz", {"evals", "oversight"}, listing=False) == ""
