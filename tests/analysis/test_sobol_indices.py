"""Sobol indices checked against closed forms, against SALib run directly on a gap computed by hand,
and the mapping from uniforms to weights and ratings against the formulas written out here."""

from __future__ import annotations

import math

import numpy as np
import pytest
from SALib.analyze import sobol as salib_analyze
from SALib.sample import sobol as salib_sample
from scipy.stats import gamma, norm

from autosafety._errors import InputError, Problem
from autosafety.analysis import sobol
from autosafety.analysis._sobol import SobolResult, evaluate, sobol_problem
from autosafety.model import Area, Factor, Model, ModelSpec, Rater, Rating

LO, HI = 1.0, 10.0  # the default scale


def build(ratings: dict[tuple[str, str], float | tuple[float, float, float, float]],
          weights: dict[str, float], categories: dict[str, str]) -> Model:
    """One rater; a rating is a value or (value, low, high, credibility)."""
    rows = []
    for (a, f), r in ratings.items():
        if isinstance(r, tuple):
            v, lo, hi, cred = r
            rows.append(Rating(area=a, factor=f, rater="r", value=v, low=lo, high=hi, credibility=cred))
        else:
            rows.append(Rating(area=a, factor=f, rater="r", value=r))
    return Model(ModelSpec(
        id="hand", categories=list(dict.fromkeys(categories.values())),
        factors=[Factor(id=f, weight=w) for f, w in weights.items()],
        areas=[Area(id=a, category=c) for a, c in categories.items()],
        raters=[Rater(id="r")], ratings=rows))


# --- the gap written out by hand ----------------------------------------------------------------

def cell_sds(r: float | tuple[float, float, float, float], share: float) -> tuple[float, float, float]:
    """Centre and the two half-sds of one rating: an interval puts `credibility` inside it, half on
    each side of the value; a bare value gets share x (scale range) on both sides."""
    if isinstance(r, tuple):
        v, lo, hi, cred = r
        z = norm.ppf((1 + cred) / 2)
        return v, (v - lo) / z, (hi - v) / z
    return r, share * (HI - LO), share * (HI - LO)


def rating_at(u: float, c: float, sl: float, sh: float) -> float:
    """Inverse CDF at u of the two-halves normal (median c) truncated to the scale."""
    def cdf(x: float) -> float:
        return norm.cdf((x - c) / (sl if x < c else sh))

    q = cdf(LO) + u * (cdf(HI) - cdf(LO))
    return c + (sl if q < 0.5 else sh) * norm.ppf(q)


def hand_gap(u_row, ratings, weights, categories, *, vary_weights=True, vary_ratings=True,
             concentration=20.0, share=0.1, pair=None):
    """Gap (second category minus first, or pair[0] - pair[1]) for one row of uniforms."""
    u_row = np.clip(np.asarray(u_row, float), 1e-12, 1 - 1e-12)
    fids, aids = list(weights), list(categories)
    w = np.array([weights[f] for f in fids], float)
    w = w / w.sum()
    col = 0
    if vary_weights:
        pos = [j for j in range(len(fids)) if w[j] > 0]
        g = np.zeros(len(fids))
        for k, j in enumerate(pos):
            g[j] = gamma.ppf(u_row[k], concentration * w[j])
        w = g / g.sum()
        col = len(pos)
    x = np.zeros((len(aids), len(fids)))
    for i, a in enumerate(aids):
        for j, f in enumerate(fids):
            c, sl, sh = cell_sds(ratings[(a, f)], share)
            if vary_ratings:
                x[i, j] = rating_at(u_row[col], c, sl, sh)
                col += 1
            else:
                x[i, j] = c
    scores = dict(zip(aids, x @ w))
    if pair:
        return scores[pair[0]] - scores[pair[1]]
    cats = list(dict.fromkeys(categories.values()))
    mean = {k: np.mean([scores[a] for a in aids if categories[a] == k]) for k in cats}
    return mean[cats[1]] - mean[cats[0]]


# a model with a near-floor and a near-ceiling interval (the truncation matters), lopsided
# intervals (the two halves differ), bare values, and one factor of weight zero
RATINGS = {("a0", "f0"): (2.0, 1.5, 4.0, 0.8), ("a0", "f1"): 5.0, ("a0", "f2"): (9.0, 8.8, 10.0, 0.9),
           ("a1", "f0"): (9.0, 6.0, 10.0, 0.9), ("a1", "f1"): 3.0, ("a1", "f2"): (6.0, 5.0, 6.5, 0.7),
           ("a2", "f0"): 4.0, ("a2", "f1"): 8.0, ("a2", "f2"): 7.0}
