"""Levers on the timeline (common random numbers), LP portfolios, the smallest rating change."""

import numpy as np
import pytest
from scipy.optimize import linprog, minimize

from autosafety import InputError, load_model
from autosafety.levers import builtin_catalogue, parse_levers, resolve
from autosafety.levers._portfolio import best_portfolio, cheapest_level, lp_data, parse_costs
from autosafety.levers._ratings import l1_change, l2_change, smallest_rating_change
from autosafety.levers._timeline import timeline_effects
from autosafety.timeline import simulate

ZERO = """
levers:
- {id: zero_rating, changes: [{rating: feedback_quality, category: safety, by: 0.0}]}
- {id: zero_delay, changes: [{delay: 0.0, category: capabilities}]}
- {id: zero_parameter, changes: [{parameter: review_overhead_max, by: 0.0}]}
- {id: zero_all, changes: [{rating: scheming_risk, areas: [ai_control], by: 0.0},
                           {delay: 0.0, areas: [interpretability]},
                           {parameter: adoption_lag_max, by: 0.0}]}
- {id: delay_caps, changes: [{delay: 0.25, category: capabilities}]}
"""


@pytest.fixture(scope="module")
def model():
    return load_model("wehner-2026")


def test_zero_magnitude_levers_have_exactly_zero_timeline_effect(model):
    res = timeline_effects(model, parse_levers(ZERO, origin="z"), draws=3000, seed=7)
    by = {e.lever.id: e for e in res.effects}
    for lid in ("zero_rating", "zero_delay", "zero_parameter", "zero_all"):
        e = by[lid]
        assert (e.safety_months, e.capabilities_months, e.dp) == (0.0, 0.0, 0.0), lid
    # a delay of every capabilities area's adoption by 3 months moves every capabilities date by
    # exactly 3 months in every draw (dates are binned by day): the median moves by 3 months
    d = by["delay_caps"]
    assert d.safety_months == 0.0
    assert d.capabilities_months == pytest.approx(3.0, abs=0.05)


def test_any_units_zero_is_zero_and_rating_effect_matches_a_direct_run(model):
    res = timeline_effects(model, None, draws=2000, seed=1, units=0.0)
    assert all(e.net_months == 0.0 and e.dp == 0.0 for e in res.effects)
    # an independent run: the model edited by hand, same seed
    fb = timeline_effects(model, None, draws=2000, seed=1)
    e = next(x for x in fb.effects if x.lever.id == "feedback_quality")
    edited = model.with_ratings([r.model_copy(update={"value": r.value + 1.0}) for r in model.spec.ratings
                                 if r.factor == "feedback_quality" and r.area in
                                 {a.id for a in model.areas if a.category == "safety"}])
    base = simulate(model, draws=2000, seed=1)
    new = simulate(edited, draws=2000, seed=1)
    s = [i for i, a in enumerate(model.areas) if a.category == "safety"]
    med = lambda r: np.mean([r.quantile(i, 0.5) for i in s])  # noqa: E731
    assert e.safety_months == pytest.approx((med(base) - med(new)) * 12, abs=1e-9)
    assert e.capabilities_months == 0.0   # feedback in safety areas leaves capabilities draws alone
    assert e.safety_months > 0


COSTS = {"currency": "$M", "costs": {
    "feedback_quality": 2, "documentation": {"cost": 0.5, "max_units": 4}, "research_proposals": 1,
    "regulation": 3, "helpful_capabilities": 0.5, "safety_benchmark": 1.5, "reduce_scheming": 1,
    "build_safety_automation": 2}}


def _random_feasible(p, rng, n):
    """Random unit vectors that keep every rating on its scale and within max units."""
    k = len(p.levers)
    upper = np.array([u if u is not None else 10.0 for u in p.upper])
    x = rng.uniform(0, 1, (n, k)) ** 3 * upper
    ok = (x @ p.a_ub.T <= p.b_ub + 1e-12).all(axis=1) if len(p.a_ub) else np.ones(n, bool)
    return x[ok]


def test_lp_portfolio_beats_random_portfolios_of_the_same_cost(model):
    costs = parse_costs(COSTS)
    budget = 5.0
    best = best_portfolio(model, costs, budget=budget)
    assert best.cost == pytest.approx(budget, rel=1e-9)
    p = lp_data(model, resolve(model, builtin_catalogue(), strict=False).levers, costs)
    rng = np.random.default_rng(0)
    x = _random_feasible(p, rng, 20000)
    x = x * (budget / (x @ p.cost))[:, None]                 # scaled to the same cost
    x = x[(x @ p.a_ub.T <= p.b_ub + 1e-12).all(axis=1)]
    upper = np.array([u if u is not None else np.inf for u in p.upper])
    x = x[(x <= upper).all(axis=1)]
    assert len(x) > 1000
    effects = x @ p.effect
    assert best.closes >= effects.max() - 1e-12
    assert best.closes > np.quantile(effects, 0.5)


