"""The page itself and its locally shipped assets (no CDN)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

from ...model import datasets
from .._schemas import MAX_DRAWS

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("autosafety.web") / "templates"))


@cache
def plotly_js() -> Path | None:
    """plotly.min.js as shipped inside the ``plotly`` Python package, if it is installed."""
    try:
        path = Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The interactive model."""
    boot = {"models": [d.__dict__ for d in datasets()], "max_draws": MAX_DRAWS,
            "plotly": plotly_js() is not None}
    return templates.TemplateResponse(request, "index.html", {"boot": boot})


@router.get("/vendor/plotly.min.js")
def plotly() -> FileResponse:
    """Plotly.js from the local ``plotly`` package."""
    path = plotly_js()
    if path is None:
        raise HTTPException(404, "plotly is not installed; pip install 'autosafety[all]'")
    return FileResponse(path, media_type="text/javascript",
                        headers={"cache-control": "public, max-age=86400"})
