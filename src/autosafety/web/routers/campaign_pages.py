"""The campaign pages: the rater's form (``/rate#TOKEN``), the organiser's start page
(``/campaigns``) and dashboard (``/campaigns/ID#TOKEN``). Tokens stay in the fragment: the
browser never sends them in a URL; the pages' scripts send them in ``Authorization``."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ...model import BUILTINS
from .._campaign_schemas import MAX_WEB_RATERS
from .._deps import builtin_spec

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("autosafety.web") / "templates"))


@router.get("/rate", response_class=HTMLResponse)
def rate_page(request: Request) -> HTMLResponse:
    """The rater's form; its script reads the token from the fragment."""
    return templates.TemplateResponse(request, "rate.html", {})


@router.get("/campaigns", response_class=HTMLResponse)
def campaigns_page(request: Request) -> HTMLResponse:
    """Create a campaign, or open a dashboard by id and organiser token."""
    specs = {name: builtin_spec(name) for name in BUILTINS}
    return templates.TemplateResponse(request, "campaigns.html", {
        "models": BUILTINS, "specs": specs, "max_raters": MAX_WEB_RATERS})


@router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def dashboard_page(request: Request, campaign_id: int) -> HTMLResponse:
    """The organiser's dashboard; its script reads the organiser token from the fragment."""
    return templates.TemplateResponse(request, "dashboard.html", {"campaign_id": campaign_id})
