"""The /schemes page in a real browser (Debian's Chromium via Playwright), under the app's real CSP:
examples, level, verdict, diagram, worries checklist, the key-fields form, errors and escaping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from autosafety.schemes import assess, example_text, load_scheme

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def page(browser, server_url) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" and "422" not in m.text else None)
    pg.goto(server_url + "/schemes")
    expect(pg.locator("body[data-ready='1']")).to_have_count(1)
    expect(pg.locator("body[data-busy]")).to_have_count(0)
    yield pg
    context.close()
    assert errors == []


def settled(pg: Page) -> None:
    expect(pg.locator("body[data-busy]")).to_have_count(0)


def test_page_opens_on_the_level_2_example_with_diagram_and_checklist(page):
    a = assess(load_scheme("ai-explores-oversight"))
    expect(page.locator("#level")).to_have_text("Level 2: AI-written algorithm, checked empirically")
    expect(page.locator("#verdict")).to_have_attribute("data-kind", "collapses_to_level_1")
    expect(page.locator("#collapses")).to_contain_text("process supervision, scalable oversight")
    items = page.locator("#worries li")
    expect(items).to_have_count(len(a.worries))
    assert [items.nth(i).get_attribute("data-worry") for i in range(len(a.worries))] == [
        t.worry.id for t in a.worries]
    expect(page.locator("#worries input:checked")).to_have_count(0)
    expect(page.locator("#less-automation tbody tr")).to_have_count(len(a.options))
    expect(page.locator("#case-summary")).to_contain_text("valid under gsn2x's rules")
    expect(page.locator("#confidence-top")).to_contain_text("Unknown until evidence is attached")
    open_worries = sum(1 for t in a.worries if not t.evidence)
    expect(page.locator("#doubts li").first).to_contain_text("open worry")
    assert page.locator("#doubts li").count() >= min(open_worries, 12)
    page.wait_for_function("document.getElementById('diagram').naturalWidth > 100")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "schemes-level2.png"), full_page=True)


def test_choosing_examples_changes_level_and_verdict(page):
    page.select_option("#example", "deference")
    expect(page.locator("#level")).to_have_text("Level 4: Deference")
    expect(page.locator("#verdict")).to_have_attribute("data-kind", "out_of_scope")
    page.select_option("#example", "ai-explores-adversarial-prober")
    expect(page.locator("#level")).to_contain_text("Level 2")
    expect(page.locator("#worries li[data-worry='honeypot_existence'] input")).to_be_checked()
    assert page.locator("#scheme-yaml").input_value() == example_text("ai-explores-adversarial-prober")


def test_the_form_moves_a_scheme_to_level_3(page):
    page.select_option("#f-humans-check", "algorithm_and_reasoning")
    page.click("#apply-form")
    expect(page.locator("#level")).to_contain_text("Level 3")
    expect(page.locator("#worries li[data-worry='checker_load']")).to_have_count(1)
    assert "humans_check: algorithm_and_reasoning" in page.locator("#scheme-yaml").input_value()
    settled(page)


def test_bad_yaml_lists_problems_with_field_paths(page):
    text = example_text("ai-explores-oversight").replace("type: sandwiching", "type: sandwich")
    page.fill("#scheme-yaml", text)
    page.click("#assess")
    errors = page.locator("#error-list li")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("scheme: evaluation.experiments[0].type")
    expect(errors.first).to_contain_text("did you mean 'sandwiching'")
    expect(page.locator("#status")).to_contain_text("invalid scheme")


def test_names_are_escaped(page):
    text = example_text("deference").replace("name: Deference to the automated researcher",
                                             f"name: '{XSS}'")
    page.fill("#scheme-yaml", text)
    page.click("#assess")
    expect(page.locator("#scheme-name")).to_have_text(XSS)
    settled(page)
    page.wait_for_function("document.getElementById('diagram').naturalWidth > 100")
    assert page.locator("img[src='x']").count() == 0


def test_download_gsn2x_yaml(page):
    with page.expect_download() as info:
        page.click(".downloads button[data-format='yaml']")
    download = info.value
    assert download.suggested_filename == "safety-case.gsn.yaml"
    text = Path(download.path()).read_text()
    assert text.startswith("module:") and "G1:" in text
