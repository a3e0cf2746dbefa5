"""The levers API and the report download against the engine called directly: the same numbers,
the same file, 422 with the field named, and a timed-out report stopped in its worker."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autosafety import load_model
from autosafety.levers import rank_levers
from autosafety.levers._timeline import timeline_effects
from autosafety.report import render_report
from autosafety.web import create_app

TIMING = re.compile(r"computed in [0-9.]+ s\.")


def untimed(html: str) -> str:
    """The report without the one thing that changes between two runs: how long it took."""
    assert len(TIMING.findall(html)) == 1
    return TIMING.sub("computed in _ s.", html)


def test_the_ranking_is_rank_levers(client):
    for units in (1.0, 2.5, 0.0):
        r = client.post("/api/levers", json={"model": "wehner-2026", "units": units})
        assert r.status_code == 200, r.text
        assert r.json()["ranking"] == rank_levers(load_model("wehner-2026"), units=units).to_dict()
    data = client.post("/api/levers", json={}).json()
    assert data["headline"].startswith("Improve feedback quality closes the gap most: +0.291 points")
    assert data["colours"] == {"safety": "#1f77b4", "capabilities": "#d62728"}


def test_a_whole_model_and_a_one_category_model(client):
    spec = load_model("wehner-2026").spec.model_dump(mode="json")
    r = client.post("/api/levers", json={"model": spec})
    assert r.status_code == 200
    assert r.json()["ranking"]["levers"] == rank_levers(load_model("wehner-2026")).to_dict()["levers"]
    one = client.post("/api/levers", json={"model": "safety-fields-2026"}).json()
    assert one["ranking"]["capabilities"] is None
    assert "one category" in one["headline"]
    r = client.post("/api/levers/timeline", json={"model": "safety-fields-2026", "draws": 200})
    assert r.status_code == 422
    assert r.json()["problems"][0]["location"] == "safety-fields-2026"


def test_the_timeline_is_timeline_effects_with_the_same_seed(client):
    body = {"model": "wehner-2026", "draws": 2000, "seed": 5, "units": 2}
    r = client.post("/api/levers/timeline", json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    want = timeline_effects(load_model("wehner-2026"), draws=2000, seed=5, units=2).to_dict()
    assert got["levers"] == want["levers"] and got["baseline"] == want["baseline"]
    assert (got["draws"], got["seed"], got["units"]) == (2000, 5, 2)


@pytest.mark.parametrize(("body", "location"), [
    ({"units": -1}, "units"), ({"units": 11}, "units"), ({"units": "lots"}, "units"),
    ({"model": "nowhere"}, "model"), ({"colour": "red"}, "colour"), ({"model": {"id": "x"}}, "model"),
])
def test_bad_levers_bodies_are_422_with_the_field(client, body, location):
    r = client.post("/api/levers", json=body)
    assert r.status_code == 422
    assert any(p["location"].split(".")[0].split(":")[0] == location for p in r.json()["problems"]), r.json()


@pytest.mark.parametrize(("path", "body", "location"), [
    ("/api/levers/timeline", {"draws": 10}, "draws"), ("/api/levers/timeline", {"draws": 20_001}, "draws"),
    ("/api/levers/timeline", {"seed": -1}, "seed"), ("/api/report", {"draws": 5}, "draws"),
    ("/api/report", {"timeline": "maybe"}, "timeline"), ("/api/report", {"model": "nowhere"}, "model"),
    ("/api/report", {"format": "pdf"}, "format"),
])
def test_bad_timeline_and_report_bodies_are_422_with_the_field(client, path, body, location):
    r = client.post(path, json=body)
    assert r.status_code == 422
    assert [p["location"] for p in r.json()["problems"]] == [location], r.json()


def test_bad_report_queries_are_422_with_the_field(client):
    r = client.get("/api/report", params={"draws": "many"})
    assert r.status_code == 422 and r.json()["problems"][0]["location"].endswith("draws")
    r = client.get("/api/report", params={"model": "nowhere"})
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "model"


def test_the_report_is_render_report_with_the_same_settings(client):
    cmd = ("autosafety report wehner-2026 --levers --draws 2000 --seed 3 --format html "
           "--out autosafety-report-wehner-2026.html")
    want = untimed(render_report("wehner-2026", levers=True, draws=2000, seed=3, command=cmd))
    r = client.post("/api/report", json={"model": "wehner-2026", "levers": True, "draws": 2000, "seed": 3})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="autosafety-report-wehner-2026.html"'
    assert untimed(r.text) == want
    g = client.get("/api/report", params={"model": "wehner-2026", "draws": 2000, "seed": 3})
    assert g.status_code == 200 and untimed(g.text) == want
    assert cmd in want


def test_the_download_name_of_a_sent_model(client):
    spec = load_model("wehner-2026").spec.model_dump(mode="json")
    spec["id"] = "my.model-2"
    r = client.post("/api/report", json={"model": spec, "levers": False, "draws": 200})
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == 'attachment; filename="autosafety-report-my.model-2.html"'
    assert "autosafety report my.model-2.yaml --draws 200 --seed 0" in r.text
    spec["id"] = 'x"\r\nSet-Cookie: a=b'   # never reaches a header: model ids are refused first
    r = client.post("/api/report", json={"model": spec})
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "model: id"


def test_a_timed_out_report_is_stopped_and_frees_its_cpu(tmp_path):
    # the report below takes about 2.4 s of a worker on an idle machine, the small requests 0.06 s
    # (0.55 s for a new worker's first): a 1 s limit stops the one and lets the others through
    app = create_app(database_url=f"sqlite:///{tmp_path / 'a.db'}", timeout=1.0)
    small = {"draws": 200}
    with TestClient(app, raise_server_exceptions=False) as c:
        pool = app.state.analysis
        for _ in range(10):  # the first worker starts the fork server, which can take a while
            if c.post("/api/levers/timeline", json=small).status_code == 200:
                break
        killed = pool.killed
        r = c.post("/api/report", json={"timeline": True, "levers": True, "draws": 20_000})
        assert r.status_code == 503
        assert pool.killed == killed + 1 and pool.busy == 0
        # the server still answers (a new worker replaces the killed one, which may take a while)
        codes = [c.post("/api/levers/timeline", json=small).status_code for _ in range(10)]
        assert 200 in codes and set(codes) <= {200, 503}
        assert c.post("/api/levers", json={}).status_code == 200


def test_the_page_holds_the_ranking_before_any_script(client):
    r = client.get("/levers")
    assert r.status_code == 200
    want = rank_levers(load_model("wehner-2026")).to_dict()
    names = re.findall(r'class="lever-name"[^>]*>([^<]+)<', r.text)
    assert names == [x["name"] for x in want["levers"]]
    assert "Download report" in r.text and 'aria-current="page">Levers' in r.text
