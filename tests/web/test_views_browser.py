"""Every view as a researcher first meets it (issue 13), in Debian's Chromium: the answer in the
first screen, one navigation bar, no horizontal overflow at 1280 and 390 px, an axe-core scan, no
request leaving the server, /docs and /redoc offline, and nothing stale after a refused request,
a model switch or an invalid scheme. Screenshots of every view at both sizes go to
artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from autosafety.model import load_model

from ._browser import SHOTS, SIZES, screenshots, serious_axe_violations

VIEWS = {"model": "/", "timeline": "/timeline", "levers": "/levers", "campaigns": "/campaigns",
         "schemes": "/schemes", "docs": "/docs", "redoc": "/redoc"}
NAV = ["Factor model", "Timeline", "Levers", "Campaigns", "Schemes", "API docs"]
# What shows that each view has finished drawing (CSS selectors: no eval, so the page's CSP holds).
READY = {"model": "body[data-analysed] #answer[data-state=fresh]", "timeline": "#dates tbody tr",
         "levers": "body[data-ready] #answer[data-state=fresh]", "campaigns": "body[data-ready]",
         "schemes": "body[data-ready] #result-pane:not([hidden])", "docs": ".opblock",
         "redoc": "[data-section-id^='operation']"}


def open_view(browser: Browser, server_url: str, view: str, size: str, *, bypass_csp: bool = False,
              hosts: set[str] | None = None) -> Page:
    context = browser.new_context(viewport=SIZES[size], is_mobile=size.startswith("390"),
                                  bypass_csp=bypass_csp)
    pg = context.new_page()
    if hosts is not None:
        pg.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    pg.goto(server_url + VIEWS[view])
    pg.wait_for_selector(READY[view], timeout=30_000)
    pg.wait_for_timeout(400)  # charts settle (Plotly redraws once it has loaded)
    return pg


def contrast(fg: tuple[float, ...], bg: tuple[float, ...]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (0-255)."""
    def lum(c: tuple[float, ...]) -> float:
        ch = [x / 255 for x in c[:3]]
        lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in ch]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def rgb(css: str) -> tuple[float, ...]:
    if css.startswith("#"):
        return tuple(int(css[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(float(x) for x in re.findall(r"[\d.]+", css)[:3])


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view_has_nav_no_overflow_no_outside_request_and_passes_axe(browser, server_url, view, size):
    hosts: set[str] = set()
    pg = open_view(browser, server_url, view, size, bypass_csp=True, hosts=hosts)
    links = pg.locator("nav.views a")
    assert links.all_inner_texts() == NAV
    assert pg.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    screenshots(pg, f"view-{view}-{size}")
    assert serious_axe_violations(pg) == []
    assert hosts == {server_url.split("/")[2]}
    pg.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_answer_is_in_the_first_screen(browser, server_url, size):
    pg = open_view(browser, server_url, "model", size)
    data = load_model("wehner-2026").score().to_dict()
    top = data["areas"][0]
    cats = data["categories"]
    headline = pg.locator("#headline")
    # independent of the page's wording code: the numbers the model gives, in the sentence
    expect(headline).to_contain_text(
        f"Capabilities comes first: its areas average {cats['capabilities']:.2f}, "
        f"safety's {cats['safety']:.2f} (a gap of {cats['capabilities'] - cats['safety']:.2f})")
    expect(headline).to_contain_text(f"Top area: {top['name']} ({top['category']}, {top['score']:.2f})")
    height = SIZES[size]["height"]
    box = headline.bounding_box()
    assert box and box["y"] + box["height"] <= height
    # the ranking: the first rows of the table on a phone, the chart's bars on a wide screen
    first = pg.locator("#chart-ranking .bars path").first if size == "1280x800" \
        else pg.locator("#ranking tbody tr").nth(4)
    box = first.bounding_box()
    assert box and box["y"] + box["height"] <= height
    gap = pg.locator("#category-scores .gap")
    box = gap.bounding_box()
    assert box and box["y"] + box["height"] <= height, "the category gap is below the fold"
    if size == "1280x800":  # the weights sit beside the answer
        weights = pg.locator("#weights").bounding_box()
        assert weights and weights["y"] < height / 2 and weights["x"] > 600
    pg.context.close()


def test_heatmap_text_meets_wcag_contrast(browser, server_url):
    pg = open_view(browser, server_url, "model", "1280x800", bypass_csp=True)
    cells = pg.evaluate("""[...document.querySelectorAll('#grid td.cell')].map(td => {
        const cs = getComputedStyle(td); const inp = td.querySelector('input');
        return [getComputedStyle(inp).color, cs.backgroundColor]; })""")
    assert len(cells) == 70
    worst = min(contrast(rgb(fg), rgb(bg)) for fg, bg in cells)
    assert worst >= 4.5
    # the rank heatmap: dark text on a scale from white to its darkest colour (luminance is
    # monotone along the scale, so the darkest end is the worst case)
    trace = pg.evaluate("document.getElementById('chart-acceptability').data[0]")
    assert trace["texttemplate"]
    darkest = trace["colorscale"][-1][1]
    assert contrast(rgb(trace["textfont"]["color"]), rgb(darkest)) >= 4.5
    ticks = pg.evaluate(
        "[...document.querySelectorAll('#chart-acceptability .xtick text')].map(t => t.textContent)")
    assert ticks == [str(k) for k in range(1, 11)]  # integer ranks, every one
    pg.context.close()


def status(pg: Page) -> str:
    return pg.locator("#status").inner_text()


def test_refused_request_then_model_switch_leaves_nothing_stale(browser, server_url):
    pg = open_view(browser, server_url, "model", "1280x800", bypass_csp=True)
    old_names = {a.name for a in load_model("wehner-2026").areas}
    new_names = {a.name for a in load_model("safety-fields-2026").areas}
    assert old_names - new_names and new_names - old_names
    pg.locator("#mc-form input[name=draws]").fill("999999")
    pg.locator("#mc-form button").click()
    expect(pg.locator("#analysis-panel")).to_have_attribute("data-state", "stale")
    expect(pg.locator("#err-draws")).to_contain_text("less than or equal to")  # beside the field
    expect(pg.locator("#analysis-panel .stale-badge")).to_be_visible()
    assert "Up to date" not in status(pg)
    expect(pg.locator("#status")).to_contain_text("refused")
    pg.locator("#model-select").select_option("safety-fields-2026")
    # every dependent panel: recomputed (ranking, compare) or cleared (analysis, still refused)
    want = [a["name"] for a in load_model("safety-fields-2026").score().to_dict()["areas"]]
    pg.wait_for_function("(n) => document.querySelector('#ranking tbody td:nth-child(2)').textContent === n",
                         arg=want[0])
    expect(pg.locator("#analysis-panel")).to_have_attribute("data-state", "stale")
    traces = pg.evaluate("(document.getElementById('chart-mc').data || []).map(t => t.name)")
    assert traces == []
    assert pg.locator("#flips").inner_text().strip() == ""
    # the compare table: the new model's areas against its own published numbers
    table = pg.locator("#compare table", has=pg.locator("caption", has_text=re.compile("^Ranking$")))
    expect(table.locator("tbody tr")).to_have_count(len(want))
    assert sorted(table.locator("tbody td:first-child").all_inner_texts()) == sorted(want)
    expect(pg.locator("#compare-panel")).to_have_attribute("data-state", "fresh")
    assert "Up to date" not in status(pg)
    # a valid setting: the analysis of the new model, and only then "Up to date"
    pg.locator("#mc-form input[name=draws]").fill("500")
    pg.locator("#mc-form button").click()
    expect(pg.locator("#analysis-panel")).to_have_attribute("data-state", "fresh")
    names = pg.evaluate(
        "document.getElementById('chart-mc').data.map(t => t.name.replace(/ \\([^)]*\\)$/, ''))")
    assert set(names) == set(want)
    expect(pg.locator("#status")).to_have_text("Up to date.")
    expect(pg.locator("#err-draws")).to_have_text("")
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "model-switched-1280x800.png"), full_page=True)
    pg.context.close()


def test_an_invalid_cell_marks_the_results_out_of_date_until_fixed(browser, server_url):
    pg = open_view(browser, server_url, "model", "390x844", bypass_csp=True)
    cell = pg.locator("#grid input[data-area=alignment_theory][data-factor=feedback_quality]")
    cell.fill("42")
    expect(pg.locator("#grid-problems")).to_contain_text("Alignment Theory, Feedback quality/verifiability")
    expect(pg.locator("#grid-problems")).to_contain_text("from 1 to 10")
    expect(pg.locator("#answer")).to_have_attribute("data-state", "stale")
    expect(pg.locator("#status")).to_contain_text("Out of date")
    pg.wait_for_timeout(1500)  # nothing recomputes it behind the message's back
    assert "Up to date" not in status(pg)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "invalid-cell-390x844.png"))
    cell.fill("10")
    model = load_model("wehner-2026").score(ratings={("alignment_theory", "feedback_quality"): 10})
    score = dict(zip(model.model.area_ids, model.scores))["alignment_theory"]
    expect(pg.locator("#ranking tr[data-area=alignment_theory] td").nth(3)).to_have_text(f"{score:.2f}")
    expect(pg.locator("#status")).to_have_text("Up to date.", timeout=20_000)
    expect(pg.locator("#grid-problems")).to_be_hidden()
    pg.context.close()


