"""The Monte Carlo plan of a small hand-written model, array by array, against values worked out by
hand; and every refusal of bad settings, scenarios and weight ranges, word for word."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest

from autosafety._errors import InputError
from autosafety.analysis import Scenario
from autosafety.analysis._plan import build_plan, check_settings
from autosafety.model import Area, Factor, Model, ModelSpec, Rater, Rating

from .conftest import random_model

Z90 = NormalDist().inv_cdf(0.9)  # an 80% interval: 10% of the mass beyond each end
Z75 = NormalDist().inv_cdf(0.75)  # a 50% interval


def hand_model() -> Model:
    """Scale 1-10; f0 (weight 1), f1 (weight 3, lower is better: raw x -> 11 - x); raters r0 (weight 1)
    and r1 (weight 3), each its own source; some cells rated by one rater only; two intervals."""
    spec = ModelSpec(
        id="hand", categories=["x", "y"],
        factors=[Factor(id="f0", weight=1.0), Factor(id="f1", weight=3.0, direction="lower")],
        areas=[Area(id="a0", category="x"), Area(id="a1", name="Area One", category="y"),
               Area(id="a2", category="x")],
        raters=[Rater(id="r0", weight=1.0), Rater(id="r1", weight=3.0)],
        ratings=[Rating(area="a0", factor="f0", rater="r0", value=4),
                 Rating(area="a0", factor="f0", rater="r1", value=6, low=5, high=8, credibility=0.8),
                 Rating(area="a0", factor="f1", rater="r0", value=2),
                 Rating(area="a1", factor="f0", rater="r1", value=8),
                 Rating(area="a1", factor="f1", rater="r0", value=3),
                 Rating(area="a1", factor="f1", rater="r1", value=5),
                 Rating(area="a2", factor="f0", rater="r0", value=7),
                 Rating(area="a2", factor="f1", rater="r1", value=2, low=1, high=4, credibility=0.5)])
    return Model(spec)


# the 8 ratings in (area, factor, rater) order, oriented (f1: 11 - raw)
CENTER = [4.0, 6.0, 9.0, 8.0, 8.0, 6.0, 7.0, 9.0]
RATING_AREA = [0, 0, 0, 1, 1, 1, 2, 2]
RATING_FACTOR = [0, 0, 1, 0, 1, 1, 0, 1]
RATING_RATER = [0, 1, 0, 1, 0, 1, 0, 1]
CELL_STARTS = [0, 2, 3, 4, 6, 7]  # cells a0f0 (2 ratings), a0f1, a1f0, a1f1 (2), a2f0, a2f1
RATER_WEIGHT = [0.25, 0.75, 1.0, 1.0, 0.25, 0.75, 1.0, 1.0]
# pooled: a0f0 = .25*4 + .75*6, a0f1 = 9, a1f0 = 8, a1f1 = .25*8 + .75*6, a2f0 = 7, a2f1 = 9
POOLED = [5.5, 9.0, 8.0, 6.5, 7.0, 9.0]
# interval sds: rating 1 (6 in 5..8 at 80%), rating 7 (raw 2 in 1..4 at 50%: oriented 9 in 7..10)
SD_LOW_1, SD_HIGH_1 = 1 / Z90, 2 / Z90
SD_LOW_7, SD_HIGH_7 = 2 / Z75, 1 / Z75


def same(actual, expected, dtype=None) -> None:
    """Equal values, shape and (when given) dtype."""
    a = np.asarray(actual)
    e = np.asarray(expected, dtype=dtype if dtype is not None else a.dtype)
    assert a.shape == e.shape
    if dtype is not None:
        assert a.dtype == np.dtype(dtype)
    np.testing.assert_allclose(a.astype(float), e.astype(float), rtol=1e-12, atol=1e-12)


def problems(err: pytest.ExceptionInfo) -> list[tuple[str, str, str]]:
    return [(p.location, p.message, p.fix) for p in err.value.problems]


# -- the plan of the hand model ------------------------------------------------------------------

def test_plan_arrays_of_the_hand_model():
    plan = build_plan(hand_model())
    assert (plan.n_areas, plan.n_factors, plan.lower, plan.upper) == (3, 2, 1.0, 10.0)
    same(plan.center, CENTER, float)
    same(plan.cell_starts, CELL_STARTS)
    same(plan.rater_weight, RATER_WEIGHT, float)
    same(plan.point_pooled, POOLED, float)
    same(plan.category_index, [0, 1, 0])
    assert plan.n_categories == 2
    assert plan.concentration is None and plan.weight_ranges is None and plan.resample is None
    assert plan.noisy is True
    assert plan.one_per_cell is False
    # no scenarios: one world of probability 1, the point weights, nothing fixed
    same(plan.scenario_probs, [1.0], float)
    same(plan.scenario_weights, [[0.25, 0.75]], float)
    same(plan.override_mask, np.zeros((1, 6)), bool)
    same(plan.override_value, np.zeros((1, 6)), float)


def test_default_rating_noise_is_a_tenth_of_the_range_and_intervals_override_it():
    plan = build_plan(hand_model())
    low = [0.9, SD_LOW_1, 0.9, 0.9, 0.9, 0.9, 0.9, SD_LOW_7]
    high = [0.9, SD_HIGH_1, 0.9, 0.9, 0.9, 0.9, 0.9, SD_HIGH_7]
    same(plan.sd_low, low, float)
    same(plan.sd_high, high, float)


def test_a_noise_share_scales_the_range_and_keeps_the_intervals():
    plan = build_plan(hand_model(), rating_noise=0.2)
    same(plan.sd_low, [1.8, SD_LOW_1, 1.8, 1.8, 1.8, 1.8, 1.8, SD_LOW_7], float)
    same(plan.sd_high, [1.8, SD_HIGH_1, 1.8, 1.8, 1.8, 1.8, 1.8, SD_HIGH_7], float)
    assert plan.noisy is True


def test_zero_noise_keeps_only_the_intervals():
    plan = build_plan(hand_model(), rating_noise=0.0)
    same(plan.sd_low, [0, SD_LOW_1, 0, 0, 0, 0, 0, SD_LOW_7], float)
    same(plan.sd_high, [0, SD_HIGH_1, 0, 0, 0, 0, 0, SD_HIGH_7], float)
    assert plan.noisy is True


def test_no_noise_ignores_the_intervals_too():
    plan = build_plan(hand_model(), rating_noise=False)
    same(plan.sd_low, np.zeros(8), float)
    same(plan.sd_high, np.zeros(8), float)
    assert plan.noisy is False


def test_an_interval_with_its_low_end_at_the_rating_is_still_noise():
    """Only the upper half has spread: the plan is noisy although every lower sd is 0."""
    spec = ModelSpec(id="lop", categories=["x"], factors=[Factor(id="f")],
                     areas=[Area(id="a", category="x"), Area(id="b", category="x")],
                     raters=[Rater(id="r")],
                     ratings=[Rating(area="a", factor="f", rater="r", value=3, low=3, high=5,
                                     credibility=0.8),
                              Rating(area="b", factor="f", rater="r", value=4)])
    plan = build_plan(Model(spec), rating_noise=0.0)
    same(plan.sd_low, [0.0, 0.0], float)
    same(plan.sd_high, [2 / Z90, 0.0], float)
    assert plan.noisy is True
    assert plan.one_per_cell is True


def test_rater_resampling_inputs():
    plan = build_plan(hand_model(), resample_raters=True)
    r = plan.resample
    assert r is not None
    m = hand_model()
    same(r.present, m.present, bool)
    same(r.within, [1.0, 1.0], float)
    same(r.source, [0, 1])
    same(r.source_weight, [1.0, 3.0], float)
    assert len(r.rating_index) == 3
    same(r.rating_index[0], RATING_AREA)
    same(r.rating_index[1], RATING_FACTOR)
    same(r.rating_index[2], RATING_RATER)
    assert build_plan(hand_model()).resample is None  # off unless asked


def test_grouped_raters_resample_within_their_group():
    spec = hand_model().spec.model_dump()
    spec["groups"] = [{"id": "g", "weight": 2.0}]
    spec["raters"] = [{"id": "r0", "weight": 1.0, "group": "g"}, {"id": "r1", "weight": 3.0, "group": "g"}]
    r = build_plan(Model(ModelSpec.model_validate(spec)), resample_raters=True).resample
    same(r.within, [1.0, 3.0], float)
    same(r.source, [0, 0])
    same(r.source_weight, [2.0], float)


def test_one_rater_has_nothing_to_resample():
    one = random_model(3, areas=3, factors=2, raters=1)
    assert build_plan(one, resample_raters=True).resample is None
    two = random_model(3, areas=3, factors=2, raters=2)
    assert build_plan(two, resample_raters=True).resample is not None


def test_one_rating_per_cell_of_a_random_model():
    m = random_model(5, areas=4, factors=3, raters=1)
    plan = build_plan(m)
    same(plan.cell_starts, np.arange(12))
    same(plan.rater_weight, np.ones(12), float)
    same(plan.center, [r.value for r in m.spec.ratings], float)
    assert plan.one_per_cell is True


# -- scenarios ------------------------------------------------------------------------------------

def test_scenario_arrays():
    scen = [Scenario(name="calm", probability=0.25, weights={"f1": 1.0},
                     ratings={("a1", "f1"): 2.0, ("a0", "f0"): 10.0}),
            Scenario(name="storm", probability=0.75 - 4e-7, ratings={("a2", "f0"): 3.5})]
    plan = build_plan(hand_model(), scenarios=scen)
    total = 1 - 4e-7  # within the tolerance: divided out
    same(plan.scenario_probs, [0.25 / total, (0.75 - 4e-7) / total], float)
    same(plan.scenario_weights, [[0.5, 0.5], [0.25, 0.75]], float)
    # cells a0f0 = 0, a1f1 = 3 (raw 2 on a lower-is-better factor: 9), a2f0 = 4
    same(plan.override_mask, [[True, False, False, True, False, False],
                              [False, False, False, False, True, False]], bool)
    same(plan.override_value, [[10.0, 0, 0, 9.0, 0, 0], [0, 0, 0, 0, 3.5, 0]], float)
    same(plan.point_pooled, POOLED, float)  # the point ratings are untouched


def test_scenario_probabilities_within_the_tolerance_and_zero_are_accepted():
    plan = build_plan(hand_model(), scenarios=[Scenario(name="a", probability=1.0),
                                               Scenario(name="b", probability=0.0)])
    same(plan.scenario_probs, [1.0, 0.0], float)
    plan = build_plan(hand_model(), scenarios=[Scenario(name="a", probability=0.5),
                                               Scenario(name="b", probability=0.5 + 5e-7)])
    same(plan.scenario_probs, [0.5 / (1 + 5e-7), (0.5 + 5e-7) / (1 + 5e-7)], float)


def test_probabilities_off_by_more_than_the_tolerance_are_refused():
    with pytest.raises(InputError) as e:
        build_plan(hand_model(), scenarios=[Scenario(name="a", probability=0.5),
                                            Scenario(name="b", probability=0.25)])
    assert e.value.title == "invalid scenarios"
    assert problems(e) == [("scenarios", "probabilities [0.5, 0.25] sum to 0.75",
                            "make them non-negative and sum to 1")]
    with pytest.raises(InputError):
        build_plan(hand_model(), scenarios=[Scenario(name="a", probability=0.5),
                                            Scenario(name="b", probability=0.5 + 2e-6)])


def test_every_scenario_problem_is_listed_once():
    scen = [Scenario(name="twin", probability=0.5, weights={"nope": 1.0}),
            Scenario(name="twin", probability=0.75, ratings={("a0", "f0"): 11.0})]
    with pytest.raises(InputError) as e:
        build_plan(hand_model(), scenarios=scen)
    assert e.value.title == "invalid scenarios"
    assert problems(e) == [
        ("scenarios", "two scenarios share a name", "give each a unique name"),
        ("scenarios", "probabilities [0.5, 0.75] sum to 1.25", "make them non-negative and sum to 1"),
        ("scenario 'twin' weight nope", "unknown factor 'nope'", "use one of: f0, f1"),
        ("scenario 'twin' rating a0:f0", "11.0 is outside the scale 1-10", "use a value between 1 and 10"),
    ]


def test_a_scenario_with_only_a_bad_rating_is_reported_alone():
    scen = [Scenario(name="ok", probability=0.5), Scenario(name="bad", probability=0.5,
                                                           ratings={("zz", "f0"): 5.0})]
    with pytest.raises(InputError) as e:
        build_plan(hand_model(), scenarios=scen)
    assert problems(e) == [("scenario 'bad' rating zz:f0", "unknown area 'zz'", "use one of: a0, a1, a2")]


# -- rating noise refused ---------------------------------------------------------------------------

@pytest.mark.parametrize("noise, shown", [(-0.1, "-0.1"), (math.nan, "nan"), (math.inf, "inf")])
def test_bad_rating_noise(noise, shown):
    with pytest.raises(InputError) as e:
        build_plan(hand_model(), rating_noise=noise)
    assert e.value.title == "invalid input"
    assert problems(e) == [("rating noise", f"must be >= 0, got {shown}",
                            "give the sd as a share of the scale range, e.g. 0.1")]


def test_a_noise_share_of_one_or_more_is_allowed():
    plan = build_plan(hand_model(), rating_noise=1.5)
    assert plan.sd_low[0] == pytest.approx(13.5)


# -- weight ranges --------------------------------------------------------------------------------

def test_weight_ranges_of_one_world():
    plan = build_plan(hand_model(), weight_ranges={"f0": (0.5, 2.0)})
    (r,) = plan.weight_ranges
    same(r.ranged, [0])
    same(r.low, [0.5], float)
    same(r.high, [2.0], float)
    same(r.fixed, [0.0, 3.0], float)
    assert r.proposal in ("box", "simplex")
    assert plan.concentration is None


def test_weight_ranges_per_scenario_with_its_own_weights_fixed():
    scen = [Scenario(name="light", probability=0.5, weights={"f1": 1.0}),
            Scenario(name="pinned", probability=0.25, weights={"f0": 1.5}),
            Scenario(name="plain", probability=0.25)]
    plan = build_plan(hand_model(), weight_ranges={"f0": (0.5, 2.0)}, scenarios=scen)
    light, pinned, plain = plan.weight_ranges
    same(light.ranged, [0])
    same(light.fixed, [0.0, 1.0], float)
    same(pinned.ranged, np.zeros(0, int))
    same(pinned.fixed, [1.5, 3.0], float)
    assert pinned.proposal == "point"
    same(plain.ranged, [0])
    same(plain.fixed, [0.0, 3.0], float)


def test_a_range_of_one_value_and_ranges_summing_below_one_are_valid():
    plan = build_plan(hand_model(), weight_ranges={"f0": (2.0, 2.0)})
    (r,) = plan.weight_ranges
    same(r.ranged, np.zeros(0, int))
    same(r.fixed, [2.0, 3.0], float)
    plan = build_plan(hand_model(), weight_ranges={"f0": (0.0, 0.25), "f1": (0.5, 0.5)})
    (r,) = plan.weight_ranges
    same(r.ranged, [0])
    same(r.high, [0.25], float)
    same(r.fixed, [0.0, 0.5], float)


def test_bad_weight_ranges_are_all_listed():
    with pytest.raises(InputError) as e:
        build_plan(hand_model(), weight_ranges={"nope": (1.0, 2.0), "f0": (3.0, 1.0), "f1": (math.nan, 2.0)})
    assert e.value.title == "invalid weight ranges"
    assert problems(e) == [
        ("weight range nope", "unknown factor 'nope'", "use one of: f0, f1"),
        ("weight range f0", "need 0 <= low <= high, got 3.0..1.0", "e.g. 1..3"),
        ("weight range f1", "need 0 <= low <= high, got nan..2.0", "e.g. 1..3"),
    ]


@pytest.mark.parametrize("low, high", [(1.0, math.inf), (-1.0, 2.0), (math.inf, math.inf)])
def test_ranges_need_finite_non_negative_ends(low, high):
    with pytest.raises(InputError) as e:
        build_plan(hand_model(), weight_ranges={"f0": (low, high)})
    assert problems(e) == [("weight range f0", f"need 0 <= low <= high, got {low}..{high}", "e.g. 1..3")]


def test_ranges_that_allow_only_zero_weights():
    with pytest.raises(InputError) as e:
        build_plan(hand_model(), weight_ranges={"f0": (0.0, 0.0), "f1": (0.0, 0.0)})
    assert e.value.title == "invalid weight ranges"
    assert problems(e) == [("weight ranges", "every weight can only be zero",
                            "give some factor a positive range")]


def test_ranges_and_a_concentration_are_exclusive():
    with pytest.raises(InputError) as e:
        build_plan(hand_model(), weight_ranges={"f0": (0.5, 2.0)}, weight_concentration=10.0)
    assert e.value.title == "invalid input"
    assert problems(e) == [("weights", "both a concentration and weight ranges given",
                            "choose Dirichlet draws (concentration) or ranges")]


def test_a_concentration_alone_is_kept():
    assert build_plan(hand_model(), weight_concentration=7.5).concentration == 7.5


def _sliver() -> tuple[Model, dict[str, tuple[float, float]]]:
    m = random_model(0, factors=12)
    return m, {f: (0.99 * x, 1.01 * x) for f, x in zip(m.factor_ids, m.weights)}


def _refused(err: pytest.ExceptionInfo, where: str) -> None:
    assert err.value.title == "invalid weight ranges"
    (p,) = err.value.problems
    assert p.location == where
    assert p.message.startswith("the weights these ranges allow are too small a part of the space "
                                "sampled (")
    assert p.message.endswith(" of proposals accepted)")
    assert p.fix == "widen the ranges, or give fewer weights a range"


def test_ranges_too_narrow_to_sample_are_refused():
    m, ranges = _sliver()
    with pytest.raises(InputError) as e:
        build_plan(m, weight_ranges=ranges)
    _refused(e, "weight ranges")


def test_ranges_too_narrow_in_a_scenario_name_it():
    m, ranges = _sliver()
    with pytest.raises(InputError) as e:
        build_plan(m, weight_ranges=ranges, scenarios=[Scenario(name="only", probability=1.0)])
    _refused(e, "weight ranges in scenario 'only'")


# -- Monte Carlo settings -----------------------------------------------------------------------------

MAX = "100,000,000"


@pytest.mark.parametrize("draws", [1, 100_000_000, np.int64(5)])
def test_draws_accepted(draws):
    check_settings(draws=draws, precision=None, concentration=None, chunk_size=None)


@pytest.mark.parametrize("draws", [0, -3, 100_000_001, 2.0])
def test_draws_refused(draws):
    with pytest.raises(InputError) as e:
        check_settings(draws=draws, precision=None, concentration=None, chunk_size=None)
    assert e.value.title == "invalid Monte Carlo settings"
    assert problems(e) == [("draws", f"must be a whole number between 1 and {MAX}, got {draws}",
                            f"use e.g. 10000; at most {MAX}")]


@pytest.mark.parametrize("precision", [0.0, 0.5, 1.2, -0.1])
def test_precision_refused(precision):
    with pytest.raises(InputError) as e:
        check_settings(draws=10, precision=precision, concentration=None, chunk_size=None)
    assert problems(e) == [("precision", f"must be between 0 and 0.5, got {precision}",
                            "give a standard error to reach, e.g. 0.002")]


@pytest.mark.parametrize("concentration", [0.0, -2.0, math.inf, math.nan])
def test_concentration_refused(concentration):
    with pytest.raises(InputError) as e:
        check_settings(draws=10, precision=None, concentration=concentration, chunk_size=None)
    assert problems(e) == [("weight concentration", f"must be a number > 0, got {concentration}",
                            "larger means weights stay closer to the point weights, e.g. 50")]


@pytest.mark.parametrize("chunk", [0, -5])
def test_chunk_size_refused(chunk):
    with pytest.raises(InputError) as e:
        check_settings(draws=10, precision=None, concentration=None, chunk_size=chunk)
    assert problems(e) == [("chunk size", f"must be > 0, got {chunk}", "leave it unset")]


def test_good_settings_pass():
    check_settings(draws=10, precision=0.25, concentration=0.5, chunk_size=1)
    check_settings(draws=10, precision=0.499, concentration=1e-3, chunk_size=None)


def test_every_bad_setting_is_listed_in_one_error():
    with pytest.raises(InputError) as e:
        check_settings(draws=0, precision=0.75, concentration=-1.0, chunk_size=0)
    assert e.value.title == "invalid Monte Carlo settings"
    assert [p[0] for p in problems(e)] == ["draws", "precision", "weight concentration", "chunk size"]


def test_cells_of_a_one_factor_model_start_at_each_area():
    """One factor: cell = area; two raters on a0 and a2, one on a1."""
    spec = ModelSpec(id="single", categories=["x"], factors=[Factor(id="f")],
                     areas=[Area(id=f"a{i}", category="x") for i in range(3)],
                     raters=[Rater(id="r0"), Rater(id="r1")],
                     ratings=[Rating(area="a0", factor="f", rater="r0", value=2),
                              Rating(area="a0", factor="f", rater="r1", value=4),
                              Rating(area="a1", factor="f", rater="r1", value=5),
                              Rating(area="a2", factor="f", rater="r0", value=6),
                              Rating(area="a2", factor="f", rater="r1", value=9)])
    plan = build_plan(Model(spec))
    same(plan.cell_starts, [0, 2, 3])
    same(plan.rater_weight, [0.5, 0.5, 1.0, 0.5, 0.5], float)
    same(plan.point_pooled, [3.0, 5.0, 7.5], float)
