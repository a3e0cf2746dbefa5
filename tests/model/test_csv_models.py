"""CSV model files (a '# autosafety-model: {...}' header line, then the ratings): the header's
problems and every row's in one pass, rows checked against what of the header could be read."""

from __future__ import annotations

import json
from typing import Any

import pytest

from autosafety import InputError
from autosafety.model import parse_model_text
from autosafety.model._spec import Rating

from .conftest import make_spec

PREFIX = "# autosafety-model: "
ROWS = "area,factor,rater,value\na1,f1,me,2\na1,f2,me,6\na2,f1,me,8\na2,f2,me,4\n"
REPEAT = "keep one rating per area, factor and rater"


def header(**changes: Any) -> str:
    meta = {k: v for k, v in make_spec().items() if k != "ratings"}
    meta.update(changes)
    return PREFIX + json.dumps(meta) + "\n"


def refusal(text: str, origin: str = "m.csv") -> InputError:
    with pytest.raises(InputError) as info:
        parse_model_text(text, fmt="csv", origin=origin)
    return info.value


def as_tuples(error: InputError) -> list[tuple[str, str, str]]:
    return [(p.location, p.message, p.fix) for p in error.problems]


def test_a_valid_csv_model_keeps_its_origin_and_its_rows_as_ratings():
    model = parse_model_text(header() + ROWS, fmt="csv", origin="m.csv")
    assert model.origin == "m.csv"
    assert model.spec.id == "tiny"
    assert list(model.spec.ratings) == [
        Rating(area="a1", factor="f1", rater="me", value=2), Rating(area="a1", factor="f2",
                                                                    rater="me", value=6),
        Rating(area="a2", factor="f1", rater="me", value=8), Rating(area="a2", factor="f2",
                                                                    rater="me", value=4)]


def test_ratings_without_the_model_header_line_are_refused_with_both_ways_out():
    error = refusal(ROWS)
    assert as_tuples(error) == [(
        "m.csv: line 1", "this CSV has ratings but no model (factors, areas, raters)",
        "start it with a '# autosafety-model: {...}' line as `autosafety export MODEL --format "
        "csv` writes, or merge it into a model with `autosafety score MODEL --ratings FILE`")]


def test_a_header_that_is_not_json_is_located_in_line_1():
    error = refusal(PREFIX + '{"id": tiny}\n' + ROWS)
    # the column counts from the text after the prefix: ' {"id": tiny}' has 't' at column 9
    assert as_tuples(error) == [(
        "m.csv: line 1: line 1 column 9", "malformed model header: malformed JSON: Expecting value",
        "fix the JSON after the prefix")]


def test_a_header_that_is_json_but_not_an_object_is_refused():
    error = refusal(PREFIX + '["tiny"]\n' + ROWS)
    assert as_tuples(error) == [
        ("m.csv: line 1", "the model header must be a JSON object", "write it as {...}")]


def test_rows_are_checked_at_their_lines_against_a_valid_header():
    rows = ROWS + "a3,f1,me,5\na1,f1,me,11\na2,f2,me,4\n"  # lines 7, 8 and 9 (3-6 are ROWS)
    error = refusal(header() + rows)
    assert error.title == "m.csv is not a valid model"
    assert as_tuples(error) == [
        ("m.csv: line 7 area", "unknown area 'a3' in tiny", "use one of: a1, a2"),
        ("m.csv: line 8 value", "11 is outside the scale 1-10 of factor 'f1'",
         "use a value between 1 and 10"),
        ("m.csv: line 8", "second rating of (a1, f1) by 'me' (first in line 3)", REPEAT),
        ("m.csv: line 9", "second rating of (a2, f2) by 'me' (first in line 6)", REPEAT)]


def test_header_and_row_problems_come_together_in_one_pass():
    factors = [{"id": "f1", "weight": -1}, {"id": "f2", "weight": 3.0}]
    error = refusal(header(id="mine", factors=factors) + ROWS + "a3,f2,me,5\n")
    assert error.title == "m.csv is not a valid model"
    assert as_tuples(error) == [
        ("m.csv: line 1 factors[0].weight", "Input should be greater than or equal to 0",
         "give a value >= 0"),
        ("m.csv: line 7 area", "unknown area 'a3' in mine", "use one of: a1, a2")]


def test_a_header_problem_alone_refuses_the_model():
    error = refusal(header(scale={"min": 1, "max": 10, "step": 1}) + ROWS)
    assert error.title == "m.csv is not a valid model"
    assert as_tuples(error) == [
        ("m.csv: line 1 scale.step", "unknown field",
         "remove it or check its spelling (see `autosafety schema`)")]


def test_a_header_field_is_named_as_written_even_with_a_colon_in_it():
    error = refusal(header(**{"note: draft": "yes"}) + ROWS)
    assert as_tuples(error) == [
        ("m.csv: line 1 note: draft", "unknown field",
         "remove it or check its spelling (see `autosafety schema`)")]


def test_a_file_name_with_a_space_is_kept_whole_in_header_locations():
    error = refusal(header(id="no spaces allowed") + ROWS, origin="my model.csv")
    assert error.title == "my model.csv is not a valid model"
    assert [p.location for p in error.problems] == ["my model.csv: line 1 id"]


def test_rows_are_not_called_unknown_against_factors_the_header_could_not_list():
    error = refusal(header(factors="f1, f2") + ROWS + "a3,f1,me,5\n")
    assert as_tuples(error) == [
        ("m.csv: line 1 factors", "Input should be a valid list", ""),
        ("m.csv: line 7 area", "unknown area 'a3' in tiny", "use one of: a1, a2")]


def test_rows_are_not_called_unknown_against_areas_the_header_could_not_list():
    error = refusal(header(areas={"a1": "safety"}) + ROWS + "a1,f3,me,5\n")
    assert as_tuples(error) == [
        ("m.csv: line 1 areas", "Input should be a valid list", ""),
        ("m.csv: line 7 factor", "unknown factor 'f3' in tiny", "use one of: f1, f2")]


def test_ratings_listed_in_the_header_are_not_the_models_ratings():
    # the rows are the ratings; a "ratings" key in the header is overridden, so the rows do not
    # repeat it, whether or not the rest of the header is valid
    listed = [{"area": "a1", "factor": "f1", "rater": "me", "value": 2}]
    model = parse_model_text(header(ratings=listed) + ROWS, fmt="csv", origin="m.csv")
    assert len(model.spec.ratings) == 4
    factors = [{"id": "f1", "weight": -1}, {"id": "f2", "weight": 3.0}]
    error = refusal(header(ratings=listed, factors=factors) + ROWS)
    assert [p.location for p in error.problems] == ["m.csv: line 1 factors[0].weight"]
