"""The Levers view in a real browser (Debian's Chromium via Playwright): the ranking is the engine's,
the timeline toggle's numbers are the engine's with the same seed, nothing stale after a refused
setting, the downloaded report is render_report's file and loads with no request leaving it, no
horizontal overflow at 390 px, nothing fetched from elsewhere."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from autosafety import load_model
from autosafety.levers import builtin_catalogue, rank_levers
from autosafety.levers._timeline import timeline_effects
from autosafety.report import render_report

from ._browser import watched_page

CONTEXT = {"bypass_csp": True}  # Playwright's wait_for_function evaluates strings
TIMING = re.compile(r"computed in [0-9.]+ s\.")


def open_page(browser, server_url: str, width: int, height: int, fragment: str = "") -> Page:
    pg: Page = watched_page(browser, f"{server_url}/levers{fragment}", width, height,
                            accept_downloads=True, **CONTEXT)
    settle(pg)
    return pg


@pytest.fixture
def page(browser, server_url) -> Iterator[Page]:
    pg = open_page(browser, server_url, 1280, 800)
    yield pg
    errors, requests = pg.errors, pg.requests  # type: ignore[attr-defined]
    pg.context.close()
    assert errors == []
    assert all(u.startswith(server_url) for u in requests), requests


def settle(pg: Page) -> None:
    """Wait until no result is being recomputed."""
    pg.wait_for_function("() => document.body.dataset.ready && !document.body.dataset.busy", timeout=60_000)


def rows(pg: Page, table: str) -> list[dict[str, float | str]]:
    return pg.eval_on_selector_all(f"{table} tbody tr", """trs => trs.map(tr => ({id: tr.dataset.lever,
        name: tr.querySelector('.lever-name').textContent, safety: Number(tr.dataset.safety),
        capabilities: Number(tr.dataset.capabilities), net: Number(tr.dataset.net),
        dp: tr.dataset.dp === undefined ? null : Number(tr.dataset.dp),
        cells: [...tr.querySelectorAll('td.num')].map(td => td.textContent)}))""")


def minus(text: str) -> float:
    return float(text.replace("−", "-").removesuffix(" mo"))


def no_overflow(pg: Page) -> bool:
    """No horizontal scrolling: nothing reaches past the window's right edge."""
    wide = pg.evaluate("""() => [...document.querySelectorAll('body *')].filter(e =>
        e.getBoundingClientRect().right > window.innerWidth + 0.5
        && getComputedStyle(e).visibility !== 'hidden')
        .map(e => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)""")
    width = pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (width, wide)
    return True


def test_the_ranking_is_rank_levers(page):
    model = load_model("wehner-2026")
    for units in (None, "2.5"):
        if units is not None:
            page.fill("#units", units)
            settle(page)
        want = rank_levers(model, units=float(units or 1)).to_dict()
        got = rows(page, "#ranking")
        assert [r["id"] for r in got] == [x["id"] for x in want["levers"]]
        assert [r["name"] for r in got] == [x["name"] for x in want["levers"]]
        for r, x in zip(got, want["levers"]):
            assert (r["safety"], r["capabilities"], r["net"]) == (x["safety"], x["capabilities"], x["net"])
            if not x["timeline_only"]:   # shown: rank, safety, capabilities, net to 3 decimals
                assert [minus(c) for c in r["cells"][1:]] == pytest.approx(
                    [x["safety"], x["capabilities"], x["net"]], abs=0.0005 + 1e-12)
            else:
                assert r["cells"][1] == "timeline only"
        best = want["levers"][0]
        expect(page.locator("#headline")).to_contain_text(
            f"{best['name']} closes the gap most: {best['net']:+.3f}")
        assert page.locator("#answer").get_attribute("data-state") == "fresh"
    assert page.url.endswith("#units=2.5")


def test_the_post_sentence_shows_on_hover_and_on_focus(page):
    quotes = {lv.id: lv.quote for lv in builtin_catalogue().levers}
    first = page.locator("#ranking tbody tr").first
    lever = first.get_attribute("data-lever")
    quote = first.locator(".quote")
    expect(quote).to_be_hidden()
    first.locator(".lever-name").hover()
    expect(quote).to_be_visible()
    assert quotes[lever].split()[0] in quote.inner_text()
    page.mouse.move(5, 5)
    expect(quote).to_be_hidden()
    second = page.locator("#ranking tbody tr").nth(1)
    second.locator(".lever-name").focus()
    expect(second.locator(".quote")).to_be_visible()
    assert quotes[second.get_attribute("data-lever")][:30] in second.locator(".quote").inner_text()


