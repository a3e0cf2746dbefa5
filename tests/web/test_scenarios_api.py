"""Scenarios over the API (save, list, load, compare, delete) and share links."""

from __future__ import annotations

import pytest

from autosafety.model import load_model
from autosafety.web._share import decode_scenario, encode_scenario


def spec_with(**weights: float) -> dict:
    return load_model("wehner-2026").with_weights(weights).spec.model_dump(mode="json")


def test_save_list_load_compare_delete(client):
    a = client.post("/api/scenarios", json={"name": "feedback matters", "base": "wehner-2026",
                                            "model": spec_with(feedback_quality=8)})
    b = client.post("/api/scenarios", json={"name": "published", "base": "wehner-2026",
                                            "model": spec_with()})
    assert a.status_code == b.status_code == 201
    ida, idb = a.json()["id"], b.json()["id"]
    assert [s["name"] for s in client.get("/api/scenarios").json()] == ["published",
                                                                        "feedback matters"]
    loaded = client.get(f"/api/scenarios/{ida}").json()
    assert loaded["model"] == spec_with(feedback_quality=8)
    assert loaded["base"] == "wehner-2026"
    cmp = client.get(f"/api/scenarios/compare?a={ida}&b={idb}").json()
    assert cmp["a"]["name"] == "feedback matters"
    assert [(w["factor"], w["mine"], w["other"]) for w in cmp["weights"]] == [
        ("feedback_quality", 8.0, 2.5)]
    assert client.delete(f"/api/scenarios/{ida}").status_code == 204
    assert client.get(f"/api/scenarios/{ida}").status_code == 404
    assert client.delete(f"/api/scenarios/{ida}").status_code == 404


def test_saving_an_invalid_model_lists_its_problems(client):
    spec = spec_with()
    spec["ratings"] = spec["ratings"][1:]
    resp = client.post("/api/scenarios", json={"name": "holes", "model": spec})
    assert resp.status_code == 422
    assert any("has no rating" in p["message"] for p in resp.json()["problems"])
    assert client.get("/api/scenarios").json() == []


@pytest.mark.parametrize("path", ["/api/scenarios/0", "/api/scenarios/abc",
                                  "/api/scenarios/99999999999999999999999",
                                  "/api/scenarios/compare?a=1", "/api/scenarios/compare?a=1&b=2"])
def test_missing_or_malformed_scenario_ids_are_4xx(client, path):
    resp = client.get(path)
    assert 400 <= resp.status_code < 500
    assert resp.json()["problems"]


def test_share_link_round_trips_the_whole_scenario(client):
    spec = spec_with(scheming_risk=2)
    made = client.post("/api/share", json={"model": spec, "base": "wehner-2026"}).json()
    assert made["path"] == f"/#s={made['token']}"
    back = client.post("/api/share/decode", json={"token": made["token"]}).json()
    assert back == {"base": "wehner-2026", "model": spec}
    assert decode_scenario(made["token"]) == {"base": "wehner-2026", "model": spec}


def test_damaged_share_links_are_422(client):
    token = encode_scenario({"base": None, "model": spec_with()})
    for bad in (token[:-40], "!!!", encode_scenario({"model": "wehner-2026"}),
                encode_scenario({"model": {"factors": "x"}})):
        resp = client.post("/api/share/decode", json={"token": bad})
        assert resp.status_code == 422, bad
        assert resp.json()["problems"]
