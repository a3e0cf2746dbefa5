"""Web load benchmark: the autosafety API beside a bare FastAPI endpoint on loopback, in one run.

Measures, with wrk (Debian package; an async httpx generator if wrk is missing):
  1. the framework's ceiling: a bare FastAPI app whose endpoint returns a constant (GET; and, for
     reference, POST with the same JSON body as a score request),
  2. POST /api/score (wehner-2026, a random weight per request) at the same 50 concurrent clients:
     throughput, ratio to the ceiling, median and p95 latency,
  3. POST /api/montecarlo with 10,000 draws at 8 concurrent clients: median and p95,
  4. the page's first render (Playwright + Debian chromium): navigation to ranking shown.

Both servers are single uvicorn processes started the same way. The machines are noisy, so the
ceiling and score runs alternate over several short rounds (order flipped each round) and the
ratio is the median of the rounds' ratios. With 2+ CPUs the servers share CPU 0 (only one is
under load at a time) and the load generator runs on the others, so they never compete; for the
Monte Carlo run, which computes on every CPU, the app gets all CPUs back. Run:
    .venv/bin/python benchmarks/web_load.py [--rounds 7] [--seconds 3]
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
from collections.abc import Callable
from pathlib import Path

import httpx

BARE_APP = """
from fastapi import FastAPI, Request
app = FastAPI()

@app.get("/constant")
async def constant():
    return {"ok": True}

@app.post("/constant")
async def constant_post(request: Request):
    await request.body()
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


