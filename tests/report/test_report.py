"""The report: every section, the exact command and version, offline in Chromium, Markdown + SVG."""

import json
import re

import pytest

from autosafety import __version__
from autosafety.report import render_report

SECTIONS = ["Inputs and provenance", "Scores", "Uncertainty and sensitivity",
            "What would change the conclusion", "Timeline: when does each area reach a 10x speedup?",
            "Levers: what would change the order", "Safer bets: robust top 3 of the safety areas",
            "Reproduce"]


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    from autosafety.cli import main

    out = tmp_path_factory.mktemp("report") / "report.html"
    with pytest.raises(SystemExit) as done:
        main(["report", "wehner-2026", "--timeline", "--levers", "--draws", "3000", "--out", str(out)])
    assert done.value.code in (0, None)
    return out


def test_every_section_command_and_version(report_file):
    html = report_file.read_text()
    for title in SECTIONS:
        assert f"<h2>{title}</h2>" in html, title
    assert f"autosafety {__version__}" in html
    assert ("autosafety report wehner-2026 --timeline --levers --draws 3000 --seed 0 --format html --out"
            in html)
    # the published table's numbers and the levers' ranking are in it
    assert "<td>7.35</td>" in html and "<td>+1.24</td>" in html
    assert "Improve feedback quality" in html and "P(top 3)" in html
    assert "would have to rise from 2.5 to 5.442" in html
    # the page itself names nothing to fetch (the inlined plotly.js is checked in Chromium)
    page = re.sub(r"<script>.*?</script>", "", html, flags=re.S)
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)
    assert "<link" not in page and "cdn.plot.ly" not in html
    figs = json.loads(re.search(r'<script id="figures" type="application/json">(.*?)</script>', html, re.S)
                      .group(1))
    assert set(figs) == {"ranks", "gap", "tornado", "fan", "cdf", "levers", "safer-bets"}


def test_loads_in_chromium_with_no_request_leaving_the_file(report_file, browser):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    requests, errors = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def route(r):
        requests.append(r.request.url)
        if r.request.url == report_file.as_uri():
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.goto(report_file.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 7")
    assert requests == [report_file.as_uri()]
    assert errors == []
    assert page.locator(".js-plotly-plot").count() == 7
    assert page.evaluate("document.documentElement.scrollWidth") <= 390   # nothing cut off at 390 px
    page.close()


def test_markdown_with_svg_figures(cli, tmp_path):
    out = tmp_path / "r.md"
    r = cli("report", "safety-fields-2026", "--levers", "--draws", "2000", "--format", "md",
            "--out", str(out))
    assert r.code == 0, r.err
    text = out.read_text()
    assert "## Scores" in text and "## Safer bets: robust top 3 of the safety areas" in text
    svgs = sorted(p.name for p in (tmp_path / "r_files").iterdir())
    assert svgs == ["levers.svg", "ranks.svg", "safer-bets.svg"]
    for name in svgs:
        assert f"(r_files/{name})" in text
        assert (tmp_path / "r_files" / name).read_text().lstrip().startswith("<?xml")


def test_render_report_is_a_string_for_the_web():
    html = render_report("safety-fields-2026", draws=500)
    assert html.startswith("<!DOCTYPE html>") and "Scores" in html and "Levers" not in html


@pytest.mark.parametrize(("args", "text"), [
    (["--format", "pdf"], "unknown report format 'pdf'"),
    (["--draws", "0"], "--draws: 0 is outside"),
])
def test_bad_options_exit_2(cli, tmp_path, args, text):
    r = cli("report", "wehner-2026", "--out", str(tmp_path / "x.html"), *args)
    assert r.code == 2 and text in r.err


def test_refuses_to_overwrite(cli, tmp_path):
    out = tmp_path / "x.html"
    out.write_text("mine")
    r = cli("report", "safety-fields-2026", "--draws", "200", "--out", str(out))
    assert r.code == 2 and "file exists" in r.err and out.read_text() == "mine"


def test_a_hostile_area_name_cannot_end_the_figures_script():
    from autosafety.model import load_model

    m = load_model("safety-fields-2026")
    areas = [dict(a, name="</script><!--<script>" if i == 0 else a["name"])
             for i, a in enumerate(m.spec.model_dump()["areas"])]
    html = render_report(m.replace(areas=areas), draws=500)
    block = html.split('<script id="figures" type="application/json">', 1)[1]
    spec, sep, after = block.partition("</script>")
    assert sep and "<" not in spec  # nothing inside can close the element or open a comment
    assert "</script><!--<script>" in json.dumps(json.loads(spec), ensure_ascii=False)
    assert "</body>" in after
