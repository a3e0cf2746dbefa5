"""The bridge's random task shares: gammas from fixed deviates, checked against scipy's
distributions (not against the sampler's own output)."""

import numpy as np
import pytest
from scipy import stats

from autosafety.model import load_model
from autosafety.timeline._bridge import bridge_plan
from autosafety.timeline._files import load_bridge
from autosafety.timeline._sampling import GammaDeviates, gammas_at


@pytest.mark.parametrize("shape", [0.05, 0.4, 1.0, 3.5, 60.0])
def test_gammas_from_fixed_deviates_follow_scipys_gamma(shape):
    dev = GammaDeviates.draw(np.random.default_rng(7), (20_000,))
    x = gammas_at(np.asarray(shape), dev)
    assert stats.kstest(x, stats.gamma(shape).cdf).pvalue > 0.01
    assert x.mean() == pytest.approx(shape, rel=4 * np.sqrt(1 / shape / 20_000) + 1e-3)


def test_rejected_candidates_are_replaced_from_the_stream_and_stay_gamma():
    # with shape 0.2 Marsaglia and Tsang's first candidate is refused for a few percent of draws;
    # the replacements must keep the distribution (a sampler that kept the refused candidates,
    # or dropped the draws, would fail this)
    dev = GammaDeviates.draw(np.random.default_rng(3), (60_000,))
    d = 0.2 + 2 / 3
    v = (1 + dev.z / np.sqrt(9 * d)) ** 3
    with np.errstate(invalid="ignore", divide="ignore"):
        refused = ~((v > 0) & (dev.threshold < d * (1 - v + np.log(v))))
    assert 100 < refused.sum() < 6_000
    x = gammas_at(np.asarray(0.2), dev)
    assert np.isfinite(x).all() and (x >= 0).all()
    assert stats.kstest(x[refused], stats.gamma(0.2).cdf).pvalue > 0.01
    assert stats.kstest(x, stats.gamma(0.2).cdf).pvalue > 0.01


def test_a_new_concentration_reuses_the_deviates():
    # the same deviates at two shapes: one gamma per deviate, drawn again only where refused
    dev = GammaDeviates.draw(np.random.default_rng(5), (10_000,))
    a, b = gammas_at(np.asarray(5.0), dev), gammas_at(np.asarray(5.5), dev)
    assert np.corrcoef(a, b)[0, 1] > 0.95


@pytest.mark.parametrize("concentration", [4.0, 50.0])
def test_bridge_shares_within_a_group_are_dirichlet_around_the_taxonomy(concentration):
    # within the non-insight tasks the shares, normalised to their group, are Dirichlet with
    # concentration x base shares: each one's marginal is Beta(c b_j, c (B - b_j)), B the group's sum
    bridge = load_bridge(None)
    plan = bridge_plan(load_model("wehner-2026"), bridge, {"share_concentration": concentration})
    tasks = plan.sample_tasks(np.random.default_rng(11), 4_000)
    other = ~plan.insight
    s = tasks.s[:, 0, other]                          # the first area: (N, K_other)
    within = s / s.sum(axis=-1, keepdims=True)
    base = plan.base_share[other]
    for j in (0, int(np.argmax(base))):
        a, b = concentration * base[j], concentration * (base.sum() - base[j])
        sample = within[:, j]
        assert stats.kstest(sample, stats.beta(a, b).cdf).pvalue > 0.01, j
    # and shares sum to one per draw and area
    assert np.allclose(tasks.s.sum(axis=-1), 1.0)
