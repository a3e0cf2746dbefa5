"""The rating analogue of ``smallest_change``: the smallest change of the safety areas' ratings
(L1 or L2, in points of the model's scale) that makes safety's average reach capabilities'.

Raising the rating of safety area ``a`` on factor ``f`` by ``d`` raises the safety average by
``g_f d`` with ``g_f = w_f / sum(w) / n_safety``; each rating can rise only up to the top of its
scale. L1: fill the cells of the largest ``g_f`` first (exact: a fractional knapsack). L2:
``d = min(lambda g_f, room)`` with ``lambda`` solved exactly on its piecewise-linear path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from .._errors import InputError, Problem
from ._effects import categories_of, category_averages, to_raw

if TYPE_CHECKING:
    from ..model import Model

Array = NDArray[np.float64]
Distance = Literal["l1", "l2"]


def _setup(model: Model) -> tuple[list[int], Array, Array, float]:
    s, c = categories_of(model)
    if c is None:
        raise InputError(Problem(model.id, "the model has one category: there is no gap to close",
                                 "use a model with safety and capabilities areas"))
    cats = model.categories
    avg = category_averages(model, model.pooled(), model.weights)
    gap = float(avg[cats.index(c)] - avg[cats.index(s)])
    members = model.category_members[cats.index(s)]
    w = model.weights / model.weights.sum()
    g = np.broadcast_to(w / len(members), (len(members), len(w))).copy()     # (S, F)
    room = model.spec.scale.max - model.pooled()[members]                    # (S, F)
    return members, g, np.maximum(room, 0.0), gap


def l1_change(g: Array, room: Array, need: float) -> Array | None:
    """Cells raised, largest gain per point first, until ``sum(g * d) = need``; None if impossible."""
    d = np.zeros_like(g)
    flat = np.argsort(-g, axis=None, kind="stable")
    left = need
    for k in flat.tolist():
        i, j = divmod(k, g.shape[1])
        if left <= 0 or g[i, j] <= 0:
            break
        d[i, j] = min(room[i, j], left / g[i, j])
        left -= g[i, j] * d[i, j]
    return d if left <= need * 1e-12 else None


def l2_change(g: Array, room: Array, need: float) -> Array | None:
    """``d = min(lambda g, room)`` with ``sum(g d) = need`` (the L2 projection onto the box and the
    half-space), lambda found exactly between consecutive breakpoints ``room / g``."""
    live = g > 0
    if (g * room)[live].sum() < need * (1 - 1e-12):
        return None
    gl, rl = g[live], room[live]
    brk = np.sort(rl / gl)
    for lam_hi in [*brk.tolist(), np.inf]:
        # cells with room / g < lam_hi are full; the rest move as lambda g
        full = rl / gl < lam_hi
        fixed = (gl * rl)[full].sum()
        slope = (gl ** 2)[~full].sum()
        lam = (need - fixed) / slope if slope > 0 else np.inf
        if lam <= lam_hi:
            out = np.zeros_like(g)
            out[live] = np.minimum(lam * gl, rl)
            return out
    return None


@dataclass(frozen=True, eq=False)
class RatingChange:
    """The smallest change of safety ratings that closes the gap; keeps the model."""

    model: Model
    distance: str
    possible: bool
    gap: float
    size: float
    change: Array
    """(A, F) change of the pooled ratings (model scale; zero outside the safety areas)."""

    def cells(self) -> list[dict[str, Any]]:
        """Every changed cell, largest first, with its raw old and new rating."""
        m = self.model
        out = []
        for i, j in zip(*np.nonzero(self.change > 1e-9)):
            old = m.pooled()[i, j]
            out.append({"area": m.area_ids[i], "area_name": m.areas[i].name or m.area_ids[i],
                        "factor": m.factor_ids[j], "factor_name": m.spec.factors[j].name or m.factor_ids[j],
                        "change": float(self.change[i, j]), "from": to_raw(m, j, old),
                        "to": to_raw(m, j, old + self.change[i, j])})
        return sorted(out, key=lambda r: -r["change"])

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"model": self.model.id, "distance": self.distance, "possible": self.possible,
                "gap": self.gap, "size": self.size if self.possible else None,
                "cells": self.cells(), "per_factor": per_factor(self.model)}


def smallest_rating_change(model: Model, *, distance: Distance = "l2") -> RatingChange:
    """The smallest L1 or L2 change of the safety areas' ratings (each within its scale) that
    makes the safety average reach the capabilities average."""
    if distance not in ("l1", "l2"):
        raise InputError(Problem("--distance", f"unknown distance '{distance}'", "use l1 or l2"))
    members, g, room, gap = _setup(model)
    full = np.zeros((len(model.area_ids), len(model.factor_ids)))
    if gap <= 0:
        return RatingChange(model, distance, True, gap, 0.0, full)
    d = (l1_change if distance == "l1" else l2_change)(g, room, gap)
    if d is None:
        return RatingChange(model, distance, False, gap, float("inf"), full)
    full[members] = d
    size = float(np.abs(d).sum() if distance == "l1" else np.sqrt((d ** 2).sum()))
    return RatingChange(model, distance, True, gap, size, full)


def per_factor(model: Model) -> list[dict[str, Any]]:
    """Per factor: the rise of one safety area's rating alone that closes the gap (possible or not
    within the scale), and the rise of every safety area's rating that would."""
    members, g, room, gap = _setup(model)
    out = []
    n = len(members)
    for j, fid in enumerate(model.factor_ids):
        f = model.spec.factors[j].name or fid
        gj = g[0, j]
        alone = gap / gj if gj > 0 else float("inf")
        all_areas = alone / n
        cells = []
        for k, i in enumerate(members):
            a = model.areas[i].name or model.area_ids[i]
            ok = alone <= room[k, j] + 1e-12
            text = (f"{f} of {a} {alone:+.2f} would do it" if ok else
                    f"{f} of {a} would need {alone:+.2f}, but the scale allows {room[k, j]:+.2f}")
            cells.append({"area": model.area_ids[i], "change": alone, "room": float(room[k, j]),
                          "possible": bool(ok), "sentence": text})
        every = all_areas <= room[:, j].min() + 1e-12
        out.append({"factor": fid, "name": f, "one_area": cells, "every_area": all_areas,
                    "every_area_possible": bool(every),
                    "sentence": (f"{f} {all_areas:+.2f} in every {categories_of(model)[0]} area would "
                                 f"do it" if every else f"{f} would need {all_areas:+.2f} in every "
                                 f"{categories_of(model)[0]} area, beyond the top of the scale in some")})
    return sorted(out, key=lambda r: r["every_area"])
