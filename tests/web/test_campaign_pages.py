"""The campaign pages in a real browser (Debian's Chromium via Playwright): a rater answers by
keyboard and finds the answers after a reload; two tabs on one cell never lose an update silently;
round 2 shows the group; the organiser creates a campaign, reads the dashboard and closes a round;
no horizontal overflow at 1280x800 and 390x844; axe-core finds nothing serious; screenshots."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from ._browser import SHOTS, SIZES, screenshots, serious_axe_violations


def create(server_url: str, **body) -> dict:
    r = httpx.post(f"{server_url}/api/campaigns", json={
        "model": "wehner-2026", "name": "Pilot: safety automation", "cells": ["interpretability:*"],
        "raters": 3, "rounds": 2, **body}, timeout=30)
    assert r.status_code == 201, r.text
    return r.json()


def put(server_url: str, token: str, factor: str, version: int = 0, **answer) -> httpx.Response:
    body = {"value": 5.0, "low": 3.0, "high": 7.0, "rationale": "", "not_my_area": False, **answer,
            "version": version}
    return httpx.put(f"{server_url}/api/rater/answers/interpretability/{factor}", json=body,
                     headers={"authorization": f"Bearer {token}"}, timeout=30)


def stored(server_url: str, token: str) -> dict[str, dict | None]:
    view = httpx.get(f"{server_url}/api/rater", headers={"authorization": f"Bearer {token}"}).json()
    return {c["factor"]: c["answer"] for c in view["cells"]}


def new_page(browser: Browser, size: str = "1280x800", *, bypass_csp: bool = False) -> Page:
    context = browser.new_context(viewport=SIZES[size], is_mobile=size.startswith("390"),
                                  bypass_csp=bypass_csp)
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    return pg


def open_rate(pg: Page, server_url: str, token: str) -> None:
    pg.goto(f"{server_url}/rate#{token}")
    pg.wait_for_selector("body[data-ready='1'] .cell")


def cell(pg: Page, factor: str):
    return pg.locator(f".cell[data-factor='{factor}']")


def test_a_rater_answers_two_cells_by_keyboard_reloads_and_finds_them(browser, server_url):
    token = create(server_url)["raters"][0]["token"]
    pg = new_page(browser)
    open_rate(pg, server_url, token)
    first = cell(pg, "task_length")
    expect(first.locator("input[type=number]").first).to_be_focused()
    pg.keyboard.type("4")
    pg.keyboard.press("Tab")
    pg.keyboard.type("2")
    pg.keyboard.press("Tab")
    pg.keyboard.type("6.5")
    pg.keyboard.press("Tab")
    pg.keyboard.type("Tasks are days long.")
    pg.keyboard.press("Tab")   # "not my area"
    pg.keyboard.press("Enter")  # saves and moves on
    second = cell(pg, "insight_vs_engineering")
    expect(second.locator("input[type=number]").first).to_be_focused()
    pg.keyboard.type("7")
    pg.keyboard.press("Enter")
    expect(first.locator(".save-state")).to_contain_text("Saved")
    expect(second.locator(".save-state")).to_contain_text("Saved")
    expect(pg.locator("#progress-text")).to_have_text("2 of 7 answered.")
    got = stored(server_url, token)
    assert (got["task_length"]["value"], got["task_length"]["low"], got["task_length"]["high"]) == (4, 2, 6.5)
    assert got["task_length"]["rationale"] == "Tasks are days long."
    assert got["insight_vs_engineering"]["value"] == 7 and got["insight_vs_engineering"]["low"] is None
    pg.reload()
    pg.wait_for_selector("body[data-ready='1'] .cell")
    assert first.locator("input[type=number]").nth(0).input_value() == "4"
    assert first.locator("input[type=number]").nth(2).input_value() == "6.5"
    assert first.locator("textarea").input_value() == "Tasks are days long."
    assert second.locator("input[type=number]").first.input_value() == "7"
    # resumes at the first question not answered yet
    expect(cell(pg, "data_availability").locator("input[type=number]").first).to_be_focused()
    expect(pg.locator("#status")).to_contain_text("question 3")
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "campaign-rate-resumed-1280x800.png"))
    assert pg.errors == []  # type: ignore[attr-defined]
    pg.context.close()


def test_an_incomplete_interval_is_not_sent_and_a_bad_value_is_located(browser, server_url):
    token = create(server_url)["raters"][0]["token"]
    pg = new_page(browser)
    open_rate(pg, server_url, token)
    first = cell(pg, "task_length")
    value, low = first.locator("input[type=number]").nth(0), first.locator("input[type=number]").nth(1)
    value.fill("5")
    low.fill("2")
    pg.keyboard.press("Tab")
    expect(first.locator(".save-state")).to_contain_text("give both ends")
    # the value alone was a whole answer (saved on leaving it); the half interval is not sent
    saved = stored(server_url, token)["task_length"]
    assert (saved["value"], saved["low"], saved["high"], saved["version"]) == (5.0, None, None, 1)
    value.fill("12")
    low.fill("")
    first.locator("textarea").focus()
    expect(first.locator(".save-state")).to_contain_text("Not saved")
    expect(first.locator(".field-error")).to_contain_text("off the scale 1-10")
    expect(value).to_have_attribute("aria-invalid", "true")
    assert stored(server_url, token)["task_length"]["value"] == 5.0
    pg.context.close()


def test_not_my_area_by_keyboard_saves_without_numbers(browser, server_url):
    token = create(server_url)["raters"][0]["token"]
    pg = new_page(browser)
    open_rate(pg, server_url, token)
    for _ in range(4):          # rating, 5th, 95th, rationale -> the checkbox
        pg.keyboard.press("Tab")
    pg.keyboard.press("Space")
    first = cell(pg, "task_length")
    expect(first.locator(".save-state")).to_contain_text("Saved")
    expect(first.locator("input[type=number]").first).to_be_disabled()
    saved = stored(server_url, token)["task_length"]
    assert saved["not_my_area"] is True and saved["value"] is None
    expect(pg.locator("#progress-text")).to_have_text("1 of 7 answered.")
    pg.context.close()


def test_two_tabs_on_one_cell_the_stale_one_loads_the_newer_answer(browser, server_url):
    token = create(server_url)["raters"][0]["token"]
    a, b = new_page(browser), new_page(browser)
    open_rate(a, server_url, token)
    open_rate(b, server_url, token)
    value_a = cell(a, "task_length").locator("input[type=number]").first
    value_a.fill("3")
    value_a.press("Enter")
    expect(cell(a, "task_length").locator(".save-state")).to_contain_text("Saved")
    value_b = cell(b, "task_length").locator("input[type=number]").first
    value_b.fill("9")
    value_b.press("Enter")
    state_b = cell(b, "task_length").locator(".save-state")
    expect(state_b).to_contain_text("changed in another tab")
    expect(value_b).to_have_value("3")
    assert cell(b, "task_length").get_attribute("data-state") == "conflict"
    # Enter moved on: the message at the top (always in view) says so, and leads back
    expect(b.locator("#status")).to_contain_text("Question 1 (Interpretability: Task length) was changed")
    b.locator("#status button").click()
    expect(value_b).to_be_focused()
    SHOTS.mkdir(parents=True, exist_ok=True)
    b.screenshot(path=str(SHOTS / "campaign-rate-conflict-1280x800.png"))
    assert stored(server_url, token)["task_length"]["value"] == 3
    # editing again from the newer answer saves (version 1 -> 2)
    value_b.fill("8")
    value_b.press("Enter")
    expect(state_b).to_contain_text("Saved")
    assert stored(server_url, token)["task_length"]["version"] == 2
    a.context.close()
    b.context.close()


def round_two(server_url: str) -> dict:
    """A campaign in round 2 with three raters' round-1 answers and rationales."""
    made = create(server_url, raters=["Ada", "Bo", "Cy"])
    tokens = [r["token"] for r in made["raters"]]
    for token, v, why in zip(tokens, (2.0, 8.0, 5.0), ("Short loops.", "Months-long projects.", "")):
        put(server_url, token, "task_length", value=v, low=max(1.0, v - 2), high=min(10.0, v + 2),
            rationale=why)
        put(server_url, token, "feedback_quality", value=v / 2 + 2, low=1.0, high=9.0)
    r = httpx.post(f"{server_url}/api/campaigns/{made['id']}/rounds/close",
                   headers={"authorization": f"Bearer {made['organiser_token']}"})
    assert r.status_code == 200
    return made


