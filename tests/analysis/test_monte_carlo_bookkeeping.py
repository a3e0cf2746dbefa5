"""Monte Carlo bookkeeping: progress reports per round of workers, the settings it keeps, the time
it reports, end bins of the histograms, strict category comparisons, scenarios never drawn."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from autosafety.analysis import INTERVAL, Scenario, monte_carlo
from autosafety.model import Area, Factor, Model, ModelSpec, Rater, Rating


def model(values: dict[str, tuple[str, float, float]]) -> Model:
    """Two factors f0, f1 (weight 1 each); ``values`` maps area -> (category, r0, r1)."""
    return Model(ModelSpec(
        id="mc", categories=sorted({c for c, _, _ in values.values()}),
        factors=[Factor(id="f0"), Factor(id="f1")],
        areas=[Area(id=a, category=c) for a, (c, _, _) in values.items()], raters=[Rater(id="r")],
        ratings=[Rating(area=a, factor=f"f{j}", rater="r", value=v)
                 for a, (_, *vs) in values.items() for j, v in enumerate(vs)]))


NOISY = {"a": ("x", 3.0, 7.0), "b": ("y", 6.0, 5.0), "c": ("y", 4.0, 4.0)}


def progress_of(**kwargs) -> list[tuple[int, int]]:
    seen: list[tuple[int, int]] = []
    monte_carlo(model(NOISY), seed=1, progress=lambda done, total: seen.append((done, total)), **kwargs)
    return seen


def test_one_worker_reports_after_every_chunk():
    assert progress_of(draws=1280, chunk_size=256, workers=1) == [(256 * k, 1280) for k in range(1, 6)]


def test_workers_report_once_per_round_and_default_to_the_cpu_count(monkeypatch):
    # two workers: after 2, 4 and 6 chunks, then at the end (7 chunks)
    assert progress_of(draws=7 * 256, chunk_size=256, workers=2) == [
        (512, 1792), (1024, 1792), (1536, 1792), (1792, 1792)]
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert progress_of(draws=8 * 256, chunk_size=256) == [(1024, 2048), (2048, 2048)]
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # unknown: one worker
    assert progress_of(draws=3 * 256, chunk_size=256) == [(256, 768), (512, 768), (768, 768)]


def test_stopping_early_reports_the_draws_made():
    seen: list[tuple[int, int]] = []
    res = monte_carlo(model(NOISY), draws=100_000, chunk_size=1000, workers=1, precision=0.02,
                      seed=3, progress=lambda done, total: seen.append((done, total)))
    assert res.converged and res.draws < 100_000
    # every probability p has se sqrt(p (1 - p) / n) <= 1/2 / sqrt(n): 625 draws always suffice
    assert res.draws <= 1000
    assert seen[-1] == (res.draws, 100_000)


def test_settings_are_kept_as_given():
    res = monte_carlo(model(NOISY), draws=600, chunk_size=300, seed=4, rating_noise=0.05,
                      weight_ranges={"f0": (0.5, 2.0)}, resample_raters=True, precision=0.4)
    assert res.settings == {"draws": 600, "rating_noise": 0.05, "weight_concentration": None,
                            "weight_ranges": {"f0": [0.5, 2.0]}, "scenarios": [],
                            "resample_raters": True, "precision": 0.4, "chunk_size": 300,
                            "interval": INTERVAL}


def test_the_reported_time_lies_within_the_call():
    t0 = time.perf_counter()
    res = monte_carlo(model(NOISY), draws=2000, seed=5)
    t1 = time.perf_counter()
    assert 0 < res.seconds <= t1 - t0


def test_scores_on_the_scale_ends_sit_in_the_end_bins():
    # a at the minimum (1, 1) and b at the maximum (10, 10), no noise: each median is the middle
    # of its end bin of 4096 on 1-10
    res = monte_carlo(model({"a": ("x", 1.0, 1.0), "b": ("y", 10.0, 10.0)}), draws=300,
                      rating_noise=False)
    frame = res.to_frame()
    width = 9 / 4096
    assert frame.loc["a", "median"] == pytest.approx(1 + width / 2, abs=1e-12)
    assert frame.loc["b", "median"] == pytest.approx(10 - width / 2, abs=1e-12)
    assert frame.loc["a", "low"] == pytest.approx(1 + width * (1 - INTERVAL) / 2, abs=1e-12)
    assert frame.loc["b", "high"] == pytest.approx(10 - width * (1 - INTERVAL) / 2, abs=1e-12)


def test_tied_categories_are_never_above_each_other():
    # x = {a}, y = {b}: a (2, 8) and b (8, 2) both score 5 with equal weights and no noise
    res = monte_carlo(model({"a": ("x", 2.0, 8.0), "b": ("y", 8.0, 2.0)}), draws=500,
                      rating_noise=False)
    np.testing.assert_array_equal(res.category_probabilities, [[0.0, 0.0], [0.0, 0.0]])
    assert res.gaps[0]["p_higher_above"] == 0.0 and res.gaps[0]["mean"] == 0.0


def test_a_scenario_that_never_happens_is_counted_as_zero():
    scen = [Scenario(name="s1", probability=0.5, weights={"f0": 3.0}),
            Scenario(name="s2", probability=0.5), Scenario(name="never", probability=0.0)]
    res = monte_carlo(model(NOISY), draws=1000, chunk_size=250, seed=6, scenarios=scen)
    counts = res.to_dict()["scenarios"]
    assert list(counts) == ["s1", "s2", "never"]
    assert counts["never"] == 0 and counts["s1"] + counts["s2"] == 1000
    assert abs(counts["s1"] - 500) < 5 * np.sqrt(250)
