"""The interview page (/interview#TOKEN) in Debian's Chromium: keyboard-first entry of an area and
tasks with the shares' total shown live, saves acknowledged by the server (checked through the
API), seed questions saved, a second tab's stale save reloading the newer interview, an axe-core
scan, and no horizontal overflow at 390x844. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from autosafety.campaign import CampaignStore
from autosafety.campaign._seeds import SeedQuestion
from autosafety.campaign._seeds_store import SeedStore
from autosafety.model import load_model

from ._browser import SHOTS, SIZES, screenshots, serious_axe_violations


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[str, list[str]]]:
    """The real app under uvicorn with a campaign of 4 raters and two seed questions."""
    import socket

    import uvicorn

    from autosafety.web import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('iv') / 'iv.db'}"
    store = CampaignStore(url)
    made = store.create(load_model("wehner-2026"), name="Pilot", model_ref="wehner-2026",
                        cells=[("interpretability", "task_length")], raters=[None] * 5, rounds=2)
    SeedStore(store).add_questions(made.id, [
        SeedQuestion("horizon", "METR's 50% time horizon of Claude 3.7 Sonnet", "minutes", 59.0, "arXiv",
                     "log"),
        SeedQuestion("doubling", "Doubling time of the horizon 2019-2025", "days", 212.0, "arXiv", "uni")])
    store.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(database_url=url), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/api/models", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    yield base, [r.token for r in made.raters]
    server.should_exit = True
    thread.join(timeout=10)


def open_page(browser, base: str, token: str, size: str = "1280x800", *, bypass_csp: bool = False) -> Page:
    context = browser.new_context(viewport=SIZES[size], is_mobile=size.startswith("390"),
                                  bypass_csp=bypass_csp)
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    pg.goto(f"{base}/interview#{token}")
    pg.wait_for_selector("body[data-ready='1']")
    return pg


def stored(base: str, token: str) -> dict:
    r = httpx.get(f"{base}/api/interview", headers={"authorization": f"Bearer {token}"})
    assert r.status_code == 200
    return r.json()


def test_keyboard_entry_saves_with_a_live_total(browser, site):
    base, tokens = site
    pg = open_page(browser, base, tokens[0])
    pg.locator("#area").focus()
    pg.keyboard.press("ArrowDown")  # the first area, chosen from the keyboard
    pg.select_option("#new-task", "implementation")
    pg.locator("#add-task").focus()
    pg.keyboard.press("Enter")
    # the new task's share field has the focus: type through the task with Tab
    pg.keyboard.type("60")
    expect(pg.locator("#total-value")).to_have_text("60%")
    expect(pg.locator("#total-note")).to_contain_text("40 to go")
    task = pg.locator("#tasks > li").nth(0)
    task.locator(".t-verifiability").select_option("0.75")
    for cls, value in ((".t-d05", "1"), (".t-d50", "4"), (".t-d95", "16"), (".t-s05", "1.1"),
                       (".t-s50", "1.5"), (".t-s95", "3"), (".t-compute", "10"), (".t-review", "5")):
        task.locator(cls).fill(value)
    pg.select_option("#new-task", "writing")
    pg.locator("#add-task").click()
    w = pg.locator("#tasks > li").nth(1)
    w.locator(".t-share").fill("40.3")  # 100.3%: within the half-point tolerance
    expect(pg.locator("#total")).to_have_attribute("data-ok", "yes")
    w.locator(".t-unit").select_option("days")
    w.locator(".t-verifiability").select_option("0.5")
    for cls, value in ((".t-d05", "0.5"), (".t-d50", "1"), (".t-d95", "2"), (".t-compute", "0"),
                       (".t-review", "0")):
        w.locator(cls).fill(value)
    w.locator(".t-review").press("Enter")  # saves at once
    expect(pg.locator("#status")).to_contain_text("your interview is complete", timeout=10_000)
    d = stored(base, tokens[0])
    assert d["complete"] and d["interview"]["area"] == "interpretability"
    impl, writing = d["interview"]["tasks"]
    assert (impl["id"], impl["share"], impl["verifiability"]) == ("implementation", 60, 0.75)
    assert impl["duration"] == {"unit": "hours", "q05": 1, "q50": 4, "q95": 16}
    assert impl["speedup"] == {"q05": 1.1, "q50": 1.5, "q95": 3}
    assert (impl["compute_fraction"], impl["review_overhead"]) == (0.1, 0.05)
    assert writing["duration"]["unit"] == "days" and writing["share"] == 40.3
    # seed questions: saved when all three numbers are in and increasing
    seed = pg.locator("#seeds > li").nth(0)
    seed.locator(".s05").fill("30")
    seed.locator(".s50").fill("20")
    seed.locator(".s95").fill("90")
    seed.locator(".s95").press("Enter")
    expect(seed).to_have_attribute("data-state", "error")
    seed.locator(".s50").fill("50")
    seed.locator(".s50").press("Enter")
    expect(seed).to_have_attribute("data-state", "saved")
    r = httpx.get(f"{base}/api/seeds", headers={"authorization": f"Bearer {tokens[0]}"}).json()
    assert r["questions"][0]["answer"] == {"q05": 30, "q50": 50, "q95": 90}
    screenshots(pg, "interview-1280x800")
    # a reload shows what was saved
    pg.reload()
    pg.wait_for_selector("body[data-ready='1']")
    expect(pg.locator("#tasks > li")).to_have_count(2)
    expect(pg.locator("#total-value")).to_have_text("100.3%")
    assert pg.errors == []  # type: ignore[attr-defined]
    pg.context.close()


def test_a_refused_entry_is_marked_and_nothing_is_lost(browser, site):
    base, tokens = site
    pg = open_page(browser, base, tokens[4], "390x844")
    pg.select_option("#area", "interpretability")
    expect(pg.locator("#status")).to_contain_text("Saved at")
    pg.select_option("#new-task", "debugging")
    pg.locator("#add-task").click()
    li = pg.locator("#tasks > li").nth(0)
    li.locator(".t-share").fill("120")
    li.locator(".t-share").press("Enter")
    expect(pg.locator("#status")).to_contain_text("Not saved")
    expect(li.locator(".t-share")).to_have_attribute("aria-invalid", "true")
    expect(li.locator(".task-problems")).to_contain_text("120 is out of range")
    expect(pg.locator("#problems")).to_contain_text("Task 1 (Debugging), share")
    kept = stored(base, tokens[4])["interview"]["tasks"]
    assert kept in ([], [{**kept[0], "id": "debugging", "share": None}])  # 120 was never stored
    li.locator(".t-share").fill("100")
    li.locator(".t-share").press("Enter")
    expect(pg.locator("#status")).to_contain_text("Saved at")
    expect(li.locator(".t-share")).not_to_have_attribute("aria-invalid", "true")
    assert stored(base, tokens[4])["interview"]["tasks"][0]["share"] == 100
    pg.context.close()


def test_a_stale_tab_gets_the_newer_interview(browser, site):
    base, tokens = site
    a = open_page(browser, base, tokens[1])
    b = open_page(browser, base, tokens[1])
    a.select_option("#area", "alignment_theory")
    expect(a.locator("#status")).to_contain_text("Saved at")
    b.select_option("#area", "interpretability")  # still at version 0: refused, reloaded
    expect(b.locator("#status")).to_contain_text("changed in another tab")
    expect(b.locator("#area")).to_have_value("alignment_theory")
    assert stored(base, tokens[1])["interview"]["area"] == "alignment_theory"
    for pg in (a, b):
        pg.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_no_overflow_and_axe_passes(browser, site, size):
    base, tokens = site
    pg = open_page(browser, base, tokens[2 if size == "1280x800" else 3], size, bypass_csp=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"interview-first-screen-{size}.png"))  # what a rater first sees
    pg.select_option("#area", "interpretability")
    for kind in ("implementation", "other"):
        pg.select_option("#new-task", kind)
        pg.locator("#add-task").click()
    pg.locator("#tasks > li").nth(0).locator(".t-share").fill("70")
    pg.locator("#tasks > li").nth(1).locator(".t-name").fill("Mentoring and reviewing papers")
    pg.locator("#tasks > li").nth(1).locator(".t-share").fill("20")
    expect(pg.locator("#status")).to_contain_text("still to answer", timeout=10_000)
    token = tokens[2 if size == "1280x800" else 3]
    pg.wait_for_function("(n) => document.getElementById('total-value').textContent === n", arg="90%")
    expect(pg.locator("#status")).to_contain_text("Saved at")
    pg.wait_for_timeout(800)  # the last keystroke's save
    ids = [t["id"] for t in stored(base, token)["interview"]["tasks"]]
    assert ids == ["implementation", "mentoring-and-reviewing-papers"]  # pooled by name across raters
    assert pg.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    pg.evaluate("window.scrollTo(0, 0)")
    pg.screenshot(path=str(SHOTS / f"interview-draft-{size}.png"))
    pg.screenshot(path=str(SHOTS / f"interview-draft-{size}-full.png"), full_page=True)
    assert serious_axe_violations(pg) == []
    assert pg.errors == []  # type: ignore[attr-defined]
    pg.context.close()


def test_a_link_without_a_valid_token_says_so(browser, site):
    base, _ = site
    pg = open_page_error(browser, base, "#" + "x" * 43)
    expect(pg.locator("#status")).to_contain_text("This link opens nothing")
    pg.context.close()


def open_page_error(browser, base: str, fragment: str) -> Page:
    pg = browser.new_context(viewport=SIZES["390x844"]).new_page()
    pg.goto(f"{base}/interview{fragment}")
    pg.wait_for_selector("body[data-ready='error']")
    return pg
