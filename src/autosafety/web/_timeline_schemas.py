"""Request body of the timeline API (validated at the edge; unknown fields are refused)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MAX_TIMELINE_DRAWS = 200_000
"""Most Monte Carlo draws one timeline request may ask for (memory is bounded by the engine's
chunks; this bounds the time, well inside the request deadline)."""
MAX_SUBSAMPLE = 20_000
"""Most draws kept whole for the fan chart and the bottleneck search."""
DEFAULT_MODEL = "wehner-2026"

EXAMPLE: dict[str, Any] = {"model": "wehner-2026", "trend": "metr-2025", "reliability": 0.5, "milestone": 10,
                           "doubling_time": 150, "bridge": {"ai_speed": 30}, "draws": 10_000, "seed": 0}


class TimelineRequest(BaseModel):
    """When does each area's AI speedup reach the milestone? The settings of `autosafety timeline`.

    Give ``model`` (a factor model, through the bridge) or ``tasks`` (a task-level model), not both;
    with neither, the published factor model 'wehner-2026' is used.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False,
                              json_schema_extra={"examples": [dict(EXAMPLE)]})

    model: str | dict[str, Any] | None = Field(None, description=(
        "A built-in factor model name (GET /api/models) or a whole factor model as in a model file; "
        "its ratings become task parameters through the bridge. Default 'wehner-2026'."),
        examples=["wehner-2026"])
    tasks: dict[str, Any] | None = Field(None, description=(
        "A task-level model as in a task file (JSON Schema: `autosafety timeline schema`): areas, "
        "their tasks with shares, durations, verifiability and compute fractions."))
    trend: str | None = Field(None, max_length=100, description=(
        "Capability trend preset (GET /api/timeline/presets); default: the task model's, else "
        "'metr-2025'."), examples=["metr-2025"])
    milestone: float = Field(10.0, gt=1, le=1000, description="Speedup whose date is forecast "
                             "(10 = ten times today's pace of research).")
    reliability: float = Field(0.5, gt=0, lt=1, description=(
        "Success rate the AI time horizon is measured at: 0.5 or 0.8 are measured by METR; others "
        "are derived from 50% along the logistic slope."))
    doubling_time: float | None = Field(None, gt=0, le=10_000, description=(
        "Doubling time of the time horizon in days, overriding the trend's (its interval keeps its "
        "relative width)."), examples=[150])
    reference_horizon: float | None = Field(None, gt=0, le=10_000_000, description=(
        "Time horizon in minutes at the trend's reference date and the chosen reliability, "
        "overriding the trend's."), examples=[60])
    bridge: dict[str, float] = Field(default_factory=dict, max_length=50, description=(
        "Bridge constant name -> fixed value (GET /api/timeline/presets lists them with their "
        "units); factor models only. A constant set here loses its uncertainty interval."),
        examples=[{"ai_speed": 30, "compute_fraction_max": 0.05}])
    until: float = Field(2060.0, description="End of the run (decimal year): later dates count as "
                         "never. At most 200 years after the trend's reference date.")
    draws: int = Field(10_000, ge=1, le=MAX_TIMELINE_DRAWS, description="Monte Carlo draws.")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="Random seed: the same settings and seed "
                      "give the same numbers as the CLI.")
    subsample: int = Field(4_000, ge=1, le=MAX_SUBSAMPLE, description=(
        "Draws kept whole for the fan chart, the caps and the bottleneck search (fewer is faster; "
        "dates and probabilities use every draw)."))
    figures: bool = Field(False, description=(
        "Also return the Plotly figure dicts of `autosafety.timeline.figures` (fan, cdf, pairs) "
        "under 'figures', the same figures `autosafety timeline --plot` writes."))
