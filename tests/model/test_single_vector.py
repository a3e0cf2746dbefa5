"""One score vector takes short paths (plain Python ranks); they must agree with the numpy batch core."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autosafety.model import _core, load_model

scores_1d = hnp.arrays(np.float64, st.integers(1, 40),
                       elements=st.sampled_from([1.0, 2.5, 2.5 + 1e-12, 2.5 + 1e-8, 7.0, 7.000000001]))


@settings(max_examples=200, deadline=None)
@given(scores_1d | hnp.arrays(np.float64, st.integers(1, 40), elements=st.floats(-1e6, 1e6)))
def test_ranks_of_one_vector_equal_the_batch_ranks(scores):
    # the batch path compares all pairs after np.round; ties within 1e-9 share the best rank
    batch = _core._beats(scores[None, :])[1][0]
    order, ranks = _core.standing(scores.tolist())
    assert ranks == batch.tolist() == _core.ranks(scores).tolist()
    # most amenable first, tied areas in index order
    assert order == sorted(range(len(scores)), key=lambda i: (batch[i], i))


def test_ranks_are_competition_ranks_with_ties_to_nine_decimals():
    assert _core.standing([3.0, 5.0, 3.0 + 1e-12, 1.0, 5.0]) == ([1, 4, 0, 2, 3], [3, 1, 3, 5, 1])
    assert _core.standing([3.0, 3.0 + 1e-8]) == ([1, 0], [2, 1])


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 12), st.integers(1, 8), st.data())
def test_one_weight_vector_scores_as_the_batch_within_rounding(n_areas, n_factors, data):
    pooled = data.draw(hnp.arrays(np.float64, (n_areas, n_factors), elements=st.floats(0, 10)))
    weights = data.draw(hnp.arrays(np.float64, n_factors, elements=st.floats(0, 100)))
    weights[0] += 1e-3
    one = _core.weighted_scores(pooled, weights)
    batch = _core.weighted_scores(pooled[None], weights[None])[0]
    np.testing.assert_allclose(one, batch, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(one, (pooled * weights).sum(axis=1) / weights.sum(), rtol=1e-12, atol=1e-12)


def test_all_zero_weights_give_nan_scores():
    with np.errstate(invalid="ignore"):
        assert np.isnan(_core.weighted_scores(np.ones((3, 2)), np.zeros(2))).all()
        assert np.isnan(_core.weighted_scores(np.ones((4, 3, 2)), np.zeros((4, 2)))).all()


def test_category_averages_of_one_vector_equal_the_batch_averages():
    model = load_model("wehner-2026")
    result = model.score(weights={"feedback_quality": 3.3})
    batch = _core.category_means(result.scores, model.category_index, len(model.categories))
    np.testing.assert_allclose(list(result.category_scores.values()), batch, rtol=1e-12)
    assert list(result.category_scores) == model.categories == ["safety", "capabilities"]
