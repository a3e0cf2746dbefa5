"""The JSON API: same numbers as the CLI, validation, errors as 4xx with located problems."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import autosafety
from autosafety.cli import main
from autosafety.model import load_model, parse_model_text
from autosafety.model._core import TIE_DECIMALS

PUBLISHED = {"interpretability": 5.53, "alignment_theory": 4.04, "scalable_oversight": 4.76,
             "ai_control": 5.78, "dangerous_capability_evals": 5.93,
             "pretraining_algorithms": 5.37, "post_training": 6.21, "data_generation": 6.22,
             "agent_scaffolding": 7.35, "training_efficiency": 7.09}


def cli_json(capsys, *args: str) -> dict:
    try:
        main(list(args))
    except SystemExit as e:
        assert e.code in (0, None)
    return json.loads(capsys.readouterr().out)


def test_lists_and_serves_builtin_models(client):
    names = [m["name"] for m in client.get("/api/models").json()]
    assert "wehner-2026" in names
    spec = client.get("/api/models/wehner-2026").json()["model"]
    assert spec == load_model("wehner-2026").spec.model_dump(mode="json")


def test_published_scores_to_two_decimals(client):
    result = client.post("/api/score", json={"model": "wehner-2026"}).json()
    assert {a["id"]: round(a["score"], 2) for a in result["areas"]} == PUBLISHED
    assert round(result["categories"]["safety"], 2) == 5.21
    assert round(result["categories"]["capabilities"], 2) == 6.45


def test_score_matches_the_cli(client, capsys):
    body = {"model": "wehner-2026", "weights": {"feedback_quality": 6, "task_length": 0.5}, "grid": True,
            "ratings": {"interpretability:feedback_quality": 9}}
    api = client.post("/api/score", json=body).json()
    cli = cli_json(capsys, "score", "wehner-2026", "-w", "feedback_quality=6", "-w",
                   "task_length=0.5", "-r", "interpretability:feedback_quality=9", "-f", "json")
    assert {k: api[k] for k in cli} == cli
    assert api["pooled"]["interpretability"]["feedback_quality"] == 9


def test_a_posted_model_scores_like_the_builtin(client):
    spec = client.get("/api/models/wehner-2026").json()["model"]
    by_name = client.post("/api/score", json={"model": "wehner-2026"}).json()
    by_data = client.post("/api/score", json={"model": spec}).json()
    assert by_name["areas"] == by_data["areas"]


@pytest.mark.parametrize("name", ["wehner-2026", "safety-fields-2026"])
@pytest.mark.parametrize("seed", range(3))
def test_score_answer_orders_ranks_and_ties_as_the_engine(client, name, seed):
    # safety-fields-2026 has tied areas; random weights move them apart or together.
    rng = np.random.default_rng(seed)
    model = load_model(name)
    weights = {f: float(w) for f, w in zip(model.factor_ids, rng.integers(0, 3, len(model.factor_ids)))}
    weights[model.factor_ids[0]] += 1
    resp = client.post("/api/score", json={"model": name, "weights": weights})
    assert resp.headers["content-type"] == "application/json"
    assert "frame-ancestors 'none'" in resp.headers["content-security-policy"]
    got = resp.json()
    result = model.score(weights=weights)
    by_score = np.argsort(-np.round(result.scores, TIE_DECIMALS), kind="stable")
    assert [a["id"] for a in got["areas"]] == [model.area_ids[i] for i in by_score]
    counts = np.bincount(result.ranks)
    for a in got["areas"]:
        i = model.area_ids.index(a["id"])
        assert (a["score"], a["rank"], a["tied"]) == (result.scores[i], result.ranks[i],
                                                      counts[result.ranks[i]] > 1)
    assert got["categories"] == result.category_scores and got["gaps"] == result.gaps
    assert got["weights"] == dict(zip(model.factor_ids, result.weights.tolist()))


def assert_problems(resp, status: int, location_part: str) -> list[dict]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["error"]
    assert any(location_part in p["location"] for p in body["problems"]), body
    assert all({"location", "message", "fix"} <= set(p) for p in body["problems"])
    return body["problems"]


def test_unknown_factor_weight_is_located(client):
    resp = client.post("/api/score", json={"model": "wehner-2026", "weights": {"nope": 1}})
    problems = assert_problems(resp, 422, "weight nope")
    assert "feedback_quality" in problems[0]["fix"]


def test_rating_outside_scale_and_bad_cell_key(client):
    resp = client.post("/api/score", json={"model": "wehner-2026",
                                           "ratings": {"interpretability:task_length": 11}})
    assert_problems(resp, 422, "rating interpretability:task_length")
    resp = client.post("/api/score", json={"model": "wehner-2026", "ratings": {"nocolon": 3}})
    assert_problems(resp, 422, "ratings.nocolon")


@pytest.mark.parametrize("ref", ["/etc/passwd", "../src/autosafety/data/wehner-2026.yaml",
                                 "wehner-2026.yaml"])
def test_file_paths_are_never_opened(client, ref):
    resp = client.post("/api/score", json={"model": ref})
    problems = assert_problems(resp, 422, "model")
    assert "unknown built-in model" in problems[0]["message"]


@pytest.mark.parametrize("body", ['{"model": "wehner-2026", "weights": {"task_length": NaN}}',
                                  '{"model": ', "[]", '{"model": "wehner-2026", "extra": 1}',
                                  '{"weights": {}}'])
def test_malformed_requests_get_422(client, body):
    resp = client.post("/api/score", content=body, headers={"content-type": "application/json"})
    assert resp.status_code == 422
    assert resp.json()["problems"]


def test_invalid_posted_model_lists_every_problem(client):
    spec = load_model("wehner-2026").spec.model_dump(mode="json")
    spec["factors"][0]["weight"] = -1
    spec["areas"][0]["category"] = ""
    problems = assert_problems(client.post("/api/score", json={"model": spec}), 422,
                               "factors[0].weight")
    assert any("areas[0].category" in p["location"] for p in problems)


def test_body_over_one_megabyte_is_refused(client):
    big = json.dumps({"model": "wehner-2026", "weights": {"x" * (1024 * 1024): 1}})
    assert_problems(client.post("/api/score", content=big,
                                headers={"content-type": "application/json"}), 413, "request")


def test_chunked_body_over_the_cap_is_refused(client):
    def chunks():
        yield b'{"model": "wehner-2026", "weights": {"'
        for _ in range(80):
            yield b"x" * 16384
        yield b'": 1}}'

    resp = client.post("/api/score", content=chunks(), headers={"content-type": "application/json"})
    assert resp.status_code == 413


def test_upload_parses_yaml_and_reports_broken_files(client):
    from autosafety.model import dump_model

    text = dump_model(load_model("safety-fields-2026"), "yaml")
    ok = client.post("/api/parse", json={"text": text, "format": "yaml", "filename": "m.yaml"})
    assert ok.status_code == 200
    assert ok.json()["model"]["id"] == "safety-fields-2026"
    broken = client.post("/api/parse", json={"text": "factors: [\n  - id: a\n weight", "format": "yaml",
                                             "filename": "broken.yaml"})
    problems = assert_problems(broken, 422, "broken.yaml: line")
    assert "YAML" in problems[0]["message"]
    csv = client.post("/api/parse", json={"text": "area,factor,rater,value\n", "format": "csv"})
    assert_problems(csv, 422, "line 1")


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv"])
def test_export_loads_back_to_the_same_model(client, fmt):
    model = load_model("wehner-2026").with_weights({"scheming_risk": 3.0})
    resp = client.post("/api/export", json={"model": model.spec.model_dump(mode="json"),
                                            "format": fmt})
    assert resp.status_code == 200
    assert "attachment" in resp.headers["content-disposition"]
    assert parse_model_text(resp.text, fmt=fmt).spec == model.spec


def test_compare_with_published_shows_weights_cells_and_rank_changes(client):
    model = load_model("wehner-2026").with_weights({"feedback_quality": 0.0})
    spec = model.spec.model_dump(mode="json")
    spec["ratings"] = [dict(r, value=10.0) if (r["area"], r["factor"]) ==
                       ("alignment_theory", "task_length") else r for r in spec["ratings"]]
    cmp = client.post("/api/compare", json={"model": spec, "against": "wehner-2026"}).json()
    assert [w["factor"] for w in cmp["weights"]] == ["feedback_quality"]
    assert cmp["weights"][0]["other"] == 2.5
    assert [(c["area"], c["factor"], c["mine"]) for c in cmp["cells"]] == [
        ("alignment_theory", "task_length", 10.0)]
    mine = load_model("wehner-2026").with_weights({"feedback_quality": 0.0})
    assert cmp["rank_changes"] == sum(1 for a in cmp["areas"] if a["rank"] != a["other_rank"])
    assert cmp["rank_changes"] > 0
    assert cmp["gaps"]["other"]["capabilities - safety"] == pytest.approx(6.45 - 5.21, abs=0.01)
    assert cmp["categories"]["mine"] != mine.score().category_scores


def test_compare_puts_each_model_on_its_own_side(client):
    # "yours": task_length alone, so each score is the raw task_length rating (computed here from
    # the ratings table); "published": the 004 post's table, safety 5.21, capabilities 6.45
    published = load_model("wehner-2026")
    mine = published.with_weights({f: float(f == "task_length") for f in published.factor_ids})
    spec = mine.spec.model_dump(mode="json")
    length = {r["area"]: r["value"] for r in spec["ratings"] if r["factor"] == "task_length"}
    cats = {a["id"]: a["category"] for a in spec["areas"]}
    mean = {c: np.mean([v for a, v in length.items() if cats[a] == c]) for c in ("safety", "capabilities")}
    cmp = client.post("/api/compare", json={"model": spec, "against": "wehner-2026"}).json()
    assert cmp["categories"]["mine"] == pytest.approx(mean)
    assert cmp["categories"]["other"] == pytest.approx({"safety": 5.21, "capabilities": 6.45}, abs=0.005)
    assert cmp["gaps"]["mine"]["capabilities - safety"] == pytest.approx(
        mean["capabilities"] - mean["safety"])
    assert cmp["gaps"]["other"]["capabilities - safety"] == pytest.approx(1.24, abs=0.01)
    for area in cmp["areas"]:
        assert area["score"] == pytest.approx(length[area["id"]])
        assert area["rank"] == 1 + sum(v > length[area["id"]] for v in length.values())
    published_scores = dict(zip(published.area_ids, published.score().scores))
    assert {a["id"]: a["other_score"] for a in cmp["areas"]} == pytest.approx(published_scores)
    assert {(w["factor"], w["mine"], w["other"]) for w in cmp["weights"]} == {
        (f, float(f == "task_length"), float(w)) for f, w in zip(published.factor_ids, published.weights)
        if float(f == "task_length") != w}


def test_unknown_routes_and_models_are_404_with_problems(client):
    assert_problems(client.get("/api/models/nope"), 404, "/api/models/nope")
    assert client.get("/api/nothing").status_code == 404
    assert client.put("/api/score", json={}).status_code == 405


def test_security_headers_and_escaped_page(client):
    resp = client.get("/")
    assert resp.status_code == 200
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["x-frame-options"] == "DENY"
    for data in (client.get("/api/models"), client.get("/api/models/nope"),
                 client.post("/api/score", content=b"x" * 2_000_000)):
        assert data.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert data.headers["x-content-type-options"] == "nosniff"
    assert "cdn" not in resp.text.lower()
    assert '"plotly": true' in resp.text  # loaded from /vendor/plotly.min.js by the page script
    assert re.findall(r'(?:src|href)="(https?:)?//', resp.text) == []
    first_row = re.search(r"<tbody>\s*<tr[^>]*><td>1</td><td>([^<]+)</td>", resp.text)
    assert first_row and first_row.group(1) == "Agent Scaffolding"  # rendered before any script
    js = client.get("/vendor/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    assert b"plotly.js (cartesian - minified) v4.1.1" in js.content[:200]
    # offline: no shipped script, style or template holds a URL on a CDN host
    cdn = re.compile(rb"(?:https?:)?//[^\s\"'()]*(?:cdn|unpkg\.com|jsdelivr|googleapis)", re.I)
    root = Path(autosafety.__file__).parent
    shipped = [f for pattern in ("web/static/**/*.js", "web/static/**/*.css", "web/templates/*.html",
                                 "schemes/static/*", "schemes/templates/*.html")
               for f in root.glob(pattern)]
    assert len(shipped) > 5
    assert [f.name for f in shipped if cdn.search(f.read_bytes())] == []
    assert client.get("/static/js/main.js").status_code == 200


def test_openapi_documents_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/models", "/api/score", "/api/compare", "/api/scenarios", "/api/share"):
        assert path in paths
