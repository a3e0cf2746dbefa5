"""Seed questions and the Cooke pool of a campaign: the file is checked with every problem
located; answers are strict 5 < 50 < 95% quantiles; calibration against the chi-square formula by
hand (scipy as the oracle); the equal pool of two mirror-image raters against its closed form; the
Cooke pool against `cooke()` on the same assessments written out literally."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from autosafety._errors import InputError
from autosafety.campaign._seeds import (
    MAX_QUESTION,
    MAX_SEEDS,
    SeedAnswer,
    SeedQuestion,
    check_seed_answer,
    pool_campaign,
    read_seed_questions,
)
from autosafety.elicit import cooke, expert_judgements
from autosafety.model import Rating

SEEDS_YAML = """
- id: metr-sonnet-37
  question: METR's 50% time horizon of Claude 3.7 Sonnet, in minutes?
  unit: minutes
  realization: 59
  source: Kwa et al. 2025, arXiv 2503.14499
  scale: log
- {id: metr-doubling, question: Doubling time of the 50% horizon 2019-2025?, unit: days,
   realization: 212, source: arXiv 2503.14499}
"""


def test_a_seed_file_reads_with_scales_and_defaults():
    qs = read_seed_questions(SEEDS_YAML, origin="seeds.yaml")
    assert [(q.id, q.scale, q.realization, q.unit) for q in qs] == [
        ("metr-sonnet-37", "log", 59.0, "minutes"), ("metr-doubling", "uni", 212.0, "days")]
    assert "realization" not in qs[0].public() and "source" not in qs[0].public()
    assert qs[0].public()["scale"] == "log" and qs[1].public()["scale"] == "uniform"


def test_a_bad_seed_file_lists_every_problem_with_its_item():
    text = """questions:
