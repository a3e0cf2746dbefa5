"""A scenario: one typed schema for scenario files (CLI), request bodies (web API, described in
OpenAPI) and the Monte Carlo plan, so all three accept and refuse the same input."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .._errors import InputError, Problem
from ..model._cells import CellKey

NonNegative = Annotated[float, Field(ge=0)]


class Scenario(BaseModel):
    """A named world: weight and rating overrides that hold with some probability.

    ``Scenario(name="scheming", probability=0.3, weights={"scheming_risk": 5},
    ratings={("ai_control", "scheming_risk"): 2})``; in a file or request body the rating keys are
    written ``"ai_control:scheming_risk"``.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)

    name: str = Field(min_length=1, max_length=200)
    """Shown in results, e.g. 'scheming'; unique among the scenarios of one run."""
    probability: float = Field(ge=0, le=1)
    """Probability of this world; the probabilities of all scenarios of one run sum to 1."""
    weights: dict[str, NonNegative] = Field(default_factory=dict)
    """Factor id -> weight in this world (>= 0; normalised with the other weights)."""
    ratings: dict[CellKey, float] = Field(default_factory=dict)
    """(area id, factor id) -> rating on the factor's scale, fixed in this world."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data, as in a scenarios file."""
        return self.model_dump(mode="json")


_LIST = TypeAdapter(list[Scenario])


def load_scenarios(data: Any, *, origin: str = "scenarios") -> list[Scenario]:
    """Scenarios from parsed YAML/JSON (a list, or ``{scenarios: [...]}``); every problem is listed
    in one InputError located by field path, e.g. ``worlds.yaml: scenarios[0].weights.x``."""
    from ..model._files import pydantic_problems

    items = data.get("scenarios") if isinstance(data, dict) and set(data) == {"scenarios"} else data
    if not isinstance(items, list) or not items:
        raise InputError(Problem(origin, "expected a non-empty list of scenarios "
                                 "{name, probability, weights, ratings}", "see docs/analysis.md"),
                         title="invalid scenarios")
    try:
        return _LIST.validate_python(items)
    except ValidationError as e:
        problems = [Problem(p.location.replace(f"{origin}: [", f"{origin}: scenarios[", 1), p.message, p.fix)
                    for p in pydantic_problems(e, origin)]  # located as scenarios[0].weights.x
        raise InputError(problems, title="invalid scenarios") from None
