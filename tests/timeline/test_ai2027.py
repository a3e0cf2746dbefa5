"""The AI 2027 time-horizon-extension preset against their parameter file, closed forms, an independent
ODE solve, draws run through their own script, and percentiles measured from their script.

Every expected value here was written by hand: transcribed from uvafan/timelines-takeoff-ai-2027 at
commit 1356db7 (timelines/simple_params.yaml and simple_forecasting_timelines.py), or measured by
running that script (numbers recorded below with how they were obtained). Nothing reads their repo.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from autosafety._errors import InputError
from autosafety.timeline._ai2027 import (
    Ai2027Draws,
    Ai2027Params,
    doubling_months,
    load_ai2027_params,
    sample_inputs,
    sample_superhuman_coder_dates,
    superhuman_coder_dates,
)

H0_MONTHS = 15 / (60 * 167)  # their h_current: 15 minutes in 167-hour work months


@pytest.fixture(scope="module")
def eli() -> Ai2027Params:
    return load_ai2027_params()


# -- (a) the preset's inputs are theirs ------------------------------------------------------------
def test_preset_equals_their_parameter_file(eli: Ai2027Params) -> None:
    # simple_params.yaml, forecasters.eli.distributions.*
    assert eli.sc_horizon_months == (1, 14400)  # h_SC_ci
    assert eli.doubling_time_months == (2.5, 9)  # T_t_ci
    assert eli.cost_speed_months == (0.5, 30)  # cost_speed_ci
    assert eli.announcement_delay_months == (0.25, 6)  # announcement_delay_ci
    assert eli.present_speedup == (0.03, 0.3)  # present_prog_multiplier_ci
    assert eli.sc_speedup == (1.5, 40.0)  # SC_prog_multiplier_ci
    assert eli.p_superexponential == 0.45
    assert eli.p_subexponential == 0.10
    assert eli.superexponential_decay == 0.1  # se_doubling_decay_fraction
    assert eli.subexponential_growth == 0.1  # sub_doubling_growth_fraction
    # simple_params.yaml, simulation.*
    assert eli.current_horizon_minutes == 15  # current_horizon
    assert eli.compute_slowdown_year == 2029.0  # compute_decrease_date
    assert eli.human_slowdown_year == 2029.0  # human_alg_progress_decrease_date
    # constants in simple_forecasting_timelines.py
    assert eli.start_year == 2025.25  # current_year
    assert eli.work_hours_per_month == 167  # 60 * 167 minutes per month
    assert eli.correlation == 0.7  # get_distribution_samples(correlation=0.7)
    assert eli.interval_z == 1.28  # get_lognormal_from_80_ci z_high
    assert eli.compute_rate_after == 0.5  # get_compute_rate
    assert eli.human_rate_after == 0.5  # only_multiplier = v * 0.5, only_additive = v - 0.5
    assert eli.horizon_year == 2050  # max_time


def test_sampled_inputs_follow_their_distributions(eli: Ai2027Params) -> None:
    d = sample_inputs(eli, draws=400_000, rng=np.random.default_rng(5))
    # Their lognormal: median sqrt(low high), 10th/90th percentiles at z = -/+1.28 (Phi(1.28) = 0.89973).
    for got, (lo, hi) in [(d.sc_horizon_months, (1, 14400)), (d.doubling_time_months, (2.5, 9)),
                          (d.cost_speed_months, (0.5, 30)), (d.announcement_delay_months, (0.25, 6)),
                          (d.present_speedup, (0.03, 0.3)), (d.sc_speedup, (1.5, 40.0))]:
        assert np.mean(got <= lo) == pytest.approx(0.10027, abs=0.002)
        assert np.mean(got <= hi) == pytest.approx(0.89973, abs=0.002)
        # Sample median of a lognormal: log-scale standard error sqrt(pi/2) sigma / sqrt(n); 4 of them.
        sigma = math.log(hi / lo) / (2 * 1.28)
        assert np.log(np.median(got)) == pytest.approx(math.log(math.sqrt(lo * hi)),
                                                       abs=4 * 1.2533 * sigma / math.sqrt(got.size))
    assert np.mean(d.growth == 1) == pytest.approx(0.45, abs=0.003)
    assert np.mean(d.growth == -1) == pytest.approx(0.10, abs=0.002)
    # Gaussian copula with correlation 0.7 on the log scale (doubling time, cost-speed; the multipliers).
    assert np.corrcoef(np.log(d.doubling_time_months), np.log(d.cost_speed_months))[0, 1] == \
        pytest.approx(0.7, abs=0.005)
    assert np.corrcoef(np.log(d.present_speedup), np.log(d.sc_speedup))[0, 1] == pytest.approx(0.7, abs=0.005)
    assert abs(np.corrcoef(np.log(d.sc_horizon_months), np.log(d.doubling_time_months))[0, 1]) < 0.01
    # A long doubling time makes superexponential growth less likely (the copula's sign).
    slow = d.doubling_time_months > np.median(d.doubling_time_months)
    assert np.mean(d.growth[slow] == 1) < 0.3 < 0.6 < np.mean(d.growth[~slow] == 1)


# -- (b) closed forms -----------------------------------------------------------------------------
def _plain(eli: Ai2027Params, **changes: float) -> Ai2027Params:
    """No slowdown before 2100 and a far horizon, unless changed."""
    base = {"compute_slowdown_year": 2100.0, "human_slowdown_year": 2100.0, "horizon_year": 2200.0}
    return dataclasses.replace(eli, **(base | changes))


def _draws(h: float, t: float, *, cost: float = 0.0, delay: float = 0.0, present: float = 0.0,
           sc: float = 0.0, growth: int = 0) -> Ai2027Draws:
    def one(x: float) -> np.ndarray:
        return np.array([x])
    return Ai2027Draws(one(h), one(t), one(cost), one(delay), one(present), one(sc),
                       np.array([growth], dtype=np.int8))


def test_exponential_without_multiplier_or_delay(eli: Ai2027Params) -> None:
    p = _plain(eli)
    for h, t in [(1.0, 4.0), (120.0, 7.0), (14400.0, 2.5)]:
        got = superhuman_coder_dates(p, _draws(h, t))[0]
        assert got == pytest.approx(2025.25 + t * math.log2(h / H0_MONTHS) / 12, abs=1e-9)


def test_superexponential_and_subexponential_are_geometric_sums(eli: Ai2027Params) -> None:
    p = _plain(eli)
    h = H0_MONTHS * 2**10  # ten doublings, the first taking 6 months
    faster = sum(6 * 0.9**i for i in range(10))  # each doubling 10% shorter than the last
    slower = sum(6 * 1.1**i for i in range(10))  # each 10% longer
    assert superhuman_coder_dates(p, _draws(h, 6, growth=1))[0] == pytest.approx(2025.25 + faster / 12)
    assert superhuman_coder_dates(p, _draws(h, 6, growth=-1))[0] == pytest.approx(2025.25 + slower / 12)
    # Fractional and unbounded doublings: the series' continuous form and its limit T / d.
    n = np.array([0.0, 2.5, 400.0])
    sup = doubling_months(n, np.full(3, 6.0), np.ones(3), decay=0.1, increase=0.1)
    assert sup == pytest.approx([0.0, 6 * (1 - 0.9**2.5) / 0.1, 60.0])
    flat = doubling_months(n, np.full(3, 6.0), np.ones(3), decay=0.0, increase=0.0)
    assert flat == pytest.approx(6 * n)


def test_cost_speed_delay_and_constant_multiplier(eli: Ai2027Params) -> None:
    p = _plain(eli)
    h, t = H0_MONTHS * 2**8, 5.0  # 40 months of doublings, plus 8 months of cost-and-speed
    # A constant multiplier m (present = sc = m - 1): progress at (m + 1) / 2 per month.
    got = superhuman_coder_dates(p, _draws(h, t, cost=8, delay=3, present=2, sc=2))[0]
    assert got == pytest.approx(2025.25 - 3 / 12 + 48 / ((3 + 1) / 2) / 12)


def _ode_date(p: Ai2027Params, d: Ai2027Draws) -> float:
    """The SC date by an independent adaptive ODE solve of the progress fraction over calendar months,
    piece by piece between the slowdown dates, stopped when the fraction reaches 1."""
    n = math.log2(d.sc_horizon_months[0] / H0_MONTHS)
    t1, g = d.doubling_time_months[0], int(d.growth[0])
    doublings = t1 * n if g == 0 else sum(t1 * (0.9 if g > 0 else 1.1) ** i for i in range(round(n)))
    span = doublings + d.cost_speed_months[0]
    a, b = 1 + d.present_speedup[0], 1 + d.sc_speedup[0]

    def fraction_per_month(_t: float, f: np.ndarray, c: float, h: float) -> list[float]:
        v = a * (b / a) ** f[0]
        v = math.sqrt((v * h) * (v - (1 - h)))  # h = 1: v itself
        return [(v + c) / 2 / span]

    def reached(_t: float, f: np.ndarray, *_: float) -> float:
        return f[0] - 1
    reached.terminal = True  # type: ignore[attr-defined]

    t, f = (p.start_year - d.announcement_delay_months[0] / 12) * 12, [0.0]
    first, second = p.compute_slowdown_year * 12, p.human_slowdown_year * 12
    for until, c, h in [(first, 1.0, 1.0), (second, p.compute_rate_after, 1.0),
                        (3000 * 12, p.compute_rate_after, p.human_rate_after)]:
        if until > t:
            sol = solve_ivp(fraction_per_month, (t, until), f, args=(c, h), events=reached,
                            rtol=1e-12, atol=1e-13)
            if sol.t_events[0].size:
                return float(sol.t_events[0][0] / 12)
            t, f = until, [sol.y[0, -1]]
    raise AssertionError("never reached")


@pytest.mark.parametrize(("h", "t", "cost", "present", "sc", "growth"), [
    (300.0, 6.0, 12.0, 0.1, 8.0, 0),  # reaches SC in the 2030s: through both slowdowns
    (H0_MONTHS * 2**14, 3.0, 5.0, 0.05, 20.0, 1),  # early, superexponential
    (H0_MONTHS * 2**13, 4.0, 20.0, 0.3, 1.5, -1),  # subexponential, crosses 2029
])
@pytest.mark.parametrize("slowdowns", [(2029.0, 2029.0, 0.5, 0.5), (2027.0, 2028.5, 0.4, 0.7),
                                       (2028.0, 2030.0, 0.5, 1.0)])
def test_dynamics_match_an_ode_solver(eli: Ai2027Params, h: float, t: float, cost: float,
                                      present: float, sc: float, growth: int,
                                      slowdowns: tuple[float, float, float, float]) -> None:
    compute, human, c_after, h_after = slowdowns
    p = dataclasses.replace(eli, compute_slowdown_year=compute, human_slowdown_year=human,
                            compute_rate_after=c_after, human_rate_after=h_after, horizon_year=2200.0)
    d = _draws(h, t, cost=cost, delay=1.5, present=present, sc=sc, growth=growth)
    assert superhuman_coder_dates(p, d)[0] == pytest.approx(_ode_date(p, d), abs=1e-6)  # 30 seconds


def test_no_progress_needed_and_past_the_horizon(eli: Ai2027Params) -> None:
    # Fewer than zero doublings with no cost-and-speed: their loop never runs; the date is the start.
    d = _draws(H0_MONTHS / 4, 5.0, delay=6.0, present=0.1, sc=5.0)
    assert superhuman_coder_dates(eli, d)[0] == 2025.25 - 0.5
    far = _draws(1e9, 9.0, cost=30.0, present=0.03, sc=1.5, growth=-1)
    assert superhuman_coder_dates(eli, far)[0] == np.inf


# Seven of their 5,000 draws (np.random.seed(0), get_distribution_samples for eli), their inputs and
# the date their calculate_sc_arrival_year gave: h_SC, T_t, cost_speed, announcement_delay,
# present_prog_multiplier, SC_prog_multiplier, growth (+1 super, 0 exponential, -1 sub), their date.
THEIR_DRAWS = [
    (4.718466932060493, 4.382809278931451, 24.946634846197366, 1.115175941221545,
     0.07823341447796281, 11.58043141111666, 0, 2028.146139709781),
    (412.3772537453551, 2.3981134079451976, 1.4504798938354124, 1.7821041558454775,
     0.06270699839858722, 5.810086275530675, 1, 2026.137010446017),
    (13.782197866407234, 2.462334633964557, 2.499657375594983, 1.130971894984577,
     0.0526729545803967, 5.894041548940025, -1, 2028.194003708169),
    (188.31547954478202, 17.055290813337347, 70.2774650190026, 1.2250384344651688,
     0.6769310561226932, 19.703649987754186, 0, 2038.5768752122697),
    (11173.787990197608, 6.344457558175838, 10.491653951540673, 2.0062187921499732,
     0.04153944256082621, 0.8364101891177221, 1, 2030.533634772721),
    (0.00020402734458808638, 3.2215612581331814, 3.7027668827740587, 1.15610560639411,
     0.02763178337559828, 20.12858694064147, -1, 2025.153657866134),
    (251738.34808701806, 11.640355672211454, 60.08537900278292, 0.16286503753000253,
     0.02795040047308906, 5.3234209264879215, 0, 2050.0),
]


def test_their_own_draws_give_their_dates(eli: Ai2027Params) -> None:
    cols = list(zip(*THEIR_DRAWS))
    d = Ai2027Draws(*(np.array(c) for c in cols[:6]), np.array(cols[6], dtype=np.int8))
    theirs = np.array(cols[7])
    ours = superhuman_coder_dates(eli, d)
    # Their script steps one day at a time (Euler, left rates, date = the first step past the target), so
    # it lags the exact solution by 0 to about 3.3 days on their 5,000 draws; never by more than 4 days.
    lag_days = (theirs[:6] - ours[:6]) * 365.25
    assert np.all((lag_days > -0.5) & (lag_days < 4.0)), lag_days
    assert ours[5] == theirs[5]  # no progress needed: the start, exactly
    assert ours[6] == np.inf  # their 2050 cap


# -- (c) the distribution against their script -------------------------------------------------------
# Their script (timelines/simple_forecasting_timelines.py, eli, n_sims 5000, np.random.seed(s) for
# s = 1..20, their get_distribution_samples + calculate_sc_arrival_year), pooled: 100,000 draws.
THEIRS_100K = {10: 2025.8337, 50: 2027.7048, 90: 2039.1989}
THEIRS_P2050 = 0.03479  # share of their 100,000 dates at their 2050 cap
# Standard deviation of the 10/50/90th percentiles of one 5,000-draw sample: 0.0167, 0.057, 0.36 over
# 300 seeds of ours; 0.0162, 0.058, 0.38 by bootstrap from their 100,000 pooled dates. We use the larger.
SD_5000 = {10: 0.0167, 50: 0.058, 90: 0.38}
# Their one-day Euler steps put their dates 0-3.3 days (under 0.01 year) after the exact ones.
BIAS = 0.01


def _tolerance(q: int, draws: int) -> float:
    """4 standard errors of (ours with `draws` - theirs with 100,000), plus their discretisation lag.
    A quantile's standard error scales as 1/sqrt(n), so SD_5000 * sqrt(5000/n) for each side."""
    return 4 * SD_5000[q] * math.sqrt(5000 / draws + 5000 / 100_000) + BIAS


