"""The Levers view and its JSON API: which of the 004 post's levers close the gap between safety and
capabilities most, on the factor model (exact) and on the timeline (common random numbers); and the
report of ``autosafety report`` as a download.

Computed by ``autosafety.levers`` and ``autosafety.report`` in the app's analysis workers, so a
timed-out or abandoned request stops computing and frees its CPU.
"""

from __future__ import annotations

import shlex
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2.utils import htmlsafe_json_dumps
from pydantic import BaseModel, ConfigDict, Field

from .._deps import content_disposition, json_response, resolve_model
from .analysis import cpu_slots

router = APIRouter(tags=["levers"])
templates = Jinja2Templates(directory=str(resources.files("autosafety.web") / "templates"))

DEFAULT_MODEL = "wehner-2026"
MAX_UNITS = 10.0
MAX_DRAWS = 20_000
"""Most draws of a timeline or report request (the CLI's default; 20,000 take about 2.5 s)."""
PAGE = {"model": DEFAULT_MODEL, "units": 1.0, "draws": 10_000, "seed": 0, "report_draws": 20_000}
"""The page's settings on load; the report uses the CLI's defaults (20,000 draws, seed 0)."""

ModelRef = Annotated[str | dict[str, Any], Field(description=(
    "A built-in model name (GET /api/models) or a whole factor model as in a model file."),
    examples=[DEFAULT_MODEL])]


class LeversRequest(BaseModel):
    """Rank the built-in levers (the 004 post's) on a model: ``units`` of each lever alone."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    model: ModelRef = DEFAULT_MODEL
    units: float = Field(1.0, ge=0, le=MAX_UNITS, description=(
        "Units of each lever (1 = the size the catalogue states; the sizes are our assumptions)."))


class LeversTimelineRequest(LeversRequest):
    """Months each lever moves the 10x dates: every run with the same seed and draws."""

    draws: int = Field(10_000, ge=100, le=MAX_DRAWS, description="Monte Carlo draws of every run.")
    seed: int = Field(0, ge=0, le=2**32 - 1, description="Random seed (the same for every run).")


class ReportRequest(BaseModel):
    """The report of ``autosafety report MODEL [--timeline] [--levers] --draws D --seed S``."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    model: ModelRef = DEFAULT_MODEL
    timeline: bool = Field(False, description="Add the timeline section (as --timeline).")
    levers: bool = Field(True, description="Add the levers and safer bets (as --levers).")
    draws: int = Field(20_000, ge=100, le=MAX_DRAWS, description="Monte Carlo draws of every section.")
    seed: int = Field(0, ge=0, le=2**32 - 1, description="Random seed.")


def colours(categories: list[str]) -> dict[str, str]:
    """Category -> colour, as in every chart (``autosafety.analysis.figures.PALETTE``)."""
    from ...analysis.figures import PALETTE

    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}


def headline(r: dict[str, Any], names: dict[str, str]) -> str:
    """The answer in one sentence, with names."""
    rows = [x for x in r["levers"] if not x["timeline_only"]]
    s, c = r["safety"], r["capabilities"]
    if not rows:
        return "None of the levers acts on this model's ratings (only on the timeline)."
    best = rows[0]
    per = f"{r['units']:g} unit{'' if r['units'] == 1 else 's'}"
    if c is None:
        return (f"{best['name']} raises the {names[s]} average most: {best['safety']:+.3f} points for "
                f"{per} (the model has one category, so there is no gap).")
    lead = (f"{names[c]} leads {names[s]} by {r['gap']:.3f} points" if r["gap"] > 0 else
            f"{names[s]} already leads {names[c]} by {-r['gap']:.3f} points")
    return (f"{best['name']} closes the gap most: {best['net']:+.3f} points for {per} "
            f"({lead} of average score).")


def run_levers(body: LeversRequest) -> dict[str, Any]:
    """The exact ranking (runs in a worker): ``rank_levers(model, units=...).to_dict()`` and what the
    page shows around it."""
    from ...levers import builtin_catalogue, rank_levers

    model = resolve_model(body.model)
    r = rank_levers(model, units=body.units).to_dict()
    names = {c: c for c in model.categories}
    return {"ranking": r, "model": {"id": model.id, "name": model.spec.name or model.id},
            "colours": colours(model.categories), "headline": headline(r, names),
            "lever_names": {lv.id: lv.name or lv.id for lv in builtin_catalogue().levers}}


def run_timeline(body: LeversTimelineRequest) -> dict[str, Any]:
    """Every lever through the timeline with one seed (runs in a worker)."""
    from ...levers._timeline import timeline_effects

    model = resolve_model(body.model)
    out = timeline_effects(model, draws=body.draws, seed=body.seed, units=body.units).to_dict()
    out["colours"] = colours(model.categories)
    return out


