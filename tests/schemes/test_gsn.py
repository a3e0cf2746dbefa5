"""GSN safety cases: the skeleton for each example, gsn2x YAML round trip, and gsn2x's rules."""

from __future__ import annotations

import pytest
import yaml

from autosafety.schemes import (
    EXAMPLES,
    RULES,
    assess,
    assess_and_build,
    case_from_data,
    load_scheme,
    to_yaml,
    validate,
)


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_case_is_valid_and_carries_its_worries(name):
    a, case = assess_and_build(load_scheme(name))
    assert validate(case) == []
    root = case.nodes["G1"]
    assert root.type == "Goal"
    assert "produces an unsafe agent or training method, the evaluation step catches it" in root.text
    goal_texts = [n.text for n in case.nodes.values() if n.type == "Goal"]
    for t in a.worries:
        assert sum(text.startswith(t.worry.name + ":") for text in goal_texts) == 1
    for n in case.nodes.values():
        if n.type in ("Goal", "Strategy"):
            assert n.undeveloped == (not n.supported_by)
    experiments = [n for n in case.nodes.values() if n.text.startswith("Experiment '")]
    assert len(experiments) == len(a.scheme.evaluation.experiments)


def test_ids_use_gsn2x_prefixes():
    _, case = assess_and_build(load_scheme("ai-explores-oversight"))
    prefix = {"Goal": "G", "Strategy": "S", "Solution": "Sn", "Context": "C", "Assumption": "A",
              "Justification": "J"}
    for nid, n in case.nodes.items():
        assert nid.startswith(prefix[n.type])
        assert nid[len(prefix[n.type]):].isdigit()


def test_evidence_becomes_a_solution_with_its_url():
    _, case = assess_and_build(load_scheme("ai-explores-adversarial-prober"))
    solutions = [n for n in case.nodes.values() if n.type == "Solution"]
    assert [s.url for s in solutions] == ["results/prober-model-organisms.jsonl"]
    parent = next(n for n in case.nodes.values() if solutions[0].id in n.supported_by)
    assert parent.text.startswith("Existence and realism of honeypots") and not parent.undeveloped


def test_level_2_case_states_the_collapse_and_the_pressure_assumption():
    _, case = assess_and_build(load_scheme("ai-explores-oversight"))
    justification = [n.text for n in case.nodes.values() if n.type == "Justification"]
    assert any("collapses into level (1)" in t for t in justification)
    assumptions = [n.text for n in case.nodes.values() if n.type == "Assumption"]
    assert any("at most 200 training runs" in t for t in assumptions)
    assert any("Honeypots exist if models are unsafe" in t for t in assumptions)


def test_gsn2x_yaml_round_trips():
    _, case = assess_and_build(load_scheme("ai-novel-algorithms-checked"))
    data = yaml.safe_load(to_yaml(case))
    assert data["module"]["name"] and data["module"]["brief"]
    assert set(data["G1"]) >= {"text", "supportedBy", "inContextOf"}
    back, problems = case_from_data(data)
    assert problems == [] and validate(back) == []
    assert list(back.nodes) == list(case.nodes)
    for nid, n in case.nodes.items():
        b = back.nodes[nid]
        assert (b.type, b.text, b.supported_by, b.in_context_of, b.undeveloped) == (
            n.type, n.text, n.supported_by, n.in_context_of, n.undeveloped)


def rules_of(text: str) -> set[tuple[str, str]]:
    case, problems = case_from_data(yaml.safe_load(text))
    return {(v.node, v.rule) for v in problems or validate(case)}  # gsn2x stops at what it cannot read


VALID = """
G1: {text: top, supportedBy: [S1], inContextOf: [C1]}
C1: {text: context}
S1: {text: strategy, supportedBy: [G2, G3]}
G2: {text: done, supportedBy: [Sn1]}
Sn1: {text: evidence, url: results/log.txt}
G3: {text: open, undeveloped: true}
"""


def test_a_valid_case_has_no_violations():
    assert rules_of(VALID) == set()


