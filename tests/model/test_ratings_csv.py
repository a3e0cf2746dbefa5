"""Tidy ratings CSVs: every problem of a file at once, each at its CSV line (comment lines
counted), with the words and fix a user reads; rows checked against the model they are for."""

from __future__ import annotations

import csv

import pytest

from autosafety import InputError
from autosafety.model import model_from_data, parse_ratings_csv
from autosafety.model._spec import Rating

from .conftest import make_spec

ALL_COLUMNS = "area,factor,rater,value,low,high,credibility,rationale,provenance"
NOT_A_NUMBER = "Input should be a valid number, unable to parse string as a number"


def refusal(text: str, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        parse_ratings_csv(text, **kwargs)
    return info.value


def as_tuples(error: InputError) -> list[tuple[str, str, str]]:
    return [(p.location, p.message, p.fix) for p in error.problems]


def test_a_header_without_the_required_columns_names_those_missing():
    error = refusal("area,factor,note\na1,f1,x\n")  # the default origin
    assert error.title == "ratings.csv is not a valid ratings CSV"
    assert as_tuples(error) == [("ratings.csv: header", "missing column(s) rater, value",
                                 "the header must include area,factor,rater,value")]


def test_unknown_and_repeated_columns_are_each_reported_at_the_header():
    error = refusal("area,factor,rater,value,colour,value\na1,f1,me,5,red,6\n", origin="r.csv")
    assert error.title == "r.csv is not a valid ratings CSV"
    assert as_tuples(error) == [
        ("r.csv: header", "unknown column 'colour'", f"use only {ALL_COLUMNS}"),
        ("r.csv: header", "column 'value' appears 2 times",
         "keep one column of each name (the later one would silently win)")]


def test_a_leading_byte_order_mark_is_not_part_of_the_first_column_name():
    text = "\ufeffarea,factor,rater,value,rationale\na1,f1,me,5,because\n"
    assert parse_ratings_csv(text) == [
        Rating(area="a1", factor="f1", rater="me", value=5.0, rationale="because")]


def test_a_field_over_the_csv_limit_is_refused_and_comments_move_its_line():
    huge = "x" * (csv.field_size_limit() + 1)
    body = f"area,factor,rater,value\na1,f1,me,5\na1,f2,me,{huge}\n"
    plain = refusal(body, origin="r.csv")
    commented = refusal("# exported 2026-01-01\n# by me\n" + body, origin="r.csv")
    message = f"malformed CSV: field larger than field limit ({csv.field_size_limit()})"
    for error in (plain, commented):
        ((_, said, fix),) = as_tuples(error)
        assert (said, fix) == (message, "fix the quoting")
    # the row that holds it, counting the two comment lines above the header
    assert [e.problems[0].location for e in (plain, commented)] == ["r.csv: line 3", "r.csv: line 5"]


def test_a_header_the_csv_reader_refuses_is_a_located_error_not_a_crash():
    huge = "x" * (csv.field_size_limit() + 1)
    for header, line in ((f"area,factor,rater,value,{huge}\na1,f1,me,5\n", 1),
                         ("# note\narea,fac\rtor,rater,value\n", 2)):
        error = refusal(header, origin="r.csv")
        assert [p.location for p in error.problems] == [f"r.csv: line {line}"]
        assert error.problems[0].message.startswith("malformed CSV: ")


def test_rows_keep_their_own_lines_around_comments_and_quoted_line_breaks():
    text = ("area,factor,rater,value,rationale\n"
            "a1,f1,me,lots,\n"                     # line 2
            "# a comment below it\n"               # line 3
            'a1,f2,me,5,"spans\nthree\nlines"\n'   # lines 4-6
            "a2,f1,me,many,\n")                    # line 7
    assert as_tuples(refusal(text, origin="r.csv")) == [
        ("r.csv: line 2 value", NOT_A_NUMBER, "give a number"),
        ("r.csv: line 7 value", NOT_A_NUMBER, "give a number")]


def test_a_hash_inside_a_quoted_field_is_data_not_a_comment():
    text = 'area,factor,rater,value,rationale\na1,f1,me,5,"first\n#2 is why\nlast"\n'
    (rating,) = parse_ratings_csv(text)
    assert rating.rationale == "first\n#2 is why\nlast"


def test_every_bad_row_is_reported_at_its_line_after_a_comment():
    text = ("# my ratings\n"
            "area,factor,rater,value\n"
            "a1,f1,me,5,6\n"          # line 3: an unquoted comma
            "a1,f2,me,lots\n"         # line 4
            "a2,f1,me,5\n"
            "a2,f2,me,\n")            # line 6: the required value left empty
    error = refusal(text, origin="r.csv")
    assert as_tuples(error) == [
        ("r.csv: line 3", "more fields than header columns", "quote fields that contain commas"),
        ("r.csv: line 4 value", NOT_A_NUMBER, "give a number"),
        ("r.csv: line 6 value", "Field required", "add this field")]


def test_unusable_provenance_is_reported_with_the_other_problems():
    text = ("area,factor,rater,value,provenance,mood\n"
            'a1,f1,me,5,{"model": oops},calm\n'   # line 2: not JSON
            "a1,f2,me,lots,,calm\n"                # line 3: the row after it is still read
            'a2,f1,me,5,"[1, 2]",calm\n')          # line 4: JSON, but not an object
    error = refusal(text, origin="r.csv")
    assert as_tuples(error) == [
        ("r.csv: header", "unknown column 'mood'", f"use only {ALL_COLUMNS}"),
        ("r.csv: line 2 provenance: line 1 column 11",
         "not a usable JSON object (malformed JSON: Expecting value)",
         'write it as JSON, e.g. {"model": "..."}'),
        ("r.csv: line 3 value", NOT_A_NUMBER, "give a number"),
        ("r.csv: line 4 provenance", "Input should be a valid dictionary", "")]


@pytest.mark.parametrize("name", ["my ratings.csv", "notes: line 9.csv"])
def test_a_file_name_with_a_space_or_a_colon_keeps_its_whole_name_in_every_location(name):
    text = "area,factor,rater,value\na1,f1,you,5\na1,f1,you,6\na2,f1,you,x\n"
    model = model_from_data(make_spec(), origin="m.yaml")
    error = refusal(text, origin=name, model=model)
    assert error.title == f"{name} is not a valid ratings CSV"
    assert as_tuples(error) == [
        (f"{name}: line 3", "second rating of (a1, f1) by 'you' (first in line 2)",
         "keep one rating per area, factor and rater"),
        (f"{name}: line 4 value", NOT_A_NUMBER, "give a number")]


def test_rows_are_checked_against_the_model_each_at_its_line():
    model = model_from_data(make_spec(), origin="m.yaml")  # scale 1-10, areas a1 a2, factors f1 f2
    text = ("area,factor,rater,value,low,high,credibility\n"
            "a3,f1,you,42,,,\n"          # line 2: unknown area and off the scale
            "a1,f9,you,42,,,\n"          # line 3: unknown factor, so no scale to check against
            "a1,f2,you,5,0,11,0.8\n"     # line 4: the interval's ends off the scale
            "a2,f1,me,5,,,\n"            # line 5: the model already has me's (a2, f1)
            "a1,f2,you,6,,,\n")          # line 6: a second (a1, f2) by you in the file
    error = refusal(text, origin="r.csv", model=model)
    assert error.title == "r.csv is not a valid ratings CSV"
    assert as_tuples(error) == [
        ("r.csv: line 2 area", "unknown area 'a3' in tiny", "use one of: a1, a2"),
        ("r.csv: line 2 value", "42 is outside the scale 1-10 of factor 'f1'",
         "use a value between 1 and 10"),
        ("r.csv: line 3 factor", "unknown factor 'f9' in tiny", "use one of: f1, f2"),
        ("r.csv: line 4 low", "0 is outside the scale 1-10 of factor 'f2'",
         "use a value between 1 and 10"),
        ("r.csv: line 4 high", "11 is outside the scale 1-10 of factor 'f2'",
         "use a value between 1 and 10"),
        ("r.csv: line 5", "second rating of (a2, f1) by 'me' (first in m.yaml)",
         "keep one rating per area, factor and rater"),
        ("r.csv: line 6", "second rating of (a1, f2) by 'you' (first in line 4)",
         "keep one rating per area, factor and rater")]


def test_problems_of_parsing_and_of_the_model_come_in_line_order():
    model = model_from_data(make_spec(), origin="m.yaml")
    text = "area,factor,rater,value\na1,f1,you,lots\na9,f1,you,5\na1,f2,you,x\n"
    error = refusal(text, origin="r.csv", model=model)
    assert [p.location for p in error.problems] == [
        "r.csv: line 2 value", "r.csv: line 3 area", "r.csv: line 4 value"]


def test_a_repeat_of_a_rating_a_bare_spec_already_holds_names_the_model():
    from autosafety.model._spec import ModelSpec

    spec = ModelSpec.model_validate(make_spec())        # rates (a1, f1) by 'me' already
    text = "area,factor,rater,value\na1,f1,me,5\n"
    assert as_tuples(refusal(text, origin="r.csv", model=spec)) == [
        ("r.csv: line 2", "second rating of (a1, f1) by 'me' (first in the model)",
         "keep one rating per area, factor and rater")]
