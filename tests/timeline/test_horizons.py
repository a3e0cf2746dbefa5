"""Horizon fits against known truths: synthetic runs from known curves, peer solvers, METR's bootstrap."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from autosafety._errors import InputError
from autosafety.timeline._horizons import (
    ReleaseDates,
    fit_horizons,
    fit_logistic,
    read_release_dates,
    read_runs,
    task_weights,
)
from autosafety.timeline._horizons_fit import bootstrap_counts

DAY0 = dt.date(2023, 1, 1)
DOUBLING = 210.0  # days: the true doubling time of the synthetic frontier
SPACING = 120  # days between releases
H0 = 4.0  # minutes: 50% horizon of the first model
SLOPES = np.array([-0.6, -0.9, -0.7, -0.8, -0.65, -0.85, -0.75, -0.7])


def _truth() -> tuple[list[str], list[dt.date], np.ndarray, np.ndarray]:
    """Models on an exact exponential trend: h50_i = H0 2^(i SPACING / DOUBLING), a_i = -b_i log2 h50_i."""
    i = np.arange(SLOPES.size)
    h50 = H0 * np.exp2(i * SPACING / DOUBLING)
    names = [f"model-{k}" for k in i]
    dates = [DAY0 + dt.timedelta(days=int(k * SPACING)) for k in i]
    return names, dates, -SLOPES * np.log2(h50), SLOPES.copy()


def _design(seed: int, families: int = 120,
            runs_per_task: int = 6) -> tuple[list[tuple[str, str]], np.ndarray]:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 4, size=families)
    tasks = [(f"fam{f}", f"fam{f}/t{j}") for f in range(families) for j in range(sizes[f])]
    log2_minutes = rng.uniform(-2, 12, size=len(tasks))
    return tasks, np.repeat(log2_minutes, runs_per_task)


def _write(tmp: Path, seed: int = 1) -> tuple[Path, Path]:
    """Synthetic runs.jsonl and dates.csv; every model runs every task 6 times."""
    names, dates, a, b = _truth()
    tasks, x = _design(seed)
    rng = np.random.default_rng(seed + 100)
    task_of_run = np.repeat(np.arange(len(tasks)), 6)
    lines = []
    for m, name in enumerate(names):
        p = 1 / (1 + np.exp(-(a[m] + b[m] * x)))
        y = rng.random(x.size) < p
        for k in range(x.size):
            fam, task = tasks[task_of_run[k]]
            lines.append(json.dumps({"run_id": f"{name}-{k}", "task_id": task, "task_family": fam,
                                     "alias": name, "score_binarized": int(y[k]),
                                     "human_minutes": float(2 ** x[k])}))
    runs = tmp / "runs.jsonl"
    runs.write_text("\n".join(lines) + "\n")
    csv = tmp / "dates.csv"
    csv.write_text("model,release_date\n" + "".join(f"{n},{d}\n" for n, d in zip(names, dates)))
    return runs, csv


def _sandwich_se(a: float, b: float, x: np.ndarray, w: np.ndarray, p: float) -> float:
    """Asymptotic SE of log2 h_p of a weighted logistic MLE with independent runs (delta method)."""
    q = 1 / (1 + np.exp(-(a + b * x)))
    design = np.stack([np.ones_like(x), x], axis=1)
    hess = (design.T * (w * q * (1 - q))) @ design
    meat = (design.T * (w**2 * q * (1 - q))) @ design
    cov = np.linalg.solve(hess, np.linalg.solve(hess, meat).T)
    lp = math.log(p / (1 - p))
    grad = np.array([-1 / b, -(lp - a) / b**2])
    return float(math.sqrt(grad @ cov @ grad))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("horizons")
    runs_path, dates_path = _write(tmp)
    runs, dates = read_runs(runs_path), read_release_dates(dates_path)
    fit = fit_horizons(runs, dates, n_bootstrap=300, seed=3, regularization=1e-8)
    return runs_path, dates_path, runs, fit


def test_weights_follow_metr_invsqrt_rule(synthetic):
    _, _, runs, _ = synthetic
    tasks, _ = _design(1)
    fam_size = {}
    for fam, _task in tasks:
        fam_size[fam] = fam_size.get(fam, 0) + 1
    # each run: 1 / (runs in its task * sqrt(tasks in its family)), normalised per model
    raw = np.array([1 / (6 * math.sqrt(fam_size[runs.families[f]])) for f in runs.family_index])
    expected = raw / np.bincount(runs.model_index, weights=raw)[runs.model_index]
    assert np.allclose(task_weights(runs), expected, rtol=1e-12)
    assert np.allclose(np.bincount(runs.model_index, weights=task_weights(runs)), 1.0)


def test_recovers_known_horizons_within_four_standard_errors(synthetic):
    """|fitted - true| log2 horizon < 4 analytic SEs for every model and reliability.

    The SE is the sandwich SE of a weighted logistic MLE at the true parameters (runs are independent
    Bernoulli draws); a two-sided 4-SE excursion has probability 6e-5, so 16 checks fail by chance with
    probability < 1e-3. Typical SEs here are 0.1-0.2 doublings.
    """
    _, _, runs, fit = synthetic
    names, _, a, b = _truth()
    w = task_weights(runs)
    x = np.log2(runs.human_minutes)
    worst = 0.0
    for m, name in enumerate(names):
        k = runs.models.index(name)
        i = runs.model_index == k
        for j, p in enumerate(fit.reliabilities):
            truth = (math.log(p / (1 - p)) - a[m]) / b[m]
            se = _sandwich_se(a[m], b[m], x[i], w[i], p)
            z = abs(math.log2(fit.horizon[k, j]) - truth) / se
            worst = max(worst, z)
            assert z < 4, (name, p, fit.horizon[k, j], 2**truth, se)
    assert worst > 0.05  # the fit is not reading the truth back from somewhere


def test_bootstrap_spread_matches_sampling_error(synthetic):
    """Bootstrap SE of log2 h50 is 0.9-2.0x the analytic SE (measured: 1.3-1.7x).

    METR's three-level bootstrap resamples families, then tasks within them, then runs within tasks; with
    no family or task effects each level re-draws the same Bernoulli noise, so the variance can reach 3x
    (SE 1.73x) but not fall below 1x; 300 samples give the SE to about +-4%.
    """
    _, _, runs, fit = synthetic
    names, _, a, b = _truth()
    w, x = task_weights(runs), np.log2(runs.human_minutes)
    for m, name in enumerate(names):
        k = runs.models.index(name)
        i = runs.model_index == k
        spread = np.nanstd(np.log2(fit.bootstrap_horizon[:, k, 0]))
        ratio = spread / _sandwich_se(a[m], b[m], x[i], w[i], 0.5)
        assert 0.9 < ratio < 2.0, (name, ratio)


def test_recovers_doubling_time(synthetic):
    """Doubling time within 4 SEs (delta method on the OLS slope, per-model SEs as above) and in its CI."""
    _, _, runs, fit = synthetic
    names, dates, a, b = _truth()
    t = fit.trend
    assert t is not None and list(t.models) == names  # every model is a new best: all are frontier
    w, x = task_weights(runs), np.log2(runs.human_minutes)
    se_ln = np.array([math.log(2) * _sandwich_se(a[m], b[m], x[runs.model_index == runs.models.index(n)],
                                                 w[runs.model_index == runs.models.index(n)], 0.5)
                      for m, n in enumerate(names)])
    days = np.array([d.toordinal() for d in dates], dtype=float)
    c = (days - days.mean()) / ((days - days.mean()) ** 2).sum()
    slope = math.log(2) / DOUBLING
    se_doubling = DOUBLING * math.sqrt((c**2 * se_ln**2).sum()) / slope
    assert abs(t.doubling_days - DOUBLING) < 4 * se_doubling, (t.doubling_days, se_doubling)
    assert t.low < DOUBLING < t.high
    assert se_doubling < 15  # the test has teeth: a 10% error in the doubling time would be caught


def test_logistic_fit_matches_scikit_learn():
    from sklearn import linear_model as sklearn

    rng = np.random.default_rng(7)
    x = rng.uniform(-2, 10, 400)
    y = (rng.random(400) < 1 / (1 + np.exp(-(2 - 0.6 * x)))).astype(float)
    w = rng.uniform(0.2, 1.0, 400)
    w /= w.sum()
    for reg in (0.1, 1.0, 0.01):
        peer = sklearn.LogisticRegression(C=1 / reg, tol=1e-12, max_iter=10_000)
        peer.fit(x[:, None], y, sample_weight=w)
        a, b = fit_logistic(x, y, w, regularization=reg)
        assert float(a) == pytest.approx(peer.intercept_[0], abs=1e-6)
        assert float(b) == pytest.approx(peer.coef_[0, 0], abs=1e-6)


def test_logistic_fit_matches_scipy_minimiser_on_written_out_likelihood():
    from scipy import optimize

    rng = np.random.default_rng(8)
    x = rng.uniform(-2, 10, 300)
    y = (rng.random(300) < 1 / (1 + np.exp(-(1 - 0.4 * x)))).astype(float)
    w = rng.uniform(0.5, 2.0, 300)

    def negloglik(theta):
        p = 1 / (1 + np.exp(-(theta[0] + theta[1] * x)))
        return -np.sum(w * (y * np.log(p) + (1 - y) * np.log(1 - p))) + 0.5 * 0.1 * theta[1] ** 2

    peer = optimize.minimize(negloglik, [0.0, 0.0], method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20_000})
    a, b = fit_logistic(x, y, w, regularization=0.1)
    assert [float(a), float(b)] == pytest.approx(peer.x, abs=1e-5)


def test_batched_fit_equals_one_by_one_and_degenerate_rows_are_nan():
    rng = np.random.default_rng(9)
    x = rng.uniform(0, 8, 50)
    y = (rng.random(50) < 0.5).astype(float)
    w = rng.integers(0, 3, size=(4, 50)).astype(float)
    w[3] = np.where(y == 1, 0.0, 1.0)  # only failures carry weight
    a, b = fit_logistic(x, y, w)
    for r in range(3):
        ar, br = fit_logistic(x, y, w[r])
        assert (a[r], b[r]) == pytest.approx((float(ar), float(br)), abs=1e-9)
    assert math.isnan(a[3]) and math.isnan(b[3])


def _metr_style_sample(fam_of_task, task_of_run, model_of_run, rng):
    """A plain loop of METR's bootstrap_sample (families, then tasks in each drawn family, then runs)."""
    families = sorted(set(fam_of_task))
    chosen_tasks = []
    for f in rng.choice(len(families), len(families)):
        tasks = [t for t in range(len(fam_of_task)) if fam_of_task[t] == families[f]]
        chosen_tasks += [tasks[j] for j in rng.choice(len(tasks), len(tasks))]
    counts = np.zeros(len(task_of_run))
    for t in set(chosen_tasks):
        for m in set(model_of_run):
            group = [r for r in range(len(task_of_run)) if task_of_run[r] == t and model_of_run[r] == m]
            n = chosen_tasks.count(t) * len(group)
            for j in rng.choice(len(group), n) if group else []:
                counts[group[j]] += 1
    return counts


