"""Seed questions over the web and Cooke's model on the dashboard: `POST /api/campaigns` takes a
seed-question file (YAML/JSON text or parsed) checked as the CLI checks it, every problem located;
the dashboard's `cooke` section scores the raters (calibration against scipy's chi-square by hand)
with the same numbers as `GET /api/campaigns/{id}/pool`; without seeds the equal-weight pool
still works and Cooke's model is a located 422 saying how to add them."""

from __future__ import annotations

import json
import math

import pytest
from scipy import stats

SEEDS_YAML = """# calibration items
- {id: s1, question: "Tasks in the benchmark?", unit: tasks, realization: 10, source: "secret-src"}
- {id: s2, question: "Horizon in minutes?", unit: minutes, realization: 100, scale: log}
"""
CELL = ("interpretability", "task_length")


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def create(client, **body) -> dict:
    r = client.post("/api/campaigns", json={"model": "wehner-2026", "name": "Seeds", "rounds": 1,
                                            "cells": ["interpretability:task_length"], "raters": 3,
                                            **body})
    assert r.status_code == 201, r.text
    return r.json()


def answer(client, token: str, low: float, value: float, high: float) -> None:
    r = client.put("/api/rater/answers/interpretability/task_length", headers=auth(token),
                   json={"version": 0, "value": value, "low": low, "high": high, "rationale": ""})
    assert r.status_code == 200, r.text


def seed(client, token: str, question: str, q05: float, q50: float, q95: float) -> None:
    r = client.put(f"/api/seeds/{question}", headers=auth(token),
                   json={"version": 0, "q05": q05, "q50": q50, "q95": q95})
    assert r.status_code == 200, r.text


def test_seed_questions_posted_as_file_text_or_as_data(client):
    made = create(client, seed_questions=SEEDS_YAML)
    assert made["seed_questions"] == 2
    assert made["raters"][0]["interview_link"].endswith(f"/interview#{made['raters'][0]['token']}")
    view = client.get("/api/seeds", headers=auth(made["raters"][0]["token"]))
    assert [q["id"] for q in view.json()["questions"]] == ["s1", "s2"]
    assert "secret-src" not in view.text and "realization" not in view.text
    as_data = create(client, seed_questions={"questions": [
        {"id": "h", "question": "Horizon?", "unit": "minutes", "realization": 59, "scale": "log"}]})
    assert as_data["seed_questions"] == 1
    assert create(client)["seed_questions"] == 0


@pytest.mark.parametrize(("seeds", "expected"), [
    ("- {id: a, question: Q?, realization: -3, scale: log}\n- {id: a, question: Q?, realization: 1}\n"
     "- {id: 'bad id!', question: '', realization: x, scale: cubic, colour: red}\n",
     {("seed_questions: questions[0] (a).realization", "-3 on a log scale"),
      ("seed_questions: questions[1].id", "'a' is used twice"),
      ("seed_questions: questions[2].scale", "'cubic' is not a scale"),
      ("seed_questions: questions[2].colour", "unknown field")}),
    ("- {id: a, question: [", {("seed_questions: line 2 column 1",
                                "malformed YAML or JSON: did not find expected node content")}),
    ("x" * 400_001, {("seed_questions", "400,001 characters, over 400,000")}),
    ([{"id": "a", "question": "Q?"}], {("seed_questions: questions[0] (a).realization",
                                        "missing or not a finite number")}),
    ([], {("seed_questions", "no questions")}),
])
def test_a_bad_seed_file_is_a_located_422_and_creates_nothing(client, seeds, expected):
    r = client.post("/api/campaigns", json={"model": "wehner-2026", "name": "Bad", "raters": 0,
                                            "seed_questions": seeds})
    assert r.status_code == 422
    got = {(p["location"], p["message"]) for p in r.json()["problems"]}
    assert expected <= got
    assert ("raters", "0 raters") in got  # reported with the other fields' problems, in one answer
    assert create(client)["id"] == 1  # nothing was created


