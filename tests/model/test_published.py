"""The built-in published models reproduce their sources."""

import numpy as np
import pytest

from autosafety import load_model

# The "Amenable to Automation" row and "Category Average" row of the 004 post's table.
PUBLISHED_004 = {
    "interpretability": 5.53, "alignment_theory": 4.04, "scalable_oversight": 4.76,
    "ai_control": 5.78, "dangerous_capability_evals": 5.93, "pretraining_algorithms": 5.37,
    "post_training": 6.21, "data_generation": 6.22, "agent_scaffolding": 7.35,
    "training_efficiency": 7.09,
}
PUBLISHED_004_CATEGORIES = {"safety": 5.21, "capabilities": 6.45}
PUBLISHED_004_WEIGHTS = {
    "task_length": 1.0, "insight_vs_engineering": 1.5, "data_availability": 0.2,
    "feedback_quality": 2.5, "compute_vs_labour": 2.5, "scheming_risk": 0.4,
    "economic_incentive": 0.5,
}


def test_wehner_2026_reproduces_every_published_score_to_two_decimals():
    result = load_model("wehner-2026").score()
    got = {a["id"]: round(a["score"], 2) for a in result.to_dict()["areas"]}
    assert got == PUBLISHED_004


def test_wehner_2026_reproduces_the_category_averages():
    result = load_model("wehner-2026").score()
    assert {c: round(v, 2) for c, v in result.category_scores.items()} == PUBLISHED_004_CATEGORIES
    assert result.gaps["capabilities - safety"] == pytest.approx(6.45 - 5.21, abs=0.01)


def test_wehner_2026_has_the_published_factors_weights_and_definitions():
    model = load_model("wehner-2026")
    assert dict(zip(model.factor_ids, model.weights.tolist())) == PUBLISHED_004_WEIGHTS
    for factor in model.factors:
        assert factor.description and "Wehner" in factor.citation
    assert [a.category for a in model.areas] == ["safety"] * 5 + ["capabilities"] * 5


def test_wehner_2026_stores_the_pooled_table_as_one_rater_with_its_provenance():
    model = load_model("wehner-2026")
    assert model.rater_ids == ["published_pooled"]
    provenance = model.raters[0].provenance
    assert "5" in provenance["method"] and "3" in provenance["method"]
    assert provenance["components_published"] is False
    assert len(model.spec.ratings) == 70


def test_safety_fields_2026_uses_equal_weights_and_says_so():
    model = load_model("safety-fields-2026")
    assert model.factor_ids == ["feedback_quality", "economic_incentive"]
    assert model.weights.tolist() == [1.0, 1.0]
    assert "equal weights" in model.spec.notes
    assert (model.spec.scale.min, model.spec.scale.max) == (1, 5)


def test_safety_fields_2026_scores_are_the_mean_of_its_two_ratings():
    model = load_model("safety-fields-2026")
    by_cell = {(r.area, r.factor): r.value for r in model.spec.ratings}
    result = model.score()
    for i, area in enumerate(model.area_ids):
        expected = (by_cell[(area, "feedback_quality")] + by_cell[(area, "economic_incentive")]) / 2
        assert result.scores[i] == pytest.approx(expected)


def test_safety_fields_2026_keeps_the_authors_stated_ranking():
    model = load_model("safety-fields-2026")
    ranking = model.spec.stated_ranking
    assert ranking is not None
    assert ranking.order[0] == "scalable_oversight" and ranking.order[-1] == "agent_foundations"
    assert sorted(ranking.order) == sorted(model.area_ids)


def test_ties_share_a_rank_and_are_flagged():
    result = load_model("safety-fields-2026").score()
    ranks = dict(zip(result.model.area_ids, result.ranks.tolist()))
    tied = dict(zip(result.model.area_ids, result.tied.tolist()))
    # model organisms (4+2), emergent misalignment (3+3) and evals (2+4) all average 3.
    assert ranks["model_organisms"] == ranks["emergent_misalignment"] == ranks["evals"]
    assert tied["evals"] and not tied["mech_interp"]
    assert np.sort(result.ranks).tolist()[:4] == [1, 2, 3, 4]