WEIGHTS = {"f0": 2.0, "f1": 0.0, "f2": 1.0}
CATS = {"a0": "c0", "a1": "c1", "a2": "c1"}


@pytest.fixture(scope="module")
def hand() -> Model:
    return build(RATINGS, WEIGHTS, CATS)


def test_uniforms_map_to_dirichlet_weights_and_truncated_ratings_as_written_by_hand(hand):
    rng = np.random.default_rng(11)
    u = rng.random((12, 2 + 9))
    u[0, :] = 0.0  # the edges are clipped into (0, 1), never mapped to 0 or infinity
    u[1, :] = 1.0
    u[2, :2], u[2, 2:] = [0.0, 1.0], 0.999
    u[3, 2:] = 0.001
    y = evaluate(hand, u, weights=True, ratings="area", concentration=7.0, rating_noise=0.05)
    want = [hand_gap(row, RATINGS, WEIGHTS, CATS, concentration=7.0, share=0.05) for row in u]
    np.testing.assert_allclose(y, want, rtol=1e-9, atol=1e-9)
    assert np.isfinite(y).all()


def test_one_row_of_uniforms_is_mapped_like_any_other(hand):
    u = np.array([[0.3, 0.8, 0.1, 0.9, 0.5, 0.2, 0.7, 0.4, 0.6, 0.05, 0.95]])
    y = evaluate(hand, u, weights=True, ratings="factor", concentration=3.0, rating_noise=0.2)
    assert y.shape == (1,)
    assert y[0] == pytest.approx(hand_gap(u[0], RATINGS, WEIGHTS, CATS, concentration=3.0, share=0.2),
                                 abs=1e-9)


def test_weights_alone_and_ratings_alone_by_hand(hand):
    rng = np.random.default_rng(2)
    u = rng.random((6, 2))
    y = evaluate(hand, u, weights=True, ratings="none", concentration=20.0, rating_noise=True)
    want = [hand_gap(row, RATINGS, WEIGHTS, CATS, vary_ratings=False) for row in u]
    np.testing.assert_allclose(y, want, rtol=1e-9)
    u = rng.random((6, 9))
    y = evaluate(hand, u, weights=False, ratings="factor", concentration=20.0, rating_noise=0.3)
    want = [hand_gap(row, RATINGS, WEIGHTS, CATS, vary_weights=False, share=0.3) for row in u]
    np.testing.assert_allclose(y, want, rtol=1e-9)


# --- closed forms -------------------------------------------------------------------------------

def test_additive_gap_indices_are_the_variance_shares_of_a_linear_model():
    # gap = .75 (x10 - x00) + .25 (x11 - x01) with independent normal ratings (sds from symmetric
    # 90% intervals around 5.5, far from the 1-10 ends): the first-order index of a group is
    # sum a_i^2 var_i over its cells / total, and with no interactions the total index equals it
    z = norm.ppf(0.95)
    half = {("a0", "f0"): 0.3, ("a0", "f1"): 0.8, ("a1", "f0"): 0.5, ("a1", "f1"): 0.2}
    m = build({k: (5.5, 5.5 - h, 5.5 + h, 0.9) for k, h in half.items()}, {"f0": 3.0, "f1": 1.0},
              {"a0": "c0", "a1": "c1"})
    var = {k: (h / z) ** 2 for k, h in half.items()}
    a2 = {"f0": 0.75 ** 2, "f1": 0.25 ** 2}
    total = sum(a2[f] * v for (_, f), v in var.items())
    by_area = {f"ratings:{a}": sum(a2[f] * v for (b, f), v in var.items() if b == a) / total
               for a in ("a0", "a1")}
    by_factor = {f"ratings:{f}": a2[f] * (var[("a0", f)] + var[("a1", f)]) / total
                 for f in ("f0", "f1")}
    for grouping, want in (("area", by_area), ("factor", by_factor)):
        res = sobol(m, n=4096, seed=3, weights=False, ratings=grouping)
        assert sorted(res.names) == sorted(want)
        frame = res.to_frame()
        for name, share in want.items():
            assert frame.loc[name, "S1"] == pytest.approx(share, abs=0.03)
            assert frame.loc[name, "ST"] == pytest.approx(share, abs=0.03)
        assert res.variance == pytest.approx(total, rel=0.03)
        assert res.target == "c1 - c0"


# --- SALib run directly on the hand gap ---------------------------------------------------------

def salib_direct(problem, n, seed, f, num_resamples=100):
    x = salib_sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = np.array([f(row) for row in x])
    return salib_analyze.analyze(problem, y, calc_second_order=False, num_resamples=num_resamples,
                                 seed=seed), y


