"""Models: list and fetch built-ins, parse uploads, export, score, compare (same engine as the CLI)."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from ...model import BUILTINS, datasets, dump_model, json_schema, parse_model_text
from .._compare import compare_models, raw_pooled
from .._deps import (
    RequestRoute,
    body_schema,
    builtin_spec,
    content_disposition,
    json_response,
    parse_body,
    parse_cells,
    resolve_model,
)
from .._schemas import CompareRequest, ExportRequest, ParseRequest, ScoreRequest

router = APIRouter(prefix="/api", tags=["models"])

MEDIA = {"yaml": "application/yaml", "json": "application/json", "csv": "text/csv"}


async def score(request: Request) -> Response:
    """Scores, ranks, category averages and gaps (as `autosafety score -f json`); with
    ``grid: true`` also the pooled rating of every cell on its factor's scale under ``pooled``.

    A built-in model scores in well under a millisecond, on the event loop; a posted model is
    validated and scored in the thread pool.
    """
    body = parse_body(ScoreRequest, await request.body())
    if isinstance(body.model, str):
        return json_response(score_data(body))
    return json_response(await run_in_threadpool(score_data, body))


router.add_api_route("/score", score, methods=["POST"], route_class_override=RequestRoute,
                     openapi_extra=body_schema(ScoreRequest), response_class=JSONResponse,
                     responses={200: {"description": "As `autosafety score -f json`."}})


def score_data(body: ScoreRequest) -> dict[str, Any]:
    """The body of a /api/score answer."""
    model = resolve_model(body.model)
    cells = parse_cells(body.ratings)
    data = model.score(weights=body.weights, ratings=cells, pooling=body.pooling).to_dict()
    if body.grid:
        grid = raw_pooled(model, pooling=body.pooling)
        pooled = {a: dict(zip(model.factor_ids, map(float, row))) for a, row in
                  zip(model.area_ids, grid)}
        for (a, f), v in cells.items():
            pooled[a][f] = float(v)
        data["pooled"] = pooled
    return data


@router.get("/models")
def list_models() -> list[dict[str, str]]:
    """The built-in published models: name, one-line description, source."""
    return builtin_list()


@cache
def builtin_list() -> list[dict[str, str]]:
    """The built-in models as plain data (they never change while the server runs)."""
    return [dict(d.__dict__) for d in datasets()]


@router.get("/models/{name}")
def get_model(name: str) -> dict[str, Any]:
    """A built-in model as plain data (the same fields as a YAML/JSON model file)."""
    if name not in BUILTINS:
        raise HTTPException(404, f"no built-in model '{name[:100]}'")
    return {"name": name, "model": builtin_spec(name)}


@router.get("/schema")
def get_schema() -> dict[str, Any]:
    """The JSON Schema of models (as `autosafety schema`)."""
    return json_schema()


@router.post("/parse")
def parse(body: ParseRequest) -> dict[str, Any]:
    """Validate an uploaded YAML/JSON/CSV model; 422 lists every problem with its location."""
    model = parse_model_text(body.text, fmt=body.format, origin=body.filename or "upload")
    return {"model": model.spec.model_dump(mode="json")}


@router.post("/export", response_class=Response,
             responses={200: {"content": {m: {} for m in MEDIA.values()}}})
def export(body: ExportRequest) -> Response:
    """The model as a YAML, JSON or CSV file that loads back to the identical model."""
    model = resolve_model(body.model)
    return Response(dump_model(model, body.format), media_type=MEDIA[body.format],
                    headers={"content-disposition": content_disposition(f"{model.id}.{body.format}")})


@router.post("/compare")
def compare(body: CompareRequest) -> dict[str, Any]:
    """What ``model`` changes relative to ``against``: weights, cells, scores, ranks, gaps."""
    mine = resolve_model(body.model, origin="model")
    other = resolve_model(body.against, origin="against")
    return compare_models(mine, other, pooling=body.pooling)
