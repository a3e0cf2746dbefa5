"""`autosafety scheme ...` end to end, and every output format checked against the case it draws."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from autosafety.schemes import EXAMPLES, assess, assess_and_build, catalogue, load_scheme

from .conftest import example_data


def test_examples_lists_every_builtin_with_its_level(cli):
    run = cli("scheme", "examples", "--format", "json")
    assert run.code == 0
    rows = json.loads(run.out)
    assert [r["name"] for r in rows] == list(EXAMPLES)
    assert {r["name"]: r["level"] for r in rows}["deference"] == 4
    text = cli("scheme", "examples").out
    assert "ai-explores-oversight  (level 2)" in text


def test_schema_lists_the_experiment_types_and_documents_fields(cli):
    schema = json.loads(cli("scheme", "schema").out)
    assert schema["$defs"]["Experiment"]["properties"]["type"]["enum"] == list(catalogue().experiment_types)
    assert set(schema["required"]) == {"name", "algorithm", "oversight"}
    assert "controller agent" in schema["properties"]["controller"]["description"]


def test_assess_json_is_the_assessment(cli):
    run = cli("scheme", "assess", "ai-explores-oversight", "--format", "json")
    assert run.code == 0
    expected = assess(load_scheme("ai-explores-oversight")).to_dict()
    assert json.loads(run.out) == json.loads(json.dumps(expected))


def test_assess_text_shows_level_reasons_verdict_worries_alternatives(cli):
    out = cli("scheme", "assess", "fancy-parameterised-honeypots").out
    assert "level 2: AI-written algorithm, checked empirically" in out
    assert "note: The scheme claims level 3" in out
    assert "evaluation.experiments[0].designed_by = ai" in out
    assert "collapses into: process supervision" in out
    assert "[ ] fake_honeypots" in out
    assert "attacker model rewrites trajectories" in out


def test_assess_reads_a_json_scheme_file(cli, write_yaml):
    path = write_yaml(json.dumps(example_data("deference")), "scheme.json")
    data = json.loads(cli("scheme", "assess", path, "-f", "json").out)
    assert data["level"] == 4 and data["verdict"]["kind"] == "out_of_scope"


def test_case_out_writes_gsn2x_yaml_that_validates(cli, tmp_path):
    out = tmp_path / "case.gsn.yaml"
    run = cli("scheme", "case", "ai-novel-algorithms-checked", "--format", "yaml", "--out", str(out))
    assert run.code == 0 and run.out == ""
    data = yaml.safe_load(out.read_text())
    assert data["G1"]["text"].startswith('If the scheme "AI-written novel algorithms')
    run = cli("scheme", "validate", str(out))
    assert run.code == 0 and run.out.startswith(f"ok: {out}: {len(data) - 1} elements")
    again = cli("scheme", "case", "deference", "--out", str(out))
    assert again.code == 2 and "file exists" in again.err
    assert cli("scheme", "case", "deference", "--out", str(out), "--force").code == 0


def test_validate_accepts_the_json_report(cli, tmp_path):
    out = tmp_path / "report.json"
    out.write_text(cli("scheme", "case", "deference", "-f", "json").out)
    assert cli("scheme", "validate", str(out)).code == 0


def _case(name):
    return assess_and_build(load_scheme(name))[1]


def test_dot_has_every_node_and_edge():
    from autosafety.schemes import to_dot

    case = _case("ai-explores-oversight")
    dot = to_dot(case)
    for nid in case.nodes:
        assert re.search(rf'^  "{nid}" \[', dot, re.M)
    edges = sum(len(n.supported_by) + len(n.in_context_of) for n in case.nodes.values())
    assert dot.count("-> ") == edges
    assert dot.count("arrowhead=empty") == sum(len(n.in_context_of) for n in case.nodes.values())


def test_svg_from_graphviz_draws_every_node(cli):
    case = _case("human-scalable-oversight")
    svg = cli("scheme", "case", "human-scalable-oversight", "--format", "svg").out
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    titles = re.findall(r'<g id="node\d+" class="node">\s*<title>([^<]+)</title>', svg)
    assert sorted(titles) == sorted(case.nodes)


def test_mermaid_links_match_the_case(cli):
    case = _case("ai-novel-algorithms-checked")
    text = cli("scheme", "case", "ai-novel-algorithms-checked", "-f", "mermaid").out
    assert text.startswith("flowchart TD")
    assert text.count(" --> ") == sum(len(n.supported_by) for n in case.nodes.values())
    assert text.count(" -.-> ") == sum(len(n.in_context_of) for n in case.nodes.values())
    undeveloped = [n.id for n in case.nodes.values() if n.undeveloped]
    assert "class " + ",".join(f"n_{u}" for u in undeveloped) + " undeveloped" in text


def test_markdown_report_has_checklist_and_alternatives(cli):
    a = assess(load_scheme("ai-explores-adversarial-prober"))
    md = cli("scheme", "case", "ai-explores-adversarial-prober", "-f", "md").out
    assert "**Level 2: AI-written algorithm, checked empirically**" in md
    assert md.count("- [ ] ") == sum(1 for t in a.worries if not t.evidence)
    assert "- [x] **Existence and realism of honeypots**" in md
    assert "| controller | A frontier controller model |" in md
    assert "valid under gsn2x's rules" in md and "```mermaid" in md


def test_json_case_output_contains_case_and_clean_validation(cli):
    data = json.loads(cli("scheme", "case", "deference", "-f", "json").out)
    assert data["level"] == 4 and data["validation"] == []
    assert data["case"]["G1"]["supportedBy"] == ["S1"]


@pytest.mark.parametrize("fmt", ["dot", "svg", "mermaid", "md", "yaml"])
def test_hostile_names_are_escaped(cli, write_yaml, fmt):
    data = example_data("ai-explores-oversight")
    data["name"] = 'Evil "quoted" <script>alert(1)</script> \\ scheme'
    data["evidence"] = [{"supports": "emergence", "text": "<b>x</b> | y", "url": "javascript:alert(1)"}]
    run = cli("scheme", "case", write_yaml(data), "-f", fmt)
    assert run.code == 0, run.err
    if fmt == "svg":
        assert "<script" not in run.out and "javascript:" not in run.out
        assert "&lt;script&gt;" in run.out
    if fmt == "mermaid":
        assert "<script" not in run.out and "#lt;script#gt;" in run.out
    if fmt == "yaml":
        assert yaml.safe_load(run.out)["G1"]["text"].count("<script>") == 1