def ranking_names(pg: Page) -> list[str]:
    return pg.locator("#ranking tbody td:nth-child(2)").all_inner_texts()


def test_destructive_buttons_can_be_undone(browser, server_url):
    pg = open_view(browser, server_url, "model", "1280x800", bypass_csp=True)
    published = [a["name"] for a in load_model("wehner-2026").score().to_dict()["areas"]]
    assert ranking_names(pg) == published
    pg.get_by_role("button", name="Remove area Interpretability").click()
    expect(pg.locator("#ranking tbody tr")).to_have_count(9)
    expect(pg.locator("#undo")).to_contain_text('Removed area "Interpretability".')
    pg.get_by_role("button", name="Undo").click()
    expect(pg.locator("#ranking tbody tr")).to_have_count(10)
    pg.wait_for_function("(n) => [...document.querySelectorAll('#ranking tbody td:nth-child(2)')]"
                         ".map(t => t.textContent).join('|') === n", arg="|".join(published))
    pg.get_by_role("button", name="Remove factor Scheming AIs").click()
    no_scheming = load_model("wehner-2026").score(weights={"scheming_risk": 0.0}).to_dict()["areas"]
    expect(pg.locator("#ranking tbody td:nth-child(4)").first).to_have_text(f"{no_scheming[0]['score']:.2f}")
    pg.get_by_role("button", name="Undo").click()
    expect(pg.locator("#ranking tbody td:nth-child(4)").first).to_have_text("7.35")
    expect(pg.locator("#grid input[data-factor=scheming_risk]")).to_have_count(10)
    # a saved scenario
    pg.locator("#save-form input[name=name]").fill("to be deleted")
    pg.locator("#save-form button").click()
    item = pg.locator("#scenario-list li", has_text="to be deleted")
    expect(item).to_have_count(1)
    item.get_by_role("button", name="Delete scenario to be deleted").click()
    expect(item).to_have_count(0)
    pg.get_by_role("button", name="Undo").click()
    expect(item).to_have_count(1)
    pg.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_docs_render_offline_under_our_csp(browser, server_url, size):
    import httpx

    paths = httpx.get(server_url + "/openapi.json").json()["paths"]
    operations = sum(len([m for m in ops if m in ("get", "post", "put", "delete", "patch")])
                     for ops in paths.values())
    hosts: set[str] = set()
    errors: list[str] = []
    pg = open_view(browser, server_url, "docs", size, hosts=hosts)  # the real CSP
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    expect(pg.locator(".opblock")).to_have_count(operations)
    expect(pg.locator(".opblock-summary-path", has_text="/api/score")).to_have_count(1)
    csp = httpx.get(server_url + "/docs").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp.split("script-src")[1].split(";")[0]
    pg.context.close()
    pg = open_view(browser, server_url, "redoc", size, hosts=hosts)
    expect(pg.get_by_text("/api/score").first).to_be_attached()
    pg.context.close()
    assert hosts == {server_url.split("/")[2]}
    assert errors == []


def test_schemes_key_fields_apply_and_an_invalid_scheme_clears_the_old_result(browser, server_url):
    pg = open_view(browser, server_url, "schemes", "390x844", bypass_csp=True)
    pg.select_option("#example", "human-scalable-oversight")
    expect(pg.locator("#level")).to_contain_text("Level 1")
    pg.select_option("#f-written-by", "ai")  # needs a controller the example does not have
    pg.locator("#apply-form").click()
    expect(pg.locator("#level")).to_contain_text("Level 2")
    expect(pg.locator("#errors")).to_be_hidden()
    expect(pg.locator("#scheme-yaml")).to_have_value(re.compile(r"controller:\s*\n\s+model:"))
    pg.locator("#scheme-yaml").fill("name: broken\nalgorithm: {written_by: nobody}\n")
    pg.locator("#assess").click()
    expect(pg.locator("#errors")).to_be_visible()
    expect(pg.locator("#result-pane")).to_be_hidden()
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    expect(pg.locator("nav.views").get_by_role("link", name="Factor model")).to_have_attribute("href", "/")
    pg.context.close()
