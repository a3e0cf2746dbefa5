"""Time horizons from METR-format runs: per-model logistic fits, bootstrap CIs, frontier doubling time.

Method (METR, arXiv 2503.14499 and github.com/METR/eval-analysis-public):

- per model, P(success) = sigmoid(a + b log2(human_minutes)), runs weighted ``invsqrt_task``
  (see ``task_weights``), slope penalised with ``regularization`` 0.1 as scikit-learn's
  ``C = 10``;
- the horizon at reliability p is h_p = 2^((logit(p) - a) / b) minutes;
- CIs are quantiles of the same fit over hierarchical bootstrap samples (task families, then
  tasks, then runs), one sample shared by all models so the trend sees correlated errors;
- frontier models are those whose 50% horizon is at least the best seen up to their release
  date; the doubling time is ln 2 / slope of the OLS line of ln(50% horizon) on release date.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._errors import InputError, Problem
from ._horizons_fit import WEIGHTINGS, bootstrap_counts, fit_logistic, horizon_minutes, task_weights
from ._horizons_io import ReleaseDates, RunTable, decimal_year, read_release_dates, read_runs

__all__ = [
    "WEIGHTINGS",
    "FrontierTrend",
    "HorizonFit",
    "ReleaseDates",
    "RunTable",
    "decimal_year",
    "fit_horizons",
    "fit_logistic",
    "frontier_models",
    "horizon_minutes",
    "read_release_dates",
    "read_runs",
    "task_weights",
]

MIN_HORIZON = 1e-3
"""Minutes below which a bootstrap 50% horizon is dropped from the trend (as METR does)."""


@dataclass(frozen=True)
class FrontierTrend:
    """Exponential trend of the frontier's 50% horizon: OLS of ln(horizon) on release date."""

    models: tuple[str, ...]
    release_dates: tuple[dt.date, ...]
    horizons: np.ndarray
    """(frontier,) 50% horizons (minutes) the line is fitted to."""
    doubling_days: float
    low: float
    high: float
    level: float
    after: dt.date | None
    before: dt.date | None
    n_valid: int
    """Bootstrap samples with a positive doubling time (the CI is taken over these)."""

    def to_dict(self) -> dict[str, Any]:
        return {"models": list(self.models), "release_dates": [d.isoformat() for d in self.release_dates],
                "horizon_50_minutes": self.horizons.tolist(), "doubling_days": self.doubling_days,
                "low": self.low, "high": self.high, "level": self.level,
                "after": self.after.isoformat() if self.after else None,
                "before": self.before.isoformat() if self.before else None,
                "bootstrap_valid": self.n_valid}