def test_bootstrap_counts_have_metrs_distribution(tmp_path):
    """Mean and variance of every run's multiplicity agree with a loop of METR's procedure."""
    fam_of_task = ["A", "B", "B", "B", "C", "C"]
    recs, task_of_run, model_of_run = [], [], []
    for t, fam in enumerate(fam_of_task):
        for m, n_runs in ((0, 1 + t % 3), (1, 2)):
            for _ in range(n_runs):
                recs.append({"task_id": f"t{t}", "task_family": fam, "alias": f"m{m}",
                             "score_binarized": len(recs) % 2, "human_minutes": 1 + t})
                task_of_run.append(t)
                model_of_run.append(m)
    path = tmp_path / "runs.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in recs))
    runs = read_runs(path)
    assert [int(t[1:]) for t in np.array(runs.tasks)[runs.task_index]] == task_of_run
    n = 6000
    ours = np.concatenate(list(bootstrap_counts(runs, n, np.random.default_rng(0), chunk_elements=5000)))
    rng = np.random.default_rng(1)
    peer = np.array([_metr_style_sample(fam_of_task, task_of_run, model_of_run, rng) for _ in range(n)])
    assert ours.shape == peer.shape
    # both means are 1 in theory; the variances (about 1-4) agree within 5 Monte Carlo SEs
    se_mean = np.sqrt(ours.var(0) / n + peer.var(0) / n)
    assert np.all(np.abs(ours.mean(0) - peer.mean(0)) < 5 * se_mean)
    assert np.allclose(ours.mean(0), 1, atol=0.15)
    assert np.allclose(ours.var(0), peer.var(0), rtol=0.15)
    # a family's runs move together: totals of family B for one model are multiples of its task draws
    b_runs = [r for r, t in enumerate(task_of_run) if fam_of_task[t] == "B" and model_of_run[r] == 1]
    assert np.all(ours[:, b_runs].sum(1) % 2 == 0)