def cpu_split() -> tuple[set[int], set[int]] | None:
    """(server CPUs, load-generator CPUs), or None when there are too few CPUs to split."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    return ({cpus[0]}, set(cpus[1:])) if len(cpus) >= 2 else None


def pinned(cpus: set[int] | None) -> Callable[[], None] | None:
    """A ``preexec_fn`` that pins the child process to ``cpus``."""
    return None if cpus is None else (lambda: os.sched_setaffinity(0, cpus))


def start_servers(tmp: Path, cpus: set[int] | None) -> tuple[list[subprocess.Popen[bytes]], str, str]:
    py = sys.executable
    (tmp / "bare_app.py").write_text(BARE_APP)
    bare_port, app_port = free_port(), free_port()
    bare = subprocess.Popen([py, "-m", "uvicorn", "bare_app:app", "--host", "127.0.0.1", "--port",
                             str(bare_port), "--log-level", "warning"], cwd=tmp,
                            preexec_fn=pinned(cpus))
    ours = subprocess.Popen([str(Path(py).parent / "autosafety"), "serve", "--port", str(app_port),
                             "--db", f"sqlite:///{tmp / 'bench.db'}"], cwd=tmp,
                            preexec_fn=pinned(cpus))
    bare_url, app_url = f"http://127.0.0.1:{bare_port}", f"http://127.0.0.1:{app_port}"
    wait_up(bare_url + "/constant")
    wait_up(app_url + "/api/models")
    return [bare, ours], bare_url, app_url


def run_wrk(url: str, *, method: str, body: dict | None, clients: int, seconds: float,
            tmp: Path, vary: str | None = None, cpus: set[int] | None = None) -> dict[str, float]:
    script = tmp / f"wrk_{method}_{clients}.lua"
    script.write_text(WRK_LUA.format(
        method=method, body="nil" if body is None else json.dumps(json.dumps(body)),
        request=WRK_VARY.format(factor=vary) if vary else ""))
    threads = min(len(cpus) if cpus else 2, clients)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds:g}s",
                          "--timeout", "10s", "-s", str(script), url],
                         capture_output=True, text=True, check=True,
                         preexec_fn=pinned(cpus)).stdout
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
         seconds: float, tmp: Path, vary: str | None = None,
         cpus: set[int] | None = None) -> dict[str, float]:
    if shutil.which("wrk"):
        return run_wrk(url, method=method, body=body, clients=clients, seconds=seconds, tmp=tmp,
                       vary=vary, cpus=cpus)
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


def alternate(runs: dict[str, Callable[[], dict[str, float]]],
              rounds: int) -> dict[str, list[dict[str, float]]]:
    """Each run once per round, the order reversed every other round, so drift hits all alike."""
    results: dict[str, list[dict[str, float]]] = {name: [] for name in runs}
    names = list(runs)
    for i in range(rounds):
        for name in names if i % 2 == 0 else names[::-1]:
            results[name].append(runs[name]())
    return results


def summary(rounds: list[dict[str, float]]) -> dict[str, float]:
    """Throughput over all rounds; median of the rounds' median and p95 latencies; errors."""
    return {"rps": sum(r["requests"] for r in rounds) / sum(r["requests"] / r["rps"] for r in rounds),
            "p50_ms": statistics.median(r["p50_ms"] for r in rounds),
            "p95_ms": statistics.median(r["p95_ms"] for r in rounds),
            "errors": sum(r["errors"] for r in rounds), "requests": sum(r["requests"] for r in rounds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds of the load runs")
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of each load run")
    args = parser.parse_args()
    tool = "wrk" if shutil.which("wrk") else "httpx (async)"
    split = cpu_split()
    server_cpus, client_cpus = split if split else (None, None)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        procs, bare_url, app_url = start_servers(tmp, server_cpus)
        try:
            for url, body in ((app_url + "/api/score", SCORE_BODY),
                              (app_url + "/api/montecarlo", MC_BODY)):
                for _ in range(20):  # warm up: imports, caches
                    httpx.post(url, json=body, timeout=30).raise_for_status()
            s, c = args.seconds, client_cpus
            runs = {
                "ceiling": lambda: load(bare_url + "/constant", clients=50, seconds=s, tmp=tmp, cpus=c),
                "ceiling POST": lambda: load(bare_url + "/constant", method="POST", body=SCORE_BODY,
                                             clients=50, seconds=s, tmp=tmp, vary=SCORE_VARY, cpus=c),
                "score": lambda: load(app_url + "/api/score", method="POST", body=SCORE_BODY,
                                      clients=50, seconds=s, tmp=tmp, vary=SCORE_VARY, cpus=c)}
            for run in runs.values():  # warm up the load path of both servers
                run()
            rounds = alternate(runs, args.rounds)
            if split:  # Monte Carlo runs its chunks on every CPU: give the server all of them back
                os.sched_setaffinity(procs[1].pid, server_cpus | client_cpus)
            mc = load(app_url + "/api/montecarlo", method="POST", body=MC_BODY, clients=8,
                      seconds=s * 3, tmp=tmp)
            render = first_render(app_url)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=10)
    pinning = (f"servers on CPU {sorted(server_cpus)}, load generator on CPUs {sorted(client_cpus)}"
               if server_cpus else "no CPU pinning (1 CPU)")
    print(f"load generator: {tool}; {os.cpu_count()} CPUs, {pinning}; {args.rounds} alternating "
          f"rounds of {args.seconds:g} s per run; one uvicorn process per server")
    ratios = {name: [r["rps"] / c["rps"] for r, c in zip(rounds["score"], rounds[name])]
              for name in ("ceiling", "ceiling POST")}
    for i in range(args.rounds):
        print(f"  round {i + 1}: " + "  ".join(f"{name} {rounds[name][i]['rps']:6.0f}" for name in runs)
              + f" req/s  score/ceiling {ratios['ceiling'][i]:.2f}")
    totals = {name: summary(rounds[name]) for name in runs}
    for name, r in (("bare FastAPI GET constant, 50 clients", totals["ceiling"]),
                    ("bare FastAPI POST constant (same body), 50", totals["ceiling POST"]),
                    ("POST /api/score, 50 clients", totals["score"]),
                    ("POST /api/montecarlo 10k draws, 8 clients", mc)):
        print(f"{name:44s} {r['rps']:8.0f} req/s  median {r['p50_ms']:7.1f} ms  "
              f"p95 {r['p95_ms']:7.1f} ms  errors {int(r['errors'])}/{int(r['requests'])}")
    print(f"score throughput / ceiling (GET constant): median of rounds "
          f"{statistics.median(ratios['ceiling']):.2f}, range {min(ratios['ceiling']):.2f}-"
          f"{max(ratios['ceiling']):.2f}; pooled over all rounds "
          f"{totals['score']['rps'] / totals['ceiling']['rps']:.2f} (target >= 0.70)")
    print(f"score throughput / POST-constant ceiling: median of rounds "
          f"{statistics.median(ratios['ceiling POST']):.2f} (for reference)")
    print(f"Monte Carlo 10k draws p95: {mc['p95_ms']:.0f} ms (target < 250 ms)")
    for key, values in render.items():
        print(f"page, navigation to {key:14s} ({len(values)} fresh contexts): median "
              f"{statistics.median(values) * 1000:5.0f} ms, max {max(values) * 1000:5.0f} ms")
    print("first render target: < 1000 ms")


if __name__ == "__main__":
    main()
