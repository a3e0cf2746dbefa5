"""What the offline renderers draw from a Plotly figure dict: the matplotlib artists (lines, bars,
heatmap cells, shapes, labels) against dicts built by hand here, the HTML page's parts, and the
files and errors of write_figure."""

from __future__ import annotations

import json
import locale
import re
import struct
from html.parser import HTMLParser

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import plotly.graph_objects as go
import pytest
from matplotlib.colors import to_rgba
from matplotlib.layout_engine import ConstrainedLayoutEngine
from plotly.offline import get_plotlyjs

from autosafety._errors import InputError
from autosafety.analysis._render import _text, to_html, to_matplotlib, write_figure

WHITE, BLACK = (1.0, 1.0, 1.0, 1.0), (0.0, 0.0, 0.0, 1.0)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def draw(fig):
    go.Figure(fig)  # every dict below is a valid Plotly figure (plotly's own schema check)
    return to_matplotlib(fig)


def lines_figure(**layout):
    return {"data": [{"type": "scatter", "mode": "lines", "name": "alpha (3.10)", "x": [1.0, 2.0, 3.0],
                      "y": [0.5, 2.5, 1.0], "line": {"color": "#123456", "shape": "hvh"}},
                     {"type": "scatter", "mode": "lines", "name": "beta", "x": [1.0, 2.0, 3.0],
                      "y": [1.5, 0.5, 0.25], "line": {"color": "#a0b0c0"}}],
            "layout": {"title": {"text": "Scores<br>second line"},
                       "xaxis": {"title": {"text": "amenability"}, "range": [-1, 7]},
                       "yaxis": {"title": "density"}, **layout}}


# --- _text: Plotly titles are a dict {"text": ...} or a plain string; <br> becomes a new line ------

def test_title_text_from_a_dict_a_string_or_nothing():
    assert _text({"title": {"text": "one<br>two<br>three"}}, "title") == "one\ntwo\nthree"
    assert _text({"title": "plain<br>title"}, "title") == "plain\ntitle"
    assert _text({"title": {"font": {"size": 9}}}, "title") == ""  # a dict with no text
    assert _text({"title": None}, "title") == ""
    assert _text({"xaxis": {}}, "title") == ""
    assert _text(None, "title") == ""
    assert _text({"title": 3}, "title") == "3"


# --- to_matplotlib -------------------------------------------------------------------------------

def test_scatter_traces_are_mid_steps_with_their_names_and_colours():
    f = draw(lines_figure())
    ax = f.axes[0]
    assert tuple(f.get_size_inches()) == (10, 5.5)
    assert isinstance(f.get_layout_engine(), ConstrainedLayoutEngine)
    assert len(ax.lines) == 2
    a, b = ax.lines
    assert list(a.get_xdata()) == [1.0, 2.0, 3.0] and list(a.get_ydata()) == [0.5, 2.5, 1.0]
    assert list(b.get_ydata()) == [1.5, 0.5, 0.25]
    assert a.get_drawstyle() == b.get_drawstyle() == "steps-mid"  # plotly's "hvh": a step at mid-points
    assert to_rgba(a.get_color()) == to_rgba("#123456") and to_rgba(b.get_color()) == to_rgba("#a0b0c0")
    assert a.get_linewidth() == b.get_linewidth() == 1.2
    assert a.get_label() == "alpha (3.10)" and b.get_label() == "beta"
    assert ax.get_title() == "Scores\nsecond line"
    assert ax.get_xlabel() == "amenability" and ax.get_ylabel() == "density"
    assert ax.get_xlim() == (-1.0, 7.0)  # the layout's range, wider than the data


def test_scatter_figures_get_a_small_legend_top_left():
    f = draw(lines_figure())
    ax = f.axes[0]
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["alpha (3.10)", "beta"]
    assert all(t.get_fontsize() == 7 for t in legend.get_texts())
    f.canvas.draw()
    box = legend.get_window_extent().transformed(ax.transAxes.inverted())
    assert box.x0 < 0.1 and box.y1 > 0.9  # the upper left corner of the axes


