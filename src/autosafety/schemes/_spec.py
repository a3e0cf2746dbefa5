"""The scheme file format: one Pydantic schema for YAML and JSON descriptions of an automated-safety plan.

The components follow the seed's model of empirically checked automated safety: a controller agent,
a research environment where it operates, and an evaluation algorithm made of parameterised
experiments, plus who writes the overall algorithm and what humans check.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .._input import FreeForm

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_\-]*$"

ControllerAction = Literal[
    "generate_data", "sample_models", "collect_human_ratings", "launch_training_jobs",
    "compose_models", "run_experiments", "set_experiment_parameters", "design_experiments",
    "write_algorithms", "write_reasoning",
]
TrainingMethod = Literal["scalable_oversight", "process_supervision", "star", "rl", "supervised", "other"]
Component = Literal["algorithm", "controller", "research_environment", "evaluation", "oversight"]
COMPONENTS: tuple[str, ...] = Component.__args__  # type: ignore[attr-defined]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Algorithm(_Spec):
    """The overall safety algorithm: who writes it and what the AI fills in or explores."""

    written_by: Literal["humans", "ai"]
    """'humans' if humans write the overall algorithm (AI fills in details); 'ai' if the AI explores
    and writes the algorithm itself."""
    description: str = ""
    """The algorithm, or the humans' rough idea of a good overall scheme."""
    ai_fills_in: list[str] = []
    """For a human-written algorithm: the details AI systems fill in (e.g. SAE feature explanations)."""
    ai_explores: str = ""
    """For an AI-written algorithm: the space the AI explores (e.g. scalable oversight algorithms)."""
    novel_training_algorithms: bool = False
    """The AI writes novel training algorithms."""
    novel_empirical_analyses: bool = False
    """The AI carries out novel empirical analyses."""


class Controller(_Spec):
    """The controller agent that performs the automated alignment research."""

    model: str = Field(min_length=1)
    """The model that acts as controller."""
    may: list[ControllerAction] = []
    """What the controller may do in the research environment."""
    description: str = ""
    """Anything else about the controller."""


class ResearchEnvironment(_Spec):
    """The research environment where the controller operates."""

    initial_models: list[str] = []
    """The family of initial models the controller has access to."""
    human_raters: str = ""
    """Who rates data for the controller, if anyone (empty: no human raters)."""
    training_methods: list[TrainingMethod] = []
    """Training methods the environment supports (RL with scalable oversight, process supervision
    by linking models together, STaR, ...)."""
    produces: Literal["agent", "training_method"] = "agent"
    """Whether the evaluation checks a produced agent or a training method."""


class Experiment(_Spec):
    """One parameterised experiment of the evaluation algorithm."""

    id: str = Field(pattern=ID_PATTERN)
    """Short identifier, unique within the scheme."""
    type: str = Field(min_length=1)
    """Experiment type (see `autosafety scheme schema`: sandwiching, honeypots, adversarial_probing, ...)."""
    description: str = ""
    """What the experiment does."""
    designed_by: Literal["humans", "ai_parameters", "ai"] = "humans"
    """'humans': a human-designed experiment; 'ai_parameters': human-designed type whose parameters
    the AI sets; 'ai': a novel experiment the AI designed."""
    parameters: FreeForm = {}
    """The experiment's parameters (free form)."""
    models: dict[str, str] = {}
    """Models by role, e.g. attacker and defender for adversarial probing, judge for model-as-judge."""


class Evaluation(_Spec):
    """The evaluation algorithm: the experiments that test a trained system or training method."""

    experiments: list[Experiment] = []
    """The parameterised experiments."""


class Oversight(_Spec):
    """What humans check, who, and to what standard."""

    humans_check: Literal["algorithm_and_reasoning", "empirical_results", "nothing"]
    """'algorithm_and_reasoning': humans read and check the algorithms and the AI's reasoning as
    well as empirical results; 'empirical_results': only results of the experiments; 'nothing'."""
    checkers: list[str] = []
    """Who does the checking (people or teams)."""
    standards_of_evidence: str = ""
    """The standards of evidence the checkers apply, fixed in advance."""


class OptimisationPressure(_Spec):
    """Limits on the optimisation pressure the controller exerts on the evaluation metrics."""

    limited: bool = False
    """The argument trusts metrics only because the controller's optimisation pressure is limited."""
    limits: list[str] = []
    """The limits (e.g. a budget of training runs, a cap on evaluation queries)."""
    argument: str = ""
    """Why the limits are enough to trust the metrics."""


class Containment(_Spec):
    """Sandboxing and AI control measures around the controller."""

    sandbox: str = ""
    """How the controller's actions are sandboxed."""
    control_measures: list[str] = []
    """AI control methods that check the controller's actions."""


class Evidence(_Spec):
    """A piece of evidence for the safety case: a file or result that supports one claim."""

    supports: str = Field(min_length=1)
    """The worry id, component (algorithm, controller, research_environment, evaluation,
    oversight) or experiment id this evidence supports."""
    text: str = Field(min_length=1)
    """What the evidence shows."""
    url: str = ""
    """Where it is: a file path or URL (a forecast, an experiment log)."""


class Scheme(_Spec):
    """A plan for automated AI-safety research, to classify and write a safety case for."""

    name: str = Field(min_length=1)
    """Name of the scheme."""
    description: str = ""
    """One paragraph on what the scheme does."""
    claimed_level: Literal[1, 2, 3, 4] | None = None
    """The level the authors believe the scheme is at (the tool reports any mismatch)."""
    algorithm: Algorithm
    """Who writes the overall algorithm and what the AI fills in."""
    controller: Controller | None = None
    """The controller agent (required when the AI writes the algorithm)."""
    research_environment: ResearchEnvironment | None = None
    """The research environment where the controller operates."""
    evaluation: Evaluation = Evaluation()
    """The evaluation algorithm."""
    oversight: Oversight
    """What humans check."""
    optimisation_pressure: OptimisationPressure = OptimisationPressure()
    """Limits on the controller's optimisation pressure."""
    containment: Containment = Containment()
    """Sandboxing and control measures."""
    evidence: list[Evidence] = []
    """Evidence already in hand, attached to the safety case as solutions."""