def test_cheapest_level_is_no_dearer_than_random_portfolios_that_close_the_gap(model):
    costs = parse_costs(COSTS)
    cheap = cheapest_level(model, costs)
    assert cheap.feasible and cheap.closes == pytest.approx(cheap.gap, abs=1e-9)
    p = lp_data(model, resolve(model, builtin_catalogue(), strict=False).levers, costs)
    x = _random_feasible(p, np.random.default_rng(1), 50000)
    closing = x[x @ p.effect >= p.gap]
    assert len(closing) > 50
    assert cheap.cost <= (closing @ p.cost).min() + 1e-9
    # an independent LP: the same problem written out by hand with scipy
    ref = linprog(p.cost, A_ub=np.vstack([p.a_ub, -p.effect[None]]), b_ub=np.r_[p.b_ub, -p.gap],
                  bounds=[(0, u) for u in p.upper], method="highs-ipm")
    assert cheap.cost == pytest.approx(ref.fun, rel=1e-7)


def test_a_budget_too_small_to_close_and_levers_that_cannot(model):
    costs = parse_costs({"costs": {"documentation": {"cost": 1, "max_units": 2}}})
    cheap = cheapest_level(model, costs)
    assert not cheap.feasible and "at most 0.047" in cheap.note
    assert best_portfolio(model, costs, budget=0).closes == 0.0


@pytest.mark.parametrize(("data", "loc", "msg"), [
    ({"costs": {"documentation": -1}}, "costs: costs.documentation", "cannot be negative"),
    ({"costs": {"documentation": {"cost": 1, "max_units": -2}}}, "costs: costs.documentation.max_units",
     "cannot be negative"),
    ({"costs": {"documentation": "cheap"}}, "costs: costs.documentation", "not a finite number"),
    ({"costs": []}, "costs", "expected a mapping"),
])
def test_bad_costs(data, loc, msg):
    with pytest.raises(InputError) as e:
        parse_costs(data)
    assert e.value.problems[0].location == loc and msg in e.value.problems[0].message


def test_unknown_lever_in_costs_and_negative_budget(model):
    with pytest.raises(InputError) as e:
        best_portfolio(model, parse_costs({"costs": {"teleport": 1}}), budget=1)
    assert "no lever 'teleport'" in e.value.problems[0].message
    with pytest.raises(InputError) as e:
        best_portfolio(model, parse_costs({"costs": {"documentation": 1}}), budget=-1)
    assert e.value.problems[0].location == "--budget"


def test_smallest_rating_change_against_scipy(model):
    l1 = smallest_rating_change(model, distance="l1")
    l2 = smallest_rating_change(model, distance="l2")
    s = [i for i, a in enumerate(model.areas) if a.category == "safety"]
    w = model.weights / model.weights.sum()
    g = np.tile(w / len(s), len(s))
    room = (10 - model.pooled()[s]).ravel()
    gap = l1.gap
    ref1 = linprog(np.ones_like(g), A_ub=-g[None], b_ub=[-gap], bounds=list(zip(0 * room, room)),
                   method="highs")
    assert l1.size == pytest.approx(ref1.fun, rel=1e-9)
    ref2 = minimize(lambda d: d @ d, room / 2, jac=lambda d: 2 * d, method="SLSQP",
                    bounds=list(zip(0 * room, room)),
                    constraints=[{"type": "ineq", "fun": lambda d: g @ d - gap, "jac": lambda d: g}],
                    options={"ftol": 1e-15, "maxiter": 1000})
    assert l2.size == pytest.approx(np.sqrt(ref2.fun), rel=1e-6)
    assert np.abs(l2.change[s].ravel() - ref2.x).max() < 1e-5
    # both close the gap exactly
    for r in (l1, l2):
        after = model.score(ratings={(model.area_ids[i], model.factor_ids[j]): model.pooled()[i, j]
                                     + r.change[i, j] for i, j in zip(*np.nonzero(r.change))})
        cs = after.category_scores
        assert cs["capabilities"] - cs["safety"] == pytest.approx(0, abs=1e-9)


def test_water_filling_against_brute_force_on_random_small_cases():
    rng = np.random.default_rng(5)
    for _ in range(200):
        g = rng.uniform(0, 1, (2, 3)) * (rng.uniform(size=(2, 3)) > 0.2)
        room = rng.uniform(0, 3, (2, 3))
        need = float((g * room).sum() * rng.uniform(0.05, 1.2))
        d2, d1 = l2_change(g, room, need), l1_change(g, room, need)
        if (g * room).sum() < need:
            assert d2 is None and d1 is None
            continue
        ref = minimize(lambda d: d @ d, room.ravel() / 2, jac=lambda d: 2 * d, method="SLSQP",
                       bounds=list(zip(0 * room.ravel(), room.ravel())),
                       constraints=[{"type": "ineq", "fun": lambda d, g=g, need=need: g.ravel() @ d - need}],
                       options={"ftol": 1e-15, "maxiter": 1000})
        assert (d2 ** 2).sum() == pytest.approx(ref.fun, rel=1e-5, abs=1e-9)
        lp = linprog(np.ones(6), A_ub=-g.ravel()[None], b_ub=[-need], bounds=list(zip(0 * room.ravel(),
                                                                                    room.ravel())))
        assert d1.sum() == pytest.approx(lp.fun, rel=1e-9, abs=1e-12)
