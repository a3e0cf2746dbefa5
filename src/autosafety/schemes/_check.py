"""Checks a scheme beyond its schema: known experiment types, required model roles, contradictions."""

from __future__ import annotations

import difflib

from .._errors import Problem
from ._assess import features, triggered_worries
from ._catalogue import catalogue
from ._spec import COMPONENTS, Scheme

MAX_DEPTH = 32
"""Deepest nesting accepted in experiment parameters."""


def _depth(value: object, limit: int = MAX_DEPTH + 1) -> int:
    """Nesting depth of lists and mappings, counted up to ``limit``."""
    level, frontier = 0, [value]
    while frontier and level < limit:
        children: list[object] = []
        for v in frontier:
            if isinstance(v, dict):
                children += v.values()
            elif isinstance(v, list):
                children += v
        level, frontier = (level + 1, children) if children else (level, [])
    return level


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"did you mean '{close[0]}'? " if close else ""


def _experiment_problems(scheme: Scheme, origin: str) -> list[Problem]:
    types = catalogue().experiment_types
    problems, seen = [], set()
    ctrl = scheme.controller
    for i, exp in enumerate(scheme.evaluation.experiments):
        at = f"{origin}: evaluation.experiments[{i}]"
        if exp.id in seen:
            problems.append(Problem(f"{at}.id", f"duplicate experiment id '{exp.id}'",
                                    "give each experiment a unique id"))
        seen.add(exp.id)
        if _depth(exp.parameters) > MAX_DEPTH:
            problems.append(Problem(f"{at}.parameters", f"nested more than {MAX_DEPTH} levels deep",
                                    "flatten the parameters"))
        kind = types.get(exp.type)
        if kind is None:
            problems.append(Problem(f"{at}.type", f"unknown experiment type '{exp.type}'",
                                    _suggest(exp.type, list(types)) + "use one of " + ", ".join(types)))
            continue
        for role in kind.models:
            if not exp.models.get(role):
                article = "an" if role[0] in "aeiou" else "a"
                problems.append(Problem(f"{at}.models.{role}", f"missing: a {kind.name} experiment needs "
                                        f"{article} {role} model", f"add `{role}: <model>` under models"))
        if exp.designed_by != "humans" and ctrl is None:
            problems.append(Problem(f"{at}.designed_by", f"'{exp.designed_by}' but the scheme has no "
                                    "controller agent to design or parameterise it",
                                    "add a controller, or set designed_by: humans"))
        elif ctrl is not None and ctrl.may:
            need = {"ai": "design_experiments", "ai_parameters": "set_experiment_parameters"}.get(
                exp.designed_by)
            if need and need not in ctrl.may:
                problems.append(Problem(f"{at}.designed_by", f"'{exp.designed_by}' contradicts "
                                        f"controller.may, which does not list {need}",
                                        f"add {need} to controller.may, or change designed_by"))
    return problems


def _contradictions(scheme: Scheme, origin: str) -> list[Problem]:
    alg, ov, ctrl, env = scheme.algorithm, scheme.oversight, scheme.controller, scheme.research_environment
    p: list[Problem] = []
    if alg.written_by == "ai" and ctrl is None:
        p.append(Problem(f"{origin}: controller", "missing: an AI-written algorithm needs the controller "
                         "agent that writes it", "add controller: {model: ..., may: [...]}"))
    if alg.written_by == "humans":
        if not alg.ai_fills_in:
            p.append(Problem(f"{origin}: algorithm.ai_fills_in", "missing: a human-written algorithm with "
                             "no AI-filled details is not automated safety",
                             "list the details AI systems fill in"))
        if alg.ai_explores or alg.novel_training_algorithms:
            field = "ai_explores" if alg.ai_explores else "novel_training_algorithms"
            p.append(Problem(f"{origin}: algorithm.{field}", "contradicts algorithm.written_by = humans: "
                             "the AI does not explore or write algorithms when humans write them",
                             "set written_by: ai, or remove this field"))
        if ctrl is not None and "write_algorithms" in ctrl.may:
            p.append(Problem(f"{origin}: controller.may", "write_algorithms contradicts "
                             "algorithm.written_by = humans",
                             "set written_by: ai, or remove write_algorithms"))
    if ov.humans_check != "nothing" and not ov.checkers:
        p.append(Problem(f"{origin}: oversight.checkers", f"humans check {ov.humans_check.replace('_', ' ')}"
                         " but nobody is named to check", "name the people or teams who check"))
    if ov.humans_check == "nothing" and ov.checkers:
        p.append(Problem(f"{origin}: oversight.checkers", "checkers are named but oversight.humans_check = "
                         "nothing", "say what they check, or remove them"))
    if ov.humans_check != "nothing" and not scheme.evaluation.experiments:
        p.append(Problem(f"{origin}: evaluation.experiments", "missing: humans check results but the "
                         "evaluation algorithm has no experiments", "list at least one experiment"))
    op = scheme.optimisation_pressure
    if op.limited and not op.limits:
        p.append(Problem(f"{origin}: optimisation_pressure.limits", "missing: optimisation pressure is "
                         "limited but no limit is stated", "list the limits (e.g. a training-run budget)"))
    if not op.limited and op.limits:
        p.append(Problem(f"{origin}: optimisation_pressure.limited", "false, yet limits are listed",
                         "set limited: true, or remove the limits"))
    if ctrl is not None and "collect_human_ratings" in ctrl.may and not (env and env.human_raters):
        p.append(Problem(f"{origin}: controller.may", "collect_human_ratings but the research environment "
                         "names no human raters", "set research_environment.human_raters"))
    return p


def _evidence_problems(scheme: Scheme, origin: str) -> list[Problem]:
    worries = catalogue().worries
    triggered = {t.worry.id for t in triggered_worries(scheme, features(scheme))}
    experiments = {e.id for e in scheme.evaluation.experiments}
    problems = []
    for i, ev in enumerate(scheme.evidence):
        at = f"{origin}: evidence[{i}].supports"
        if ev.supports in worries and ev.supports not in triggered:
            problems.append(Problem(at, f"worry '{ev.supports}' is not triggered by this scheme",
                                    "attach the evidence to a triggered worry, component or experiment"))
        elif ev.supports not in worries and ev.supports not in COMPONENTS and ev.supports not in experiments:
            known = [*triggered, *COMPONENTS, *experiments]
            problems.append(Problem(at, f"unknown claim '{ev.supports}'",
                                    _suggest(ev.supports, known) + "use a worry id, a component ("
                                    + ", ".join(COMPONENTS) + ") or an experiment id"))
    return problems


def scheme_problems(scheme: Scheme, *, origin: str = "scheme") -> list[Problem]:
    """Every problem with a schema-valid scheme, located by field path."""
    return [*_experiment_problems(scheme, origin), *_contradictions(scheme, origin),
            *_evidence_problems(scheme, origin)]