@pytest.mark.filterwarnings("ignore:No artists with labels")
def test_without_a_range_or_titles_the_axes_are_left_alone():
    fig = {"data": [{"type": "scatter", "x": [2.0, 4.0], "y": [1.0, 3.0]}]}
    f = draw(fig)  # no layout at all
    ax = f.axes[0]
    assert ax.get_title() == "" and ax.get_xlabel() == "" and ax.get_ylabel() == ""
    lo, hi = ax.get_xlim()
    assert lo <= 2.0 and hi >= 4.0 and hi - lo < 3.0  # autoscaled around the data, not (0, 1)
    line = ax.lines[0]
    assert line.get_label() == "_child0"  # no name: matplotlib's own unlabelled line
    assert to_rgba(line.get_color()) == to_rgba("C0")  # no colour: the default cycle


def test_horizontal_bars_start_at_their_base_with_their_colours():
    fig = {"data": [{"type": "bar", "orientation": "h", "y": ["small", "wide", "mid"],
                     "x": [0.5, 3.0, 1.5], "base": [-1.0, 0.25, 2.0],
                     "marker": {"color": ["#1f77b4", "#d62728", "#1f77b4"]}}],
           "layout": {"title": {"text": "Tornado"}, "xaxis": {"title": {"text": "gap"}}}}
    f = draw(fig)
    ax = f.axes[0]
    bars = ax.patches
    assert len(bars) == 3
    assert [p.get_x() for p in bars] == [-1.0, 0.25, 2.0]  # left = base
    assert [p.get_width() for p in bars] == [0.5, 3.0, 1.5]
    assert [p.get_y() + p.get_height() / 2 for p in bars] == [0, 1, 2]  # one row per category
    assert [p.get_facecolor() for p in bars] == [to_rgba("#1f77b4"), to_rgba("#d62728"),
                                                 to_rgba("#1f77b4")]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["small", "wide", "mid"]
    assert ax.get_legend() is None  # no scatter trace, no legend
    assert tuple(f.get_size_inches()) == (10, 5.5)


def test_horizontal_bars_without_a_base_start_at_zero():
    fig = {"data": [{"type": "bar", "orientation": "h", "y": ["a", "b"], "x": [2.0, 1.0],
                     "marker": {"color": "#2ca02c"}}]}
    bars = draw(fig).axes[0].patches
    assert [p.get_x() for p in bars] == [0.0, 0.0]
    assert [p.get_width() for p in bars] == [2.0, 1.0]
    assert all(p.get_facecolor() == to_rgba("#2ca02c") for p in bars)


def test_vertical_bars_are_centred_and_as_wide_as_the_bin_spacing():
    x = [-0.75, -0.25, 0.25, 0.75]  # spacing 0.5
    fig = {"data": [{"type": "bar", "x": x, "y": [0.1, 0.4, 0.3, 0.2], "marker": {"color": "#9467bd"}}],
           "layout": {"title": {"text": "gap a - b: P(>0) = 0.500"}, "bargap": 0}}
    f = draw(fig)
    ax = f.axes[0]
    bars = ax.patches
    assert [p.get_width() for p in bars] == pytest.approx([0.5] * 4)
    assert [p.get_x() + p.get_width() / 2 for p in bars] == pytest.approx(x)
    assert [p.get_height() for p in bars] == [0.1, 0.4, 0.3, 0.2]
    assert [p.get_y() for p in bars] == [0, 0, 0, 0]
    assert all(p.get_facecolor() == to_rgba("#9467bd") for p in bars)
    assert ax.get_legend() is None
    assert ax.get_title() == "gap a - b: P(>0) = 0.500"


def test_two_bars_take_their_spacing_and_one_bar_is_one_wide():
    two = draw({"data": [{"type": "bar", "x": [1.0, 1.25], "y": [2.0, 3.0]}]}).axes[0].patches
    assert [p.get_width() for p in two] == [0.25, 0.25]
    one = draw({"data": [{"type": "bar", "x": [4.0], "y": [2.0]}]}).axes[0].patches
    assert [(p.get_x(), p.get_width()) for p in one] == [(3.5, 1.0)]


def test_numeric_strings_are_numbers_as_in_plotly():
    # plotly reads numeric strings on an axis as numbers (a linear axis), so does the drawing
    fig = {"data": [{"type": "bar", "x": ["0.5", "1.5", "2.5"], "y": [1, 2, 3]}]}
    bars = draw(fig).axes[0].patches
    assert [p.get_x() + p.get_width() / 2 for p in bars] == [0.5, 1.5, 2.5]
    assert [p.get_width() for p in bars] == [1.0, 1.0, 1.0]