@pytest.mark.parametrize("draws", [5000, 200_000])
def test_percentiles_match_their_script(eli: Ai2027Params, draws: int) -> None:
    dates = sample_superhuman_coder_dates(eli, draws=draws, rng=np.random.default_rng(2027))
    for q, expected in THEIRS_100K.items():
        # 5,000 draws: within 0.078 / 0.24 / 1.53 years; 200,000 draws: within 0.028 / 0.074 / 0.43.
        assert np.percentile(dates, q) == pytest.approx(expected, abs=_tolerance(q, draws)), q
    # Share past 2050: binomial standard error of the difference, 4 of them.
    se = math.sqrt(THEIRS_P2050 * (1 - THEIRS_P2050) * (1 / draws + 1 / 100_000))
    assert np.mean(np.isinf(dates)) == pytest.approx(THEIRS_P2050, abs=4 * se)


def test_deterministic_for_a_seed(eli: Ai2027Params) -> None:
    a = sample_superhuman_coder_dates(eli, draws=5000, rng=np.random.default_rng(7))
    b = sample_superhuman_coder_dates(eli, draws=5000, rng=np.random.default_rng(7))
    c = sample_superhuman_coder_dates(eli, draws=5000, rng=np.random.default_rng(8))
    assert a.shape == (5000,)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


