"""Weight and rating overrides on the tiny model (f1 weight 1, f2 weight 3; a1 = 2, 6; a2 = 8, 4 on
1-10): the scores by hand, and every bad override located and explained at once."""

import math

import numpy as np
import pytest

from autosafety import InputError, Problem
from autosafety.model import model_from_data

from .conftest import make_spec


def test_every_bad_weight_override_is_reported_at_once(tiny_spec):
    model = model_from_data(tiny_spec)
    with pytest.raises(InputError) as info:
        model.score(weights={"zz": 1.0, "f1": -1.0, "f2": math.nan})
    assert info.value.title == "invalid weight override"
    assert info.value.problems == [
        Problem("weight zz", "unknown factor 'zz'", "use one of: f1, f2"),
        Problem("weight f1", "weight must be a finite number >= 0, got -1.0", "give a non-negative weight"),
        Problem("weight f2", "weight must be a finite number >= 0, got nan", "give a non-negative weight"),
    ]


def test_overriding_every_weight_to_zero_is_refused(tiny_spec):
    model = model_from_data(tiny_spec)
    with pytest.raises(InputError) as info:
        model.override_weights({"f1": 0.0, "f2": 0.0})
    assert info.value.title == "invalid weight override"
    assert info.value.problems == [
        Problem("weights", "all factor weights are zero", "give some factor a weight > 0")]


def test_one_weight_of_zero_leaves_the_other_factor_alone(tiny_spec):
    result = model_from_data(tiny_spec).score(weights={"f2": 0.0})
    assert result.scores.tolist() == pytest.approx([2.0, 8.0])
    assert result.weights.tolist() == [1.0, 0.0]


def test_every_bad_rating_override_is_reported_at_once(tiny_spec):
    model = model_from_data(tiny_spec)
    with pytest.raises(InputError) as info:
        model.score(ratings={("zz", "f1"): 5.0, ("a1", "zz"): 5.0, ("a1", "f1"): 11.0,
                             ("a2", "f2"): math.nan})
    assert info.value.title == "invalid rating override"
    assert info.value.problems == [
        Problem("rating zz:f1", "unknown area 'zz'", "use one of: a1, a2"),
        Problem("rating a1:zz", "unknown factor 'zz'", "use one of: f1, f2"),
        Problem("rating a1:f1", "11.0 is outside the scale 1-10", "use a value between 1 and 10"),
        Problem("rating a2:f2", "nan is outside the scale 1-10", "use a value between 1 and 10"),
    ]


def test_a_rating_override_is_read_on_the_factor_own_scale():
    """f1 rated on 0-100: 0 is its bottom (1 on the model's 1-10), 50 its middle (5.5)."""
    spec = make_spec(factors=[{"id": "f1", "weight": 1.0, "scale": {"min": 0, "max": 100}},
                              {"id": "f2", "weight": 3.0}])
    spec["ratings"][0]["value"] = 20
    spec["ratings"][2]["value"] = 80
    model = model_from_data(spec)
    result = model.score(ratings={("a1", "f1"): 0.0, ("a2", "f1"): 50.0})
    np.testing.assert_allclose(result.pooled, [[1.0, 6.0], [5.5, 4.0]])
    assert result.scores.tolist() == pytest.approx([(1 + 18) / 4, (5.5 + 12) / 4])
    with pytest.raises(InputError, match="outside the scale 0-100"):
        model.score(ratings={("a1", "f1"): 101.0})


def test_the_result_holds_the_pooled_ratings_with_the_overrides(tiny_spec):
    result = model_from_data(tiny_spec).score(ratings={("a2", "f2"): 10.0})
    assert result.pooled.tolist() == [[2.0, 6.0], [8.0, 10.0]]


def test_the_result_names_the_pooling_it_used(tiny_spec):
    model = model_from_data(tiny_spec)
    assert model.score().pooling == "mean"
    result = model.score(pooling="median")
    assert result.pooling == "median"
    assert result.to_dict()["pooling"] == "median"


def test_the_cached_pooled_ratings_cannot_be_written_through(tiny_spec):
    """The model hands out its cached array: writing into it must fail, not change later scores."""
    model = model_from_data(tiny_spec)
    with pytest.raises(ValueError, match="read-only"):
        model.pooled()[0, 0] = 10.0
    assert model.score().scores.tolist() == pytest.approx([5.0, 5.0])
