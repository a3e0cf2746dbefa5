"""The interview and seed-question API: the rater's token in `Authorization: Bearer`, one 404 body
for every token that opens nothing, versioned saves (a stale one gets 409 with the stored value),
every bad field a located 422 (never a 5xx), and no realization or source ever sent to a rater."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from autosafety.campaign import CampaignStore
from autosafety.campaign._seeds import SeedQuestion
from autosafety.campaign._seeds_store import SeedStore
from autosafety.model import load_model
from autosafety.web import create_app

SEEDS = [SeedQuestion("horizon", "METR 50% horizon of Claude 3.7 Sonnet?", "minutes", 59.123,
                      "arXiv 2503.14499", "log"),
         SeedQuestion("doubling", "Doubling time 2019-2025?", "days", 212.5, "METR blog", "uni")]


@pytest.fixture
def setup(tmp_path) -> Iterator[tuple[TestClient, list[str]]]:
    url = f"sqlite:///{tmp_path / 'iv.db'}"
    store = CampaignStore(url)
    made = store.create(load_model("wehner-2026"), name="Pilot", model_ref="wehner-2026",
                        cells=[("interpretability", "task_length")], raters=[None, None], rounds=2)
    other = store.create(load_model("wehner-2026"), name="Other", model_ref="wehner-2026",
                         cells=[("interpretability", "task_length")], raters=[None], rounds=1)
    SeedStore(store).add_questions(made.id, SEEDS)
    store.close()
    with TestClient(create_app(database_url=url), raise_server_exceptions=False) as c:
        yield c, [r.token for r in made.raters] + [other.raters[0].token]


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


INTERVIEW = {"area": "interpretability", "tasks": [
    {"id": "implementation", "share": 70, "duration": {"unit": "hours", "q05": 1, "q50": 4, "q95": 16},
     "speedup": {"q05": 1.1, "q50": 1.5, "q95": 3}, "verifiability": 0.7, "compute_fraction": 0.1,
     "review_overhead": 0.05},
    {"id": "writing", "share": 30, "duration": {"unit": "days", "low": 0.5, "high": 2},
     "verifiability": 0.4, "compute_fraction": 0, "review_overhead": 0}]}


def test_unknown_foreign_and_missing_tokens_get_one_404_body(setup):
    client, tokens = setup
    bodies = []
    for headers in ({}, auth("x" * 43), auth("short"), {"authorization": "Basic abc"}):
        for method, path, body in (("GET", "/api/interview", None),
                                   ("PUT", "/api/interview", {"version": 0, "interview": INTERVIEW}),
                                   ("GET", "/api/seeds", None),
                                   ("PUT", "/api/seeds/horizon", {"version": 0, "q05": 1, "q50": 2,
                                                                  "q95": 3})):
            r = client.request(method, path, headers=headers, json=body)
            assert r.status_code == 404, (method, path, headers, r.text)
            bodies.append(r.json())
    # a real token of another campaign asking for this campaign's seed question: the same 404
    r = client.put("/api/seeds/horizon", headers=auth(tokens[2]), json={"version": 0, "q05": 1, "q50": 2,
                                                                         "q95": 3})
    assert r.status_code == 404
    bodies.append(r.json())
    assert all(b == bodies[0] for b in bodies)


def test_an_interview_saves_as_a_draft_then_complete_with_versions(setup):
    client, tokens = setup
    r = client.get("/api/interview", headers=auth(tokens[0]))
    assert r.status_code == 200
    d = r.json()
    assert d["version"] == 0 and d["interview"] is None and not d["complete"]
    assert [a["id"] for a in d["areas"]][:2] == ["interpretability", "alignment_theory"]
    assert "literature" in [t["id"] for t in d["task_types"]] and "hours" in d["units"]
    draft = {"area": "interpretability", "tasks": [{"id": "writing", "share": 80}]}
    r = client.put("/api/interview", headers=auth(tokens[0]), json={"version": 0, "interview": draft})
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 1 and r.json()["share_total"] == 80 and not r.json()["complete"]
    assert {"location": "interview.tasks", "message": "shares of time sum to 80%, not 100%",
            "fix": "make the shares add up to 100% (within 0.5)"} in r.json()["problems"]
    # a final save of an incomplete interview: refused, located
    r = client.put("/api/interview", headers=auth(tokens[0]),
                   json={"version": 1, "interview": draft, "draft": False})
    assert r.status_code == 422
    assert "interview.tasks" in [p["location"] for p in r.json()["problems"]]
    r = client.put("/api/interview", headers=auth(tokens[0]),
                   json={"version": 1, "interview": INTERVIEW, "draft": False})
    assert r.status_code == 200 and r.json() == {"version": 2, "complete": True, "share_total": 100.0,
                                                 "problems": []}
    # a second tab still at version 1: 409 with the stored interview, nothing overwritten
    r = client.put("/api/interview", headers=auth(tokens[0]), json={"version": 1, "interview": draft})
    assert r.status_code == 409
    current = r.json()["current"]
    assert current["version"] == 2 and current["interview"]["tasks"][0]["share"] == 70
    got = client.get("/api/interview", headers=auth(tokens[0])).json()
    assert got["version"] == 2 and got["complete"] and got["interview"]["tasks"][1]["duration"] == {
        "unit": "days", "q05": 0.5, "q50": None, "q95": 2.0}
    # the other rater sees nothing of it
    assert client.get("/api/interview", headers=auth(tokens[1])).json()["interview"] is None


@pytest.mark.parametrize(("interview", "location"), [
    ({"area": "astrology"}, "interview.area"),
    ({"tasks": [{"id": "x", "share": 50, "duration": {"q05": 9, "q50": 3, "q95": 1}}]},
     "interview.tasks[0] (x).duration"),
    ({"tasks": [{"id": "x", "share": 101}]}, "interview.tasks[0] (x).share"),
    ({"tasks": [{"id": "x", "share": "half"}]}, "interview.tasks[0] (x).share"),
    ({"tasks": [{"id": "x", "note": "n" * 2001}]}, "interview.tasks[0] (x).note"),
    ({"tasks": [{"id": f"t{i}"} for i in range(31)]}, "interview.tasks"),
    ({"tasks": "all of them"}, "interview.tasks"),
    ({"area": ["interpretability"]}, "interview.area"),
])
def test_bad_interview_fields_are_located_422s(setup, interview, location):
    client, tokens = setup
    r = client.put("/api/interview", headers=auth(tokens[0]), json={"version": 0, "interview": interview})
    assert r.status_code == 422, r.text
    assert location in [p["location"] for p in r.json()["problems"]]


@pytest.mark.parametrize("body", [
    {"version": 0}, {"version": -1, "interview": {}}, {"version": 0, "interview": []},
    {"version": 0, "interview": {}, "extra": 1}, {"version": "x", "interview": {}}])
def test_malformed_bodies_are_422(setup, body):
    client, tokens = setup
    r = client.put("/api/interview", headers=auth(tokens[0]), json=body)
    assert r.status_code == 422 and "problems" in r.json()


def test_seed_answers_never_see_the_realization_and_are_versioned(setup):
    client, tokens = setup
    r = client.get("/api/seeds", headers=auth(tokens[0]))
    assert r.status_code == 200
    text = r.text
    assert "59.123" not in text and "212.5" not in text and "arXiv" not in text and "METR blog" not in text
    assert "realization" not in text and "source" not in text
    qs = r.json()["questions"]
    assert [(q["id"], q["scale"], q["version"], q["answer"]) for q in qs] == [
        ("horizon", "log", 0, None), ("doubling", "uniform", 0, None)]
    r = client.put("/api/seeds/horizon", headers=auth(tokens[0]), json={"version": 0, "q05": 20, "q50": 50,
                                                                         "q95": 120})
    assert r.status_code == 200 and r.json() == {"version": 1}
    r = client.put("/api/seeds/horizon", headers=auth(tokens[0]), json={"version": 0, "q05": 1, "q50": 2,
                                                                         "q95": 3})
    assert r.status_code == 409 and r.json()["current"]["answer"] == {"q05": 20, "q50": 50, "q95": 120}
    assert r.json()["current"]["version"] == 1 and "59.123" not in r.text
    for bad, where in (({"q05": 3, "q50": 2, "q95": 1}, "seeds.horizon"),
                       ({"q05": 0, "q50": 2, "q95": 3}, "seeds.horizon.q05")):
        r = client.put("/api/seeds/horizon", headers=auth(tokens[0]), json={"version": 1, **bad})
        assert r.status_code == 422 and r.json()["problems"][0]["location"] == where
    for body in ({"version": 1, "q05": "NaN", "q50": 2, "q95": 3}, {"version": 1, "q05": 1},
                 {"version": 1, "q05": 1, "q50": 2, "q95": 3, "note": "x"}):
        assert client.put("/api/seeds/horizon", headers=auth(tokens[0]), json=body).status_code == 422
    r = client.put("/api/seeds/nope", headers=auth(tokens[0]), json={"version": 0, "q05": 1, "q50": 2,
                                                                      "q95": 3})
    assert r.status_code == 404
    assert client.get("/api/seeds", headers=auth(tokens[1])).json()["questions"][0]["answer"] is None


def test_the_page_carries_no_token_and_no_realization(setup):
    client, _ = setup
    r = client.get("/interview")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "59.123" not in r.text and "script-src 'self'" in r.headers["content-security-policy"]


def test_the_organiser_gets_the_pool_and_the_task_model(setup, tmp_path):
    client, tokens = setup
    store = CampaignStore(f"sqlite:///{tmp_path / 'iv.db'}")
    try:  # the organiser token is shown once at creation: make a campaign whose token we keep
        made = store.create(load_model("wehner-2026"), name="Org", model_ref="wehner-2026",
                            cells=[("interpretability", "task_length")], raters=[None, None], rounds=1)
        SeedStore(store).add_questions(made.id, SEEDS)
    finally:
        store.close()
    org, (a, b) = made.organiser_token, [r.token for r in made.raters]
    path = f"/api/campaigns/{made.id}"
    for headers in ({}, auth(a), auth(tokens[0]), auth("y" * 43)):  # raters and strangers: one 404
        assert client.get(f"{path}/pool", headers=headers).status_code == 404
        assert client.get(f"{path}/interviews", headers=headers).status_code == 404
    assert client.get("/api/campaigns/99999999999/pool", headers=auth(org)).status_code == 422
    r = client.get(f"{path}/pool", headers=auth(org))  # no seed answers yet: located, not a 5xx
    assert r.status_code == 422 and "no rater has answered a seed question" in r.text
    for token, (q05, q50, q95) in ((a, (20, 50, 120)), (b, (100, 200, 300))):
        client.put("/api/seeds/horizon", headers=auth(token), json={"version": 0, "q05": q05, "q50": q50,
                                                                     "q95": q95})
        client.put("/api/rater/answers/interpretability/task_length", headers=auth(token),
                   json={"version": 0, "value": 5, "low": 3, "high": 8, "rationale": ""})
    r = client.get(f"{path}/pool?method=equal", headers=auth(org))
    assert r.status_code == 200, r.text
    assert [x["id"] for x in r.json()["raters"]] == ["R01", "R02"] and r.json()["method"] == "equal"
    [cell] = r.json()["cells"]  # two identical answers: their pool is the answer itself
    assert (cell["low"], cell["value"], cell["high"]) == pytest.approx((3, 5, 8), abs=1e-12)
    assert client.get(f"{path}/interviews", headers=auth(org)).status_code == 422  # none complete
    client.put("/api/interview", headers=auth(a), json={"version": 0, "interview": INTERVIEW})
    client.put("/api/interview", headers=auth(b),
               json={"version": 0, "interview": {"area": "interpretability"}})
    r = client.get(f"{path}/interviews", headers=auth(org))
    assert r.status_code == 200
    shares = [t["share"] for t in r.json()["task_model"]["areas"][0]["tasks"]]
    assert shares == pytest.approx([0.7, 0.3])
    assert r.json()["left_out"][0]["location"] == "interview of R02.tasks"
