"""File formats of the timeline model (validation at the edge): quantities with sources, capability
trends, task-level models and the bridge from factor ratings to tasks."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


class Quantity(_Spec):
    """A number with its uncertainty, unit and provenance; every input of the timeline is one."""

    value: float
    """Central value (the median where an interval is given)."""
    low: float | None = None
    """Lower end of the interval, if uncertain."""
    high: float | None = None
    """Upper end of the interval, if uncertain."""
    level: float = Field(0.9, gt=0, lt=1)
    """Probability that the quantity lies in [low, high] (0.9: a 5-95% interval)."""
    unit: str = ""
    """Unit, in words (minutes, days, years, share of time, ...)."""
    source: str = ""
    """Where the number comes from (paper, page, file and key), or why it was chosen."""
    date: str = ""
    """Date of the source (ISO)."""
    kind: Literal["fact", "derived", "assumption"] = "assumption"
    """fact: read off a source; derived: computed from facts; assumption: ours, change it freely."""
    note: str = ""
    """Anything else a reader should know."""

    @model_validator(mode="after")
    def _ordered(self) -> Quantity:
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high, or neither")
        if self.low is not None and self.high is not None and not self.low <= self.value <= self.high:
            raise ValueError(f"interval must satisfy low <= value <= high, got {self.low} <= "
                             f"{self.value} <= {self.high}")
        return self

    @property
    def uncertain(self) -> bool:
        """True if the quantity has an interval wider than a point."""
        return self.low is not None and self.high is not None and self.high > self.low


Mode = Literal["exponential", "superexponential", "subexponential"]
MODES: tuple[Mode, ...] = ("exponential", "superexponential", "subexponential")


class Growth(_Spec):
    """One growth mode of the time horizon and its probability."""

    probability: float = Field(ge=0, le=1)
    """Probability of this mode; the modes' probabilities sum to 1."""
    step: Quantity | None = None
    """Superexponential: each doubling takes this fraction less time than the one before;
    subexponential: this fraction more. Not used for exponential growth."""


def _exponential() -> dict[Mode, Growth]:
    return {"exponential": Growth(probability=1.0)}