def test_default_seed_weights_and_noise_match_salib_on_the_hand_gap(hand):
    # defaults: seed 0, concentration 20, rating noise 0.1 of the scale; the area pair a2 - a0
    problem = {"num_vars": 11, "names": [f"u{i}" for i in range(11)], "bounds": [[0.0, 1.0]] * 11,
               "groups": ["weight:f0", "weight:f2"] + [f"ratings:{f}" for _ in range(3)
                                                       for f in ("f0", "f1", "f2")]}
    n = 64
    si, y = salib_direct(problem, n, 0, lambda row: hand_gap(row, RATINGS, WEIGHTS, CATS,
                                                             pair=("a2", "a0")))
    res = sobol(hand, n=n, ratings="factor", areas=("a2", "a0"))
    assert res.names == ["weight:f0", "weight:f2", "ratings:f0", "ratings:f1", "ratings:f2"]
    frame = res.to_frame()
    for name, s1, st in zip(res.names, si["S1"], si["ST"]):
        assert frame.loc[name, "S1"] == pytest.approx(s1, abs=1e-8)
        assert frame.loc[name, "ST"] == pytest.approx(st, abs=1e-8)
    assert res.variance == pytest.approx(float(np.var(y)), rel=1e-9)
    assert res.seed == 0 and res.n == n and res.target == "a2 - a0"
    assert res.settings == {"weights": True, "ratings": "factor", "weight_concentration": 20.0,
                            "rating_noise": True}


def test_confidence_intervals_match_salib_bootstrap_with_the_same_seed(hand):
    problem = {"num_vars": 2, "names": ["u0", "u1"], "bounds": [[0.0, 1.0]] * 2,
               "groups": ["weight:f0", "weight:f2"]}
    si, y = salib_direct(problem, 256, 9, lambda row: hand_gap(row, RATINGS, WEIGHTS, CATS,
                                                               vary_ratings=False, concentration=5.0))
    res = sobol(hand, n=256, seed=9, weight_concentration=5.0)
    frame = res.to_frame()
    for name, s1c, stc in zip(res.names, si["S1_conf"], si["ST_conf"]):
        assert frame.loc[name, "S1_conf"] == pytest.approx(s1c, abs=1e-9)
        assert frame.loc[name, "ST_conf"] == pytest.approx(stc, abs=1e-9)
    assert res.variance == pytest.approx(float(np.var(y)), rel=1e-9)
    assert res.target == "c1 - c0"


def test_ratings_only_with_explicit_noise_match_salib_on_the_hand_gap(hand):
    problem = {"num_vars": 9, "names": [f"u{i}" for i in range(9)], "bounds": [[0.0, 1.0]] * 9,
               "groups": [f"ratings:{a}" for a in ("a0", "a1", "a2") for _ in range(3)]}
    si, y = salib_direct(problem, 64, 5, lambda row: hand_gap(row, RATINGS, WEIGHTS, CATS,
                                                              vary_weights=False, share=0.02))
    res = sobol(hand, n=64, seed=5, weights=False, ratings="area", rating_noise=0.02)
    assert res.names == ["ratings:a0", "ratings:a1", "ratings:a2"]
    np.testing.assert_allclose(res.s1, si["S1"], atol=1e-8)
    np.testing.assert_allclose(res.st, si["ST"], atol=1e-8)
    assert res.variance == pytest.approx(float(np.var(y)), rel=1e-9)
    assert res.settings == {"weights": False, "ratings": "area", "weight_concentration": 20.0,
                            "rating_noise": 0.02}


# --- the SALib problem --------------------------------------------------------------------------

def test_problem_has_one_input_per_positive_weight_by_default(hand):
    assert sobol_problem(hand) == {"num_vars": 2, "names": ["weight:f0", "weight:f2"],
                                   "bounds": [[0.0, 1.0], [0.0, 1.0]],
                                   "groups": ["weight:f0", "weight:f2"]}


def test_problem_groups_every_rated_cell_by_factor_or_by_area(hand):
    cells = [f"rating:{a}:{f}" for a in ("a0", "a1", "a2") for f in ("f0", "f1", "f2")]
    by_factor = sobol_problem(hand, ratings="factor")
    assert by_factor["names"] == ["weight:f0", "weight:f2", *cells]
    assert by_factor["groups"] == ["weight:f0", "weight:f2"] + ["ratings:f0", "ratings:f1",
                                                                "ratings:f2"] * 3
    assert by_factor["num_vars"] == 11 and by_factor["bounds"] == [[0.0, 1.0]] * 11
    by_area = sobol_problem(hand, weights=False, ratings="area")
    assert by_area["names"] == cells
    assert by_area["groups"] == [f"ratings:{a}" for a in ("a0", "a1", "a2") for _ in range(3)]
    assert by_area["num_vars"] == 9


