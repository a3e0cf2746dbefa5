"""Timeline web benchmark: POST /api/timeline under load on a real server, and its memory.

1. The engine alone, in this process: the time of one page update (10,000 draws, the page's
   subsample, figures) split into simulate / to_dict (bottlenecks, fan) / figures, and
   the same with the engine's default subsample (4,000).
2. A real server (`autosafety serve`, one uvicorn process and its analysis workers) and N
   concurrent clients (default 8), each POSTing page updates with 10,000 draws in a loop, one
   phase per kind of slider (a trend slider; a bridge constant of the attempt cost, of the
   durations, of the shares, of the task order, of the random shares), its value drawn at random
   per request, for S seconds each (default 20) after a 2 s warm-up reported apart (each worker
   fills its memory of kept draws): p50/p95/p99 latency, throughput, status codes.
3. Peak memory (VmHWM from /proc: the server process and each analysis worker) of a fresh server
   after requests with 10,000 draws and after requests with 200,000 draws: the engine works in
   chunks of 10,000 draws, so memory should not grow with the draws.

4. With ``--accuracy SEEDS``: the page's subsample against 4,000 draws kept whole (bottleneck task,
   its months, fan bands), beside 200 and 300.

Prints figures only. Run:
    nice .venv/bin/python benchmarks/timeline_web.py [--clients 8] [--seconds 20] [--only REGEX]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from autosafety.web.routers.timeline import PAGE_SETTINGS

PAGE_BODY = dict(PAGE_SETTINGS)
"""What the page sends on every slider change."""
WARM_UP = 2.0
"""Seconds at the start of each load phase not counted (each analysis worker fills its memory of
kept draws: first-touch page faults), reported apart."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    exe = Path(sys.executable).parent / "autosafety"
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--db", f"sqlite:///{tmp / 'b.db'}"],
                            cwd=tmp, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/models", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def family(pid: int) -> list[int]:
    """The process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time (user + system, seconds) of the server process and of all its workers."""
    tick = os.sysconf("SC_CLK_TCK")
    server = workers = 0.0
    for p in family(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        t = (int(fields[11]) + int(fields[12])) / tick
        if p == pid:
            server = t
        else:
            workers += t
    return server, workers


def peak_rss_mb(pid: int) -> dict[str, float]:
    """VmHWM (peak resident memory) of the server and of its largest child, in MB."""
    peaks = {}
    for p in family(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        peaks[p] = int(fields.get("VmHWM", "0 kB").split()[0]) / 1024
    return {"server": peaks.pop(pid, 0.0), "largest worker": max(peaks.values(), default=0.0),
            "workers": float(len(peaks))}


def engine_times(repeats: int) -> None:
    from autosafety.timeline import figures, simulate
    from autosafety.web._timeline_schemas import TimelineRequest
    from autosafety.web.routers.timeline import run_timeline

    run_timeline(TimelineRequest(draws=500, subsample=100))  # imports, caches
    for subsample in (PAGE_BODY["subsample"], 4_000):
        parts: dict[str, list[float]] = {"simulate": [], "to_dict": [], "figures": [], "total": []}
        for i in range(repeats):
            t0 = time.perf_counter()
            # as the page: seed 0, a trend slider moved, the task draws reused
            res = simulate("wehner-2026", draws=10_000, seed=0, subsample=subsample,
                           doubling_time=150 + 10 * i, reuse_draws=True)
            t1 = time.perf_counter()
            res.to_dict()
            t2 = time.perf_counter()
            figures.fan(res), figures.cdf(res), figures.pairs(res)
            t3 = time.perf_counter()
            parts["simulate"].append(t1 - t0)
            parts["to_dict"].append(t2 - t1)
            parts["figures"].append(t3 - t2)
            parts["total"].append(t3 - t0)
        med = {k: statistics.median(v) * 1000 for k, v in parts.items()}
        print(f"engine, one update (10,000 draws, subsample {subsample:,}), median of {repeats}: "
              f"total {med['total']:.0f} ms = simulate {med['simulate']:.0f} + to_dict (bottlenecks, "
              f"fan) {med['to_dict']:.0f} + figures {med['figures']:.0f}")


SLIDERS = {
    "doubling time (trend: the draws' solutions are reused)":
        lambda rng: {"doubling_time": round(rng.uniform(100, 300), 1)},
    "AI speed (a bridge constant of the attempt cost: the kept task order is solved again)":
        lambda rng: {"bridge": {"ai_speed": round(rng.uniform(15, 150), 1)}},
    "feedback doublings (a bridge constant of the durations: tasks re-derived and re-ranked)":
        lambda rng: {"bridge": {"feedback_doublings": round(rng.uniform(0.5, 3.0), 2)}},
    "insight share (a bridge constant of the shares: tasks re-derived and re-ranked)":
        lambda rng: {"bridge": {"insight_share_max": round(rng.uniform(0.3, 0.7), 2)}},
    "insight multiplier (a bridge constant that reorders tasks: sorted again)":
        lambda rng: {"bridge": {"insight_multiplier": round(rng.uniform(1.5, 6.0), 2)}},
    "share concentration (a bridge constant of the random shares: everything drawn again)":
        lambda rng: {"bridge": {"share_concentration": round(rng.uniform(5, 40), 1)}},
}
"""The slider each load phase moves at random, per request."""


async def load(url: str, *, clients: int, seconds: float, slider: str
               ) -> tuple[list[float], list[float], dict[int, int], float]:
    """Latencies after the warm-up, during it, status codes, and the wall time after it."""
    latencies: list[float] = []
    warm: list[float] = []
    codes: dict[int, int] = {}
    begin = time.perf_counter()
    counted_from = begin + WARM_UP
    stop_at = counted_from + seconds

    async def client(k: int) -> None:
        rng = random.Random(k)
        async with httpx.AsyncClient(timeout=60) as c:
            while time.perf_counter() < stop_at:
                body = {**PAGE_BODY, **SLIDERS[slider](rng)}
                t = time.perf_counter()
                r = await c.post(url + "/api/timeline", json=body)
                (latencies if t >= counted_from else warm).append(time.perf_counter() - t)
                codes[r.status_code] = codes.get(r.status_code, 0) + 1

    await asyncio.gather(*(client(k) for k in range(clients)))
    return latencies, warm, codes, time.perf_counter() - counted_from


def subsample_accuracy(seeds: int) -> None:
    """How well the page's subsample (fan chart, bottlenecks) matches 4,000 draws kept whole."""
    import numpy as np

    from autosafety.timeline import simulate

    ref = simulate("wehner-2026", draws=10_000, seed=0, subsample=4_000)
    ref_task = [r["bottleneck"] for r in ref.rows]
    ref_months = np.array([r["bottleneck_months"] or np.nan for r in ref.rows])
    ref_fan = ref.fan[1]
    for sub in (200, PAGE_BODY["subsample"], 300):
        agree, months, fan = [], [], []
        for seed in range(1, seeds + 1):
            res = simulate("wehner-2026", draws=10_000, seed=seed, subsample=sub)
            agree.append(np.mean([r["bottleneck"] == t for r, t in zip(res.rows, ref_task)]))
            got = np.array([r["bottleneck_months"] or np.nan for r in res.rows])
            months.append(np.nanmean(np.abs(got - ref_months)))
            fan.append(np.nanmean(np.abs(np.log(res.fan[1] / ref_fan))))
        print(f"subsample {sub}: bottleneck task as with 4,000 draws in {np.mean(agree):.1%} of areas, "
              f"its months off by {np.mean(months):.2f} on average, fan bands off by "
              f"{np.mean(fan):.1%} ({seeds} seeds)")


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(q * len(s)))] * 1000


