"""Monte Carlo and sensitivity over the API: the analysis engine's numbers, caps and timeouts."""

from __future__ import annotations

from fastapi.testclient import TestClient

from autosafety.analysis import flip_thresholds, monte_carlo, tornado
from autosafety.model import load_model
from autosafety.web import create_app
from autosafety.web._schemas import MAX_DRAWS
from autosafety.web.routers.analysis import plain_text


def test_monte_carlo_matches_the_engine(client):
    body = {"model": "wehner-2026", "draws": 3000, "seed": 7, "rating_noise": 0.05,
            "weight_concentration": 40, "figures": True}
    got = client.post("/api/montecarlo", json=body).json()
    want = monte_carlo(load_model("wehner-2026"), draws=3000, seed=7, rating_noise=0.05,
                       weight_concentration=40, workers=1).to_dict()
    assert got["result"]["areas"] == want["areas"]
    assert got["result"]["categories"] == want["categories"]
    assert {"scores", "ranks"} <= set(got["figures"])
    assert got["figures"]["ranks"]["data"][0]["type"] == "heatmap"


def test_monte_carlo_weight_overrides_and_scenarios(client):
    body = {"model": "wehner-2026", "draws": 500, "weights": {"feedback_quality": 0},
            "scenarios": [{"name": "scheming", "probability": 0.3, "weights": {"scheming_risk": 3}},
                          {"name": "not", "probability": 0.7}]}
    got = client.post("/api/montecarlo", json=body).json()["result"]
    assert sum(got["scenarios"].values()) == 500
    assert got["settings"]["scenarios"][0]["weights"] == {"scheming_risk": 3.0}


def test_draws_are_capped_and_bad_settings_are_422(client):
    too_many = client.post("/api/montecarlo", json={"model": "wehner-2026", "draws": MAX_DRAWS + 1})
    assert too_many.status_code == 422
    assert too_many.json()["problems"][0]["location"] == "draws"
    for bad in ({"rating_noise": -1}, {"weight_concentration": 0}, {"seed": -3},
                {"scenarios": [{"name": "a", "probability": 0.5}]},
                {"scenarios": [{"name": "a", "probability": 1, "colour": "red"}]}):
        resp = client.post("/api/montecarlo", json={"model": "wehner-2026", "draws": 10, **bad})
        assert resp.status_code == 422, bad
        assert resp.json()["problems"]


def test_sensitivity_matches_the_engine(client):
    body = {"model": "wehner-2026", "weights": {"scheming_risk": 1.2},
            "ratings": {"ai_control:feedback_quality": 8}, "figures": True}
    got = client.post("/api/sensitivity", json=body).json()
    m = load_model("wehner-2026")
    kw = {"weights": {"scheming_risk": 1.2}, "ratings": {("ai_control", "feedback_quality"): 8.0}}
    assert got["flips"] == flip_thresholds(m, **kw).to_dict()
    assert got["tornado"] == tornado(m, **kw).to_dict()
    assert got["figures"]["tornado"]["data"][0]["orientation"] == "h"
    one_category = client.post("/api/sensitivity", json={"model": "safety-fields-2026",
                                                         "figures": True}).json()
    assert one_category["figures"] == {} and one_category["flips"]["categories"] == []


def test_figure_labels_are_escaped_but_templates_kept():
    fig = {"data": [{"y": ["<img src=x onerror=alert(1)>"], "hovertemplate": "%{y}<extra></extra>",
                     "marker": {"color": ["#1f77b4"]}}], "layout": {"title": {"text": "a & b"}}}
    out = plain_text(fig)
    assert out["data"][0]["y"] == ["&lt;img src=x onerror=alert(1)&gt;"]
    assert out["data"][0]["hovertemplate"] == "%{y}<extra></extra>"
    assert out["layout"]["title"]["text"] == "a &amp; b"


def test_slow_requests_time_out_with_503(tmp_path):
    app = create_app(database_url=f"sqlite:///{tmp_path / 't.db'}", timeout=0.001)
    with TestClient(app) as c:
        resp = c.post("/api/montecarlo", json={"model": "wehner-2026", "draws": MAX_DRAWS})
    assert resp.status_code == 503
    assert "took longer" in resp.json()["problems"][0]["message"]


def test_a_bad_scenario_is_422_naming_the_field(client):
    for scenario, location in (
            ({"name": "a", "probability": 1, "weights": {"scheming_risk": "lots"}},
             "scenarios.0.weights.scheming_risk"),
            ({"name": "a", "probability": 1, "ratings": {"ai_control": 3}},
             "scenarios.0.ratings.ai_control"),
            ({"name": "a", "probability": 2}, "scenarios.0.probability")):
        resp = client.post("/api/montecarlo", json={"model": "wehner-2026", "draws": 10,
                                                    "scenarios": [scenario]})
        assert resp.status_code == 422, resp.text
        assert [p["location"] for p in resp.json()["problems"]] == [location]


def test_openapi_describes_the_scenario_body(client):
    spec = client.get("/openapi.json").json()
    body = spec["components"]["schemas"]["MonteCarloRequest"]["properties"]["scenarios"]
    assert body["items"] == {"$ref": "#/components/schemas/Scenario"}
    scenario = spec["components"]["schemas"]["Scenario"]
    assert scenario["required"] == ["name", "probability"]
    assert scenario["properties"]["weights"]["additionalProperties"] == {"type": "number",
                                                                         "minimum": 0}
    assert scenario["properties"]["ratings"]["patternProperties"] == {
        "^[^:]+:[^:]+$": {"type": "number"}}


def test_the_three_front_ends_refuse_the_same_cell_keys(client):
    """CLI --rating, API ratings and scenario ratings read keys with one parser: same verdicts."""
    from autosafety._errors import InputError
    from autosafety.analysis import Scenario
    from autosafety.cli._common import parse_cell_assignments
    from autosafety.web._deps import parse_cells

    for key, ok in (("a:f", True), ("a", False), (":f", False), ("a:", False), ("a:f:g", False)):
        outcomes = []
        for parse in (lambda k: parse_cells({k: 1.0}),
                      lambda k: parse_cell_assignments([f"{k}=1"], option="--rating"),
                      lambda k: Scenario.model_validate({"name": "x", "probability": 1,
                                                         "ratings": {k: 1}})):
            try:
                parse(key)
                outcomes.append(True)
            except (InputError, ValueError):
                outcomes.append(False)
        resp = client.post("/api/sensitivity", json={"model": "wehner-2026", "ratings": {key: 5}})
        outcomes.append("is not AREA:FACTOR" not in resp.text)  # 'a' is no area: 422 all the same
        assert outcomes == [ok] * 4, key
