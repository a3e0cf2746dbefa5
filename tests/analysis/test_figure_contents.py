"""What each figure shows, checked on hand-built inputs: the numbers against hand computations, the
layout against its specification, and every figure against Plotly's own schema."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from autosafety.analysis import ImpliedWeights, MonteCarloResult, TornadoResult, figures, monte_carlo
from autosafety.analysis import tornado as sweep
from autosafety.analysis._sampling import HIST_BINS, Tally
from autosafety.model import Area, Factor, Model, ModelSpec, Rater, Rating

BLUE, RED = "#1f77b4", "#d62728"  # the first two Plotly colours: category 0 / no flip, category 1 / flip
WIDE = {"l": 200, "r": 30, "t": 60, "b": 60}  # room for area names on the left
NARROW = {"l": 60, "r": 30, "t": 60, "b": 60}  # plots with numbers on the y axis


def _model() -> Model:
    """Three areas on a 1-10 scale (one without a name), two categories, three factors."""
    values = {"a": [8, 2, 5], "b": [9, 9, 3], "g": [1, 4, 6]}
    spec = ModelSpec(
        id="tiny", name="Tiny model", categories=["c0", "c1"],
        factors=[Factor(id="f0", name="Cost", weight=2.0), Factor(id="f1", weight=0.5),
                 Factor(id="f2", name="Data", weight=1.5)],
        areas=[Area(id="a", name="Alpha", category="c0"), Area(id="b", category="c1"),
               Area(id="g", name="Gamma", category="c0")],
        raters=[Rater(id="r")],
        ratings=[Rating(area=a, factor=f"f{j}", rater="r", value=v) for a, row in values.items()
                 for j, v in enumerate(row)])
    return Model(spec)


MODEL = _model()


def _hist(rows: list[dict[int, int]]) -> np.ndarray:
    """(rows, HIST_BINS) counts from {fine bin: count} per row."""
    h = np.zeros((len(rows), HIST_BINS), dtype=np.int64)
    for i, row in enumerate(rows):
        for k, c in row.items():
            h[i, k] = c
    return h


def _mc() -> MonteCarloResult:
    """Three draws, tallied by hand.

    Scores: Alpha always in the lowest fine bin; b once in fine bin 40, twice in the top one;
    Gamma in fine bins 100, 101 and 2000. Means 5, 7.25, 2.5 (so by mean: b, Alpha, Gamma).
    Ranks: Alpha 1, 2, 3 once each; b rank 1 twice and 2 once; Gamma 2 once and 3 twice
    (expected ranks 2, 4/3, 8/3: b, Alpha, Gamma again, but not the file order).
    Category gap c1 - c0: twice in the bin just above 0, once far below.
    """
    return MonteCarloResult(MODEL, 7, {"interval": 0.9}, Tally(
        n=3, score_sum=np.array([15.0, 21.75, 7.5]), score_sq=np.zeros(3),
        score_hist=_hist([{0: 3}, {40: 1, 4095: 2}, {100: 1, 101: 1, 2000: 1}]),
        rank_counts=np.array([[1, 1, 1], [2, 1, 0], [0, 1, 2]]),
        above=np.array([[0, 1, 3], [2, 0, 3], [0, 0, 0]]),
        cat_above=np.array([[0, 1], [2, 0]]),
        gap_hist=_hist([{2048: 2, 10: 1}]), gap_sum=np.array([1.0]), gap_sq=np.array([5.0]),
        scenario_counts=np.zeros(0, dtype=np.int64)))


def _plotly_accepts(fig: dict) -> go.Figure:
    """Plotly's own validation: unknown keys, invalid enumerations and bad colours raise."""
    return go.Figure(fig)


def _rounded(x: float, nd: int = 6) -> bool:
    """x is written with at most ``nd`` decimals."""
    return abs(x * 10 ** nd - round(x * 10 ** nd)) < 1e-6


def _check_numbers(got: list, want: list[float]) -> None:
    """Each value is the hand value to 6 decimals, and is written with no more."""
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g == pytest.approx(w, abs=5e-7 + 1e-12) and _rounded(g)


def _strip(fig: dict, *keys: str) -> dict:
    """The figure without the listed keys of its first trace (checked separately)."""
    trace = {k: v for k, v in fig["data"][0].items() if k not in keys}
    return {"data": [trace, *fig["data"][1:]], "layout": fig["layout"]}


# ---- score distributions -------------------------------------------------------------------------

