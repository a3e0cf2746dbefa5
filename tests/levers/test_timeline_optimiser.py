"""The timeline optimiser: portfolios searched over the Monte Carlo with common random numbers,
checked against portfolios evaluated independently (one combined lever through timeline_effects)."""

import numpy as np
import pytest

from autosafety import InputError, load_model
from autosafety.levers import LeverFile, apply, builtin_catalogue, parse_levers, resolve
from autosafety.levers._portfolio import parse_costs
from autosafety.levers._timeline import timeline_effects
from autosafety.levers._timeline_portfolio import best_timeline_portfolio

DRAWS = 1000
SEED = 3
COSTS = {"currency": "$M", "costs": {
    "feedback_quality": 2, "documentation": {"cost": 0.5, "max_units": 4}, "regulation": 3,
    "safety_benchmark": 1.5, "reduce_scheming": 1, "adopt_ai_tools": 2, "safety_first_access": 1,
    "compute_commitment": 2, "build_safety_automation": 2}}


@pytest.fixture(scope="module")
def model():
    return load_model("wehner-2026")


def combined(units: dict[str, float]) -> LeverFile:
    """One lever doing what ``units`` of each built-in lever do together (written out by hand)."""
    specs = {lv.id: lv for lv in builtin_catalogue().levers}
    changes = []
    for lid, u in units.items():
        for ch in specs[lid].changes:
            d = ch.model_dump(exclude_none=True)
            if ch.kind == "delay":
                d["delay"] = ch.delay * u
            elif ch.kind == "parameter":
                d["by"] = (1 + ch.by) ** u - 1
            else:
                d["by"] = ch.by * u
            changes.append(d)
    return LeverFile.model_validate({"levers": [{"id": "portfolio", "clip": True, "changes": changes}]})


def independent(model, units: dict[str, float], *, draws: int = DRAWS) -> dict:
    """The portfolio's effect through the ranking's own code path (timeline_effects), same seed."""
    if not any(units.values()):
        return {"net_months": 0.0, "safety_months": 0.0, "dp": 0.0}
    return timeline_effects(model, combined(units), draws=draws, seed=SEED).effects[0].to_dict()


def random_portfolios(costs: dict, money: float, rng, n: int) -> list[dict[str, float]]:
    """Random portfolios spending exactly ``money``, within every unit limit."""
    ids = list(costs)
    price = np.array([c if isinstance(c, int | float) else c["cost"] for c in costs.values()], float)
    cap = np.array([np.inf if isinstance(c, int | float) else c["max_units"] for c in costs.values()])
    out: list[dict[str, float]] = []
    while len(out) < n:
        k = rng.integers(1, len(ids) + 1)
        share = np.zeros(len(ids))
        share[rng.choice(len(ids), k, replace=False)] = rng.dirichlet(np.ones(k))
        units = share * money / price
        if (units <= cap).all():
            out.append({i: float(u) for i, u in zip(ids, units) if u > 0})
    return out


@pytest.mark.parametrize(("objective", "key"), [("months", "net_months"), ("p", "dp")])
def test_the_optimiser_beats_random_portfolios_of_the_same_cost(model, objective, key):
    best = best_timeline_portfolio(model, parse_costs(COSTS), budget=5.0, objective=objective,
                                   draws=DRAWS, search_draws=DRAWS, seed=SEED, max_evaluations=150)
    d = best.to_dict()
    assert 0 < d["cost"] <= 5.0 + 1e-9
    assert d["evaluations"] <= 150
    # its reported effect is what the portfolio does, recomputed through another code path
    mine = independent(model, d["units"])
    assert d[key] == pytest.approx(mine[key], abs=1e-6)
    assert d["value"] > 0
    rng = np.random.default_rng(11)
    others = random_portfolios(COSTS["costs"], d["cost"], rng, 12)
    # and every single lever bought with the whole of the same money
    for lid, c in COSTS["costs"].items():
        price = c if isinstance(c, int | float) else c["cost"]
        cap = np.inf if isinstance(c, int | float) else c["max_units"]
        if d["cost"] / price <= cap:
            others.append({lid: d["cost"] / price})
    values = [independent(model, u)[key] for u in others]
    assert max(values) <= d[key] + 1e-9, (max(values), d[key], others[int(np.argmax(values))])
    # the search is not trivially ahead: some random portfolio comes within reach
    assert max(values) > 0


