"""Classify a scheme (level 1-4 with quoted reasons), give the collapse verdict, the triggered worries
and the less automated alternatives. Pure functions of a validated :class:`Scheme`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ._catalogue import Alternative, Worry, catalogue
from ._spec import Scheme

FEATURES: dict[str, str] = {
    "controller_present": "a controller agent performs the research steps",
    "ai_writes_algorithm": "the AI writes the overall algorithm",
    "composes_models": "the controller constructs models by linking together other models",
    "process_supervision_training": "the research environment trains with process supervision",
    "scalable_oversight_training": "the research environment trains with scalable oversight",
    "scalable_oversight_evaluation": "an experiment is scalable oversight-like evaluation",
    "human_judgement": "the scheme relies on human judgements (raters or human-checked data)",
    "humans_check_ai_reasoning": "humans check AI-written algorithms and reasoning",
    "ai_designed_experiments": "the AI designs novel experiments",
    "limited_optimisation_pressure": "metrics are trusted because optimisation pressure is limited",
    "relies_on_elicitation": "the evaluation relies on eliciting behaviours from models",
    "relies_on_honeypots": "the evaluation relies on honeypots",
    "controller_builds_tests": "the controller builds the evaluation's test cases",
    "flexible_environment": "the research environment offers the controller many kinds of action",
    "defers_to_ai": "nobody checks the results",
}
"""Scheme features that trigger worries and alternatives, with what each means."""


def features(scheme: Scheme) -> dict[str, list[str]]:
    """Each feature that holds, with the field paths that make it hold."""
    out: dict[str, list[str]] = {k: [] for k in FEATURES}
    types = catalogue().experiment_types
    ctrl, env = scheme.controller, scheme.research_environment
    if ctrl is not None:
        out["controller_present"].append(f"controller.model = {ctrl.model}")
        if "compose_models" in ctrl.may:
            out["composes_models"].append("controller.may: compose_models")
        if "collect_human_ratings" in ctrl.may:
            out["human_judgement"].append("controller.may: collect_human_ratings")
        if len(ctrl.may) >= 4:
            out["flexible_environment"].append(f"controller.may lists {len(ctrl.may)} kinds of action")
    if scheme.algorithm.written_by == "ai":
        out["ai_writes_algorithm"].append("algorithm.written_by = ai")
    if env is not None:
        for method, feature in (("process_supervision", "process_supervision_training"),
                                ("scalable_oversight", "scalable_oversight_training")):
            if method in env.training_methods:
                out[feature].append(f"research_environment.training_methods: {method}")
        if env.human_raters:
            out["human_judgement"].append("research_environment.human_raters")
    for i, exp in enumerate(scheme.evaluation.experiments):
        where = f"evaluation.experiments[{i}] ({exp.id}: {exp.type})"
        kind = types.get(exp.type)
        if kind is None:
            continue
        if kind.scalable_oversight_like:
            out["scalable_oversight_evaluation"].append(where)
        if kind.human_judgement:
            out["human_judgement"].append(where)
        if "elicitation" in kind.relies_on:
            out["relies_on_elicitation"].append(where)
        if "honeypots" in kind.relies_on:
            out["relies_on_honeypots"].append(where)
        if kind.controller_builds and ctrl is not None:
            out["controller_builds_tests"].append(where)
        if exp.designed_by == "ai":
            out["ai_designed_experiments"].append(f"{where}.designed_by = ai")
    if scheme.algorithm.written_by == "ai" and scheme.oversight.humans_check == "algorithm_and_reasoning":
        out["humans_check_ai_reasoning"].append("oversight.humans_check = algorithm_and_reasoning")
    if scheme.oversight.humans_check == "nothing":
        out["defers_to_ai"].append("oversight.humans_check = nothing")
    if scheme.optimisation_pressure.limited:
        out["limited_optimisation_pressure"].append("optimisation_pressure.limited = true")
    return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class Reason:
    """A field that decided the level, and the seed's words that make it decisive."""

    field: str
    value: str
    quote: str
    note: str = ""


@dataclass(frozen=True)
class Verdict:
    """What the level means for the safety case (collapse, load on checkers, out of scope)."""

    kind: str
    summary: str
    quote: str
    collapses_into: list[str] = field(default_factory=list)
    obligations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TriggeredWorry:
    """A worry the scheme's features trigger, why, and whether evidence already addresses it."""

    worry: Worry
    because: list[str]
    evidence: list[str]


@dataclass(frozen=True)
class Option:
    """A less automated alternative that applies to the scheme, with what it gains."""

    alternative: Alternative
    because: list[str]
    gains: list[dict[str, str]]


@dataclass(frozen=True)
class Assessment:
    """Everything the tool says about a scheme; keeps the scheme that produced it."""

    scheme: Scheme
    level: int
    level_name: str
    reasons: list[Reason]
    verdict: Verdict
    features: dict[str, list[str]]
    worries: list[TriggeredWorry]
    options: list[Option]
    claimed_level_note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "scheme": self.scheme.name,
            "level": self.level,
            "level_name": self.level_name,
            "claimed_level": self.scheme.claimed_level,
            "claimed_level_note": self.claimed_level_note,
            "reasons": [asdict(r) for r in self.reasons],
            "verdict": asdict(self.verdict),
            "features": self.features,
            "worries": [{"id": t.worry.id, "name": t.worry.name, "family": t.worry.family,
                         "component": t.worry.component, "quote": t.worry.quote,
                         "claim": t.worry.claim, "because": t.because, "evidence": t.evidence,
                         "open": not t.evidence} for t in self.worries],
            "less_automation": [{"id": o.alternative.id, "component": o.alternative.component,
                                 "instead_of": o.alternative.instead_of,
                                 "alternative": o.alternative.alternative, "quote": o.alternative.quote,
                                 "condition": o.alternative.condition, "because": o.because,
                                 "gains": o.gains} for o in self.options],
        }