def test_score_distributions_are_densities_on_the_bin_centres():
    fig = figures.score_distributions(_mc())
    _plotly_accepts(fig)
    width = 9 / 128  # scale 1-10 in 128 bins of 32 fine bins each
    centres = [1 + width * (k + 0.5) for k in range(128)]
    # coarse bins of the counts: fine 0 -> 0; 40 -> 1, 4095 -> 127; 100, 101 -> 3, 2000 -> 62
    counts = [{0: 3}, {1: 1, 127: 2}, {3: 2, 62: 1}]
    for trace, c in zip(fig["data"], counts):
        _check_numbers(trace["x"], centres)
        _check_numbers(trace["y"], [c.get(k, 0) / (3 * width) for k in range(128)])
        assert sum(trace["y"]) * width == pytest.approx(1.0, abs=1e-5)
    assert fig["data"][0]["y"][0] == 14.222222  # 3 / (3 x 9/128) = 128/9
    assert fig["data"][1]["x"][127] == 9.964844  # 10 - 9/256


def test_score_distributions_name_colour_and_layout():
    fig = figures.score_distributions(_mc())
    line = {"shape": "hvh", "width": 1.5}
    expected_traces = [
        {"type": "scatter", "mode": "lines", "name": "Alpha (5.00)", "line": {"color": BLUE, **line},
         "legendgroup": "c0"},
        {"type": "scatter", "mode": "lines", "name": "b (7.25)", "line": {"color": RED, **line},
         "legendgroup": "c1"},
        {"type": "scatter", "mode": "lines", "name": "Gamma (2.50)", "line": {"color": BLUE, **line},
         "legendgroup": "c0"}]
    assert [{k: v for k, v in t.items() if k not in ("x", "y")} for t in fig["data"]] == expected_traces
    assert fig["layout"] == {
        "title": {"text": "Score distributions, Tiny model (3 draws, seed 7)"},
        "template": "plotly_white", "margin": NARROW,
        "xaxis": {"title": {"text": "amenability to automation"}, "range": [1.0, 10.0]},
        "yaxis": {"title": {"text": "density"}}}


def test_score_distributions_colour_follows_the_declared_category_order():
    spec = MODEL.spec.model_copy(update={"categories": ["c1", "c0"], "name": "", "id": "swapped"})
    mc = MonteCarloResult(Model(spec), 123, {"interval": 0.9}, _mc().tally)
    fig = figures.score_distributions(mc, bins=64)
    assert [t["line"]["color"] for t in fig["data"]] == [RED, BLUE, RED]
    assert fig["layout"]["title"]["text"] == "Score distributions, swapped (3 draws, seed 123)"
    _check_numbers(fig["data"][1]["x"], [1 + 9 / 64 * (k + 0.5) for k in range(64)])
    # b: fine bins 40 and 4095 fall in coarse bins 0 and 63 of 64 (64 fine bins each)
    _check_numbers(fig["data"][1]["y"], [{0: 1, 63: 2}.get(k, 0) / (3 * 9 / 64) for k in range(64)])


# ---- rank acceptability ---------------------------------------------------------------------------

def test_rank_heatmap_orders_areas_by_expected_rank():
    fig = figures.rank_heatmap(_mc())
    _plotly_accepts(fig)
    third, two = 0.333333, 0.666667  # 1/3 and 2/3 to 6 decimals
    assert fig == {
        "data": [{"type": "heatmap",
                  "z": [[two, third, 0.0], [third, third, third], [0.0, third, two]],
                  "x": ["1", "2", "3"], "y": ["b", "Alpha", "Gamma"], "zmin": 0, "zmax": 1,
                  "colorscale": "Blues", "colorbar": {"title": {"text": "P"}},
                  "text": [["0.67", "0.33", "0.00"], ["0.33", "0.33", "0.33"], ["0.00", "0.33", "0.67"]],
                  "texttemplate": "%{text}"}],
        "layout": {"title": {"text": "Rank acceptability, Tiny model"}, "template": "plotly_white",
                   "margin": WIDE, "xaxis": {"title": {"text": "rank (1 = most amenable)"}},
                   "yaxis": {"autorange": "reversed"}}}


# ---- pairwise --------------------------------------------------------------------------------------

def test_pairwise_matrix_orders_by_mean_and_blanks_the_diagonal():
    fig = figures.pairwise_matrix(_mc())
    _plotly_accepts(fig)
    names = ["b", "Alpha", "Gamma"]  # by mean score 7.25, 5, 2.5
    assert fig == {
        "data": [{"type": "heatmap",
                  "z": [[None, 0.666667, 1.0], [0.333333, None, 1.0], [0.0, 0.0, None]],
                  "x": names, "y": names, "zmin": 0, "zmax": 1, "colorscale": "RdBu",
                  "reversescale": True, "colorbar": {"title": {"text": "P(row > column)"}},
                  "text": [["", "0.67", "1.00"], ["0.33", "", "1.00"], ["0.00", "0.00", ""]],
                  "texttemplate": "%{text}"}],
        "layout": {"title": {"text": "Pairwise P(row scores above column), Tiny model"},
                   "template": "plotly_white", "margin": {"l": 200, "r": 30, "t": 60, "b": 160},
                   "yaxis": {"autorange": "reversed"}, "xaxis": {"tickangle": -45}}}
    assert all(isinstance(v, float) for row in fig["data"][0]["z"] for v in row if v is not None)


