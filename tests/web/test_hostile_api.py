"""Issue 15 through the real app: 422 (never 5xx) for hostile bodies, a request deadline that
stops the work and frees its CPU, a header deadline, and a server that answers afterwards."""

from __future__ import annotations

import base64
import os
import socket
import threading
import time
import zlib
from collections.abc import Iterator

import httpx
import pytest

from autosafety.web import create_app
from autosafety.web._deps import content_disposition
from autosafety.web._server import server_config

BOMB = """id: bomb
factors: [{id: f}]
areas: [{id: a, category: s}]
raters:
  - id: r
    provenance:
      a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
      b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
      c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
      d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
      e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
      f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
      g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
      h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
      i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
ratings: [{area: a, factor: f, rater: r, value: 5}]
"""


class LiveServer:
    def __init__(self, tmp_path, *, timeout: float = 20.0, header_timeout: float = 10.0):
        self.app = create_app(database_url=f"sqlite:///{tmp_path / 'h.db'}", timeout=timeout)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        import uvicorn

        self.server = uvicorn.Server(server_config(self.app, port=self.port,
                                                   header_timeout=header_timeout))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/models", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    def healthy(self) -> bool:
        r = httpx.post(f"{self.url}/api/score", json={"model": "wehner-2026"}, timeout=10)
        return r.status_code == 200 and len(r.json()["areas"]) == 10


@pytest.fixture
def live(tmp_path) -> Iterator[LiveServer]:
    with LiveServer(tmp_path) as s:
        yield s


def test_alias_bombs_get_422_and_the_server_still_answers(live):
    for _ in range(3):
        r = httpx.post(f"{live.url}/api/parse", json={"text": BOMB, "format": "yaml"}, timeout=30)
        assert r.status_code == 422
        assert "aliases expand" in r.json()["problems"][0]["message"]
        assert r.json()["problems"][0]["location"].startswith("upload: line 12")
    assert live.healthy()


@pytest.mark.parametrize("body", [
    {"text": "id: x\nnotes:\n" + "".join("  " * (i + 1) + "k:\n" for i in range(500)),
     "format": "yaml"},
    {"text": '{"id": "x", "notes": ' + "[" * 1000 + "]" * 1000 + "}", "format": "json"},
    {"text": "id: x\nfactors:\n  - id: f\n    weight: " + "9" * 5000 + "\n", "format": "yaml"},
    {"text": '{"id": "x", "factors": [{"id": "f", "weight": ' + "9" * 5000 + "}]}",
     "format": "json"},
    {"text": "id: x\nid: y\n", "format": "yaml"},
    {"text": "area,factor,rater,value,provenance\na,f,r,1,\"" + "[" * 2000 + "\"\n",
     "format": "csv"},
], ids=["deep-yaml", "deep-json", "long-int-yaml", "long-int-json", "duplicate", "csv-prov"])
def test_parse_refuses_hostile_text_with_422_and_a_location(client, body):
    r = client.post("/api/parse", json=body)
    assert r.status_code == 422, r.text
    problem = r.json()["problems"][0]
    assert problem["location"].startswith("upload")
    assert problem["message"] and problem["fix"]


def token_of(raw: bytes) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.urlsafe_b64encode(packer.compress(raw) + packer.flush()).decode().rstrip("=")


