"""The rater's interview and seed questions as a JSON API, and the ``/interview`` page.

The rater's private token travels in ``Authorization: Bearer`` (the page reads it from the URL
fragment, which no server sees). An unknown or foreign token gets one 404 body; saves are
versioned like cell answers (a stale version gets 409 with the stored value); a bad field gets a
located 422. Seed realizations and sources never leave the server.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from ..._errors import Problem
from ...campaign import CampaignStore, NotFound, StaleWrite
from ...campaign._interview import (
    MAX_TASKS,
    SHARE_TOLERANCE,
    TASK_TYPES,
    UNIT_HOURS,
    Interview,
    check_interview,
    interview_problems,
)
from ...campaign._interview_store import InterviewStore
from ...campaign._seeds import SeedAnswer
from ...campaign._seeds_store import SeedStore
from .._deps import json_response, problems_body
from .campaigns import _Missing, bearer, organiser

router = APIRouter(tags=["interviews"])
organiser_router = APIRouter(tags=["campaigns"])
"""The organiser's reads of interviews and seed answers (listed with the other campaign routes)."""
NOT_FOUND = problems_body("not found", [Problem(
    "authorization", "no campaign, private link or question matches this request",
    "open the whole private link you were sent (the key is the part after '#')")])
"""The one 404 body for an unknown, foreign or missing token and an unknown question."""
CampaignId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Campaign id.")]
RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown, foreign or missing token, or an unknown question (one body)."},
    422: {"description": "Every problem with the input, located."}}


class InterviewIn(BaseModel):
    """A save of the rater's interview."""

    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=0, le=1_000_000_000)
    """The version the rater last saw (0 before the first save)."""
    interview: dict[str, Any]
    """area, adoption_lag (years), note, tasks: [{id, name, share (%), duration {unit, q05, q50,
    q95} (or low/high), speedup {q05, q50, q95}, verifiability, compute_fraction, review_overhead
    (0-1), note}]."""
    draft: bool = True
    """True: save what is there (the answer lists what is still missing); false: refuse (422) an
    incomplete interview."""


class SeedIn(BaseModel):
    """A save of the rater's 5/50/95% quantiles for one seed question."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    version: int = Field(ge=0, le=1_000_000_000)
    """The version the rater last saw (0 for a first answer)."""
    q05: float
    q50: float
    q95: float


def _stores(request: Request) -> tuple[InterviewStore, SeedStore]:
    stores: tuple[InterviewStore, SeedStore] = request.app.state.interview_stores
    return stores


def _token(request: Request) -> str | None:
    try:
        return bearer(request)
    except _Missing:
        return None


def _not_found() -> JSONResponse:
    return JSONResponse(NOT_FOUND, status_code=404)


def _state(store: InterviewStore, token: str) -> dict[str, Any]:
    interview, version, areas = store.get(token)
    problems = interview_problems(interview or Interview())
    return {"version": version, "interview": None if interview is None else interview.to_dict(),
            "share_total": 0.0 if interview is None else interview.share_total,
            "complete": not problems, "problems": problems_body("incomplete", problems)["problems"],
            "areas": areas}


@router.get("/api/interview", summary="The rater's interview (with what it still lacks)",
            responses=RESPONSES)
def get_interview(request: Request) -> Response:
    """The interview saved under the token of `Authorization: Bearer` (null before the first save),
    its version, the areas to choose from, the task taxonomy and units, and what a complete
    interview still lacks (located)."""
    token = _token(request)
    if token is None:
        return _not_found()
    store = _stores(request)[0]
    try:
        data = _state(store, token)
        info, rater = store.campaigns.rater(token)
    except NotFound:
        return _not_found()
    data["campaign"] = {"name": info.name}
    data["rater"] = {"pseudonym": rater.pseudonym, "cells": len(rater.cells)}
    data["task_types"] = [{"id": k, "name": v[0], "insight": v[1]} for k, v in TASK_TYPES.items()]
    data["units"] = list(UNIT_HOURS)
    data["limits"] = {"tasks": MAX_TASKS, "share_tolerance": SHARE_TOLERANCE}
    return json_response(data)


@router.put("/api/interview", summary="Save the rater's interview (versioned)",
            responses={**RESPONSES, 200: {"description": "`{version, complete, problems, "
                                          "share_total}`: stored."},
                       409: {"description": "Stale version: `current` holds the stored interview."}})
def put_interview(body: InterviewIn, request: Request) -> Response:
    """Save the interview. `version` is the one the rater last saw; if the stored one is newer,
    nothing is written and 409 returns it. A draft may be incomplete (shares not yet 100%): it is
    stored and the answer lists what is missing; with `draft: false` an incomplete interview is
    refused with 422. Malformed fields are always 422, located."""
    token = _token(request)
    if token is None:
        return _not_found()
    store = _stores(request)[0]
    try:
        interview = store.check(token, body.interview)
        if not body.draft:
            check_interview(interview)
        version = store.save(token, interview, expected_version=body.version)
    except NotFound:
        return _not_found()
    except StaleWrite:
        current = _state(store, token)
        return JSONResponse({**problems_body("stale version", [Problem(
            "version", f"the interview was saved elsewhere (now version {current['version']})",
            "reload it: `current` holds the stored interview")]), "current": current}, status_code=409)
    problems = interview_problems(interview)
    return json_response({"version": version, "complete": not problems,
                          "share_total": interview.share_total,
                          "problems": problems_body("incomplete", problems)["problems"]})


@router.get("/api/seeds", summary="The rater's seed questions and answers", responses=RESPONSES)
def get_seeds(request: Request) -> Response:
    """The campaign's seed questions (question, unit, scale; never the known answer or its
    source) with the rater's own 5/50/95% answers and their versions."""
    token = _token(request)
    if token is None:
        return _not_found()
    try:
        return json_response(_stores(request)[1].for_rater(token))
    except NotFound:
        return _not_found()


