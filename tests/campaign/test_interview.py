"""The interview questionnaire: drafts keep what is typed, malformed fields are located, a complete
interview's shares sum to 100% +- 0.5; the export to the timeline's task-level file pools shares and
durations as a hand computation says, and the timeline runs on the file as written."""

from __future__ import annotations

import math

import pytest

from autosafety._errors import InputError
from autosafety.campaign._interview import (
    MAX_NOTE,
    MAX_TASKS,
    Z90,
    check_interview,
    interview_from_data,
    interview_problems,
    interviews_to_tasks,
)

AREAS = [{"id": "interpretability", "name": "Interpretability", "category": "safety"},
         {"id": "alignment_theory", "name": "Alignment Theory", "category": "safety"},
         {"id": "agent_scaffolding", "name": "Agent Scaffolding", "category": "capabilities"}]
IDS = [a["id"] for a in AREAS]


def task(tid, share, duration, *, v=0.5, c=0.1, r=0.05, speedup=None, **extra):
    return {"id": tid, "share": share, "duration": duration, "verifiability": v,
            "compute_fraction": c, "review_overhead": r, "speedup": speedup, **extra}


R01 = {"area": "interpretability", "adoption_lag": 1.0, "tasks": [
    task("implementation", 60, {"unit": "hours", "q05": 1, "q50": 4, "q95": 16}, v=0.8,
         speedup={"q05": 1.1, "q50": 1.5, "q95": 3}),
    task("writing", 40, {"unit": "days", "low": 0.5, "high": 2}, v=0.4)]}
R02 = {"area": "interpretability", "adoption_lag": 2.0, "tasks": [
    task("implementation", 30, {"unit": "minutes", "q05": 120, "q50": 480, "q95": 1920}, v=0.6,
         speedup={"q05": 1.2, "q50": 2, "q95": 4}),
    task("analysis", 70.2, {"unit": "hours", "q05": 1, "q50": 3, "q95": 9}, v=0.3, c=0.0)]}
R03 = {"area": "agent_scaffolding", "tasks": [
    task("implementation", 100, {"unit": "weeks", "q05": 0.05, "q50": 0.1, "q95": 0.4}, v=0.9)]}


def parse(data, where="interview"):
    return interview_from_data(data, areas=IDS, where=where)


def test_a_draft_keeps_what_is_typed_and_says_what_is_missing():
    draft = parse({"area": None, "tasks": [{"id": "writing", "share": 80}]})
    problems = {(p.location, p.message) for p in interview_problems(draft)}
    assert ("interview.area", "no research area chosen") in problems
    assert ("interview.tasks", "shares of time sum to 80%, not 100%") in problems
    assert ("interview.tasks[0] (writing).duration", "not answered") in problems
    assert draft.tasks[0].name == "Writing"  # from the taxonomy
    with pytest.raises(InputError, match="shares of time sum to 80%"):
        check_interview(draft)


def test_shares_within_half_a_point_of_100_are_complete():
    assert interview_problems(parse(R02)) == []  # 100.2%
    off = {**R02, "tasks": [{**R02["tasks"][0], "share": 30.6}, R02["tasks"][1]]}  # 100.8%
    [p] = interview_problems(parse(off))
    assert (p.location, p.message) == ("interview.tasks", "shares of time sum to 100.8%, not 100%")


@pytest.mark.parametrize(("patch", "location", "message"), [
    ({"area": "astrology"}, "interview.area", "unknown area 'astrology'"),
    ({"tasks": [task("x", 120, None)]}, "interview.tasks[0] (x).share", "120 is out of range"),
    ({"tasks": [task("x", 50, {"unit": "hours", "q05": 5, "q50": 3, "q95": 9})]},
     "interview.tasks[0] (x).duration", "quantiles 5, 3, 9 are not strictly increasing"),
    ({"tasks": [task("x", 50, {"unit": "fortnights", "q05": 1, "q95": 3})]},
     "interview.tasks[0] (x).duration.unit", "unknown unit 'fortnights'"),
    ({"tasks": [task("x", 50, {"q05": 1, "q50": 2})]}, "interview.tasks[0] (x).duration", "q95 missing"),
    ({"tasks": [task("x", 50, None, speedup={"q05": 1, "q95": 2})]}, "interview.tasks[0] (x).speedup",
     "q50 missing"),
    ({"tasks": [task("x", 50, None, v=1.5)]}, "interview.tasks[0] (x).verifiability", "1.5 is out of range"),
    ({"tasks": [task("x", 50, None, c="lots")]}, "interview.tasks[0] (x).compute_fraction", "not a number"),
    ({"tasks": [task("x", 50, None), task("x", 50, None)]}, "interview.tasks[1].id",
     "task 'x' is listed twice"),
    ({"tasks": [task("bad id", 50, None)]}, "interview.tasks[0].id",
     "missing, or not 1-64 letters, digits, '_', '.', '-'"),
    ({"note": "x" * (MAX_NOTE + 1)}, "interview.note", "not text of at most 2000 characters"),
    ({"tasks": [task(f"t{i}", 1, None) for i in range(MAX_TASKS + 1)]}, "interview.tasks",
     "31 tasks, over 30"),
    ({"adoption_lag": -1}, "interview.adoption_lag", "-1 is out of range"),
    ({"mood": "fine"}, "interview.mood", "unknown field"),
])
def test_malformed_fields_are_located(patch, location, message):
    with pytest.raises(InputError) as e:
        parse({"area": "interpretability", **patch})
    assert (location, message) in {(p.location, p.message) for p in e.value.problems}


