"""One-at-a-time weight sweeps (tornado), leave-one-factor-out and add-a-factor comparisons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .._errors import InputError, Problem
from ..model import _core
from ._flips import resolve_inputs

if TYPE_CHECKING:
    import pandas as pd

    from ..model import Model

Array = NDArray[np.float64]


def _gaps(scores: Array, model: Model) -> Array:
    """Category gaps 'later - earlier' (..., P) from scores (..., A)."""
    cats = _core.category_means(scores, model.category_index, len(model.categories))
    iu = np.triu_indices(len(model.categories), 1)
    return cats[..., iu[1]] - cats[..., iu[0]]


def tornado(model: Model, *, low: float = 0.0, high: float | None = None, points: int = 201,
            weights: Mapping[str, float] | None = None,
            ratings: Mapping[tuple[str, str], float] | None = None) -> TornadoResult:
    """Sweep each factor's weight over [low, high] (others fixed): range of the gaps and ranks.

    ``high`` defaults to twice the largest weight.
    """
    w, r = resolve_inputs(model, weights, ratings)
    high = 2 * float(w.max()) if high is None else high
    if not (np.isfinite(low) and np.isfinite(high) and 0 <= low < high) or points < 2:
        raise InputError(Problem("sweep", f"need 0 <= low < high and points >= 2, got low={low}, "
                                 f"high={high}, points={points}", "e.g. --low 0 --high 5"))
    F = len(w)
    grid = np.linspace(low, high, points)
    sweep = np.broadcast_to(w, (F, points, F)).copy()
    sweep[np.arange(F), :, np.arange(F)] = grid
    valid = sweep.sum(axis=-1) > 0  # all-zero weights score nothing
    sweep[~valid] = 1.0
    scores = _core.weighted_scores(r, sweep)  # (F, points, A)
    rk = _core.ranks(scores).astype(float)
    gaps = _gaps(scores, model)  # (F, points, P)
    rk[~valid], gaps[~valid] = np.nan, np.nan
    return TornadoResult(model, w, grid, gaps, rk, float(low), float(high),
                         _gaps(_core.weighted_scores(r, w), model))


@dataclass(frozen=True, eq=False)
class TornadoResult:
    """Gaps and ranks as each weight sweeps its range; keeps the model and the base weights."""

    model: Model
    weights: Array
    grid: Array
    """(points,) weight values swept."""
    gaps: Array
    """(F, points, P) category gaps 'later - earlier'."""
    ranks: Array
    """(F, points, A) ranks."""
    low: float
    high: float
    base_gaps: Array
    """(P,) gaps at the base weights."""

    def gap_names(self) -> list[str]:
        """'later - earlier' per category pair."""
        cats = self.model.categories
        return [f"{cats[j]} - {cats[i]}" for i, j in zip(*np.triu_indices(len(cats), 1))]

    def to_frame(self, gap: int = 0) -> pd.DataFrame:
        """One row per factor, widest swing of gap ``gap`` first."""
        import pandas as pd

        g = self.gaps[..., gap]
        frame = pd.DataFrame({
            "weight": self.weights, "gap_at_low": g[:, 0], "gap_at_high": g[:, -1],
            "gap_min": np.nanmin(g, axis=1), "gap_max": np.nanmax(g, axis=1),
            "base_gap": self.base_gaps[gap] if self.base_gaps.size else np.nan},
            index=pd.Index(self.model.factor_ids, name="factor"))
        frame["swing"] = frame["gap_max"] - frame["gap_min"]
        frame["flips"] = (frame["gap_min"] < 0) & (frame["gap_max"] > 0)
        return frame.sort_values("swing", ascending=False)

    def rank_ranges(self) -> pd.DataFrame:
        """(factor x area) 'best-worst' rank reached over the sweep."""
        import pandas as pd

        lo, hi = np.nanmin(self.ranks, axis=1), np.nanmax(self.ranks, axis=1)
        cells = [[f"{int(a)}-{int(b)}" if a != b else f"{int(a)}" for a, b in zip(x, y)]
                 for x, y in zip(lo, hi)]
        return pd.DataFrame(cells, index=pd.Index(self.model.factor_ids, name="factor"),
                            columns=self.model.area_ids)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the sweep range, per-factor gap ranges, per-factor rank ranges."""
        lo, hi = np.nanmin(self.ranks, axis=1), np.nanmax(self.ranks, axis=1)
        rows = self.to_frame().reset_index().to_dict(orient="records") if self.gaps.shape[-1] else []
        return {"model": self.model.id, "low": self.low, "high": self.high,
                "gap": self.gap_names()[0] if self.gaps.shape[-1] else None,
                "factors": [{k: (bool(v) if isinstance(v, np.bool_) else v) for k, v in r.items()}
                            for r in rows],
                "rank_ranges": {f: {a: [int(lo[j, i]), int(hi[j, i])]
                                    for i, a in enumerate(self.model.area_ids)}
                                for j, f in enumerate(self.model.factor_ids)}}


