"""Plotly figure definitions (plain JSON-safe dicts): the one definition the CLI writes to files and
the web page draws with Plotly.js. Use :func:`write_figure` for .html (offline), .svg or .png."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._render import write_figure

if TYPE_CHECKING:
    from ._implied import ImpliedWeights
    from ._montecarlo import MonteCarloResult
    from ._sweeps import TornadoResult

Figure = dict[str, Any]
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"]

__all__ = ["Figure", "gap_distribution", "implied_weights", "pairwise_matrix", "rank_heatmap",
           "score_distributions", "tornado", "write_figure"]


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    return {"title": {"text": title}, "template": "plotly_white", "margin": {"l": 200, "r": 30,
                                                                            "t": 60, "b": 60},
            **extra}


def _names(mc: MonteCarloResult) -> list[str]:
    return [a.name or a.id for a in mc.model.areas]


def score_distributions(mc: MonteCarloResult, *, bins: int = 128) -> Figure:
    """Density of each area's score over the draws, coloured by category, with the mean marked."""
    m = mc.model
    s = m.spec.scale
    hist = mc.tally.score_hist.reshape(len(m.area_ids), bins, -1).sum(axis=2)
    width = (s.max - s.min) / bins
    centers = (s.min + width * (np.arange(bins) + 0.5)).round(6).tolist()
    data = []
    for i, name in enumerate(_names(mc)):
        cat = m.categories.index(m.areas[i].category)
        density = (hist[i] / (mc.draws * width)).round(6).tolist()
        data.append({"type": "scatter", "mode": "lines", "name": f"{name} ({mc.score_mean[i]:.2f})",
                     "x": centers, "y": density, "line": {"color": PALETTE[cat % len(PALETTE)],
                                                           "shape": "hvh", "width": 1.5},
                     "legendgroup": m.areas[i].category})
    return {"data": data, "layout": _layout(
        f"Score distributions, {m.name} ({mc.draws:,} draws, seed {mc.seed})",
        xaxis={"title": {"text": "amenability to automation"}, "range": [s.min, s.max]},
        yaxis={"title": {"text": "density"}}, margin={"l": 60, "r": 30, "t": 60, "b": 60})}


def rank_heatmap(mc: MonteCarloResult) -> Figure:
    """Rank acceptability: P(area has rank k), areas ordered by expected rank."""
    rp = mc.rank_probabilities
    order = np.argsort(rp @ np.arange(1, rp.shape[1] + 1))
    names = _names(mc)
    return {"data": [{"type": "heatmap", "z": rp[order].round(6).tolist(),
                      "x": [str(k) for k in range(1, rp.shape[1] + 1)],
                      "y": [names[i] for i in order], "zmin": 0, "zmax": 1, "colorscale": "Blues",
                      "colorbar": {"title": {"text": "P"}},
                      "text": [[f"{v:.2f}" for v in row] for row in rp[order]],
                      "texttemplate": "%{text}"}],
            "layout": _layout(f"Rank acceptability, {mc.model.name}",
                              xaxis={"title": {"text": "rank (1 = most amenable)"}},
                              yaxis={"autorange": "reversed"})}


def pairwise_matrix(mc: MonteCarloResult) -> Figure:
    """P(row area scores above column area)."""
    order = np.argsort(-mc.score_mean)
    names = [_names(mc)[i] for i in order]
    p = mc.pairwise[np.ix_(order, order)]
    z = [[None if i == j else round(float(v), 6) for j, v in enumerate(row)] for i, row in enumerate(p)]
    return {"data": [{"type": "heatmap", "z": z, "x": names, "y": names,
                      "zmin": 0, "zmax": 1, "colorscale": "RdBu", "reversescale": True,
                      "colorbar": {"title": {"text": "P(row > column)"}},
                      "text": [["" if i == j else f"{v:.2f}" for j, v in enumerate(row)]
                               for i, row in enumerate(p)], "texttemplate": "%{text}"}],
            "layout": _layout(f"Pairwise P(row scores above column), {mc.model.name}",
                              yaxis={"autorange": "reversed"}, xaxis={"tickangle": -45},
                              margin={"l": 200, "r": 30, "t": 60, "b": 160})}


