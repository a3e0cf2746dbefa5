"""The campaign API through FastAPI's TestClient: versioned saves (409 with the newer answer), one
404 body for unknown, foreign and missing tokens and unassigned cells, organiser-only actions,
rounds (closed rounds refuse saves, round 2 shows the group without pseudonyms), the export, and
the dashboard's numbers checked against hand computations and the `krippendorff` package."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources

import krippendorff
import numpy as np
import pytest
import yaml

CELL = "/api/rater/answers/interpretability/task_length"
INTERP = ["task_length", "insight_vs_engineering", "data_availability", "feedback_quality",
          "compute_vs_labour", "scheming_risk", "economic_incentive"]


def create(client, *, raters=3, cells=("interpretability:*",), rounds=2, name="Pilot"):
    r = client.post("/api/campaigns", json={"model": "wehner-2026", "name": name, "cells": list(cells),
                                            "raters": raters, "rounds": rounds})
    assert r.status_code == 201, r.text
    return r.json()


def auth(token):
    return {"authorization": f"Bearer {token}"}


def save(client, token, factor="task_length", area="interpretability", *, version=0, **answer):
    body = {"value": 5.0, "low": 3.0, "high": 7.0, "rationale": "", "not_my_area": False, **answer,
            "version": version}
    return client.put(f"/api/rater/answers/{area}/{factor}", headers=auth(token), json=body)


def dash(client, made, **params):
    r = client.get(f"/api/campaigns/{made['id']}", headers=auth(made["organiser_token"]), params=params)
    assert r.status_code == 200, r.text
    return r.json()


def close(client, made):
    return client.post(f"/api/campaigns/{made['id']}/rounds/close", headers=auth(made["organiser_token"]))


def test_create_gives_links_with_the_token_in_the_fragment_only(client):
    made = create(client, raters=["Ada", "", None])
    assert [r["display_name"] for r in made["raters"]] == ["Ada", None, None]
    assert [r["pseudonym"] for r in made["raters"]] == ["R01", "R02", "R03"]
    for r in made["raters"]:
        assert r["link"] == f"http://testserver/rate#{r['token']}" and len(r["token"]) >= 43
    assert made["organiser_link"] == f"http://testserver/campaigns/{made['id']}#{made['organiser_token']}"
    assert made["cells"] == 7


def test_the_rater_sees_the_cells_with_definitions_anchors_and_scale(client):
    made = create(client)
    view = client.get("/api/rater", headers=auth(made["raters"][1]["token"])).json()
    assert view["rater"]["pseudonym"] == "R02" and view["round"] == {
        **view["round"], "number": 1, "planned": 2, "open": True, "closed": None}
    assert [c["factor"] for c in view["cells"]] == INTERP
    spec = yaml.safe_load((resources.files("autosafety") / "data" / "wehner-2026.yaml").read_text())
    factor = spec["factors"][0]
    cell = view["cells"][0]
    assert cell["definition"] == factor["description"] and cell["citation"] == factor["citation"]
    assert [(a["value"], a["text"]) for a in cell["anchors"]] == sorted(
        (float(k), v) for k, v in factor["rubric"].items())
    assert cell["scale"] == {"low": 1.0, "high": 10.0} and cell["answer"] is None
    assert view["progress"] == {"answered": 0, "total": 7}
    assert save(client, made["raters"][1]["token"]).status_code == 200
    again = client.get("/api/rater", headers=auth(made["raters"][1]["token"])).json()
    assert again["progress"] == {"answered": 1, "total": 7}
    assert again["cells"][0]["answer"]["version"] == 1 and again["cells"][0]["answer"]["value"] == 5.0


def test_a_stale_write_gets_409_with_the_newer_answer(client):
    token = create(client)["raters"][0]["token"]
    first = save(client, token, value=4.0)
    assert first.status_code == 200 and first.json()["version"] == 1
    tab_a = save(client, token, value=6.0, low=5.0, high=8.0, rationale="tab A", version=1)
    assert tab_a.json()["version"] == 2
    tab_b = save(client, token, value=2.0, low=1.0, high=3.0, rationale="tab B", version=1)
    assert tab_b.status_code == 409
    body = tab_b.json()
    assert body["current"]["value"] == 6.0 and body["current"]["version"] == 2
    assert body["current"]["rationale"] == "tab A"
    assert body["problems"][0]["location"] == "interpretability:task_length.version"
    # a first save racing a stored one is stale too, and nothing was overwritten
    assert save(client, token, value=9.0, high=9.0).status_code == 409
    cell = client.get("/api/rater", headers=auth(token)).json()["cells"][0]["answer"]
    assert (cell["value"], cell["version"]) == (6.0, 2)


def test_unknown_foreign_missing_tokens_and_unassigned_cells_get_one_404(client):
    a = create(client, cells=["interpretability:*"])
    b = create(client, cells=["alignment_theory:*"], name="Other")
    a_rater, b_rater = a["raters"][0]["token"], b["raters"][0]["token"]
    answers = [
        save(client, "x" * 43),                                      # unknown token
        save(client, b_rater),                                       # another campaign's rater
        save(client, a_rater, area="alignment_theory"),              # a cell not assigned
        save(client, a_rater, area="no_such_area"),                  # a cell that does not exist
        client.put(CELL, json={"value": 5, "version": 0}),           # no token
        client.put(CELL, json={"value": 5, "version": 0}, headers={"authorization": a_rater}),
        client.get("/api/rater", headers=auth("y" * 43)),
        client.get("/api/rater"),
    ]
    assert [r.status_code for r in answers] == [404] * len(answers)
    assert len({r.content for r in answers}) == 1
    org = [
        client.get(f"/api/campaigns/{b['id']}", headers=auth(a["organiser_token"])),  # foreign
        client.get(f"/api/campaigns/{a['id']}", headers=auth(a_rater)),               # a rater's
        client.get("/api/campaigns/999", headers=auth(a["organiser_token"])),         # no such
        client.get(f"/api/campaigns/{a['id']}"),                                       # none
        client.post(f"/api/campaigns/{a['id']}/rounds/close", headers=auth(a_rater)),
        client.post(f"/api/campaigns/{a['id']}/rounds/reopen", headers=auth(b["organiser_token"])),
        client.get(f"/api/campaigns/{a['id']}/export.csv", headers=auth(a_rater)),
    ]
    assert [r.status_code for r in org] == [404] * len(org)
    assert {r.content for r in org} == {answers[0].content}
    assert a_rater not in answers[2].text
    # the rater token opened nothing: the round is still open
    assert dash(client, a)["campaign"]["open"] is True


@pytest.mark.parametrize(("answer", "location", "message"), [
    ({"value": 11.0, "high": 11.0}, "value", "off the scale 1-10"),
    ({"value": 5.0, "low": 6.0, "high": 8.0}, "answer", "does not contain the value 5"),
    ({"value": 5.0, "low": 7.0, "high": 3.0}, "answer", "does not contain"),
    ({"rationale": "x" * 5001}, "rationale", "at most 5000 characters"),
    ({"colour": "red"}, "colour", "Extra inputs are not permitted"),
    ({"value": None, "low": None, "high": None}, "value", "missing"),
    ({"value": 5.0, "not_my_area": True}, "answer", "'not my area' with a value"),
    ({"version": -1}, "version", "greater than or equal to 0"),
])
def test_bad_answers_get_422_located(client, answer, location, message):
    token = create(client)["raters"][0]["token"]
    r = save(client, token, **answer)
    assert r.status_code == 422, r.text
    assert any(p["location"] == location and message in p["message"] for p in r.json()["problems"]), r.text


@pytest.mark.parametrize("raw", [b'{"value": NaN, "version": 0}', b'{"value": Infinity, "version": 0}',
                                 b'{"value": 5, "version": 0', b'[]', b'{"value": "five", "version": 0}',
                                 b'{"value": 5, "value": 6, "version": 0}'])
def test_malformed_bodies_get_422_never_5xx(client, raw):
    token = create(client)["raters"][0]["token"]
    r = client.put(CELL, content=raw, headers={**auth(token), "content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["problems"]


def test_create_refuses_bad_campaigns_with_located_problems(client):
    def post(**body):
        return client.post("/api/campaigns", json={"model": "wehner-2026", "name": "P", "raters": 2,
                                                   **body})
    r = post(raters=501)
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "raters"
    r = post(cells=["nowhere:task_length"])
    assert r.status_code == 422 and "unknown area 'nowhere'" in r.text
    assert r.json()["problems"][0]["location"] == "cells nowhere:task_length"
    assert post(model="no-such-model").status_code == 422
    assert post(rounds=0).status_code == 422
    assert post(name="").status_code == 422
    assert post(organiser="me").status_code == 422
    r = client.post("/api/campaigns", content=b"x" * (2 * 1024 * 1024),
                    headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_rounds_close_reopen_and_refuse_beyond_the_plan(client):
    made = create(client, rounds=2)
    token = made["raters"][0]["token"]
    assert save(client, token).status_code == 200
    r = close(client, made)
    assert r.status_code == 200 and r.json()["round"] == 2 and r.json()["open"] is True
    assert save(client, token, value=6.0).status_code == 200     # a new round: version 0 again
    r = client.post(f"/api/campaigns/{made['id']}/rounds/reopen", headers=auth(made["organiser_token"]))
    assert r.status_code == 409 and "round 2 is open" in r.text
    r = close(client, made)
    assert r.status_code == 200 and r.json() == {**r.json(), "round": 2, "open": False, "finished": True}
    refused = save(client, token, value=7.0, version=1)
    assert refused.status_code == 423 and "round 2 is closed" in refused.text
    r = close(client, made)
    assert r.status_code == 409 and "last of the 2 planned" in r.json()["problems"][0]["message"]
    view = client.get("/api/rater", headers=auth(token)).json()
    assert view["round"]["open"] is False
    rounds = dash(client, made)["campaign"]["rounds"]
    assert [x["number"] for x in rounds] == [1, 2] and all(x["closed"] for x in rounds)
    assert rounds[0]["closed"] <= rounds[1]["opened"]
    r = client.post(f"/api/campaigns/{made['id']}/rounds/reopen", headers=auth(made["organiser_token"]))
    assert r.status_code == 200 and r.json()["open"] is True
    assert save(client, token, value=7.0, version=1).json()["version"] == 2


def test_export_has_provenance_and_no_token_or_name(client):
    made = create(client, raters=["Ada Lovelace", "Bo"])
    ada, bo = (r["token"] for r in made["raters"])
    save(client, ada, value=2.0, low=1.0, high=4.0, rationale="short tasks")
    save(client, bo, value=8.0, low=6.0, high=9.0)
    save(client, bo, "feedback_quality", value=None, low=None, high=None, not_my_area=True)
    close(client, made)
    save(client, ada, value=3.0, low=1.0, high=4.0)
    r = client.get(f"/api/campaigns/{made['id']}/export.csv", headers=auth(made["organiser_token"]))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    text = r.text
    for secret in (ada, bo, made["organiser_token"], "Ada Lovelace", "Bo"):
        assert secret not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    got = {(x["rater"], x["value"], json.loads(x["provenance"])["round"]) for x in rows}
    cid = made["id"]
    assert got == {(f"campaign-{cid}/R01", "3.0", 2), (f"campaign-{cid}/R02", "8.0", 1)}
    prov = json.loads(rows[0]["provenance"])
    assert prov["kind"] == "human" and prov["campaign"] == cid and prov["rater"] == "R01"
    assert prov["campaign_name"] == "Pilot" and prov["time"]
    first = client.get(f"/api/campaigns/{cid}/export.csv", params={"round": 1},
                       headers=auth(made["organiser_token"]))
    assert {x["value"] for x in csv.DictReader(io.StringIO(first.text))} == {"2.0", "8.0"}


def published():
    spec = yaml.safe_load((resources.files("autosafety") / "data" / "wehner-2026.yaml").read_text())
    weights = {f["id"]: f["weight"] for f in spec["factors"]}
    table = {(r["area"], r["factor"]): r["value"] for r in spec["ratings"]}
    return spec, weights, table


def hand_pooled(table, human: float, other: float) -> dict[tuple[str, str], float]:
    """The cells the test's raters answered (pooled humans 3, 9 and 1), each pooled by hand with
    the published rating at source weights human:other."""
    answered = {("interpretability", "task_length"): 3.0,
                ("interpretability", "feedback_quality"): 9.0, ("ai_control", "task_length"): 1.0}
    return {cell: (human * v + other * table[cell]) / (human + other) for cell, v in answered.items()}


def test_pooled_scores_equal_a_hand_pooling(client):
    made = create(client, cells=["interpretability:*", "ai_control:task_length"])
    tokens = [r["token"] for r in made["raters"]]
    save(client, tokens[0], value=2.0, low=1.0, high=3.0)
    save(client, tokens[1], value=4.0, low=1.0, high=6.0)
    save(client, tokens[2], value=None, low=None, high=None, not_my_area=True)
    save(client, tokens[0], "feedback_quality", value=9.0, low=8.0, high=10.0)
    save(client, tokens[2], "task_length", "ai_control", value=1.0, low=1.0, high=2.0)
    _, w, table = published()

    def score(area, cells):
        return sum(w[f] * cells.get((area, f), table[(area, f)]) for f in w) / sum(w.values())
    for human, other in ((5.0, 3.0), (1.0, 1.0), (2.0, 0.5)):
        pooled = hand_pooled(table, human, other)
        got = {a["id"]: a for a in dash(client, made, human=human, other=other)["scores"]["areas"]}
        for area in ("interpretability", "ai_control", "agent_scaffolding"):
            assert got[area]["published"] == pytest.approx(score(area, {}), abs=1e-12)
            assert got[area]["pooled"] == pytest.approx(score(area, pooled), abs=1e-12)
        assert round(got["interpretability"]["published"], 2) == 5.53
    r = client.get(f"/api/campaigns/{made['id']}", headers=auth(made["organiser_token"]),
                   params={"other": 0})
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "query.other"
    # the headline's gap between the category averages, by hand at the default weights 5:3
    spec = published()[0]
    human, other = 5.0, 3.0
    pooled = hand_pooled(table, human, other)

    def mean(cat, cells):
        areas = [a["id"] for a in spec["areas"] if a["category"] == cat]
        return sum(score(a, cells) for a in areas) / len(areas)
    gap_pub = mean("capabilities", {}) - mean("safety", {})
    gap_pooled = mean("capabilities", pooled) - mean("safety", pooled)
    assert (f"the gap between the capabilities and safety averages goes from {gap_pub:.2f} (published) "
            f"to {gap_pooled:.2f} (pooled)") in dash(client, made)["headline"]
    cats = dash(client, made)["scores"]["categories"]
    assert round(cats["safety"]["published"], 2) == 5.21
    assert round(cats["capabilities"]["published"], 2) == 6.45
    assert cats["capabilities"]["pooled"] == pytest.approx(cats["capabilities"]["published"])


def test_alpha_per_round_equals_the_krippendorff_package(client):
    made = create(client, raters=4, cells=["interpretability:*"])
    tokens = [r["token"] for r in made["raters"]]
    # raters x cells (interpretability's first 5 factors); None = not answered, "n" = not my area
    r1 = [[2, 5, 7, 3, None], [3, 6, 9, 3, 4], [1, 5, 8, None, 5], [8, "n", 2, 9, 1]]
    for token, row in zip(tokens, r1):
        for f, v in zip(INTERP, row):
            if v == "n":
                save(client, token, f, value=None, low=None, high=None, not_my_area=True)
            elif v is not None:
                save(client, token, f, value=float(v), low=1.0, high=10.0)
    close(client, made)
    save(client, tokens[3], "task_length", value=3.0, low=1.0, high=10.0)   # revises 8 -> 3
    save(client, tokens[3], "feedback_quality", value=3.0, low=1.0, high=10.0)  # 9 -> 3
    r2 = [row[:] for row in r1]
    r2[3][0], r2[3][3] = 3, 3

    def expected(rows):
        data = np.array([[np.nan if v in (None, "n") else float(v) for v in row] + [np.nan, np.nan]
                         for row in rows])
        return krippendorff.alpha(reliability_data=data, level_of_measurement="interval")
    alphas = {a["round"]: a for a in dash(client, made)["alpha"]}
    assert alphas[1]["alpha"] == pytest.approx(expected(r1), abs=1e-12)
    assert alphas[2]["alpha"] == pytest.approx(expected(r2), abs=1e-12)
    assert alphas[2]["alpha"] > alphas[1]["alpha"]
    assert alphas[1]["units"] == 5 and alphas[1]["raters"] == 4
    # change between rounds: medians of the standing values, raters who revised
    moved = {c["factor"]: c for c in dash(client, made)["changes"][0]["cells"]}
    assert moved["task_length"]["median_before"] == float(np.median([2, 3, 1, 8]))
    assert moved["task_length"]["median_after"] == float(np.median([2, 3, 1, 3]))
    assert moved["task_length"]["shift"] == pytest.approx(2.5 - 2.5)
    assert moved["task_length"]["revised"] == 1 and moved["insight_vs_engineering"]["revised"] == 0
    assert moved["feedback_quality"]["shift"] == pytest.approx(3.0 - 3.0)
    assert moved["feedback_quality"]["median_before"] == 3.0


def test_disagreement_and_human_vs_published_by_hand(client):
    made = create(client, raters=3, cells=["interpretability:*"])
    tokens = [r["token"] for r in made["raters"]]
    for token, (a, b) in zip(tokens, [(1, 5), (9, 5), (5, 6)]):
        save(client, token, "task_length", value=float(a), low=1.0, high=10.0)
        save(client, token, "feedback_quality", value=float(b), low=1.0, high=10.0)
    d = dash(client, made)
    top = d["disagreement"][0]
    assert (top["factor"], top["median"], top["sd"]) == ("task_length", 5.0, pytest.approx(4.0))
    assert top["iqr"] == pytest.approx(7.0 - 3.0)   # quartiles of 1, 5, 9: 3 and 7
    _, _, table = published()
    diffs = [abs(5.0 - table[("interpretability", "task_length")]),
             abs(16 / 3 - table[("interpretability", "feedback_quality")])]
    hv = d["human_vs_reference"]
    assert hv["reference"] == "published" and hv["cells"] == 2
    assert hv["mean_abs_difference"] == pytest.approx(sum(diffs) / 2)
    pair = np.array([[5.0, 16 / 3], [table[("interpretability", "task_length")],
                                     table[("interpretability", "feedback_quality")]]])
    assert hv["alpha"] == pytest.approx(krippendorff.alpha(reliability_data=pair,
                                                           level_of_measurement="interval"))
    assert d["progress"] == {"answered": 6, "total": 21, "raters_started": 3, "raters": 3}
    assert d["colours"] == {"safety": "#1f77b4", "capabilities": "#d62728"}  # as the timeline's
    assert [r["answered"] for r in d["raters"]] == [2, 2, 2]
    assert d["headline"].startswith("Round 1 of 2 is open: 6 of 21 answers (29%) from 3 of 3 raters.")


def test_round_two_shows_the_group_without_pseudonyms(client):
    made = create(client, raters=["Ada", "Bo", "Cy"], cells=["interpretability:task_length"])
    tokens = [r["token"] for r in made["raters"]]
    save(client, tokens[0], value=2.0, low=1.0, high=4.0, rationale="mine: short loops")
    save(client, tokens[1], value=8.0, low=6.0, high=9.0, rationale="Bo thinks long tasks")
    save(client, tokens[2], value=5.0, low=4.0, high=6.0, rationale="Cy's view")
    before = client.get("/api/rater", headers=auth(tokens[0])).json()
    assert before["cells"][0]["group"] is None                 # nothing about others in round 1
    close(client, made)
    view = client.get("/api/rater", headers=auth(tokens[0])).json()
    cell = view["cells"][0]
    group = cell["group"]
    assert view["round"]["number"] == 2 and cell["answer"] is None
    assert cell["previous"]["value"] == 2.0 and cell["previous"]["round"] == 1
    assert group["median"] == 5.0 and group["n"] == 3
    assert [(x["value"], x["low"], x["high"], x["own"]) for x in group["answers"]] == [
        (2.0, 1.0, 4.0, True), (5.0, 4.0, 6.0, False), (8.0, 6.0, 9.0, False)]
    assert sorted(group["rationales"]) == ["Bo thinks long tasks", "Cy's view"]
    text = json.dumps(group)
    for hidden in ("R02", "R03", "Bo\"", "pseudonym", "rater", tokens[1]):
        assert hidden not in text
    other = client.get("/api/rater", headers=auth(tokens[2])).json()["cells"][0]["group"]
    assert sorted(other["rationales"]) == ["Bo thinks long tasks", "mine: short loops"]
    # the order is fixed (a hash of the text, not the raters' order or time)
    assert client.get("/api/rater", headers=auth(tokens[0])).json()["cells"][0]["group"] == group


def posted_model() -> dict:
    """A two-area model with a human author, two LLM raters and a factor rated lower-is-better."""
    ratings = []
    values = {"author": {("a", "speed"): 2, ("a", "risk"): 4, ("b", "speed"): 5, ("b", "risk"): 1},
              "gpt": {("a", "speed"): 3, ("a", "risk"): 2, ("b", "speed"): 4, ("b", "risk"): 2},
              "claude": {("a", "speed"): 5, ("a", "risk"): 4, ("b", "speed"): 4, ("b", "risk"): 4}}
    for rater, cells in values.items():
        for (area, factor), v in cells.items():
            ratings.append({"area": area, "factor": factor, "rater": rater, "value": v})
    return {"schema_version": 1, "id": "tiny", "name": "Tiny", "scale": {"min": 1, "max": 5},
            "categories": ["safety", "capabilities"],
            "factors": [{"id": "speed", "name": "Speed", "weight": 3.0},
                        {"id": "risk", "name": "Risk", "weight": 1.0, "direction": "lower"}],
            "areas": [{"id": "a", "name": "Area A", "category": "safety"},
                      {"id": "b", "name": "Area B", "category": "capabilities"}],
            "raters": [{"id": "author", "kind": "human"}, {"id": "gpt", "kind": "llm"},
                       {"id": "claude", "kind": "llm"}],
            "ratings": ratings}


def test_a_posted_model_with_llm_raters_pools_and_compares_by_hand(client):
    r = client.post("/api/campaigns", json={"model": posted_model(), "name": "Tiny", "raters": 2})
    assert r.status_code == 201, r.text
    made = r.json()
    t1, t2 = (x["token"] for x in made["raters"])
    for token, v in ((t1, 1.0), (t2, 4.0)):
        assert save(client, token, "speed", "a", value=v, low=None, high=None).status_code == 200
    assert save(client, t1, "risk", "b", value=5.0, low=None, high=None).status_code == 200
    d = dash(client, made)
    assert d["scores"]["kinds"] == ["human", "llm"]

    def orient(factor, v):   # risk is lower-is-better on a 1-5 scale
        return 6 - v if factor == "risk" else v
    author = {("a", "speed"): 2, ("a", "risk"): 4, ("b", "speed"): 5, ("b", "risk"): 1}
    llm = {("a", "speed"): 4.0, ("a", "risk"): 3.0, ("b", "speed"): 4.0, ("b", "risk"): 3.0}
    experts = {("a", "speed"): [1.0, 4.0], ("b", "risk"): [5.0]}

    def pooled(cell, human_w=5.0, llm_w=3.0):
        humans = [orient(cell[1], author[cell])] + [orient(cell[1], v) for v in experts.get(cell, [])]
        h = sum(humans) / len(humans)
        return (human_w * h + llm_w * orient(cell[1], llm[cell])) / (human_w + llm_w)
    for area in ("a", "b"):
        want = (3 * pooled((area, "speed")) + pooled((area, "risk"))) / 4
        got = next(x for x in d["scores"]["areas"] if x["id"] == area)["pooled"]
        assert got == pytest.approx(want, abs=1e-12)
    hv = d["human_vs_reference"]
    assert hv["reference"] == "llm" and sorted(hv["reference_raters"]) == ["claude", "gpt"]
    # experts' mean vs the LLMs' mean, oriented: a:speed 2.5 vs 4; b:risk 6-5=1 vs 6-3=3
    assert hv["cells"] == 2 and hv["mean_abs_difference"] == pytest.approx((1.5 + 2.0) / 2)
    assert hv["alpha"] == pytest.approx(krippendorff.alpha(
        reliability_data=np.array([[2.5, 1.0], [4.0, 3.0]]), level_of_measurement="interval"))
    view = client.get("/api/rater", headers=auth(t1)).json()
    risk = next(c for c in view["cells"] if c["factor"] == "risk")
    assert risk["direction"] == "lower" and risk["scale"] == {"low": 1.0, "high": 5.0}


def test_pooled_scores_equal_score_with_the_exported_ratings(client, cli, tmp_path):
    """Many raters, two rounds, 'not my area': the dashboard's pooled scores are those of
    `autosafety score MODEL --ratings export.csv --source-weight human=5 --source-weight
    published_pooled=3`."""
    made = create(client, raters=12, cells=["interpretability:*", "*:task_length"])
    rng = np.random.default_rng(3)
    tokens = [r["token"] for r in made["raters"]]
    cells = [("interpretability", f) for f in INTERP] + [
        (a, "task_length") for a in ("ai_control", "agent_scaffolding", "post_training")]
    for token in tokens:
        for area, factor in cells:
            if rng.random() < 0.15:
                save(client, token, factor, area, value=None, low=None, high=None, not_my_area=True)
            elif rng.random() < 0.8:
                v = float(rng.integers(1, 11))
                save(client, token, factor, area, value=v, low=None, high=None)
    close(client, made)
    for token in tokens[:5]:
        save(client, token, "task_length", "ai_control", value=9.0, low=None, high=None)
    r = client.get(f"/api/campaigns/{made['id']}/export.csv", headers=auth(made["organiser_token"]))
    (tmp_path / "ratings.csv").write_text(r.text)
    run = cli("score", "wehner-2026", "--ratings", str(tmp_path / "ratings.csv"), "--source-weight",
              "human=5", "--source-weight", "published_pooled=3", "--format", "json")
    assert run.code == 0, run.err
    want = {a["id"]: a["score"] for a in json.loads(run.out)["areas"]}
    got = {a["id"]: a["pooled"] for a in dash(client, made)["scores"]["areas"]}
    assert got == pytest.approx(want, abs=1e-9)
