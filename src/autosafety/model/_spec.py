"""The model file format: one Pydantic schema for YAML and JSON files (validation at the edge)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .._input import FreeForm


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


class Scale(_Spec):
    """The range of a rating scale, e.g. 1-10 (the 004 post) or 1-5 (the 001 post)."""

    min: float = 1.0
    """Lowest allowed rating."""
    max: float = 10.0
    """Highest allowed rating."""

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if not self.min < self.max:
            raise ValueError(f"scale min ({self.min}) must be below max ({self.max})")
        return self


class Source(_Spec):
    """Where a published model or dataset comes from."""

    title: str = ""
    """Title of the post, paper or report."""
    author: str = ""
    """Who wrote it."""
    url: str = ""
    """Where to read it (may be empty for a local document)."""
    date: str = ""
    """When it was published (free text, ISO date preferred)."""
    note: str = ""
    """Anything else a reader should know about the source."""


class Factor(_Spec):
    """A property of a research area that makes it more or less amenable to automation."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    """Short identifier used in ratings and on the command line."""
    name: str = ""
    """Human-readable name (defaults to the id)."""
    weight: float = Field(1.0, ge=0)
    """Importance of the factor; scores use weights normalised to sum to 1."""
    description: str = ""
    """Definition of the factor, as its source gives it."""
    citation: str = ""
    """Where the definition comes from."""
    direction: Literal["higher", "lower"] = "higher"
    """'higher' if a higher raw rating means more amenable to automation; 'lower' if less."""
    scale: Scale | None = None
    """The factor's own rating scale; defaults to the model's scale."""
    rubric: dict[str, str] = Field(default_factory=dict)
    """Anchored scale for raters: what a rating means, keyed by value ('1', '5', '10')."""


class Area(_Spec):
    """A research area whose amenability to automation is scored."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    """Short identifier used in ratings and on the command line."""
    name: str = ""
    """Human-readable name (defaults to the id)."""
    category: str = Field(min_length=1)
    """Category the area belongs to, e.g. 'safety' or 'capabilities'."""
    description: str = ""
    """What the area covers."""


class RaterGroup(_Spec):
    """A set of raters pooled together first, then weighted against other sources."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-:/#@]+$")
    """Identifier raters refer to in their ``group`` field."""
    weight: float = Field(1.0, ge=0)
    """Source weight of the group as a whole against other top-level sources."""
    description: str = ""
    """What the group is (e.g. 'average of Claude, Gemini and ChatGPT')."""


class Rater(_Spec):
    """A source of ratings: a person, an LLM, or a published table."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-:/#@]+$")
    """Identifier used in ratings."""
    kind: Literal["human", "llm", "other"] = "human"
    """What kind of source this is."""
    weight: float = Field(1.0, ge=0)
    """Source weight: against other top-level sources, or within its group if it has one."""
    group: str | None = None
    """Id of the rater group this rater belongs to, if any."""
    description: str = ""
    """Who or what the rater is."""
    provenance: FreeForm = Field(default_factory=dict)
    """How the rater's ratings were produced (free-form: source, method, model, date...)."""


class Rating(_Spec):
    """One rater's rating of one area on one factor, on the factor's scale."""

    area: str
    """Id of the area rated."""
    factor: str
    """Id of the factor rated."""
    rater: str
    """Id of the rater."""
    value: float
    """The rating, on the factor's scale and in its raw direction."""
    low: float | None = None
    """Lower end of the rater's credible interval, if given."""
    high: float | None = None
    """Upper end of the rater's credible interval, if given."""
    credibility: float | None = Field(None, gt=0, lt=1)
    """Probability mass inside [low, high], e.g. 0.8."""
    rationale: str = ""
    """The rater's reason for the rating."""
    provenance: FreeForm = Field(default_factory=dict)
    """Who or what produced this rating, when and how."""


class StatedRanking(_Spec):
    """A ranking of areas stated by an author, most amenable first."""

    order: list[str]
    """Area ids, most amenable to automation first."""
    source: str = ""
    """Who stated it, where."""
    note: str = ""
    """Caveats about the ranking."""


class ModelSpec(_Spec):
    """A weighted multi-factor model of research areas, as stored in YAML, JSON or CSV."""

    schema_version: Literal[1] = 1
    """Version of this file format."""
    id: str = Field("model", min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.\-]+$")
    """Short identifier of the model: letters, digits, '_', '.', '-' (it names exported files)."""
    name: str = ""
    """Title of the model."""
    description: str = ""
    """One-line description."""
    source: Source | None = None
    """Where the model is published."""
    notes: str = ""
    """Modelling choices a reader should know (e.g. weights chosen because the source gives none)."""
    scale: Scale = Scale()
    """Scale of scores; factors without their own scale use it too."""
    categories: list[str] = Field(default_factory=list)
    """Category order for display and gaps; defaults to the order areas first use them."""
    factors: list[Factor] = Field(default_factory=list)
    """The factors and their weights."""
    areas: list[Area] = Field(default_factory=list)
    """The research areas scored."""
    groups: list[RaterGroup] = Field(default_factory=list)
    """Rater groups (e.g. an LLM ensemble) and their source weights."""
    raters: list[Rater] = Field(default_factory=list)
    """The raters."""
    ratings: list[Rating] = Field(default_factory=list)
    """Every rating, one per (area, factor, rater)."""
    stated_ranking: StatedRanking | None = None
    """A ranking the source states, to check against the scores."""