def test_trend_preset_is_a_valid_timeline_trend(synthetic):
    _, _, _, fit = synthetic
    preset = fit.to_trend_preset(id="synthetic", date=dt.date(2026, 1, 1))
    from autosafety.timeline import _spec as spec_module

    spec = spec_module.TrendSpec.model_validate(yaml.safe_load(yaml.safe_dump(preset)))
    dates = _truth()[1]
    year = 2025 + (dates[-1] - dt.date(2025, 1, 1)).days / 365
    assert spec.reference_date.value == pytest.approx(year, abs=1e-3)
    assert spec.horizons["0.5"].value == pytest.approx(fit.horizon[-1, 0], rel=1e-3)
    assert spec.doubling_time.unit == "days"
    assert spec.slope.value == pytest.approx(-fit.coefficient[-1], rel=1e-3)
    assert spec.slope.low < 0.7 < spec.slope.high  # the true slope of the latest model


def test_cli_fit_json_and_out_trend(cli, synthetic, tmp_path):
    runs_path, dates_path, _, fit = synthetic
    out = tmp_path / "trend.yaml"
    r = cli("horizons", "fit", str(runs_path), "--release-dates", str(dates_path), "--bootstrap", "50",
            "--seed", "3", "--format", "json", "--out-trend", str(out), "--reliability", "0.5",
            "--reliability", "0.8")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert [m["model"] for m in data["models"]] == list(fit.runs.models)
    assert data["trend"]["doubling_days"] == pytest.approx(fit.trend.doubling_days, rel=0.05)
    assert yaml.safe_load(out.read_text())["doubling_time"]["unit"] == "days"
    from autosafety.timeline import _files as files

    loaded = files.load_trend(out)  # the timeline engine reads the written preset
    assert loaded.id == "horizons-fit"
    assert loaded.doubling_time.value == pytest.approx(data["trend"]["doubling_days"], rel=1e-3)
    table = cli("horizons", "fit", str(runs_path), "--release-dates", str(dates_path), "--bootstrap", "0")
    assert table.code == 0 and "doubling time" in table.out
    csv = cli("horizons", "fit", str(runs_path), "--release-dates", str(dates_path), "--bootstrap", "0",
              "--format", "csv")
    assert csv.out.splitlines()[0].startswith("model,release_date,runs")


