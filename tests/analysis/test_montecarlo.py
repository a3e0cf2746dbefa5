"""Monte Carlo: analytic moments, reproducibility, early stopping, scenarios, bad settings."""

import numpy as np
import pytest
from scipy import integrate, stats
from scipy.special import ndtri

from autosafety._errors import InputError
from autosafety.analysis import MAX_DRAWS, Scenario, dirichlet, monte_carlo, two_piece_normal
from autosafety.analysis._montecarlo import hist_quantile

from .conftest import random_model


def _truncnorm_moments(center, sd, lo=1.0, hi=10.0):
    a, b = (lo - center) / sd, (hi - center) / sd
    return stats.truncnorm.mean(a, b, loc=center, scale=sd), stats.truncnorm.var(a, b, loc=center,
                                                                                  scale=sd)


@pytest.mark.parametrize("raters", [1, 3])
def test_mean_and_variance_match_analytic_values(raters):
    m = random_model(11, areas=5, factors=4, raters=raters)
    share = 0.15
    res = monte_carlo(m, draws=300_000, seed=5, rating_noise=share)
    sd = share * 9
    w = m.weights / m.weights.sum()
    rw = m.rater_weights  # (A, F, K), equal shares here
    mean, var = _truncnorm_moments(m.ratings, sd)
    exp_mean = np.einsum("afk,afk,f->a", rw, mean, w)
    exp_var = np.einsum("afk,afk,f->a", rw ** 2, var, w ** 2)
    se = np.sqrt(exp_var / res.draws)
    assert np.all(np.abs(res.score_mean - exp_mean) < 5 * se)
    np.testing.assert_allclose(res.score_sd ** 2, exp_var, rtol=0.02)


def test_interval_ratings_use_two_piece_normal_moments():
    """Asymmetric intervals: mean and variance against numerical integration of the density."""
    m = random_model(4, areas=4, factors=3, interval=2.5)
    res = monte_carlo(m, draws=300_000, seed=2)
    z = ndtri(0.9)  # credibility 0.8
    w = m.weights / m.weights.sum()
    exp_mean, exp_var = np.zeros(4), np.zeros(4)
    for r in m.spec.ratings:
        a, f = m.area_ids.index(r.area), m.factor_ids.index(r.factor)
        sl, sh = (r.value - r.low) / z, (r.high - r.value) / z

        def pdf(x, c=r.value, sl=sl, sh=sh):
            return stats.norm.pdf(x, c, sl) if x < c else stats.norm.pdf(x, c, sh)

        mass = integrate.quad(pdf, 1, 10, points=[r.value])[0]
        mu = integrate.quad(lambda x: x * pdf(x), 1, 10, points=[r.value])[0] / mass
        v = integrate.quad(lambda x, mu=mu: (x - mu) ** 2 * pdf(x), 1, 10, points=[r.value])[0] / mass
        exp_mean[a] += w[f] * mu
        exp_var[a] += w[f] ** 2 * v
    assert np.all(np.abs(res.score_mean - exp_mean) < 5 * np.sqrt(exp_var / res.draws))
    np.testing.assert_allclose(res.score_sd ** 2, exp_var, rtol=0.02)


def test_two_piece_normal_holds_the_credibility_inside_the_interval():
    rng = np.random.default_rng(0)
    c, lo, hi, cred = np.array([5.0]), 3.0, 9.0, 0.7
    z = ndtri((1 + cred) / 2)
    x = two_piece_normal(rng, c, (c - lo) / z, (hi - c) / z, lower=-1e9, upper=1e9, size=400_000)
    inside = np.mean((x >= lo) & (x <= hi))
    assert abs(inside - cred) < 4 * np.sqrt(cred * (1 - cred) / x.size)
    assert abs(np.mean(x < 5.0) - 0.5) < 0.005


