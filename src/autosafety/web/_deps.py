"""Shared helpers of the routers: turning API input into models, and errors into JSON."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import lru_cache
from typing import Any, TypeVar, cast

import orjson
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException

from .._errors import InputError, Problem
from ..model import BUILTINS, Model, load_model, model_from_data
from ..model._cells import parse_cells as _parse_cells
from ..store import ScenarioStore

B = TypeVar("B", bound=BaseModel)


def resolve_model(ref: str | dict[str, Any], *, origin: str = "model") -> Model:
    """A built-in model by name or a model from its data; never a file path."""
    if isinstance(ref, str):
        if ref not in BUILTINS:
            raise InputError(Problem(origin, f"unknown built-in model '{ref[:100]}'",
                                     f"use one of: {', '.join(BUILTINS)}, or send the model itself"))
        return load_model(ref)
    return model_from_data(ref, origin=origin)


def parse_cells(cells: dict[str, float], *, where: str = "ratings") -> dict[tuple[str, str], float]:
    """``{"area:factor": 7}`` -> ``{("area", "factor"): 7.0}`` (the one AREA:FACTOR parser,
    :func:`autosafety.model._cells.parse_cells`)."""
    return _parse_cells(cells, where=where)


def parse_body(schema: type[B], raw: bytes) -> B:
    """A request body parsed straight from JSON bytes (for endpoints that skip FastAPI's body
    handling to stay on the event loop); bad bodies raise the usual 422."""
    try:
        return schema.model_validate_json(raw)
    except ValidationError as e:
        raise RequestValidationError(e.errors(include_url=False)) from None


def content_disposition(filename: str, *, kind: str = "attachment") -> str:
    """A Content-Disposition value per RFC 6266: an ASCII ``filename`` (anything else, quotes,
    CR and LF included, replaced by '_') and the exact name percent-encoded in ``filename*``."""
    from urllib.parse import quote

    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_"
                       for c in filename) or "download"
    value = f'{kind}; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def json_response(data: Any) -> Response:
    """A JSON answer encoded with orjson (the same JSON values as ``JSONResponse``, ~15x faster
    to encode)."""
    return Response(orjson.dumps(data), media_type="application/json")


class RequestRoute(APIRoute):
    """A route for ``async def endpoint(request) -> Response`` that parses its own body (see
    :func:`parse_body`): the endpoint is the request handler, so no per-request dependency
    solving or return-value serialisation. OpenAPI, middleware and error handlers are unchanged.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        return cast(Callable[[Request], Coroutine[Any, Any, Response]], self.endpoint)


def body_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` documenting a JSON body parsed with :func:`parse_body`."""
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": schema.model_json_schema(ref_template="#/components/schemas/{model}")}}}}


@lru_cache(maxsize=8)
def builtin_spec(name: str) -> dict[str, Any]:
    """A built-in model's spec as plain JSON data (cached)."""
    return load_model(name).spec.model_dump(mode="json")


def store(request: Request) -> ScenarioStore:
    """The app's scenario store."""
    db: ScenarioStore = request.app.state.store
    return db


def problems_body(title: str, problems: list[Problem]) -> dict[str, Any]:
    """The JSON body of every 4xx answer: a title and the problems with location, message, fix."""
    return {"error": title, "problems": [
        {"location": p.location, "message": p.message, "fix": p.fix} for p in problems]}


async def on_input_error(_request: Request, exc: Exception) -> JSONResponse:
    """InputError -> 422 listing every problem."""
    assert isinstance(exc, InputError)
    return JSONResponse(problems_body(exc.title, exc.problems), status_code=422)


async def on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """A request that does not match the API schema -> 422 in the same shape."""
    assert isinstance(exc, RequestValidationError)
    problems = []
    for e in exc.errors()[:50]:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "[key]")) or "request"
        problems.append(Problem(loc, str(e.get("msg", "invalid")).removeprefix("Value error, "),
                                "see the API schema at /docs"))
    return JSONResponse(problems_body("malformed request", problems), status_code=422)


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    """404, 405 and friends in the same shape."""
    assert isinstance(exc, HTTPException)
    detail = str(exc.detail)
    return JSONResponse(problems_body(detail, [Problem(request.url.path, detail, "")]),
                        status_code=exc.status_code, headers=exc.headers)
