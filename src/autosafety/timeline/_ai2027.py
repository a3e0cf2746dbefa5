"""AI 2027's time-horizon-extension forecast of the superhuman coder (SC), vectorised and exact.

The model (Lifland, Jurkovic & FutureSearch 2025; their code: uvafan/timelines-takeoff-ai-2027,
``timelines/simple_forecasting_timelines.py``), per draw:

1. the horizon must grow from ``h0`` to the SC's ``H`` work months: ``n = log2(H / h0)`` doublings, the
   first taking ``T`` months and each next one ``(1 - d)`` times (superexponential), ``(1 + g)`` times
   (subexponential) or exactly as long as the last: ``T n``, ``T (1 - (1-d)^n) / d``, ``T ((1+g)^n - 1) / g``;
   the cost-and-speed allowance is added, giving ``B`` months of progress at today's pace;
2. progress is made at rate ``(v + c) / 2`` per month, ``c`` the compute rate (1, then
   ``compute_rate_after``) and ``v = a b^f`` the algorithmic multiplier, rising from ``a = 1 + present``
   to ``1 + sc`` as the fraction ``f`` of ``B`` done goes from 0 to 1; after ``human_slowdown_year``,
   ``v`` becomes ``sqrt(h v (v - 1 + h))``;
3. the clock starts at ``start_year`` minus the announcement delay; the SC date is when ``f`` reaches 1.

Their script integrates step 2 with one-day Euler steps per draw in Python. Here, before the human
slowdown the rate has the closed form ``t(f) = 2B/(cL) ln((a + c e^(-L f0)) / (a + c e^(-L f)))``,
``L = ln b``, invertible for the fraction done at a given date; the last phase is a 48-node
Gauss-Legendre quadrature in ``f``. No loop over draws.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from statistics import NormalDist
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from .._errors import InputError, Problem

NODES = 48
"""Gauss-Legendre nodes for the phase after the human slowdown (error far below a day)."""
_MEDIAN_TOLERANCE = 5e-3
_FLAT = 1e-12
_NODES_X, _NODES_W = np.polynomial.legendre.leggauss(NODES)

Interval = tuple[float, float]


@dataclass(frozen=True)
class Ai2027Params:
    """Inputs of the time-horizon-extension forecast; intervals are lognormal 80% intervals (months)."""

    start_year: float
    """Date of the current horizon; the clock starts here minus the announcement delay."""
    current_horizon_minutes: float
    """The time horizon at ``start_year``, in minutes of human work."""
    work_hours_per_month: float
    """Hours in a work month (turns minutes into work months)."""
    sc_horizon_months: Interval
    """Time horizon a superhuman coder needs, in work months."""
    doubling_time_months: Interval
    """Duration of the first horizon doubling."""
    cost_speed_months: Interval
    """Months of progress, after the horizon is reached, to make the SC cheap and fast enough."""
    announcement_delay_months: Interval
    """How far internal capabilities lead the public horizon."""
    present_speedup: Interval
    """AI R&D progress multiplier minus 1, today."""
    sc_speedup: Interval
    """AI R&D progress multiplier minus 1, at SC."""
    p_superexponential: float
    """Probability that each doubling is shorter than the last."""
    p_subexponential: float
    """Probability that each doubling is longer than the last."""
    superexponential_decay: float
    """If superexponential, each doubling takes (1 - this) times the previous one."""
    subexponential_growth: float
    """If subexponential, each doubling takes (1 + this) times the previous one."""
    correlation: float
    """Copula correlation: doubling time, cost-and-speed, growth mode; and the two multipliers."""
    interval_z: float
    """Standard normal quantile of an interval's ends (theirs: 1.28)."""
    compute_slowdown_year: float
    """From this date compute-driven progress runs at ``compute_rate_after``."""
    human_slowdown_year: float
    """From this date human algorithmic progress runs at ``human_rate_after``."""
    compute_rate_after: float
    """Compute-driven progress rate after the compute slowdown (1 before)."""
    human_rate_after: float
    """Human algorithmic progress rate after the human slowdown (1 before)."""
    horizon_year: float
    """Dates after this are reported as infinity (their script: 2050)."""
    origin: str = "ai-2027-horizon"
    """Where the parameters were read from."""


