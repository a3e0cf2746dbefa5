"""`mc` and `sensitivity` in an 80-column terminal or a pipe (issue 13): the headline in full
first, tables within 80 columns, no number cut, the threshold sentences printed."""

from __future__ import annotations

import re

import numpy as np
import pytest

from autosafety.analysis import monte_carlo
from autosafety.model import load_model


@pytest.fixture
def narrow_cli(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # what Rich uses when stdout is not a terminal
    return cli


def test_mc_fits_80_columns_with_the_headline_first(narrow_cli):
    run = narrow_cli("mc", "wehner-2026", "--draws", "4000", "--seed", "3")
    assert run.code == 0
    lines = run.out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in run.out  # nothing cut
    res = monte_carlo(load_model("wehner-2026"), draws=4000, seed=3)
    g = res.gaps[0]
    first = " ".join(lines[:2])
    assert first.startswith(f"P(capabilities > safety) = {g['p_higher_above']:.3f}")
    assert f"between {g['low']:.2f} and {g['high']:.2f}" in first
    # every area by name with its mean, low and high in full
    frame = res.to_frame()
    for _, row in frame.iterrows():
        first_word = row["name"].split()[0]
        line = next(x for x in lines if f"│ {first_word}" in x and f"{row['mean']:.3f}" in x)
        assert f"{row['low']:.3f}" in line and f"{row['high']:.3f}" in line
    assert "left out to fit 80 columns" in run.out


def test_mc_in_a_wide_terminal_keeps_every_column(cli):  # the cli fixture: COLUMNS=200
    run = cli("mc", "wehner-2026", "--draws", "2000")
    assert run.code == 0
    assert "expected_rank" in run.out and "left out" not in run.out


def test_sensitivity_prints_the_threshold_sentences_within_80_columns(narrow_cli):
    run = narrow_cli("sensitivity", "wehner-2026")
    assert run.code == 0
    assert max(len(line) for line in run.out.splitlines()) <= 80
    assert "…" not in run.out
    # the threshold, independently: the category gap is sum_g w_g d_g / sum_g w_g with d_g the
    # difference of the category means of factor g's pooled ratings; it is 0 at w_f = -S / d_f
    m = load_model("wehner-2026")
    pooled = m.pooled()
    cats = np.array([a.category for a in m.areas])
    d = pooled[cats == "capabilities"].mean(axis=0) - pooled[cats == "safety"].mean(axis=0)
    w = np.asarray(m.weights, dtype=float)
    f = m.factor_ids.index("compute_vs_labour")
    rest = float(w @ d - w[f] * d[f])
    threshold = -rest / d[f]
    assert threshold > w[f]
    text = " ".join(run.out.split())  # the sentence as printed, wrapped at 80 columns
    assert (f"The weight of Compute vs labour bottlenecked would have to rise from {w[f]:g} to "
            f"{threshold:.4g} for safety to come level with capabilities") in text
    head = text.split("exact flip thresholds")[0]
    assert re.search(r"No weight of Task length, .*however small or large, puts safety above capabilities",
                     head)
