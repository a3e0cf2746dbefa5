"""The Timeline view and its JSON API: when does each area's AI speedup reach 10x?

Computed by ``autosafety.timeline.simulate`` (the engine of ``autosafety timeline``) in the app's
analysis workers, so a timed-out or abandoned request stops computing and frees its CPU.
"""

from __future__ import annotations

import asyncio
from functools import cache
from importlib import resources
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2.utils import htmlsafe_json_dumps

from ..._errors import InputError, Problem
from .._deps import resolve_model
from .._timeline_schemas import DEFAULT_MODEL, EXAMPLE, MAX_TIMELINE_DRAWS, TimelineRequest
from .analysis import cpu_slots, plain_text

router = APIRouter(tags=["timeline"])
templates = Jinja2Templates(directory=str(resources.files("autosafety.web") / "templates"))

PAGE_SETTINGS = {"model": DEFAULT_MODEL, "draws": 10_000, "seed": 0, "subsample": 250,
                 "figures": True}
"""What the page asks for on load: 250 draws kept whole keep an update fast (fan chart and
bottlenecks; against 4,000 draws the bottleneck task agrees as often as with 300, see
``benchmarks/timeline_web.py --accuracy``); dates and probabilities use all 10,000."""
REUSE_MAX_DRAWS = 20_000
"""Runs up to this many draws keep their task draws in the worker for the next slider move."""
POSITIVE = ("ai_speed", "share_concentration", "insight_multiplier")
"""Bridge constants that must be > 0 (the others must be >= 0)."""
SHARES = ("insight_share_min", "insight_share_max", "compute_fraction_min", "compute_fraction_max")
"""Bridge constants that are shares of time (at most 1)."""
PAIRS = ("insight_share", "compute_fraction", "review_overhead", "adoption_lag")
"""Bridge constants given as a _min and a _max, the min not above the max."""
CLI_NAMES = {"--milestone": "milestone", "--reliability": "reliability", "--draws": "draws",
             "--until": "until", "--precision": "precision", "--doubling-time": "doubling_time",
             "--reference-horizon": "reference_horizon"}
"""The engine names settings as the command line does; the API names its fields."""

RESULT_EXAMPLE = {
    "milestone": "10x speedup", "model": "wehner-2026", "trend": "metr-2025", "seed": 0, "draws": 10000,
    "areas": [{"id": "agent_scaffolding", "name": "Agent Scaffolding", "category": "capabilities",
               "p10": 2026.4, "p50": 2027.0, "p90": 2028.6, "p_never": 0.0, "p_capped": 0.0, "cap": 31.2,
               "bottleneck": "implementation", "bottleneck_name": "Implementation",
               "bottleneck_months": 2.1}],
    "pairs": [{"a": "agent_scaffolding", "b": "interpretability", "p_a_first": 0.97}],
    "categories": {"p_all_safety_before_median_capabilities": 0.01},
    "summary": {"headline": "Capabilities reaches 10x first: median 2027.0 (Agent Scaffolding); "
                "safety's first: median 2029.3 (Interpretability). P(every safety area reaches 10x "
                "before the median capabilities area) = 0.01."},
    "colours": {"safety": "#1f77b4", "capabilities": "#d62728"}}


@router.post(
    "/api/timeline", summary="Milestone (10x) dates of every area",
    response_class=Response,
    responses={200: {"description": "The result of `autosafety timeline -f json` (areas, pairs, "
                     "categories, fan, cdf, settings, assumptions), plus `summary` (the headline "
                     "sentence), `colours` (category -> colour, as in the figures) and, if asked, "
                     "`figures`.", "content": {"application/json": {"example": RESULT_EXAMPLE}}},
               422: {"description": "Every problem with the request, each with its location "
                     "(the field), message and fix."}},
    openapi_extra={"requestBody": {"content": {"application/json": {"example": EXAMPLE}}}})
async def timeline(body: TimelineRequest, request: Request) -> Response:
    """When does each research area's AI speedup reach the milestone (10x)? Median date, 10-90%
    interval, P(never) and bottleneck task per area; P(every area of one category before the median
    area of another); P(A before B) for every pair; fan chart and CDF data. The same engine and
    numbers as `autosafety timeline` with the same settings and seed."""
    # the worker encodes the answer: the server process only passes the bytes on
    return Response(await cpu_slots(request).run(timeline_json, body), media_type="application/json")


