"""The built-in examples from the seed: level, verdict, what they collapse into, worries, options."""

from __future__ import annotations

import pytest

from autosafety.schemes import EXAMPLES, assess, catalogue, examples, load_scheme

PROCESS = {"bootstrapping", "emergence"}
OVERSIGHT = {"obfuscated_arguments", "systematic_human_errors"}
HONEYPOTS = {"successful_elicitation", "honeypot_existence", "fake_honeypots"}

# (level, verdict kind, collapses into, triggered worries, less-automation options)
PINNED = {
    "human-scalable-oversight": (1, "level_1", [], OVERSIGHT, set()),
    "ai-explores-oversight": (
        2, "collapses_to_level_1", ["process supervision", "scalable oversight"],
        PROCESS | OVERSIGHT | HONEYPOTS | {"metric_trust", "controller_security"},
        {"adversarial_prober", "human_written_algorithm", "concrete_environment", "weaker_controller"}),
    "ai-explores-adversarial-prober": (
        2, "collapses_to_level_1", ["process supervision", "scalable oversight"],
        PROCESS | OVERSIGHT | HONEYPOTS | {"controller_security"},
        {"human_written_algorithm", "weaker_controller"}),
    "fancy-parameterised-honeypots": (
        2, "collapses_to_level_1", ["process supervision"],
        PROCESS | HONEYPOTS | {"controller_security"},
        {"adversarial_prober", "human_written_algorithm", "concrete_environment", "weaker_controller",
         "human_designed_experiments"}),
    "ai-novel-algorithms-checked": (
        3, "load_on_checkers", [],
        PROCESS | OVERSIGHT | HONEYPOTS | {"checker_load", "controller_security"},
        {"adversarial_prober", "human_written_algorithm", "concrete_environment", "weaker_controller",
         "human_designed_experiments"}),
    "deference": (
        4, "out_of_scope", [],
        PROCESS | OVERSIGHT | {"fake_honeypots", "controller_security", "deference"},
        {"human_written_algorithm", "concrete_environment", "weaker_controller",
         "human_designed_experiments"}),
}


def test_at_least_five_examples_cover_all_four_levels():
    assert len(EXAMPLES) >= 5
    assert {assess(load_scheme(n)).level for n in EXAMPLES} == {1, 2, 3, 4}
    assert [e.name for e in examples()] == list(EXAMPLES)


@pytest.mark.parametrize("name", list(PINNED))
def test_example_is_pinned(name):
    level, kind, into, worries, options = PINNED[name]
    a = assess(load_scheme(name))
    assert a.level == level
    assert a.level_name == catalogue().levels[level].name
    assert a.verdict.kind == kind
    assert a.verdict.collapses_into == into
    assert {t.worry.id for t in a.worries} == worries
    assert {o.alternative.id for o in a.options} == options


def test_the_prober_variant_drops_the_prober_suggestion_and_closes_the_honeypot_worry():
    full = assess(load_scheme("ai-explores-oversight"))
    prober = assess(load_scheme("ai-explores-adversarial-prober"))
    assert "adversarial_prober" in {o.alternative.id for o in full.options}
    assert "adversarial_prober" not in {o.alternative.id for o in prober.options}
    closed = {t.worry.id for t in prober.worries if t.evidence}
    assert closed == {"honeypot_existence"}
    assert all(not t.evidence for t in full.worries)


def test_fancy_parameters_do_not_lift_a_scheme_to_level_3():
    a = assess(load_scheme("fancy-parameterised-honeypots"))
    assert a.scheme.claimed_level == 3 and a.level == 2
    assert "claims level 3" in a.claimed_level_note
    quotes = " ".join(r.quote for r in a.reasons)
    assert "we’re in level (2) not level (3)" in quotes
    assert "isn’t enough to avoid collapse" in quotes


def test_level_3_verdict_names_checkers_and_standards():
    a = assess(load_scheme("ai-novel-algorithms-checked"))
    text = " ".join(a.verdict.obligations)
    assert "two external alignment reviewers" in text
    assert "proof sketch" in text
    assert "fake honeypots" in text.lower()


def test_level_2_with_limited_pressure_adds_the_metrics_obligation():
    a = assess(load_scheme("ai-explores-oversight"))
    assert any("at most 200 training runs" in o for o in a.verdict.obligations)
    assert any("optimisation pressure limits are enough to trust the metrics" in n for n in a.verdict.notes)


def test_reasons_quote_the_level_definitions():
    cat = catalogue()
    for name in EXAMPLES:
        a = assess(load_scheme(name))
        assert a.reasons[0].field == "algorithm.written_by"
        assert all(r.quote.strip() for r in a.reasons)
        if a.level > 1:
            assert a.reasons[1].field == "oversight.humans_check"
        for r in a.reasons:
            known = [v["quote"] for v in cat.rules.values()]
            assert r.quote in known