- {id: a, question: Q?, realization: -3, scale: log}
- {id: a, question: Q?, realization: 1}
- {id: "bad id!", question: "", realization: x, scale: cubic, colour: red}
"""
    with pytest.raises(InputError) as e:
        read_seed_questions(text, origin="s.yaml")
    where = [(p.location, p.message) for p in e.value.problems]
    assert ("s.yaml: questions[0] (a).realization", "-3 on a log scale") in where
    assert ("s.yaml: questions[1].id", "'a' is used twice") in where
    locations = {p.location for p in e.value.problems}
    assert {"s.yaml: questions[2].id", "s.yaml: questions[2].question", "s.yaml: questions[2].scale",
            "s.yaml: questions[2].realization", "s.yaml: questions[2].colour"} <= locations


def test_size_caps_on_the_seed_file():
    long_q = [{"id": "a", "question": "x" * (MAX_QUESTION + 1), "realization": 1}]
    with pytest.raises(InputError, match="at most 2000"):
        read_seed_questions(str(long_q).replace("'", '"'), origin="s")
    many = "\n".join(f"- {{id: q{i}, question: q, realization: 1}}" for i in range(MAX_SEEDS + 1))
    with pytest.raises(InputError, match="101 questions, over 100"):
        read_seed_questions(many, origin="s")
    with pytest.raises(InputError, match="line"):  # YAML syntax: located by the bounded loader
        read_seed_questions("- {id: a, question: [", origin="s")


@pytest.mark.parametrize(("values", "message"), [
    ((1, 1, 2), "not strictly increasing"), ((3, 2, 1), "not strictly increasing"),
    ((math.nan, 1, 2), "not a finite number"), ((0, 1, 2), "not positive")])
def test_seed_answers_are_strictly_increasing_and_positive_on_log_scale(values, message):
    q = SeedQuestion("h", "?", "minutes", 59, "", "log")
    with pytest.raises(InputError, match=message) as e:
        check_seed_answer(SeedAnswer("h", *values), q)
    assert e.value.problems[0].location.startswith("seeds.h")
    assert check_seed_answer(SeedAnswer("h", 10, 60, 200), q).q50 == 60


def _rating(who: str, cell: tuple[str, str], low: float, value: float, high: float) -> Rating:
    return Rating(area=cell[0], factor=cell[1], rater=f"campaign-1/{who}", value=value, low=low,
                  high=high, credibility=0.9, provenance={"kind": "human", "rater": who})


QS = [SeedQuestion("s1", "?", "", 10.0, "", "uni"), SeedQuestion("s2", "?", "", 100.0, "", "uni")]
# A's realizations fall in its two middle bins; B's both below its 5% quantile
SEED_ANSWERS = {"R01": [SeedAnswer("s1", 5, 9, 20), SeedAnswer("s2", 50, 120, 200)],
                "R02": [SeedAnswer("s1", 11, 12, 13), SeedAnswer("s2", 101, 102, 103)]}
CELL = ("interpretability", "task_length")


def test_calibration_is_the_chi_square_survival_by_hand():
    ratings = [_rating("R01", CELL, 2, 3, 4), _rating("R02", CELL, 6, 7, 8)]
    pool = pool_campaign(QS, SEED_ANSWERS, ratings, campaign_id=1)
    p = np.array([0.05, 0.45, 0.45, 0.05])
    # R01: s = (0, .5, .5, 0); R02: s = (1, 0, 0, 0); N = 2 seeds; 3 degrees of freedom
    i_a = 0.5 * math.log(0.5 / 0.45) * 2
    i_b = math.log(1 / p[0])
    cal = pool.result.calibration
    assert cal[0] == pytest.approx(stats.chi2.sf(2 * 2 * i_a, 3), rel=1e-9)
    assert cal[1] == pytest.approx(stats.chi2.sf(2 * 2 * i_b, 3), rel=1e-9)
    d = pool.to_dict()
    assert [r["id"] for r in d["raters"]] == ["R01", "R02"]
    assert sum(r["weight"] for r in d["raters"]) == pytest.approx(1)
    assert d["rater"] == "campaign-1/pool-cooke" and d["cells"][0]["area"] == "interpretability"


def test_the_equal_pool_of_mirror_image_raters_has_the_closed_form():
    """A (2, 3, 4) and B (6, 7, 8): background [2, 8] widened 10% = [1.4, 8.6], symmetric about 5,
    so the mixture's median is 5; its 5% quantile solves 0.5 [0.05 + 0.45 (x - 2) +
    0.05 (x - 1.4) / 4.6] = 0.05 on [2, 3]."""
    ratings = [_rating("R01", CELL, 2, 3, 4), _rating("R02", CELL, 6, 7, 8)]
    pool = pool_campaign(QS, SEED_ANSWERS, ratings, campaign_id=1, method="equal")
    x05 = (0.05 + 0.9 + 0.05 * 1.4 / 4.6) / (0.45 + 0.05 / 4.6)
    [r] = pool.ratings()
    assert (r.low, r.value, r.high) == pytest.approx((x05, 5.0, 10 - x05), abs=1e-12)
    assert r.rater == "campaign-1/pool-equal" and r.credibility == 0.9
    assert "model" not in r.provenance  # so the model counts it as a human rater


def test_the_cooke_pool_is_cooke_on_the_same_assessments_written_out():
    c2 = ("alignment_theory", "task_length")
    ratings = [_rating("R01", CELL, 2, 3, 4), _rating("R02", CELL, 6, 7, 8),
               _rating("R01", c2, 1.5, 4, 9), _rating("R02", c2, 5, 5, 9),  # a point-low: left out
               _rating("R03", c2, 3, 4, 5)]  # R03 answered no seed: no weight
    pool = pool_campaign(QS, SEED_ANSWERS, ratings, campaign_id=7, scales={"task_length": (1, 10)})
    nan = [math.nan] * 3
    by_hand = cooke(expert_judgements(
        ["R01", "R02", "R03"], ["s1", "s2", "interpretability:task_length", "alignment_theory:task_length"],
        [0.05, 0.5, 0.95],
        [[[5, 9, 20], [50, 120, 200], [2, 3, 4], [1.5, 4, 9]],
         [[11, 12, 13], [101, 102, 103], [6, 7, 8], nan],
         [nan, nan, nan, [3, 4, 5]]],
        [10, 100, math.nan, math.nan]), weighting="global")
    assert pool.cells == (CELL, c2)
    np.testing.assert_allclose(pool.cell_quantiles, by_hand.dm_quantiles[2:], rtol=1e-12)
    np.testing.assert_allclose(pool.result.weights, by_hand.weights, rtol=1e-12)
    assert pool.result.weights[2] == 0
    assert pool.skipped == ("R02 alignment_theory:task_length: no interval strictly around the value",)


def test_no_seed_answers_is_a_located_error():
    with pytest.raises(InputError, match="no rater has answered a seed question"):
        pool_campaign(QS, {}, [_rating("R01", CELL, 2, 3, 4)], campaign_id=1)
    with pytest.raises(InputError, match="cooke or equal"):
        pool_campaign(QS, SEED_ANSWERS, [], campaign_id=1, method="median")


def _mixture_quantile(answers: list[tuple[float, float, float]], p: float) -> float:
    """The equal-weight pool by hand: each rater's CDF is piecewise linear through (L, 0), (5%,
    .05), (50%, .5), (95%, .95), (U, 1) with [L, U] the range of every answer widened by 10% each
    side; the pool is their mean, inverted by root finding (independent of the package's code)."""
    from scipy.optimize import brentq

    lo, hi = min(a[0] for a in answers), max(a[2] for a in answers)
    lower, upper = lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo)

    def cdf(x: float) -> float:
        return sum(float(np.interp(x, [lower, *a, upper], [0, 0.05, 0.5, 0.95, 1])) for a in answers) \
            / len(answers)

    return brentq(lambda x: cdf(x) - p, lower, upper, xtol=1e-14)


