"""The page itself and its locally shipped assets (no CDN)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

from ...model import BUILTINS
from .._deps import builtin_spec
from .._schemas import MAX_DRAWS, ScoreRequest
from .models import builtin_list, score_data

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("autosafety.web") / "templates"))


@cache
def plotly_js() -> Path | None:
    """The vendored plotly.js partial bundle (bar, scatter, heatmap and the other cartesian traces),
    if the package ships it; see ``static/vendor/README.md``."""
    path = Path(str(resources.files("autosafety.web") / "static" / "vendor" / "plotly-cartesian.min.js"))
    return path if path.is_file() else None


def headline(score: dict[str, Any]) -> str:
    """The answer in one sentence: which category's areas score higher on average, by how much,
    and the top area (the page's script writes the same sentence after every edit)."""
    areas = score["areas"]
    cats = sorted(score["categories"].items(), key=lambda kv: -kv[1])
    top = f"Top area: {areas[0]['name']} ({areas[0]['category']}, {areas[0]['score']:.2f})." if areas else ""
    if len(cats) < 2:
        return top or "The model has no areas yet."
    (first, a), (second, b) = cats[0], cats[-1]
    if round(a - b, 2) == 0:
        lead = f"{first[:1].upper()}{first[1:]} and {second} tie: both average {a:.2f}."
    elif len(cats) == 2:
        lead = (f"{first[:1].upper()}{first[1:]} comes first: its areas average {a:.2f}, "
                f"{second}'s {b:.2f} (a gap of {a - b:.2f}).")
    else:
        lead = ("Highest average first: " + ", ".join(f"{c} {v:.2f}" for c, v in cats) + ".")
    return f"{lead} {top}".strip()


@cache
def first_view() -> dict[str, object]:
    """The first built-in model and its scores, rendered into the page so it shows at once."""
    name = BUILTINS[0]
    score = score_data(ScoreRequest(model=name, grid=True))
    return {"name": name, "model": builtin_spec(name), "score": score, "headline": headline(score)}


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The interactive model; the published ranking is in the HTML, the page script takes over."""
    from ...analysis.figures import PALETTE

    boot = {"models": builtin_list(), "max_draws": MAX_DRAWS, "plotly": plotly_js() is not None,
            "initial": first_view(), "palette": PALETTE}
    return templates.TemplateResponse(request, "index.html", {"boot": boot})


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI for the OpenAPI description, from ``static/vendor`` (no CDN)."""
    return templates.TemplateResponse(request, "api_docs.html", {"kind": "swagger", "title": "Swagger UI"})


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc for the OpenAPI description, from ``static/vendor`` (no CDN)."""
    return templates.TemplateResponse(request, "api_docs.html", {"kind": "redoc", "title": "ReDoc"})


@router.get("/vendor/plotly.min.js")
def plotly() -> FileResponse:
    """Plotly.js (the cartesian partial bundle), served from the package: no CDN."""
    path = plotly_js()
    if path is None:
        raise HTTPException(404, "this installation lacks static/vendor/plotly-cartesian.min.js; "
                                 "reinstall autosafety")
    return FileResponse(path, media_type="text/javascript",
                        headers={"cache-control": "public, max-age=86400"})