# ---- category gap ---------------------------------------------------------------------------------

def test_gap_distribution_spans_minus_to_plus_the_scale_range():
    fig = figures.gap_distribution(_mc())
    _plotly_accepts(fig)
    width = 18 / 128  # gaps lie in [-9, 9]: 128 bins of 32 fine bins
    # fine bin 2048 (just above 0) -> coarse 64 (twice); fine 10 -> coarse 0 (once)
    _check_numbers(fig["data"][0]["x"], [-9 + width * (k + 0.5) for k in range(128)])
    _check_numbers(fig["data"][0]["y"], [{64: 2, 0: 1}.get(k, 0) / (3 * width) for k in range(128)])
    assert fig["data"][0]["x"][0] == -8.929688 and fig["data"][0]["x"][64] == 0.070312
    assert fig["data"][0]["y"][64] == 4.740741  # 2 / (3 x 18/128)
    assert _strip(fig, "x", "y") == {
        "data": [{"type": "bar", "marker": {"color": BLUE}, "name": "c1 - c0"}],
        "layout": {"title": {"text": "c1 - c0: P(>0) = 0.667"}, "template": "plotly_white",
                   "margin": NARROW,
                   "xaxis": {"title": {"text": "gap c1 - c0"}, "zeroline": True},
                   "yaxis": {"title": {"text": "density"}}, "bargap": 0}}


def test_gap_distribution_with_coarser_bins():
    fig = figures.gap_distribution(_mc(), bins=8)
    width = 18 / 8
    assert fig["data"][0]["x"] == [-9 + width * (k + 0.5) for k in range(8)]  # exact in binary
    _check_numbers(fig["data"][0]["y"], [1 / (3 * width), 0, 0, 0, 2 / (3 * width), 0, 0, 0])


# ---- tornado -------------------------------------------------------------------------------------

def _tornado() -> TornadoResult:
    """Gap c1 - c0 over a 3-point sweep of each weight, by hand.

    f0 (Cost, 2): -2/3 .. 1 (swing 5/3, crosses 0); f1 (unnamed, 0.5): 1/3 .. 1/2 (swing 1/6);
    f2 (Data, 1.5): 0 .. 0.9 (swing 0.9; touches 0 but does not cross it).
    """
    gaps = np.array([[-2 / 3, 0.25, 1.0], [1 / 3, 0.5, 0.4], [0.0, 0.6, 0.9]])[..., None]
    return TornadoResult(MODEL, np.array([2.0, 0.5, 1.5]), np.array([0.0, 2.0, 4.0]), gaps,
                         np.ones((3, 3, 3)), 0.0, 4.0, np.array([0.25]))


def test_tornado_bars_run_from_the_lowest_gap_over_the_swing():
    fig = figures.tornado(_tornado())
    _plotly_accepts(fig)
    # widest swing drawn last (Plotly puts the first bar at the bottom): f1, f2, f0
    assert fig == {
        "data": [{"type": "bar", "orientation": "h", "y": ["f1 (0.5)", "Data (1.5)", "Cost (2)"],
                  "x": [0.166667, 0.9, 1.666667], "base": [0.333333, 0.0, -0.666667],
                  "marker": {"color": [BLUE, BLUE, RED]},
                  "hovertemplate": "%{y}: gap from %{base:.2f} (range %{x:.2f})<extra></extra>"}],
        "layout": {"title": {"text": "Tornado: c1 - c0 as each weight goes 0 to 4"},
                   "template": "plotly_white", "margin": WIDE,
                   "xaxis": {"title": {"text": "gap c1 - c0"}},
                   "shapes": [{"type": "line", "x0": 0.25, "x1": 0.25, "y0": 0, "y1": 1, "yref": "paper",
                               "line": {"dash": "dash", "color": "black"}},
                              {"type": "line", "x0": 0, "x1": 0, "y0": 0, "y1": 1, "yref": "paper",
                               "line": {"color": "grey"}}]}}


