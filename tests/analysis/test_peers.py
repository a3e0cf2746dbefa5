"""Scores and ranks against pymcdm and scikit-criteria on random decision matrices."""

import numpy as np
import pytest
from pymcdm.helpers import rankdata
from pymcdm.methods import WSM
from skcriteria import mkdm
from skcriteria.agg.simple import WeightedSumModel

from autosafety.model import _core

from .conftest import random_model


@pytest.mark.parametrize("seed", range(20))
def test_weighted_sum_matches_pymcdm_and_scikit_criteria(seed):
    m = random_model(seed, areas=8, factors=5)
    matrix, w = m.pooled(), m.weights / m.weights.sum()
    ours = m.score().scores
    pym = WSM(normalization_function=lambda x, cost=False: x)(matrix, w, np.ones(len(w)))
    sk = WeightedSumModel().evaluate(mkdm(matrix, [max] * len(w), weights=w))
    np.testing.assert_allclose(ours, pym, rtol=1e-12)
    np.testing.assert_allclose(ours, sk.e_.score, rtol=1e-12)
    np.testing.assert_array_equal(_core.ranks(ours), rankdata(pym, reverse=True).astype(int))
    np.testing.assert_array_equal(_core.ranks(ours), sk.rank_)


def test_monte_carlo_scores_match_pymcdm_per_draw():
    """Scores inside the vectorised sampler equal pymcdm's weighted sum on the same draw."""
    from autosafety.analysis._plan import build_plan
    from autosafety.analysis._sampling import draw_pooled, draw_weights

    m = random_model(3, areas=5, factors=4)
    plan = build_plan(m, weight_concentration=10.0)
    rng = np.random.default_rng(1)
    pooled, w = draw_pooled(rng, plan, None, 50), draw_weights(rng, plan, None, 50)
    scores = _core.weighted_scores(pooled, w)
    for i in range(0, 50, 7):
        pym = WSM(normalization_function=lambda x, cost=False: x)(pooled[i], w[i], np.ones(4))
        np.testing.assert_allclose(scores[i], pym, rtol=1e-12)