def test_a_problem_with_nothing_to_vary_is_refused(hand):
    with pytest.raises(InputError) as e:
        sobol_problem(hand, weights=False)
    assert e.value.problems == [Problem("sobol", "no inputs to vary", "vary the weights or the ratings")]
    with pytest.raises(InputError) as e:
        sobol(hand, n=4, weights=False)
    assert e.value.problems == [Problem("sobol", "no inputs to vary", "vary the weights or the ratings")]


# --- settings -----------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [0, 1, 3, 6, 12, 1000, -4])
def test_sample_sizes_that_are_not_powers_of_two_are_refused(hand, n):
    with pytest.raises(InputError) as e:
        sobol(hand, n=n)
    assert e.value.problems == [Problem("sobol N", f"must be a power of 2, got {n}",
                                        "e.g. 1024 or 4096")]


@pytest.mark.parametrize("n", [2, 4, 8])
def test_the_smallest_powers_of_two_are_accepted(hand, n):
    res = sobol(hand, n=n, seed=1)
    assert res.n == n and res.names == ["weight:f0", "weight:f2"]


@pytest.mark.parametrize("c", [0.0, -1.0, math.nan])
def test_a_concentration_that_is_not_positive_is_refused(hand, c):
    with pytest.raises(InputError) as e:
        sobol(hand, n=4, weight_concentration=c)
    assert e.value.problems == [Problem("weight concentration", "must be > 0", "e.g. 20")]


def test_a_concentration_below_one_is_accepted(hand):
    res = sobol(hand, n=8, seed=2, weight_concentration=0.5)
    assert res.settings["weight_concentration"] == 0.5
    assert np.isfinite(res.variance) and res.variance > 0


@pytest.mark.parametrize("pair", [("mars", "a0"), ("a0", "mars"), ("mars", "venus")])
def test_unknown_areas_are_named(hand, pair):
    with pytest.raises(InputError) as e:
        sobol(hand, n=4, areas=pair)
    bad = next(a for a in pair if a not in ("a0", "a1", "a2"))
    assert e.value.problems == [Problem(f"area {bad}", "unknown area", "use one of: a0, a1, a2")]


def test_one_category_needs_two_areas():
    m = build({("a0", "f0"): 3.0, ("a1", "f0"): 5.0}, {"f0": 1.0}, {"a0": "c", "a1": "c"})
    with pytest.raises(InputError) as e:
        sobol(m, n=4, ratings="area", weights=False)
    assert e.value.problems == [Problem("sobol", "the model has one category: no gap to analyse",
                                        "name two areas to compare instead")]


# --- plain data ---------------------------------------------------------------------------------

def test_frame_and_dict_list_groups_largest_total_index_first(hand):
    res = SobolResult(hand, 5, 16, "c1 - c0", ["weight:f0", "weight:f2", "ratings:f1"],
                      s1=np.array([0.1, 0.6, 0.05]), s1_conf=np.array([0.01, 0.02, 0.03]),
                      st=np.array([0.2, 0.7, 0.1]), st_conf=np.array([0.04, 0.05, 0.06]),
                      variance=1.5, settings={"weights": True})
    frame = res.to_frame()
    assert list(frame.index) == ["weight:f2", "weight:f0", "ratings:f1"]
    assert frame.index.name == "input"
    assert list(frame.columns) == ["S1", "S1_conf", "ST", "ST_conf"]
    assert frame.loc["weight:f0"].tolist() == [0.1, 0.01, 0.2, 0.04]
    assert res.to_dict() == {
        "model": "hand", "seed": 5, "n": 16, "target": "c1 - c0", "variance": 1.5,
        "settings": {"weights": True},
        "indices": [{"input": "weight:f2", "S1": 0.6, "S1_conf": 0.02, "ST": 0.7, "ST_conf": 0.05},
                    {"input": "weight:f0", "S1": 0.1, "S1_conf": 0.01, "ST": 0.2, "ST_conf": 0.04},
                    {"input": "ratings:f1", "S1": 0.05, "S1_conf": 0.03, "ST": 0.1,
                     "ST_conf": 0.06}]}


def test_seed_zero_gives_the_same_intervals_every_time(wehner):
    # SALib's analyze treats the int 0 as "no seed" and draws its bootstrap from numpy's global
    # state; the tool's default seed is 0, so its intervals must still repeat exactly
    first, second = (sobol(wehner, n=256, seed=0) for _ in range(2))
    np.testing.assert_array_equal(first.s1_conf, second.s1_conf)
    np.testing.assert_array_equal(first.st_conf, second.st_conf)