def gap_distribution(mc: MonteCarloResult, *, pair: int = 0, bins: int = 128) -> Figure:
    """Distribution of one category gap ('later - earlier') over the draws."""
    g = mc.gaps[pair]
    s = mc.model.spec.scale
    span = s.max - s.min
    hist = mc.tally.gap_hist[pair].reshape(bins, -1).sum(axis=1)
    width = 2 * span / bins
    centers = (-span + width * (np.arange(bins) + 0.5)).round(6).tolist()
    return {"data": [{"type": "bar", "x": centers, "y": (hist / (mc.draws * width)).round(6).tolist(),
                      "marker": {"color": PALETTE[0]}, "name": g["gap"]}],
            "layout": _layout(f"{g['gap']}: P(>0) = {g['p_higher_above']:.3f}",
                              xaxis={"title": {"text": f"gap {g['gap']}"}, "zeroline": True},
                              yaxis={"title": {"text": "density"}}, bargap=0,
                              margin={"l": 60, "r": 30, "t": 60, "b": 60})}


def tornado(tr: TornadoResult, *, gap: int = 0) -> Figure:
    """Range of a category gap as each weight sweeps [low, high], widest first; base gap dashed."""
    frame = tr.to_frame(gap).iloc[::-1]  # plotly draws the first bar at the bottom
    names = {f.id: f.name or f.id for f in tr.model.factors}
    labels = [f"{names[f]} ({w:g})" for f, w in zip(frame.index, frame["weight"])]
    base = float(tr.base_gaps[gap])
    return {"data": [{"type": "bar", "orientation": "h", "y": labels,
                      "x": frame["swing"].round(6).tolist(), "base": frame["gap_min"].round(6).tolist(),
                      "marker": {"color": [PALETTE[1] if f else PALETTE[0] for f in frame["flips"]]},
                      "hovertemplate": "%{y}: gap from %{base:.2f} (range %{x:.2f})<extra></extra>"}],
            "layout": _layout(f"Tornado: {tr.gap_names()[gap]} as each weight goes "
                              f"{tr.low:g} to {tr.high:g}",
                              xaxis={"title": {"text": f"gap {tr.gap_names()[gap]}"}},
                              shapes=[{"type": "line", "x0": base, "x1": base, "y0": 0, "y1": 1,
                                       "yref": "paper", "line": {"dash": "dash", "color": "black"}},
                                      {"type": "line", "x0": 0, "x1": 0, "y0": 0, "y1": 1,
                                       "yref": "paper", "line": {"color": "grey"}}])}


def implied_weights(res: ImpliedWeights) -> Figure:
    """Normalised weights per factor: the model's, the implied (if any), the best compromise."""
    frame = res.to_frame()
    cols = [c for c in frame.columns if frame[c].notna().all()]
    z = frame[cols].to_numpy()
    names = {f.id: f.name or f.id for f in res.model.factors}
    verdict = (f"reproduced, margin {res.margin:.3f}" if res.feasible else
               f"not reproducible; best weights satisfy {len(res.satisfied)} of {len(res.pairs)}")
    return {"data": [{"type": "heatmap", "z": z.round(6).tolist(), "x": cols,
                      "y": [names[f] for f in frame.index], "zmin": 0, "zmax": 1,
                      "colorscale": "Blues", "colorbar": {"title": {"text": "share"}},
                      "text": [[f"{v:.2f}" for v in row] for row in z], "texttemplate": "%{text}"}],
            "layout": _layout(f"Implied weights, {res.model.name}<br>{verdict}",
                              yaxis={"autorange": "reversed"})}