def test_the_equal_pool_needs_no_seed_questions():
    """Three raters, no seed question: the pool is the mixture of their distributions. A (2, 4, 6)
    and B (4, 6, 8) by hand: range [2, 8] widened to [1.4, 8.6]; the median solves
    F_A + F_B = 1 at x = 5 by symmetry; the 5% quantile lies in (2, 4), where
    F_A = .05 + .45 (x - 2) / 2 and F_B = .05 (x - 1.4) / 2.6, so
    x = 2 + (.05 - .05 * .6 / 2.6) / (.225 + .05 / 2.6)."""
    two = [_rating("R01", CELL, 2, 4, 6), _rating("R02", CELL, 4, 6, 8),
           _rating("R03", CELL, 5, 5, 7)]  # no interval around the value: left out
    for questions in ([], QS):  # no seed questions at all, or questions nobody answered
        pool = pool_campaign(questions, {}, two, campaign_id=3, method="equal")
        [r] = pool.ratings()
        x05 = 2 + (0.05 - 0.05 * 0.6 / 2.6) / (0.225 + 0.05 / 2.6)
        assert (r.low, r.value, r.high) == pytest.approx((x05, 5.0, 10 - x05), abs=1e-12)
        assert pool.skipped == ("R03 interpretability:task_length: no interval strictly around the value",)
        d = pool.to_dict()
        assert [(x["id"], x["weight"], x["calibration"], x["passes_cutoff"]) for x in d["raters"]] == [
            ("R01", 0.5, None, None), ("R02", 0.5, None, None)]
        assert d["decision_maker"] == {"calibration": None, "information": None, "score": None}
    # an uneven case against the independent mixture, with a second cell only one rater answered
    c2 = ("alignment_theory", "task_length")
    answers = [(1.5, 3, 9), (4, 4.5, 6), (2, 6.5, 7)]
    ratings = [_rating(f"R0{k + 1}", CELL, *a) for k, a in enumerate(answers)] + [
        _rating("R02", c2, 2, 3, 5)]
    pool = pool_campaign([], {}, ratings, campaign_id=3, method="equal")
    assert pool.cells == (CELL, c2)
    for k, cell_answers in enumerate((answers, [(2, 3, 5)])):
        expected = [_mixture_quantile(cell_answers, p) for p in (0.05, 0.5, 0.95)]
        np.testing.assert_allclose(pool.cell_quantiles[k], expected, rtol=1e-9)


def test_cooke_without_seed_questions_says_to_add_them():
    with pytest.raises(InputError) as e:
        pool_campaign([], {}, [_rating("R01", CELL, 2, 3, 4)], campaign_id=4)
    [p] = e.value.problems
    assert p.location == "campaign 4: seed questions"
    assert "no seed questions" in p.message and "--seed-questions FILE" in p.fix
    with pytest.raises(InputError, match="no rater has answered a cell"):
        pool_campaign([], {}, [_rating("R01", CELL, 3, 3, 4)], campaign_id=4, method="equal")
    with pytest.raises(InputError, match="no expert answered a seed item"):  # the library's guard
        cooke(expert_judgements(["a"], ["x"], [0.05, 0.5, 0.95], [[[1, 2, 3]]], [math.nan],
                                require_seed=False))