def test_zero_budget_is_the_empty_portfolio_with_zero_effect(model):
    r = best_timeline_portfolio(model, parse_costs(COSTS), budget=0.0, draws=2000, search_draws=DRAWS,
                                seed=SEED)
    d = r.to_dict()
    assert d["units"] == {} and d["cost"] == 0.0
    assert (d["net_months"], d["safety_months"], d["capabilities_months"], d["dp"]) == (0.0, 0.0, 0.0, 0.0)
    assert d["steps"] == []


def test_evaluations_are_bounded_and_the_final_run_uses_the_full_draws(model):
    r = best_timeline_portfolio(model, parse_costs(COSTS), budget=3.0, draws=2 * DRAWS, search_draws=DRAWS,
                                seed=SEED, max_evaluations=6)
    d = r.to_dict()
    assert d["evaluations"] <= 6 + 2      # the search's runs, then the baseline and the portfolio again
    assert d["draws"] == 2 * DRAWS and d["search_draws"] == DRAWS
    assert d["net_months"] == pytest.approx(independent(model, d["units"], draws=2 * DRAWS)["net_months"],
                                            abs=1e-6)


def test_a_lever_that_does_not_clip_stays_on_its_scale_and_unit_limits_hold(model):
    levers = parse_levers("""
levers:
- {id: interp_feedback, changes: [{rating: feedback_quality, areas: [interpretability], by: 1.0}]}
- {id: delay_caps, changes: [{delay: 0.1, category: capabilities}]}
""", origin="mine")
    costs = parse_costs({"costs": {"interp_feedback": 0.01, "delay_caps": {"cost": 0.01, "max_units": 3}}})
    r = best_timeline_portfolio(model, costs, budget=10.0, levers=levers, draws=DRAWS, search_draws=DRAWS,
                                seed=SEED, max_evaluations=60)
    units = r.to_dict()["units"]
    assert units.get("delay_caps", 0) <= 3 + 1e-9
    lv = resolve(model, levers, origin="mine").levers
    # the rating at the top of its scale at most: apply() refuses anything beyond it
    apply(model, lv, [units.get("interp_feedback", 0.0), units.get("delay_caps", 0.0)])
    i, j = model.area_ids.index("interpretability"), model.factor_ids.index("feedback_quality")
    room = (model.spec.scale.max - model.pooled()[i, j]) / lv[0].rating[i, j]
    assert units.get("interp_feedback", 0.0) <= room + 1e-9
    assert units["delay_caps"] == pytest.approx(3.0)   # every month of delay helps: bought to its limit


def test_bad_settings_are_located_errors(model):
    with pytest.raises(InputError) as e:
        best_timeline_portfolio(model, parse_costs(COSTS), budget=-1.0, objective="fastest")
    assert {p.location for p in e.value.problems} == {"--budget", "--objective"}
    with pytest.raises(InputError) as e:
        best_timeline_portfolio(model, parse_costs({"costs": {"nope": 1}}), budget=1.0)
    assert e.value.problems[0].location.endswith("costs.nope")


def test_cli_timeline_budget(cli, tmp_path, model):
    import json

    costs = tmp_path / "costs.yaml"
    costs.write_text("currency: $M\ncosts: {adopt_ai_tools: 2, reduce_scheming: 1, documentation: 0.5}\n")
    args = ("levers", "wehner-2026", "--timeline", "--budget", "2", "--cost", str(costs), "--draws", "1000",
            "--search-draws", "1000", "--seed", str(SEED))
    r = cli(*args, "--format", "json")
    assert r.code == 0, r.err
    tp = json.loads(r.out)["timeline_portfolio"]
    direct = best_timeline_portfolio(model, parse_costs({"currency": "$M", "costs": {
        "adopt_ai_tools": 2, "reduce_scheming": 1, "documentation": 0.5}}), budget=2.0, draws=DRAWS,
        search_draws=DRAWS, seed=SEED).to_dict()
    assert tp["units"] == direct["units"] and tp["net_months"] == direct["net_months"]
    assert tp["cost"] <= 2 + 1e-9 and tp["net_months"] > 0
    table = cli(*args)
    assert table.code == 0, table.err
    assert "best portfolio for the timeline within the budget 2 $M" in table.out
    bad = cli(*args, "--objective", "fastest")
    assert bad.code == 2 and "--objective" in bad.err and "unknown objective 'fastest'" in bad.err