def memory(tmp: Path, draws: int, requests: int) -> dict[str, float]:
    proc, url = start_server(tmp)
    try:
        with httpx.Client(timeout=120) as c:
            for i in range(requests):
                r = c.post(url + "/api/timeline", json={**PAGE_BODY, "draws": draws, "seed": i})
                assert r.status_code == 200, r.text
        return peak_rss_mb(proc.pid)
    finally:
        stop(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--repeats", type=int, default=7, help="engine timings")
    ap.add_argument("--only", default="",
                    help="run only the sliders whose description matches this regular expression")
    ap.add_argument("--accuracy", type=int, default=0, metavar="SEEDS",
                    help="also compare the page's subsample with 4,000 draws over this many seeds")
    args = ap.parse_args()
    if args.accuracy:
        subsample_accuracy(args.accuracy)
    print(f"CPUs available: {len(os.sched_getaffinity(0))}; load average {os.getloadavg()[0]:.2f}")
    engine_times(args.repeats)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        proc, url = start_server(tmp)
        try:
            with httpx.Client(timeout=60) as c:  # warm the workers
                for _ in range(2):
                    c.post(url + "/api/timeline", json=PAGE_BODY)
            for slider in (s for s in SLIDERS if re.search(args.only, s)):
                before, mine = cpu_seconds(proc.pid), time.process_time()
                lat, warm, codes, wall = asyncio.run(load(url, clients=args.clients,
                                                          seconds=args.seconds, slider=slider))
                after, mine = cpu_seconds(proc.pid), time.process_time() - mine
                ok = codes.get(200, 0)
                print(f"load, moving the {slider}: {args.clients} clients, {wall:.1f} s, {len(lat)} "
                      f"requests ({codes}), {ok / wall:.2f} updates/s")
                print(f"  latency: p50 {pct(lat, 0.5):.0f} ms, p95 {pct(lat, 0.95):.0f} ms, "
                      f"p99 {pct(lat, 0.99):.0f} ms (target p95 < 300 ms); the first {WARM_UP:g} s "
                      f"apart: {len(warm)} requests, max {max(warm, default=0) * 1000:.0f} ms")
                n = max(len(lat) + len(warm), 1)                     # CPU counted over both
                print(f"  CPU per update: analysis workers {(after[1] - before[1]) / n * 1e3:.0f} ms, "
                      f"server {(after[0] - before[0]) / n * 1e3:.0f} ms, these clients "
                      f"{mine / n * 1e3:.0f} ms (all on the same {len(os.sched_getaffinity(0))} CPUs)")
        finally:
            stop(proc)
        for draws, n in ((10_000, 4), (200_000, 2)):
            m = memory(tmp, draws, n)
            print(f"peak RSS after {n} requests of {draws:,} draws: server {m['server']:.0f} MB, "
                  f"largest analysis worker {m['largest worker']:.0f} MB ({m['workers']:.0f} workers)")


if __name__ == "__main__":
    main()
