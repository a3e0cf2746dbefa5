"""The lever file format: one Pydantic schema for YAML and JSON files (validation at the edge)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


class ChangeSpec(_Spec):
    """One thing a lever changes, per unit of the lever. Give exactly one of ``rating``,
    ``weight``, ``delay`` or ``parameter``."""

    rating: str | None = None
    """Factor id whose ratings change by ``by`` points (on the factor's own scale, in the raw
    direction model files use) in the given ``category`` or ``areas``."""
    weight: str | None = None
    """Factor id whose weight changes by ``by`` (in the model's weight units)."""
    delay: float | None = None
    """Years added to the adoption lag of the given ``category`` or ``areas`` (timeline only;
    negative: adopted sooner)."""
    parameter: str | None = None
    """Timeline bridge constant (e.g. ``review_overhead_max``) changed by the relative amount
    ``by`` (-0.2 = 20% lower; its interval moves with it)."""
    by: float | None = None
    """Size of a ``rating``, ``weight`` or ``parameter`` change per unit of the lever."""
    category: str | None = None
    """Every area of this category (for ``rating`` and ``delay``)."""
    areas: list[str] | None = None
    """These area ids (for ``rating`` and ``delay``)."""

    @model_validator(mode="after")
    def _one_kind(self) -> ChangeSpec:
        kinds = [k for k in ("rating", "weight", "delay", "parameter") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of rating, weight, delay or parameter"
                             + (f" (got {', '.join(kinds)})" if kinds else ""))
        kind = kinds[0]
        if kind != "delay" and self.by is None:
            raise ValueError(f"a {kind} change needs 'by' (its size per unit of the lever)")
        if kind == "delay" and self.by is not None:
            raise ValueError("a delay gives its years as 'delay: YEARS', not 'by'")
        targeted = self.category is not None or self.areas is not None
        if kind in ("rating", "delay") and not targeted:
            raise ValueError(f"a {kind} change needs 'category' or 'areas'")
        if kind in ("rating", "delay") and self.category is not None and self.areas is not None:
            raise ValueError("give 'category' or 'areas', not both")
        if kind in ("weight", "parameter") and targeted:
            raise ValueError(f"a {kind} change applies to the whole model: remove 'category'/'areas'")
        if kind == "parameter" and self.by is not None and self.by <= -1:
            raise ValueError("a relative change must be above -1 (-100%)")
        return self

    @property
    def kind(self) -> Literal["rating", "weight", "delay", "parameter"]:
        """Which of the four kinds of change this is."""
        for k in ("rating", "weight", "delay", "parameter"):
            if getattr(self, k) is not None:
                return k
        raise AssertionError("validated")


class LeverSpec(_Spec):
    """An intervention that changes the order of automation: what it changes, per unit."""

    id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.\-]+$")
    """Short identifier used on the command line and in cost files."""
    name: str = ""
    """Human-readable name (defaults to the id)."""
    group: str = ""
    """E.g. 'slow capabilities' or 'speed up safety'."""
    quote: str = ""
    """The source's own sentence for this lever."""
    source: str = ""
    """Where the quote comes from (defaults to the file's ``source``)."""
    unit: str = ""
    """What one unit of the lever is, in words (e.g. '+1 point of feedback quality in every safety
    area'); costs are per unit."""
    magnitude_note: str = ""
    """Why one unit is this big: the evidence, or that it is an assumption."""
    clip: bool = False
    """If a change would push a rating off its scale: false (default) refuses it with the cell
    named; true clips the rating at the end of the scale and says where."""
    changes: list[ChangeSpec] = Field(min_length=1)
    """What one unit of the lever changes."""


class LeverFile(_Spec):
    """A catalogue of levers, as stored in YAML or JSON."""

    schema_version: Literal[1] = 1
    """Version of this file format."""
    source: str = ""
    """Where the levers come from (each lever may override it)."""
    levers: list[LeverSpec] = Field(min_length=1)
    """The levers."""
