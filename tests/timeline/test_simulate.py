"""simulate(): closed forms through the whole engine, analytic probabilities, brute-force tallies."""

import copy
import math
from statistics import NormalDist

import numpy as np
import pytest

from autosafety.model import load_model
from autosafety.timeline import default_bridge, simulate, task_model_from_data
from autosafety.timeline._spec import BridgeSpec, TrendSpec

DAY = 1 / 365.25
T_DAYS = 200.0
T = T_DAYS / 365.25


def fixed_trend(**kw):
    data = {"id": "fixed", "reference_date": {"value": 2025.0},
            "horizons": {"0.5": {"value": 60.0, "unit": "minutes"}},
            "doubling_time": {"value": T_DAYS, "unit": "days"}, "slope": {"value": 0.7},
            "growth": {"exponential": {"probability": 1.0}}}
    data.update(kw)
    return TrendSpec.model_validate(data)


def task(tid="t", share=1.0, hours=32.0, interval=None, verifiability=1.0, compute=0.0, review=0.03):
    d = {"value": hours, "unit": "hours"}
    if interval:
        d.update(low=interval[0], high=interval[1])
    return {"id": tid, "share": share, "duration": d, "verifiability": {"value": verifiability},
            "compute_fraction": {"value": compute}, "review_overhead": {"value": review}}


def tasks_model(areas, **settings):
    base = {"ai_speed": {"value": 50.0}, "feedback_doublings": {"value": 2.0},
            "share_concentration": 1e9}
    base.update(settings)
    return task_model_from_data({"id": "toy", "trend": "metr-2025", "settings": base, "areas": areas})


def area(aid, category, tasks, lag=0.5):
    return {"id": aid, "category": category, "adoption_lag": {"value": lag}, "tasks": tasks}


def logit(p):
    return math.log(p / (1 - p))


def test_one_task_date_is_the_closed_form_within_a_day():
    q, M = 1 / 50 + 0.03, 10.0
    spec = tasks_model([area("a", "safety", [task(hours=32.0)]),
                        area("b", "capabilities", [task(hours=32.0, verifiability=0.5)])])
    res = simulate(spec, trend=fixed_trend(), draws=2000)
    # t0 + lag + T (log2(L_eff / H0) + logit(q M) / beta); H0 = 1 hour
    expected_a = 2025.0 + 0.5 + T * (math.log2(32.0) + logit(q * M) / 0.7)
    # verifiability 0.5 with 2 feedback doublings at 0: the task is in effect 2^1 times longer
    expected_b = expected_a + T
    for i, expected in enumerate((expected_a, expected_b)):
        for quant in (0.1, 0.5, 0.9):
            assert res.quantile(i, quant) == pytest.approx(expected, abs=DAY)
    assert res.p_never.tolist() == [0.0, 0.0]
    assert res.first[0, 1] == 1.0 and res.first[1, 0] == 0.0


def test_reference_horizon_and_doubling_time_overrides_move_the_date_as_the_formula_says():
    spec = tasks_model([area("a", "safety", [task(hours=32.0)])])
    base = simulate(spec, trend=fixed_trend(), draws=500).quantile(0, 0.5)
    # a horizon 4x longer at the reference date is two doublings earlier
    longer = simulate(spec, trend=fixed_trend(), reference_horizon=240.0, draws=500).quantile(0, 0.5)
    assert base - longer == pytest.approx(2 * T, abs=DAY)
    # halving the doubling time halves the years after the start (reference date + lag)
    fast = simulate(spec, trend=fixed_trend(), doubling_time=T_DAYS / 2, draws=500).quantile(0, 0.5)
    assert fast - 2025.5 == pytest.approx((base - 2025.5) / 2, abs=DAY)


def test_compute_fraction_caps_an_area_at_five_x():
    spec = tasks_model([area("a", "safety", [task(compute=0.2, review=0.0)])],
                       ai_speed={"value": 1e9})
    res = simulate(spec, trend=fixed_trend(), draws=300)
    assert res.p_never[0] == 1.0 and res.p_capped[0] == 1.0
    assert res.caps[0] == pytest.approx(5.0, rel=1e-6)
    assert res.bottlenecks[0]["reason"].startswith("capped at 5.0x")
    row = res.to_dict()["areas"][0]
    assert row["p50"] is None and row["p10"] is None


