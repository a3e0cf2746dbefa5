"""The Timeline view in a real browser (Debian's Chromium via Playwright): the answer on the first
screen at 1280x800 and 390x844 with the API's numbers, live updates from the sliders, nothing stale
after a refused setting, a scenario as a link, no horizontal overflow, nothing fetched elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from autosafety.web.routers.timeline import PAGE_SETTINGS

from ._browser import watched_page

CONTEXT = {"bypass_csp": True}  # Playwright's wait_for_function evaluates strings (see test_browser.py)
PAGE_BODY = {k: PAGE_SETTINGS[k] for k in ("model", "draws", "seed", "subsample")}
"""What the page asks for with its default settings."""


def open_page(browser, server_url: str, width: int, height: int, fragment: str = "") -> Page:
    pg: Page = watched_page(browser, f"{server_url}/timeline{fragment}", width, height, **CONTEXT)
    wait_ready(pg)
    return pg


@pytest.fixture
def page(browser, server_url) -> Iterator[Page]:
    pg = open_page(browser, server_url, 1280, 800)
    yield pg
    errors = pg.errors  # type: ignore[attr-defined]
    pg.context.close()
    assert errors == []


def wait_ready(pg: Page, *, after: str | None = None) -> None:
    """Wait until the page shows a finished result (a newer one than ``after``, if given)."""
    pg.wait_for_function("(after) => document.body.dataset.ready && !document.body.dataset.busy "
                         "&& document.body.dataset.ready !== after", arg=after)


def ready(pg: Page) -> str:
    return str(pg.evaluate("document.body.dataset.ready"))


def api(server_url: str, **settings) -> dict:
    r = httpx.post(f"{server_url}/api/timeline", json={**PAGE_BODY, **settings}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def shown_rows(pg: Page) -> dict[str, tuple[str, str]]:
    """Area name -> (median, P(never)) as the table shows them."""
    return {r.locator("th").evaluate("th => th.firstElementChild.nextSibling.textContent"):
            (r.locator("td.median > span").first.inner_text(), r.locator("td").nth(3).inner_text())
            for r in pg.locator("#dates tbody tr[data-area]").all()}


def expected_rows(result: dict) -> dict[str, tuple[str, str]]:
    return {a["name"]: ("never" if a["p50"] is None else f"{a['p50']:.1f}", f"{a['p_never']:.2f}")
            for a in result["areas"]}


def in_first_screen(pg: Page, selector: str) -> bool:
    box = pg.locator(selector).bounding_box()
    assert box is not None
    return box["y"] >= 0 and box["y"] + box["height"] <= pg.viewport_size["height"]  # type: ignore[index]


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_first_screen_shows_the_headline_and_the_dates(browser, server_url, width, height):
    pg = open_page(browser, server_url, width, height)
    want = api(server_url)
    expect(pg.locator("#headline")).to_have_text(want["summary"]["headline"])
    assert shown_rows(pg) == expected_rows(want)
    assert "Agent Scaffolding" in pg.locator("#headline").inner_text()
    assert in_first_screen(pg, "#headline")
    # the table starts in the first screen, with at least the first category's areas
    assert in_first_screen(pg, "#dates tbody tr[data-area]:nth-child(2)")
    assert pg.evaluate("document.documentElement.scrollWidth") <= width
    assert pg.locator("nav.views a[href='/']").is_visible()
    assert pg.locator("nav.views a[href='/schemes']").is_visible()
    errors = pg.errors  # type: ignore[attr-defined]
    pg.context.close()
    assert errors == []


def test_no_horizontal_overflow_at_390_with_charts_and_settings_open(browser, server_url):
    pg = open_page(browser, server_url, 390, 844)
    pg.wait_for_function("document.getElementById('chart-pairs').data")  # Plotly loads late
    for summary in pg.locator("details > summary").all():
        summary.click()
    pg.wait_for_timeout(300)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    fan = pg.locator("#chart-fan").bounding_box()
    assert fan is not None and fan["width"] >= 340 and fan["height"] >= 280  # legible, not a sliver
    pg.context.close()


def test_typing_a_doubling_time_updates_the_numbers_to_the_apis(page, server_url):
    before = ready(page)
    page.fill("#n-doubling_time", "120")
    assert page.evaluate("document.getElementById('main').dataset.state") == "busy"  # marked at once
    wait_ready(page, after=before)
    want = api(server_url, doubling_time=120)
    assert shown_rows(page) == expected_rows(want)
    expect(page.locator("#headline")).to_have_text(want["summary"]["headline"])
    assert page.evaluate("document.getElementById('main').dataset.state") == "fresh"
    assert "doubling_time=120" in page.url  # the scenario is a link


def test_moving_a_slider_with_the_keyboard_recomputes(page, server_url):
    before = ready(page)
    old = shown_rows(page)
    page.locator("#r-milestone").focus()
    expect(page.locator(".ctl[data-field=milestone] .source")).to_be_visible()  # source on focus
    page.keyboard.press("End")  # milestone 100x
    wait_ready(page, after=before)
    assert page.input_value("#n-milestone") == "100"
    want = api(server_url, milestone=100)
    assert shown_rows(page) == expected_rows(want)
    assert shown_rows(page) != old


def test_a_bridge_constant_and_reliability_reach_the_engine(page, server_url):
    page.click("#bridge-box > summary")
    before = ready(page)
    page.fill("#n-bridge-ai_speed", "20")
    wait_ready(page, after=before)
    before = ready(page)
    page.check("input[name=reliability][value='0.8']")
    wait_ready(page, after=before)
    want = api(server_url, bridge={"ai_speed": 20}, reliability=0.8)
    assert shown_rows(page) == expected_rows(want)
    expect(page.locator(".ctl[data-field='bridge.ai_speed'] .kind")).to_have_text("your choice")


def test_a_refused_setting_is_shown_beside_it_and_the_results_marked_out_of_date(page, server_url):
    before = ready(page)
    page.fill("#n-doubling_time", "0")
    wait_ready(page, after=before)
    error = page.locator("[data-error-for=doubling_time]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("greater than 0")
    assert page.evaluate("document.getElementById('main').dataset.state") == "stale"
    expect(page.locator(".stale-badge").first).to_be_visible()
    assert "Up to date" not in page.locator("#status").inner_text()
    # a later valid value clears the message and the mark
    before = ready(page)
    page.fill("#n-doubling_time", "300")
    wait_ready(page, after=before)
    expect(error).to_be_hidden()
    assert page.evaluate("document.getElementById('main').dataset.state") == "fresh"
    assert shown_rows(page) == expected_rows(api(server_url, doubling_time=300))


def test_a_field_that_is_not_a_number_marks_the_results_out_of_date(page):
    page.fill("#n-reference_horizon", "")
    expect(page.locator("[data-error-for=reference_horizon]")).to_have_text("Enter a number.")
    assert page.evaluate("document.getElementById('main').dataset.state") == "stale"


def test_a_link_opens_its_scenario(browser, server_url):
    pg = open_page(browser, server_url, 1280, 800, "#trend=metr-2024-on&bridge.compute_fraction_max=0.08")
    want = api(server_url, trend="metr-2024-on", bridge={"compute_fraction_max": 0.08})
    assert shown_rows(pg) == expected_rows(want)
    assert pg.input_value("#trend") == "metr-2024-on"
    pg.context.close()


def test_nothing_is_fetched_from_another_origin(browser, server_url):
    pg = open_page(browser, server_url, 1280, 800)
    pg.wait_for_function("document.getElementById('chart-fan').data")
    requests = pg.requests  # type: ignore[attr-defined]
    assert requests and all(u.startswith(server_url) or u.startswith("data:") for u in requests)
    pg.context.close()


def test_the_main_page_links_to_the_timeline(browser, server_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, **CONTEXT)
    pg = context.new_page()
    pg.goto(server_url + "/")
    pg.click("a[href='/timeline']")
    pg.wait_for_url(f"{server_url}/timeline")
    expect(pg.locator("h1")).to_contain_text("10x")
    context.close()