def test_two_piece_normal_is_truncated_exactly_in_far_tails():
    rng = np.random.default_rng(1)
    c = np.array([1.0, 10.0, 5.0])
    x = two_piece_normal(rng, c, np.full(3, 40.0), np.full(3, 40.0), lower=1, upper=10, size=20_000)
    assert x.min() >= 1 and x.max() <= 10
    # a huge sd truncated to the scale is close to uniform: mean near the middle of the scale
    assert abs(x[:, 2].mean() - 5.5) < 0.1


def test_dirichlet_is_unbiased_on_the_simplex():
    rng = np.random.default_rng(0)
    alpha = np.array([2.0, 0.5, 7.5, 0.0])
    w = dirichlet(rng, alpha, 200_000)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert np.all(w[:, 3] == 0)
    ref = stats.dirichlet(alpha[:3])
    np.testing.assert_allclose(w[:, :3].mean(axis=0), ref.mean(), atol=3e-3)
    np.testing.assert_allclose(w[:, :3].var(axis=0), ref.var(), rtol=0.03)


def test_weight_draws_center_on_point_weights(wehner):
    fixed = monte_carlo(wehner, draws=1, rating_noise=False)
    res = monte_carlo(wehner, draws=200_000, rating_noise=False, weight_concentration=200)
    # the mean score is close to the point score when weights concentrate near the point weights
    np.testing.assert_allclose(res.score_mean, fixed.score_mean, atol=0.02)
    assert np.all(res.score_sd > 0)


def test_probabilities_are_consistent(wehner):
    res = monte_carlo(wehner, draws=20_000, weight_concentration=20)
    rp = res.rank_probabilities
    np.testing.assert_allclose(rp.sum(axis=1), 1.0)
    np.testing.assert_allclose(rp.sum(axis=0), 1.0, atol=1e-3)  # ties are rare
    p = res.pairwise
    assert np.all(p + p.T <= 1 + 1e-12) and np.allclose(p + p.T + np.eye(10), 1, atol=1e-3)
    cp = res.category_probabilities
    assert abs(cp[1, 0] + cp[0, 1] - 1) < 1e-3
    assert res.gaps[0]["p_higher_above"] == cp[1, 0]
    np.testing.assert_allclose(res.p_top(10), 1.0)


def test_results_depend_on_seed_not_threads(wehner):
    a = monte_carlo(wehner, draws=30_000, seed=3, weight_concentration=10, workers=1, chunk_size=4000)
    b = monte_carlo(wehner, draws=30_000, seed=3, weight_concentration=10, workers=2, chunk_size=4000)
    c = monte_carlo(wehner, draws=30_000, seed=4, weight_concentration=10, chunk_size=4000)
    np.testing.assert_array_equal(a.tally.score_sum, b.tally.score_sum)
    np.testing.assert_array_equal(a.tally.rank_counts, b.tally.rank_counts)
    assert not np.array_equal(a.tally.score_sum, c.tally.score_sum)
    assert a.to_dict()["seed"] == 3 and a.model is wehner


def test_precision_stops_early(wehner):
    res = monte_carlo(wehner, draws=2_000_000, precision=0.01, weight_concentration=20,
                      chunk_size=2000)
    assert res.converged and res.draws < 2_000_000
    assert res.to_dict()["max_se"] <= 0.01
    worse = monte_carlo(wehner, draws=4000, precision=1e-4, chunk_size=2000)
    assert not worse.converged and worse.draws == 4000


def test_scenarios_mix_into_one_forecast(wehner):
    # fixed weights per world: capabilities leads in 'scheming', not in 'compute-heavy'
    heavy = {f: 0.0 for f in wehner.factor_ids} | {"compute_vs_labour": 1.0}
    scen = [Scenario(name="scheming", probability=0.3, weights={"scheming_risk": 5.0}),
            Scenario(name="compute-heavy", probability=0.7, weights=heavy)]
    res = monte_carlo(wehner, draws=40_000, rating_noise=False, scenarios=scen)
    counts = res.tally.scenario_counts
    assert abs(counts[0] / res.draws - 0.3) < 4 * np.sqrt(0.21 / res.draws)
    # P(capabilities > safety) is exactly the share of 'scheming' draws
    assert res.category_probabilities[1, 0] == pytest.approx(counts[0] / res.draws)


