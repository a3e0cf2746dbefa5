"""Models derived from a model: new weights, merged ratings and the raters they add."""

from autosafety.model import Rating, merge_ratings, model_from_data

from .conftest import make_spec


def _model():
    return model_from_data(make_spec(), origin="mine.yaml")


def test_with_weights_sets_the_factor_weights_and_keeps_the_origin():
    derived = _model().with_weights({"f1": 2.0})
    assert [(f.id, f.weight) for f in derived.factors] == [("f1", 2.0), ("f2", 3.0)]
    assert derived.origin == "mine.yaml"


def test_with_ratings_replaces_a_rating_and_keeps_the_origin():
    derived = _model().with_ratings([Rating(area="a1", factor="f1", rater="me", value=10)])
    assert derived.pooled().tolist() == [[10.0, 6.0], [8.0, 4.0]]
    assert derived.origin == "mine.yaml"


def test_merged_raters_are_llms_when_their_provenance_names_a_model():
    ratings = [
        Rating(area="a1", factor="f1", rater="bot", value=5, provenance={"model": "mockllm/model"}),
        Rating(area="a2", factor="f1", rater="bot", value=5, provenance={}),
        Rating(area="a1", factor="f2", rater="ann", value=3),
        Rating(area="a2", factor="f2", rater="me", value=9),
    ]
    merged = merge_ratings(_model(), ratings)
    assert [(r.id, r.kind, r.description) for r in merged.raters] == [
        ("me", "human", ""),
        ("bot", "llm", "added from a ratings file"),
        ("ann", "human", "added from a ratings file"),
    ]
    assert merged.origin == "mine.yaml"