@dataclass(frozen=True, eq=False)
class Comparison:
    """A variant of a model against its base: gaps, ranks and whether conclusions hold."""

    label: str
    base_scores: Array
    scores: Array
    base_gaps: Array
    gaps: Array
    model: Model

    def to_row(self) -> dict[str, Any]:
        """Flat summary: gap before/after, conclusion holds, largest rank move, top area."""
        b, v = _core.ranks(self.base_scores), _core.ranks(self.scores)
        ids = self.model.area_ids
        same = bool(np.all(np.sign(self.base_gaps) == np.sign(self.gaps))) if self.gaps.size else None
        return {"variant": self.label,
                "base_gap": float(self.base_gaps[0]) if self.gaps.size else None,
                "gap": float(self.gaps[0]) if self.gaps.size else None,
                "conclusion_holds": same, "max_rank_change": int(np.abs(b - v).max()),
                "top_area": ids[int(np.argmax(self.scores))]}


def leave_one_out(model: Model, *, weights: Mapping[str, float] | None = None) -> list[Comparison]:
    """Each factor dropped in turn (its weight set to 0), compared with the full model."""
    w, r = resolve_inputs(model, weights, None)
    base = _core.weighted_scores(r, w)
    out = []
    for j, fid in enumerate(model.factor_ids):
        v = w.copy()
        v[j] = 0.0
        if v.sum() <= 0:
            continue
        s = _core.weighted_scores(r, v)
        out.append(Comparison(f"without {fid}", base, s, _gaps(base, model), _gaps(s, model), model))
    return out


def add_factor(model: Model, factor_id: str, *, weight: float, ratings: Mapping[str, float],
               name: str = "", rater: str = "user") -> tuple[Model, Comparison]:
    """The model with a new factor rated by ``rater`` (every area needs a rating), and how it
    compares with the model as it was."""
    from ..model import Factor, Rater, Rating

    problems = []
    if factor_id in model.factor_ids:
        problems.append(Problem(f"factor {factor_id}", "already in the model", "pick a new id"))
    unknown = sorted(set(ratings) - set(model.area_ids))
    if unknown:
        problems.append(Problem(f"ratings of {factor_id}", f"unknown area(s) {unknown}",
                                f"use: {', '.join(model.area_ids)}"))
    missing = [a for a in model.area_ids if a not in ratings]
    if missing:
        problems.append(Problem(f"ratings of {factor_id}", f"no rating for {missing}",
                                "rate every area on the new factor"))
    if problems:
        raise InputError(problems, title="cannot add the factor")
    from ..model import Model as ModelClass

    raters = [] if rater in model.rater_ids else [Rater(id=rater, description="added factor")]
    spec = model.spec.model_copy(update={
        "factors": [*model.spec.factors, Factor(id=factor_id, name=name or factor_id, weight=weight)],
        "raters": [*model.spec.raters, *raters],
        "ratings": [*model.spec.ratings, *(Rating(area=a, factor=factor_id, rater=rater, value=v)
                                           for a, v in ratings.items())]})
    new = ModelClass(spec, origin=model.origin)
    base = _core.weighted_scores(model.pooled(), model.weights)
    s = _core.weighted_scores(new.pooled(), new.weights)
    return new, Comparison(f"with {factor_id}", base, s, _gaps(base, model), _gaps(s, new), new)
