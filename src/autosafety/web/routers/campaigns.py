"""The campaign JSON API: a rater's form data and saves, the organiser's campaign, dashboard,
rounds and export. Tokens travel only in ``Authorization: Bearer``; an unknown token, another
rater's or campaign's token and a cell not assigned all get the same 404."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Query, Request, Security
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBearer

from ..._errors import InputError, Problem
from ...campaign import (
    Answer,
    CampaignStore,
    NotFound,
    RoundClosed,
    StaleWrite,
    answers_to_ratings,
    campaign_cells,
)
from ...campaign._dashboard import SOURCE_WEIGHTS, dashboard
from ...campaign._delphi import feedback_for
from .._campaign_schemas import MAX_SEED_FILE, MAX_WEB_RATERS, AnswerIn, CampaignIn
from .._deps import content_disposition, json_response, problems_body, resolve_model

router = APIRouter(prefix="/api", tags=["campaigns"])

NOT_FOUND = problems_body("not found", [Problem(
    "authorization", "no campaign, private link or cell matches this request",
    "open the whole private link you were sent (the key is the part after '#')")])
"""The one 404 body for an unknown token, a foreign token, an unassigned cell, an unknown campaign."""
RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown, foreign or missing token, or a cell not assigned (one body for "
          "all)."}}


DOC_AUTH = [Security(HTTPBearer(auto_error=False, scheme_name="private token", description=(
    "The private token of a rater or organiser: the part of the link after '#'.")))]
"""Documents the Authorization header in /docs (the endpoints read and check it themselves, so
that a missing, unknown or foreign token all get the same 404)."""


class _Missing(Exception):
    pass


def campaigns(request: Request) -> CampaignStore:
    """The app's campaign store."""
    db: CampaignStore = request.app.state.campaigns
    return db


def bearer(request: Request) -> str:
    """The token of the Authorization header (or one that matches nothing)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not 20 <= len(token) <= 200:
        raise _Missing
    return token


def not_found() -> JSONResponse:
    """The same 404 for every token or cell that opens nothing."""
    return JSONResponse(NOT_FOUND, status_code=404)


def _answer(s: Any) -> dict[str, Any]:
    a = s.answer
    return {"value": a.value, "low": a.low, "high": a.high, "rationale": a.rationale,
            "not_my_area": a.not_my_area, "version": s.version, "saved_at": s.time, "round": s.round}


def _cell_text(model: Any, area: str, factor: str) -> dict[str, Any]:
    a = next(x for x in model.spec.areas if x.id == area)
    f = next(x for x in model.spec.factors if x.id == factor)
    scale = f.scale or model.spec.scale
    anchors = sorted(((float(k), v) for k, v in (f.rubric or {}).items()), key=lambda kv: kv[0])
    return {"area": area, "area_name": a.name or area, "area_description": a.description or "",
            "category": a.category, "factor": factor, "factor_name": f.name or factor,
            "definition": f.description or "", "citation": f.citation or "",
            "direction": f.direction, "scale": {"low": float(scale.min), "high": float(scale.max)},
            "anchors": [{"value": k, "text": v} for k, v in anchors]}


def rater_view(db: CampaignStore, token: str) -> dict[str, Any]:
    """Everything the rater's page shows (NotFound for a token that opens nothing)."""
    info, rater = db.rater(token)
    model = db.model(info.id)
    current = info.current.number
    mine = db.answers(info.id, rater=rater.pseudonym)
    now = {(s.answer.area, s.answer.factor): s for s in mine if s.round == current}
    earlier: dict[tuple[str, str], Any] = {}
    for s in mine:
        if s.round < current:
            earlier[(s.answer.area, s.answer.factor)] = s
    group = {}
    if current > 1:
        group = feedback_for(db.closed_round_group(info.id, current - 1), rater=rater.pseudonym,
                             cells=rater.cells)
    cells = []
    for c in rater.cells:
        entry = _cell_text(model, *c)
        entry["answer"] = _answer(now[c]) if c in now else None
        entry["previous"] = _answer(earlier[c]) if c in earlier else None
        entry["group"] = group.get(c)
        cells.append(entry)
    return {"campaign": {"id": info.id, "name": info.name, "model_name": model.name},
            "rater": {"pseudonym": rater.pseudonym, "display_name": rater.display_name},
            "round": {"number": current, "planned": info.rounds_planned,
                      "open": info.current.closed is None, "opened": info.current.opened,
                      "closed": info.current.closed},
            "progress": {"answered": len(now), "total": len(rater.cells)}, "cells": cells}


@router.get("/rater", summary="The rater's form: cells, own answers, progress, group feedback",
            responses={**RESPONSES, 200: {"description": "Campaign, round, cells with definitions, "
                                          "anchors, citation, scale, own answers (with version) "
                                          "and, from round 2, the previous round's anonymised "
                                          "group distribution and rationales."}},
            dependencies=DOC_AUTH)
def get_rater(request: Request) -> Response:
    """The private form of the rater whose token is in `Authorization: Bearer`."""
    try:
        return json_response(rater_view(campaigns(request), bearer(request)))
    except (_Missing, NotFound):
        return not_found()