def test_round_two_shows_the_group_and_keeps_an_answer_with_enter(browser, server_url):
    made = round_two(server_url)
    token = made["raters"][0]["token"]
    pg = new_page(browser)
    open_rate(pg, server_url, token)
    group = cell(pg, "task_length").locator(".group")
    expect(group).to_contain_text("Round 1, the group: 3 answers, median 5")
    expect(group).to_contain_text("your answer 2 (interval 1–4)")
    text = group.inner_text()
    assert "Bo" not in text and "R02" not in text
    group.locator("summary").click()
    expect(group.locator("blockquote")).to_have_text(["Months-long projects."])
    value = cell(pg, "task_length").locator("input[type=number]").first
    expect(value).to_have_value("2")   # round 1's answer filled in
    value.focus()
    value.press("Enter")
    expect(cell(pg, "task_length").locator(".save-state")).to_contain_text("Saved")
    assert stored(server_url, token)["task_length"]["value"] == 2.0
    pg.context.close()


def test_a_round_closed_while_the_form_is_open_refuses_and_locks_it(browser, server_url):
    made = create(server_url, rounds=1)
    token = made["raters"][0]["token"]
    pg = new_page(browser)
    open_rate(pg, server_url, token)
    r = httpx.post(f"{server_url}/api/campaigns/{made['id']}/rounds/close",
                   headers={"authorization": f"Bearer {made['organiser_token']}"})
    assert r.json()["finished"] is True
    value = cell(pg, "task_length").locator("input[type=number]").first
    value.fill("6")
    value.press("Enter")
    expect(pg.locator("#status")).to_contain_text("The round has been closed")
    expect(value).to_be_disabled()
    assert stored(server_url, token)["task_length"] is None
    pg.reload()
    pg.wait_for_selector("body[data-ready='1'] .cell")
    expect(pg.locator("#round")).to_contain_text("Round 1 of 1 (closed)")
    expect(cell(pg, "insight_vs_engineering").locator("textarea")).to_be_disabled()
    pg.context.close()