def test_scenario_rating_override_fixes_the_cell(wehner):
    scen = [Scenario(name="low", probability=1.0,
                     ratings={("agent_scaffolding", "feedback_quality"): 1.0})]
    a = monte_carlo(wehner, draws=5000, rating_noise=False, scenarios=scen)
    b = wehner.score(ratings={("agent_scaffolding", "feedback_quality"): 1.0})
    np.testing.assert_allclose(a.score_mean, b.scores, atol=1e-12)


def test_resampling_raters_keeps_the_pooled_mean():
    from autosafety.model import RaterGroup

    base = random_model(8, areas=4, factors=3, raters=4)
    raters = [r.model_copy(update={"group": "ensemble"}) for r in base.spec.raters[:3]]
    m = base.replace(groups=[RaterGroup(id="ensemble", weight=3.0).model_dump()],
                     raters=[r.model_dump() for r in [*raters, base.spec.raters[3]]])
    ungrouped = monte_carlo(base, draws=1000, rating_noise=False, resample_raters=True)
    assert np.all(ungrouped.score_sd < 1e-9)  # a rater alone in its source is never resampled
    res = monte_carlo(m, draws=100_000, rating_noise=False, resample_raters=True)
    point = m.score().scores
    assert np.all(res.score_sd > 0)
    assert np.all(np.abs(res.score_mean - point) < 5 * res.score_se + 1e-12)


def test_histogram_quantiles_match_numpy():
    rng = np.random.default_rng(0)
    x = rng.normal(5, 1, 100_000).clip(1, 10)
    edges = np.linspace(1, 10, 4097)
    hist = np.histogram(x, edges)[0][None]
    for q in (0.05, 0.5, 0.95):
        assert abs(hist_quantile(hist, 1, 10, q)[0] - np.quantile(x, q)) < 9 / 4096 * 2


@pytest.mark.parametrize("kwargs, where", [
    ({"draws": 0}, "draws"), ({"draws": MAX_DRAWS + 1}, "draws"), ({"precision": 0.7}, "precision"),
    ({"weight_concentration": -1.0}, "concentration"),
    ({"scenarios": [Scenario(name="a", probability=0.5), Scenario(name="b", probability=0.4)]}, "scenarios"),
    ({"scenarios": [Scenario(name="a", probability=1.0, weights={"nope": 1.0})]}, "scenario 'a' weight nope"),
    ({"scenarios": [Scenario(name="a", probability=1.0, ratings={("mars", "task_length"): 3.0})]},
     "scenario 'a'"),
    ({"weight_ranges": {"nope": (1.0, 2.0)}}, "weight range nope"),
    ({"rating_noise": -0.5}, "rating noise"),
])
def test_bad_settings_raise_input_errors(wehner, kwargs, where):
    with pytest.raises(InputError) as e:
        monte_carlo(wehner, **kwargs)
    assert any(where in p.location for p in e.value.problems)


def test_a_weight_range_makes_its_share_uniform(wehner):
    """One ranged weight x in [0, 4], the others summing to A: its share x / (x + A) is uniform on
    [0, 4 / (4 + A)] and the score is linear in it, so the mean score is the score at the middle
    share 2 / (4 + A), i.e. at the raw weight t with t / (t + A) = 2 / (4 + A): t = 2A / (A + 2)."""
    res = monte_carlo(wehner, draws=50_000, rating_noise=False,
                      weight_ranges={"scheming_risk": (0.0, 4.0)})
    a = wehner.weights.sum() - wehner.weights[wehner.factor_ids.index("scheming_risk")]
    expect = wehner.score(weights={"scheming_risk": 2 * a / (a + 2)}).scores
    spread = np.ptp([wehner.score(weights={"scheming_risk": t}).scores for t in (0.0, 4.0)], axis=0)
    # the se of a mean of a uniform on a segment of length `spread` is spread / sqrt(12 n)
    np.testing.assert_allclose(res.score_mean, expect, atol=5 * spread.max() / np.sqrt(12 * 50_000))


