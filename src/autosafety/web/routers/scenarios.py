"""Saved scenarios (SQLite by default) and share links."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from ...store import SavedScenario, ScenarioStore
from .._compare import compare_models
from .._deps import resolve_model, store
from .._schemas import DecodeRequest, ScenarioIn, ShareRequest
from .._share import decode_scenario, encode_scenario

router = APIRouter(prefix="/api", tags=["scenarios"])


def _get(db: ScenarioStore, scenario_id: int) -> SavedScenario:
    try:
        return db.get(scenario_id)
    except KeyError:
        raise HTTPException(404, f"no scenario with id {scenario_id}") from None


@router.get("/scenarios")
def list_scenarios(db: ScenarioStore = Depends(store)) -> list[dict[str, Any]]:
    """Every saved scenario (without its model), newest first."""
    return [s.to_dict() for s in db.list()]


@router.post("/scenarios", status_code=201)
def save_scenario(body: ScenarioIn, db: ScenarioStore = Depends(store)) -> dict[str, Any]:
    """Save a named scenario; the model is validated first (422 lists its problems)."""
    model = resolve_model(body.model, origin="scenario model")
    return db.save(body.name, model, description=body.description, base=body.base).to_dict()


@router.get("/scenarios/compare")
def compare_scenarios(a: int = Query(ge=1, le=2**62), b: int = Query(ge=1, le=2**62),
                      db: ScenarioStore = Depends(store)) -> dict[str, Any]:
    """Two saved scenarios side by side: what scenario ``a`` changes relative to ``b``."""
    first, second = _get(db, a), _get(db, b)
    return {"a": first.summary.to_dict(), "b": second.summary.to_dict(),
            **compare_models(first.model, second.model)}


@router.get("/scenarios/{scenario_id}")
def get_scenario(scenario_id: int, db: ScenarioStore = Depends(store)) -> dict[str, Any]:
    """A saved scenario with its whole model."""
    if not 1 <= scenario_id <= 2**62:
        raise HTTPException(404, f"no scenario with id {scenario_id}")
    return _get(db, scenario_id).to_dict()


@router.delete("/scenarios/{scenario_id}", status_code=204, response_class=Response)
def delete_scenario(scenario_id: int, db: ScenarioStore = Depends(store)) -> Response:
    """Delete a saved scenario."""
    if not 1 <= scenario_id <= 2**62 or not db.delete(scenario_id):
        raise HTTPException(404, f"no scenario with id {scenario_id}")
    return Response(status_code=204)


@router.post("/share")
def share(body: ShareRequest) -> dict[str, str]:
    """A share link for a scenario: the whole model is in the link (after ``#s=``)."""
    resolve_model(body.model, origin="shared model")
    token = encode_scenario({"base": body.base, "model": body.model})
    return {"token": token, "path": f"/#s={token}"}


@router.post("/share/decode")
def unshare(body: DecodeRequest) -> dict[str, Any]:
    """The scenario inside a share token, validated (422 if damaged or invalid)."""
    data = decode_scenario(body.token)
    model = resolve_model(data["model"], origin="shared model")
    base = data.get("base")
    return {"base": base if isinstance(base, str) else None,
            "model": model.spec.model_dump(mode="json")}
