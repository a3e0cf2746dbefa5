"""Monte Carlo and sensitivity (tornado, exact flip thresholds) from autosafety.analysis."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api", tags=["analysis"])
