"""Confidence in the argument: evidence forms, propagation by decomposition type, defeaters,
unknowns, an Inspect log made here with mockllm, the CLI, and the Graydon-Holloway properties.

Graydon and Holloway (NASA/TM-2016-219195) and Bloomfield and Rushby (arXiv 2604.00034) were
read only through their abstracts here (the full texts were not available to this session); the
tests below check the properties the issue names: a conjunction is never more confident than its
weakest premise, adding a diverse leg never lowers confidence, an unknown is never a number, a
defeater never raises confidence, ignorance differs from disbelief, and bounds hold without an
independence assumption. Expected values are worked by hand in the comments.
"""

from __future__ import annotations

import itertools
import json

import pytest
import yaml

from autosafety._errors import InputError
from autosafety.schemes import evidence_of, propagate, residual_doubts
from autosafety.schemes._gsn_read import case_from_data


def case(text: str):
    c, problems = case_from_data(yaml.safe_load(text), origin="t")
    assert problems == []
    return c


def top(text: str):
    conf = propagate(case(text))
    return conf.nodes[conf.top]


def two(kind: str, a, b) -> str:
    return (
        f"G1: {{supportedBy: [S1]}}\nS1: {{supportedBy: [Sn1, Sn2], decomposition: {kind}}}\n"
        f"Sn1: {{confidence: {a}}}\nSn2: {{confidence: {b}}}\n"
    )


def approx(iv, lo, hi):
    return iv.lo == pytest.approx(lo) and iv.hi == pytest.approx(hi)


def test_conjunctive_is_frechet_and_the_independence_product():
    t = top(two("conjunctive", 0.9, 0.8))
    assert approx(t.bounds, 0.7, 0.8)  # max(0, .9 + .8 - 1), min(.9, .8)
    assert approx(t.independent, 0.72, 0.72)  # .9 x .8
    assert t.state == "supported"


def test_alternative_is_the_complement_product_within_its_bounds():
    t = top(two("alternative", 0.9, 0.8))
    assert approx(t.bounds, 0.9, 1.0)  # max(.9, .8), min(1, .9 + .8)
    assert approx(t.independent, 0.98, 0.98)  # 1 - .1 x .2


def test_partitioned_is_the_sum_over_the_partition():
    text = (
        "G1: {supportedBy: [Sn1, Sn2], decomposition: partitioned}\n"
        "Sn1: {confidence: 0.9, share: 0.25}\nSn2: {confidence: [0.6, 0.8], share: 0.75}\n"
    )
    t = top(text)
    assert approx(t.bounds, 0.25 * 0.9 + 0.75 * 0.6, 0.25 * 0.9 + 0.75 * 0.8)
    equal = top(two("partitioned", 0.9, 0.5))
    assert approx(equal.bounds, 0.7, 0.7)  # equal shares when none is given


def test_opinions_intervals_and_sources():
    e = evidence_of({"belief": 0.6, "disbelief": 0.1, "uncertainty": 0.3, "source": "panel"}, where="x")
    assert approx(e.interval, 0.6, 0.9) and e.source == "panel"
    ignorance = evidence_of({"belief": 0, "disbelief": 0, "uncertainty": 1}, where="x").interval
    disbelief = evidence_of({"belief": 0, "disbelief": 1, "uncertainty": 0}, where="x").interval
    assert approx(ignorance, 0, 1) and approx(disbelief, 0, 0)  # G&H: ignorance is not 0.5, nor disbelief
    assert approx(evidence_of({"interval": [0.2, 0.4]}, where="x").interval, 0.2, 0.4)


def test_undeveloped_goals_are_unknown_not_a_number():
    t = top("G1: {supportedBy: [G2, Sn1]}\nG2: {undeveloped: true}\nSn1: {confidence: 0.99}\n")
    assert t.state == "unknown" and approx(t.bounds, 0.0, 0.99)
    no_conf = top("G1: {supportedBy: [Sn1]}\nSn1: {}\n")
    assert no_conf.state == "unknown" and approx(no_conf.bounds, 0, 1)


def test_a_defeater_lowers_what_it_challenges_and_a_defeated_one_does_not():
    base = "G1: {supportedBy: [Sn1]}\nSn1: {confidence: 0.9}\n"
    standing = top(base + "CSn1: {challenges: Sn1, confidence: 0.3}\n")
    assert standing.state == "challenged" and approx(standing.bounds, 0.6, 0.7)  # .9 - .3, min(.9, 1 - .3)
    assert approx(standing.independent, 0.63, 0.63)  # .9 x .7
    refuted = top(base + "CSn1: {challenges: Sn1, confidence: 0.3, defeated: true}\n")
    assert approx(refuted.bounds, 0.9, 0.9)
    beaten = top(
        "G1: {supportedBy: [Sn1]}\nSn1: {confidence: 0.9, defeated: true}\nCSn1: {challenges: Sn1}\n"
    )
    assert approx(beaten.bounds, 0, 0)
    on_relation = top(base + "CSn1: {challenges: G1 -> Sn1, confidence: 0.5}\n")
    assert approx(on_relation.bounds, 0.4, 0.5)


