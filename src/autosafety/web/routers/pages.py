"""The page itself and its locally shipped assets (no CDN)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

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


@cache
def first_view() -> dict[str, object]:
    """The first built-in model and its scores, rendered into the page so it shows at once."""
    name = BUILTINS[0]
    return {"name": name, "model": builtin_spec(name),
            "score": score_data(ScoreRequest(model=name, grid=True))}


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The interactive model; the published ranking is in the HTML, the page script takes over."""
    boot = {"models": builtin_list(), "max_draws": MAX_DRAWS, "plotly": plotly_js() is not None,
            "initial": first_view()}
    return templates.TemplateResponse(request, "index.html", {"boot": boot})


@router.get("/vendor/plotly.min.js")
def plotly() -> FileResponse:
    """Plotly.js (the cartesian partial bundle), served from the package: no CDN."""
    path = plotly_js()
    if path is None:
        raise HTTPException(404, "this installation lacks static/vendor/plotly-cartesian.min.js; "
                                 "reinstall autosafety")
    return FileResponse(path, media_type="text/javascript",
                        headers={"cache-control": "public, max-age=86400"})
