"""Properties every weighted-mean score must have, checked on random models (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from autosafety.model import model_from_data

SCALE = (1.0, 10.0)


@st.composite
def models(draw):
    n_areas = draw(st.integers(1, 6))
    n_factors = draw(st.integers(1, 5))
    weights = draw(st.lists(st.floats(0, 10), min_size=n_factors, max_size=n_factors))
    if not any(w > 0 for w in weights):
        weights[0] = 1.0
    values = draw(st.lists(st.floats(*SCALE), min_size=n_areas * n_factors,
                           max_size=n_areas * n_factors))
    cats = draw(st.lists(st.sampled_from(["safety", "capabilities", "other"]),
                         min_size=n_areas, max_size=n_areas))
    return {
        "id": "random",
        "factors": [{"id": f"f{j}", "weight": w} for j, w in enumerate(weights)],
        "areas": [{"id": f"a{i}", "category": c} for i, c in enumerate(cats)],
        "raters": [{"id": "r"}],
        "ratings": [{"area": f"a{i}", "factor": f"f{j}", "rater": "r",
                     "value": values[i * n_factors + j]}
                    for i in range(n_areas) for j in range(n_factors)],
    }


def _scores_by_id(spec):
    result = model_from_data(spec).score()
    return dict(zip(result.model.area_ids, result.scores))


@settings(max_examples=60, deadline=None)
@given(models(), st.randoms())
def test_reordering_areas_or_factors_changes_no_score(spec, rnd):
    shuffled = dict(spec)
    shuffled["areas"] = rnd.sample(spec["areas"], len(spec["areas"]))
    shuffled["factors"] = rnd.sample(spec["factors"], len(spec["factors"]))
    shuffled["ratings"] = rnd.sample(spec["ratings"], len(spec["ratings"]))
    before, after = _scores_by_id(spec), _scores_by_id(shuffled)
    assert before.keys() == after.keys()
    for k in before:
        assert np.isclose(before[k], after[k], rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(models(), st.floats(1e-3, 1e3))
def test_scaling_all_weights_changes_no_score(spec, c):
    model = model_from_data(spec)
    scaled = {f: w * c for f, w in zip(model.factor_ids, model.weights)}
    assert np.allclose(model.score().scores, model.score(weights=scaled).scores)


@settings(max_examples=60, deadline=None)
@given(models(), st.data())
def test_raising_a_rating_never_lowers_that_areas_score(spec, data):
    model = model_from_data(spec)
    i = data.draw(st.integers(0, len(model.area_ids) - 1))
    j = data.draw(st.integers(0, len(model.factor_ids) - 1))
    old = model.pooled()[i, j]
    new = data.draw(st.floats(old, SCALE[1]))
    base = model.score().scores[i]
    raised = model.score(ratings={(model.area_ids[i], model.factor_ids[j]): new}).scores[i]
    assert raised >= base - 1e-12
    share = model.weights[j] / model.weights.sum()
    if share > 1e-6 and new > old + 1e-3:
        assert raised > base


@settings(max_examples=60, deadline=None)
@given(models())
def test_every_score_and_category_average_stays_within_the_scale(spec):
    result = model_from_data(spec).score()
    assert np.all(result.scores >= SCALE[0] - 1e-9) and np.all(result.scores <= SCALE[1] + 1e-9)
    for value in result.category_scores.values():
        assert SCALE[0] - 1e-9 <= value <= SCALE[1] + 1e-9