def test_without_seeds_the_equal_pool_works_and_cooke_says_how_to_add_them(client):
    made = create(client, raters=2)
    org, path = made["organiser_token"], f"/api/campaigns/{made['id']}"
    answer(client, made["raters"][0]["token"], 2, 4, 6)
    answer(client, made["raters"][1]["token"], 4, 6, 8)
    r = client.get(f"{path}/pool?method=equal", headers=auth(org))
    assert r.status_code == 200, r.text
    [cell] = r.json()["cells"]
    x05 = 2 + (0.05 - 0.05 * 0.6 / 2.6) / (0.225 + 0.05 / 2.6)  # tests/campaign/test_seeds.py
    assert (cell["low"], cell["value"], cell["high"]) == pytest.approx((x05, 5, 10 - x05), abs=1e-12)
    r = client.get(f"{path}/pool", headers=auth(org))
    assert r.status_code == 422
    [p] = r.json()["problems"]
    assert p["location"] == f"campaign {made['id']}: seed questions" and "--seed-questions" in p["fix"]
    cooke = client.get(path, headers=auth(org)).json()["cooke"]
    assert cooke == {"seed_questions": 0, "pool": None, "problems": []}


def _cal(shares: list[float], n: int) -> float:
    """Cooke's calibration by hand: chi-square (3 df) survival of 2 N I(s, p)."""
    p = [0.05, 0.45, 0.45, 0.05]
    i = sum(s * math.log(s / q) for s, q in zip(shares, p, strict=True) if s > 0)
    return float(stats.chi2.sf(2 * n * i, 3))


def test_the_dashboard_scores_the_raters_as_the_pool_endpoint_and_by_hand(client):
    made = create(client, seed_questions=SEEDS_YAML)
    org, path = made["organiser_token"], f"/api/campaigns/{made['id']}"
    a, b, c = (r["token"] for r in made["raters"])
    cooke = client.get(path, headers=auth(org)).json()["cooke"]
    assert cooke["seed_questions"] == 2 and cooke["pool"] is None
    assert "no rater has answered a seed question yet (of 2)" in cooke["problems"][0]["message"]
    # R01's realizations fall in its two middle bins, R02's both below its 5%, R03's both above its
    # 95%; R03 answers only one seed question, so N (the fewest seeds answered) is 1
    seed(client, a, "s1", 5, 9, 20)
    seed(client, a, "s2", 50, 120, 200)
    seed(client, b, "s1", 11, 12, 13)
    seed(client, b, "s2", 101, 102, 103)
    seed(client, c, "s1", 1, 5, 9)
    for token, (lo, v, hi) in zip((a, b, c), ((2, 3, 5), (6, 7, 8), (3, 4, 9)), strict=True):
        answer(client, token, lo, v, hi)
    dash = client.get(path, headers=auth(org)).json()["cooke"]
    pool = client.get(f"{path}/pool", headers=auth(org)).json()
    assert dash["pool"] == pool and dash["problems"] == []  # one request gives the /pool numbers
    raters = {r["id"]: r for r in pool["raters"]}
    assert raters["R01"]["calibration"] == pytest.approx(_cal([0, 0.5, 0.5, 0], 1), rel=1e-9)
    assert raters["R02"]["calibration"] == pytest.approx(_cal([1, 0, 0, 0], 1), rel=1e-9)
    assert raters["R03"]["calibration"] == pytest.approx(_cal([0, 0, 0, 1], 1), rel=1e-9)
    assert [raters[k]["seeds_answered"] for k in ("R01", "R02", "R03")] == [2, 2, 1]
    assert sum(r["weight"] for r in pool["raters"]) == pytest.approx(1)
    for r in pool["raters"]:  # weight only at or above the optimised cutoff
        assert r["passes_cutoff"] == (r["calibration"] >= pool["alpha"])
        assert (r["weight"] > 0) == r["passes_cutoff"]
    assert raters["R01"]["passes_cutoff"] and pool["alpha_optimised"]
    [cell] = pool["cells"]
    assert (cell["area_name"], cell["factor_name"]) == ("Interpretability", "Task length")
    assert 1 <= cell["low"] < cell["value"] < cell["high"] <= 10
    assert pool["decision_maker"]["calibration"] is not None
    assert "secret-src" not in json.dumps(dash)  # the source stays out of the dashboard too
