"""Implied weights at the edges of their tolerances: a margin of exactly TOL (1e-9) is not strict,
conflicting pairs are two distinct rows, and the best compromise asks each satisfied order for a
margin of 1e-6 x the scale's span.

Values are built from exact binary fractions on a 0-1 scale (ratings map to themselves), so every
margin below is exact: e.g. rows (0, 2e-9) and (2e-9, 0) are both positive only at w = (1/2, 1/2),
where each is 1e-9.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from scipy.optimize import linprog

from autosafety.analysis import implied_weights
from autosafety.analysis._implied import TOL, _conflicting_pair, conflicting_set
from autosafety.model import Area, Factor, Model, ModelSpec, Rater, Rating, Scale


def lp_margin(d: np.ndarray) -> float:
    """max over the simplex of min_k d_k . w, by a plain LP in (w, m) written out here."""
    P, F = d.shape
    res = linprog(np.r_[np.zeros(F), -1.0], A_ub=np.c_[-d, np.ones(P)], b_ub=np.zeros(P),
                  A_eq=np.r_[np.ones(F), 0.0][None], b_eq=[1.0],
                  bounds=[(0, None)] * F + [(None, None)], method="highs")
    return -res.fun


def scaled_model(ratings: dict[str, list[float]], *, low: float, high: float) -> Model:
    F = len(next(iter(ratings.values())))
    return Model(ModelSpec(
        id="tol", scale=Scale(min=low, max=high), categories=["c"],
        factors=[Factor(id=f"f{j}") for j in range(F)],
        areas=[Area(id=a, category="c") for a in ratings], raters=[Rater(id="r")],
        ratings=[Rating(area=a, factor=f"f{j}", rater="r", value=v)
                 for a, vs in ratings.items() for j, v in enumerate(vs)]))


def test_a_margin_of_exactly_tol_is_not_a_strict_order():
    # order a > b > c with a = (2e-9, 2e-9), b = (2e-9, 0), c = (0, 0):
    # a - b = (0, 2e-9), a - c = (2e-9, 2e-9), b - c = (2e-9, 0): best margin 1e-9 at (1/2, 1/2)
    m = scaled_model({"a": [2e-9, 2e-9], "b": [2e-9, 0.0], "c": [0.0, 0.0]}, low=0.0, high=1.0)
    res = implied_weights(m, order=["a", "b", "c"])
    assert res.margin == 1e-9 == TOL
    assert not res.feasible and res.to_dict()["weights"] is None
    # a - b and b - c pull the weight opposite ways; dropping a - c leaves them conflicting, and
    # each alone (or with a - c) has margin 2e-9
    assert res.conflict == [("a", "b"), ("b", "c")]
    d = np.array([[0.0, 2e-9], [2e-9, 2e-9], [2e-9, 0.0]])
    assert lp_margin(d[[0, 2]]) == 1e-9
    assert lp_margin(d[[0, 1]]) == lp_margin(d[[1, 2]]) == 2e-9


def test_two_rows_that_meet_at_exactly_tol_conflict():
    d = np.array([[0.0, 2e-9], [2e-9, 0.0]])
    assert lp_margin(d) == 1e-9
    assert conflicting_set(d) == [0, 1]


def test_a_row_at_most_tol_everywhere_conflicts_alone():
    # (1e-9, 1e-9) is never above TOL; (2, 2) is always positive
    assert conflicting_set(np.array([[1e-9, 1e-9], [2.0, 2.0]])) == [0]
    assert conflicting_set(np.array([[2.0, 2.0], [1e-9, 1e-9]])) == [1]


def test_conflicting_pairs_within_tol_of_a_flat_factor_or_an_empty_interval():
    # rows (1e-9, -1), (1e-9, -2): a mix t r0 + (1-t) r1 is 1e-9 in factor 0 for every t and
    # negative in factor 1 -- never above TOL
    assert _conflicting_pair(np.array([[1e-9, -1.0], [1e-9, -2.0]])) == (0, 1)
    # rows (-1 + 1e-9, 1), (1e-9, 0): the mix t = 0 is (1e-9, 0), at most TOL everywhere
    assert _conflicting_pair(np.array([[-1.0 + 1e-9, 1.0], [1e-9, 0.0]])) == (0, 1)


def test_conflicting_pairs_are_two_distinct_rows_against_an_lp_per_pair():
    rng = np.random.default_rng(23)
    found = alone = 0
    for _ in range(50):
        d = rng.integers(-3, 4, (int(rng.integers(2, 6)), 3)).astype(float)
        brute = [(p, q) for p, q in itertools.combinations(range(len(d)), 2)
                 if lp_margin(d[[p, q]]) <= TOL]
        got = _conflicting_pair(d)
        assert got == (brute[0] if brute else None), d
        found += got is not None
        alone += bool((d.max(axis=1) <= 0).any())
    assert 5 < found < 45 and alone > 5  # rows that conflict alone were among the inputs


def test_conflicting_set_is_smallest_for_sizes_one_and_two_and_irreducible():
    rng = np.random.default_rng(4)
    sizes = set()
    for _ in range(40):
        d = rng.integers(-2, 4, (int(rng.integers(2, 6)), 2)).astype(float)
        got = conflicting_set(d)
        if lp_margin(d) > TOL:
            assert got == []
            continue
        smallest = next(k for k in range(1, len(d) + 1) if any(
            lp_margin(d[list(c)]) <= TOL for c in itertools.combinations(range(len(d)), k)))
        assert lp_margin(d[got]) <= TOL
        assert all(lp_margin(np.delete(d[got], k, axis=0)) > TOL for k in range(len(got))
                   if len(got) > 1)
        if smallest <= 2:
            assert len(got) == smallest
        sizes.add(len(got))
    assert {1, 2} <= sizes


@pytest.mark.parametrize("d", [[[1.0, -1.0, 0.0], [-1.0, 1.0, 0.0]],  # a shared 0: 0 / 0
                               [[1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]]])  # a shared 1: -1 / 0
def test_pairs_with_a_shared_factor_value_raise_no_numpy_warnings(d):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = _conflicting_pair(np.array(d))
    # shared 0: the average is 0 everywhere (a conflict); shared 1: the average is (0, 0, 1) > 0
    assert got == ((0, 1) if d[0][2] == 0 else None)


def tight_and_loose(e: float) -> Model:
    """Order a > b > c > d on a 1000-2000 scale: a - b = c - d = (e, -1, -1) hold only with weight
    near (1, 0, 0), where their margin is at most e; b - c = (-1, 1, 0) needs f1 above f0; the
    other three orders never hold. Two tight orders beat the loose one when the margin asked for
    (1e-6 x the span of 1000) is below e; otherwise only b - c can be met (with e = 7e-4 even
    though weights summing to 2 instead of 1 would meet the tight ones: 1.4e-3 > 1e-3)."""
    d = np.array([1500.0, 1500.0, 1500.0])
    c = d + np.array([e, -1.0, -1.0])
    b = c + np.array([-1.0, 1.0, 0.0])
    a = b + np.array([e, -1.0, -1.0])
    return scaled_model({"a": list(a), "b": list(b), "c": list(c), "d": list(d)},
                        low=1000.0, high=2000.0)


@pytest.mark.parametrize(("e", "satisfied"), [(2e-3, [("a", "b"), ("c", "d")]),
                                              (7e-4, [("b", "c")])])
def test_the_compromise_asks_each_order_for_a_margin_of_a_millionth_of_the_span(e, satisfied):
    res = implied_weights(tight_and_loose(e), order=["a", "b", "c", "d"])
    assert not res.feasible
    assert res.satisfied == satisfied
    w = res.best_weights
    assert w.sum() == pytest.approx(1.0)
    if len(satisfied) == 2:
        assert w[0] >= 1 / (1 + e) - 1e-9  # e w0 > w1 + w2 = 1 - w0
    else:
        assert w[1] > w[0]


def test_near_tied_ratings_still_get_the_best_compromise():
    """HiGHS's presolve calls this always-feasible programme infeasible (ratings 4e-9 apart on a
    0-1 scale). With two factors the weights are (t, 1 - t): a scan of t finds that at most 4 of
    the 6 stated orders hold at once (a2 > a3 never: a2 trails a3 on f0 and ties on f1; a2 > a0
    and a0 > a3 need t below and above about 1/2)."""
    rows = {"a0": (0.7, 0.2), "a1": (0.100000004, 0.600000002), "a2": (0.2, 0.700000004),
            "a3": (0.200000004, 0.700000004)}
    spec = ModelSpec(id="near", scale=Scale(min=0, max=1), categories=["p"],
                     factors=[Factor(id="f0"), Factor(id="f1")],
                     areas=[Area(id=a, category="p") for a in rows], raters=[Rater(id="r")],
                     ratings=[Rating(area=a, factor=f"f{j}", rater="r", value=v)
                              for a, vs in rows.items() for j, v in enumerate(vs)])
    order = ["a2", "a0", "a3", "a1"]
    res = implied_weights(Model(spec), order=order)
    r = np.array([rows[a] for a in order])
    d = np.array([r[i] - r[j] for i, j in itertools.combinations(range(4), 2)])
    t = np.linspace(0, 1, 200_001)
    most = int(((d[:, :1] * t + d[:, 1:] * (1 - t)) > 0).sum(axis=0).max())
    assert most == 4 and not res.feasible
    assert len(res.satisfied) == most
    assert ("a2", "a3") not in res.satisfied