GOOD = {"task_id": "f/t1", "task_family": "f", "alias": "m", "score_binarized": 1, "human_minutes": 3}


def _files(tmp_path, records, dates="model,release_date\nm,2024-01-01\n"):
    runs = tmp_path / "runs.jsonl"
    runs.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n")
    csv = tmp_path / "dates.csv"
    csv.write_text(dates)
    return str(runs), str(csv)


def _fail(cli, runs, dates):
    r = cli("horizons", "fit", runs, "--release-dates", dates, "--bootstrap", "0")
    assert r.code == 2, (r.out, r.err)
    assert "Traceback" not in r.err
    return r.err


def test_cli_reports_every_missing_field_with_its_line(cli, tmp_path):
    fail = {**GOOD, "score_binarized": 0, "task_id": "f/t2", "human_minutes": 30}
    no_family = {k: v for k, v in GOOD.items() if k != "task_family"}
    no_minutes_no_model = {k: v for k, v in GOOD.items() if k not in ("human_minutes", "alias")}
    err = _fail(cli, *_files(tmp_path, [GOOD, fail, no_family, no_minutes_no_model]))
    assert "runs.jsonl line 3 field task_family: missing" in err
    assert "runs.jsonl line 4 field human_minutes: missing" in err
    assert "runs.jsonl line 4 field alias: missing" in err
    assert "3 problem(s)" in err