def test_the_timeline_toggle_is_the_engine_with_the_same_seed(page):
    expect(page.locator("#tl")).to_be_hidden()
    page.select_option("#draws", "2000")
    page.fill("#seed", "4")
    page.check("#timeline")
    settle(page)
    want = timeline_effects(load_model("wehner-2026"), draws=2000, seed=4).to_dict()
    got = rows(page, "#tl-table")
    assert [r["id"] for r in got] == [x["id"] for x in want["levers"]]
    assert [r["name"] for r in got] == [x["name"] for x in want["levers"]]
    for r, x in zip(got, want["levers"]):
        assert (r["safety"], r["capabilities"], r["net"], r["dp"]) == \
            (x["safety_months"], x["capabilities_months"], x["net_months"], x["dp"])
        assert [minus(c) for c in r["cells"][1:4]] == pytest.approx(
            [x["safety_months"], x["capabilities_months"], x["net_months"]], abs=0.005 + 1e-12)
    b = want["baseline"]
    expect(page.locator("#tl-baseline")).to_contain_text(
        f"safety areas {b['safety_median']:.2f}, of the capabilities areas {b['capabilities_median']:.2f}")
    assert page.locator("#tl").get_attribute("data-state") == "fresh"
    assert "timeline=1" in page.url and "seed=4" in page.url and "draws=2000" in page.url
    # the units move both: after the change both are the engine's again
    page.fill("#units", "2")
    settle(page)
    want2 = timeline_effects(load_model("wehner-2026"), draws=2000, seed=4, units=2).to_dict()
    assert [r["net"] for r in rows(page, "#tl-table")] == [x["net_months"] for x in want2["levers"]]
    expect(page.locator("#report-command")).to_have_text(
        "autosafety report wehner-2026 --timeline --levers --seed 4")


def test_a_refused_setting_marks_every_result_out_of_date(page):
    page.select_option("#draws", "2000")
    page.check("#timeline")
    settle(page)
    before = rows(page, "#ranking")
    page.fill("#units", "-3")
    settle(page)
    assert page.locator("#answer").get_attribute("data-state") == "stale"
    assert page.locator("#tl").get_attribute("data-state") == "stale"
    expect(page.locator("#problems")).to_contain_text("units: -3 is not a number of units from 0 to 10")
    expect(page.locator('[data-error-for="units"]')).to_be_visible()
    expect(page.locator("#status")).to_contain_text("Out of date")
    expect(page.locator("#answer .stale-badge")).to_be_visible()
    assert rows(page, "#ranking") == before   # kept, but marked
    page.fill("#units", "1")
    settle(page)
    assert page.locator("#answer").get_attribute("data-state") == "fresh"
    assert page.locator("#tl").get_attribute("data-state") == "fresh"
    expect(page.locator("#problems")).to_be_hidden()


def test_a_link_opens_the_same_view(browser, server_url):
    pg = open_page(browser, server_url, 1280, 800, "#model=safety-fields-2026&units=2")
    try:
        want = rank_levers(load_model("safety-fields-2026"), units=2).to_dict()
        assert [r["net"] for r in rows(pg, "#ranking")] == [x["net"] for x in want["levers"]]
        assert pg.locator("#head-capabilities").is_hidden()
        names = {lv.id: lv.name for lv in builtin_catalogue().levers}
        notes = pg.locator("#notes").inner_text()
        assert f"Not applicable: {names['regulation']}" in notes   # names, not ids
        assert pg.errors == []  # type: ignore[attr-defined]
    finally:
        pg.context.close()


def test_the_downloaded_report_is_render_report_and_loads_offline(page, tmp_path, browser):
    with page.expect_download(timeout=120_000) as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename == "autosafety-report-wehner-2026.html"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    expect(page.locator("#report-status")).to_have_text("Downloaded autosafety-report-wehner-2026.html.")
    cmd = ("autosafety report wehner-2026 --levers --draws 20000 --seed 0 --format html "
           "--out autosafety-report-wehner-2026.html")
    want = render_report("wehner-2026", levers=True, draws=20_000, seed=0, command=cmd)
    text = path.read_text("utf-8")
    assert TIMING.sub("", text) == TIMING.sub("", want)
    # opened from the disk, with its own Content-Security-Policy: no request but the file itself
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    seen: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: seen.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(path.as_uri())
    pg.wait_for_selector("#fig-levers .main-svg, .fig .main-svg", timeout=30_000)
    assert seen == [path.as_uri()] and errors == []
    assert pg.locator("#levers").count() == 1
    ctx.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_screens_answer_first_and_no_overflow(browser, server_url, width, height):
    pg = open_page(browser, server_url, width, height)
    try:
        box = pg.locator("#headline").bounding_box()
        assert box is not None and box["y"] + box["height"] <= height
        first_row = pg.locator("#ranking tbody tr").first.bounding_box()
        assert first_row is not None and first_row["y"] + first_row["height"] <= height
        assert no_overflow(pg)
        pg.screenshot(path=f"/tmp/levers-{width}x{height}.png")
        pg.select_option("#draws", "2000")
        pg.check("#timeline")
        settle(pg)
        assert no_overflow(pg)
        pg.mouse.move(0, 0)
        pg.screenshot(path=f"/tmp/levers-timeline-{width}x{height}.png", full_page=True)
        pg.locator("#tl-table tbody").scroll_into_view_if_needed()
        pg.screenshot(path=f"/tmp/levers-tl-{width}x{height}.png")
        pg.locator("#ranking .lever-name").nth(3).focus()   # the sentence shown: still no overflow
        assert no_overflow(pg)
        pg.locator("#ranking").scroll_into_view_if_needed()
        pg.screenshot(path=f"/tmp/levers-quote-{width}x{height}.png")
        assert pg.errors == []  # type: ignore[attr-defined]
    finally:
        pg.context.close()
