"""Request bodies of the campaign API (validated at the edge; unknown fields are refused)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from ..campaign._core import MAX_NAME, MAX_RATIONALE
from ._schemas import ModelRef

MAX_WEB_RATERS = 500
"""Most raters a campaign created over the web may have (the CLI allows more)."""
MAX_SEED_FILE = 400_000
"""Longest seed-question file posted as text, in characters (100 questions at their caps fit)."""

Number = Annotated[float | None, Field(description="On the factor's scale; null for none.")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class AnswerIn(_Body):
    """A rater's answer to one cell (the cell is in the path)."""

    value: Number = None
    """The rating, on the factor's scale (null with ``not_my_area``)."""
    low: Number = None
    """5th percentile: the rater is 95% sure the true value is above it."""
    high: Number = None
    """95th percentile: the rater is 95% sure the true value is below it."""
    rationale: str = Field("", max_length=MAX_RATIONALE, description="Why (optional).")
    not_my_area: bool = Field(False, description="The rater does not rate this cell.")
    version: int = Field(ge=0, le=2**31, description="The version the rater last saw (0 for a "
                         "first answer); a stale one gets 409 with the newer answer.")


class CampaignIn(_Body):
    """A new campaign, as `autosafety campaign create` makes one."""

    model: ModelRef
    name: str = Field(min_length=1, max_length=MAX_NAME, description="Campaign name.")
    cells: list[Annotated[str, Field(max_length=400)]] | None = Field(
        None, max_length=2000, description="AREA:FACTOR keys to rate (AREA:* or *:FACTOR for a row "
        "or column); default every cell.")
    raters: int | list[Annotated[str, Field(max_length=MAX_NAME)] | None] = Field(
        description=f"How many raters (1-{MAX_WEB_RATERS}), or their display names (optional).")
    rounds: int = Field(2, ge=1, le=20, description="Rounds planned (Delphi).")
    seed_questions: str | list[Any] | dict[str, Any] | None = Field(
        None, description="Seed questions (calibration items with known answers), as `campaign "
        "create --seed-questions FILE` reads them: the file's YAML or JSON text, or its parsed list "
        "(or `{questions: [...]}`) of {id, question, unit, realization, source, scale uniform|log}; "
        "at most 100 questions and 400,000 characters, every problem located.")