def test_p_a_before_b_for_log_normal_durations_matches_the_normal_cdf():
    # durations log-normal => under exponential growth the dates are normal with sd T * sd(log2 d)
    z = NormalDist().inv_cdf(0.95)
    sd = math.log2(64 / 4) / (2 * z) * T
    spec = tasks_model([area("a", "safety", [task(hours=8.0, interval=(1.0, 64.0))]),
                        area("b", "capabilities", [task(hours=16.0, interval=(2.0, 128.0))])])
    # intervals 8x around the median each way: sd of log2 d is log2(64) / (2 z)
    sd = math.log2(64.0) / (2 * z) * T
    res = simulate(spec, trend=fixed_trend(), draws=200_000, seed=5)
    expected = NormalDist().cdf(T / (sd * math.sqrt(2)))   # medians one doubling apart
    se = math.sqrt(expected * (1 - expected) / res.draws)
    assert res.first[0, 1] == pytest.approx(expected, abs=4 * se)
    # and each median where the formula puts it
    q = 1 / 50 + 0.03
    med_a = 2025.5 + T * (math.log2(8.0) + logit(10 * q) / 0.7)
    assert res.quantile(0, 0.5) == pytest.approx(med_a, abs=4 * 1.2533 * sd / math.sqrt(res.draws) + DAY)
    assert res.quantile(1, 0.5) == pytest.approx(med_a + T, abs=4 * 1.2533 * sd / math.sqrt(res.draws) + DAY)
    # 10% quantile of a normal date
    assert res.quantile(0, 0.1) == pytest.approx(med_a - 1.2816 * sd, abs=0.02)


def test_tallies_agree_with_brute_force_over_the_draws():
    # with draws <= the subsample every draw is kept: recompute each statement from the raw dates
    res = simulate("wehner-2026", draws=3000, seed=11, subsample=3000)
    dates = res.subsample.dates.copy()
    dates[dates >= res.grid.until] = np.inf
    n = len(dates)
    first = (dates[:, :, None] < dates[:, None, :]).mean(axis=0)
    assert np.array_equal(res.first, first)
    assert np.allclose(res.p_never, np.isinf(dates).mean(axis=0))
    safety, caps = res.members
    med_cap = np.median(dates[:, caps], axis=1)
    p_all = (dates[:, safety] < med_cap[:, None]).all(axis=1).mean()
    assert res.category_statements["p_all_safety_before_median_capabilities"] == pytest.approx(p_all)
    for i in range(len(res.areas)):
        finite = np.sort(dates[:, i])
        k = 0.5 * n
        if np.isfinite(finite[int(k)]):
            assert res.quantile(i, 0.5) == pytest.approx(np.quantile(finite, 0.5), abs=2 * DAY)
    with np.errstate(invalid="ignore"):
        lead = dates[:, safety[0]] - dates[:, caps].min(axis=1)
    ok = np.isfinite(lead)
    stated = res.lead(safety[0], 1)
    assert stated["p_before"] == pytest.approx((lead[ok] < 0).sum() / n)
    assert stated["p50"] == pytest.approx(np.quantile(np.concatenate(
        [lead[ok], np.full(int(np.isposinf(lead).sum()), np.inf)]), 0.5), abs=8 * DAY)


def test_precision_stops_early_with_every_probability_that_precise():
    res = simulate("wehner-2026", draws=2_000_000, precision=0.01, seed=2, chunk_size=500)
    assert res.converged and res.draws < 2_000_000 and res.draws % 500 == 0
    stm = res.category_statements
    p = np.concatenate([res.p_never, res.first.ravel(),
                        [v for k, v in stm.items() if k.startswith("p_all") and not k.endswith("_se")]])
    assert np.sqrt(p * (1 - p) / res.draws).max() <= 0.01
    # ... and it stopped at the first chunk that got there: one chunk fewer was not precise enough
    # (checked on these probabilities, whose values barely move over one chunk)
    assert np.sqrt(p * (1 - p) / (res.draws - 500)).max() > 0.0097


def _bridge_without_noise(**params):
    data = default_bridge().model_dump()
    for t in data["tasks"]:
        t["duration"]["low"] = t["duration"]["high"] = None
    for name, q in data["parameters"].items():
        q["low"] = q["high"] = None
        if name in params:
            q["value"] = params[name]
    data["parameters"]["share_concentration"]["value"] = 1e12
    return BridgeSpec.model_validate(data)


