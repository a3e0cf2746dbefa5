"""Web load benchmark: the autosafety API beside a bare FastAPI endpoint on loopback, in one run.

Measures, with wrk (Debian package; an async httpx generator if wrk is missing):
  1. the framework's ceiling: a bare FastAPI app whose one endpoint returns a constant,
  2. POST /api/score (wehner-2026 with a weight override) at the same 50 concurrent clients:
     throughput, ratio to the ceiling, median and p95 latency,
  3. POST /api/montecarlo with 10,000 draws at 8 concurrent clients: median and p95,
  4. the page's first render (Playwright + Debian chromium): navigation to ranking shown.

Both servers are single uvicorn processes started the same way. Run:
    .venv/bin/python benchmarks/web_load.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BARE_APP = """
from fastapi import FastAPI
app = FastAPI()

@app.get("/constant")
async def constant():
    return {"ok": True}
"""

WRK_LUA = """
wrk.method = "{method}"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{request}
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f\\n", summary.requests, errors,
    latency:percentile(50), latency:percentile(95), summary.duration))
end
"""

SCORE_BODY = {"model": "wehner-2026", "weights": {"feedback_quality": 1.5}}
SCORE_VARY = "feedback_quality"
"""Each score request draws this factor's weight at random in [0, 5], so no two requests match."""
WRK_VARY = """
request = function()
  local body = string.format('{{"model":"wehner-2026","weights":{{"%s":%.4f}}}}', "{factor}",
    math.random() * 5)
  return wrk.format(nil, nil, nil, body)
end
"""
MC_BODY = {"model": "wehner-2026", "draws": 10_000, "seed": 1, "weight_concentration": 50}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start")


def start_servers(tmp: Path) -> tuple[list[subprocess.Popen[bytes]], str, str]:
    py = sys.executable
    (tmp / "bare_app.py").write_text(BARE_APP)
    bare_port, app_port = free_port(), free_port()
    bare = subprocess.Popen([py, "-m", "uvicorn", "bare_app:app", "--host", "127.0.0.1", "--port",
                             str(bare_port), "--log-level", "warning"], cwd=tmp)
    ours = subprocess.Popen([str(Path(py).parent / "autosafety"), "serve", "--port", str(app_port),
                             "--db", f"sqlite:///{tmp / 'bench.db'}"], cwd=tmp)
    bare_url, app_url = f"http://127.0.0.1:{bare_port}", f"http://127.0.0.1:{app_port}"
    wait_up(bare_url + "/constant")
    wait_up(app_url + "/api/models")
    return [bare, ours], bare_url, app_url


def run_wrk(url: str, *, method: str, body: dict | None, clients: int, seconds: float,
            tmp: Path, vary: str | None = None) -> dict[str, float]:
    script = tmp / f"wrk_{method}_{clients}.lua"
    script.write_text(WRK_LUA.format(
        method=method, body="nil" if body is None else json.dumps(json.dumps(body)),
        request=WRK_VARY.format(factor=vary) if vary else ""))
    threads = min(2, clients)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds:g}s",
                          "--timeout", "10s", "-s", str(script), url],
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
    assert m, out
    n, errors, p50, p95, dur = (float(x) for x in m.groups())
    return {"requests": n, "errors": errors, "rps": n / (dur / 1e6), "p50_ms": p50 / 1000,
            "p95_ms": p95 / 1000}


async def _httpx_load(url: str, *, method: str, body: dict | None, clients: int,
                      seconds: float, vary: str | None = None) -> dict[str, float]:
    import random

    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                t = time.perf_counter()
                payload = body
                if vary and body is not None:
                    payload = {**body, "weights": {vary: random.random() * 5}}
                r = await client.request(method, url, json=payload)
                latencies.append(time.perf_counter() - t)
                errors += r.status_code >= 400
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        dur = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / dur,
            "p50_ms": statistics.median(latencies) * 1000, "p95_ms": q[94] * 1000}


def load(url: str, *, method: str = "GET", body: dict | None = None, clients: int,
         seconds: float, tmp: Path, vary: str | None = None) -> dict[str, float]:
    if shutil.which("wrk"):
        return run_wrk(url, method=method, body=body, clients=clients, seconds=seconds, tmp=tmp,
                       vary=vary)
    return asyncio.run(_httpx_load(url, method=method, body=body, clients=clients,
                                   seconds=seconds, vary=vary))


def first_render(app_url: str, *, repeats: int = 5) -> dict[str, list[float]]:
    """Seconds from navigation to: the ranking painted, the page interactive (scored by its
    script), the ranking chart drawn (Plotly loaded)."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {"ranking shown": [], "interactive": [], "chart drawn": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        warm = False
        for _ in range(repeats + 1):  # the first visit warms the server's caches; not counted
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            t = time.perf_counter()
            page.goto(app_url + "/", wait_until="commit")
            page.wait_for_selector("#ranking tbody tr")
            marks = [time.perf_counter() - t]
            page.wait_for_selector("body[data-ready]")
            marks.append(time.perf_counter() - t)
            page.wait_for_selector("#chart-ranking .main-svg")
            marks.append(time.perf_counter() - t)
            context.close()
            if warm:
                for key, mark in zip(times, marks):
                    times[key].append(mark)
            warm = True
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each load run")
    args = parser.parse_args()
    tool = "wrk" if shutil.which("wrk") else "httpx (async)"
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        procs, bare_url, app_url = start_servers(tmp)
        try:
            for url, body in ((app_url + "/api/score", SCORE_BODY),
                              (app_url + "/api/montecarlo", MC_BODY)):
                for _ in range(20):  # warm up: imports, caches
                    httpx.post(url, json=body, timeout=30).raise_for_status()
            s = args.seconds
            ceiling = load(bare_url + "/constant", clients=50, seconds=s, tmp=tmp)
            score = load(app_url + "/api/score", method="POST", body=SCORE_BODY, clients=50,
                         seconds=s, tmp=tmp, vary=SCORE_VARY)
            mc = load(app_url + "/api/montecarlo", method="POST", body=MC_BODY, clients=8,
                      seconds=s, tmp=tmp)
            render = first_render(app_url)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=10)
    print(f"load generator: {tool}; {os.cpu_count()} CPUs; {args.seconds:g} s per run; "
          "one uvicorn process per server")
    for name, r in (("bare FastAPI constant, 50 clients", ceiling),
                    ("POST /api/score, 50 clients", score),
                    ("POST /api/montecarlo 10k draws, 8 clients", mc)):
        print(f"{name:44s} {r['rps']:8.0f} req/s  median {r['p50_ms']:7.1f} ms  "
              f"p95 {r['p95_ms']:7.1f} ms  errors {int(r['errors'])}/{int(r['requests'])}")
    ratio = score["rps"] / ceiling["rps"]
    print(f"score throughput / ceiling: {ratio:.2f} (target >= 0.70)")
    print(f"Monte Carlo 10k draws p95: {mc['p95_ms']:.0f} ms (target < 250 ms)")
    for key, values in render.items():
        print(f"page, navigation to {key:14s} ({len(values)} fresh contexts): median "
              f"{statistics.median(values) * 1000:5.0f} ms, max {max(values) * 1000:5.0f} ms")
    print("first render target: < 1000 ms")


if __name__ == "__main__":
    main()