def classify(scheme: Scheme) -> tuple[int, list[Reason]]:
    """The scheme's level (1-4) and the fields that decided it, quoted against the seed."""
    rules = catalogue().rules
    alg, ov = scheme.algorithm, scheme.oversight
    if alg.written_by == "humans":
        details = ", ".join(alg.ai_fills_in)
        return 1, [Reason("algorithm.written_by", "humans", rules["humans_write"]["quote"],
                          f"AI fills in: {details}" if details else "")]
    reasons = [Reason("algorithm.written_by", "ai", rules["ai_writes"]["quote"],
                      f"the AI explores: {alg.ai_explores}" if alg.ai_explores else "")]
    if ov.humans_check == "nothing":
        return 4, [*reasons, Reason("oversight.humans_check", "nothing", rules["check_nothing"]["quote"])]
    if ov.humans_check == "algorithm_and_reasoning":
        return 3, [*reasons, Reason("oversight.humans_check", "algorithm_and_reasoning",
                                    rules["check_algorithm"]["quote"], rules["level3_needs"]["quote"])]
    reasons.append(Reason("oversight.humans_check", "empirical_results", rules["check_empirical"]["quote"]))
    for i, exp in enumerate(scheme.evaluation.experiments):
        if exp.designed_by == "ai_parameters":
            reasons.append(Reason(f"evaluation.experiments[{i}].designed_by", "ai_parameters",
                                  rules["fancy_parameters"]["quote"],
                                  f"the AI sets the parameters of '{exp.id}', humans check only its results"))
        elif exp.designed_by == "ai":
            reasons.append(Reason(f"evaluation.experiments[{i}].designed_by", "ai",
                                  rules["standard_check"]["quote"],
                                  f"the AI designed '{exp.id}', but humans check only its results"))
    return 2, reasons


def verdict(scheme: Scheme, level: int, feats: dict[str, list[str]]) -> Verdict:
    """The collapse verdict for the level: what it collapses into and which obligations apply."""
    cat = catalogue()
    v = cat.verdicts[level]
    obligations = [o["text"] for o in cat.obligations]
    if level == 1:
        return Verdict(v["kind"], v["summary"], v["quote"], obligations=obligations)
    if level == 2:
        into, notes = [], []
        if {"controller_present", "composes_models", "process_supervision_training"} & feats.keys():
            into.append("process supervision")
            notes.append(v["process_supervision_quote"])
        if {"scalable_oversight_evaluation", "scalable_oversight_training"} & feats.keys():
            into.append("scalable oversight")
            notes.append(v["scalable_oversight_quote"])
        if "limited_optimisation_pressure" in feats:
            obligations.append("Explain why the limits on the controller's optimisation pressure ("
                               + "; ".join(scheme.optimisation_pressure.limits)
                               + ") are enough to trust the metrics.")
            notes.append(v["pressure_quote"])
        return Verdict(v["kind"], v["summary"], v["quote"], collapses_into=into,
                       obligations=obligations, notes=notes)
    if level == 3:
        ov = scheme.oversight
        standards = ov.standards_of_evidence or "NOT YET SET: fix them before launch"
        checkers = ", ".join(ov.checkers) or "nobody named"
        duties = [f"Standards of evidence: {standards}.", f"Who checks: {checkers}.",
                  "Rule out fake honeypots: understand how each AI-made honeypot was created and "
                  "why it is realistic before counting it as evidence."]
        return Verdict(v["kind"], v["summary"], v["quote"], obligations=duties,
                       notes=[v["planning_quote"], v["strength_quote"]])
    return Verdict(v["kind"], v["summary"], v["quote"])


def triggered_worries(scheme: Scheme, feats: dict[str, list[str]]) -> list[TriggeredWorry]:
    """The worries whose triggers hold, in catalogue order, with the evidence that addresses each."""
    out = []
    for w in catalogue().worries.values():
        because = [f"{FEATURES[t]} ({'; '.join(feats[t])})" for t in w.triggers if t in feats]
        if because:
            evidence = [e.text for e in scheme.evidence if e.supports == w.id]
            out.append(TriggeredWorry(w, because, evidence))
    return out


def less_automation(feats: dict[str, list[str]]) -> list[Option]:
    """The seed's less automated alternatives that apply, each with the gains it brings."""
    cat = catalogue()
    out = []
    for alt in cat.alternatives.values():
        because = [FEATURES[t] for t in alt.when if t in feats]
        if because:
            gains = [{"id": g, "name": cat.gains[g].name, "quote": cat.gains[g].quote} for g in alt.gains]
            out.append(Option(alt, because, gains))
    return out


def assess(scheme: Scheme) -> Assessment:
    """Level, reasons, verdict, worries and alternatives for a validated scheme."""
    level, reasons = classify(scheme)
    feats = features(scheme)
    note = ""
    if scheme.claimed_level is not None and scheme.claimed_level != level:
        note = (f"The scheme claims level {scheme.claimed_level}, but its fields put it at level {level}: "
                + "; ".join(f"{r.field} = {r.value}" for r in reasons) + ".")
    return Assessment(scheme=scheme, level=level, level_name=catalogue().levels[level].name,
                      reasons=reasons, verdict=verdict(scheme, level, feats), features=feats,
                      worries=triggered_worries(scheme, feats), options=less_automation(feats),
                      claimed_level_note=note)