@router.get("/api/timeline/presets", summary="Trend presets and bridge constants (the sliders)")
def presets() -> dict[str, Any]:
    """The capability-trend presets (reference date, horizons at 50%/80% reliability, doubling
    time, with sources) and the bridge constants from factor ratings to tasks (value, interval,
    unit, kind: a sourced fact or our assumption, note), with the slider range the page uses."""
    return presets_data()


@cache
def presets_data() -> dict[str, Any]:
    """The presets as plain data (cached: they are read from the package's data files)."""
    from ...model import BUILTINS, load_model
    from ...timeline import default_bridge, trend_presets
    from ...timeline._spec import BRIDGE_PARAMETERS

    bridge = default_bridge()
    trends = {k: t.model_dump(mode="json") for k, t in trend_presets().items()}
    params = {}
    for name, q in bridge.parameters.items():
        lo, hi = slider_range(name, q.value, q.low, q.high)
        params[name] = {**q.model_dump(mode="json"), "description": BRIDGE_PARAMETERS.get(name, ""),
                        "min": lo, "max": hi}
    models = []
    for name in BUILTINS:
        m = load_model(name)
        if set(bridge.factors.values()) <= set(m.factor_ids):
            models.append({"id": name, "name": m.spec.name or name})
    return {"trends": trends, "default_trend": "metr-2025",
            "bridge": {"id": bridge.id, "description": bridge.description, "parameters": params},
            "models": models, "max_draws": MAX_TIMELINE_DRAWS, "page": PAGE_SETTINGS}


def slider_range(name: str, value: float, low: float | None, high: float | None) -> tuple[float, float]:
    """A slider range around a constant: its interval widened, or a factor of 4 each way."""
    lo = min(low if low is not None else value / 4, value / 2)
    hi = max(high if high is not None else value * 4, value * 2)
    if name in SHARES:
        hi = min(hi, 1.0)
    return float(f"{lo:.3g}"), float(f"{hi:.3g}")


def bridge_problems(values: dict[str, float]) -> list[Problem]:
    """Every bad bridge constant, located as ``bridge.<name>``."""
    from ...timeline import default_bridge

    params = default_bridge().parameters
    problems = []
    for name, v in values.items():
        where = f"bridge.{name[:60]}"
        if name not in params:
            problems.append(Problem(where, "unknown bridge constant",
                                    f"use one of {', '.join(params)}"))
        elif name in POSITIVE and not v > 0:
            problems.append(Problem(where, f"{v:g} must be > 0", "give a positive number"))
        elif v < 0:
            problems.append(Problem(where, f"{v:g} must be >= 0", "give zero or a positive number"))
        elif name in SHARES and v > 1:
            problems.append(Problem(where, f"{v:g} is a share of time above 1", "give 0 to 1"))
    for stem in PAIRS:
        lo_name, hi_name = f"{stem}_min", f"{stem}_max"
        if lo_name not in values and hi_name not in values:
            continue
        lo = values.get(lo_name, params[lo_name].value)
        hi = values.get(hi_name, params[hi_name].value)
        if lo > hi:
            moved = lo_name if lo_name in values else hi_name
            problems.append(Problem(f"bridge.{moved}", f"{stem}_min ({lo:g}) is above {stem}_max "
                                    f"({hi:g})", "keep the minimum at or below the maximum"))
    return problems


def timeline_json(body: TimelineRequest) -> bytes:
    """:func:`run_timeline` encoded as JSON (in the worker that computed it)."""
    return orjson.dumps(run_timeline(body))