@router.put("/rater/answers/{area}/{factor}", summary="Save one answer (versioned)", dependencies=DOC_AUTH,
            responses={**RESPONSES,
                       200: {"description": "`{version, saved_at}`: acknowledged and stored."},
                       409: {"description": "Stale version: `current` holds the newer answer."},
                       422: {"description": "Every problem with the answer, located."},
                       423: {"description": "The round is closed."}})
def put_answer(area: str, factor: str, body: AnswerIn, request: Request) -> Response:
    """Save the rater's answer to an assigned cell in the open round. `version` is the version the
    rater last saw (0 for a first answer); if the stored answer is newer, nothing is written and
    409 returns it."""
    db = campaigns(request)
    try:
        token = bearer(request)
        if len(area) > 200 or len(factor) > 200:
            raise NotFound("cell")
        answer = Answer(area, factor, body.value, body.low, body.high, body.rationale, body.not_my_area)
        version = db.save_answer(token, answer, expected_version=body.version)
    except (_Missing, NotFound):
        return not_found()
    except StaleWrite as e:
        info, rater = db.rater(bearer(request))
        stored = [s for s in db.answers(info.id, rater=rater.pseudonym)
                  if s.round == info.current.number and (s.answer.area, s.answer.factor) == (area, factor)]
        body_ = problems_body("stale answer", [Problem(
            f"{area}:{factor}.version", f"you saved version {body.version}, but version {e.current} "
            "is stored (saved from another tab or device)", "reload the newer answer, then edit it")])
        body_["current"] = _answer(stored[0]) if stored else None
        return JSONResponse(body_, status_code=409)
    except RoundClosed as e:
        return JSONResponse(problems_body("round closed", [Problem(
            "round", str(e), "ask the organiser to reopen the round")]), status_code=423)
    except InputError as e:
        where = f"{area}:{factor}"
        return JSONResponse(problems_body(e.title, [
            Problem(p.location.removeprefix(where + ".").removeprefix(where) or "answer", p.message, p.fix)
            for p in e.problems]), status_code=422)
    return json_response({"version": version, "saved_at": datetime.now(UTC).isoformat(timespec="seconds")})


@router.post("/campaigns", status_code=201, summary="Create a campaign",
             responses={422: {"description": "Every problem with the request, located."}})
def create_campaign(body: CampaignIn, request: Request) -> Response:
    """A campaign over a built-in or posted model: returns its id, the organiser token and link,
    and one private link per rater. Tokens are shown once; only their hashes are stored."""
    problems = []
    count = body.raters if isinstance(body.raters, int) else len(body.raters)
    if not 1 <= count <= MAX_WEB_RATERS:
        problems.append(Problem("raters", f"{count} raters", f"from 1 to {MAX_WEB_RATERS} over the web "
                                "(use `autosafety campaign create` for more)"))
    model = resolve_model(body.model, origin="model")
    try:
        cells = campaign_cells(model, body.cells)
    except InputError as e:
        problems += [Problem(p.location.replace("--cells", "cells"), p.message, p.fix) for p in e.problems]
    seeds = []
    if body.seed_questions is not None:
        try:
            seeds = _seed_questions(body.seed_questions)
        except InputError as e:
            problems += e.problems
    if problems:
        raise InputError(problems, title="cannot create the campaign")
    names: list[str | None] = ([None] * count if isinstance(body.raters, int)
                               else [n.strip() or None if n else None for n in body.raters])
    ref = body.model if isinstance(body.model, str) else f"posted model '{model.id}'"
    db = campaigns(request)
    made = db.create(model, name=body.name, model_ref=ref, cells=cells, raters=names, rounds=body.rounds)
    if seeds:
        from ...campaign._seeds_store import SeedStore

        SeedStore(db).add_questions(made.id, seeds)
    base = str(request.base_url).rstrip("/")
    return JSONResponse({
        "id": made.id, "name": made.name, "cells": len(made.cells), "rounds": body.rounds,
        "seed_questions": len(seeds),
        "organiser_token": made.organiser_token,
        "organiser_link": f"{base}/campaigns/{made.id}#{made.organiser_token}",
        "raters": [{"pseudonym": r.pseudonym, "display_name": r.display_name, "token": r.token,
                    "link": f"{base}/rate#{r.token}",
                    "interview_link": f"{base}/interview#{r.token}"} for r in made.raters]}, status_code=201)


def _seed_questions(given: Any) -> list[Any]:
    """The posted seed questions, checked as `campaign create --seed-questions` checks a file."""
    from ...campaign._seeds import read_seed_questions, seed_questions_from_data

    if isinstance(given, str):
        if len(given) > MAX_SEED_FILE:
            raise InputError(Problem("seed_questions", f"{len(given):,} characters, over "
                                     f"{MAX_SEED_FILE:,}", "keep the seed-question file shorter "
                                     "(at most 100 questions)"))
        return read_seed_questions(given, origin="seed_questions")
    return seed_questions_from_data(given, origin="seed_questions")


