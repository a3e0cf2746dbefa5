"""The sampler's less travelled branches against closed forms (issue 16: mutants that survived
``scripts/mutation.sh analysis-core``)."""

from __future__ import annotations

import numpy as np
import pytest

from autosafety.analysis import monte_carlo
from autosafety.model import Area, Factor, Model, ModelSpec, Rater, RaterGroup, Rating


def _grouped_model(ratings: dict[tuple[str, str], float], r0: float, r1: float) -> Model:
    """Areas a0 (c0) and a1 (c1) on one factor; group g (source weight 2) of r0 and r1 with the
    weights given; r2 alone (source weight 1)."""
    return Model(ModelSpec(
        id="resample", categories=["c0", "c1"], factors=[Factor(id="f")],
        areas=[Area(id="a0", category="c0"), Area(id="a1", category="c1")],
        groups=[RaterGroup(id="g", weight=2.0)],
        raters=[Rater(id="r0", weight=r0, group="g"), Rater(id="r1", weight=r1, group="g"),
                Rater(id="r2", weight=1.0)],
        ratings=[Rating(area=a, factor="f", rater=k, value=v) for (a, k), v in ratings.items()]))


def _resampling_model() -> Model:
    """r0 weighs 0.3 and r1 0.1 in g (the weights within a group need not sum to 1).
    a0 is rated 10 by r0, 2 by r1 and 4 by r2; a1 only by r1 (5)."""
    ratings = {("a0", "r0"): 10.0, ("a0", "r1"): 2.0, ("a0", "r2"): 4.0, ("a1", "r1"): 5.0}
    return _grouped_model(ratings, 0.3, 0.1)


def test_resampled_raters_by_closed_form():
    """Two draws from g with probabilities 3/4, 1/4: g says 10, 6 or 2 with probabilities 9/16,
    6/16, 1/16; a0 = (2 g + 1 x 4) / 3 = 8, 16/3 or 8/3 (mean 20/3). a1: when r1 is not drawn
    (9/16) no drawn rater rated it and it keeps the model's weights, so a1 = 5 in every draw.
    P(a0 above a1) = 15/16."""
    n = 40_000
    res = monte_carlo(_resampling_model(), draws=n, seed=9, rating_noise=0, resample_raters=True)
    assert res.score_mean[1] == pytest.approx(5.0, abs=1e-12)
    assert res.score_sd[1] == pytest.approx(0.0, abs=1e-6)
    sd0 = np.sqrt(9 / 16 * 8**2 + 6 / 16 * (16 / 3) ** 2 + 1 / 16 * (8 / 3) ** 2 - (20 / 3) ** 2)
    assert abs(res.score_mean[0] - 20 / 3) < 5 * sd0 / np.sqrt(n)
    assert res.score_sd[0] == pytest.approx(sd0, rel=0.03)
    p = res.pairwise[0, 1]
    assert abs(p - 15 / 16) < 5 * np.sqrt(15 / 16 / 16 / n)
    np.testing.assert_allclose(res.rank_probabilities[0], [p, 1 - p])
    assert res.category_probabilities[1, 0] == pytest.approx(1 - p)


def test_a_source_whose_raters_all_weigh_0_adds_nothing_with_or_without_resampling():
    """g's raters weigh 0: plain pooling leaves g out (a0 = r2's 4, a1 = r2's 6), and resampling
    raters within g must not bring it back (drawing g's raters uniformly would give a0 = (2 x 10 or
    6 or 2 + 4) / 3 in most draws)."""
    ratings = {("a0", "r0"): 10.0, ("a0", "r1"): 2.0, ("a0", "r2"): 4.0,
               ("a1", "r1"): 5.0, ("a1", "r2"): 6.0}
    model = _grouped_model(ratings, 0.0, 0.0)
    np.testing.assert_allclose(model.pooled()[:, 0], [4.0, 6.0])
    res = monte_carlo(model, draws=2_000, seed=3, rating_noise=0, resample_raters=True)
    np.testing.assert_allclose(res.score_mean, [4.0, 6.0])
    np.testing.assert_allclose(res.score_sd, [0.0, 0.0], atol=1e-9)


def test_without_resampling_the_model_weights_pool_once():
    """g pools r0 and r1 at 3:1 into 8; a0 = (2 x 8 + 4) / 3 = 20/3 in every draw."""
    res = monte_carlo(_resampling_model(), draws=2_000, seed=9, rating_noise=0)
    np.testing.assert_allclose(res.score_mean, [20 / 3, 5.0])
    assert res.pairwise[0, 1] == 1.0