def heatmap(z, x, y, **extra):
    return {"data": [{"type": "heatmap", "z": z, "x": x, "y": y, **extra}],
            "layout": {"title": {"text": "Rank acceptability<br>model"},
                       "xaxis": {"title": {"text": "rank"}}, "yaxis": {"autorange": "reversed"}}}


def test_heatmap_cells_and_their_text_colour():
    # Blues from 0 to 1: at 0.0 and 0.5 a light blue (luminance 0.98 and 0.62) -> black text; at 0.65
    # (rgb 0.23, 0.55, 0.76: luminance 0.48) and 1.0 (a navy, 0.17) -> white text
    z = [[0.0, 0.5], [0.65, 1.0]]
    fig = heatmap(z, ["1", "2"], ["a", "b"], zmin=0, zmax=1, colorscale="Blues",
                  colorbar={"title": {"text": "P<br>(share)"}})
    f = draw(fig)
    ax = f.axes[0]
    assert tuple(f.get_size_inches()) == (10, 7)
    (im,) = ax.images
    assert im.get_cmap().name == "Blues"
    np.testing.assert_array_equal(im.get_array(), np.array(z))
    assert ax.get_aspect() == "auto"
    want = {(0, 0): ("0.00", BLACK), (1, 0): ("0.50", BLACK), (0, 1): ("0.65", WHITE),
            (1, 1): ("1.00", WHITE)}
    got = {tuple(t.get_position()): (t.get_text(), to_rgba(t.get_color())) for t in ax.texts}
    assert got == want  # keyed (column, row)
    for t in ax.texts:
        assert t.get_fontsize() == 7 and t.get_ha() == "center" and t.get_va() == "center"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    assert list(ax.get_yticks()) == [0, 1]
    assert len(f.axes) == 2 and f.axes[1].get_ylabel() == "P\n(share)"  # the colour bar's label
    assert ax.get_title() == "Rank acceptability\nmodel" and ax.get_xlabel() == "rank"
    assert ax.get_legend() is None


def test_heatmap_colour_limits_are_zmin_and_zmax_not_the_data_range():
    fig = heatmap([[0.2, 0.7], [0.4, 0.3]], ["x", "y"], ["a", "b"], zmin=0, zmax=1, colorscale="Blues")
    (im,) = draw(fig).axes[0].images
    assert im.get_clim() == (0, 1)


def test_the_colour_bar_is_the_heatmaps_scale():
    fig = heatmap([[0.2, 0.7], [0.4, 0.3]], ["x", "y"], ["a", "b"], zmin=-0.5, zmax=1.5, colorscale="Blues")
    f = draw(fig)
    (im,) = f.axes[0].images
    bar = f.axes[1]
    assert im.colorbar is not None and im.colorbar.ax is bar
    assert bar.get_ylim() == (-0.5, 1.5)  # the bar spans zmin..zmax
    assert bar.get_position().x0 > f.axes[0].get_position().x1  # beside the heatmap, on the right


def test_missing_cells_get_no_text_and_the_rest_do():
    # a pairwise matrix: the diagonal is empty (None -> NaN)
    z = [[None, 0.9, 0.2], [0.1, None, 0.6], [0.8, 0.4, None]]
    fig = heatmap(z, ["p", "q", "r"], ["p", "q", "r"], zmin=0, zmax=1, colorscale="RdBu",
                  reversescale=True, colorbar={"title": {"text": "P(row > column)"}})
    f = draw(fig)
    ax = f.axes[0]
    assert ax.images[0].get_cmap().name == "RdBu_r"
    got = {tuple(t.get_position()): t.get_text() for t in ax.texts}
    assert got == {(1, 0): "0.90", (2, 0): "0.20", (0, 1): "0.10", (2, 1): "0.60", (0, 2): "0.80",
                   (1, 2): "0.40"}
    assert f.axes[1].get_ylabel() == "P(row > column)"


@pytest.mark.parametrize(("extra", "name"), [
    ({"colorscale": "RdBu"}, "RdBu"),
    ({"colorscale": "RdBu", "reversescale": True}, "RdBu_r"),
    ({"colorscale": "RdBu", "reversescale": False}, "RdBu"),
    ({"colorscale": "Blues"}, "Blues"),
    ({"colorscale": "Viridis"}, "viridis"),  # not one we map: viridis
    ({}, "viridis"),
])
def test_colour_scales_map_to_matplotlib_colormaps(extra, name):
    # whatever the user's matplotlibrc says the default colormap is
    with matplotlib.rc_context({"image.cmap": "gray"}):
        (im,) = draw(heatmap([[0.25, 0.75]], ["a", "b"], ["r"], zmin=0, zmax=1, **extra)).axes[0].images
    assert im.get_cmap().name == name