@dataclass(frozen=True)
class Ai2027Draws:
    """One Monte Carlo sample of the model's uncertain inputs, one entry per draw."""

    sc_horizon_months: np.ndarray
    doubling_time_months: np.ndarray
    cost_speed_months: np.ndarray
    announcement_delay_months: np.ndarray
    present_speedup: np.ndarray
    sc_speedup: np.ndarray
    growth: np.ndarray
    """+1 superexponential, 0 exponential, -1 subexponential."""


# -- sampling -----------------------------------------------------------------------------------
def _lognormal(interval: Interval, z: float, normals: np.ndarray) -> np.ndarray:
    lo, hi = np.log(interval[0]), np.log(interval[1])
    return np.exp(0.5 * (lo + hi) + (hi - lo) / (2 * z) * normals)


def _correlated(rng: np.random.Generator, draws: int, k: int, rho: float) -> np.ndarray:
    corr = np.full((k, k), rho)
    np.fill_diagonal(corr, 1.0)
    return rng.standard_normal((draws, k)) @ np.linalg.cholesky(corr).T


def _normal_quantile(p: float) -> float:
    return -np.inf if p <= 0 else np.inf if p >= 1 else NormalDist().inv_cdf(p)


def sample_inputs(params: Ai2027Params, *, draws: int, rng: np.random.Generator) -> Ai2027Draws:
    """Draw the uncertain inputs as their script does (lognormals, Gaussian copulas, growth mode)."""
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise InputError(Problem("draws", f"must be a positive whole number, got {draws!r}",
                                 "give e.g. draws=5000"))
    p, z = params, params.interval_z
    trio = _correlated(rng, draws, 3, p.correlation)  # doubling time, cost-and-speed, growth mode
    pair = _correlated(rng, draws, 2, p.correlation)  # present and SC multipliers
    alone = rng.standard_normal((draws, 2))  # SC horizon, announcement delay
    super_below = _normal_quantile(p.p_superexponential)
    sub_below = _normal_quantile(p.p_superexponential + p.p_subexponential)
    mode = trio[:, 2]
    growth = np.where(mode < super_below, 1, np.where(mode < sub_below, -1, 0)).astype(np.int8)
    return Ai2027Draws(
        sc_horizon_months=_lognormal(p.sc_horizon_months, z, alone[:, 0]),
        doubling_time_months=_lognormal(p.doubling_time_months, z, trio[:, 0]),
        cost_speed_months=_lognormal(p.cost_speed_months, z, trio[:, 1]),
        announcement_delay_months=_lognormal(p.announcement_delay_months, z, alone[:, 1]),
        present_speedup=_lognormal(p.present_speedup, z, pair[:, 0]),
        sc_speedup=_lognormal(p.sc_speedup, z, pair[:, 1]),
        growth=growth,
    )


# -- the date, given the inputs -----------------------------------------------------------------
def doubling_months(doublings: np.ndarray, first: np.ndarray, growth: np.ndarray, *,
                    decay: float, increase: float) -> np.ndarray:
    """Months for ``doublings`` horizon doublings, the first taking ``first`` months (geometric sums)."""
    n = np.asarray(doublings, dtype=float)
    flat = n * first
    sup = first * -np.expm1(n * np.log1p(-decay)) / decay if decay > 0 else flat
    sub = first * np.expm1(n * np.log1p(increase)) / increase if increase > 0 else flat
    return np.where(growth > 0, sup, np.where(growth < 0, sub, flat))


def _months(f0: np.ndarray, f1: np.ndarray | float, a: np.ndarray, slope: np.ndarray, span: np.ndarray,
            c: float) -> np.ndarray:
    """Months from fraction f0 to f1 of ``span`` at rate (a e^(slope f) + c) / 2 (closed form)."""
    flat = np.abs(slope) < _FLAT
    s = np.where(flat, 1.0, slope)
    curved = 2 * span / (c * s) * np.log((a + c * np.exp(-s * f0)) / (a + c * np.exp(-s * f1)))
    return np.where(flat, 2 * span * (f1 - f0) / (a + c), curved)


