"""Figures are plain JSON-safe Plotly dicts; files are written offline as HTML, SVG and PNG."""

import json

import numpy as np
import pytest

from autosafety._errors import InputError
from autosafety.analysis import figures, monte_carlo, tornado


@pytest.fixture(scope="module")
def mc(wehner):
    return monte_carlo(wehner, draws=5000, weight_concentration=20)


def test_figures_are_json_and_carry_the_numbers(mc, wehner):
    rank = figures.rank_heatmap(mc)
    z = np.array(rank["data"][0]["z"])
    np.testing.assert_allclose(z.sum(axis=1), 1.0, atol=1e-5)
    pair = figures.pairwise_matrix(mc)
    pz = np.array(pair["data"][0]["z"], dtype=float)
    assert pz.shape == (10, 10) and np.isnan(np.diag(pz)).all()
    off = ~np.eye(10, dtype=bool)
    np.testing.assert_allclose((pz + pz.T)[off], 1.0, atol=2e-3)  # ties are rare
    dist = figures.score_distributions(mc)
    y = np.array(dist["data"][0]["y"])
    width = np.diff(dist["data"][0]["x"])[0]
    assert (y * width).sum() == pytest.approx(1.0, abs=1e-3)  # a density
    tor = figures.tornado(tornado(wehner))
    assert len(tor["data"][0]["y"]) == 7
    for fig in (rank, pair, dist, tor, figures.gap_distribution(mc)):
        assert json.loads(json.dumps(fig)) == fig


def test_html_inlines_plotly_and_needs_no_network(mc, tmp_path):
    p = figures.write_figure(figures.rank_heatmap(mc), tmp_path / "r.html")
    text = p.read_text()
    assert "Plotly.newPlot" in text and len(text) > 1_000_000  # the library itself is inlined
    from plotly.offline import get_plotlyjs

    wrapper = text.replace(get_plotlyjs(), "")
    assert get_plotlyjs() in text and "http" not in wrapper and "<script src=" not in wrapper


def test_svg_and_png_are_drawn(mc, wehner, tmp_path):
    svg = figures.write_figure(figures.tornado(tornado(wehner)), tmp_path / "t.svg")
    assert svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()
    png = figures.write_figure(figures.pairwise_matrix(mc), tmp_path / "p.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    png2 = figures.write_figure(figures.score_distributions(mc), tmp_path / "s.png")
    assert png2.stat().st_size > 10_000


def test_bad_plot_paths(mc, tmp_path):
    with pytest.raises(InputError):
        figures.write_figure(figures.rank_heatmap(mc), tmp_path / "r.pdf")
    with pytest.raises(InputError):
        figures.write_figure(figures.rank_heatmap(mc), tmp_path / "missing" / "r.svg")
