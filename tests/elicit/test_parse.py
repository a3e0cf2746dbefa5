"""The tolerant answer parser: strict JSON, JSON in prose or fences, bare numbers, refusals."""

import pytest

from autosafety.elicit import parse_answer


@pytest.mark.parametrize(("text", "value"), [
    ('{"rating": 7, "rationale": "clear metrics"}', 7.0),
    ('```json\n{"rating": 6.5, "rationale": "ok"}\n```', 6.5),
    ('Sure! Here is my answer: {"Rating": "8", "reason": "fast loops"} Hope that helps.', 8.0),
    ('{"score": 3}', 3.0),
    ("7", 7.0),
    ("  4.5. ", 4.5),
    ("I would rate it 6/10 because feedback is decent.", 6.0),
    ("Rating: 9 -- progress is routine engineering.", 9.0),
])
def test_reads_ratings_in_many_shapes(text, value):
    parsed = parse_answer(text, low=1, high=10)
    assert parsed.status == "ok"
    assert parsed.value == value


def test_keeps_the_rationale_from_json():
    parsed = parse_answer('{"rating": 5, "rationale": "an even mix"}', low=1, high=10)
    assert parsed.rationale == "an even mix"


@pytest.mark.parametrize("text", [
    "I'm sorry, but I can't provide a rating for this.",
    "As an AI, I cannot give personal opinions on research areas.",
    "I must decline to rate this area.",
])
def test_refusals(text):
    parsed = parse_answer(text, low=1, high=10)
    assert parsed.status == "refused"
    assert parsed.value is None


def test_provider_flagged_refusal_even_with_a_number():
    parsed = parse_answer('{"rating": 5}', low=1, high=10, refused=True)
    assert parsed.status == "refused"


@pytest.mark.parametrize("text", ["", "Interpretability is a fascinating field.", '{"rating": null}',
                                  '{"rating": "high"}', "{not json"])
def test_unparseable(text):
    parsed = parse_answer(text, low=1, high=10)
    assert parsed.status == "unparseable"
    assert parsed.problem


@pytest.mark.parametrize(("text", "value"), [('{"rating": 11}', 11.0), ('{"rating": 0}', 0.0),
                                             ('{"rating": -3}', -3.0), ("15/10", 15.0)])
def test_out_of_range_is_never_clipped(text, value):
    parsed = parse_answer(text, low=1, high=10)
    assert parsed.status == "out_of_range"
    assert parsed.value == value
    assert "outside the scale 1-10" in parsed.problem


def test_scale_bounds_come_from_the_factor():
    assert parse_answer('{"rating": 4}', low=1, high=5).status == "ok"
    assert parse_answer('{"rating": 7}', low=1, high=5).status == "out_of_range"