def test_dirichlet_draws_with_one_alpha_per_draw_have_beta_marginals():
    """The scenario path: alpha (n, F), one row per draw (two centres, half the draws each)."""
    from scipy import stats

    from autosafety.analysis import dirichlet

    rows = np.repeat([[2.0, 6.0, 12.0], [10.0, 5.0, 5.0]], 20_000, axis=0)
    g = dirichlet(np.random.default_rng(1), rows)
    np.testing.assert_allclose(g.sum(axis=1), 1.0)
    for half, alpha in ((g[:20_000], rows[0]), (g[20_000:], rows[-1])):
        for f, a in enumerate(alpha):
            assert stats.kstest(half[:, f], stats.beta(a, alpha.sum() - a).cdf).pvalue > 1e-3


@pytest.mark.parametrize(("hist", "q", "want"), [
    ([4, 0, 0, 0], 0.5, 0.5),  # half of the first bin's mass: halfway through it
    ([2, 0, 0, 2], 0.5, 1.0),  # the CDF reaches 1/2 at the end of bin 0 and stays flat
    ([0, 3, 1, 0], 0.0, 0.0),  # the 0-quantile: the smallest x with F(x) >= 0
    ([1, 1, 2, 0], 0.75, 2.5),  # 3 of 4: halfway through bin 2
])
def test_histogram_quantile_by_hand(hist, q, want):
    """Bins of width 1 on [0, 4]: the q-quantile is the smallest x where the CDF, linear within
    each bin, reaches q."""
    from autosafety.analysis._montecarlo import hist_quantile

    assert hist_quantile(np.array([hist]), 0.0, 4.0, q)[0] == pytest.approx(want)


def test_chunks_hold_about_the_element_budget():
    """Draws per chunk = 1.6 million // (largest per-draw array), kept within 256..65,536: a tiny
    model gets 65,536; 2 areas x 2 factors x 500 raters (2,000 ratings a draw) get 800; 2 x 2 x
    4,000 raters (16,000 ratings) would get 100, raised to 256."""
    from autosafety.analysis._montecarlo import default_chunk_size

    def model(raters: int) -> Model:
        return Model(ModelSpec(
            id="chunks", categories=["c"], factors=[Factor(id="f0"), Factor(id="f1")],
            areas=[Area(id="a0", category="c"), Area(id="a1", category="c")],
            raters=[Rater(id=f"r{k}") for k in range(raters)],
            ratings=[Rating(area=a, factor=f, rater=f"r{k}", value=5.0) for a in ("a0", "a1")
                     for f in ("f0", "f1") for k in range(raters)]))

    assert default_chunk_size(model(1)) == 65_536
    assert default_chunk_size(model(500)) == 800
    assert default_chunk_size(model(4_000)) == 256


def test_a_negative_chunk_size_is_refused():
    from autosafety._errors import InputError

    with pytest.raises(InputError) as e:
        monte_carlo(_resampling_model(), draws=10, chunk_size=-5)
    assert e.value.problems[0].location == "chunk size"


def _one_factor(values: dict[str, float]) -> Model:
    return Model(ModelSpec(id="one", categories=["c"], factors=[Factor(id="f")],
                           areas=[Area(id=a, category="c") for a in values], raters=[Rater(id="r")],
                           ratings=[Rating(area=a, factor="f", rater="r", value=v)
                                    for a, v in values.items()]))


def test_each_scenario_fixes_its_own_rating():
    """a0 fixed at 1 in one world and 9 in the other (probability 1/2 each), a1 at 5: a0's mean is
    5 and it is above a1 in half the draws."""
    from autosafety.analysis import Scenario

    scen = [Scenario(name="low", probability=0.5, ratings={("a0", "f"): 1.0}),
            Scenario(name="high", probability=0.5, ratings={("a0", "f"): 9.0})]
    n = 20_000
    res = monte_carlo(_one_factor({"a0": 3.0, "a1": 5.0}), draws=n, seed=2, rating_noise=False,
                      scenarios=scen)
    low = res.tally.scenario_counts[0] / n
    assert res.score_mean[0] == pytest.approx(1 * low + 9 * (1 - low))
    assert res.pairwise[0, 1] == pytest.approx(1 - low)
    assert abs(low - 0.5) < 5 * np.sqrt(0.25 / n)


def test_a_score_on_the_scale_maximum_falls_in_the_last_bin():
    """a0 rated 10 (the maximum of 1-10) without noise: every draw in a0's last bin, none in a1's."""
    d = monte_carlo(_one_factor({"a0": 10.0, "a1": 1.0}), draws=300, rating_noise=False).to_dict()
    counts = d["distributions"]["counts"]
    assert counts["a0"][-1] == 300 and sum(counts["a0"]) == 300
    assert counts["a1"][0] == 300 and sum(counts["a1"]) == 300