def report_command(body: ReportRequest, model_id: str) -> str:
    """The command line that writes the same file, every option spelled out (as the CLI records)."""
    ref = body.model if isinstance(body.model, str) else f"{model_id}.yaml"
    return (f"autosafety report {shlex.quote(ref)}" + (" --timeline" if body.timeline else "")
            + (" --levers" if body.levers else "") + f" --draws {body.draws} --seed {body.seed} "
            f"--format html --out {shlex.quote(report_filename(model_id))}")


def report_filename(model_id: str) -> str:
    """The download's file name."""
    return f"autosafety-report-{model_id}.html"


def run_report(body: ReportRequest) -> tuple[str, str]:
    """(file name, HTML) of ``render_report`` with the request's settings (runs in a worker)."""
    from ...report import render_report

    model = resolve_model(body.model)
    html = render_report(model, timeline=body.timeline, levers=body.levers, draws=body.draws, seed=body.seed,
                         command=report_command(body, model.id))
    return report_filename(model.id), html


@router.post("/api/levers", summary="The levers ranked by how much they close the gap (exact)",
             response_class=Response,
             responses={200: {"content": {"application/json": {}}, "description": (
                 "`ranking`: as `autosafety levers MODEL -f json`'s `factor_model` (gap, then one row "
                 "per lever with safety, capabilities and net change, best first); `headline`; "
                 "`colours` (category -> colour)")}})
async def levers(body: LeversRequest, request: Request) -> Response:
    """Each built-in lever alone (``units`` of it) and its exact effect on the category averages of
    the factor model: the change of the safety average, of the capabilities average (a spill-over),
    and the net change of the gap. The same numbers as `autosafety levers`."""
    return json_response(await cpu_slots(request).run(run_levers, body))


@router.post("/api/levers/timeline", summary="Months each lever moves the 10x dates",
             response_class=Response,
             responses={200: {"content": {"application/json": {}}, "description": (
                 "As `autosafety levers MODEL --timeline -f json`'s `timeline`: the baseline, then "
                 "one row per lever (safety_months, capabilities_months, net_months, dp), best first")}})
async def levers_timeline(body: LeversTimelineRequest, request: Request) -> Response:
    """Every lever through `autosafety.timeline.simulate` with the baseline's seed and draws
    (common random numbers): months the safety areas' median 10x date moves earlier, months the
    capabilities areas' moves later, and the change of P(every safety area before the median
    capabilities area)."""
    return json_response(await cpu_slots(request).run(run_timeline, body))


async def _report(body: ReportRequest, request: Request) -> Response:
    filename, html = await cpu_slots(request).run(run_report, body)
    return Response(html, media_type="text/html; charset=utf-8",
                    headers={"Content-Disposition": content_disposition(filename)})


REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "One self-contained, offline HTML file (an "
          "attachment): the file `autosafety report` writes with the same settings."}}


@router.post("/api/report", summary="The report of a model, as a file", response_class=Response,
             responses=REPORT_RESPONSES)
async def report_post(body: ReportRequest, request: Request) -> Response:
    """The report `autosafety report MODEL [--timeline] [--levers]` writes: inputs and provenance,
    scores, uncertainty, sensitivity, flip thresholds, and optionally the timeline and the levers."""
    return await _report(body, request)


@router.get("/api/report", summary="The report of a built-in model, as a file", response_class=Response,
            responses=REPORT_RESPONSES)
async def report_get(request: Request,
                     model: Annotated[str, Query(max_length=200)] = DEFAULT_MODEL,
                     timeline: bool = False, levers: bool = True,
                     draws: Annotated[int, Query(ge=100, le=MAX_DRAWS)] = 20_000,
                     seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0) -> Response:
    """As POST /api/report, for a built-in model named in the query (a link downloads it)."""
    return await _report(ReportRequest(model=model, timeline=timeline, levers=levers, draws=draws, seed=seed),
                         request)


@router.get("/levers", response_class=HTMLResponse, include_in_schema=False)
def levers_page(request: Request) -> HTMLResponse:
    """The Levers view: the ranking first (rendered here, before any script), settings beside it."""
    from ...model import BUILTINS, load_model

    models = [{"id": n, "name": load_model(n).spec.name or n} for n in BUILTINS]
    first = run_levers(LeversRequest(model=PAGE["model"], units=PAGE["units"]))
    boot = {"page": PAGE, "models": models, "initial": first, "max_units": MAX_UNITS}
    return templates.TemplateResponse(request, "levers.html", {
        "boot": boot, "r": first, "boot_json": htmlsafe_json_dumps(boot, sort_keys=False)})
