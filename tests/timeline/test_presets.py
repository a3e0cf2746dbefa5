"""`autosafety timeline ai-2027-horizon`: the AI 2027 method in the timeline's result type."""

import json

import numpy as np
import pytest

from autosafety.timeline import ai2027_forecast
from autosafety.timeline._ai2027 import load_ai2027_params, sample_superhuman_coder_dates


def test_tallies_are_the_method_s_own_dates_chunk_by_chunk():
    res = ai2027_forecast(draws=25_000, seed=3, chunk_size=10_000)
    p = load_ai2027_params()
    dates = np.concatenate([
        sample_superhuman_coder_dates(p, draws=n, rng=np.random.default_rng(
            np.random.SeedSequence(3, spawn_key=(i,)))) for i, n in enumerate((10_000, 10_000, 5_000))])
    assert res.draws == 25_000
    assert res.p_never[0] == pytest.approx(np.isinf(dates).mean(), abs=1e-12)
    for q in (0.1, 0.5, 0.9):
        assert res.quantile(0, q) == pytest.approx(np.quantile(dates, q), abs=2 / 365.25)


def test_percentiles_match_their_script():
    # their script (uvafan/timelines-takeoff-ai-2027, forecaster eli), 100,000 simulations pooled
    # over seeds 1-20 on this machine: 10/50/90% = 2025.834, 2027.705, 2039.199 (see
    # benchmarks/timeline_ai2027.py); tolerance: 4 standard errors of the difference of two
    # 100,000-draw percentiles (their 5,000-draw sds 0.017, 0.058, 0.38 years, scaled) plus 0.01
    # years for their one-day Euler steps
    res = ai2027_forecast(draws=100_000, seed=0)
    for q, theirs, se in ((0.1, 2025.834, 0.0054), (0.5, 2027.705, 0.018), (0.9, 2039.199, 0.12)):
        assert res.quantile(0, q) == pytest.approx(theirs, abs=4 * se + 0.01)


def test_cli_gives_one_area(cli):
    r = cli("timeline", "ai-2027-horizon", "--draws", "5000", "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["milestone"] == "superhuman coder"
    assert [a["id"] for a in data["areas"]] == ["superhuman_coder"]
    assert data["pairs"] == []
    table = cli("timeline", "ai-2027-horizon", "--draws", "2000")
    assert table.code == 0 and "superhuman coder" in table.out
    assert cli("timeline", "ai-2027-horizon", "--draws", "0").code == 2