def test_to_dict_round_trips():
    iv = parse(R01)
    assert parse(iv.to_dict()) == iv


def lognormal(q05, q50, q95):
    return math.log(q50), math.log(q95 / q05) / (2 * 1.6448536269514722)


def test_export_pools_shares_and_durations_as_by_hand():
    data = interviews_to_tasks({"R01": parse(R01), "R02": parse(R02), "R03": parse(R03)}, AREAS,
                               campaign_id=4, campaign="Pilot")
    assert [a["id"] for a in data["areas"]] == ["interpretability", "agent_scaffolding"]  # model order
    interp = {t["id"]: t for t in data["areas"][0]["tasks"]}
    assert list(interp) == ["implementation", "writing", "analysis"]
    # shares: each interviewee's divided by their own total, then averaged over the 2 interviewees
    assert interp["implementation"]["share"] == pytest.approx((0.6 + 30 / 100.2) / 2, abs=1e-15)
    assert interp["writing"]["share"] == pytest.approx(0.4 / 2, abs=1e-15)
    assert interp["analysis"]["share"] == pytest.approx((70.2 / 100.2) / 2, abs=1e-15)
    # implementation: R01 hours 1/4/16, R02 minutes 120/480/1920 = hours 2/8/32: the same log-sd
    # s = ln 16 / 3.29; the mixture's log-mean ln sqrt(32), log-variance s^2 + (ln 2 / 2)^2
    s = math.log(16) / (2 * 1.6448536269514722)
    sd = math.sqrt(s ** 2 + (math.log(2) / 2) ** 2)
    d = interp["implementation"]["duration"]
    assert d["value"] == pytest.approx(math.sqrt(32), rel=1e-12)
    assert d["low"] == pytest.approx(math.sqrt(32) * math.exp(-1.6448536269514722 * sd), rel=1e-12)
    assert d["high"] == pytest.approx(math.sqrt(32) * math.exp(1.6448536269514722 * sd), rel=1e-12)
    assert d["unit"] == "hours" and "R01, R02" in d["source"]
    # writing: days 0.5-2 (no median) = hours 4-16, one interviewee: median sqrt(4 x 16) = 8 and
    # the interval itself back
    w = interp["writing"]["duration"]
    assert (w["value"], w["low"], w["high"]) == pytest.approx((8, 4, 16), rel=1e-12)
    # speed-up with current AI: the pooled log-normal of (1.1, 1.5, 3) and (1.2, 2, 4)
    (m1, s1), (m2, s2) = lognormal(1.1, 1.5, 3), lognormal(1.2, 2, 4)
    m = (m1 + m2) / 2
    sp = math.sqrt((s1 ** 2 + s2 ** 2) / 2 + ((m1 - m2) / 2) ** 2)
    assert f"{math.exp(m):.3g}x faster (5-95%: {math.exp(m - Z90 * sp):.3g}-{math.exp(m + Z90 * sp):.3g}x)" \
        in d["note"]
    # characteristics: the mean, low/high the range of the answers
    v = interp["implementation"]["verifiability"]
    assert (v["value"], v["low"], v["high"]) == pytest.approx((0.7, 0.6, 0.8))
    one = interp["writing"]["verifiability"]
    assert one["value"] == 0.4 and "low" not in one
    lag = data["areas"][0]["adoption_lag"]
    assert (lag["value"], lag["low"], lag["high"]) == (1.5, 1.0, 2.0)
    assert "adoption_lag" not in data["areas"][1]  # nobody gave it: the timeline's default
    # agent scaffolding: one interviewee, weeks of 40 hours: 2/4/16 hours, skewed in log; the
    # log-normal keeps the median and the log-width ln 8, so 4 / sqrt 8 to 4 x sqrt 8
    [impl] = data["areas"][1]["tasks"]
    assert impl["share"] == 1.0
    dur = impl["duration"]
    assert (dur["low"], dur["value"], dur["high"]) == pytest.approx((4 / math.sqrt(8), 4, 4 * math.sqrt(8)),
                                                                   rel=1e-12)
    assert data["categories"] == ["safety", "capabilities"]


