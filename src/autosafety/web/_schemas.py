"""Request bodies of the JSON API (validated at the edge; unknown fields are refused)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from .._defaults import RATING_NOISE
from ..analysis import Scenario
from ..model._cells import CELL_EXAMPLE, CELL_PATTERN, split_cell

MAX_DRAWS = 20_000
"""Most Monte Carlo draws one request may ask for."""

ModelRef = Annotated[str | dict[str, Any], Field(
    description="A built-in model name (GET /api/models) or a whole model as in a YAML/JSON model "
    "file (schema: GET /api/schema). File paths are never accepted.")]
Weights = Annotated[dict[str, float], Field(
    description="Factor id -> weight, overriding the model's weights.")]


def _cell_text(key: str) -> str:
    split_cell(key)  # the one AREA:FACTOR parser; raises its ValueError
    return key


CellText = Annotated[str, AfterValidator(_cell_text),
                     WithJsonSchema({"type": "string", "pattern": CELL_PATTERN})]
Cells = Annotated[dict[CellText, float], Field(
    description=f"'area:factor' (e.g. '{CELL_EXAMPLE}') -> rating on the factor's scale, replacing "
    "the pooled rating.")]
Pooling = Annotated[Literal["mean", "median"], Field(description="How raters are pooled.")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ScoreRequest(_Body):
    """Score a model, optionally with weight and rating overrides (as `autosafety score`)."""

    model: ModelRef
    weights: Weights = Field(default_factory=dict)
    ratings: Cells = Field(default_factory=dict)
    pooling: Pooling = "mean"
    grid: bool = Field(False, description="Also return the pooled rating of every cell, on its "
                       "factor's scale, under 'pooled' (area id -> factor id -> value).")


class ParseRequest(_Body):
    """The text of an uploaded model file; the server never reads files by path."""

    text: str = Field(description="The file's contents (UTF-8).")
    format: Literal["yaml", "json", "csv"] = Field(description="The file's format.")
    filename: str = Field("upload", max_length=200,
                          description="Shown in error locations only; never opened.")


class ExportRequest(_Body):
    """A model to write out as a YAML, JSON or CSV file."""

    model: ModelRef
    format: Literal["yaml", "json", "csv"] = "yaml"


class CompareRequest(_Body):
    """Two models to compare: ``model`` (yours) against ``against`` (e.g. the published one)."""

    model: ModelRef
    against: ModelRef
    pooling: Pooling = "mean"


class MonteCarloRequest(_Body):
    """Monte Carlo over ratings and weights: score distributions and rank acceptability."""

    model: ModelRef
    weights: Weights = Field(default_factory=dict)
    draws: int = Field(2000, ge=1, le=MAX_DRAWS, description=f"Number of draws (at most {MAX_DRAWS}).")
    seed: int = Field(0, ge=0, le=2**32 - 1, description="Random seed; same seed, same numbers.")
    rating_noise: float = Field(RATING_NOISE, ge=0, le=1, description="Sd of ratings without an interval, as "
                                "a share of the scale range (ratings with an interval use it).")
    weight_concentration: float | None = Field(
        None, gt=0, le=1e6, description="Dirichlet concentration of the weights around the model's "
        "weights (higher = closer); null keeps the weights fixed.")
    scenarios: list[Scenario] = Field(
        default_factory=list, max_length=50, description="Named worlds with a probability and weight"
        " or rating overrides; the probabilities sum to 1.")
    figures: bool = Field(False, description="Also return Plotly figures of the results.")


class SensitivityRequest(_Body):
    """Tornado sweep and exact flip thresholds at the given weights and ratings."""

    model: ModelRef
    weights: Weights = Field(default_factory=dict)
    ratings: Cells = Field(default_factory=dict)
    figures: bool = Field(False, description="Also return a Plotly tornado figure.")


class ScenarioIn(_Body):
    """A named scenario to save."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    base: str | None = Field(None, max_length=100,
                             description="The built-in model the scenario started from.")
    model: dict[str, Any] = Field(description="The whole model (schema: GET /api/schema).")


class ShareRequest(_Body):
    """A scenario to encode into a share link."""

    model: dict[str, Any]
    base: str | None = Field(None, max_length=100)


class DecodeRequest(_Body):
    """A share token (the text after ``#s=`` in a share link)."""

    token: str = Field(min_length=1)
