"""Krippendorff's alpha (interval), its bootstrap, the splits and the disagreement ranking."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from autosafety.elicit import agreement, bootstrap_alpha, interval_alpha, rater_columns
from autosafety.elicit._agreement import _unit_sums
from autosafety.model import Rating, load_model, merge_ratings

RNG = np.random.default_rng(7)


def _alpha_by_definition(data):
    """Alpha from its definition: 1 - D_o / D_e over all pairable values (slow, loops)."""
    units = [col[~np.isnan(col)] for col in data.T]
    units = [u for u in units if len(u) >= 2]
    values = np.concatenate(units)
    n = len(values)
    d_o = sum(sum((a - b) ** 2 for i, a in enumerate(u) for j, b in enumerate(u) if i != j)
              / (len(u) - 1) for u in units) / n
    d_e = sum((a - b) ** 2 for i, a in enumerate(values) for j, b in enumerate(values)
              if i != j) / (n * (n - 1))
    return 1 - d_o / d_e


def _noisy(raters=4, units=30, noise=1.0, missing=0.15):
    truth = RNG.uniform(1, 10, units)
    data = truth + RNG.normal(0, noise, (raters, units))
    data[RNG.random(data.shape) < missing] = np.nan
    return data


def test_interval_alpha_matches_the_definition_and_the_package():
    data = _noisy()
    expected = _alpha_by_definition(data)
    assert interval_alpha(data) == pytest.approx(expected, abs=1e-9)
    assert krippendorff.alpha(reliability_data=data, level_of_measurement="interval") == \
        pytest.approx(expected, abs=1e-9)


def test_vectorised_sums_give_the_same_alpha():
    data = _noisy(raters=3, units=12)
    m, t, q, within = _unit_sums(data)
    n = m.sum()
    alpha = 1 - (n - 1) * within.sum() / (2 * (n * q.sum() - t.sum() ** 2))
    assert alpha == pytest.approx(_alpha_by_definition(data), abs=1e-9)


def test_perfect_agreement_is_one_and_noise_lowers_it():
    truth = np.linspace(1, 10, 20)
    assert interval_alpha(np.vstack([truth, truth, truth])) == pytest.approx(1.0)
    low = interval_alpha(_noisy(noise=3.0))
    high = interval_alpha(_noisy(noise=0.3))
    assert low < high


def test_bootstrap_interval_brackets_the_estimate_and_narrows_with_units():
    small, large = _noisy(units=15), _noisy(units=150)
    lo1, hi1 = bootstrap_alpha(small, n=2000, rng=np.random.default_rng(0))
    lo2, hi2 = bootstrap_alpha(large, n=2000, rng=np.random.default_rng(0))
    assert lo1 <= interval_alpha(small) <= hi1
    assert lo2 <= interval_alpha(large) <= hi2
    assert hi2 - lo2 < hi1 - lo1


def test_undefined_alpha_is_nan():
    assert np.isnan(interval_alpha(np.array([[1.0, np.nan], [np.nan, 2.0]])))


def _model_with_llms():
    m = load_model("wehner-2026")
    rng = np.random.default_rng(3)
    pooled = m.pooled()
    ratings = []
    for (a, f), base in np.ndenumerate(pooled):
        aid, fid = m.area_ids[a], m.factor_ids[f]
        ratings.append(Rating(area=aid, factor=fid, rater="author",
                              value=float(np.clip(base + rng.normal(0, 0.5), 1, 10))))
        for llm, shift in (("anthropic/claude", 0.0), ("openai/gpt", 1.5)):
            for k in range(2):
                ratings.append(Rating(area=aid, factor=fid, rater=f"{llm}#{k}",
                                      value=float(np.clip(base + shift + rng.normal(0, 0.3), 1, 10)),
                                      provenance={"model": llm, "sample": k}))
    return merge_ratings(m, ratings)


def test_samples_of_one_llm_are_one_rater():
    names, kinds, cube = rater_columns(_model_with_llms())
    assert names == ["published_pooled", "author", "anthropic/claude", "openai/gpt"]
    assert kinds == ["other", "human", "llm", "llm"]
    assert cube.shape == (10, 7, 4)
    m = _model_with_llms()
    k0, k1 = m.rater_ids.index("openai/gpt#0"), m.rater_ids.index("openai/gpt#1")
    np.testing.assert_allclose(cube[..., 3], (m.ratings[..., k0] + m.ratings[..., k1]) / 2)


def test_agreement_report_splits_scopes_and_ranking():
    report = agreement(_model_with_llms(), bootstrap=200)
    splits = {a.split for a in report.alphas}
    assert splits == {"all", "llm", "human-vs-llm"}
    assert any("'human' split needs two" in n for n in report.notes)
    scopes = {(a.split, a.scope) for a in report.alphas}
    assert ("llm", "factor") in scopes and ("human-vs-llm", "area") in scopes
    per_factor = [a for a in report.alphas if a.split == "all" and a.scope == "factor"]
    assert [a.subject for a in per_factor] == load_model("wehner-2026").factor_ids
    sds = [c.sd for c in report.cells]
    assert sds == sorted(sds, reverse=True) and len(report.cells) == 70
    top = report.cells[0]
    assert top.spread == pytest.approx(max(top.values.values()) - min(top.values.values()))
    overall = next(a for a in report.alphas if a.split == "llm" and a.scope == "overall")
    assert overall.raters == 2 and overall.units == 70
    assert overall.low <= overall.alpha <= overall.high
    assert report.to_dict()["alphas"][0]["split"] == "all"


def test_the_95_percent_bootstrap_interval_cuts_2_5_percent_from_each_tail():
    # an independent bootstrap: resample units by index, alpha from the krippendorff package
    rng = np.random.default_rng(11)
    data = rng.uniform(1, 10, 25) + rng.normal(0, 1.5, (3, 25))
    alphas = np.array([krippendorff.alpha(reliability_data=data[:, rng.integers(0, 25, 25)],
                                          level_of_measurement="interval") for _ in range(2000)])
    low, high = bootstrap_alpha(data, n=20_000, confidence=0.95, rng=np.random.default_rng(5))
    # 2.5% of the independent bootstrap alphas lie below low and 2.5% above high (se ~0.35%)
    assert np.mean(alphas < low) == pytest.approx(0.025, abs=0.012)
    assert np.mean(alphas > high) == pytest.approx(0.025, abs=0.012)
    low90, high90 = bootstrap_alpha(data, n=20_000, confidence=0.90, rng=np.random.default_rng(5))
    assert np.mean(alphas < low90) == pytest.approx(0.05, abs=0.015)
    assert np.mean(alphas > high90) == pytest.approx(0.05, abs=0.015)