def test_the_timeline_runs_on_the_export():
    from autosafety.timeline import simulate, task_model_from_data

    data = interviews_to_tasks({"R01": parse(R01), "R02": parse(R02), "R03": parse(R03)}, AREAS,
                               campaign_id=4)
    spec = task_model_from_data(data, origin="export")
    result = simulate(spec, draws=400, seed=1)
    d = result.to_dict()
    assert [a["id"] for a in d["areas"]] == ["interpretability", "agent_scaffolding"]
    # the result keeps its input: the pooled shares and durations as computed by hand above
    kept = {t.id: t for t in result.source.areas[0].tasks}
    assert kept["writing"].share == pytest.approx(0.2, abs=1e-15)
    assert kept["implementation"].share == pytest.approx((0.6 + 30 / 100.2) / 2, abs=1e-15)
    assert kept["implementation"].duration.value == pytest.approx(math.sqrt(32), rel=1e-12)
    assert (kept["writing"].duration.low, kept["writing"].duration.high) == pytest.approx((4, 16), rel=1e-12)


def test_nothing_complete_to_export_is_a_located_error():
    with pytest.raises(InputError, match="no complete interview"):
        interviews_to_tasks({}, AREAS, campaign_id=4)
    with pytest.raises(InputError, match=r"interview of R09\.tasks"):
        interviews_to_tasks({"R09": parse({"area": "interpretability", "tasks": [task("x", 50, None)]})},
                            AREAS, campaign_id=4)


def _random_interviews(draw_seed: int):
    import random

    rng = random.Random(draw_seed)
    out = {}
    for k in range(rng.randint(1, 6)):
        ids = rng.sample(["literature", "ideation", "implementation", "writing", "mentoring"],
                         rng.randint(1, 5))
        raw = [rng.uniform(1, 10) for _ in ids]
        shares = [100 * x / sum(raw) for x in raw]
        shares[-1] = min(100.0, shares[-1] + rng.uniform(-0.5, 0.5))  # within the tolerance
        tasks = []
        for tid, share in zip(ids, shares, strict=True):
            lo = rng.uniform(0.1, 10)
            mid = lo * rng.uniform(1.01, 5)
            tasks.append(task(tid, share, {"unit": rng.choice(["minutes", "hours", "days"]), "q05": lo,
                                           "q50": mid, "q95": mid * rng.uniform(1.01, 5)},
                              v=rng.random(), c=rng.random(), r=rng.random()))
        out[f"R{k:02d}"] = parse({"area": rng.choice(IDS), "tasks": tasks})
    return out


@pytest.mark.parametrize("draw_seed", range(25))
def test_export_invariants_on_random_interviews(draw_seed):
    """Whatever the answers: each area's shares sum to 1, each pooled median lies between the
    interviewees' medians, each 5-95% interval contains its median, and the file loads."""
    from autosafety.campaign._interview import UNIT_HOURS
    from autosafety.timeline import task_model_from_data

    ivs = _random_interviews(draw_seed)
    data = interviews_to_tasks(ivs, AREAS, campaign_id=1)
    task_model_from_data(data, origin="export")
    for area in data["areas"]:
        assert sum(t["share"] for t in area["tasks"]) == pytest.approx(1, abs=1e-12)
        for t in area["tasks"]:
            medians = [x.duration.q50 * UNIT_HOURS[x.duration_unit] for iv in ivs.values()
                       if iv.area == area["id"] for x in iv.tasks if x.id == t["id"]]
            d = t["duration"]
            assert min(medians) * (1 - 1e-12) <= d["value"] <= max(medians) * (1 + 1e-12)
            assert d["low"] < d["value"] < d["high"]
            assert 0 <= t["verifiability"]["value"] <= 1
