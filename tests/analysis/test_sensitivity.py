"""Tornado sweeps, leave-one-out, add-a-factor and the smallest weight change that flips."""

import numpy as np
import pytest

from autosafety._errors import InputError
from autosafety.analysis import add_factor, leave_one_out, smallest_change, tornado
from autosafety.analysis._sampling import dirichlet

from .conftest import random_model


def test_tornado_matches_direct_scoring(wehner):
    res = tornado(wehner, low=0, high=4, points=41)
    frame = res.to_frame()
    for fid in ("scheming_risk", "task_length"):
        gaps = [wehner.score(weights={fid: t}).gaps["capabilities - safety"]
                for t in np.linspace(0, 4, 41)]
        assert frame.loc[fid, "gap_min"] == pytest.approx(min(gaps))
        assert frame.loc[fid, "gap_max"] == pytest.approx(max(gaps))
        ranks = np.array([wehner.score(weights={fid: t}).ranks for t in np.linspace(0, 4, 41)])
        j = wehner.factor_ids.index(fid)
        np.testing.assert_array_equal(np.nanmin(res.ranks[j], axis=0), ranks.min(axis=0))
    assert list(frame["swing"]) == sorted(frame["swing"], reverse=True)
    assert frame.loc["scheming_risk", "base_gap"] == pytest.approx(1.2397, abs=1e-4)


def test_tornado_rejects_bad_range(wehner):
    with pytest.raises(InputError):
        tornado(wehner, low=3, high=1)


def test_leave_one_out_checks_the_scheming_claim(wehner):
    rows = {c.label: c.to_row() for c in leave_one_out(wehner)}
    r = rows["without scheming_risk"]
    direct = wehner.score(weights={"scheming_risk": 0}).gaps["capabilities - safety"]
    assert r["gap"] == pytest.approx(direct)
    assert r["conclusion_holds"] is (direct > 0)


def test_add_factor_changes_scores_as_a_weighted_mean(wehner):
    ratings = {a: 9.0 if a in ("data_generation", "ai_control") else 4.0 for a in wehner.area_ids}
    new, cmp = add_factor(wehner, "quantity_over_quality", weight=1.0, ratings=ratings)
    w = wehner.weights
    expected = (wehner.score().scores * w.sum() + 1.0 * np.array([ratings[a] for a in
                                                                    wehner.area_ids])) / (w.sum() + 1)
    np.testing.assert_allclose(cmp.scores, expected)
    assert "quantity_over_quality" in new.factor_ids
    with pytest.raises(InputError) as e:
        add_factor(wehner, "q", weight=1.0, ratings={"mars": 3.0})
    assert "mars" in str(e.value) and "no rating for" in str(e.value)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("distance", ["l2", "l1"])
def test_smallest_change_beats_random_search(seed, distance):
    m = random_model(seed + 40, areas=6, factors=4)
    gap = m.score().gaps["c1 - c0"]
    hi, lo = ("c1", "c0") if gap > 0 else ("c0", "c1")
    res = smallest_change(m, kind="category", higher=hi, lower=lo, distance=distance)
    # the gap is linear in the normalised weights, so some weights flip it exactly when a vertex
    # of the simplex (one factor alone) does: when some factor favours the trailing category
    from autosafety.model import _core

    per_factor = _core.category_means(m.pooled().T, m.category_index, 2).T  # (2, F)
    assert res.possible == bool(((per_factor[1] - per_factor[0]) * np.sign(gap) <= 0).any())
    w0 = m.weights / m.weights.sum()
    v = dirichlet(np.random.default_rng(seed), np.ones(4), 200_000)
    g = _core.category_means(_core.weighted_scores(m.pooled(), v), m.category_index, 2)
    flips = (g[:, 1] - g[:, 0]) * np.sign(gap) <= 0
    if res.possible:
        # the new weights tie the categories (the conclusion stops holding)...
        new_gap = m.score(weights=dict(zip(m.factor_ids, res.weights))).gaps["c1 - c0"]
        assert abs(new_gap) < 1e-6
        # ...and no random simplex point that flips the conclusion is closer
        d = (np.abs(v - w0).sum(axis=1) if distance == "l1" else np.linalg.norm(v - w0, axis=1))
        assert flips.any() and res.size <= d[flips].min() + 1e-6
    else:  # no weights at all flip it: random search finds none either
        assert not flips.any()


def test_smallest_change_reports_impossible_flips():
    m = random_model(1, areas=4, factors=3)
    # make every factor favour area a0 over a1
    r = m.pooled()
    better = [f for f in range(3) if r[0, f] <= r[1, f]]
    ratings = {("a0", m.factor_ids[f]): 10.0 for f in better} | {
        ("a1", m.factor_ids[f]): 1.0 for f in better}
    spec_ratings = [x.model_copy(update={"value": ratings.get((x.area, x.factor), x.value)})
                    for x in m.spec.ratings]
    m2 = m.replace(ratings=[x.model_dump() for x in spec_ratings])
    res = smallest_change(m2, kind="areas", higher="a0", lower="a1")
    assert not res.possible and res.to_dict()["size"] is None
    with pytest.raises(InputError):
        smallest_change(m2, kind="areas", higher="a1", lower="a0")
