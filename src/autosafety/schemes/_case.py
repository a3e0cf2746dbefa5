"""The safety-case skeleton for an assessed scheme, in Goal Structuring Notation.

Root goal: if the scheme produces an unsafe agent or training method, the evaluation step catches
it. One strategy argues over the components (algorithm, controller, research environment,
evaluation, oversight); each triggered worry is a goal under its component, undeveloped until the
scheme's evidence supports it; evidence becomes solutions that point at files or results.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from ._assess import Assessment
from ._catalogue import catalogue
from ._gsn import Node, SafetyCase
from ._spec import Scheme


class _Ids:
    """Sequential gsn2x ids per prefix: G1, G2, S1, Sn1, ..."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)

    def __call__(self, prefix: str) -> str:
        self.counts[prefix] += 1
        return f"{prefix}{self.counts[prefix]}"


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_") or "scheme"


def _join(items: list[str], empty: str = "none stated") -> str:
    return ", ".join(items) if items else empty


def _component_claims(scheme: Scheme, level: int) -> dict[str, str]:
    alg, ctrl, env, ov = scheme.algorithm, scheme.controller, scheme.research_environment, scheme.oversight
    produces = env.produces.replace("_", " ") if env else "agent"
    claims = {}
    if level == 1:
        claims["algorithm"] = (f"The AI-filled details ({_join(alg.ai_fills_in)}) do not compromise the "
                               "safety of the human-written algorithm.")
    else:
        space = alg.ai_explores or "the algorithm space"
        claims["algorithm"] = f"Every algorithm the AI writes (exploring {space}) that is unsafe is rejected."
    if ctrl is not None:
        claims["controller"] = (f"The controller agent ({ctrl.model}) cannot compromise the research "
                                "environment or the evaluation.")
    if env is not None:
        made = "agent trained" if env.produces == "agent" else "training method developed"
        claims["research_environment"] = (f"Each {made} in the research environment (initial models: "
                                          f"{_join(env.initial_models)}) is safe or detectably unsafe.")
    claims["evaluation"] = f"The evaluation algorithm catches an unsafe {produces}."
    claims["oversight"] = {
        "empirical_results": f"The checkers ({_join(ov.checkers)}) judge the empirical results correctly.",
        "algorithm_and_reasoning": (f"The checkers ({_join(ov.checkers)}) can check the AI-written "
                                    "algorithms, experiments and reasoning to the planned standard of "
                                    "evidence."),
        "nothing": "The AIs helping with automation know when they are right (deference).",
    }[ov.humans_check]
    return claims


def build_case(assessment: Assessment) -> SafetyCase:
    """The GSN safety-case skeleton for an assessed scheme; validates clean under gsn2x's rules."""
    scheme, level, cat = assessment.scheme, assessment.level, catalogue()
    ids = _Ids()
    case = SafetyCase(_slug(scheme.name), f"Safety case skeleton for {scheme.name} (level {level}: "
                      f"{assessment.level_name})")
    root = case.add(Node(ids("G"), "Goal", cat.root_goal["text"].strip().format(name=scheme.name)))
    scope = case.add(Node(ids("C"), "Context", f"Scheme: {scheme.description or scheme.name} Level {level} "
                          f"({assessment.level_name}): {cat.levels[level].quote}"))
    safe = case.add(Node(ids("C"), "Context", f"'Safe' as in the seed: {cat.root_goal['quote']}"))
    verdict = assessment.verdict
    just = case.add(Node(ids("J"), "Justification", f"{verdict.summary} {verdict.quote}"))
    root.in_context_of = [scope.id, safe.id, just.id]
    strategy = case.add(Node(ids("S"), "Strategy", "Argue over each component of the scheme: who writes the "
                             "algorithm, the controller agent, the research environment, the evaluation "
                             "algorithm and the human oversight.", attrs={"decomposition": "conjunctive"}))
    root.supported_by = [strategy.id]
    evidence: dict[str, list[Any]] = defaultdict(list)
    for ev in scheme.evidence:
        evidence[ev.supports].append(ev)

    def solutions(goal: Node, key: str) -> None:
        for ev in evidence.get(key, []):
            sn = case.add(Node(ids("Sn"), "Solution", ev.text, url=ev.url))
            goal.supported_by.append(sn.id)

    goals: dict[str, Node] = {}
    for component, claim in _component_claims(scheme, level).items():
        goal = case.add(Node(ids("G"), "Goal", claim))
        goals[component] = goal
        strategy.supported_by.append(goal.id)
        solutions(goal, component)
    _add_context(case, ids, scheme, assessment, goals)
    experiments = scheme.evaluation.experiments
    if experiments:
        per_exp = case.add(Node(ids("S"), "Strategy", "Argue over each parameterised experiment of the "
                                "evaluation algorithm.", attrs={"decomposition": "conjunctive"}))
        goals["evaluation"].supported_by.append(per_exp.id)
        types = cat.experiment_types
        for exp in experiments:
            g = case.add(Node(ids("G"), "Goal", f"Experiment '{exp.id}' ({types[exp.type].name}, designed by "
                              f"{exp.designed_by.replace('_', ' ')}) detects the unsafety it targets."))
            per_exp.supported_by.append(g.id)
            solutions(g, exp.id)
    for t in assessment.worries:
        parent = goals.get(t.worry.component, goals["evaluation"])
        g = case.add(Node(ids("G"), "Goal", f"{t.worry.name}: {t.worry.claim}", attrs={"worry": t.worry.id}))
        parent.supported_by.append(g.id)
        if t.worry.assumption:
            a = case.add(Node(ids("A"), "Assumption", t.worry.assumption))
            parent.in_context_of.append(a.id)
        solutions(g, t.worry.id)
    for node in case.nodes.values():
        if node.type in ("Goal", "Strategy") and not node.supported_by:
            node.undeveloped = True
    return case


def _add_context(case: SafetyCase, ids: _Ids, scheme: Scheme, assessment: Assessment,
                 goals: dict[str, Node]) -> None:
    ctn, op, ov = scheme.containment, scheme.optimisation_pressure, scheme.oversight
    if "controller" in goals and (ctn.sandbox or ctn.control_measures):
        text = "; ".join(x for x in (ctn.sandbox and f"Sandbox: {ctn.sandbox.rstrip('.')}",
                                     ctn.control_measures and f"Control: {_join(ctn.control_measures)}") if x)
        a = case.add(Node(ids("A"), "Assumption", text))
        goals["controller"].in_context_of.append(a.id)
    if op.limited:
        text = f"The controller's optimisation pressure is limited: {_join(op.limits)}."
        if op.argument:
            text += f" Argument: {op.argument}"
        a = case.add(Node(ids("A"), "Assumption", text))
        goals["evaluation"].in_context_of.append(a.id)
    if ov.humans_check == "algorithm_and_reasoning":
        c = case.add(Node(ids("C"), "Context", "Standards of evidence: "
                          + (ov.standards_of_evidence or "not yet set (plan them in advance).")))
        goals["oversight"].in_context_of.append(c.id)
    if assessment.level == 4:
        j = case.add(Node(ids("J"), "Justification", assessment.verdict.quote))
        goals["oversight"].in_context_of.append(j.id)