def organiser(request: Request, campaign_id: int) -> CampaignStore:
    """The campaign store if the bearer token is this campaign's organiser token (else _Missing
    or NotFound, which the endpoints answer with the one 404)."""
    db = campaigns(request)
    if not 1 <= campaign_id <= 2**62:
        raise NotFound(campaign_id)
    db.check_organiser(campaign_id, bearer(request))
    return db


@router.get("/campaigns/{campaign_id}", summary="The organiser's dashboard", dependencies=DOC_AUTH,
            responses={**RESPONSES, 200: {"description": "Responses per rater and cell, pooled vs "
                                          "published scores, most disagreed cells, alpha per "
                                          "round, human vs reference agreement, rounds, changes."}})
def get_dashboard(campaign_id: int, request: Request,
                  human: float = Query(SOURCE_WEIGHTS["human"], gt=0, le=1e6,
                                       description="Source weight of human raters."),
                  llm: float = Query(SOURCE_WEIGHTS["llm"], gt=0, le=1e6,
                                     description="Source weight of LLM raters."),
                  other: float = Query(SOURCE_WEIGHTS["other"], gt=0, le=1e6,
                                       description="Source weight of the model's other raters "
                                       "(a built-in model's published table).")) -> Response:
    """Everything the organiser's page shows (organiser token in `Authorization: Bearer`)."""
    try:
        db = organiser(request, campaign_id)
    except (_Missing, NotFound):
        return not_found()
    from ...analysis.figures import PALETTE

    model = db.model(campaign_id)
    data = dashboard(model, db.info(campaign_id), db.raters(campaign_id), db.answers(campaign_id),
                     weights={"human": human, "llm": llm, "other": other})
    # one colour per category, as in every chart of the project
    data["colours"] = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(model.categories)}
    data["cooke"] = cooke_section(db, campaign_id)
    return json_response(data)


def cooke_section(db: CampaignStore, campaign_id: int) -> dict[str, Any]:
    """The dashboard's Cooke panel: the seed questions' count and, once raters answered them, the
    pool as `GET /api/campaigns/{id}/pool` gives it (`pool`); else why not (`problems`)."""
    from ...campaign._seeds_store import SeedStore, pool_stored

    questions = SeedStore(db).questions(campaign_id)
    out: dict[str, Any] = {"seed_questions": len(questions), "pool": None, "problems": []}
    if questions:
        try:
            out["pool"] = pool_stored(db, campaign_id, method="cooke").to_dict()
        except InputError as e:
            out["problems"] = problems_body(e.title, e.problems)["problems"]
    return out


def _round_action(request: Request, campaign_id: int, action: str) -> Response:
    try:
        db = organiser(request, campaign_id)
        token = bearer(request)
        number = db.close_round(campaign_id, token) if action == "close" else db.reopen_round(
            campaign_id, token)
    except (_Missing, NotFound):
        return not_found()
    except RoundClosed as e:
        fix = "nothing to do" if action == "reopen" else "reopen the round, or create a new campaign"
        return JSONResponse(problems_body(f"cannot {action} the round", [Problem("round", str(e), fix)]),
                            status_code=409)
    info = db.info(campaign_id)
    return json_response({"round": info.current.number, "open": info.current.closed is None,
                          "finished": action == "close" and number is None,
                          "rounds": [{"number": r.number, "opened": r.opened, "closed": r.closed}
                                     for r in info.rounds]})


@router.post("/campaigns/{campaign_id}/rounds/close", summary="Close the open round", dependencies=DOC_AUTH,
             responses={**RESPONSES, 409: {"description": "The last round is already closed."}})
def close_round(campaign_id: int, request: Request) -> Response:
    """Close the open round and open the next (the raters then see the group's answers); closing
    the last planned round finishes the campaign."""
    return _round_action(request, campaign_id, "close")


@router.post("/campaigns/{campaign_id}/rounds/reopen", summary="Reopen the last, closed round",
             dependencies=DOC_AUTH,
             responses={**RESPONSES, 409: {"description": "The newest round is open."}})
def reopen_round(campaign_id: int, request: Request) -> Response:
    """Reopen the newest round after it was closed (answers are accepted again)."""
    return _round_action(request, campaign_id, "reopen")


@router.get("/campaigns/{campaign_id}/export.csv", summary="The tidy ratings CSV", dependencies=DOC_AUTH,
            response_class=Response, responses={**RESPONSES, 200: {
                "description": "As `autosafety campaign export`: kind human, provenance campaign, "
                "round, pseudonym, time; no tokens, no names.", "content": {"text/csv": {}}}})
def export(campaign_id: int, request: Request,
           round: int | None = Query(None, ge=1, le=1000, description="Only this round "
                                     "(default: each rater's latest answer).")) -> Response:
    """The ratings CSV for `autosafety score MODEL --ratings FILE`."""
    from ...model import ratings_to_csv

    try:
        db = organiser(request, campaign_id)
    except (_Missing, NotFound):
        return not_found()
    text = ratings_to_csv(answers_to_ratings(db.answers(campaign_id), round=round))
    return Response(text, media_type="text/csv; charset=utf-8", headers={
        "content-disposition": content_disposition(f"campaign-{campaign_id}-ratings.csv")})
