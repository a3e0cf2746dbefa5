"""Safer bets: robust top-k against monte_carlo, and the one-rating hinge checked by rescoring."""

import numpy as np
import pytest

from autosafety import InputError, load_model
from autosafety.analysis import monte_carlo
from autosafety.levers._safer import category_model, figure, safer_bets


def _in_top(model, k, area, cell=None, value=None):
    ratings = {cell: value} if cell else None
    res = model.score(ratings=ratings)
    return res.ranks[model.area_ids.index(area)] <= k


@pytest.mark.parametrize("name", ["safety-fields-2026", "wehner-2026"])
def test_hinge_is_exact_by_rescoring(name):
    model = load_model(name)
    res = safer_bets(model, k=3, draws=2000)
    sub = category_model(model, "safety")
    lo, hi = sub.spec.scale.min, sub.spec.scale.max
    for row in res.rows:
        if row["hinge_size"] is None:
            continue
        size = row["hinge_size"]
        before = _in_top(sub, 3, row["id"])
        moved = 0
        for a in sub.area_ids:
            for f in sub.factor_ids:
                p = sub.pooled()[sub.area_ids.index(a), sub.factor_ids.index(f)]
                for sign in (-1, 1):
                    # at the hinge the scores tie (ties count) or cross; a hair short they do not
                    v = float(np.clip(p + sign * size * (1 + 1e-6), lo, hi))
                    if abs(v - p) >= size * (1 - 1e-9) and _in_top(sub, 3, row["id"], (a, f), v) != before:
                        moved += 1
                        assert _in_top(sub, 3, row["id"], (a, f), p + sign * size * (1 - 1e-3)) == before
        assert moved, row
        # nothing smaller than the hinge changes membership: brute force over cells and sizes
        for a in sub.area_ids:
            for f in sub.factor_ids:
                p = sub.pooled()[sub.area_ids.index(a), sub.factor_ids.index(f)]
                for d in np.linspace(-size, size, 9)[1:-1] * (1 - 1e-3):
                    if lo <= p + d <= hi:
                        assert _in_top(sub, 3, row["id"], (a, f), p + d) == before


def test_probabilities_are_monte_carlo_on_the_category():
    model = load_model("wehner-2026")
    res = safer_bets(model, k=2, draws=3000, seed=4)
    mc = monte_carlo(category_model(model, "safety"), draws=3000, seed=4)
    p_top = dict(zip(mc.model.area_ids, mc.p_top(2)))
    last = dict(zip(mc.model.area_ids, mc.rank_probabilities[:, 3:].sum(axis=1)))
    for row in res.rows:
        assert row["p_top"] == p_top[row["id"]]
        assert row["p_bottom"] == pytest.approx(last[row["id"]], abs=1e-12)
        assert row["robust_top"] == (row["p_top"] >= 0.9)
    assert len(res.rows) == 5
    fig = figure(res)
    assert fig["data"][0]["x"][::-1] == [r["p_top"] for r in res.rows]


def test_bad_k_and_category():
    model = load_model("wehner-2026")
    with pytest.raises(InputError, match=r"outside 1\.\.4"):
        safer_bets(model, k=5)
    with pytest.raises(InputError, match="no category 'biology'"):
        safer_bets(model, category="biology")


def test_cli_table(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("safer-bets", "safety-fields-2026", "--draws", "2000")
    assert r.code == 0, r.err
    assert max(len(x) for x in r.out.splitlines()) <= 80
    assert "Agent Foundations" in r.out and "last" in r.out