def test_the_organiser_creates_a_campaign_and_closes_a_round_on_the_dashboard(browser, server_url):
    pg = new_page(browser)
    pg.goto(f"{server_url}/campaigns")
    pg.fill("#name", "Browser-made")
    pg.fill("#cells", "interpretability:*, ai_control:task_length")
    pg.fill("#names", "Ada\nBo")
    pg.click("button[type=submit].primary")
    expect(pg.locator("#created-title")).to_contain_text("8 cells, 2 raters, 2 rounds")
    links = pg.locator("#links a").all_inner_texts()
    assert len(links) == 2 and all("/rate#" in x for x in links)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "campaign-created-1280x800.png"))
    organiser = pg.locator("#organiser-link").inner_text()
    assert "/campaigns/" in organiser and "#" in organiser
    put(server_url, links[0].split("#")[1], "task_length", value=2.0, low=1.0, high=3.0)
    pg.goto(organiser)
    pg.wait_for_selector("body[data-ready]:not([data-ready=error]) #scores tbody tr")
    expect(pg.locator("#headline")).to_contain_text("Round 1 of 2 is open: 1 of 16 answers")
    expect(pg.locator("#raters tbody tr").first).to_contain_text("R01 · Ada")
    pg.click("#close-round")
    expect(pg.locator("#confirm-text")).to_contain_text("Round 2 opens at once")
    pg.click("#confirm-yes")
    expect(pg.locator("#headline")).to_contain_text("Round 2 of 2 is open")
    expect(pg.locator("#round-list tbody tr")).to_have_count(2)
    with pg.expect_download() as dl:
        pg.click("#export")
    text = Path(dl.value.path()).read_text()
    assert "campaign-" in text and links[0].split("#")[1] not in text and "Ada" not in text
    assert pg.errors == []  # type: ignore[attr-defined]
    pg.context.close()


def test_a_wrong_link_says_so(browser, server_url):
    pg = new_page(browser)
    pg.goto(f"{server_url}/rate#{'x' * 43}")
    expect(pg.locator("#problems")).to_contain_text("does not open any campaign")
    pg.goto(f"{server_url}/rate")
    expect(pg.locator("#problems")).to_contain_text("needs your private link")
    pg.context.close()


@pytest.fixture(scope="module")
def pages(server_url) -> dict[str, str]:
    made = round_two(server_url)
    for r in made["raters"][1:]:
        put(server_url, r["token"], "task_length", value=6.0, low=4.0, high=8.0)
    return {"rate": f"/rate#{made['raters'][0]['token']}", "campaigns": "/campaigns",
            "dashboard": f"/campaigns/{made['id']}#{made['organiser_token']}"}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("view", ["rate", "campaigns", "dashboard"])
def test_pages_fit_the_screen_pass_axe_and_are_photographed(browser, server_url, pages, view, size):
    pg = new_page(browser, size, bypass_csp=True)
    hosts: set[str] = set()
    pg.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    pg.goto(server_url + pages[view])
    pg.wait_for_selector("body[data-ready]:not([data-ready=error])")
    pg.wait_for_timeout(200)
    assert pg.locator("nav.views a[aria-current=page]").inner_text() == "Campaigns"
    assert pg.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    # no table needs sideways scrolling either
    assert pg.evaluate("[...document.querySelectorAll('.scroll')].filter(s => s.scrollWidth > "
                       "s.clientWidth + 1).map(s => s.getAttribute('aria-label'))") == []
    screenshots(pg, f"campaign-{view}-{size}")
    assert serious_axe_violations(pg) == []
    assert hosts == {server_url.split("/")[2]}
    assert pg.errors == []  # type: ignore[attr-defined]
    pg.context.close()
