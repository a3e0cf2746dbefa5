"""Seed questions and Cooke's model in a real browser (Debian's Chromium via Playwright): the
organiser creates a campaign with a seed-question file on /campaigns (a bad file's problems are
named by file and item); the dashboard shows each rater's calibration, information, weight and
cutoff and the pooled cells, or, without seeds, how to add them; no horizontal overflow at
1280x800 and 390x844; axe-core finds nothing serious; screenshots."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from ._browser import SHOTS, SIZES, screenshots, serious_axe_violations
from .test_campaign_pages import new_page, put

SEEDS_YAML = """- {id: s1, question: "Tasks in the benchmark?", unit: tasks, realization: 10}
- {id: s2, question: "METR 50% horizon of Claude 3.7 Sonnet, minutes?", unit: minutes,
   realization: 100, scale: log, source: "arXiv 2503.14499"}
"""


def seed(server_url: str, token: str, question: str, *q: float) -> None:
    r = httpx.put(f"{server_url}/api/seeds/{question}", headers={"authorization": f"Bearer {token}"},
                  json={"version": 0, "q05": q[0], "q50": q[1], "q95": q[2]}, timeout=30)
    assert r.status_code == 200, r.text


def test_the_organiser_adds_a_seed_file_on_the_create_form(browser, server_url):
    pg = new_page(browser)
    pg.goto(f"{server_url}/campaigns")
    pg.wait_for_selector("body[data-ready='1']")
    pg.fill("#name", "With seeds")
    pg.fill("#cells", "interpretability:*")
    pg.fill("#raters", "3")
    pg.set_input_files("#seeds", files=[{"name": "bad-seeds.yaml", "mimeType": "text/yaml",
                                        "buffer": b"- {id: s1, question: Q?, realization: 0, scale: log}\n"}])
    pg.click("button[type=submit].primary")
    expect(pg.locator("#problems")).to_contain_text("bad-seeds.yaml: questions[0] (s1).realization: "
                                                    "0 on a log scale")
    assert pg.locator("#created").is_hidden()
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.locator("#problems").scroll_into_view_if_needed()
    pg.screenshot(path=str(SHOTS / "campaign-campaigns-seed-problem-1280x800.png"))
    pg.set_input_files("#seeds", files=[{"name": "seeds.yaml", "mimeType": "text/yaml",
                                        "buffer": SEEDS_YAML.encode()}])
    pg.click("button[type=submit].primary")
    expect(pg.locator("#created-title")).to_contain_text("7 cells, 3 raters, 2 rounds, 2 seed questions")
    expect(pg.locator("#seed-note")).to_contain_text("/interview#")
    assert pg.locator("#problems").is_hidden()
    pg.screenshot(path=str(SHOTS / "campaign-campaigns-seeds-created-1280x800.png"))
    with pg.expect_download() as dl:
        pg.click("#download-links")
    assert "/interview#" in Path(dl.value.path()).read_text()
    organiser = pg.locator("#organiser-link").inner_text()
    pg.goto(organiser)
    pg.wait_for_selector("body[data-ready]:not([data-ready=error]) #scores tbody tr")
    expect(pg.locator("#cooke-note")).to_contain_text("2 seed questions: no rater has answered a seed "
                                                      "question yet")
    assert pg.errors == []  # type: ignore[attr-defined]
    pg.context.close()


@pytest.fixture(scope="module")
def dashboards(server_url) -> dict[str, str]:
    """A campaign with seeds answered by four raters (one overconfident, one without seeds) and
    one without seed questions."""
    def make(**body) -> dict:
        r = httpx.post(f"{server_url}/api/campaigns", json={
            "model": "wehner-2026", "name": "Cooke pilot", "cells": ["interpretability:*"],
            "raters": ["Ada Lovelace", "Bo", "Cy", "Dee"], "rounds": 2, **body}, timeout=30)
        assert r.status_code == 201, r.text
        return r.json()

    made = make(seed_questions=SEEDS_YAML)
    tokens = [r["token"] for r in made["raters"]]
    for token, s1, s2 in ((tokens[0], (5, 9, 20), (50, 120, 200)), (tokens[1], (11, 12, 13), (101, 102, 103)),
                          (tokens[2], (2, 8, 30), (30, 90, 400))):
        seed(server_url, token, "s1", *s1)
        seed(server_url, token, "s2", *s2)
    for k, token in enumerate(tokens):
        for factor, v in (("task_length", 3.0 + k), ("feedback_quality", 7.0 - k)):
            put(server_url, token, factor, value=v, low=v - 1.5, high=v + 2)
    plain = make()
    put(server_url, plain["raters"][0]["token"], "task_length", value=4.0, low=3.0, high=6.0)
    return {"cooke": f"/campaigns/{made['id']}#{made['organiser_token']}",
            "no-seeds": f"/campaigns/{plain['id']}#{plain['organiser_token']}"}


@pytest.mark.parametrize("size", list(SIZES))
def test_the_dashboard_shows_cookes_scores_fits_and_passes_axe(browser, server_url, dashboards, size):
    pg = new_page(browser, size, bypass_csp=True)
    pg.goto(server_url + dashboards["cooke"])
    pg.wait_for_selector("body[data-ready]:not([data-ready=error]) #cooke-raters tbody tr")
    # answer first: the headline still opens the page
    assert pg.locator("#headline").bounding_box()["y"] < pg.locator("#cooke").bounding_box()["y"]
    expect(pg.locator("#cooke-note")).to_contain_text("2 seed questions, answered by 3 of 4 raters")
    rows = pg.locator("#cooke-raters tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("R01 · Ada Lovelace")  # the best calibrated weighs most
    expect(rows.first).to_contain_text("✓ passes")
    expect(pg.locator("#cooke-raters tbody")).to_contain_text("no seed answers")  # Dee
    expect(pg.locator("#cooke-raters tfoot")).to_contain_text("Pooled (decision maker)")
    expect(pg.locator("#cooke-cells tbody tr")).to_have_count(2)
    expect(pg.locator("#cooke-cells tbody")).to_contain_text("Interpretability: Task length")
    pg.locator("#cooke").scroll_into_view_if_needed()
    screenshots(pg, f"campaign-dashboard-cooke-{size}")
    assert pg.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    assert pg.evaluate("[...document.querySelectorAll('.scroll')].filter(s => s.scrollWidth > "
                       "s.clientWidth + 1).map(s => s.getAttribute('aria-label'))") == []
    assert serious_axe_violations(pg) == []
    assert pg.errors == []  # type: ignore[attr-defined]
    pg.context.close()


def test_without_seeds_the_dashboard_says_how_to_add_them(browser, server_url, dashboards):
    pg = new_page(browser, "390x844")
    pg.goto(server_url + dashboards["no-seeds"])
    pg.wait_for_selector("body[data-ready]:not([data-ready=error]) #scores tbody tr")
    expect(pg.locator("#cooke-note")).to_contain_text("No seed questions in this campaign")
    expect(pg.locator("#cooke-note")).to_contain_text("--seed-questions FILE")
    assert pg.locator("#cooke-body").is_hidden()
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.locator("#cooke").scroll_into_view_if_needed()
    pg.screenshot(path=str(SHOTS / "campaign-dashboard-no-seeds-390x844.png"))
    assert pg.errors == []  # type: ignore[attr-defined]
    pg.context.close()