def run_timeline(body: TimelineRequest) -> dict[str, Any]:
    """The timeline of a request: ``simulate`` with its settings, as plain data (runs in a worker)."""
    from ...timeline import simulate, task_model_from_data, trend_presets

    problems = []
    if body.model is not None and body.tasks is not None:
        problems.append(Problem("tasks", "give either 'model' (a factor model) or 'tasks' (a "
                                "task-level model), not both", "drop one of them"))
    if body.tasks is not None and body.bridge:
        problems.append(Problem("bridge", "bridge constants apply to factor models only",
                                "a task-level model states its task parameters itself: drop 'bridge'"))
    if body.trend is not None and body.trend not in trend_presets():
        problems.append(Problem("trend", f"unknown trend preset '{body.trend[:100]}'",
                                f"use one of {', '.join(trend_presets())}"))
    if body.tasks is None:
        problems += bridge_problems(body.bridge)
    if problems:
        raise InputError(problems, title="invalid timeline request")
    source: Any
    if body.tasks is not None:
        source = task_model_from_data(body.tasks, origin="tasks")
    else:
        source = resolve_model(body.model if body.model is not None else DEFAULT_MODEL)
    try:
        res = simulate(source, trend=body.trend, milestone=body.milestone, reliability=body.reliability,
                       draws=body.draws, seed=body.seed, until=body.until,
                       doubling_time=body.doubling_time, reference_horizon=body.reference_horizon,
                       bridge_parameters=body.bridge or None, subsample=body.subsample,
                       # a slider that moves the trend reuses the task draws (small runs only)
                       reuse_draws=body.draws <= REUSE_MAX_DRAWS)
    except InputError as e:
        raise InputError([Problem(CLI_NAMES.get(p.location, p.location), p.message, p.fix)
                          for p in e.problems], title=e.title) from None
    out = res.to_dict()
    out["colours"] = colours(res.categories)
    out["summary"] = {"headline": headline(out, res.categories)}
    if body.figures:
        from ...timeline import figures

        out["figures"] = {"fan": plain_text(figures.fan(res)), "cdf": plain_text(figures.cdf(res)),
                          "pairs": plain_text(figures.pairs(res))}
    return out


def colours(categories: list[str]) -> dict[str, str]:
    """Category -> colour, exactly as ``autosafety.timeline.figures`` colours them."""
    from ...analysis.figures import PALETTE

    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}


def _prob(p: float) -> str:
    return f"{p:.3f}" if 0 < p < 0.01 or 0.99 < p < 1 else f"{p:.2f}"


def headline(data: dict[str, Any], categories: list[str]) -> str:
    """The answer in one or two sentences, with names, e.g. "Capabilities reaches 10x first: median
    2027.0 (Agent Scaffolding); safety's first: median 2029.3 (Interpretability). P(every safety
    area reaches 10x before the median capabilities area) = 0.01."."""
    ms = data["milestone"].split()[0]
    until = data["settings"]["until"]
    first: dict[str, dict[str, Any] | None] = {}
    for c in categories:
        dated = [a for a in data["areas"] if a["category"] == c and a["p50"] is not None]
        first[c] = min(dated, key=lambda a: a["p50"]) if dated else None
    dated_cats = sorted((c for c in categories if first[c]), key=lambda c: first[c]["p50"])  # type: ignore[index]
    if not dated_cats:
        return f"No area reaches {ms} by {until:g} in half the draws or more (every median is 'never')."
    lead = dated_cats[0]
    a = first[lead]
    assert a is not None
    if len(categories) == 1:
        return f"{a['name']} reaches {ms} first: median {a['p50']:.1f} (10-90%: " \
               f"{_year(a['p10'])} to {_year(a['p90'])})."
    parts = [f"{lead[:1].upper()}{lead[1:]} reaches {ms} first: median {a['p50']:.1f} ({a['name']})"]
    for c in categories:
        if c == lead:
            continue
        b = first[c]
        parts.append(f"{c}'s first: median {b['p50']:.1f} ({b['name']})" if b else
                     f"{c}: no area's median before {until:g}")
    text = "; ".join(parts) + "."
    for c in categories:
        key = f"p_all_{c}_before_median_{lead}"
        if c != lead and key in data["categories"]:
            text += (f" P(every {c} area reaches {ms} before the median {lead} area) = "
                     f"{_prob(data['categories'][key])}.")
    return text


def _year(v: float | None) -> str:
    return "never" if v is None else f"{v:.1f}"


_first: dict[str, Any] = {}


async def first_view(request: Request) -> dict[str, Any] | None:
    """The page's first result (cached after the first page view), or None if it failed."""
    if "result" not in _first:
        try:
            result = await asyncio.wait_for(cpu_slots(request).run(
                run_timeline, TimelineRequest(**PAGE_SETTINGS)), 15)
        except Exception:  # the page then computes it in the browser's first request
            return None
        _first["result"] = {k: v for k, v in result.items() if k not in ("fan", "cdf")}
    return dict(_first["result"])


@router.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
async def timeline_page(request: Request) -> HTMLResponse:
    """The Timeline view: the answer (headline, 10x dates) first, the sliders beside it."""
    from .pages import plotly_js

    boot = {"presets": presets_data(), "plotly": plotly_js() is not None,
            "initial": await first_view(request)}
    # Jinja's tojson sorts keys; the page relies on the engine's order (categories, constants).
    return templates.TemplateResponse(request, "timeline.html", {
        "boot": boot, "boot_json": htmlsafe_json_dumps(boot, sort_keys=False)})