@pytest.mark.parametrize(("x", "tilted"), [
    (["abcd", "efgh", "ijkl", "mnop", "qrst"], True),  # five labels of four characters
    (["a", "bb", "ccc", "dddd", "long name"], True),
    (["abcdefghij", "klmnopqrst", "uvwxyz0123", "456789abcd"], False),  # only four labels
    (["abc", "def", "ghi", "jkl", "mno"], False),  # five short labels
    ([str(k) for k in range(1, 11)], False),  # ranks 1..10
])
def test_long_column_labels_are_tilted(x, tilted):
    fig = heatmap([[0.5] * len(x)], x, ["row"], zmin=0, zmax=1, colorscale="Blues")
    labels = draw(fig).axes[0].get_xticklabels()
    assert [t.get_text() for t in labels] == x
    for t in labels:
        assert (t.get_rotation() % 360, t.get_ha()) == ((315.0, "left") if tilted else (0.0, "center"))


def test_paper_lines_become_vertical_lines_and_other_shapes_are_ignored():
    shapes = [{"type": "line", "x0": 1.5, "x1": 1.5, "y0": 0, "y1": 1, "yref": "paper",
               "line": {"dash": "dash", "color": "#ff7f0e"}},
              {"type": "line", "x0": -0.5, "x1": -0.5, "y0": 0, "y1": 1, "yref": "paper",
               "line": {"color": "grey"}},
              {"type": "line", "x0": 2.5, "x1": 2.5, "y0": 0, "y1": 1, "yref": "paper"},
              {"type": "line", "x0": 3.5, "x1": 3.5, "y0": 0, "y1": 1, "yref": "y"},
              {"type": "rect", "x0": 0.0, "x1": 1.0, "y0": 0, "y1": 1, "yref": "paper"}]
    fig = {"data": [{"type": "bar", "orientation": "h", "y": ["a"], "x": [2.0], "base": [0.0]}],
           "layout": {"shapes": shapes}}
    ax = draw(fig).axes[0]
    got = [(tuple(ln.get_xdata()), tuple(ln.get_ydata()), ln.get_linestyle(), to_rgba(ln.get_color()),
            ln.get_linewidth()) for ln in ax.lines]
    assert got == [((1.5, 1.5), (0, 1), "--", to_rgba("#ff7f0e"), 1.0),
                   ((-0.5, -0.5), (0, 1), "-", to_rgba("grey"), 1.0),
                   ((2.5, 2.5), (0, 1), "-", BLACK, 1.0)]  # no line style given: solid black
    assert ax.get_legend() is None


def test_a_layout_without_shapes_or_axes_draws_only_the_data():
    fig = {"data": [{"type": "bar", "x": [0.0, 1.0], "y": [1.0, 2.0]}], "layout": {"title": "T"}}
    ax = draw(fig).axes[0]
    assert len(ax.lines) == 0 and len(ax.patches) == 2 and ax.get_title() == "T"


# --- to_html -------------------------------------------------------------------------------------

class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.decl, self.tags, self.scripts, self.title, self._in = None, [], [], "", None

    def handle_decl(self, decl):
        self.decl = decl

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.scripts[-1] += data


def test_the_page_inlines_plotly_and_the_figure_as_json():
    fig = {"data": [{"type": "bar", "x": [1.0], "y": [2.0], "name": "</script><!--<script>&x"}],
           "layout": {"title": {"text": "a & b"}}}
    page = to_html(fig, title="<Scores> & 'ranks'")
    js = get_plotlyjs()
    head, sep, rest = page.partition(js)
    assert sep == js
    assert head == ("<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
                    "<title>&lt;Scores&gt; &amp; &#x27;ranks&#x27;</title>\n<script>")
    m = re.fullmatch(r"</script></head>\n<body><div id='fig' style='width:100%;height:90vh'></div>\n"
                     r"<script>const f = (.*);\nPlotly\.newPlot\('fig', f\.data, f\.layout, "
                     r"\{responsive: true\}\);</script></body></html>\n", rest, flags=re.S)
    assert m is not None
    spec = m.group(1)
    # no "<" at all: a name can neither close the script ("</script>") nor put the HTML parser
    # into its escaped state ("<!--<script>", which hides the closing tag)
    assert not set("<>&") & set(spec)
    assert json.loads(spec) == fig  # yet the name reads back whole ("\u003c" is JSON for "<")
    parsed = _Page()
    parsed.feed(page)
    assert parsed.decl == "DOCTYPE html"
    assert parsed.title == "<Scores> & 'ranks'"
    assert parsed.scripts[0] == js and len(parsed.scripts) == 2
    assert ("div", {"id": "fig", "style": "width:100%;height:90vh"}) in parsed.tags
    assert ("meta", {"charset": "utf-8"}) in parsed.tags