@pytest.mark.parametrize("raw", [
    b'{"model": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b'{"model": {"id": "x", "notes": ' + b"[" * 70 + b"]" * 70 + b"}}",
    b'{"model": {"id": ' + b"1" * 5000 + b"}}",
    b'{"model": {"id": "x"}, "model": {"id": "y"}}',
], ids=["deep", "65-levels", "long-int", "duplicate"])
def test_a_hostile_share_token_gets_422(client, raw):
    token = token_of(raw)
    assert len(token) < 2000  # the attack: a 572-character token
    r = client.post("/api/share/decode", json={"token": token})
    assert r.status_code == 422, r.text
    assert r.json()["problems"][0]["location"].startswith("share link")


DEEP_BODY = b'{"model": ' + b"[" * 5000 + b"]" * 5000 + b"}"


@pytest.mark.parametrize("path", ["/api/score", "/api/parse", "/api/export", "/api/compare",
                                  "/api/montecarlo", "/api/sensitivity", "/api/share",
                                  "/api/share/decode", "/api/scenarios", "/api/schemes/assess",
                                  "/api/schemes/validate"])
def test_deep_json_gets_the_same_422_on_every_endpoint(client, path):
    r = client.post(path, content=DEEP_BODY, headers={"content-type": "application/json"})
    assert r.status_code == 422, (path, r.status_code, r.text[:200])
    assert "nested too deeply" in r.json()["problems"][0]["message"]
    dup = client.post(path, content=b'{"model": "wehner-2026", "model": "x"}',
                      headers={"content-type": "application/json"})
    assert dup.status_code == 422 and dup.json()["problems"][0]["location"] == "request body: model"


def test_score_with_weights_of_1e308_matches_the_scaled_weights(client):
    spec = client.get("/api/models/wehner-2026").json()["model"]
    ids = [f["id"] for f in spec["factors"]]
    small = {f: float(i + 1) for i, f in enumerate(ids)}
    huge = {f: w * 1e307 for f, w in small.items()}
    a = client.post("/api/score", json={"model": "wehner-2026", "weights": small}).json()
    b = client.post("/api/score", json={"model": "wehner-2026", "weights": huge}).json()
    # independent reference: the weighted mean of the pooled grid with the small weights
    grid = client.post("/api/score", json={"model": "wehner-2026", "grid": True}).json()["pooled"]
    for area in b["areas"]:
        row = grid[area["id"]]
        want = sum(small[f] * row[f] for f in ids) / sum(small.values())
        assert area["score"] == pytest.approx(want, abs=1e-9)
    assert [x["id"] for x in a["areas"]] == [x["id"] for x in b["areas"]]
    assert len({x["score"] for x in b["areas"]}) > 1
    spec["factors"] = [{**f, "weight": 1e308} for f in spec["factors"]]
    c = client.post("/api/score", json={"model": spec}).json()
    equal = client.post("/api/score", json={"model": "wehner-2026",
                                             "weights": dict.fromkeys(ids, 1.0)}).json()
    assert {x["id"]: x["score"] for x in c["areas"]} == pytest.approx(
        {x["id"]: x["score"] for x in equal["areas"]}, abs=1e-12)


@pytest.mark.parametrize("bad", ["caf\u00e9-\u4e2d", "a\r\nSet-Cookie: x=1", 'a"b'])
def test_export_refuses_ids_outside_the_pattern(client, bad):
    spec = client.get("/api/models/wehner-2026").json()["model"]
    r = client.post("/api/export", json={"model": {**spec, "id": bad}, "format": "yaml"})
    assert r.status_code == 422 and r.json()["problems"][0]["location"] == "model: id"


def test_content_disposition_follows_rfc_6266():
    assert content_disposition("m.yaml") == 'attachment; filename="m.yaml"'
    value = content_disposition("caf\u00e9\r\n.yaml", kind="inline")
    assert value == ("inline; filename=\"caf___.yaml\"; "
                     "filename*=UTF-8''caf%C3%A9%0D%0A.yaml")
    value.encode("latin-1")  # a valid header value


def big_model(areas: int) -> dict:
    return {"id": "big", "factors": [{"id": "f0"}, {"id": "f1"}],
            "areas": [{"id": f"a{i}", "category": "s" if i % 2 else "c"} for i in range(areas)],
            "raters": [{"id": "r"}],
            "ratings": [{"area": f"a{i}", "factor": f"f{j}", "rater": "r",
                         "value": 1 + (i * 7 + j) % 10} for i in range(areas) for j in range(2)]}


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] not in "ZX"
    except FileNotFoundError:
        return False


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().split(") ", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_timed_out_analysis_is_stopped_and_its_cpu_slot_freed(tmp_path):
    with LiveServer(tmp_path, timeout=2.0) as live:
        pool = live.app.state.analysis
        body = {"model": big_model(600), "draws": 20_000, "rating_noise": 0.1}
        threads_before = threading.active_count()
        killed = []
        for _ in range(3):
            seen: list[int] = []
            stop = threading.Event()

            def watch(seen=seen, stop=stop):
                while not stop.is_set():
                    seen.extend(w.process.pid for w in list(pool._running) if w.process.pid)
                    time.sleep(0.02)

            watcher = threading.Thread(target=watch)
            watcher.start()
            # how soon the 503 comes: benchmarks/web_deadlines.py prints it
            r = httpx.post(f"{live.url}/api/montecarlo", json=body, timeout=60)
            stop.set()
            watcher.join()
            assert r.status_code == 503 and "took longer than 2 s" in r.text
            pid = seen[-1]
            # the worker is gone within a second or two of the 503 and its slot is free
            deadline = time.monotonic() + 2
            while (_alive(pid) or pool.busy) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert not _alive(pid) and pool.busy == 0
            killed.append(pid)
        assert pool.killed == 3 and len(set(killed)) == 3
        assert threading.active_count() <= threads_before + 2  # no threads piling up
        # both CPU slots are free: two normal analyses run side by side and answer at once
        small = {"model": "wehner-2026", "draws": 2000}
        results: list[int] = []
        pair = [threading.Thread(target=lambda: results.append(
            httpx.post(f"{live.url}/api/montecarlo", json=small, timeout=30).status_code))
            for _ in range(2)]
        for th in pair:
            th.start()
        for th in pair:
            th.join()
        assert results == [200, 200]
        # idle workers use no CPU once the answers are out
        idle = pool.pids()
        assert idle
        before = {p: _cpu_seconds(p) for p in idle}
        time.sleep(1.0)
        assert all(_cpu_seconds(p) - before[p] < 0.05 for p in idle)
        assert live.healthy()


def test_an_analysis_that_errors_in_the_worker_is_a_422_and_the_worker_survives(client):
    r = client.post("/api/montecarlo", json={"model": "wehner-2026", "draws": 100,
                                             "weights": {"nope": 1}})
    assert r.status_code == 422 and "unknown factor" in r.text
    ok = client.post("/api/montecarlo", json={"model": "wehner-2026", "draws": 100})
    assert ok.status_code == 200


def test_slowloris_connections_are_closed_and_normal_requests_still_answered(tmp_path):
    with LiveServer(tmp_path, header_timeout=0.5) as live:
        socks = []
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", live.port))
            s.sendall(b"GET /api/models HTTP/1.1\r\nHost: x\r\n")  # headers never finished
            socks.append(s)
        assert live.healthy()
        time.sleep(1.2)
        closed = 0
        for s in socks:
            s.settimeout(2)
            try:
                s.sendall(b"X-Slow: 1\r\n")
                closed += s.recv(1) == b""
            except OSError:
                closed += 1
            s.close()
        assert closed == 20
        assert live.healthy()
        # a request that sends its headers in time is not cut off, even if it then waits
        s = socket.create_connection(("127.0.0.1", live.port))
        s.sendall(b"GET /api/models HTTP/1.1\r\nHost: x\r\n\r\n")
        s.settimeout(5)
        assert s.recv(12) == b"HTTP/1.1 200"
        s.close()
