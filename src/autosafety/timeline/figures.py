"""Plotly figure definitions of a timeline (plain dicts): fan charts of speedup, CDFs of milestone
dates, and the P(A before B) heatmap. One colour per category, as in the factor model's figures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..analysis.figures import PALETTE, write_figure

if TYPE_CHECKING:
    from ._result import TimelineResult

Figure = dict[str, Any]

__all__ = ["Figure", "cdf", "fan", "pairs", "write_figure"]


def _colour(res: TimelineResult, i: int) -> str:
    return PALETTE[res.categories.index(res.areas[i].category) % len(PALETTE)]


def _title(res: TimelineResult, what: str) -> dict[str, Any]:
    return {"text": f"{what}: {getattr(res.source, 'name', '') or getattr(res.source, 'id', '')} "
                    f"({res.draws:,} draws, seed {res.seed}, trend {res.trend_id})"}


def fan(res: TimelineResult) -> Figure:
    """Median speedup of each area over time with its 10-90% band; the milestone as a line."""
    times, q = res.fan
    x = times.round(4).tolist()
    data: list[dict[str, Any]] = []
    for i, a in enumerate(res.areas):
        colour = _colour(res, i)
        band = np.clip(q[i], 1, 1e6).round(4)
        data.append({"type": "scatter", "mode": "lines", "x": x + x[::-1],
                     "y": band[:, 2].tolist() + band[::-1, 0].tolist(), "fill": "toself",
                     "fillcolor": colour, "opacity": 0.12, "line": {"width": 0}, "hoverinfo": "skip",
                     "showlegend": False, "legendgroup": a.id})
        data.append({"type": "scatter", "mode": "lines", "x": x, "y": band[:, 1].tolist(),
                     "name": f"{a.name} ({a.category})", "line": {"color": colour, "width": 2},
                     "legendgroup": a.id})
    return {"data": data, "layout": {
        "title": _title(res, "AI speedup of each area (median, 10-90% band)"),
        "template": "plotly_white", "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "xaxis": {"title": {"text": "year"}},
        "yaxis": {"title": {"text": "speedup (x today's pace)"}, "type": "log"},
        "shapes": [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": res.milestone,
                    "y1": res.milestone, "line": {"dash": "dot", "color": "#555"}}]}}


def cdf(res: TimelineResult) -> Figure:
    """P(the area has reached the milestone by year t)."""
    c = res.cdf()
    data = [{"type": "scatter", "mode": "lines", "x": np.round(c["times"], 4).tolist(),
             "y": np.round(c["p"][a.id], 5).tolist(), "name": f"{a.name} ({a.category})",
             "line": {"color": _colour(res, i), "width": 2}} for i, a in enumerate(res.areas)]
    return {"data": data, "layout": {
        "title": _title(res, f"P({res.milestone:g}x speedup reached by year t)"),
        "template": "plotly_white", "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "xaxis": {"title": {"text": "year"}},
        "yaxis": {"title": {"text": "probability"}, "range": [0, 1]}}}


def pairs(res: TimelineResult) -> Figure:
    """Heatmap of P(row area reaches the milestone before column area)."""
    names = [a.name for a in res.areas]
    z = res.first.round(4).tolist()
    return {"data": [{"type": "heatmap", "z": z, "x": names, "y": names, "zmin": 0, "zmax": 1,
                      "colorscale": "RdBu", "colorbar": {"title": {"text": "P(row first)"}},
                      "texttemplate": "%{z:.2f}"}],
            "layout": {"title": _title(res, "P(row reaches the milestone before column)"),
                       "template": "plotly_white", "margin": {"l": 220, "r": 20, "t": 60, "b": 160},
                       "yaxis": {"autorange": "reversed"}}}