@router.put("/api/seeds/{question}", summary="Save one seed answer (versioned)",
            responses={**RESPONSES, 200: {"description": "`{version}`: stored."},
                       409: {"description": "Stale version: `current` holds the stored answer."}})
def put_seed(question: str, body: SeedIn, request: Request) -> Response:
    """Save the rater's 5/50/95% quantiles for a seed question: finite, strictly increasing,
    positive on a log scale (else 422, located). A stale `version` gets 409 with the stored one."""
    token = _token(request)
    if token is None or len(question) > 64:
        return _not_found()
    store = _stores(request)[1]
    try:
        version = store.save(token, SeedAnswer(question, body.q05, body.q50, body.q95),
                             expected_version=body.version)
    except NotFound:
        return _not_found()
    except StaleWrite:
        current = next((q for q in store.for_rater(token)["questions"] if q["id"] == question), None)
        return JSONResponse({**problems_body("stale version", [Problem(
            "version", "the answer was saved elsewhere", "reload it: `current` holds the stored answer")]),
            "current": current}, status_code=409)
    return json_response({"version": version})


def _organiser(request: Request, campaign_id: int) -> CampaignStore | None:
    """The campaign store if the bearer token is this campaign's organiser token, else None."""
    try:
        return organiser(request, campaign_id)
    except (_Missing, NotFound):
        return None


@organiser_router.get("/api/campaigns/{campaign_id}/pool",
                      summary="Raters' Cooke scores and the pooled cells", responses=RESPONSES)
def get_pool(campaign_id: CampaignId, request: Request, method: str = "cooke") -> Response:
    """For the organiser (`Authorization: Bearer <organiser token>`): each rater's calibration,
    information and weight from the seed questions (Cooke's classical model), and every cell's
    pooled 5/50/95% (`method`: cooke or equal), as `autosafety campaign pool ID --format json`."""
    from ...campaign._seeds_store import pool_stored

    campaigns = _organiser(request, campaign_id)
    if campaigns is None:
        return _not_found()
    return json_response(pool_stored(campaigns, campaign_id, method=method[:20]).to_dict())


@organiser_router.get("/api/campaigns/{campaign_id}/interviews",
                      summary="The interviews as a task-level model", responses=RESPONSES)
def get_interviews(campaign_id: CampaignId, request: Request) -> Response:
    """For the organiser: the complete interviews pooled into the timeline's task-level model
    (`task_model`, what `autosafety campaign interviews ID` writes) and the incomplete ones left
    out (`left_out`, located)."""
    from ...campaign._interview_store import export_stored

    campaigns = _organiser(request, campaign_id)
    if campaigns is None:
        return _not_found()
    data, left_out = export_stored(campaigns, campaign_id)
    return json_response({"task_model": data,
                          "left_out": problems_body("left out", left_out)["problems"]})


@router.get("/interview", response_class=HTMLResponse, include_in_schema=False)
def interview_page(request: Request) -> HTMLResponse:
    """The rater's interview and seed questions; the token is in the URL fragment."""
    from .pages import templates

    return templates.TemplateResponse(request, "interview.html", {
        "units": list(UNIT_HOURS), "task_types": TASK_TYPES, "tolerance": SHARE_TOLERANCE,
        "max_tasks": MAX_TASKS})
