"""The smallest change of the whole weight vector, on the simplex, that flips a conclusion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from .._errors import InputError, Problem
from ..model import _core

if TYPE_CHECKING:
    from ..model import Model

Array = NDArray[np.float64]
Distance = Literal["l2", "l1"]


@dataclass(frozen=True, eq=False)
class WeightChange:
    """The nearest weights (on the simplex) at which 'higher > lower' stops holding."""

    model: Model
    conclusion: str
    distance: str
    possible: bool
    """False if no weights at all flip the conclusion."""
    size: float
    """Euclidean (l2) or total absolute (l1) change of the normalised weights."""
    weights: Array
    """(F,) the new weights, scaled to the model's total weight."""
    shares: Array
    """(F,) the new weights normalised to sum to 1."""
    start: Array
    """(F,) the weights it started from (the model's or those given), normalised."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        ids = self.model.factor_ids
        return {"model": self.model.id, "conclusion": self.conclusion, "distance": self.distance,
                "possible": self.possible, "size": self.size if self.possible else None,
                "weights": dict(zip(ids, map(float, self.weights))) if self.possible else None,
                "share_change": dict(zip(ids, map(float, self.shares - self.start)))
                if self.possible else None}


def conclusion_diffs(model: Model, kind: str, higher: str, lower: str,
                     pooled: Array | None = None) -> Array:
    """(F,) per-factor rating difference whose weighted mean is 'higher - lower'."""
    r = model.pooled() if pooled is None else pooled
    if kind == "category":
        cats = _core.category_means(r.T, model.category_index, len(model.categories))  # (F, C)
        return cats[:, model.categories.index(higher)] - cats[:, model.categories.index(lower)]
    return r[model.area_ids.index(higher)] - r[model.area_ids.index(lower)]


def smallest_change(model: Model, *, kind: Literal["category", "areas"], higher: str, lower: str,
                    distance: Distance = "l2", weights: Array | None = None) -> WeightChange:
    """Nearest normalised weights where 'higher' no longer scores above 'lower' (they tie; any
    further step flips the order). ``higher`` must lead at the current weights."""
    names = model.categories if kind == "category" else model.area_ids
    bad = [x for x in (higher, lower) if x not in names]
    if bad:
        raise InputError(Problem(f"{kind} {bad[0]}", "unknown name", f"use one of: {', '.join(names)}"))
    g = conclusion_diffs(model, kind, higher, lower)
    w = model.weights if weights is None else np.asarray(weights, float)
    w0 = w / w.sum()
    if g @ w0 <= 0:
        raise InputError(Problem("conclusion", f"{higher} does not score above {lower} now",
                                 f"ask about '{lower} > {higher}' instead"))
    label = f"{higher} > {lower}"
    if g.min() > 0:  # every factor favours 'higher': no weights flip it
        return WeightChange(model, label, distance, False, float("inf"), w, w0, w0)
    v = _l1(g, w0) if distance == "l1" else _l2(g, w0)
    size = float(np.abs(v - w0).sum() if distance == "l1" else np.linalg.norm(v - w0))
    return WeightChange(model, label, distance, True, size, v * w.sum(), v, w0)


def _l2(g: Array, w0: Array) -> Array:
    from scipy.optimize import minimize

    cons = [{"type": "eq", "fun": lambda v: v.sum() - 1.0, "jac": lambda v: np.ones_like(v)},
            {"type": "ineq", "fun": lambda v: -(g @ v), "jac": lambda v: -g}]
    start = np.where(g <= 0, 1.0, 0.0)
    start /= start.sum()
    res = minimize(lambda v: float(np.sum((v - w0) ** 2)), 0.5 * (w0 + start),
                   jac=lambda v: 2 * (v - w0), bounds=[(0.0, 1.0)] * len(w0),
                   constraints=cons, method="SLSQP", options={"ftol": 1e-14, "maxiter": 500})
    v = np.clip(res.x, 0, None)
    return np.asarray(v / v.sum(), dtype=float)


def _l1(g: Array, w0: Array) -> Array:
    from scipy.optimize import linprog

    F = len(w0)
    eye = np.eye(F)
    # variables [v, p, q]: v - w0 = p - q, minimise sum(p + q)
    c = np.r_[np.zeros(F), np.ones(2 * F)]
    a_eq = np.block([[eye, -eye, eye], [np.ones((1, F)), np.zeros((1, 2 * F))]])
    b_eq = np.r_[w0, 1.0]
    res = linprog(c, A_ub=np.r_[g, np.zeros(2 * F)][None], b_ub=[0.0], A_eq=a_eq, b_eq=b_eq,
                  bounds=[(0, None)] * (3 * F), method="highs")
    return np.asarray(res.x[:F], dtype=float)
