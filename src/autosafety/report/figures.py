"""Figures of the report that no other part draws: the levers' effects as bars."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..levers import LeverRanking


def lever_bars(ranking: LeverRanking) -> dict[str, Any]:
    """Each lever's change of the safety and capabilities averages and its net effect (Plotly)."""
    s, c = ranking.categories
    rows = ranking.effects[::-1]
    names = [e.lever.name for e in rows]
    data = [{"type": "bar", "orientation": "h", "y": names, "x": [round(e.net, 6) for e in rows],
             "name": "net: gap closed", "marker": {"color": "#2ca02c"}},
            {"type": "bar", "orientation": "h", "y": names, "x": [round(e.safety, 6) for e in rows],
             "name": f"{s} average", "marker": {"color": "#1f77b4"}}]
    if c:
        data.append({"type": "bar", "orientation": "h", "y": names,
                     "x": [round(-e.capabilities, 6) for e in rows],
                     "name": f"minus {c} average (spill-over < 0)", "marker": {"color": "#d62728"}})
    return {"data": data, "layout": {
        "title": {"text": f"Levers, one unit each: {ranking.model.name}"}, "template": "plotly_white",
        "barmode": "group", "margin": {"l": 260, "r": 30, "t": 60, "b": 50},
        "xaxis": {"title": {"text": "change of the category average (points)"}}}}
