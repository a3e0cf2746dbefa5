"""Sensitivity of the dates to each trend and bridge input, with common random numbers."""

import pytest

from autosafety.timeline import sensitivity

from .test_simulate import _factor_model

FIDS = ["task_length", "insight_vs_engineering", "data_availability", "feedback_quality",
        "compute_vs_labour", "scheming_risk", "economic_incentive"]


def test_an_input_no_area_uses_has_exactly_no_effect():
    # every area at the lowest economic incentive: the lag is adoption_lag_max everywhere, so
    # adoption_lag_min cannot matter; with common random numbers its two ends agree exactly
    mid = dict.fromkeys(FIDS, 5.0)
    model = _factor_model([("s", "safety", {**mid, "economic_incentive": 1.0, "feedback_quality": 2.0}),
                           ("c", "capabilities", {**mid, "economic_incentive": 1.0})])
    res = sensitivity(model, draws=3000, seed=1)
    rows = {r["input"]: r for r in res["inputs"]}
    unused = rows["bridge.adoption_lag_min"]
    assert unused["low.safety_median"] == unused["high.safety_median"]
    assert unused["swing"] == 0.0
    # ... while the one every area uses moves both categories by the whole lag difference
    used = rows["bridge.adoption_lag_max"]
    assert used["high.safety_median"] - used["low.safety_median"] == pytest.approx(
        used["high"] - used["low"], abs=2 / 365)


def test_directions_of_the_main_inputs():
    res = sensitivity("wehner-2026", draws=3000, seed=2)
    rows = {r["input"]: r for r in res["inputs"]}
    for name in ("bridge.review_overhead_max", "bridge.feedback_doublings", "trend.doubling_time"):
        r = rows[name]   # more review, worse feedback penalty, slower doubling: safety later
        assert r["high.safety_median"] > r["low.safety_median"], name
    faster = rows["bridge.ai_speed"]
    assert faster["high.capabilities_median"] <= faster["low.capabilities_median"]
    swings = [r["swing"] for r in res["inputs"]]
    assert swings == sorted(swings, reverse=True)
    assert all(r["kind"] in ("fact", "derived", "assumption") for r in res["inputs"])


def test_cli_sensitivity_json(cli):
    import json

    r = cli("timeline", "wehner-2026", "--draws", "1500", "--sensitivity", "-f", "json")
    assert r.code == 0, r.err
    inputs = json.loads(r.out)["sensitivity"]["inputs"]
    assert {"trend.doubling_time", "bridge.review_overhead_max"} <= {x["input"] for x in inputs}