def _factor_model(rows):
    """A factor model with the wehner-2026 factors and the given (area, category, ratings) rows."""
    spec = copy.deepcopy(load_model("wehner-2026").spec.model_dump())
    fids = [f["id"] for f in spec["factors"]]
    spec["areas"] = [{"id": a, "name": a, "category": c} for a, c, _ in rows]
    spec["ratings"] = [{"area": a, "factor": f, "rater": "published_pooled", "value": r[f]}
                       for a, _, r in rows for f in fids]
    spec["stated_ranking"] = None
    from autosafety.model._files import model_from_data

    return model_from_data(spec)


def test_bridge_caps_and_lags_follow_the_documented_mapping():
    fids = ["task_length", "insight_vs_engineering", "data_availability", "feedback_quality",
            "compute_vs_labour", "scheming_risk", "economic_incentive"]
    # long, poorly checkable tasks, so that the dates fall well after the reference date
    best = {**dict.fromkeys(fids, 10.0), "task_length": 1.0, "feedback_quality": 1.0}
    worst_compute = {**best, "compute_vs_labour": 1.0, "scheming_risk": 1.0}
    slow_adopt = {**best, "economic_incentive": 1.0}
    model = _factor_model([("best", "safety", best), ("compute", "safety", worst_compute),
                           ("late", "capabilities", slow_adopt)])
    bridge = _bridge_without_noise()
    p = {k: v.value for k, v in bridge.parameters.items()}
    res = simulate(model, bridge=bridge, trend=fixed_trend(), draws=400)
    q_best = 1 / p["ai_speed"] + p["review_overhead_min"]
    q_worst = 1 / p["ai_speed"] + p["review_overhead_max"]
    c_min, c_max = p["compute_fraction_min"], p["compute_fraction_max"]
    assert res.caps[0] == pytest.approx(1 / (c_min + (1 - c_min) * q_best), rel=1e-6)
    assert res.caps[1] == pytest.approx(1 / (c_max + (1 - c_max) * q_worst), rel=1e-6)
    # the least adopting area is the same as the best one, later by exactly the lag difference
    lag = p["adoption_lag_max"] - p["adoption_lag_min"]
    assert res.quantile(2, 0.5) - res.quantile(0, 0.5) == pytest.approx(lag, abs=2 * DAY)


def test_shorter_doubling_time_brings_every_area_forward():
    slow = simulate("wehner-2026", draws=4000, seed=3, doubling_time=250)
    fast = simulate("wehner-2026", draws=4000, seed=3, doubling_time=150)
    for i in range(len(slow.areas)):
        assert fast.quantile(i, 0.5) < slow.quantile(i, 0.5)
    assert (fast.p_never <= slow.p_never + 1e-12).all()


def test_result_keeps_its_inputs():
    res = simulate("wehner-2026", draws=1000, seed=9, milestone=5, reliability=0.8, until=2070)
    assert res.source.id == "wehner-2026" and res.kind == "model"
    assert res.trend.id == "metr-2025" and res.bridge is not None and res.bridge.id == "default-2026"
    assert res.seed == 9 and res.settings["milestone"] == 5 and res.settings["reliability"] == 0.8
    again = simulate(res.source, bridge=res.bridge, trend=res.trend, seed=res.seed,
                     **{k: res.settings[k] for k in ("milestone", "reliability", "draws", "until")})
    assert again.to_dict()["areas"] == res.to_dict()["areas"]


def test_area_delays_shift_dates_exactly_with_common_random_numbers():
    base = simulate("wehner-2026", draws=3000, seed=8, subsample=3000)
    later = simulate("wehner-2026", draws=3000, seed=8, subsample=3000,
                     area_delays={"agent_scaffolding": 1 / 12})
    i = [a.id for a in base.areas].index("agent_scaffolding")
    with np.errstate(invalid="ignore"):   # never - never
        moved = later.subsample.dates[:, i] - base.subsample.dates[:, i]
    finite = np.isfinite(base.subsample.dates[:, i])
    assert np.allclose(moved[finite], 1 / 12, atol=1e-9)
    others = [j for j in range(len(base.areas)) if j != i]
    assert np.array_equal(later.subsample.dates[:, others], base.subsample.dates[:, others])
    with pytest.raises(Exception, match="unknown area"):
        simulate("wehner-2026", draws=10, area_delays={"nope": 1.0})


