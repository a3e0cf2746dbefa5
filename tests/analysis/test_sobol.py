"""Sobol indices against SALib run directly on the same model (scored one row at a time)."""

import numpy as np
import pytest
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample
from scipy import stats

from autosafety._errors import InputError
from autosafety.analysis import sobol


def test_weight_indices_match_salib_run_directly(wehner):
    n, c = 256, 20.0
    ours = sobol(wehner, n=n, seed=7, weight_concentration=c)
    # SALib directly: independent gamma inputs via scipy.stats, the model scores each row itself
    problem = {"num_vars": 7, "names": wehner.factor_ids, "bounds": [[0, 1]] * 7}
    x = sobol_sample.sample(problem, n, calc_second_order=False, seed=7)
    alpha = c * wehner.weights / wehner.weights.sum()
    g = stats.gamma.ppf(np.clip(x, 1e-12, 1 - 1e-12), alpha)
    y = np.array([wehner.score(weights=dict(zip(wehner.factor_ids, row))).gaps[
        "capabilities - safety"] for row in g])
    si = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=7)
    frame = ours.to_frame()
    for fid, s1, st in zip(wehner.factor_ids, si["S1"], si["ST"]):
        assert frame.loc[f"weight:{fid}", "S1"] == pytest.approx(s1, abs=1e-6)
        assert frame.loc[f"weight:{fid}", "ST"] == pytest.approx(st, abs=1e-6)
    assert ours.variance == pytest.approx(np.var(y), rel=1e-9)


def test_rating_groups_of_an_unweighted_factor_do_not_matter(wehner):
    m = wehner.with_weights({"data_availability": 0.0})
    res = sobol(m, n=512, ratings="factor", seed=1).to_frame()
    assert abs(res.loc["ratings:data_availability", "ST"]) < 0.01
    assert "weight:data_availability" not in res.index
    assert res.loc["weight:compute_vs_labour", "ST"] > res.loc["ratings:data_availability", "ST"]
    assert res["ST"].max() <= 1.1


def test_bad_sobol_settings(wehner, fields):
    with pytest.raises(InputError):
        sobol(wehner, n=1000)
    with pytest.raises(InputError):
        sobol(fields, n=64)  # one category, no gap
    res = sobol(fields, n=64, areas=("mech_interp", "evals"))
    assert res.target == "mech_interp - evals"