def _fraction_after(f0: np.ndarray, months: np.ndarray, a: np.ndarray, slope: np.ndarray,
                    span: np.ndarray, c: float) -> np.ndarray:
    """Fraction done after ``months`` more, from f0 (the inverse of ``_months``; inf past blow-up)."""
    flat = np.abs(slope) < _FLAT
    s = np.where(flat, 1.0, slope)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        left = ((a + c * np.exp(-s * f0)) * np.exp(-c * s * months / (2 * span)) - a) / c
        curved = np.where(left > 0, -np.log(np.where(left > 0, left, 1.0)) / s, np.inf)
        straight = f0 + months * (a + c) / (2 * span)
    return np.where(flat, straight, curved)


def _slowed_months(f0: np.ndarray, a: np.ndarray, slope: np.ndarray, span: np.ndarray,
                   c: float, h: float) -> np.ndarray:
    """Months from f0 to 1 at rate (sqrt(h v (v - 1 + h)) + c) / 2, v = a e^(slope f) (quadrature)."""
    f = f0[:, None] + (1 - f0)[:, None] * (_NODES_X + 1) / 2
    v = a[:, None] * np.exp(slope[:, None] * f)
    rate = (np.sqrt(h * v * (v - 1 + h)) + c) / 2
    return span * (1 - f0) / 2 * (_NODES_W / rate).sum(axis=1)


def superhuman_coder_dates(params: Ai2027Params, inputs: Ai2027Draws) -> np.ndarray:
    """Decimal-year SC date of each draw of ``inputs`` (np.inf after ``params.horizon_year``)."""
    p, d = params, inputs
    h0 = p.current_horizon_minutes / (60 * p.work_hours_per_month)
    growth = doubling_months(np.log2(d.sc_horizon_months / h0), d.doubling_time_months, d.growth,
                             decay=p.superexponential_decay, increase=p.subexponential_growth)
    span = np.maximum(growth + d.cost_speed_months, 0.0)  # B: months of progress at today's pace
    a = 1 + d.present_speedup
    slope = np.log((1 + d.sc_speedup) / a)
    clock = p.start_year - d.announcement_delay_months / 12
    done_at = np.full(span.shape, np.inf)
    frac = np.zeros(span.shape)
    for until, c in ((p.compute_slowdown_year, 1.0), (p.human_slowdown_year, p.compute_rate_after)):
        open_ = np.isinf(done_at)
        available = np.maximum(until - clock, 0.0) * 12
        need = _months(frac, 1.0, a, slope, span, c)
        finish = open_ & (need <= available)
        done_at = np.where(finish, clock + need / 12, done_at)
        frac = np.where(open_ & ~finish, _fraction_after(frac, available, a, slope, span, c), frac)
        clock = np.maximum(clock, until)
    rest = np.isinf(done_at)
    if rest.any():
        done_at[rest] = clock[rest] + _slowed_months(frac[rest], a[rest], slope[rest], span[rest],
                                                     p.compute_rate_after, p.human_rate_after) / 12
    return np.where(done_at > p.horizon_year, np.inf, done_at)


def sample_superhuman_coder_dates(params: Ai2027Params, *, draws: int,
                                  rng: np.random.Generator) -> np.ndarray:
    """``draws`` Monte Carlo SC dates (decimal years; np.inf if after ``params.horizon_year``)."""
    return superhuman_coder_dates(params, sample_inputs(params, draws=draws, rng=rng))


# -- the parameter file -------------------------------------------------------------------------
class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float
    low: float | None = None
    high: float | None = None
    level: float | None = None
    unit: str
    source: str
    kind: Literal["fact", "derived", "code-constant", "assumption"] = "fact"
    note: str = ""


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    description: str
    citation: str
    code: str = ""
    parameters: dict[str, _Entry]


_INTERVALS = {f.name for f in fields(Ai2027Params) if f.type == "Interval"}
_SCALARS = {f.name for f in fields(Ai2027Params) if f.type == "float"}