def test_single_string_references_are_accepted_as_in_gsn2x():
    assert rules_of("G1: {text: a, supportedBy: Sn1}\nSn1: {text: b}\n") == set()


def test_node_type_overrides_the_prefix():
    text = "Top: {text: a, nodeType: Goal, supportedBy: [Ev]}\nEv: {text: b, nodeType: Solution}\n"
    assert rules_of(text) == set()


def test_dialectic_counter_goal_is_not_a_second_root():
    text = VALID + ("CG1: {text: counter, challenges: G2, supportedBy: [CSn1]}\n"
                    "CSn1: {text: counter evidence}\n")
    assert rules_of(text) == set()


@pytest.mark.parametrize("text, expected", [
    ("G1: {text: a, supportedBy: [X1]}\nX1: {text: b}\n", {("G1", "V04"), ("X1", "V01")}),
    ("G1: {text: a, supportedBy: [G2]}\nG2: {text: leaf}\n", {("G2", "V02")}),
    ("G1: {text: a, supportedBy: [S1]}\nS1: {text: s}\n", {("S1", "V02")}),
    ("G1: {text: a, undeveloped: true, supportedBy: [Sn1]}\nSn1: {text: b}\n", {("G1", "V03")}),
    ("G1: {text: a, supportedBy: [C1]}\nC1: {text: c}\n", {("G1", "V04")}),
    ("G1: {text: a, inContextOf: [G2], undeveloped: true}\nG2: {text: g, undeveloped: true}\n",
     {("G1", "V04")}),
    ("G1: {text: a, supportedBy: [Sn1]}\nSn1: {text: b, supportedBy: [Sn2]}\nSn2: {text: c}\n",
     {("Sn1", "V04")}),
    ("G1: {text: a, supportedBy: 7}\n", {("G1.supportedBy", "")}),  # gsn2x cannot read it
    ("G1: {text: a, supportedBy: [Sn1, Sn1]}\nSn1: {text: b}\n", {("G1", "V05")}),
    ("G1: {text: a, supportedBy: [G1, Sn1]}\nSn1: {text: b}\n", {("G1", "V06")}),
    ("G1: {supportedBy: [Sn1]}\nSn1: {text: b}\n", set()),  # text is optional in gsn2x
    ("G1: {text: a, undeveloped: true}\nG2: {text: b, undeveloped: true}\n", {("", "C01")}),  # a warning
    ("S1: {text: a, supportedBy: [Sn1]}\nSn1: {text: b}\n", {("S1", "C02")}),
    ("G1: {text: a, supportedBy: [G9]}\n", {("G1", "C03")}),
    ("G1: {text: a, inContextOf: [C9], undeveloped: true}\n", {("G1", "C03")}),
    ("G1: {text: a, supportedBy: [Sn1, G2]}\nSn1: {text: s}\nG2: {text: b, supportedBy: [G3]}\n"
     "G3: {text: c, supportedBy: [G2]}\n", {("G3", "C04")}),
    ("G1: {text: a, supportedBy: [Sn1]}\nSn1: {text: s}\nG5: {text: x, supportedBy: [G6]}\n"
     "G6: {text: y, supportedBy: [G5]}\n", {("", "C08")}),  # the cycle is not under the root
])
def test_each_gsn2x_rule_is_reported_at_its_node(text, expected):
    assert rules_of(text) == expected


def test_every_rule_has_a_description():
    assert {f"V{i:02d}" for i in range(1, 14)} | {f"C{i:02d}" for i in range(1, 17) if i != 5} == set(RULES)


def test_an_edited_case_is_checked_again():
    _, case = assess_and_build(load_scheme("deference"))
    data = yaml.safe_load(to_yaml(case))
    data["G2"]["supportedBy"] = ["G404"]
    data["G2"].pop("undeveloped", None)
    assert ("G2", "C03") in rules_of(yaml.safe_dump(data))
    assert assess(load_scheme("deference")).level == 4