def test_tornado_of_a_computed_sweep_matches_a_brute_force():
    """On the tiny model, the gap at each swept weight by hand: c1 (area b) minus mean of a and g."""
    tr = sweep(MODEL, low=0.0, high=4.0, points=5)
    fig = figures.tornado(tr)
    _plotly_accepts(fig)
    ratings = {"a": [8, 2, 5], "b": [9, 9, 3], "g": [1, 4, 6]}
    base = [2.0, 0.5, 1.5]

    def gap(w):
        s = {k: sum(x * y for x, y in zip(v, w)) / sum(w) for k, v in ratings.items()}
        return s["b"] - (s["a"] + s["g"]) / 2

    rows = []
    for j in range(3):
        gs = [gap([x if i == j else base[i] for i in range(3)]) for x in (0, 1, 2, 3, 4)]
        rows.append((max(gs) - min(gs), min(gs), j))
    rows.sort(reverse=True)
    rows = rows[::-1]
    labels = {0: "Cost (2)", 1: "f1 (0.5)", 2: "Data (1.5)"}
    assert fig["data"][0]["y"] == [labels[j] for _, _, j in rows]
    _check_numbers(fig["data"][0]["x"], [s for s, _, _ in rows])
    _check_numbers(fig["data"][0]["base"], [m for _, m, _ in rows])
    assert fig["layout"]["shapes"][0]["x0"] == pytest.approx(gap(base), abs=1e-12)


# ---- implied weights ------------------------------------------------------------------------------

def _implied(feasible: bool) -> ImpliedWeights:
    pairs = [("b", "a"), ("b", "g"), ("a", "g")]
    w = np.array([1 / 3, 1 / 6, 1 / 2])
    return ImpliedWeights(MODEL, ["b", "a", "g"], feasible, 0.125 if feasible else -0.5,
                          w, [] if feasible else [("a", "g")], np.array([0.6, 0.3, 0.1]),
                          pairs if feasible else pairs[:2], pairs)


def test_implied_weights_when_the_ranking_is_reproduced():
    fig = figures.implied_weights(_implied(True))
    _plotly_accepts(fig)
    # model weights 2, 0.5, 1.5 normalised: 0.5, 0.125, 0.375
    assert fig == {
        "data": [{"type": "heatmap",
                  "z": [[0.5, 0.333333, 0.6], [0.125, 0.166667, 0.3], [0.375, 0.5, 0.1]],
                  "x": ["model", "implied", "best"], "y": ["Cost", "f1", "Data"], "zmin": 0, "zmax": 1,
                  "colorscale": "Blues", "colorbar": {"title": {"text": "share"}},
                  "text": [["0.50", "0.33", "0.60"], ["0.12", "0.17", "0.30"], ["0.38", "0.50", "0.10"]],
                  "texttemplate": "%{text}"}],
        "layout": {"title": {"text": "Implied weights, Tiny model<br>reproduced, margin 0.125"},
                   "template": "plotly_white", "margin": WIDE, "yaxis": {"autorange": "reversed"}}}


def test_implied_weights_when_no_weights_reproduce_the_ranking():
    fig = figures.implied_weights(_implied(False))
    _plotly_accepts(fig)
    trace = fig["data"][0]
    assert trace["x"] == ["model", "best"]  # no implied column
    assert trace["z"] == [[0.5, 0.6], [0.125, 0.3], [0.375, 0.1]]
    assert trace["text"] == [["0.50", "0.60"], ["0.12", "0.30"], ["0.38", "0.10"]]
    assert fig["layout"]["title"]["text"] == (
        "Implied weights, Tiny model<br>not reproducible; best weights satisfy 2 of 3")


# ---- the figures of a real run --------------------------------------------------------------------

def test_figures_of_a_real_run_are_valid_and_consistent():
    """A short noisy run of the tiny model: Plotly accepts every figure; the heat maps are
    probabilities whose rows or pairs add up as they must."""
    mc = monte_carlo(MODEL, draws=400, seed=3, rating_noise=0.3, weight_concentration=5)
    for fig in (figures.score_distributions(mc), figures.rank_heatmap(mc), figures.pairwise_matrix(mc),
                figures.gap_distribution(mc)):
        _plotly_accepts(fig)
    rank = figures.rank_heatmap(mc)["data"][0]
    z = np.array(rank["z"])
    np.testing.assert_allclose(z.sum(axis=1), 1.0, atol=3e-6)
    np.testing.assert_allclose(z.sum(axis=0), 1.0, atol=3e-6)
    expected_rank = z @ np.arange(1, 4)
    assert list(expected_rank) == sorted(expected_rank)
    pair = figures.pairwise_matrix(mc)["data"][0]
    p = np.array(pair["z"], dtype=float)
    off = ~np.eye(3, dtype=bool)
    np.testing.assert_allclose((p + p.T)[off], 1.0, atol=3e-6)  # continuous scores never tie
    assert pair["text"] == [["" if i == j else f"{v:.2f}" for j, v in enumerate(row)]
                            for i, row in enumerate(p)]
    gap = figures.gap_distribution(mc)["data"][0]
    assert sum(gap["y"]) * 18 / 128 == pytest.approx(1.0, abs=1e-5)
