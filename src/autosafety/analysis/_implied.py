"""Implied weights: weights that reproduce a stated ranking, or the orders that cannot all hold.

Each stated order 'a above b' is a constraint ``d_ab . w > 0`` with ``d_ab`` the rating difference
per factor and ``w`` on the simplex. A linear programme maximises the smallest margin. If no
positive margin exists, Ville's theorem says some non-negative mix of the ``d_ab`` is <= 0 in every
factor; a deletion filter shrinks the stated orders to an irreducible conflicting set (single
orders and pairs of orders are checked exhaustively first, so a conflict of size 1 or 2 is always
found), and a mixed-integer programme finds the weights that satisfy the most orders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .._errors import InputError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from ..model import Model

Array = NDArray[np.float64]
TOL = 1e-9


def max_margin(d: Array) -> tuple[float, Array]:
    """Largest m with ``d @ w >= m`` for all rows, w on the simplex; returns (m, w)."""
    from scipy.optimize import linprog

    P, F = d.shape
    c = np.r_[np.zeros(F), -1.0]  # maximise m
    a_ub = np.c_[-d, np.ones(P)]  # m - d.w <= 0
    a_eq = np.r_[np.ones(F), 0.0][None]
    res = linprog(c, A_ub=a_ub, b_ub=np.zeros(P), A_eq=a_eq, b_eq=[1.0],
                  bounds=[(0, None)] * F + [(None, None)], method="highs")
    return float(-res.fun), np.asarray(res.x[:F], dtype=float) + 0.0


def _conflicting_pair(d: Array) -> tuple[int, int] | None:
    """Two rows no simplex weights can both make positive: theta d_p + (1-theta) d_q <= 0."""
    P = len(d)
    p, q = np.triu_indices(P, 1)
    a, b = d[p] - d[q], -d[q]  # need theta * a <= b for every factor
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = b / a
    hi = np.minimum(1.0, np.where(a > 0, ratio, np.inf).min(axis=1))
    lo = np.maximum(0.0, np.where(a < 0, ratio, -np.inf).max(axis=1))
    flat_ok = np.where(a == 0, b >= -TOL, True).all(axis=1)
    hit = np.flatnonzero((lo <= hi + TOL) & flat_ok)
    return (int(p[hit[0]]), int(q[hit[0]])) if hit.size else None


def conflicting_set(d: Array) -> list[int]:
    """Indices of an irreducible set of rows that cannot all be positive (empty if none)."""
    if max_margin(d)[0] > TOL:
        return []
    single = np.flatnonzero(d.max(axis=1) <= TOL)
    if single.size:
        return [int(single[0])]
    pair = _conflicting_pair(d)
    if pair is not None:
        return list(pair)
    # Deletion filter. Invariant: the rows in `keep` conflict (no positive margin). Try dropping
    # each row once; if the rest still conflict the row was not needed, so drop it. What remains
    # conflicts, and dropping any one row resolves it: an irreducible set (not always the smallest).
    keep = list(range(len(d)))
    for i in range(len(d)):
        trial = [k for k in keep if k != i]
        if trial and max_margin(d[trial])[0] <= TOL:
            keep = trial
    return keep


def most_satisfied(d: Array, *, eps: float) -> tuple[Array, NDArray[np.bool_]]:
    """Simplex weights satisfying the most rows with margin ``eps`` (mixed-integer programme)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    P, F = d.shape
    big = eps + np.abs(d).max() + 1.0
    c = np.r_[np.zeros(F), -np.ones(P)]
    cons = [LinearConstraint(np.c_[d, -big * np.eye(P)], eps - big, np.inf),
            LinearConstraint(np.r_[np.ones(F), np.zeros(P)][None], 1.0, 1.0)]
    problem = {"c": c, "constraints": cons, "integrality": np.r_[np.zeros(F), np.ones(P)],
               "bounds": Bounds(np.zeros(F + P), np.r_[np.full(F, np.inf), np.ones(P)])}
    res = milp(**problem)
    if res.x is None:
        # the programme is always feasible (no row satisfied, any simplex w), but HiGHS's presolve
        # can call it infeasible when rows differ by ~1e-9: solve it again without presolve, and
        # keep the max-margin weights should that fail too
        res = milp(**problem, options={"presolve": False})
    w = np.asarray(res.x[:F] if res.x is not None else max_margin(d)[1], dtype=float)
    return w, d @ w > 0