def _check(params: dict[str, _Entry], origin: str) -> list[Problem]:
    """Every problem with the parameters: missing, unknown, out of range, inconsistent."""
    at, known = f"{origin}: parameters", _INTERVALS | _SCALARS
    out = [Problem(f"{at}.{k}", "missing", "add it with value, unit and source")
           for k in sorted(known - params.keys())]
    out += [Problem(f"{at}.{k}", "unknown parameter", f"use one of {', '.join(sorted(known))}")
            for k in sorted(params.keys() - known)]
    for k, e in params.items():
        if k in _INTERVALS:
            if e.low is None or e.high is None:
                out.append(Problem(f"{at}.{k}", "needs an interval", "give low and high (80% interval)"))
            elif not 0 < e.low <= e.high:
                out.append(Problem(f"{at}.{k}", f"interval must satisfy 0 < low <= high, got "
                                   f"[{e.low}, {e.high}]", "give positive ends, low first"))
            elif abs(e.value / np.sqrt(e.low * e.high) - 1) > _MEDIAN_TOLERANCE:
                out.append(Problem(f"{at}.{k}.value", f"{e.value} is not the median of the lognormal "
                                   f"with this interval", f"set it to {np.sqrt(e.low * e.high):.4g}"))
        elif k in _SCALARS and (e.low is not None or e.high is not None):
            out.append(Problem(f"{at}.{k}", "takes a single value, not an interval", "remove low and high"))
    v = {k: e.value for k, e in params.items()}

    def need(ok: bool, key: str, what: str, fix: str) -> None:
        if key in v and not ok:
            out.append(Problem(f"{at}.{key}.value", f"{v[key]}: {what}", fix))

    g = v.get
    for key in ("current_horizon_minutes", "work_hours_per_month", "interval_z", "compute_rate_after"):
        need(g(key, 1) > 0, key, "must be positive", "give a positive number")
    for key in ("p_superexponential", "p_subexponential", "superexponential_decay", "human_rate_after"):
        need(0 <= g(key, 0) <= 1, key, "must lie in [0, 1]", "give a fraction")
    need(g("superexponential_decay", 0) < 1, "superexponential_decay", "must be below 1", "give e.g. 0.1")
    need(g("human_rate_after", 1) > 0, "human_rate_after", "must be positive", "give a rate in (0, 1]")
    need(g("subexponential_growth", 0) >= 0, "subexponential_growth", "must be >= 0", "give e.g. 0.1")
    need(g("p_superexponential", 0) + g("p_subexponential", 0) <= 1, "p_subexponential",
         "p_superexponential + p_subexponential exceeds 1", "lower one of them")
    need(-0.5 < g("correlation", 0) < 1, "correlation", "must lie in (-0.5, 1)", "give e.g. 0.7")
    need(g("compute_slowdown_year", 0) <= g("human_slowdown_year", 0), "human_slowdown_year",
         "must not precede compute_slowdown_year (the closed form assumes it)", "give a later year")
    need(g("horizon_year", 1) > g("start_year", 0), "horizon_year", "must follow start_year",
         "give a later year")
    if "interval_z" in v and v["interval_z"] > 0:
        for k, e in params.items():
            if k in _INTERVALS and e.level is not None:
                level = 2 * NormalDist().cdf(v["interval_z"]) - 1
                need(abs(level - e.level) < 1e-3, k, f"level {e.level} does not match interval_z "
                     f"{v['interval_z']} (level {level:.4f})", "make level and interval_z agree")
    return out


def ai2027_params_from_data(data: Any, *, origin: str = "ai-2027-horizon") -> Ai2027Params:
    """Validated parameters from parsed YAML, every problem listed with its location."""
    from ..model._files import pydantic_problems

    title = f"{origin} is not a valid AI 2027 parameter file"
    if not isinstance(data, dict):
        raise InputError(Problem(origin, f"expected a mapping at the top level, got {type(data).__name__}",
                                 "start from the built-in ai-2027-horizon.yaml"), title=title)
    try:
        spec = _File.model_validate(data)
    except ValidationError as err:
        raise InputError(pydantic_problems(err, origin), title=title) from None
    problems = _check(spec.parameters, origin)
    if problems:
        raise InputError(problems, title=title)
    e = spec.parameters
    kw: dict[str, Any] = {k: (e[k].low, e[k].high) for k in _INTERVALS}
    kw |= {k: e[k].value for k in _SCALARS}
    return Ai2027Params(**kw, origin=origin)


def load_ai2027_params(path: str | Path | None = None) -> Ai2027Params:
    """The built-in AI 2027 (forecaster Eli) parameters, or those of a YAML file in the same shape."""
    if path is None:
        origin = "ai-2027-horizon.yaml"
        text = resources.files("autosafety.timeline").joinpath("data", origin).read_text("utf-8")
    else:
        from ..model import read_text

        origin, text = str(path), read_text(Path(path))
    from .._input import load_yaml

    return ai2027_params_from_data(load_yaml(text, origin=origin), origin=origin)
