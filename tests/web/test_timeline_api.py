"""POST /api/timeline and GET /api/timeline/presets: the same numbers as ``simulate`` and as
``autosafety timeline -f json``; bad bodies refused with the field named; timed-out work stopped."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from autosafety.timeline import default_bridge, simulate, task_model_from_data, trend_presets
from autosafety.web import create_app

COMPARED = ("milestone", "model", "kind", "trend", "seed", "draws", "areas", "pairs", "categories",
            "fan", "cdf", "assumptions")
"""Every key of the result except its run time."""


def post(client: TestClient, body: dict) -> dict:
    r = client.post("/api/timeline", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def locations(r) -> list[str]:
    return [p["location"] for p in r.json()["problems"]]


def test_api_gives_the_numbers_of_simulate_with_the_same_settings(client):
    got = post(client, {"model": "wehner-2026", "trend": "metr-2024-on", "reliability": 0.8,
                        "milestone": 5, "doubling_time": 150, "reference_horizon": 30,
                        "bridge": {"ai_speed": 30, "compute_fraction_max": 0.06}, "until": 2050,
                        "draws": 3000, "seed": 11, "subsample": 300})
    want = simulate("wehner-2026", trend="metr-2024-on", reliability=0.8, milestone=5,
                    doubling_time=150, reference_horizon=30,
                    bridge_parameters={"ai_speed": 30, "compute_fraction_max": 0.06}, until=2050,
                    draws=3000, seed=11, subsample=300).to_dict()
    want = json.loads(json.dumps(want))  # the same JSON values (tuples as lists, inf as null)
    for key in COMPARED:
        assert got[key] == want[key], key
    assert got["settings"] == want["settings"]
    # the settings really reached the engine: they move the dates
    default = post(client, {"draws": 3000, "seed": 11, "subsample": 300})
    assert [a["p50"] for a in default["areas"]] != [a["p50"] for a in got["areas"]]


def test_api_gives_the_numbers_of_the_cli(client, cli):
    run = cli("timeline", "wehner-2026", "-f", "json", "--draws", "4000", "--seed", "5",
              "--doubling-time", "180", "--set", "ai_speed=40")
    assert run.code == 0, run.err
    from_cli = json.loads(run.out)
    got = post(client, {"model": "wehner-2026", "draws": 4000, "seed": 5, "doubling_time": 180,
                        "bridge": {"ai_speed": 40}})
    for key in ("milestone", "trend", "seed", "draws", "areas", "pairs", "categories", "fan"):
        assert got[key] == from_cli[key], key
    assert got["draws"] == 4000 and len(got["areas"]) == 10


def test_the_headline_names_the_first_areas_and_the_category_probability(client):
    got = post(client, {"draws": 2000, "seed": 1, "subsample": 200})
    areas = got["areas"]
    first = {c: min((a for a in areas if a["category"] == c and a["p50"] is not None),
                    key=lambda a: a["p50"]) for c in ("safety", "capabilities")}
    lead, other = sorted(first, key=lambda c: first[c]["p50"])
    p = got["categories"][f"p_all_{other}_before_median_{lead}"]
    text = got["summary"]["headline"]
    assert text.startswith(f"{lead.capitalize()} reaches 10x first: median "
                           f"{first[lead]['p50']:.1f} ({first[lead]['name']})")
    assert f"{other}'s first: median {first[other]['p50']:.1f} ({first[other]['name']})" in text
    assert f"P(every {other} area reaches 10x before the median {lead} area) = " in text
    assert abs(float(text.rsplit("= ", 1)[1].rstrip(".")) - p) < 0.005
    assert "_" not in text  # names, never ids


def test_figures_are_the_engine_figures_of_the_same_run(client):
    from autosafety.analysis.figures import PALETTE
    from autosafety.timeline import figures

    got = post(client, {"draws": 1500, "seed": 2, "subsample": 300, "figures": True})
    res = simulate("wehner-2026", draws=1500, seed=2, subsample=300)
    want = json.loads(json.dumps({"fan": figures.fan(res), "cdf": figures.cdf(res),
                                  "pairs": figures.pairs(res)}))
    assert got["figures"] == want
    assert got["colours"] == {c: PALETTE[i] for i, c in enumerate(res.categories)}
    fan_colours = {t["line"]["color"] for t in got["figures"]["fan"]["data"] if "name" in t}
    assert fan_colours == set(got["colours"].values())


def test_an_inline_task_level_model(client):
    tasks = {"id": "two", "name": "Two areas", "categories": ["safety", "capabilities"], "areas": [
        {"id": "evals", "name": "Evaluations", "category": "safety", "tasks": [
            {"id": "write", "share": 0.6, "duration": {"value": 2, "low": 1, "high": 4}},
            {"id": "run", "share": 0.4, "duration": {"value": 1},
             "compute_fraction": {"value": 0.05}}]},
        {"id": "scaling", "name": "Scaling", "category": "capabilities", "tasks": [
            {"id": "code", "share": 1.0, "duration": {"value": 0.5, "low": 0.2, "high": 1}}]}]}
    got = post(client, {"tasks": tasks, "draws": 2000, "seed": 4, "subsample": 300})
    want = simulate(task_model_from_data(tasks), draws=2000, seed=4, subsample=300).to_dict()
    assert [a["name"] for a in got["areas"]] == ["Evaluations", "Scaling"]
    assert got["areas"] == json.loads(json.dumps(want["areas"]))
    assert got["kind"] == "tasks"


@pytest.mark.parametrize(("body", "where"), [
    ({"draws": 0}, "draws"),
    ({"draws": 200_001}, "draws"),
    ({"reliability": 1.0}, "reliability"),
    ({"doubling_time": -5}, "doubling_time"),
    ({"reference_horizon": 0}, "reference_horizon"),
    ({"milestone": 1}, "milestone"),
    ({"subsample": 0}, "subsample"),
    ({"colour": "red"}, "colour"),
    ({"until": 2500}, "until"),
    ({"trend": "../../etc/trend.yaml"}, "trend"),
    ({"model": "no-such-model"}, "model"),
    ({"bridge": {"ai_speed": 0}}, "bridge.ai_speed"),
    ({"bridge": {"warp_factor": 3}}, "bridge.warp_factor"),
    ({"bridge": {"compute_fraction_max": 1.5}}, "bridge.compute_fraction_max"),
    ({"bridge": {"adoption_lag_min": 5}}, "bridge.adoption_lag_min"),
    ({"model": "wehner-2026", "tasks": {"areas": []}}, "tasks"),
    ({"tasks": {"areas": [{"id": "a", "category": "x", "tasks": [
        {"id": "t", "share": 0.5, "duration": {"value": 1}}]}]}}, "tasks"),
])
def test_bad_bodies_are_refused_with_the_field_named(client, body, where):
    r = client.post("/api/timeline", json=body)
    assert r.status_code == 422, r.text
    assert any(loc == where or loc.startswith(where + ":") or loc.startswith(where + ".")
               for loc in locations(r)), r.json()


def test_every_problem_is_reported_at_once(client):
    r = client.post("/api/timeline", json={"trend": "nope", "bridge": {"ai_speed": -1, "nope": 1}})
    assert r.status_code == 422
    assert set(locations(r)) == {"trend", "bridge.ai_speed", "bridge.nope"}


def test_nan_and_malformed_json_are_refused(client):
    for raw in ('{"milestone": NaN}', '{"doubling_time": Infinity}', '{"draws": '):
        r = client.post("/api/timeline", content=raw, headers={"content-type": "application/json"})
        assert r.status_code == 422, raw


def test_presets_are_the_engine_data_with_slider_ranges(client):
    data = client.get("/api/timeline/presets").json()
    trends = trend_presets()
    assert set(data["trends"]) == set(trends)
    for name, t in trends.items():
        assert data["trends"][name]["doubling_time"]["value"] == t.doubling_time.value
        assert data["trends"][name]["doubling_time"]["source"] == t.doubling_time.source
        assert data["trends"][name]["horizons"]["0.5"]["value"] == t.horizons["0.5"].value
    bridge = default_bridge()
    assert set(data["bridge"]["parameters"]) == set(bridge.parameters)
    for name, q in bridge.parameters.items():
        p = data["bridge"]["parameters"][name]
        assert (p["value"], p["low"], p["high"], p["unit"], p["kind"], p["note"]) == \
            (q.value, q.low, q.high, q.unit, q.kind, q.note)
        assert p["min"] < q.value < p["max"] or p["min"] <= q.value <= p["max"]
        assert p["description"]
    assert [m["id"] for m in data["models"]] == ["wehner-2026"]


def test_openapi_documents_the_timeline(client):
    spec = client.get("/openapi.json").json()
    op = spec["paths"]["/api/timeline"]["post"]
    assert op["summary"] and "10x" in op["summary"]
    assert op["requestBody"]["content"]["application/json"]["example"]["model"] == "wehner-2026"
    assert "example" in op["responses"]["200"]["content"]["application/json"]
    assert "422" in op["responses"]
    assert spec["paths"]["/api/timeline/presets"]["get"]["summary"]
    schema = spec["components"]["schemas"]["TimelineRequest"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["draws"]["maximum"] == 200_000


def test_a_timed_out_timeline_is_stopped_and_frees_its_cpu(tmp_path):
    app = create_app(database_url=f"sqlite:///{tmp_path / 'a.db'}", timeout=0.6)
    small = {"draws": 200, "subsample": 50}
    with TestClient(app, raise_server_exceptions=False) as c:
        pool = app.state.analysis
        for _ in range(10):  # the first worker starts the fork server, which can take a while
            if c.post("/api/timeline", json=small).status_code == 200:
                break
        killed = pool.killed
        r = c.post("/api/timeline", json={"draws": 200_000, "subsample": 20_000})
        assert r.status_code == 503
        assert pool.killed == killed + 1 and pool.busy == 0
        assert c.post("/api/timeline", json=small).status_code == 200


def test_the_page_is_served_with_the_answer_in_the_html(client):
    r = client.get("/timeline")
    assert r.status_code == 200
    expected = post(client, {"draws": 10_000, "seed": 0, "subsample": 300})["summary"]["headline"]
    assert expected.replace("'", "&#39;") in r.text
    assert 'href="/schemes"' in r.text and 'href="/"' in r.text
    assert "cdn" not in r.text.lower()