def test_cli_reports_bad_values_bad_json_and_bad_dates_together(cli, tmp_path):
    records = [GOOD, "{not json", {**GOOD, "score_binarized": 0.5}, {**GOOD, "human_minutes": 0},
               {**GOOD, "human_minutes": -2, "score_binarized": 0}]
    err = _fail(cli, *_files(tmp_path, records, dates="model,release_date\nm,2024-13-01\n"))
    assert "line 2: not valid JSON" in err
    assert "line 3 field score_binarized: 0.5 is not 0 or 1" in err
    assert "line 4 field human_minutes: 0 is not a positive number" in err
    assert "line 5 field human_minutes: -2 is not a positive number" in err
    assert "dates.csv line 2 field release_date: '2024-13-01' is not an ISO date" in err


def test_cli_refuses_a_model_without_successes_or_failures(cli, tmp_path):
    fail = {**GOOD, "score_binarized": 0, "human_minutes": 30}
    records = [GOOD, fail, {**fail, "alias": "never"}, {**fail, "alias": "never"},
               {**GOOD, "model": "always", "alias": None}]
    err = _fail(cli, *_files(tmp_path, records))
    assert "model never: has no successes in 2 run(s)" in err
    assert "model always: has no failures in 1 run(s)" in err


def test_cli_reports_unknown_model_in_dates(cli, tmp_path):
    fail = {**GOOD, "score_binarized": 0, "task_id": "f/t2", "human_minutes": 30}
    dates = "model,release_date\nm,2024-01-01\nGPT-9,2030-01-01\n"
    err = _fail(cli, *_files(tmp_path, [GOOD, fail], dates=dates))
    assert "dates.csv line 3: model 'GPT-9' has no runs in" in err


def test_task_in_two_families_is_refused(tmp_path):
    runs, _ = _files(tmp_path, [GOOD, {**GOOD, "task_family": "g", "score_binarized": 0}])
    with pytest.raises(InputError, match="several task families"):
        read_runs(runs)


def test_trend_needs_two_dated_models(tmp_path):
    fail = {**GOOD, "score_binarized": 0, "task_id": "f/t2", "human_minutes": 30}
    runs = read_runs(_files(tmp_path, [GOOD, fail])[0])
    fit = fit_horizons(runs, ReleaseDates("d", {"m": dt.date(2024, 1, 1)}, {"m": 2}), n_bootstrap=0)
    assert fit.trend is None
    with pytest.raises(InputError, match="no frontier trend"):
        fit.to_trend_preset()


def test_cli_modules_import_no_heavy_libraries():
    code = ("import sys; import autosafety.cli._horizons_cmds, autosafety.timeline._horizons; "
            "print(sorted(m for m in ('scipy', 'pandas', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