def implied_weights(model: Model, *, order: Sequence[str] | None = None) -> ImpliedWeights:
    """Weights reproducing ``order`` (areas, most amenable first; default: the model's stated
    ranking) with the largest margin, or why none exist."""
    if order is None:
        if model.spec.stated_ranking is None:
            raise InputError(Problem("ranking", f"model '{model.id}' states no ranking",
                                     "give the order of areas, most amenable first"))
        order = model.spec.stated_ranking.order
    order = list(order)
    problems = [Problem(f"ranking {a}", "unknown area", f"use: {', '.join(model.area_ids)}")
                for a in order if a not in model.area_ids]
    if len(set(order)) != len(order):
        problems.append(Problem("ranking", "an area appears twice", "name each area once"))
    if len(order) < 2:
        problems.append(Problem("ranking", "needs at least two areas", "name two or more areas"))
    if problems:
        raise InputError(problems, title="invalid ranking")
    r = model.pooled()
    idx = [model.area_ids.index(a) for a in order]
    i, j = np.triu_indices(len(idx), 1)
    pairs = [(order[x], order[y]) for x, y in zip(i, j)]
    d = r[np.array(idx)[i]] - r[np.array(idx)[j]]
    margin, w = max_margin(d)
    feasible = margin > TOL
    conflict: list[tuple[str, str]] = []
    best, satisfied = w, d @ w > TOL
    if not feasible:
        conflict = [pairs[k] for k in conflicting_set(d)]
        span = model.spec.scale.max - model.spec.scale.min
        best, satisfied = most_satisfied(d, eps=1e-6 * span)
    return ImpliedWeights(model, order, feasible, margin, w, conflict, best,
                          [p for p, ok in zip(pairs, satisfied) if ok], pairs)


@dataclass(frozen=True, eq=False)
class ImpliedWeights:
    """Outcome of :func:`implied_weights`, with the model and the ranking it was asked about."""

    model: Model
    order: list[str]
    feasible: bool
    """True if some weights reproduce every stated order strictly."""
    margin: float
    """Largest achievable smallest score difference between consecutive stated areas."""
    weights: Array
    """(F,) normalised weights with that margin (when feasible)."""
    conflict: list[tuple[str, str]]
    """An irreducible set of stated orders 'a above b' that no weights satisfy together."""
    best_weights: Array
    """(F,) normalised weights satisfying the most stated orders."""
    satisfied: list[tuple[str, str]]
    pairs: list[tuple[str, str]]

    def to_frame(self) -> pd.DataFrame:
        """Weights per factor: the model's (normalised), the implied, the best compromise."""
        import pandas as pd

        m = self.model
        return pd.DataFrame({"model": m.weights / m.weights.sum(),
                             "implied": self.weights if self.feasible else np.nan,
                             "best": self.best_weights}, index=pd.Index(m.factor_ids, name="factor"))

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        ids = self.model.factor_ids
        return {"model": self.model.id, "order": self.order, "feasible": self.feasible,
                "margin": self.margin,
                "weights": dict(zip(ids, map(float, self.weights))) if self.feasible else None,
                "conflict": [list(p) for p in self.conflict],
                "best_weights": dict(zip(ids, map(float, self.best_weights))),
                "satisfied": len(self.satisfied), "stated": len(self.pairs),
                "unsatisfied": [list(p) for p in self.pairs if p not in self.satisfied]}
