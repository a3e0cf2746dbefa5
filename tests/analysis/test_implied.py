"""Implied weights: reproduce a ranking with the largest margin, or report what conflicts."""

import itertools

import numpy as np
import pytest

from autosafety._errors import InputError
from autosafety.analysis import implied_weights
from autosafety.analysis._implied import TOL, max_margin
from autosafety.analysis._sampling import dirichlet
from autosafety.model import _core

from .conftest import random_model


@pytest.mark.parametrize("seed", range(5))
def test_ranking_from_some_weights_is_reproduced(seed):
    m = random_model(seed, areas=6, factors=4)
    v = dirichlet(np.random.default_rng(seed), np.ones(4))
    order = [m.area_ids[i] for i in np.argsort(-_core.weighted_scores(m.pooled(), v))]
    res = implied_weights(m, order=order)
    assert res.feasible and res.margin > 0
    s = _core.weighted_scores(m.pooled(), res.weights)
    got = [m.area_ids[i] for i in np.argsort(-s)]
    assert got == order
    assert np.diff(s[[m.area_ids.index(a) for a in order]]).max() <= -res.margin + 1e-9
    # no random weights beat the LP's margin
    w = dirichlet(np.random.default_rng(1), np.ones(4), 50_000)
    idx = [m.area_ids.index(a) for a in order]
    margins = (-np.diff(_core.weighted_scores(m.pooled(), w)[:, idx], axis=1)).min(axis=1)
    assert margins.max() <= res.margin + 1e-9


def test_stated_ranking_of_the_001_post_conflicts(fields):
    res = implied_weights(fields)
    assert not res.feasible
    assert res.conflict, "an infeasible ranking names its conflicting orders"
    r = fields.pooled()
    d = np.array([r[fields.area_ids.index(a)] - r[fields.area_ids.index(b)] for a, b in res.conflict])
    assert max_margin(d)[0] <= TOL  # the set conflicts
    for k in range(len(d)):  # ...and is irreducible
        rest = np.delete(d, k, axis=0)
        assert len(rest) == 0 or max_margin(rest)[0] > TOL
    # the best weights satisfy as many orders as any of a grid of weights on the simplex
    best = len(res.satisfied)
    for t in np.linspace(0, 1, 1001):
        s = _core.weighted_scores(r, np.array([t, 1 - t]))
        count = sum(s[fields.area_ids.index(a)] > s[fields.area_ids.index(b)] for a, b in res.pairs)
        assert count <= best


def test_irreducible_conflicts_beyond_pairs_are_found():
    # whatever conflict is reported for a random order really conflicts
    m = random_model(0, areas=4, factors=3)
    res = implied_weights(m, order=["a0", "a1", "a2", "a3"])
    if not res.feasible:
        d_rows = [m.pooled()[int(a[1])] - m.pooled()[int(b[1])] for a, b in res.conflict]
        assert max_margin(np.array(d_rows))[0] <= TOL
    # exhaustive check of minimality for size-1 and size-2 conflicts
    for seed in range(10):
        m = random_model(seed, areas=5, factors=2, integer=True)
        res = implied_weights(m, order=m.area_ids)
        if res.feasible:
            continue
        r = m.pooled()
        rows = {p: r[m.area_ids.index(p[0])] - r[m.area_ids.index(p[1])] for p in res.pairs}
        smallest = next(k for k in range(1, 4) if any(
            max_margin(np.array([rows[p] for p in c]))[0] <= TOL
            for c in itertools.combinations(res.pairs, k)))
        if smallest <= 2:
            assert len(res.conflict) == smallest


@pytest.mark.parametrize("order, msg", [(["mars", "evals"], "unknown area"),
                                        (["evals", "evals"], "twice"), (["evals"], "two")])
def test_bad_rankings(fields, order, msg):
    with pytest.raises(InputError) as e:
        implied_weights(fields, order=order)
    assert msg in str(e.value)


def test_model_without_stated_ranking(wehner):
    with pytest.raises(InputError):
        implied_weights(wehner)
