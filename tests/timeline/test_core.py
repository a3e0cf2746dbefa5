"""The timeline maths against closed forms and an independent root-finder on the time axis."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.special import expit

from autosafety.timeline._core import (
    doublings,
    floor_share,
    milestone_dates,
    rank_tasks,
    solve_ranked,
    solve_x,
    time_share,
    years_for_doublings,
)


def speedup_at(t, *, s, c, q, m, beta, a, T, g, start):
    """Speedup of one area at date t, written from the definitions (independent of _core)."""
    tau = t - start
    if g == 1:
        n = tau / T
    else:  # sum of a geometric series of doubling times: T (g^n - 1) / (g - 1) = tau
        arg = 1 + (g - 1) * tau / T
        # arg <= 0: past a superexponential singularity, or before a subexponential origin
        n = math.copysign(math.inf, tau) if arg <= 0 else math.log(arg) / math.log(g)
    total = 0.0
    for sk, ck, qk, mk in zip(s, c, q, m):
        p = expit(a + beta * (n - mk)) if math.isfinite(n) else float(n > 0)
        labour = min(1.0, qk / p) if p > 0 else 1.0
        total += sk * (ck + (1 - ck) * labour)
    return 1 / total


def test_one_task_exponential_closed_form():
    # one task of effective length L hours, horizon H0 hours at 50%: success p = sigmoid(beta (n - m))
    # with m = log2(L / H0); the milestone needs q / p = 1 / M, so p = q M and
    # n = m + logit(q M) / beta, date = t0 + lag + T n
    H0, L, T, beta, q, M, t0, lag = 1.0, 64.0, 0.58, 0.7, 0.05, 10.0, 2025.15, 0.5
    m = math.log2(L / H0)
    expected = t0 + lag + T * (m + math.log(q * M / (1 - q * M)) / beta)
    got = milestone_dates(1 / M, np.ones((1, 1)), np.zeros((1, 1)), np.full((1, 1), q),
                          np.full((1, 1), m), beta=np.array([beta]), a=0.0, T=np.array([T]),
                          g=np.array([1.0]), start=np.array([t0 + lag]))
    assert got[0] == pytest.approx(expected, abs=1e-9)
    # a task twice as long is reached exactly one doubling time later
    later = milestone_dates(1 / M, np.ones((1, 1)), np.zeros((1, 1)), np.full((1, 1), q),
                            np.full((1, 1), m + 1), beta=np.array([beta]), a=0.0, T=np.array([T]),
                            g=np.array([1.0]), start=np.array([t0 + lag]))
    assert later[0] - got[0] == pytest.approx(T, abs=1e-9)


def test_reliability_shifts_by_logit_over_slope():
    # anchoring at reliability rho adds logit(rho) to the success logit: the date moves by
    # -T logit(rho) / beta against the 50% anchor with the same horizon
    kw = dict(beta=np.array([0.8]), T=np.array([0.5]), g=np.array([1.0]), start=np.array([2025.0]))
    args = (0.1, np.ones((1, 1)), np.zeros((1, 1)), np.full((1, 1), 0.02), np.full((1, 1), 6.0))
    d50 = milestone_dates(*args, a=0.0, **kw)[0]
    d80 = milestone_dates(*args, a=math.log(4), **kw)[0]
    assert d50 - d80 == pytest.approx(0.5 * math.log(4) / 0.8, abs=1e-9)


@pytest.mark.parametrize("g", [0.85, 1.15])
def test_geometric_doublings_against_explicit_sum(g):
    T = 0.6
    for n in range(0, 12):
        explicit = sum(T * g ** i for i in range(n))
        assert years_for_doublings(n, T, g) == pytest.approx(explicit, rel=1e-12, abs=1e-12)
        assert doublings(explicit, T, g) == pytest.approx(n, abs=1e-9)


def test_superexponential_singularity():
    # each doubling 20% shorter: infinitely many doublings within T / (1 - g) years
    T, g = 0.5, 0.8
    assert years_for_doublings(np.inf, T, g) == pytest.approx(T / (1 - g))
    assert np.isinf(doublings(T / (1 - g) + 0.01, T, g))


def test_compute_fraction_caps_speedup():
    # c = 0.2 and free, instant, unreviewed AI: Amdahl caps the speedup at exactly 1 / 0.2 = 5x
    s, c, q = np.ones((1, 1)), np.full((1, 1), 0.2), np.full((1, 1), 1e-12)
    assert 1 / floor_share(s, c, q)[0] == pytest.approx(5.0, rel=1e-9)
    date = milestone_dates(0.1, s, c, q, np.full((1, 1), 3.0), beta=np.array([0.7]), a=0.0,
                           T=np.array([0.5]), g=np.array([1.0]), start=np.array([2025.0]))
    assert np.isinf(date[0])
    # a 4x milestone is reached
    date4 = milestone_dates(0.25, s, c, q, np.full((1, 1), 3.0), beta=np.array([0.7]), a=0.0,
                            T=np.array([0.5]), g=np.array([1.0]), start=np.array([2025.0]))
    assert np.isfinite(date4[0])


@settings(max_examples=60, deadline=None)
@given(k=st.integers(1, 6), seed=st.integers(0, 2**31 - 1), g=st.sampled_from([0.9, 1.0, 1.1]),
       milestone=st.floats(2.0, 20.0))
def test_dates_match_an_independent_root_finder(k, seed, g, milestone):
    rng = np.random.default_rng(seed)
    s = rng.dirichlet(np.ones(k))
    c = rng.uniform(0, 0.05, k)
    q = rng.uniform(0.005, 0.05, k)
    m = rng.uniform(-3, 12, k)
    beta, T, start = rng.uniform(0.4, 1.2), rng.uniform(0.3, 1.0), 2025.0
    kw = dict(s=s, c=c, q=q, m=m, beta=beta, a=0.0, T=T, g=g, start=start)
    got = milestone_dates(1 / milestone, s[None], c[None], q[None], m[None], beta=np.array([beta]),
                          a=0.0, T=np.array([T]), g=np.array([g]), start=np.array([start]))[0]
    cap = 1 / float(np.sum(s * (c + (1 - c) * q)))
    if cap < milestone:
        assert np.isinf(got)
        return
    lo, hi = start - 30, start + 200
    if g < 1:
        hi = min(hi, start + T / (1 - g) - 1e-9)
    else:
        lo = max(lo, start - T / (g - 1) + 1e-9) if g > 1 else lo
    f = lambda t: speedup_at(t, **kw) - milestone  # noqa: E731
    assert f(lo) < 0 < f(hi)
    root = brentq(f, lo, hi, xtol=1e-10, rtol=1e-14)
    assert got == pytest.approx(root, abs=1 / 365.25 / 24)   # better than an hour


@settings(max_examples=60, deadline=None)
@given(k=st.integers(2, 8), seed=st.integers(0, 2**31 - 1), task=st.integers(0, 7),
       step=st.floats(0.01, 5.0))
def test_automating_a_task_more_never_makes_an_area_slower(k, seed, task, step):
    rng = np.random.default_rng(seed)
    s = rng.dirichlet(np.ones(k))[None]
    c = rng.uniform(0, 0.05, (1, k))
    q = rng.uniform(0.005, 0.04, (1, k))
    m = rng.uniform(-2, 10, (1, k))
    kw = dict(beta=np.array([0.7]), a=0.0, T=np.array([0.55]), g=np.array([1.0]),
              start=np.array([2025.0]))
    before = milestone_dates(0.1, s, c, q, m, **kw)[0]
    easier = m.copy()
    easier[0, task % k] -= step            # one task gets shorter for AI
    cheaper = q.copy()
    cheaper[0, task % k] /= 2              # or cheaper to attempt and review
    assert milestone_dates(0.1, s, c, q, easier, **kw)[0] <= before + 1e-9
    assert milestone_dates(0.1, s, c, cheaper, m, **kw)[0] <= before + 1e-9


def test_solve_x_is_the_exact_crossing_of_the_time_share():
    rng = np.random.default_rng(3)
    s = rng.dirichlet(np.ones(9), size=(500, 4))
    c = rng.uniform(0, 0.04, (500, 4, 9))
    q = rng.uniform(0.01, 0.05, (500, 4, 9))
    E = np.exp(rng.uniform(-5, 15, (500, 4, 9)))
    x = solve_x(0.1, s, c, q, E)
    ok = ~np.isnan(x)
    assert ok.mean() > 0.5
    at = time_share(x[..., None], s, c, q, E)
    assert np.abs(at[ok] - 0.1).max() < 1e-12
    beyond = time_share((x * (1 + 1e-7))[..., None], s, c, q, E)
    assert (beyond[ok] > 0.1).all()
    # rows without a solution are exactly those whose floor is above the target
    assert np.array_equal(~ok, floor_share(s, c, q) > 0.1)


def _share_from_definitions(x, s, c, q, E):
    """F(x) = sum_k s_k (c_k + (1 - c_k) min(1, q_k + E_k x)), one row, plain Python."""
    return sum(sk * (ck + (1 - ck) * min(1.0, qk + ek * x)) for sk, ck, qk, ek in zip(s, c, q, E))


@settings(max_examples=200, deadline=None)
@given(k=st.integers(1, 7), seed=st.integers(0, 2**31 - 1), target=st.floats(0.02, 0.9),
       padded=st.integers(0, 2), tie=st.booleans())
def test_ranked_solve_is_the_largest_x_where_the_time_share_meets_the_target(k, seed, target, padded,
                                                                           tie):
    # rows whose tasks share one attempt cost q (the bridge): ranked once, solved per q, against
    # scipy's brentq on the time share written out from its definition
    rng = np.random.default_rng(seed)
    rows = 6
    s = rng.dirichlet(np.ones(k), size=rows)
    s = np.concatenate([s, np.zeros((rows, padded))], axis=1)        # padded tasks: no share
    c = rng.uniform(0, 0.3, s.shape)
    c[:, 0] = np.where(rng.uniform(size=rows) < 0.2, 1.0, c[:, 0])   # some wholly compute-bound
    G = np.exp(rng.uniform(-4, 12, s.shape))
    if tie and s.shape[1] > 1:
        G[:, 1] = G[:, 0]
    q = np.concatenate([rng.uniform(0.005, 0.6, rows - 1), [1.3]])   # the last: AI never helps
    x = solve_ranked(target, rank_tasks(s, c, G), q)
    for r in range(rows):
        qs = [q[r]] * s.shape[1]
        E = (G[r] * q[r]).tolist()
        floor = sum(sk * (ck + (1 - ck) * min(qk, 1.0)) for sk, ck, qk in zip(s[r], c[r], qs))
        if floor >= target * (1 - 1e-12):
            assert np.isnan(x[r]), (r, floor, target)
            continue
        f = lambda v: _share_from_definitions(v, s[r], c[r], qs, E) - target  # noqa: E731,B023
        hi = 1.0
        while f(hi) <= 0:
            hi *= 2
        root = brentq(f, 0.0, hi, xtol=1e-300, rtol=1e-13)
        assert x[r] == pytest.approx(root, rel=1e-9), (r, x[r], root)


def test_ranked_solve_agrees_with_the_newton_solve():
    rng = np.random.default_rng(5)
    s = rng.dirichlet(np.ones(6), size=(400, 3))
    c = rng.uniform(0, 0.04, s.shape)
    G = np.exp(rng.uniform(-5, 15, s.shape))
    q = np.exp(rng.uniform(math.log(0.005), math.log(1.2), s.shape[:-1]))
    ranked = rank_tasks(s, c, G)
    for target in (0.05, 0.1, 0.5):
        qb = np.broadcast_to(q[..., None], s.shape)
        newton = solve_x(target, s, c, qb, G * qb)
        ranked_x = solve_ranked(target, ranked, q)
        assert np.array_equal(np.isnan(newton), np.isnan(ranked_x))
        assert 0.05 < np.isnan(newton).mean() < 0.9
        ok = ~np.isnan(newton)
        assert np.allclose(ranked_x[ok], newton[ok], rtol=1e-9, atol=0)


def test_a_previous_task_order_is_used_only_where_it_still_sorts_the_tasks():
    rng = np.random.default_rng(11)
    s = rng.dirichlet(np.ones(7), size=(300, 4))
    c = rng.uniform(0, 0.1, s.shape)
    G = np.exp(rng.uniform(-5, 12, s.shape))
    fresh = rank_tasks(s, c, G)
    # the same order (G scaled: a new duration constant that moves every task alike) is reused
    scaled = rank_tasks(s, c, G * 3.0, last=fresh)
    assert np.array_equal(scaled.order, fresh.order)
    assert np.array_equal(scaled.h, rank_tasks(s, c, G * 3.0).h)
    # an order from other rows does not sort these: sorted anew, as if none were given
    other = rank_tasks(s, c, np.exp(rng.uniform(-5, 12, s.shape)))
    hinted = rank_tasks(s, c, G, last=other)
    for got, want in zip(hinted, fresh):
        assert np.array_equal(got, want)
    q = rng.uniform(0.005, 0.05, s.shape[:-1])
    assert np.array_equal(solve_ranked(0.1, hinted, q), solve_ranked(0.1, fresh, q), equal_nan=True)
    # the very same G with other compute fractions (a page moving a share): ranked as if anew
    c2 = rng.uniform(0, 0.1, s.shape)
    again = rank_tasks(s, c2, G, last=fresh)
    for got, want in zip(again, rank_tasks(s, c2, G)):
        assert np.array_equal(got, want)
