"""Wrong answers a plausible slip would give, each caught against an independent value: a closed
form, a hand computation or a brute force. Intervals are tested as intervals: by how often they
cover a known truth, not by comparing the code with itself."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.stats import norm

from autosafety.analysis import flip_thresholds, implied_weights, monte_carlo, thresholds
from autosafety.analysis._implied import TOL, max_margin
from autosafety.analysis._montecarlo import hist_quantile
from autosafety.analysis._sobol import evaluate
from autosafety.model import Area, Factor, Model, ModelSpec, Rater, RaterGroup, Rating


def tiny(ratings: dict[tuple[str, str, str], float], *, weights: dict[str, float] | None = None,
         categories: dict[str, str] | None = None, raters: list[Rater] | None = None,
         groups: list[RaterGroup] | None = None) -> Model:
    """A model on a 1-10 scale from {(area, factor, rater): value}."""
    areas = list(dict.fromkeys(a for a, _, _ in ratings))
    factors = list(dict.fromkeys(f for _, f, _ in ratings))
    categories = categories or {a: f"c{i % 2}" for i, a in enumerate(areas)}
    cats = list(dict.fromkeys(categories.values()))
    raters = raters or [Rater(id=r) for r in dict.fromkeys(k for _, _, k in ratings)]
    return Model(ModelSpec(
        id="tiny", categories=cats,
        factors=[Factor(id=f, weight=(weights or {}).get(f, 1.0)) for f in factors],
        areas=[Area(id=a, category=categories[a]) for a in areas], raters=raters,
        groups=groups or [],
        ratings=[Rating(area=a, factor=f, rater=k, value=v) for (a, f, k), v in ratings.items()]))


# --- intervals --------------------------------------------------------------------------------

def test_the_90_percent_gap_and_score_intervals_cover_the_truth_90_percent_of_the_time():
    # two areas, one factor, one rater, noise sd 0.05 x 9 = 0.45 (no truncation at 1..10 from 4, 6):
    # score_i ~ N(r_i, 0.45) and gap = s1 - s0 ~ N(2, 0.45 sqrt 2), exactly.
    m = tiny({("a0", "f", "r"): 4.0, ("a1", "f", "r"): 6.0})
    res = monte_carlo(m, draws=200_000, seed=1, rating_noise=0.05)
    gap = res.gaps[0]
    truth = norm(2.0, 0.45 * np.sqrt(2))
    assert truth.cdf(gap["high"]) - truth.cdf(gap["low"]) == pytest.approx(0.90, abs=0.01)
    assert (gap["low"], gap["high"]) == pytest.approx(truth.ppf([0.05, 0.95]), abs=0.02)
    # 1,000 new worlds drawn from the truth: 88-92% fall in the printed interval
    fresh = truth.rvs(size=1000, random_state=np.random.default_rng(3))
    assert 0.88 <= np.mean((fresh >= gap["low"]) & (fresh <= gap["high"])) <= 0.92
    frame = res.to_frame()
    for area, centre in (("a0", 4.0), ("a1", 6.0)):
        lo, hi = frame.loc[area, ["low", "high"]]
        assert norm.cdf(hi, centre, 0.45) - norm.cdf(lo, centre, 0.45) == pytest.approx(0.90, abs=0.01)
    res80 = monte_carlo(m, draws=200_000, seed=1, rating_noise=0.05, interval=0.8)
    g80 = res80.gaps[0]
    assert truth.cdf(g80["high"]) - truth.cdf(g80["low"]) == pytest.approx(0.80, abs=0.01)


def test_rank_probability_standard_errors_have_their_coverage():
    # P(a1 above a0) = Phi(2 / (0.45 sqrt 2)) in closed form; over 1,000 runs of 400 draws the
    # interval p +- 1.645 se covers it about 90% of the time (normal approximation: 87-93%).
    m = tiny({("a0", "f", "r"): 5.0, ("a1", "f", "r"): 5.5})
    truth = norm.cdf(0.5 / (0.45 * np.sqrt(2)))
    hits = 0
    for seed in range(1000):
        res = monte_carlo(m, draws=400, seed=seed, rating_noise=0.05, workers=1)
        p = res.pairwise[1, 0]
        hits += abs(p - truth) <= 1.645 * float(res.se(p))
    assert 870 <= hits <= 930


def test_precision_stops_on_the_largest_standard_error_not_the_mean():
    # wehner: most rank probabilities are near 0 (tiny se), a few near 1/2 (the largest se)
    from autosafety.model import load_model

    res = monte_carlo(load_model("wehner-2026"), draws=1_000_000, seed=2, precision=0.01,
                      chunk_size=256, workers=1)
    assert res.converged
    n = res.draws
    p = np.r_[res.rank_probabilities.ravel(), res.category_probabilities.ravel()]
    worst = np.sqrt(p * (1 - p) / n).max()  # every printed probability has se <= 0.01...
    assert worst <= 0.01
    # ...and it did not run far beyond: 256 draws fewer would not have reached it (p ~ 1/2 -> n ~ 2500)
    assert 0.25 / (n - 256) > 0.01 ** 2 * 0.5
    assert res.to_dict()["max_se"] == pytest.approx(worst)


def test_histogram_quantiles_interpolate_within_their_bin():
    # four equal bins on [0, 4]: the q-quantile of a uniform is 4 q exactly
    hist = np.array([[1, 1, 1, 1], [0, 4, 0, 0]])
    np.testing.assert_allclose(hist_quantile(hist, 0.0, 4.0, 0.3), [1.2, 1.3])
    np.testing.assert_allclose(hist_quantile(hist, 0.0, 4.0, 0.5), [2.0, 1.5])
    np.testing.assert_allclose(hist_quantile(hist, 0.0, 4.0, 0.9), [3.6, 1.9])


# --- Sobol and rater resampling with unequal rater weights --------------------------------------

def test_sobol_combines_rater_noise_as_the_root_of_summed_squares():
    # two raters of source weights 3 and 1: the pooled cell is .75 x + .25 y with x, y ~ N(5.5, 0.9)
    # so its sd is 0.9 sqrt(.75^2 + .25^2); the gap of two such cells has variance 2 x that squared
    raters = [Rater(id="r0", weight=3.0), Rater(id="r1", weight=1.0)]
    m = tiny({(a, "f", k): 5.5 for a in ("a0", "a1") for k in ("r0", "r1")}, raters=raters)
    u = np.random.default_rng(0).random((200_000, 2))
    y = evaluate(m, u, weights=False, ratings="area", concentration=20.0, rating_noise=0.1)
    want = 2 * (0.9 ** 2) * (0.75 ** 2 + 0.25 ** 2)
    assert np.var(y) == pytest.approx(want, rel=0.02)
    # ...and Monte Carlo, which draws each rater, agrees
    mc = monte_carlo(m, draws=100_000, seed=0, rating_noise=0.1)
    assert mc.gaps[0]["sd"] ** 2 == pytest.approx(want, rel=0.02)


def test_rater_resampling_keeps_within_source_weights():
    # one group of two raters weighted 3:1; area a0 rated 10 and 2, a1 rated 5 by both. Resampling
    # two raters with probabilities .75/.25 gives a0 = 10, 6 or 2 with probabilities .5625, .375,
    # .0625, so P(a0 above a1) = 1 - .0625 = .9375 (equal chances would give .75).
    group = [RaterGroup(id="g")]
    raters = [Rater(id="r0", weight=3.0, group="g"), Rater(id="r1", weight=1.0, group="g")]
    m = tiny({("a0", "f", "r0"): 10.0, ("a0", "f", "r1"): 2.0, ("a1", "f", "r0"): 5.0,
              ("a1", "f", "r1"): 5.0}, raters=raters, groups=group)
    res = monte_carlo(m, draws=40_000, seed=4, rating_noise=0, resample_raters=True)
    p = res.pairwise[0, 1]
    assert abs(p - 0.9375) <= 4 * np.sqrt(0.9375 * 0.0625 / 40_000)
    assert res.score_mean[0] == pytest.approx(0.75 * 10 + 0.25 * 2, abs=0.05)


# --- flips and implied weights ------------------------------------------------------------------

def test_no_flip_when_the_other_weights_are_all_zero():
    # with only factor 2 weighted, the difference is D_2 at every weight t > 0: nothing flips
    diffs = np.array([[3.0, -1.0, 2.0], [-1.0, 4.0, -2.0]])
    got = thresholds(diffs, np.array([0.0, 0.0, 2.0]))
    assert np.isnan(got[:, 2]).all()
    # factors 0 and 1 weigh nothing yet: raising one from 0 flips where t D_j + 2 D_2 = 0
    np.testing.assert_allclose(got[0, :2], [np.nan, 4.0])
    np.testing.assert_allclose(got[1, :2], [np.nan, 1.0])
    m = tiny({("a0", "f0", "r"): 8.0, ("a0", "f1", "r"): 2.0, ("a1", "f0", "r"): 3.0,
              ("a1", "f1", "r"): 4.0}, weights={"f0": 1.0, "f1": 0.0})
    flips = flip_thresholds(m)
    for t in np.linspace(0.01, 100, 500):  # brute force: f0 alone never changes the order
        s = m.score(weights={"f0": t}).scores
        assert s[0] > s[1]
    assert np.isnan(flips.pair_thresholds[0, 0, 1])
    # the only flip: raise f1 from 0 until 5 x 1 - 2 t = 0 (rating differences 5 and -2), t = 2.5
    nearest = flips.nearest_pair_flip("a0", "a1")
    assert nearest is not None and (nearest["factor"], nearest["threshold"]) == ("f1", 2.5)


def test_a_conflict_of_three_orders_is_found_and_is_irreducible():
    # ratings (3 factors) where no order conflicts alone or in pairs, but three orders do
    rows = [[8.0, 3.0, 10.0], [10.0, 5.0, 4.0], [2.0, 10.0, 5.0], [10.0, 9.0, 2.0], [5.0, 4.0, 7.0]]
    m = tiny({(f"a{i}", f"f{j}", "r"): v for i, row in enumerate(rows) for j, v in enumerate(row)})
    res = implied_weights(m, order=m.area_ids)
    assert not res.feasible
    # brute force over a fine grid of the simplex: which orders can hold together
    g = np.linspace(0, 1, 201)
    w = np.array([(a, b, 1 - a - b) for a in g for b in g if a + b <= 1 + 1e-12])
    w = np.clip(w, 0, None)
    r = np.array(rows)

    def satisfiable(orders: list[tuple[str, str]]) -> bool:
        d = np.array([r[int(a[1])] - r[int(b[1])] for a, b in orders])
        return bool(((w @ d.T) > 1e-9).all(axis=1).any())

    assert all(satisfiable([p]) for p in res.pairs)  # no order conflicts alone...
    # ...nor in pairs; the reported three conflict, and dropping any one of them resolves it
    assert all(satisfiable(list(c)) for c in itertools.combinations(res.pairs, 2))
    assert len(res.conflict) == 3
    assert not satisfiable(res.conflict)
    assert all(satisfiable([p for p in res.conflict if p != q]) for q in res.conflict)
    d = np.array([r[int(a[1])] - r[int(b[1])] for a, b in res.conflict])
    assert max_margin(d)[0] <= TOL


def test_check_claim_probability_matches_an_independent_simulation():
    # the same world written out with numpy alone: Dirichlet(20 w) weights, ratings + N(0, 0.9)
    # redrawn until inside 1..10, category means of the weighted scores
    from autosafety.analysis import check_claim
    from autosafety.model import load_model

    m = load_model("wehner-2026")
    got = check_claim(m, "capabilities > safety", draws=40_000, seed=8)
    rng = np.random.default_rng(0)
    n = 40_000
    w = rng.dirichlet(20 * m.weights / m.weights.sum(), size=n)
    r = m.pooled() + rng.normal(0, 0.9, (n, *m.pooled().shape))
    bad = (r < 1) | (r > 10)
    while bad.any():
        r[bad] = (np.broadcast_to(m.pooled(), r.shape)[bad] + rng.normal(0, 0.9, bad.sum()))
        bad = (r < 1) | (r > 10)
    scores = np.einsum("naf,nf->na", r, w)
    cap = np.array([c == "capabilities" for c in (a.category for a in m.areas)])
    p = np.mean(scores[:, cap].mean(axis=1) > scores[:, ~cap].mean(axis=1))
    assert abs(got.probability - p) <= 4 * np.sqrt(2 * p * (1 - p) / n)
    assert got.se == pytest.approx(np.sqrt(got.probability * (1 - got.probability) / n))


def test_a_two_order_conflict_is_preferred_to_a_larger_one():
    # rows 0, 1 conflict as a pair (w1 > 2 (w2 + w3) and w2 > 2 (w1 + w3) cannot both hold);
    # rows 2-4 conflict only as a triple (they sum to 0). A deletion filter alone, dropping rows
    # in order, would keep the triple; the smallest conflict has two rows.
    from autosafety.analysis._implied import conflicting_set

    d = np.array([[1.0, -2, -2], [-2, 1, -2], [2, -1, -1], [-1, 2, -1], [-1, -1, 2]])
    got = conflicting_set(d)
    assert sorted(got) == [0, 1]
    assert max_margin(d[got])[0] <= TOL
    assert all(max_margin(d[[i]])[0] > TOL for i in range(5))