def test_fan_chart_is_the_speedup_written_out_from_the_definitions():
    from .test_core import speedup_at

    spec = tasks_model([area("a", "safety", [task("t1", 0.6, 4.0, review=0.02, compute=0.05),
                                             task("t2", 0.4, 40.0, verifiability=0.4, review=0.01)])])
    res = simulate(spec, trend=fixed_trend(), draws=200)
    times, fan = res.fan
    kw = dict(s=[0.6, 0.4], c=[0.05, 0.0], q=[1 / 50 + 0.02, 1 / 50 + 0.01],
              m=[math.log2(4.0), math.log2(40.0) + 2.0 * 0.6], beta=0.7, a=0.0, T=T, g=1.0,
              start=2025.5)
    for j in (3, 10, 24, 34):
        expected = speedup_at(times[j], **kw)
        # shares are Dirichlet with concentration 1e9: a relative spread of about 1e-5 remains
        assert fan[0, j].tolist() == pytest.approx([expected] * 3, rel=1e-4)


NOT_TASKS = ("deviates", "gammas", "ranked", "order", "growth")
"""Kinds of kept values besides task draws (raw deviates, task orders, growth factors)."""


def test_reused_task_draws_give_the_same_numbers_as_fresh_ones():
    from autosafety.timeline import _simulate

    def kept_tasks() -> int:   # task draws kept (the bridge's raw deviates are kept beside them)
        return sum(1 for k in _simulate._reused if k[0] not in NOT_TASKS)

    def ranked() -> int:     # task orderings kept for the solve (one per trend slope and shape)
        return sum(1 for k in _simulate._reused if k[0] == "ranked")

    _simulate._reused.clear()
    _simulate._solutions.clear()
    first = simulate("wehner-2026", draws=4000, seed=12, reuse_draws=True)
    assert kept_tasks() == 1 and len(_simulate._solutions) == 1
    # the reference horizon and the doubling time need no new solution: the same one serves
    moved = simulate("wehner-2026", draws=4000, seed=12, reference_horizon=90.0, doubling_time=170,
                     reuse_draws=True)
    assert len(_simulate._solutions) == 1
    assert moved.to_dict()["areas"] == simulate("wehner-2026", draws=4000, seed=12, reference_horizon=90.0,
                                                 doubling_time=170).to_dict()["areas"]
    # a trend setting changes: the task draws come from memory, the numbers are those of a fresh run
    kept = simulate("wehner-2026", draws=4000, seed=12, doubling_time=150, reuse_draws=True)
    fresh = simulate("wehner-2026", draws=4000, seed=12, doubling_time=150)
    assert kept_tasks() == 1
    assert kept.to_dict()["areas"] == fresh.to_dict()["areas"]
    assert np.array_equal(kept.first, fresh.first)
    assert not np.array_equal(kept.first, first.first)
    # a bridge constant changes the task draws: a new entry, again equal to a fresh run
    other = simulate("wehner-2026", draws=4000, seed=12, bridge_parameters={"ai_speed": 20},
                     reuse_draws=True)
    deviates = [k for k in _simulate._reused if k[0] == "deviates" and "part" not in k]
    assert kept_tasks() == 2 and len(deviates) == 1    # one set of deviates serves both
    # constants that enter the kept parts (shares, compute-bound shares, durations): still exact
    for constants in ({"insight_share_max": 0.5}, {"compute_fraction_max": 0.07},
                      {"feedback_doublings": 2.0, "ai_speed": 20}):
        kept = simulate("wehner-2026", draws=4000, seed=12, bridge_parameters=constants, reuse_draws=True)
        fresh = simulate("wehner-2026", draws=4000, seed=12, bridge_parameters=constants)
        assert np.array_equal(kept.subsample.dates, fresh.subsample.dates), constants
        assert np.array_equal(kept.first, fresh.first), constants
    assert other.to_dict()["areas"] == simulate("wehner-2026", draws=4000, seed=12,
                                                bridge_parameters={"ai_speed": 20}).to_dict()["areas"]
    # the AI speed, the review overhead and the adoption lag leave the tasks' order: kept, exact
    def solutions() -> int:  # solved chunks (besides the bottleneck searches' solutions)
        return sum(1 for k in _simulate._solutions if "bottleneck" not in k)

    orders, solved = ranked(), solutions()
    for constants in ({"ai_speed": 33.0}, {"review_overhead_max": 0.4, "ai_speed": 20},
                      {"adoption_lag_max": 4.0}):
        kept = simulate("wehner-2026", draws=4000, seed=12, bridge_parameters=constants, reuse_draws=True)
        fresh = simulate("wehner-2026", draws=4000, seed=12, bridge_parameters=constants)
        assert np.array_equal(kept.subsample.dates, fresh.subsample.dates), constants
        assert np.array_equal(kept.first, fresh.first), constants
        assert kept.to_dict()["areas"] == fresh.to_dict()["areas"], constants
    assert ranked() == orders
    # the doublings every task of an area gets alike (task length, data, feedback): the solved
    # doublings move by them, nothing is solved again, and the numbers are those of a fresh run
    before = solutions()
    for constants in ({"feedback_doublings": 2.5}, {"task_length_doublings": 0.2, "data_doublings": 1.5}):
        kept = simulate("wehner-2026", draws=4000, seed=12, bridge_parameters=constants, reuse_draws=True)
        fresh = simulate("wehner-2026", draws=4000, seed=12, bridge_parameters=constants)
        assert np.array_equal(kept.first, fresh.first), constants
        assert kept.to_dict()["areas"] == fresh.to_dict()["areas"], constants
    assert solutions() == before
    # the adoption lag only moves dates: its run took its solution from memory
    assert solutions() == solved + 2
    # the share concentration (new gammas from the kept deviates) and the insight multiplier (a
    # new task order from the last one): still the numbers of a fresh run
    for constants in ({"share_concentration": 9.0}, {"insight_multiplier": 7.0},
                      {"share_concentration": 9.0, "ai_speed": 20}):
        kept = simulate("wehner-2026", draws=4000, seed=12, bridge_parameters=constants, reuse_draws=True)
        fresh = simulate("wehner-2026", draws=4000, seed=12, bridge_parameters=constants)
        assert np.array_equal(kept.first, fresh.first), constants
        assert kept.to_dict()["areas"] == fresh.to_dict()["areas"], constants
    _simulate._reused.clear()
    _simulate._solutions.clear()


