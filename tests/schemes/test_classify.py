"""The seed's level rules and worry triggers, checked on schemes built field by field."""

from __future__ import annotations

import itertools

import pytest

from autosafety.schemes import assess, features, scheme_from_data


def scheme(written_by="ai", humans_check="empirical_results", experiments=None, **extra):
    data = {
        "name": "test scheme",
        "algorithm": {"written_by": written_by},
        "evaluation": {"experiments": experiments or [{"id": "bench", "type": "existing_datasets"}]},
        "oversight": {"humans_check": humans_check},
    }
    if written_by == "humans":
        data["algorithm"]["ai_fills_in"] = ["prompt details"]
    else:
        data["controller"] = {"model": "controller-model"}
    if humans_check != "nothing":
        data["oversight"]["checkers"] = ["team"]
    data.update(extra)
    return scheme_from_data(data)


SEED_TABLE = {
    ("humans", "empirical_results"): 1,  # Human-written algorithm, AI details
    ("humans", "algorithm_and_reasoning"): 1,
    ("humans", "nothing"): 1,
    ("ai", "empirical_results"): 2,  # AI-written algorithm, checked empirically
    ("ai", "algorithm_and_reasoning"): 3,  # AI-written algorithm, with humans checking the algorithm
    ("ai", "nothing"): 4,  # trust the AIs to know when they are right
}


@pytest.mark.parametrize("written_by, humans_check",
                         list(itertools.product(["humans", "ai"],
                                                ["empirical_results", "algorithm_and_reasoning", "nothing"])))
def test_levels_follow_the_seed(written_by, humans_check):
    a = assess(scheme(written_by, humans_check))
    assert a.level == SEED_TABLE[(written_by, humans_check)]
    assert a.reasons[0].value == written_by


def test_ai_designed_experiments_checked_only_empirically_stay_at_level_2():
    exps = [{"id": "hp", "type": "honeypots", "designed_by": "ai"},
            {"id": "el", "type": "elicitation", "designed_by": "ai_parameters"}]
    a = assess(scheme(experiments=exps))
    assert a.level == 2
    fields = [r.field for r in a.reasons]
    assert "evaluation.experiments[0].designed_by" in fields
    assert "evaluation.experiments[1].designed_by" in fields


def test_a_plain_empirical_scheme_triggers_only_the_controller_worries():
    a = assess(scheme())
    assert {t.worry.id for t in a.worries} == {"bootstrapping", "emergence", "controller_security"}
    assert a.verdict.collapses_into == ["process supervision"]


def test_model_as_judge_makes_it_scalable_oversight():
    exps = [{"id": "judge", "type": "model_as_judge", "models": {"judge": "j"}}]
    a = assess(scheme(experiments=exps))
    ids = {t.worry.id for t in a.worries}
    assert {"obfuscated_arguments", "systematic_human_errors"} <= ids
    assert "scalable oversight" in a.verdict.collapses_into


def test_controller_honeypots_trigger_elicitation_honeypot_and_fake_honeypot_worries():
    base = {t.worry.id for t in assess(scheme()).worries}
    a = assess(scheme(experiments=[{"id": "hp", "type": "honeypots"}]))
    added = {t.worry.id for t in a.worries} - base
    assert added == {"successful_elicitation", "honeypot_existence", "fake_honeypots"}
    assert "adversarial_prober" in {o.alternative.id for o in a.options}


def test_limited_pressure_triggers_metric_trust():
    a = assess(scheme(optimisation_pressure={"limited": True, "limits": ["10 runs"]}))
    assert "metric_trust" in {t.worry.id for t in a.worries}
    assert "limited_optimisation_pressure" in features(a.scheme)


def test_human_raters_bring_systematic_human_errors_even_at_level_1():
    plain = assess(scheme("humans"))
    assert plain.worries == []
    rated = assess(scheme("humans", research_environment={"human_raters": "crowd"}))
    assert [t.worry.id for t in rated.worries] == ["systematic_human_errors"]


def test_evidence_closes_a_worry_and_keeps_the_others_open():
    a = assess(scheme(evidence=[{"supports": "emergence", "text": "trajectory audit", "url": "log.jsonl"}]))
    status = {t.worry.id: bool(t.evidence) for t in a.worries}
    assert status == {"bootstrapping": False, "emergence": True, "controller_security": False}
    assert a.to_dict()["worries"][1]["open"] is False


def test_claimed_level_matching_gives_no_note():
    assert assess(scheme(claimed_level=2)).claimed_level_note == ""
    assert "claims level 1" in assess(scheme(claimed_level=1)).claimed_level_note