GRID = [0.0, 0.3, 0.7, 0.95, 1.0]


@pytest.mark.parametrize("a, b", list(itertools.product(GRID, GRID)))
def test_graydon_holloway_properties_hold_on_a_grid(a, b):
    conj = top(two("conjunctive", a, b))
    assert conj.bounds.hi <= min(a, b) + 1e-12  # never more confident than the weakest premise
    assert (
        conj.bounds.lo <= conj.independent.lo + 1e-12 <= conj.independent.hi + 2e-12 <= conj.bounds.hi + 3e-12
    )
    alt = top(two("alternative", a, b))
    assert alt.bounds.lo >= max(a, b) - 1e-12  # a further diverse leg never lowers confidence
    assert alt.bounds.lo <= alt.independent.lo + 1e-12
    three = top(
        "G1: {supportedBy: [Sn1, Sn2, Sn3], decomposition: conjunctive}\n"
        f"Sn1: {{confidence: {a}}}\nSn2: {{confidence: {b}}}\nSn3: {{confidence: 0.9}}\n"
    )
    assert three.bounds.lo <= conj.bounds.lo + 1e-12 and three.bounds.hi <= conj.bounds.hi + 1e-12
    for d in GRID:  # a defeater never raises confidence
        hit = top(two("conjunctive", a, b) + f"CSn9: {{challenges: S1, confidence: {d}}}\n")
        assert hit.bounds.lo <= conj.bounds.lo + 1e-12 and hit.bounds.hi <= conj.bounds.hi + 1e-12


def test_the_register_ranks_open_worries_first_and_prices_each_doubt():
    text = (
        "G1: {supportedBy: [S1]}\nS1: {supportedBy: [G2, G3, Sn1]}\n"
        "G2: {undeveloped: true, worry: emergence}\n"
        "G3: {supportedBy: [Sn2]}\nSn2: {confidence: 0.8}\nSn1: {}\n"
        "CSn1: {challenges: Sn2, confidence: 0.1}\n"
    )
    conf = residual_doubts(case(text))
    kinds = [(d.node, d.kind) for d in conf.register]
    assert kinds[0] == ("G2", "open worry")
    cost = {d.node: d.cost for d in conf.register}
    # everything resolved: G1 = G3 = Sn2 = 0.8; G2 left open: max(0, 0 + 1 + .8 + 1 - 3) = 0 -> costs 0.8
    assert cost["G2"] == pytest.approx(0.8) and cost["Sn1"] == pytest.approx(0.8)
    assert cost["CSn1"] == pytest.approx(0.1)  # the defeater left standing: .8 - .1 = .7


def test_seed_cases_are_unknown_until_evidence_and_the_report_says_what_raises_it(cli):
    run = cli("scheme", "confidence", "ai-explores-oversight", "--format", "json")
    data = json.loads(run.out)
    assert run.code == 0 and data["top_confidence"]["state"] == "unknown"
    assert data["top_confidence"]["bounds"] == [0.0, 1.0]
    kinds = [d["kind"] for d in data["register"]]
    assert kinds[0] == "open worry" and "open worry" not in kinds[kinds.index("undeveloped") :]
    md = cli("scheme", "case", "ai-explores-oversight", "--format", "md").out
    assert "## Confidence" in md and "### Residual doubts" in md and "open worry (" in md
    dot = cli("scheme", "case", "ai-explores-oversight", "--format", "dot").out
    assert "unknown [0.00, 1.00]" in dot and 'fillcolor="#e4e4e4"' in dot
    mermaid = cli("scheme", "case", "ai-explores-oversight", "--format", "mermaid").out
    assert "classDef unknown fill:#e4e4e4" in mermaid


def test_the_cli_table_and_json_for_a_case_file(cli, write_yaml):
    path = write_yaml(two("conjunctive", 0.9, 0.8), "c.gsn.yaml")
    table = cli("scheme", "confidence", path)
    assert (
        table.code == 0
        and "top claim G1: supported, [0.700, 0.800] (independent [0.720, 0.720])" in table.out
    )
    js = json.loads(cli("scheme", "confidence", path, "--format", "json").out)
    assert js["nodes"]["S1"]["bounds"] == [0.7, 0.8]


