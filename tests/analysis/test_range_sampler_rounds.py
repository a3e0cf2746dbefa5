"""The range sampler's rounds: the proposal the pilot picked is the one used, the pilot is
reproducible, and running out of rounds says how many draws it got."""

from __future__ import annotations

import re

import numpy as np
import pytest
from scipy import stats

from autosafety.analysis._simplex import MAX_ROUNDS, ranged_weights, ranges_of

# f0 fixed at 1, six weights each in [1, 1.2]: the box proposal keeps over half its draws, the
# corner of the simplex about 1 in 170, so only the box delivers 5000 draws in MAX_ROUNDS rounds
LOW = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
HIGH = np.array([1.0, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2])


def inside(w: np.ndarray) -> bool:
    """Each row is some t > 0 times a raw vector in the box (f0's share times t is 1)."""
    x = w / w[:, :1]  # the raw weights with f0 at 1
    return bool(np.all((x >= LOW - 1e-12) & (x <= HIGH + 1e-12)))


def test_narrow_ranges_beside_a_fixed_weight_are_drawn_with_the_box():
    r = ranges_of(LOW, HIGH)
    assert r.proposal == "box" and r.acceptance > 0.5
    w = ranged_weights(np.random.default_rng(7), r, 5000)
    assert w.shape == (5000, 7) and inside(w)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    # the six ranged weights have the same range, so their shares are exchangeable
    assert stats.ks_2samp(w[:, 1], w[:, 6]).pvalue > 1e-3


def test_the_pilot_is_reproducible():
    a, b = ranges_of(LOW, HIGH), ranges_of(LOW, HIGH)
    assert (a.proposal, a.acceptance) == (b.proposal, b.acceptance)
    np.testing.assert_array_equal(ranged_weights(np.random.default_rng(3), a, 200),
                                  ranged_weights(np.random.default_rng(3), b, 200))


def test_running_out_of_rounds_says_how_many_draws_it_got():
    r = ranges_of(LOW, HIGH)
    # claiming every proposal is kept a million times over: each round proposes only 64
    greedy = r._replace(acceptance=1e6)
    with pytest.raises(RuntimeError) as e:
        ranged_weights(np.random.default_rng(1), greedy, 10_000)
    m = re.fullmatch(rf"(\d+) of 10000 weight draws after {MAX_ROUNDS} rounds", str(e.value))
    assert m is not None
    # 64 rounds of 64 proposals, each kept with chance about r.acceptance
    got, n = int(m.group(1)), 64 * MAX_ROUNDS
    assert abs(got - n * r.acceptance) < 6 * np.sqrt(n * r.acceptance * (1 - r.acceptance))


def test_an_optimistic_acceptance_still_stops_at_exactly_the_draws_asked_for():
    r = ranges_of(LOW, HIGH)
    # each round proposes 64 and keeps about 36; the first round already has the 10 asked for
    for size in (1, 10, 30):
        w = ranged_weights(np.random.default_rng(size), r._replace(acceptance=1e6), size)
        assert w.shape == (size, 7) and inside(w)
