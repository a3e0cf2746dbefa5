"""Pooling raters by source weight, groups, coverage, medians, orientation and scales."""

import numpy as np
import pytest

from autosafety.model import model_from_data, pool

from .conftest import make_spec


def _ensemble_spec(llm_values, author_value=8.0, **extra):
    raters = [{"id": "author", "kind": "human", "weight": 5}]
    raters += [{"id": f"llm{i}", "kind": "llm", "group": "llm_ensemble"} for i in range(3)]
    ratings = [{"area": "a", "factor": "f", "rater": "author", "value": author_value}]
    ratings += [{"area": "a", "factor": "f", "rater": f"llm{i}", "value": v}
                for i, v in enumerate(llm_values) if v is not None]
    return {"id": "ens", "factors": [{"id": "f"}], "areas": [{"id": "a", "category": "safety"}],
            "groups": [{"id": "llm_ensemble", "weight": 3}], "raters": raters,
            "ratings": ratings, **extra}


def test_author_and_llm_ensemble_pool_at_five_to_three():
    model = model_from_data(_ensemble_spec([2.0, 4.0, 9.0]))
    ensemble_mean = (2 + 4 + 9) / 3
    assert model.pooled()[0, 0] == pytest.approx((5 * 8 + 3 * ensemble_mean) / 8)


def test_a_missing_llm_renormalises_within_the_ensemble():
    model = model_from_data(_ensemble_spec([2.0, None, 9.0]))
    assert model.pooled()[0, 0] == pytest.approx((5 * 8 + 3 * 5.5) / 8)
    assert model.coverage[0, 0] == pytest.approx(3 / 4)


def test_a_cell_rated_only_by_the_ensemble_uses_the_ensemble_alone():
    spec = _ensemble_spec([2.0, 4.0, 6.0])
    spec["ratings"] = [r for r in spec["ratings"] if r["rater"] != "author"]
    assert model_from_data(spec).pooled()[0, 0] == pytest.approx(4.0)


def test_weighted_median_pools_to_the_middle_of_the_weight():
    model = model_from_data(_ensemble_spec([2.0, 4.0, 9.0]))
    # Author holds 5/8 of the weight: the weighted median is the author's value.
    assert model.pooled("median")[0, 0] == pytest.approx(8.0)


def test_weighted_median_of_an_even_split_is_the_midpoint():
    ratings = np.array([[[2.0, 6.0]]])
    weights = np.array([[[0.5, 0.5]]])
    assert pool(ratings, weights, method="median")[0, 0] == pytest.approx(4.0)


def test_lower_is_better_factor_is_reversed_on_its_scale():
    spec = make_spec(factors=[{"id": "f1", "weight": 1.0, "direction": "lower"},
                              {"id": "f2", "weight": 3.0}])
    model = model_from_data(spec)
    # a1 rated 2 on f1 where lower is better -> 1 + 10 - 2 = 9 on the oriented scale.
    assert model.pooled()[0, 0] == pytest.approx(9.0)
    assert model.score().scores[0] == pytest.approx((9 + 3 * 6) / 4)


def test_a_factor_with_its_own_scale_is_mapped_onto_the_model_scale():
    spec = make_spec(factors=[{"id": "f1", "weight": 1.0, "scale": {"min": 0, "max": 100}},
                              {"id": "f2", "weight": 3.0}])
    spec["ratings"][0]["value"] = 50  # a1 on f1: halfway -> 5.5 on 1..10
    model = model_from_data(spec)
    assert model.pooled()[0, 0] == pytest.approx(5.5)


def test_score_is_the_normalised_weighted_mean(tiny_spec):
    result = model_from_data(tiny_spec).score()
    assert result.scores.tolist() == pytest.approx([(2 + 18) / 4, (8 + 12) / 4])
    assert result.category_scores == {"safety": 5.0, "capabilities": 5.0}
    assert result.tied.all() and result.ranks.tolist() == [1, 1]


def test_weight_and_rating_overrides_change_the_score(tiny_spec):
    model = model_from_data(tiny_spec)
    result = model.score(weights={"f1": 3.0}, ratings={("a2", "f2"): 10.0})
    assert result.scores.tolist() == pytest.approx([(6 + 18) / 6, (24 + 30) / 6])
    assert result.overrides == {"weights": {"f1": 3.0}, "ratings": {"a2:f2": 10.0}}
    assert model.score().scores.tolist() == pytest.approx([5.0, 5.0])  # model unchanged


def test_result_keeps_its_model_and_makes_a_frame(tiny_spec):
    model = model_from_data(tiny_spec)
    result = model.score(weights={"f2": 0.0})
    assert result.model is model
    frame = result.to_frame()
    assert list(frame.index) == ["a2", "a1"]
    assert frame.loc["a2", "score"] == pytest.approx(8.0)
    assert "<table>" in result._repr_html_() and "a2" in repr(result)


def test_a_cell_whose_raters_all_weigh_0_is_refused_where_it_is_rated():
    # pooling would give such a cell 0, below the 1-10 scale: refused with its first rating
    from autosafety._errors import InputError

    spec = _ensemble_spec([2.0, 4.0, 9.0])
    spec["raters"][0]["weight"] = 0          # the author: the ensemble still rates the cell
    assert model_from_data(spec).pooled()[0, 0] == pytest.approx(5.0)
    spec["groups"][0]["weight"] = 0          # and the ensemble: nothing left
    with pytest.raises(InputError) as e:
        model_from_data(spec)
    (p,) = e.value.problems
    assert p.location.endswith("ratings[0]")
    assert p.message == "every rater of (a, f) weighs 0: no pooled rating"
    spec["groups"][0]["weight"] = 3          # weights within a group all 0 leave it out too
    for r in spec["raters"][1:]:
        r["weight"] = 0
    with pytest.raises(InputError, match=r"every rater of \(a, f\) weighs 0"):
        model_from_data(spec)


def test_zero_source_weights_for_every_rater_exit_2_naming_the_cells(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    exe = [str(Path(sys.executable).parent / "autosafety")]
    r = subprocess.run([*exe, "score", "wehner-2026", "--source-weight", "published_pooled=0"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    # 10 areas x 7 factors, all rated by the published table alone
    assert "every rater of (interpretability, task_length), (alignment_theory, task_length), " \
           "(scalable_oversight, task_length) and 67 more weighs 0" in r.stderr
