"""Global Sobol indices of a conclusion (a category gap or an area difference) with SALib.

Weights sum to 1, so they are not independent inputs. Each factor instead gets an independent
uniform input ``u_f``, mapped to ``G_f = Gamma(alpha_f).ppf(u_f)`` with ``alpha = c x (point weights
normalised)``; the weights are ``G / sum(G)``, which is exactly Dirichlet(alpha). The index of ``u_f``
is the share of variance due to the draw of factor f's un-normalised importance. Ratings get one
uniform input per (area, factor) cell mapped through the inverse CDF of that cell's rating
distribution; they are reported in groups (per factor or per area).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from .._defaults import SOBOL_N, WEIGHT_CONCENTRATION
from .._errors import InputError, Problem
from ..model import _core
from ._plan import Plan, build_plan

if TYPE_CHECKING:
    import pandas as pd

    from ..model import Model

Array = NDArray[np.float64]
EPS = 1e-12


def sobol_problem(model: Model, *, weights: bool = True,
                  ratings: Literal["none", "factor", "area"] = "none") -> dict[str, Any]:
    """The SALib problem: one [0, 1] input per positive weight and per rated cell, with groups."""
    names, groups = [], []
    if weights:
        for fid, w in zip(model.factor_ids, model.weights):
            if w > 0:
                names.append(f"weight:{fid}")
                groups.append(f"weight:{fid}")
    if ratings != "none":
        for a in model.area_ids:
            for f in model.factor_ids:
                names.append(f"rating:{a}:{f}")
                groups.append(f"ratings:{f}" if ratings == "factor" else f"ratings:{a}")
    if not names:
        raise InputError(Problem("sobol", "no inputs to vary", "vary the weights or the ratings"))
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names),
            "groups": groups}


def evaluate(model: Model, u: Array, *, weights: bool, ratings: str, concentration: float,
             rating_noise: bool | float, diffs: Array | None = None) -> Array:
    """Map (N, D) uniforms to weights and ratings and return the conclusion's value per row."""
    from scipy.special import gammaincinv, ndtr, ndtri

    u = np.clip(u, EPS, 1 - EPS)
    A, F = len(model.area_ids), len(model.factor_ids)
    col = 0
    w = np.broadcast_to(model.weights / model.weights.sum(), (len(u), F)).copy()
    if weights:
        pos = np.flatnonzero(model.weights > 0)
        alpha = concentration * w[0, pos]
        g = gammaincinv(alpha, u[:, :pos.size])
        w[:, pos] = g / g.sum(axis=1, keepdims=True)
        col = pos.size
    pooled = np.broadcast_to(model.pooled(), (len(u), A, F))
    if ratings != "none":
        plan = build_plan(model, rating_noise=rating_noise)
        c, sl, sh = _cell_noise(plan, A * F)
        f_lo, f_hi = ndtr((plan.lower - c) / sl), ndtr((plan.upper - c) / sh)
        q = f_lo + u[:, col:col + A * F] * (f_hi - f_lo)
        pooled = (c + np.where(q < 0.5, sl, sh) * ndtri(q)).reshape(len(u), A, F)
        pooled = np.clip(pooled, plan.lower, plan.upper)
    scores = _core.weighted_scores(pooled, w)
    if diffs is not None:  # the difference of two areas: diffs picks them
        return np.asarray(scores @ diffs, dtype=float)
    cats = _core.category_means(scores, model.category_index, len(model.categories))
    return np.asarray(cats[:, 1] - cats[:, 0], dtype=float)


def _cell_noise(plan: Plan, cells: int) -> tuple[Array, Array, Array]:
    """Per cell: pooled centre and half-sds (sqrt of the sum of weight^2 x sd^2 over raters)."""
    w2 = plan.rater_weight ** 2
    sl = np.sqrt(np.add.reduceat(w2 * plan.sd_low ** 2, plan.cell_starts))
    sh = np.sqrt(np.add.reduceat(w2 * plan.sd_high ** 2, plan.cell_starts))
    return plan.point_pooled, np.maximum(sl, EPS), np.maximum(sh, EPS)


def sobol(model: Model, *, n: int = SOBOL_N, seed: int = 0, weights: bool = True,
          ratings: Literal["none", "factor", "area"] = "none",
          weight_concentration: float = WEIGHT_CONCENTRATION,
          rating_noise: bool | float = True, areas: tuple[str, str] | None = None,
          num_resamples: int = 100) -> SobolResult:
    """First-order and total Sobol indices of the category gap (or of the score difference of two
    ``areas``) with respect to the weights and/or groups of ratings. ``n`` must be a power of 2."""
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    if n < 2 or n & (n - 1):
        raise InputError(Problem("sobol N", f"must be a power of 2, got {n}", "e.g. 1024 or 4096"))
    if not weight_concentration > 0:
        raise InputError(Problem("weight concentration", "must be > 0", "e.g. 20"))
    diffs = None
    if areas is not None:
        bad = [a for a in areas if a not in model.area_ids]
        if bad:
            raise InputError(Problem(f"area {bad[0]}", "unknown area",
                                     f"use one of: {', '.join(model.area_ids)}"))
        diffs = np.zeros(len(model.area_ids))
        diffs[model.area_ids.index(areas[0])], diffs[model.area_ids.index(areas[1])] = 1.0, -1.0
    elif len(model.categories) < 2:
        raise InputError(Problem("sobol", "the model has one category: no gap to analyse",
                                 "name two areas to compare instead"))
    problem = sobol_problem(model, weights=weights, ratings=ratings)
    x = sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = evaluate(model, x, weights=weights, ratings=ratings, concentration=weight_concentration,
                 rating_noise=rating_noise, diffs=diffs)
    # a Generator, not the int: SALib's analyze takes seed 0 for "no seed" (global numpy state)
    si = analyze.analyze(problem, y, calc_second_order=False, num_resamples=num_resamples,
                         seed=np.random.default_rng(seed))
    names = list(dict.fromkeys(problem["groups"]))
    target = (f"{areas[0]} - {areas[1]}" if areas else
              f"{model.categories[1]} - {model.categories[0]}")
    return SobolResult(model, seed, n, target, names, np.asarray(si["S1"]), np.asarray(si["S1_conf"]),
                       np.asarray(si["ST"]), np.asarray(si["ST_conf"]), float(np.var(y)),
                       {"weights": weights, "ratings": ratings,
                        "weight_concentration": weight_concentration, "rating_noise": rating_noise})


@dataclass(frozen=True, eq=False)
class SobolResult:
    """Sobol indices with the model, seed and settings that produced them."""

    model: Model
    seed: int
    n: int
    target: str
    names: list[str]
    s1: Array
    s1_conf: Array
    st: Array
    st_conf: Array
    variance: float
    settings: dict[str, Any]

    def to_frame(self) -> pd.DataFrame:
        """One row per input group, largest total index first."""
        import pandas as pd

        return pd.DataFrame({"S1": self.s1, "S1_conf": self.s1_conf, "ST": self.st,
                             "ST_conf": self.st_conf},
                            index=pd.Index(self.names, name="input")).sort_values("ST", ascending=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        rows = self.to_frame().reset_index().to_dict(orient="records")
        return {"model": self.model.id, "seed": self.seed, "n": self.n, "target": self.target,
                "variance": self.variance, "settings": self.settings, "indices": rows}
