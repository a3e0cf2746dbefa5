"""The JSON API under /api/schemes, through the real web app: same numbers as the CLI."""

from __future__ import annotations

import yaml

from autosafety.schemes import EXAMPLES, assess, example_text, load_scheme

from .conftest import example_data


def test_examples_endpoint_lists_levels(client):
    rows = client.get("/api/schemes/examples").json()
    assert [r["name"] for r in rows] == list(EXAMPLES)
    assert [r["level"] for r in rows] == [assess(load_scheme(n)).level for n in EXAMPLES]


def test_example_endpoint_returns_text_and_report(client):
    data = client.get("/api/schemes/examples/ai-explores-oversight").json()
    assert data["text"] == example_text("ai-explores-oversight")
    assert data["level"] == 2 and data["verdict"]["kind"] == "collapses_to_level_1"
    assert data["validation"] == []
    assert client.get("/api/schemes/examples/nope").status_code == 404


def test_assess_yaml_and_data_agree(client):
    text = example_text("ai-novel-algorithms-checked")
    by_text = client.post("/api/schemes/assess", json={"yaml": text}).json()
    by_data = client.post("/api/schemes/assess", json={"scheme": yaml.safe_load(text)}).json()
    assert by_text["level"] == by_data["level"] == 3
    assert [w["id"] for w in by_text["worries"]] == [w["id"] for w in by_data["worries"]]
    again = client.post("/api/schemes/assess", json={"yaml": by_text["yaml"]}).json()
    assert again["worries"] == by_text["worries"]


def test_case_in_every_format(client):
    body = {"yaml": example_text("deference")}
    expected = {"yaml": "application/yaml", "dot": "text/vnd.graphviz", "svg": "image/svg+xml",
                "mermaid": "text/plain", "md": "text/markdown", "json": "application/json"}
    for fmt, media in expected.items():
        res = client.post(f"/api/schemes/case?format={fmt}", json=body)
        assert res.status_code == 200, res.text
        assert res.headers["content-type"].startswith(media)
        got = client.get(f"/api/schemes/examples/deference/case?format={fmt}")
        assert got.text == res.text
    assert yaml.safe_load(client.post("/api/schemes/case", json=body).text)["G1"]["text"]


def test_bad_scheme_gives_422_with_field_paths(client):
    data = example_data("ai-explores-oversight")
    data["evaluation"]["experiments"][0]["type"] = "vibes"
    data["oversight"]["checkers"] = []
    res = client.post("/api/schemes/assess", json={"scheme": data})
    assert res.status_code == 422
    locations = [p["location"] for p in res.json()["problems"]]
    assert locations == ["scheme: evaluation.experiments[0].type", "scheme: oversight.checkers"]


def test_malformed_requests(client):
    assert client.post("/api/schemes/assess", json={}).status_code == 422
    both = client.post("/api/schemes/assess", json={"yaml": "a: 1", "scheme": {}})
    assert both.status_code == 422 and "exactly one" in both.json()["problems"][0]["message"]
    assert client.post("/api/schemes/assess", json={"yaml": "x: [\n"}).status_code == 422
    assert client.post("/api/schemes/case?format=pdf", json={"yaml": "a: 1"}).status_code == 422


def test_validate_endpoint(client):
    good = client.get("/api/schemes/examples/deference/case?format=yaml").text
    ok = client.post("/api/schemes/validate", json={"yaml": good}).json()
    assert ok["ok"] is True and ok["elements"] == len(yaml.safe_load(good)) - 1
    bad = client.post("/api/schemes/validate", json={"yaml": "G1: {text: a, supportedBy: [G2]}\n"})
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["location"] == "case: G1"
    assert "[C03]" in bad.json()["problems"][0]["message"]


def test_page_and_assets_are_served_locally(client):
    page = client.get("/schemes")
    assert page.status_code == 200 and "/schemes/static/schemes.js" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/schemes/static/schemes.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/schemes/static/schemes.css").status_code == 200
    assert client.get("/schemes/static/secret.py").status_code == 404


def test_hostile_bodies_get_422_not_500(client):
    deep = ("name: x\nalgorithm: {written_by: humans, ai_fills_in: [a]}\n"
            "oversight: {humans_check: nothing}\nevaluation: {experiments: [{id: x, type: honeypots, "
            "parameters: {p: " + "[" * 300 + "]" * 300 + "}}]}")
    for text in ["[" * 50_000, deep, "!!python/object:os.system {}", "\x00"]:
        for url in ("/api/schemes/assess", "/api/schemes/case?format=svg"):
            assert client.post(url, json={"yaml": text}).status_code == 422
    assert client.post("/api/schemes/validate", json={"yaml": "{" * 10_000}).status_code == 422


def test_report_carries_the_confidence_of_the_top_claim(client, cli):
    import json

    data = client.get("/api/schemes/examples/ai-explores-oversight").json()
    conf = data["confidence"]
    # no evidence attached in the seed's scheme: the top claim is unknown, bounds [0, 1] (issue 14)
    assert conf["top_confidence"]["state"] == "unknown"
    assert conf["top_confidence"]["bounds"] == [0.0, 1.0]
    # every open worry of the assessment is in the register, open worries ranked first
    kinds = [d["kind"] for d in conf["register"]]
    assert kinds == sorted(kinds, key=lambda k: k != "open worry")
    open_worries = [w for w in data["worries"] if w["open"]]
    assert len(open_worries) == kinds.count("open worry") > 0
    # the same numbers as `autosafety scheme confidence`
    r = cli("scheme", "confidence", "ai-explores-oversight", "--format", "json")
    assert r.code == 0 and json.loads(r.out) == conf
