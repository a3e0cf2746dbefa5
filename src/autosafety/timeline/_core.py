"""The timeline maths, pure and vectorised: horizon growth, task success, Amdahl speedup and the
exact date at which an area's speedup reaches a milestone.

Notation, per draw and area with tasks k:

- ``n(tau)``: doublings of the time horizon ``tau`` years after the reference date; each doubling
  takes ``g`` times as long as the one before (``g = 1`` exponential, ``< 1`` superexponential,
  ``> 1`` subexponential), the first ``T`` years.
- success ``p_k = sigmoid(a + beta * (n - m_k))``: METR's logistic form, ``m_k`` the task's effective
  duration in doublings above the reference horizon at reliability ``rho``, ``a = logit(rho)``.
- labour time of a task, as a share of doing it by hand: ``u_k = min(1, q_k / p_k)`` with
  ``q_k = 1 / ai_speed + review_k``: attempts are retried until one succeeds, each costing AI time
  and a human review, unless doing it by hand is quicker.
- area time share ``F = sum_k s_k * (c_k + (1 - c_k) * u_k)`` (Amdahl: the compute-bound part ``c_k``
  is not accelerated); speedup ``S = 1 / F``.

Writing ``x = exp(-beta * n)``, ``q_k / p_k = q_k + E_k x`` with ``E_k = q_k exp(beta m_k - a)``, so F
is piecewise linear and increasing in x: the milestone date has a closed form once the breakpoints
``(1 - q_k) / E_k`` are sorted. No stepping through time and no iteration.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
PROBE = 512
"""Rows of a kept task order checked first: most new orders fail there, before the whole gather."""
MAX_EXPONENT = 700.0
"""Exponents are clipped here so that exp() stays finite."""


def doublings(tau: Array | float, T: Array | float, g: Array | float) -> Array:
    """Doublings of the horizon ``tau`` years after the reference date (inf past a singularity)."""
    tau, T, g = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (tau, T, g)))
    with np.errstate(divide="ignore", invalid="ignore"):
        arg = (g - 1) * tau / T
        geometric = np.log1p(np.maximum(arg, -1.0)) / np.log(np.where(g == 1, 2.0, g))
        # arg <= -1: superexponential growth has passed its singularity (or, going back in time,
        # subexponential growth has no horizon left)
        geometric = np.where(arg <= -1, np.where(tau > 0, np.inf, -np.inf), geometric)
    return np.where(g == 1, tau / T, geometric)


def years_for_doublings(n: Array | float, T: Array | float, g: Array | float) -> Array:
    """Years after the reference date at which the horizon has doubled ``n`` times (inverse of
    :func:`doublings`): ``T n`` for exponential growth, ``T (g^n - 1) / (g - 1)`` otherwise."""
    n, T, g = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (n, T, g)))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        exponent = np.minimum(n * np.log(np.where(g == 1, 2.0, g)), MAX_EXPONENT)
        geometric = T * np.expm1(exponent) / (g - 1)
    return np.where(g == 1, T * n, geometric)


def coefficients(m: Array, q: Array | float, beta: Array, a: float) -> Array:
    """``E_k = q_k exp(beta m_k - a)`` (see the module docstring); ``beta`` broadcasts over tasks."""
    e = np.multiply(beta, m)
    e -= a
    np.clip(e, -MAX_EXPONENT, MAX_EXPONENT, out=e)
    np.exp(e, out=e)
    if not (isinstance(q, float) and q == 1.0):       # G = E / q: no pass for q = 1
        e *= q
    return e


def time_share(x: Array, s: Array, c: Array, q: Array, E: Array) -> Array:
    """Area time share F at ``x = exp(-beta n)`` (x broadcast over the last axis, tasks)."""
    with np.errstate(invalid="ignore", over="ignore"):
        u = np.minimum(1.0, q + E * x)
    u = np.where(np.isnan(u), 1.0, u)  # inf * 0: the horizon is still 0
    return (s * (c + (1 - c) * u)).sum(axis=-1)


def floor_share(s: Array, c: Array, q: Array) -> Array:
    """The smallest time share the area can reach (every task succeeding at once): 1 / its cap."""
    return (s * (c + (1 - c) * np.minimum(q, 1.0))).sum(axis=-1)


def solve_x(target: float | Array, s: Array, c: Array, q: Array, E: Array) -> Array:
    """The largest ``x`` with area time share ``F(x) <= target``: the moment the speedup reaches
    ``1 / target``. Rows (draws, areas) on the first axes, tasks on the last. NaN where the cap is
    below the milestone (F never gets that low).

    F is increasing, concave and piecewise linear in x (each task's term is ``min(1, q + E x)``), so
    Newton's method from x = 0 climbs monotonically to the root and lands on it exactly once the set
    of tasks worth giving to AI stops changing: at most one step per task, and in floating point.
    """
    rows, k = s.shape[:-1], s.shape[-1]

    def tasks_first(v: Array) -> Array:   # (rows..., K) -> (K, R); free for task-major memory
        return np.moveaxis(np.broadcast_to(v, s.shape), -1, 0).reshape(k, -1)

    s2, c2, E2 = tasks_first(s), tasks_first(c), tasks_first(E)
    w = np.subtract(1.0, c2)
    w *= s2
    free = np.minimum(tasks_first(q), 1.0)
    np.subtract(1.0, free, out=free)                  # share of the task AI can save, at best
    with np.errstate(divide="ignore", invalid="ignore"):
        bp = free / E2                                # AI does task k while x < bp_k (NaN: never)
    a_k = free
    a_k *= w
    b_k = np.multiply(w, E2)
    const = np.einsum("kr,kr->r", s2, c2) + w.sum(axis=0) - np.broadcast_to(target, rows).ravel()
    x = _newton_step(a_k.sum(axis=0), b_k.sum(axis=0), const, np.zeros(const.shape))
    todo = np.arange(x.size)                          # rows whose active set may still change
    for _ in range(k):
        active = bp > np.maximum(x[todo], 0.0)
        new = _newton_step(np.add.reduce(a_k, axis=0, where=active),
                           np.add.reduce(b_k, axis=0, where=active), const, x[todo])
        moved = ~((new == x[todo]) | (np.isnan(new) & np.isnan(x[todo])))
        x[todo] = new
        if not moved.any():
            break
        todo, a_k, b_k, bp, const = todo[moved], a_k[:, moved], b_k[:, moved], bp[:, moved], const[moved]
    return np.where(x >= 0, x, np.nan).reshape(rows)


class Ranked(NamedTuple):
    """Rows whose tasks share one attempt cost q (the bridge's areas), tasks ordered by
    ``G_k = E_k / q``: AI takes the tasks over in that order as x falls, whatever q is, so this
    part of the solve is kept while a page moves only q (the AI speed or the review overhead).
    Arrays are (K, R); entry j is about the j + 1 tasks of smallest G."""

    h: Array
    """``W_(j-1) - GW_(j-1) / G_(j)``: F at task j's breakpoint is ``total - (1 - q) h_j``."""
    w: Array
    """Cumulative ``w_k = s_k (1 - c_k)``."""
    gw: Array
    """Cumulative ``w_k G_k``."""
    total: Array
    """(R,) sum of the shares (1 up to rounding)."""
    order: NDArray[np.intp]
    """(K, R) flat positions of the tasks in G order (to try first on the same rows next time)."""
    g: Array
    """(K, R) G in that order."""
    source: Array
    """The G it was ranked from (a later ranking of the very same G needs no sorting check)."""


def rank_tasks(s: Array, c: Array, G: Array, last: Ranked | None = None) -> Ranked:
    """The q-free part of :func:`solve_ranked` for rows (draws, areas) x tasks, ``G = E / q``.

    ``last``: a previous ranking of rows of the same shape. Its order is used if it still sorts
    these G (a page moving a duration constant rarely reorders a row's tasks; moving a share does
    not change G at all), else the tasks are sorted anew."""
    k = s.shape[-1]

    def tasks_first(v: Array) -> Array:
        return np.moveaxis(np.broadcast_to(v, s.shape), -1, 0).reshape(k, -1)

    by_task, s2 = tasks_first(G), tasks_first(s)
    rows = by_task.shape[1]
    flat_g = by_task.ravel()
    g, order = by_task, None
    if last is not None and last.source is G:
        g, order = last.g, last.order
    elif (last is not None and last.order.shape == by_task.shape
          and _still_sorts(flat_g, last.order[:, :PROBE])):
        g, order = np.take(flat_g, last.order), last.order
        if not (g[1:] >= g[:-1]).all():
            order = None
    if order is None:
        order = np.argsort(by_task, axis=0)
        order *= rows                                   # flat positions: np.take is the fast gather
        order += np.arange(rows)
        g = np.take(flat_g, order)
    w = np.subtract(1.0, tasks_first(c))
    w *= s2
    w = np.take(w.ravel(), order)
    gw = np.multiply(w, g)
    sorted_g = g
    h = np.empty_like(w)
    h[0] = 0.0
    for j in range(1, k):                              # cumulative sums, one slab at a time
        with np.errstate(over="ignore", invalid="ignore"):
            np.divide(gw[j - 1], g[j], out=h[j])
        np.subtract(w[j - 1], h[j], out=h[j])
        w[j] += w[j - 1]
        gw[j] += gw[j - 1]
    return Ranked(h, w, gw, s2.sum(axis=0), order, sorted_g, G)


def _still_sorts(flat_g: Array, order: NDArray[np.intp]) -> bool:
    """Whether an order of flat positions sorts G along its first axis."""
    g = np.take(flat_g, order)
    return bool((g[1:] >= g[:-1]).all())


def solve_ranked(target: float, ranked: Ranked, q: Array) -> Array:
    """:func:`solve_x` for rows with one attempt cost ``q`` (rows' shape) across their tasks.

    With ``r = (1 - q) / q`` task k is given to AI while ``G_k x < r``, so the tasks AI does at the
    root are the j* of smallest G, j* = #{j: F(breakpoint_j) > target} = #{j: h_j < (total -
    target) / (1 - q)}; on that segment F is the line ``total - (1 - q) W_j* + q x GW_j*``.
    """
    rows = q.shape
    q = q.reshape(-1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        free = 1.0 - q
        bound = (ranked.total - target) / free
        j = np.count_nonzero(ranked.h < bound, axis=0) - 1
        pick = j[None]
        w = np.take_along_axis(ranked.w, pick, axis=0)[0]
        gw = np.take_along_axis(ranked.gw, pick, axis=0)[0]
        x = (target - ranked.total + free * w) / (q * gw)
    x = np.where((free > 0) & (j >= 0) & (x >= 0), x, np.nan)
    return x.reshape(rows)


def common_q(q: Array) -> Array | None:
    """The rows' attempt cost if it is the same for every task of each row (else None)."""
    first = q[..., 0]
    if q.strides[-1] == 0 or bool((q == first[..., None]).all()):
        return np.ascontiguousarray(first)
    return None


def _newton_step(sa: Array, sb: Array, const: Array, x: Array) -> Array:
    """The root of the line through the active tasks' segment; a start already past it stays."""
    with np.errstate(divide="ignore", invalid="ignore"):
        new = np.where(sb > 0, (sa - const) / sb, np.where(sa >= const, np.inf, -1.0))
    return np.where(np.isposinf(x), x, new)    # reached from the start: nothing left to move


def dates_from_x(x: Array, *, beta: Array, T: Array, g: Array, start: Array) -> Array:
    """Decimal-year dates from :func:`solve_x`'s x (inf where x is NaN: never)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        n = -np.log(x) / beta
    return np.where(np.isnan(x), np.inf, start + years_for_doublings(n, T, g))


def milestone_dates(target: float, s: Array, c: Array, q: Array, m: Array, *, beta: Array, a: float,
                    T: Array, g: Array, start: Array) -> Array:
    """Decimal-year date at which each row's speedup first reaches ``1 / target``; inf if never.

    ``s, c, q, m``: (rows..., tasks); ``beta, T, g, start`` broadcast against the rows, ``start``
    being the reference date plus the area's adoption lag. Dates before ``start`` come out as they
    are (the milestone was already reached by then).
    """
    x = solve_x(target, s, c, q, coefficients(m, q, np.asarray(beta)[..., None], a))
    return dates_from_x(x, beta=beta, T=T, g=g, start=start)