@dataclass(frozen=True)
class HorizonFit:
    """Per-model logistic fits and horizons, with the runs, dates and settings that produced them."""

    runs: RunTable
    release_dates: ReleaseDates
    reliabilities: tuple[float, ...]
    n_bootstrap: int
    seed: int
    level: float
    regularization: float
    weighting: str
    intercept: np.ndarray
    """(models,) a in sigmoid(a + b log2 minutes)."""
    coefficient: np.ndarray
    """(models,) b, logit change per doubling of task length (negative: longer tasks fail more)."""
    horizon: np.ndarray
    """(models, reliabilities) minutes."""
    low: np.ndarray
    high: np.ndarray
    bootstrap_horizon: np.ndarray = field(repr=False)
    """(draws, models, reliabilities) minutes; NaN where a sample cannot be fitted."""
    bootstrap_coefficient: np.ndarray = field(repr=False)
    """(draws, models) slope b of each bootstrap fit."""
    trend: FrontierTrend | None

    @property
    def models(self) -> tuple[str, ...]:
        return self.runs.models

    def model_stats(self) -> list[dict[str, Any]]:
        """One row per model: counts, release date, fit and horizons with CIs."""
        r = self.runs
        n_runs = np.bincount(r.model_index, minlength=len(r.models))
        wins = np.bincount(r.model_index, weights=r.success, minlength=len(r.models))
        frontier = set(self.trend.models) if self.trend else set()
        rows = []
        for m, name in enumerate(r.models):
            tasks = np.unique(r.task_index[r.model_index == m])
            day = self.release_dates.dates.get(name)
            rows.append({
                "model": name, "release_date": day.isoformat() if day else None,
                "runs": int(n_runs[m]), "successes": int(wins[m]), "tasks": int(tasks.size),
                "families": int(np.unique(r.task_family[tasks]).size),
                "intercept": float(self.intercept[m]), "coefficient": float(self.coefficient[m]),
                "frontier": name in frontier,
                "horizons": {f"{p:g}": {"minutes": float(self.horizon[m, k]), "low": float(self.low[m, k]),
                                        "high": float(self.high[m, k])}
                             for k, p in enumerate(self.reliabilities)}})
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {"runs": self.runs.source, "n_runs": len(self.runs),
                "release_dates": self.release_dates.source,
                "reliabilities": list(self.reliabilities), "bootstrap": self.n_bootstrap, "seed": self.seed,
                "level": self.level, "regularization": self.regularization, "weighting": self.weighting,
                "models": self.model_stats(), "trend": self.trend.to_dict() if self.trend else None}

    def to_trend_preset(self, *, id: str = "horizons-fit", name: str | None = None,
                        description: str | None = None, date: dt.date | None = None) -> dict[str, Any]:
        """The fit as a timeline trend preset: horizons of the latest frontier model and the doubling time."""
        if self.trend is None:
            raise InputError(Problem("trend", "no frontier trend was fitted (fewer than 2 dated models)",
                                     "give release dates for at least two models"))
        when = (date or dt.date.today()).isoformat()
        source = (f"autosafety horizons fit of {self.runs.source} ({len(self.runs)} runs, "
                  f"{self.n_bootstrap} bootstrap samples, seed {self.seed}, weighting {self.weighting})")
        latest = max(range(len(self.trend.models)), key=lambda i: self.trend.release_dates[i])  # type: ignore
        model = self.trend.models[latest]
        m = self.runs.models.index(model)
        day = self.trend.release_dates[latest]

        def bounded(value: float, low: float, high: float, unit: str, note: str) -> dict[str, Any]:
            q: dict[str, Any] = {"value": _round(value)}
            if math.isfinite(low) and math.isfinite(high):
                lo, hi = min(low, value), max(high, value)
                if (lo, hi) != (low, high):
                    note += (f"; bootstrap interval [{low:.4g}, {high:.4g}] widened to include the "
                             "point estimate")
                q |= {"low": _round(lo), "high": _round(hi), "level": self.level}
            return q | {"unit": unit, "source": source, "date": when, "kind": "fact", "note": note}

        trend = self.trend
        if not trend.doubling_days > 0:
            raise InputError(Problem("trend", f"the frontier's 50% horizon does not grow (doubling time "
                                     f"{trend.doubling_days:.4g} days)", "check the release dates and runs"))
        if not self.coefficient[m] < 0:
            raise InputError(Problem(f"model {model}", "success does not fall with task length (slope "
                                     f"{self.coefficient[m]:.3g})", "check its runs"))
        q = (1 - self.level) / 2
        boot_b = -self.bootstrap_coefficient[:, m]
        boot_b = boot_b[np.isfinite(boot_b)]
        slope_lo, slope_hi = (float(v) for v in np.quantile(boot_b, [q, 1 - q])) if boot_b.size \
            else (math.nan, math.nan)
        span = f"{trend.release_dates[0].isoformat()} to {max(trend.release_dates).isoformat()}"
        return {
            "id": id,
            "name": name or f"Time-horizon trend fitted to {Path(self.runs.source).name}",
            "description": description or (
                f"{len(trend.models)} frontier models {span}; horizons of {model}, the latest."),
            "reference_date": {"value": round(decimal_year(day), 4), "unit": "year", "source": source,
                               "date": when, "kind": "fact", "note": f"release date of {model} ({day})"},
            "horizons": {f"{p:g}": bounded(self.horizon[m, k], self.low[m, k], self.high[m, k], "minutes",
                                           f"{model}, {p:.0%} reliability")
                         for k, p in enumerate(self.reliabilities)},
            "doubling_time": bounded(trend.doubling_days, trend.low, trend.high, "days",
                                     "OLS of ln(50% horizon) on release date over "
                                     + ", ".join(trend.models)),
            "slope": bounded(-float(self.coefficient[m]), slope_lo, slope_hi, "logit per doubling",
                             f"{model}: fall in log-odds of success per doubling of task length")
            | {"kind": "derived"},
            "growth": {"exponential": {"probability": 1.0}},
            "sources": [source, "method: T. Kwa et al. (METR), Measuring AI Ability to Complete Long Tasks, "
                                "arXiv 2503.14499, 2025; github.com/METR/eval-analysis-public"],
        }