@pytest.mark.parametrize(
    "text, where, words",
    [
        (
            "G1: {supportedBy: [Sn1]}\nSn1: {confidence: 1.2}\n",
            "Sn1.confidence",
            "not a confidence in [0, 1]",
        ),
        (
            "G1: {supportedBy: [Sn1]}\nSn1: {confidence: -0.1}\n",
            "Sn1.confidence",
            "not a confidence in [0, 1]",
        ),
        (
            "G1: {supportedBy: [Sn1]}\nSn1: {confidence: {belief: 0.5, disbelief: 0.3, uncertainty: 0.3}}\n",
            "Sn1.confidence",
            "sum to 1",
        ),
        ("G1: {supportedBy: [Sn1]}\nSn1: {confidence: [0.9, 0.2]}\n", "Sn1.confidence", "lower bound above"),
        (
            "G1: {supportedBy: [Sn1], decomposition: majority}\nSn1: {confidence: 0.5}\n",
            "G1.decomposition",
            "unknown decomposition type 'majority'",
        ),
        (
            "G1: {supportedBy: [Sn1, Sn2], decomposition: partitioned}\nSn1: {confidence: 0.5, share: 0.5}\n"
            "Sn2: {confidence: 0.5, share: 0.6}\n",
            "G1.supportedBy",
            "sum to 1",
        ),
        (
            "G1: {supportedBy: [Sn1]}\nSn1: {confidence: {inspect: missing.eval}}\n",
            "Sn1.confidence",
            "does not exist",
        ),
    ],
)
def test_bad_confidence_is_a_located_error_exit_2(cli, write_yaml, text, where, words):
    path = write_yaml(text, "c.gsn.yaml")
    run = cli("scheme", "confidence", path)
    assert run.code == 2 and "Traceback" not in run.err
    assert f"{path}: {where}" in run.err and words in run.err, run.err


def test_a_foreign_file_as_an_inspect_log_is_refused(tmp_path, cli):
    (tmp_path / "not.eval").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "c.gsn.yaml").write_text("G1: {supportedBy: [Sn1]}\nSn1: {confidence: {inspect: not.eval}}\n")
    run = cli("scheme", "confidence", str(tmp_path / "c.gsn.yaml"))
    assert run.code == 2 and "is not a readable Inspect evaluation log" in run.err
    with pytest.raises(InputError, match="not a readable Inspect"):
        evidence_of({"inspect": str(tmp_path / "c.gsn.yaml")}, where="x")


@pytest.fixture(scope="module")
def inspect_log(tmp_path_factory) -> str:
    """A real Inspect log: 10 samples through mockllm, 8 answered correctly (accuracy 0.8)."""
    from inspect_ai import Task
    from inspect_ai import eval as inspect_eval
    from inspect_ai.dataset import Sample
    from inspect_ai.model import ModelOutput, ModelUsage, get_model
    from inspect_ai.scorer import match
    from inspect_ai.solver import generate

    outputs = []
    for answer in ["A"] * 8 + ["B"] * 2:
        out = ModelOutput.from_content("mockllm/model", answer)
        out.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)  # no tokenizer download
        outputs.append(out)
    task = Task(
        dataset=[Sample(input="Answer A", target="A", id=i) for i in range(10)],
        solver=[generate()],
        scorer=match(),
    )
    log_dir = tmp_path_factory.mktemp("logs")
    [log] = inspect_eval(
        task,
        model=get_model("mockllm/model", custom_outputs=outputs),
        log_dir=str(log_dir),
        display="none",
        max_connections=1,
    )
    assert log.status == "success"
    return str(log.location)


def test_an_inspect_log_gives_a_wilson_interval_on_its_accuracy(inspect_log, tmp_path, cli):
    e = evidence_of({"inspect": inspect_log, "metric": "accuracy"}, where="x")
    # Wilson 95% for 8 of 10, by hand: centre (0.8 + 1.9208/10)/(1 + 3.8415/10) = 0.7167,
    # half 1.96 sqrt(0.016 + 0.009604)/1.38415 = 0.2266 -> [0.4902, 0.9433]
    assert e.interval.lo == pytest.approx(0.4902, abs=2e-4) and e.interval.hi == pytest.approx(
        0.9433, abs=2e-4
    )
    assert "accuracy 0.8 on 10 samples" in e.source
    (tmp_path / "c.gsn.yaml").write_text(
        f"G1: {{supportedBy: [Sn1]}}\nSn1: {{confidence: {{inspect: {inspect_log}}}}}\n"
    )
    js = json.loads(cli("scheme", "confidence", str(tmp_path / "c.gsn.yaml"), "--format", "json").out)
    assert js["top_confidence"]["bounds"] == [0.4902, 0.9433]
    with pytest.raises(InputError, match="no metric 'f1'"):
        evidence_of({"inspect": inspect_log, "metric": "f1"}, where="x")
