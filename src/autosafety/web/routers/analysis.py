"""Monte Carlo and sensitivity (tornado, exact flip thresholds), computed by autosafety.analysis."""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Request

from .._deps import parse_cells, resolve_model
from .._schemas import MonteCarloRequest, SensitivityRequest
from .._workers import AnalysisPool

router = APIRouter(prefix="/api", tags=["analysis"])


def cpu_slots(request: Request) -> AnalysisPool:
    """The app's analysis workers: at most one analysis per CPU at a time (more would only
    thrash; the rest wait their turn), each stopped the moment its request is cancelled."""
    pool: AnalysisPool = request.app.state.analysis
    return pool


_NUMBERS = {int, float, bool, type(None)}


def plain_text(figure: Any, *, key: str = "") -> Any:
    """A Plotly figure with every label HTML-escaped, so names show as text, never as markup.

    Templates (``hovertemplate``...) keep their Plotly tags.
    """
    if isinstance(figure, dict):
        return {k: plain_text(v, key=k) for k, v in figure.items()}
    if isinstance(figure, list):
        if figure and set(map(type, figure)) <= _NUMBERS:   # data: nothing to escape
            return figure
        return [plain_text(v, key=key) for v in figure]
    if isinstance(figure, str) and not key.endswith("template"):
        return html.escape(figure, quote=False)
    return figure


@router.post("/montecarlo")
async def monte_carlo(body: MonteCarloRequest, request: Request) -> dict[str, Any]:
    """Score distributions, rank acceptability and P(category gap > 0) over random draws of
    ratings (within their intervals or the noise given), weights and scenarios."""
    result: dict[str, Any] = await cpu_slots(request).run(_monte_carlo, body)
    return result


def _monte_carlo(body: MonteCarloRequest) -> dict[str, Any]:
    from ...analysis import figures
    from ...analysis import monte_carlo as run

    model = resolve_model(body.model)
    if body.weights:
        model = model.with_weights(body.weights)
    result = run(model, draws=body.draws, seed=body.seed, rating_noise=body.rating_noise,
                 weight_concentration=body.weight_concentration, scenarios=body.scenarios or None,
                 workers=1)
    out: dict[str, Any] = {"result": result.to_dict()}
    if body.figures:
        out["figures"] = {"scores": plain_text(figures.score_distributions(result)),
                          "ranks": plain_text(figures.rank_heatmap(result))}
    return out


@router.post("/sensitivity")
async def sensitivity(body: SensitivityRequest, request: Request) -> dict[str, Any]:
    """Exact one-weight flip thresholds (each category pair and area pair) and a tornado sweep of
    every weight from 0 to twice the largest, at the given weights and ratings."""
    result: dict[str, Any] = await cpu_slots(request).run(_sensitivity, body)
    return result


def _sensitivity(body: SensitivityRequest) -> dict[str, Any]:
    from ...analysis import figures, flip_thresholds, tornado

    model = resolve_model(body.model)
    cells = parse_cells(body.ratings)
    flips = flip_thresholds(model, weights=body.weights, ratings=cells)
    sweep = tornado(model, weights=body.weights, ratings=cells)
    out: dict[str, Any] = {"flips": flips.to_dict(), "tornado": sweep.to_dict()}
    if body.figures:
        out["figures"] = ({"tornado": plain_text(figures.tornado(sweep))}
                          if len(model.categories) > 1 else {})
    return out