def test_scenario_weights_override_ranges(wehner):
    """Each scenario fixes scheming_risk; task_length in [0, 2] then has a share uniform on
    [0, 2 / (2 + A_s)], whose middle is the raw weight A_s / (A_s + 1) (A_s: the other weights)."""
    scen = [Scenario(name="none", probability=0.5, weights={"scheming_risk": 0.0}),
            Scenario(name="big", probability=0.5, weights={"scheming_risk": 4.0})]
    res = monte_carlo(wehner, draws=40_000, rating_noise=False, scenarios=scen,
                      weight_ranges={"scheming_risk": (1.0, 2.0), "task_length": (0.0, 2.0)})
    rest = wehner.weights.sum() - wehner.weights[wehner.factor_ids.index("task_length")] \
        - wehner.weights[wehner.factor_ids.index("scheming_risk")]
    expect = np.mean([wehner.score(weights={"scheming_risk": s,
                                            "task_length": (rest + s) / (rest + s + 1)}).scores
                      for s in (0.0, 4.0)], axis=0)
    np.testing.assert_allclose(res.score_mean, expect, atol=0.01)


def test_lower_is_better_factors_mirror_their_intervals():
    """A 'lower' factor rated v in [lo, hi] equals a 'higher' factor rated 11-v in [11-hi, 11-lo]."""
    m = random_model(21, areas=4, factors=3, interval=2.0)
    lower = m.replace(factors=[f.model_copy(update={"direction": "lower"}).model_dump()
                               if f.id == "f1" else f.model_dump() for f in m.spec.factors])
    mirrored = [r.model_copy(update={"value": 11 - r.value, "low": 11 - r.high, "high": 11 - r.low})
                if r.factor == "f1" else r for r in m.spec.ratings]
    higher = m.replace(ratings=[r.model_dump() for r in mirrored])
    a = monte_carlo(lower, draws=20_000, seed=1, weight_concentration=30)
    b = monte_carlo(higher, draws=20_000, seed=1, weight_concentration=30)
    np.testing.assert_allclose(a.tally.score_sum, b.tally.score_sum, rtol=1e-10)
    np.testing.assert_array_equal(a.tally.rank_counts, b.tally.rank_counts)


def test_far_tail_fallback_with_zero_half_sd():
    """Huge upper sd forces the inverse-CDF fallback; a zero lower sd must not produce NaN."""
    rng = np.random.default_rng(3)
    c = np.array([1.0, 4.0, 10.0])
    x = two_piece_normal(rng, c, np.array([0.0, 0.0, 500.0]), np.array([500.0, 500.0, 0.0]),
                         lower=1, upper=10, size=50_000)
    assert np.isfinite(x).all() and x.min() >= 1 and x.max() <= 10
    # the middle rating: a point mass 1/2 on the median against the sliver of the upper half
    from scipy.special import ndtr

    upper_mass = ndtr(6 / 500) - 0.5
    assert abs(np.mean(x[:, 1] == 4.0) - 0.5 / (0.5 + upper_mass)) < 0.003
    assert np.all(x[:, 1] >= 4.0)
    # on a bound with a zero outer sd, the point mass stays on the bound
    edge = 0.5 / (0.5 + ndtr(9 / 500) - 0.5)
    assert abs(np.mean(x[:, 0] == 1.0) - edge) < 0.003
    assert abs(np.mean(x[:, 2] == 10.0) - edge) < 0.003
    # on a bound with a positive outer sd, the outer half is cut away: near-uniform on [1, 10]
    y = two_piece_normal(rng, c[:1], np.array([500.0]), np.array([500.0]), lower=1, upper=10,
                         size=50_000)
    assert abs(np.median(y) - 5.5) < 0.1