def test_the_page_title_defaults_to_the_tool_name():
    page = to_html({"data": [], "layout": {}})
    assert "<title>autosafety</title>" in page and "const f = {\"data\": [], \"layout\": {}};\n" in page


# --- write_figure --------------------------------------------------------------------------------

def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_html_files_take_the_layout_title(tmp_path):
    fig = lines_figure()
    fig["layout"]["title"] = {"text": "Scores ≥ 5<br>ünïcode"}
    p = write_figure(fig, tmp_path / "s.html")
    assert p == tmp_path / "s.html"
    text = p.read_bytes().decode("utf-8")
    assert "<title>Scores ≥ 5\nünïcode</title>" in text
    spec = text.split("const f = ", 1)[1].split(";\nPlotly.newPlot", 1)[0]
    assert json.loads(spec) == fig


def test_html_files_are_utf8_whatever_the_locale(tmp_path):
    fig = lines_figure()
    fig["layout"]["title"] = {"text": "Scores ≥ 5"}
    saved = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")  # an ASCII locale: the default text encoding is ASCII
    try:
        p = write_figure(fig, tmp_path / "s.html")
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)
    assert "<title>Scores ≥ 5</title>" in p.read_bytes().decode("utf-8")


def test_upper_case_html_suffix_is_html(tmp_path):
    p = write_figure(lines_figure(), tmp_path / "s.HTML")
    assert p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_png_files_are_150_dpi_at_the_figure_size(tmp_path):
    p = write_figure(lines_figure(), tmp_path / "s.png")
    assert p == tmp_path / "s.png"
    assert png_size(p.read_bytes()) == (10 * 150, 825)  # 10 x 5.5 inches
    h = write_figure(heatmap([[0.1, 0.9]], ["a", "b"], ["r"], zmin=0, zmax=1, colorscale="Blues"),
                     tmp_path / "h.PNG")
    assert png_size(h.read_bytes()) == (1500, 7 * 150)


def test_svg_files_are_svg_at_the_figure_size_whatever_the_suffix_case(tmp_path):
    for name in ("s.svg", "s2.SVG", "s3.Svg"):
        p = write_figure(lines_figure(), tmp_path / name)
        text = p.read_text(encoding="utf-8")
        assert text.lstrip().startswith("<?xml") and "<svg" in text
        assert 'width="720pt" height="396pt"' in text  # 10 x 5.5 inches at 72 pt


def test_drawn_files_leave_no_open_figure(tmp_path):
    before = plt.get_fignums()
    write_figure(lines_figure(), tmp_path / "s.png")
    assert plt.get_fignums() == before


@pytest.mark.parametrize(("name", "shown"), [("r.pdf", ".pdf"), ("r.jpeg", ".jpeg"), ("plot", "plot"),
                                             ("r.html.bak", ".bak")])
def test_unknown_formats_are_named_with_the_fix(tmp_path, name, shown):
    with pytest.raises(InputError) as err:
        write_figure(lines_figure(), tmp_path / name)
    (problem,) = err.value.problems
    assert problem.location == f"--plot {tmp_path / name}"
    assert problem.message == f"unknown plot format '{shown}'"
    assert problem.fix == "use a .html, .svg or .png file name"
    assert not (tmp_path / name).exists()


def test_a_missing_folder_is_named_with_the_fix(tmp_path):
    target = tmp_path / "missing" / "r.svg"
    with pytest.raises(InputError) as err:
        write_figure(lines_figure(), target)
    (problem,) = err.value.problems
    assert problem.location == f"--plot {target}"
    assert problem.message == f"folder {tmp_path / 'missing'} does not exist"
    assert problem.fix == "create it first"
    assert not (tmp_path / "missing").exists()
