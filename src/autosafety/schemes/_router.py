"""The schemes page and JSON API (FastAPI router): the same engine as `autosafety scheme ...`.

JSON under ``/api/schemes``; the page at ``/schemes`` with its script and style under
``/schemes/static``. Bad input raises InputError, which the app turns into 422 with every problem.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from .._errors import InputError, Problem
from ..web._deps import content_disposition
from ._confidence import residual_doubts
from ._files import (
    EXAMPLES,
    assess_and_build,
    check_case_text,
    example_text,
    examples,
    json_schema,
    load_scheme,
    parse_scheme_text,
    scheme_from_data,
)
from ._gsn import validate
from ._render import MEDIA_TYPES, CaseFormat, render
from ._spec import Scheme

router = APIRouter(tags=["schemes"])
MAX_TEXT = 200_000
"""Longest scheme or case text accepted (characters)."""


class SchemeRequest(BaseModel):
    """A scheme as YAML/JSON text or as data (exactly one of them)."""

    model_config = ConfigDict(extra="forbid")

    yaml: str | None = Field(None, max_length=MAX_TEXT, description="The scheme file's text (YAML or JSON).")
    scheme: dict[str, Any] | None = Field(None, description="The scheme as data (schema: "
                                          "GET /api/schemes/schema).")


class CaseRequest(BaseModel):
    """A safety case in gsn2x YAML to validate."""

    model_config = ConfigDict(extra="forbid")

    yaml: str = Field(max_length=MAX_TEXT, description="The case's gsn2x YAML text.")


def _scheme(body: SchemeRequest) -> Scheme:
    if (body.yaml is None) == (body.scheme is None):
        raise InputError(Problem("request", "send exactly one of `yaml` and `scheme`",
                                 'e.g. {"yaml": "name: ..."}'), title="malformed request")
    if body.yaml is not None:
        return parse_scheme_text(body.yaml, origin="scheme")
    return scheme_from_data(body.scheme, origin="scheme")


def _example(name: str) -> Scheme:
    if name not in EXAMPLES:
        raise HTTPException(404, f"no built-in example '{name[:100]}'")
    return load_scheme(name)


def _report(scheme: Scheme) -> dict[str, Any]:
    assessment, case = assess_and_build(scheme)
    data = assessment.to_dict()
    plain = scheme.model_dump(mode="json", exclude_defaults=True)
    data["scheme_data"] = plain
    data["yaml"] = yaml.safe_dump(plain, sort_keys=False, allow_unicode=True, width=100)
    data["case"] = case.to_gsn2x()
    data["case_summary"] = {"elements": len(case.nodes),
                            "undeveloped": sum(1 for n in case.nodes.values() if n.undeveloped)}
    data["validation"] = [{"node": v.node, "rule": v.rule, "message": v.message} for v in validate(case)]
    data["confidence"] = residual_doubts(case, origin="scheme").to_dict()
    return data


def _case_response(scheme: Scheme, fmt: str, stem: str) -> Response:
    text = render(*assess_and_build(scheme), fmt)
    ext = {"mermaid": "mmd", "yaml": "gsn.yaml"}.get(fmt, fmt)
    return Response(text, media_type=MEDIA_TYPES[fmt],
                    headers={"content-disposition": content_disposition(f"{stem}.{ext}", kind="inline")})


@router.get("/api/schemes/examples")
def list_examples() -> list[dict[str, Any]]:
    """The built-in example schemes: name, title, level, description."""
    return [{"name": e.name, "title": e.title, "description": e.description,
             "level": assess_and_build(load_scheme(e.name))[0].level} for e in examples()]


@router.get("/api/schemes/examples/{name}")
def get_example(name: str) -> dict[str, Any]:
    """A built-in example: its YAML text and its full report."""
    scheme = _example(name)
    return {"name": name, "text": example_text(name), **_report(scheme)}


@router.get("/api/schemes/schema")
def get_schema() -> dict[str, Any]:
    """The JSON Schema of scheme files (as `autosafety scheme schema`)."""
    return json_schema()


@router.post("/api/schemes/assess")
def assess_scheme(body: SchemeRequest) -> dict[str, Any]:
    """Level, reasons, verdict, worries, less automation, the case (gsn2x data) and its validation."""
    return _report(_scheme(body))


@router.post("/api/schemes/case", response_class=Response,
             responses={200: {"content": {m: {} for m in MEDIA_TYPES.values()}}})
def scheme_case(body: SchemeRequest, format: CaseFormat = "yaml") -> Response:
    """The safety case or report in one format: yaml (gsn2x), dot, svg, mermaid, md or json."""
    return _case_response(_scheme(body), format, "scheme")


@router.get("/api/schemes/examples/{name}/case", response_class=Response,
            responses={200: {"content": {m: {} for m in MEDIA_TYPES.values()}}})
def example_case(name: str, format: CaseFormat = "yaml") -> Response:
    """A built-in example's safety case or report in one format."""
    return _case_response(_example(name), format, name)


@router.post("/api/schemes/validate")
def validate_case(body: CaseRequest) -> dict[str, Any]:
    """Check a gsn2x safety case with gsn2x's rules; 422 lists every violation with element and rule."""
    case = check_case_text(body.yaml, origin="case")
    return {"ok": True, "elements": len(case.nodes),
            "undeveloped": sum(1 for n in case.nodes.values() if n.undeveloped)}


@cache
def _asset(name: str) -> str:
    folder = "templates" if name.endswith(".html") else "static"
    return resources.files("autosafety.schemes").joinpath(folder, name).read_text("utf-8")


@router.get("/schemes", response_class=HTMLResponse, include_in_schema=False)
def page() -> HTMLResponse:
    """The schemes page: edit a scheme, see level, verdict, diagram and checklist."""
    return HTMLResponse(_asset("schemes.html"))


@router.get("/schemes/static/{name}", include_in_schema=False)
def static(name: str) -> Response:
    """The page's script and style (shipped in the package; no CDN)."""
    if name not in ("schemes.js", "schemes.css"):
        raise HTTPException(404, f"no such file '{name[:100]}'")
    media = "text/javascript" if name.endswith(".js") else "text/css"
    return Response(_asset(name), media_type=media, headers={"cache-control": "no-cache"})