class TrendSpec(_Spec):
    """The AI time horizon over time: a reference point, a doubling time and growth modes."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    """Preset name, e.g. 'metr-2025'."""
    name: str = ""
    """Title."""
    description: str = ""
    """What the trend is fitted to."""
    reference_date: Quantity
    """Date (decimal year) of the reference horizons: the frontier model they were measured on."""
    horizons: dict[str, Quantity]
    """Time horizon in minutes at the reference date, keyed by reliability ('0.5', '0.8')."""
    doubling_time: Quantity
    """Time for the horizon to double at the reference date, in days."""
    slope: Quantity
    """Logistic slope of task success per doubling of task length (METR's functional form)."""
    growth: dict[Mode, Growth] = Field(default_factory=lambda: _exponential())
    """Growth modes with their probabilities."""
    sources: list[str] = Field(default_factory=list)
    """Full citations of the sources the numbers come from."""

    @model_validator(mode="after")
    def _check(self) -> TrendSpec:
        total = sum(g.probability for g in self.growth.values())
        if abs(total - 1) > 1e-6:
            raise ValueError(f"growth probabilities sum to {total:g}, not 1")
        for mode, g in self.growth.items():
            if mode != "exponential" and g.probability > 0 and g.step is None:
                raise ValueError(f"growth.{mode} needs a step (fraction per doubling)")
            if g.step is not None and not 0 < g.step.value < 1:
                raise ValueError(f"growth.{mode}.step must be between 0 and 1")
        for key in self.horizons:
            try:
                rel = float(key)
            except ValueError:
                raise ValueError(f"horizons key '{key}' is not a reliability such as '0.5'") from None
            if not 0 < rel < 1:
                raise ValueError(f"horizons key '{key}': reliability must be in (0, 1)")
        if self.doubling_time.value <= 0 or (self.doubling_time.low or 1) <= 0:
            raise ValueError("doubling_time must be > 0 days")
        if self.slope.value <= 0:
            raise ValueError("slope must be > 0")
        if not self.horizons:
            raise ValueError("give at least one reference horizon, e.g. '0.5'")
        return self


class TaskSpec(_Spec):
    """A type of task researchers in an area do, with its share of their time."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    """Task id, e.g. 'implementation'."""
    name: str = ""
    """Human-readable name."""
    share: float = Field(gt=0, le=1)
    """Share of the area's research time spent on this task; an area's shares sum to 1."""
    duration: Quantity
    """How long one unit of this task takes a human researcher, in hours (log-normal)."""
    verifiability: Quantity = Quantity(value=1.0)
    """0-1: how well success can be checked; poor feedback lengthens the effective duration."""
    compute_fraction: Quantity = Quantity(value=0.0)
    """0-1: share of the task's time spent waiting on compute, which labour automation does not
    shorten."""
    review_overhead: Quantity = Quantity(value=0.0)
    """Human time to check one AI attempt, as a share of doing the task by hand (scheming risk)."""
    insight: bool = False
    """True for insight/creativity work (ideation, conceptual work); shown, not used in the maths."""


class AreaTasks(_Spec):
    """A research area as a set of tasks."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    """Area id."""
    name: str = ""
    """Human-readable name."""
    category: str = Field(min_length=1)
    """Category, e.g. 'safety' or 'capabilities'."""
    adoption_lag: Quantity = Quantity(value=0.0, unit="years")
    """Years between a capability existing and its use in this area (economic incentive)."""
    tasks: list[TaskSpec] = Field(min_length=1)
    """The task types and their time shares."""


class Settings(_Spec):
    """Engine parameters shared by every area."""

    ai_speed: Quantity = Quantity(value=30.0, low=10.0, high=100.0, unit="x human speed")
    """How many times faster than a human an AI completes an attempt at a task."""
    feedback_doublings: Quantity = Quantity(value=3.0, low=1.5, high=5.0, unit="doublings")
    """Doublings of a task's effective duration at verifiability 0 (none at verifiability 1)."""
    share_concentration: float = Field(50.0, gt=0)
    """Dirichlet concentration of task shares around their stated values (larger = surer)."""


class TaskModelSpec(_Spec):
    """A task-level timeline model, as stored in YAML or JSON."""

    schema_version: Literal[1] = 1
    """Version of this file format."""
    id: str = Field("tasks", min_length=1)
    """Short identifier."""
    name: str = ""
    """Title."""
    description: str = ""
    """What the model is and where its numbers come from."""
    trend: str | TrendSpec = "metr-2025"
    """A trend preset name (see `autosafety timeline trends`) or a trend written out."""
    settings: Settings = Settings()
    """Engine parameters."""
    categories: list[str] = Field(default_factory=list)
    """Category order for display; defaults to the order areas first use them."""
    areas: list[AreaTasks] = Field(min_length=1)
    """The research areas and their tasks."""


class BridgeTask(_Spec):
    """A task type of the bridge's taxonomy, with its base share and duration."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    """Task id."""
    name: str = ""
    """Human-readable name."""
    share: float = Field(gt=0, le=1)
    """Share of time in an area with the average insight share."""
    duration: Quantity
    """Base human duration in hours, for an area rated in the middle of the task-length scale."""
    insight: bool = False
    """Insight work: its share grows as the insight-vs-engineering rating falls."""
    compute_weight: float = Field(0.0, ge=0)
    """Relative share of the area's compute-bound time that falls in this task."""


class BridgeSpec(_Spec):
    """How factor ratings become task parameters: every constant a quantity with its kind."""

    id: str = Field(min_length=1)
    """Bridge name."""
    description: str = ""
    """What the bridge assumes."""
    factors: dict[str, str]
    """Bridge input -> factor id of the model: task_length, insight, data, feedback, compute,
    scheming, incentive."""
    tasks: list[BridgeTask] = Field(min_length=1)
    """The task taxonomy every area is made of."""
    parameters: dict[str, Quantity]
    """The mapping constants (see docs/timeline.md for each)."""

    @model_validator(mode="after")
    def _check(self) -> BridgeSpec:
        need_f = {"task_length", "insight", "data", "feedback", "compute", "scheming", "incentive"}
        if missing := need_f - set(self.factors):
            raise ValueError(f"factors: missing {sorted(missing)}")
        if missing := set(BRIDGE_PARAMETERS) - set(self.parameters):
            raise ValueError(f"parameters: missing {sorted(missing)}")
        if unknown := set(self.parameters) - set(BRIDGE_PARAMETERS):
            raise ValueError(f"parameters: unknown {sorted(unknown)}")
        if abs(sum(t.share for t in self.tasks) - 1) > 1e-6:
            raise ValueError(f"tasks: shares sum to {sum(t.share for t in self.tasks):g}, not 1")
        return self


BRIDGE_PARAMETERS = {
    "task_length_doublings": "doublings of duration per rating point below the middle of the scale",
    "insight_share_min": "share of insight tasks at the most engineering-heavy rating",
    "insight_share_max": "share of insight tasks at the most insight-heavy rating",
    "insight_multiplier": "how many times longer insight tasks are in effect",
    "data_doublings": "doublings of effective duration at the worst data availability",
    "feedback_doublings": "doublings of effective duration at the worst feedback quality",
    "compute_fraction_min": "compute-bound share of time at the most labour-bound rating",
    "compute_fraction_max": "compute-bound share of time at the most compute-bound rating",
    "review_overhead_min": "review time per AI attempt at the lowest scheming risk",
    "review_overhead_max": "review time per AI attempt at the highest scheming risk",
    "adoption_lag_min": "adoption lag in years at the highest economic incentive",
    "adoption_lag_max": "adoption lag in years at the lowest economic incentive",
    "ai_speed": "how many times faster than a human an AI makes one attempt",
    "share_concentration": "Dirichlet concentration of task shares around the bridge's shares",
}
"""The bridge's constants and what each means."""