def _round(x: float) -> float:
    return float(f"{x:.4g}") if math.isfinite(x) else x


def frontier_models(names: Sequence[str], horizons: np.ndarray, dates: Sequence[dt.date], *,
                    after: dt.date | None = None, before: dt.date | None = None) -> list[int]:
    """Indices of frontier models: a 50% horizon at least the best released on or before its date.

    As METR's ``get_sota_agents``: only models released on or after ``after`` and before
    ``before`` take part, in release order; models released the same day are compared together.
    """
    keep = [i for i in range(len(names)) if (after is None or dates[i] >= after)
            and (before is None or dates[i] < before) and math.isfinite(horizons[i])]
    best = -math.inf
    out: list[int] = []
    for day in sorted({dates[i] for i in keep}):
        same = [i for i in keep if dates[i] == day]
        best = max(best, *(horizons[i] for i in same))
        out += [i for i in same if horizons[i] >= best]
    return out


def _doubling_days(days: np.ndarray, horizons: np.ndarray) -> np.ndarray:
    """ln 2 / OLS slope of ln(horizon) on day, per row of ``horizons`` (..., models); NaN if < 2 usable."""
    y = np.log(np.where(np.isfinite(horizons) & (horizons >= MIN_HORIZON), horizons, np.nan))
    mask = np.isfinite(y)
    n = mask.sum(-1)
    t = np.where(mask, days, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        tbar = t.sum(-1) / n
        ybar = np.where(mask, y, 0.0).sum(-1) / n
        dt_ = np.where(mask, days - tbar[..., None], 0.0)
        slope = (dt_ * np.where(mask, y - ybar[..., None], 0.0)).sum(-1) / (dt_ * dt_).sum(-1)
        return np.where(n >= 2, np.log(2) / slope, np.nan)


def _trend(fit_h50: np.ndarray, boot_h50: np.ndarray, names: tuple[str, ...], dates: ReleaseDates,
           *, level: float, after: dt.date | None, before: dt.date | None,
           frontier: Sequence[str] | None) -> FrontierTrend | None:
    dated = [i for i, n in enumerate(names) if n in dates.dates]
    if frontier is not None:
        chosen = [names.index(n) for n in frontier]
    else:
        sub = frontier_models([names[i] for i in dated], fit_h50[dated],
                              [dates.dates[names[i]] for i in dated], after=after, before=before)
        chosen = [dated[i] for i in sub]
    if len(chosen) < 2:
        return None
    days = np.array([dates.dates[names[i]].toordinal() for i in chosen], dtype=float)
    point = float(_doubling_days(days, np.clip(fit_h50[chosen], MIN_HORIZON, None)))
    boot = _doubling_days(days, boot_h50[:, chosen]) if boot_h50.size else np.empty(0)
    boot = boot[np.isfinite(boot) & (boot > 0)]
    q = (1 - level) / 2
    low, high = (np.quantile(boot, [q, 1 - q]) if boot.size else (math.nan, math.nan))
    return FrontierTrend(models=tuple(names[i] for i in chosen),
                         release_dates=tuple(dates.dates[names[i]] for i in chosen),
                         horizons=fit_h50[chosen], doubling_days=point, low=float(low), high=float(high),
                         level=level, after=after, before=before, n_valid=int(boot.size))


def _check(runs: RunTable, dates: ReleaseDates, reliabilities: Sequence[float], n_bootstrap: int,
           level: float, regularization: float, weighting: str, frontier: Sequence[str] | None) -> None:
    problems = [Problem(f"{dates.source} line {dates.lines[m]}" if dates.lines[m] else f"{dates.source} {m}",
                        f"model '{m}' has no runs in {runs.source}",
                        "spell it as the runs' alias/model field, or delete the row")
                for m in dates.dates if m not in runs.models]
    problems += [Problem("reliability", f"{p:g} is not strictly between 0 and 1", "e.g. 0.5 or 0.8")
                 for p in reliabilities if not 0 < p < 1]
    if not reliabilities:
        problems.append(Problem("reliability", "none given", "give at least one, e.g. 0.5"))
    if 0.5 not in reliabilities:
        problems.append(Problem("reliability", "0.5 is needed for the frontier trend", "add 0.5"))
    if n_bootstrap < 0:
        problems.append(Problem("bootstrap", f"{n_bootstrap} is negative", "give 0 or more samples"))
    if not 0 < level < 1:
        problems.append(Problem("level", f"{level:g} is not strictly between 0 and 1", "e.g. 0.95"))
    if not regularization > 0:
        problems.append(Problem("regularization", f"{regularization:g} is not positive", "e.g. 0.1"))
    if weighting not in WEIGHTINGS:
        problems.append(Problem("weighting", f"'{weighting}' is unknown", f"one of {', '.join(WEIGHTINGS)}"))
    for m in frontier or ():
        if m not in runs.models:
            problems.append(Problem(f"frontier {m}", "no runs for this model", "name a model in the runs"))
        elif m not in dates.dates:
            problems.append(Problem(f"frontier {m}", "no release date", f"add it to {dates.source}"))
    if problems:
        raise InputError(problems, title="cannot fit horizons")


def fit_horizons(runs: RunTable, release_dates: ReleaseDates, *, reliabilities: Sequence[float] = (0.5, 0.8),
                 n_bootstrap: int = 1000, seed: int = 0, level: float = 0.95, regularization: float = 0.1,
                 weighting: str = "invsqrt_task", after: dt.date | None = dt.date(2019, 1, 1),
                 before: dt.date | None = None, frontier: Sequence[str] | None = None) -> HorizonFit:
    """Fit every model's logistic curve, horizons with bootstrap CIs and the frontier doubling time."""
    reliabilities = tuple(float(p) for p in reliabilities)
    _check(runs, release_dates, reliabilities, n_bootstrap, level, regularization, weighting, frontier)
    w = task_weights(runs, weighting=weighting)
    x = np.log2(runs.human_minutes)
    p = np.array(reliabilities)
    n_models = len(runs.models)
    idx = [np.flatnonzero(runs.model_index == m) for m in range(n_models)]
    a, b = np.empty(n_models), np.empty(n_models)
    for m, i in enumerate(idx):
        a[m], b[m] = fit_logistic(x[i], runs.success[i], w[i], regularization=regularization)
    horizon = horizon_minutes(a, b, p)
    rng = np.random.default_rng(seed)
    parts, slopes = [], []
    for counts in bootstrap_counts(runs, n_bootstrap, rng):
        ba = np.empty((counts.shape[0], n_models))
        bb = np.empty_like(ba)
        for m, i in enumerate(idx):
            ba[:, m], bb[:, m] = fit_logistic(x[i], runs.success[i], counts[:, i] * w[i],
                                              regularization=regularization)
        parts.append(horizon_minutes(ba, bb, p))
        slopes.append(bb)
    boot = np.concatenate(parts) if parts else np.empty((0, n_models, p.size))
    boot_b = np.concatenate(slopes) if slopes else np.empty((0, n_models))
    q = (1 - level) / 2
    low = high = np.full_like(horizon, np.nan)
    if boot.shape[0]:
        with warnings.catch_warnings():  # a model no sample could fit gets a NaN interval
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = np.nanquantile(boot, q, axis=0), np.nanquantile(boot, 1 - q, axis=0)
    trend = _trend(horizon[:, reliabilities.index(0.5)], boot[..., reliabilities.index(0.5)], runs.models,
                   release_dates, level=level, after=after, before=before, frontier=frontier)
    return HorizonFit(runs=runs, release_dates=release_dates, reliabilities=reliabilities,
                      n_bootstrap=n_bootstrap, seed=seed, level=level, regularization=regularization,
                      weighting=weighting, intercept=a, coefficient=b, horizon=horizon, low=low, high=high,
                      bootstrap_horizon=boot, bootstrap_coefficient=boot_b, trend=trend)