# -- the parameter file and bad input ----------------------------------------------------------------
def _write(tmp_path: Path, old: str, new: str) -> Path:
    text = Path(__file__).parents[2].joinpath("src/autosafety/timeline/data/ai-2027-horizon.yaml").read_text()
    assert old in text
    path = tmp_path / "p.yaml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(("old", "new", "where", "what"), [
    ("    low: 2.5\n", "    low: 12\n", "doubling_time_months", "0 < low <= high"),
    ("    value: 4.743\n", "    value: 5\n", "doubling_time_months.value", "median"),
    ("  p_subexponential:\n    value: 0.10", "  p_subexponential:\n    value: 0.6", "p_subexponential",
     "exceeds 1"),
    ("  correlation:", "  correlaton:", "correlaton", "unknown parameter"),
    ("  human_slowdown_year:\n    value: 2029.0", "  human_slowdown_year:\n    value: 2028.0",
     "human_slowdown_year", "must not precede"),
    ("  horizon_year:\n    value: 2050.0", "  horizon_year:\n    value: fifty", "horizon_year.value",
     "number"),
])
def test_bad_files_are_located(tmp_path: Path, old: str, new: str, where: str, what: str) -> None:
    with pytest.raises(InputError) as err:
        load_ai2027_params(_write(tmp_path, old, new))
    assert any(where in p.location and what in p.message for p in err.value.problems), err.value.render()


def test_missing_parameter_malformed_yaml_and_bad_draws(tmp_path: Path, eli: Ai2027Params) -> None:
    with pytest.raises(InputError, match=r"parameters\.correlation: missing"):
        load_ai2027_params(_write(tmp_path, "  correlation:", "  correlation_unused:"))
    with pytest.raises(InputError, match="line"):
        load_ai2027_params(_write(tmp_path, "parameters:\n", "parameters: [\n"))
    with pytest.raises(InputError, match="no such file"):
        load_ai2027_params(tmp_path / "absent.yaml")
    for bad in (0, -5, 2.5, True):
        with pytest.raises(InputError, match="draws"):
            sample_superhuman_coder_dates(eli, draws=bad, rng=np.random.default_rng(0))  # type: ignore[arg-type]
