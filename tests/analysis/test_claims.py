"""Claims: parsing, the point verdict, the Monte Carlo probability and the nearest flip."""

import numpy as np
import pytest

from autosafety._errors import InputError
from autosafety.analysis import check_claim, monte_carlo, parse_claim
from autosafety.model import _core


@pytest.mark.parametrize("text, kind, hi, lo, k", [
    ("capabilities > safety", "category", "capabilities", "safety", 0),
    ("Safety scores above capabilities", "category", "safety", "capabilities", 0),
    ("safety < capabilities", "category", "capabilities", "safety", 0),
    ("AI Control ranks above interpretability", "areas", "ai_control", "interpretability", 0),
    ("interpretability below ai_control", "areas", "ai_control", "interpretability", 0),
    ("agent_scaffolding in top 3", "top", "agent_scaffolding", "", 3),
    ("Agent Scaffolding is in the top 1", "top", "agent_scaffolding", "", 1),
])
def test_parse(wehner, text, kind, hi, lo, k):
    c = parse_claim(wehner, text)
    assert (c.kind, c.higher, c.lower, c.k) == (kind, hi, lo, k)


@pytest.mark.parametrize("text", ["mars > safety", "safety > ai_control", "safety > safety",
                                  "ai_control in top 11", "hello world"])
def test_bad_claims(wehner, text):
    with pytest.raises(InputError):
        parse_claim(wehner, text)


def test_category_claim_verdict_probability_and_flip(wehner):
    res = check_claim(wehner, "capabilities > safety", draws=5000, weight_concentration=20)
    assert res.holds and res.value == pytest.approx(wehner.score().gaps["capabilities - safety"])
    mc = monte_carlo(wehner, draws=5000, weight_concentration=20)
    assert res.probability == mc.category_probabilities[1, 0]
    flip = res.nearest_flip
    gap = wehner.score(weights={flip["factor"]: flip["threshold"]}).gaps["capabilities - safety"]
    assert abs(gap) < 1e-9
    assert res.smallest_change["possible"]


def test_drop_scheming_claim(wehner):
    res = check_claim(wehner, "capabilities > safety", weights={"scheming_risk": 0}, draws=1000)
    assert res.holds == (wehner.score(weights={"scheming_risk": 0}).gaps["capabilities - safety"] > 0)


@pytest.mark.parametrize("area, k", [("ai_control", 5), ("interpretability", 3),
                                     ("agent_scaffolding", 1), ("post_training", 4)])
def test_top_k_nearest_flip_matches_brute_force(wehner, area, k):
    res = check_claim(wehner, f"{area} in top {k}", draws=1000)
    a = wehner.area_ids.index(area)
    assert res.holds == (wehner.score().ranks[a] <= k)
    best = None
    for j, _fid in enumerate(wehner.factor_ids):
        grid = np.linspace(0, 60, 120_001)
        w = np.broadcast_to(wehner.weights, (grid.size, 7)).copy()
        w[:, j] = grid
        status = _core.ranks(_core.weighted_scores(wehner.pooled(), w))[:, a] <= k
        change = np.flatnonzero(status != res.holds)
        if change.size:
            d = np.abs(grid[change] - wehner.weights[j]).min()
            best = d if best is None else min(best, d)
    if best is None:
        assert res.nearest_flip is None
    else:
        got = abs(res.nearest_flip["threshold"] - res.nearest_flip["weight"])
        assert got == pytest.approx(best, abs=1e-3)