def test_bottleneck_is_the_task_whose_halving_gains_most_by_the_closed_form():
    # one area, two tasks, no noise: halving a task's effective duration moves the date to the
    # root of the speedup written out with that task one doubling shorter (scipy's brentq)
    from scipy.optimize import brentq

    from .test_core import speedup_at

    spec = tasks_model([area("a", "safety", [task("short", 0.7, 2.0, review=0.02),
                                             task("long", 0.3, 200.0, verifiability=0.5, review=0.02)])])
    res = simulate(spec, trend=fixed_trend(), draws=300)
    q = 1 / 50 + 0.02
    m = [math.log2(2.0), math.log2(200.0) + 1.0]

    def date(ms):
        kw = dict(s=[0.7, 0.3], c=[0.0, 0.0], q=[q, q], m=ms, beta=0.7, a=0.0, T=T, g=1.0, start=2025.5)
        return brentq(lambda t: speedup_at(t, **kw) - 10.0, 2020.0, 2100.0, xtol=1e-12)

    base = date(m)
    gains = [(base - date([m[0] - 1, m[1]])) * 12, (base - date([m[0], m[1] - 1])) * 12]
    b = res.bottlenecks[0]
    assert b["task"] == ("short", "long")[int(np.argmax(gains))] == "long"
    assert b["months"] == pytest.approx(max(gains), abs=0.05)   # within a day or so (histogram-free)


def test_a_rating_change_moves_only_its_area_with_common_random_numbers():
    # the task-share gammas do not depend on ratings: changing one area's insight rating (which
    # sets its insight share) leaves every other area's dates exactly as they were
    from autosafety.model._spec import Rating

    model = load_model("wehner-2026")
    changed = model.with_ratings([Rating(area="alignment_theory", factor="insight_vs_engineering",
                                         rater="published_pooled", value=6.0)])
    base = simulate(model, draws=2000, seed=4, subsample=2000)
    after = simulate(changed, draws=2000, seed=4, subsample=2000)
    i = [a.id for a in base.areas].index("alignment_theory")
    others = [j for j in range(len(base.areas)) if j != i]
    assert np.array_equal(after.subsample.dates[:, others], base.subsample.dates[:, others])
    assert (after.subsample.dates[:, i] < base.subsample.dates[:, i]).mean() > 0.9   # less insight: sooner


