"""ScoreResult: scores, ranks and category averages that keep the model and inputs behind them."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from . import _core

if TYPE_CHECKING:
    import pandas as pd

    from ._model import Model


@dataclass(frozen=True, eq=False)
class ScoreResult:
    """The outcome of :meth:`Model.score`."""

    model: Model
    """The model that was scored."""
    weights: NDArray[np.float64]
    """Factor weights used (F,), overrides applied, not normalised."""
    pooled: NDArray[np.float64]
    """Pooled oriented ratings used (A, F), overrides applied."""
    scores: NDArray[np.float64]
    """Amenability-to-automation score per area (A,)."""
    pooling: str = "mean"
    """How raters were pooled."""
    overrides: dict[str, Any] = field(default_factory=dict)
    """The weight and rating overrides applied on top of the model."""

    @cached_property
    def ranks(self) -> NDArray[np.int64]:
        """Competition rank per area (1 = most amenable; tied areas share a rank)."""
        return np.array(self._standing[1], dtype=np.int64)

    @cached_property
    def _standing(self) -> tuple[list[int], list[int]]:
        return _core.standing(self.scores.tolist())

    @cached_property
    def tied(self) -> NDArray[np.bool_]:
        """True for areas that share their rank with another area."""
        counts = np.bincount(self.ranks, minlength=len(self.scores) + 1)
        return counts[self.ranks] > 1

    @cached_property
    def category_scores(self) -> dict[str, float]:
        """Average score of each category's areas, in category order."""
        m = self.model
        return dict(zip(m.categories, _core.category_mean_list(self.scores.tolist(),
                                                              m.category_members)))

    @cached_property
    def gaps(self) -> dict[str, float]:
        """Differences between category averages, 'later - earlier' for each pair in order."""
        cats = list(self.category_scores.items())
        return {f"{b} - {a}": vb - va for i, (a, va) in enumerate(cats) for b, vb in cats[i + 1:]}

    def order(self) -> list[int]:
        """Area indices from most to least amenable (stable for ties)."""
        return list(self._standing[0])

    def to_dict(self) -> dict[str, Any]:
        """Plain data: areas (id, name, category, score, rank, tied, coverage), categories, gaps, inputs.

        An area's coverage is the mean share of raters who rated its cells.
        """
        m = self.model
        # Plain Python over the few areas: per-element numpy calls cost more than the work.
        scores, (order, ranks), coverage, labels = (self.scores.tolist(), self._standing,
                                                    m.area_coverage, m.area_labels)
        shared: dict[int, int] = {}
        for rank in ranks:
            shared[rank] = shared.get(rank, 0) + 1
        areas = []
        for i in order:
            area_id, name, category = labels[i]
            rank = ranks[i]
            areas.append({"id": area_id, "name": name, "category": category, "score": scores[i],
                          "rank": rank, "tied": shared[rank] > 1, "coverage": coverage[i]})
        return {"model": m.id, "pooling": self.pooling, "areas": areas,
                "categories": self.category_scores, "gaps": self.gaps,
                "weights": dict(zip(m.factor_ids, self.weights.tolist())),
                "overrides": self.overrides}

    def to_frame(self) -> pd.DataFrame:
        """One row per area (by rank): name, category, score, rank, then the pooled ratings."""
        import pandas as pd

        m = self.model
        frame = pd.DataFrame(self.pooled, index=pd.Index(m.area_ids, name="area"),
                             columns=m.factor_ids)
        frame.insert(0, "rank", self.ranks)
        frame.insert(0, "score", self.scores)
        frame.insert(0, "category", [a.category for a in m.areas])
        frame.insert(0, "name", [a.name or a.id for a in m.areas])
        return frame.iloc[self.order()]

    def __repr__(self) -> str:
        m = self.model
        lines = [f"ScoreResult({m.id!r}, pooling={self.pooling!r})"]
        for i in self.order():
            a = m.areas[i]
            tie = "=" if self.tied[i] else " "
            lines.append(f"  {self.ranks[i]:>3}{tie} {self.scores[i]:6.2f}  "
                         f"{a.name or a.id} [{a.category}]")
        lines += [f"  {c}: {v:.2f}" for c, v in self.category_scores.items()]
        lines += [f"  gap {k}: {v:+.2f}" for k, v in self.gaps.items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        m = self.model
        rows = "".join(
            f"<tr><td>{self.ranks[i]}{'=' if self.tied[i] else ''}</td>"
            f"<td>{html.escape(m.areas[i].name or m.areas[i].id)}</td>"
            f"<td>{html.escape(m.areas[i].category)}</td><td>{self.scores[i]:.2f}</td></tr>"
            for i in self.order())
        cats = "".join(f"<tr><td></td><td><b>{html.escape(c)} average</b></td><td></td>"
                       f"<td>{v:.2f}</td></tr>" for c, v in self.category_scores.items())
        return (f"<table><caption>{html.escape(m.name)}</caption><tr><th>rank</th><th>area</th>"
                f"<th>category</th><th>score</th></tr>{rows}{cats}</table>")