def test_a_page_moving_the_ai_speed_keeps_the_random_numbers_it_reuses(monkeypatch):
    # each AI speed adds a task-draws entry (its own attempt costs and lags; its shares, compute
    # shares and durations are the kept parts): with a budget that holds the parts and only a few
    # such entries, 20 moves drop old entries but never the deviates every move reuses
    from autosafety.timeline import _simulate

    _simulate._reused.clear()
    _simulate._solutions.clear()
    simulate("wehner-2026", draws=4000, seed=3, bridge_parameters={"ai_speed": 30.0}, reuse_draws=True)
    deviates = {k: v for k, v in _simulate._reused.items() if k[0] == "deviates" and "part" not in k}
    assert len(deviates) == 1
    n, a = 4000, len(load_model("wehner-2026").area_ids)
    budget = held_bytes(_simulate._reused.values()) + 4 * (2 * n * a * 8)
    monkeypatch.setattr(_simulate, "REUSE_BYTES", budget)
    for speed in range(31, 51):
        simulate("wehner-2026", draws=4000, seed=3, bridge_parameters={"ai_speed": float(speed)},
                 reuse_draws=True)
    tasks = [k for k in _simulate._reused if k[0] not in NOT_TASKS]
    assert 2 <= len(tasks) <= 6                     # old moves dropped, recent ones kept
    [(key, value)] = deviates.items()
    assert _simulate._reused.get(key) is value      # the deviates never were
    assert held_bytes(_simulate._reused.values()) <= budget
    # the running count the eviction reads is the count of what is kept, buffer by buffer
    assert _simulate._reused.held == held_bytes(_simulate._reused.values())
    _simulate._reused.clear()
    assert _simulate._reused.held == 0
    _simulate._solutions.clear()


def test_kept_memory_counts_each_buffer_once():
    from autosafety.timeline import _simulate

    owner = np.zeros(1000)
    other = np.ones(10)
    kept = [(owner[:10], owner[10:]), (owner, {"x": owner[::2], "y": other})]
    assert held_bytes(kept) == 8000 + 80
    store = _simulate._Kept()
    store["a"], store["b"] = kept
    assert store.held == 8000 + 80
    store["a"] = (other,)                    # replaced: the owner is still held by "b"
    assert store.held == 8000 + 80
    store.popitem(last=False)               # "a" goes
    assert store.held == 8000 + 80
    del store["b"]
    assert store.held == 0


def test_bridge_dates_are_the_roots_of_the_whole_durations():
    # through the bridge the solve runs on durations without the doublings that move every task
    # of an area alike, and adds them after: the dates must be those of Newton's solve on the
    # whole durations (milestone_dates), draw by draw
    from autosafety.timeline._core import milestone_dates
    from autosafety.timeline._sampling import logit

    res = simulate("wehner-2026", draws=600, seed=4, subsample=600,
                   bridge_parameters={"feedback_doublings": 2.5, "task_length_doublings": 0.3})
    d, dates = res.subsample.draws, res.subsample.dates
    want = milestone_dates(0.1, d.s, d.c, d.q, d.m, beta=d.beta[:, None], a=logit(0.5),
                           T=d.T[:, None], g=d.g[:, None], start=res.grid.start + d.lag)
    assert np.array_equal(np.isinf(dates), np.isinf(want))
    finite = np.isfinite(want)
    assert finite.mean() > 0.3
    assert np.abs(dates[finite] - want[finite]).max() < 1e-6       # years: well under a minute


def test_bridge_bottlenecks_are_the_largest_gain_of_halving_one_task():
    # each area's bottleneck through the bridge, against Newton's solve on the whole durations
    # with one task's effective duration halved (one doubling shorter), median date against median
    from autosafety.timeline._core import milestone_dates
    from autosafety.timeline._sampling import logit

    res = simulate("wehner-2026", draws=400, seed=9, subsample=400,
                   bridge_parameters={"feedback_doublings": 2.5, "data_doublings": 1.2})
    d = res.subsample.draws
    kw = dict(beta=d.beta[:, None], a=logit(0.5), T=d.T[:, None], g=d.g[:, None],
              start=res.grid.start + d.lag)
    base = np.median(milestone_dates(0.1, d.s, d.c, d.q, d.m, **kw), axis=0)
    checked = 0
    for i, row in enumerate(res.bottlenecks):
        if row["months"] is None:
            continue
        gains = []
        for j in range(d.m.shape[-1]):
            m = d.m.copy()
            m[:, i, j] -= 1.0
            gains.append((base[i] - np.median(milestone_dates(0.1, d.s, d.c, d.q, m, **kw)[:, i])) * 12)
        j = int(np.argmax(gains))
        assert row["task"] == res.areas[i].tasks[j][0]
        assert row["months"] == pytest.approx(gains[j], abs=1e-6)
        checked += 1
    assert checked >= 5


def held_bytes(values) -> int:
    """Bytes held by kept values counted by brute force: every buffer once, however many views."""
    from autosafety.timeline import _simulate

    return sum({id(b): b.nbytes for value in values for b in _simulate._buffers(value)}.values())
