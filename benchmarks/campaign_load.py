"""Campaign load benchmark (issue 11): 200 concurrent raters saving answers to a real `autosafety
serve` on loopback, against the same server's `GET /api/models` in the same run.

Each rater holds its own keep-alive connection and saves its assigned cells one after another
(`PUT /api/rater/answers/{area}/{factor}` with the version from its previous save, so every save
is a real compare-and-swap write). Three runs, alternated over several rounds:

- raters: all 200 raters at once, each saving about once a second (a pause of 0.5-1.5 s between
  saves, `--think`; far faster than anyone answers a cell): save latency p50/p95/p99
  (target: p95 < 100 ms on SQLite);
- saves flat out: the same 200 raters with no pause: saves/s (the server's capacity);
- GET /api/models flat out on 200 connections: requests/s; the ratio saves/GET (target >= 0.5).

With no pause, 200 clients always wait in line (Little's law: mean latency = 200 / throughput),
so the latency target is read from the paced run and the throughput target from the flat-out ones.
Also printed: Cooke's classical model pooling a 500-rater campaign (target < 1 s).

The load generator is a minimal HTTP/1.1 client on asyncio streams (a few microseconds per
request, so the client is not what is measured). The GET and save runs alternate over several
rounds (order flipped each round) on the same server; throughputs are totals over the rounds,
latency percentiles over every request. With 2+ CPUs the server is pinned to CPU 0 and the
generator to the others.

    .venv/bin/python benchmarks/campaign_load.py                 # SQLite (a temporary file)
    .venv/bin/python benchmarks/campaign_load.py --postgres      # a temporary PostgreSQL server
    .venv/bin/python benchmarks/campaign_load.py --db postgresql+psycopg://user@host/db --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pgtemp import TempPostgres, free_port  # noqa: E402

from autosafety.campaign import CampaignStore, campaign_cells  # noqa: E402
from autosafety.campaign._core import factor_scale  # noqa: E402
from autosafety.model import load_model  # noqa: E402

MODEL = "wehner-2026"


class Connection:
    """One keep-alive HTTP/1.1 connection; ``request`` returns (status, body, seconds)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> Connection:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def request(self, method: str, path: str, *, body: bytes = b"",
                      headers: str = "") -> tuple[int, bytes, float]:
        assert self.reader is not None and self.writer is not None
        head = (f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{headers}"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        t = time.perf_counter()
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        length, close = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and value.strip().lower() == "close":
                close = True
        data = await self.reader.readexactly(length)
        elapsed = time.perf_counter() - t
        if close:
            await self.close()
            await self.open()
        return int(status_line.split()[1]), data, elapsed

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()


class Rater:
    """A rater's token, its cells in order and the version last saved of each."""

    def __init__(self, token: str, cells: list[tuple[str, str]], offset: int):
        self.auth = f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        self.cells = cells
        self.next = offset % len(cells)
        self.versions = dict.fromkeys(cells, 0)


def save_body(value: float, version: int, scale: tuple[float, float]) -> bytes:
    lo, hi = scale
    return json.dumps({"value": value, "low": max(lo, value - 1), "high": min(hi, value + 1),
                       "rationale": "benchmark", "not_my_area": False, "version": version}).encode()


async def run_saves(port: int, raters: list[Rater], scales: dict[str, tuple[float, float]],
                    seconds: float, *, think: float = 0.0) -> dict[str, object]:
    """Every rater saving for ``seconds``; with ``think`` a pause of 0.5-1.5 x ``think`` seconds
    after each save (and a random start within the first ``think``)."""
    latencies: list[float] = []
    errors: dict[int, int] = {}
    stop = time.perf_counter() + seconds
    rng = random.Random(len(raters))

    async def one(r: Rater) -> None:
        conn = await Connection("127.0.0.1", port).open()
        if think:
            await asyncio.sleep(rng.uniform(0, think))
        try:
            while time.perf_counter() < stop:
                area, factor = cell = r.cells[r.next]
                r.next = (r.next + 1) % len(r.cells)
                value = float(1 + len(latencies) % 9)
                status, data, dt = await conn.request(
                    "PUT", f"/api/rater/answers/{area}/{factor}", headers=r.auth,
                    body=save_body(value, r.versions[cell], scales[factor]))
                latencies.append(dt)
                if status == 200:
                    r.versions[cell] = json.loads(data)["version"]
                else:
                    errors[status] = errors.get(status, 0) + 1
                if think:
                    await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
        finally:
            await conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(one(r) for r in raters))
    return {"latencies": latencies, "seconds": time.perf_counter() - start, "errors": errors}


async def run_gets(port: int, clients: int, seconds: float) -> dict[str, object]:
    latencies: list[float] = []
    errors: dict[int, int] = {}
    stop = time.perf_counter() + seconds

    async def one() -> None:
        conn = await Connection("127.0.0.1", port).open()
        try:
            while time.perf_counter() < stop:
                status, _data, dt = await conn.request("GET", "/api/models")
                latencies.append(dt)
                if status != 200:
                    errors[status] = errors.get(status, 0) + 1
        finally:
            await conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(clients)))
    return {"latencies": latencies, "seconds": time.perf_counter() - start, "errors": errors}


def pinned(cpus: set[int] | None) -> Callable[[], None] | None:
    return None if cpus is None else (lambda: os.sched_setaffinity(0, cpus))


def cpu_split() -> tuple[set[int] | None, set[int] | None]:
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    return ({cpus[0]}, set(cpus[1:])) if len(cpus) >= 2 else (None, None)


def start_server(db: str, port: int, workers: int, cpus: set[int] | None,
                 log: Path) -> subprocess.Popen[bytes]:
    exe = str(Path(sys.executable).parent / "autosafety")
    with open(log, "ab") as out:
        proc = subprocess.Popen([exe, "serve", "--port", str(port), "--db", db, "--workers", str(workers)],
                                stdout=out, stderr=out, stdin=subprocess.DEVNULL,
                                preexec_fn=pinned(cpus))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"serve exited: {log.read_text()}"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/models", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and all its descendants so far, from /proc."""
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def measured(pid: int, run: Callable[[], dict[str, object]]) -> dict[str, object]:
    """``run()`` with the server's CPU seconds spent during it added as ``cpu``."""
    before = cpu_seconds(pid)
    result = run()
    result["cpu"] = cpu_seconds(pid) - before
    return result


def pct(latencies: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(latencies), q) * 1000)


def cooke_seconds(raters: int, rounds: int = 3) -> float:
    """Median seconds for Cooke's model (global weights, cutoff optimised) on a ``raters``-rater
    campaign of 20 items, 10 of them seed items (the campaign of benchmarks/cooke_speed.py)."""
    from cooke_speed import campaign

    from autosafety.elicit._cooke import cooke

    judgements = campaign(raters, 20, 10, np.random.default_rng(0))
    cooke(judgements, weighting="global")
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        cooke(judgements, weighting="global")
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raters", type=int, default=200, help="concurrent raters (and GET clients)")
    ap.add_argument("--seconds", type=float, default=4.0, help="duration of each load run")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds of the three runs")
    ap.add_argument("--think", type=float, default=1.0,
                    help="mean seconds between one rater's saves in the paced run")
    ap.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    ap.add_argument("--postgres", action="store_true", help="start a temporary PostgreSQL server")
    ap.add_argument("--workers", type=int, default=1, help="serve --workers (PostgreSQL only)")
    ap.add_argument("--cooke-raters", type=int, default=500, help="0 to skip the Cooke timing")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="campaign-load-"))
    pg = TempPostgres().start() if args.postgres else None
    db = pg.create_database("bench") if pg else (args.db or f"sqlite:///{tmp / 'bench.db'}")
    server_cpus, client_cpus = cpu_split()
    if client_cpus:
        os.sched_setaffinity(0, client_cpus)
    model = load_model(MODEL)
    cells = campaign_cells(model, None)
    store = CampaignStore(db)
    made = store.create(model, name="load", model_ref=MODEL, cells=cells, raters=[None] * args.raters)
    store.close()
    scales = {f: factor_scale(model, f) for _, f in cells}
    raters = [Rater(inv.token, cells, k * 7) for k, inv in enumerate(made.raters)]
    port = free_port()
    proc = start_server(db, port, args.workers, server_cpus, tmp / "serve.log")
    backend = db.split(":", 1)[0].split("+")[0]
    print(f"{args.raters} raters x {len(cells)} cells, {backend}, serve --workers {args.workers}, "
          f"{args.rounds} rounds x {args.seconds:g} s each; server CPUs "
          f"{sorted(server_cpus) if server_cpus else 'all'}, client CPUs "
          f"{sorted(client_cpus) if client_cpus else 'all'}; load average before "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    try:
        asyncio.run(run_gets(port, 20, 1.0))  # warm up both paths
        asyncio.run(run_saves(port, raters[:20], scales, 1.0))
        paced: list[dict[str, object]] = []
        saves: list[dict[str, object]] = []
        gets: list[dict[str, object]] = []
        for i in range(args.rounds):
            order = ["paced", "get", "save"] if i % 2 == 0 else ["save", "get", "paced"]
            for kind in order:
                if kind == "get":
                    gets.append(measured(proc.pid, lambda: asyncio.run(
                        run_gets(port, args.raters, args.seconds))))
                elif kind == "save":
                    saves.append(measured(proc.pid, lambda: asyncio.run(
                        run_saves(port, raters, scales, args.seconds))))
                else:
                    paced.append(measured(proc.pid, lambda: asyncio.run(
                        run_saves(port, raters, scales, args.seconds + args.think, think=args.think))))
    finally:
        proc.terminate()
        proc.wait(30)
        if pg:
            pg.stop()

    def total(runs: list[dict[str, object]]) -> tuple[list[float], float, dict[int, int]]:
        lat = [x for r in runs for x in r["latencies"]]  # type: ignore[attr-defined]
        secs = sum(float(r["seconds"]) for r in runs)  # type: ignore[arg-type]
        errs: dict[int, int] = {}
        for r in runs:
            for k, v in r["errors"].items():  # type: ignore[attr-defined]
                errs[k] = errs.get(k, 0) + v
        return lat, secs, errs

    print(f"load average after {os.getloadavg()[0]:.1f} (latency needs the server's CPU: on a busy "
          "machine read the CPU per request)")

    def line(name: str, runs: list[dict[str, object]]) -> tuple[float, float, float]:
        lat, secs, err = total(runs)
        rate = len(lat) / secs
        cpu = sum(float(r["cpu"]) for r in runs) / len(lat) * 1000  # type: ignore[arg-type]
        print(f"{name:<22}{len(lat):6d} in {secs:5.1f} s = {rate:7.1f}/s   p50 {pct(lat, 50):6.1f} ms  "
              f"p95 {pct(lat, 95):6.1f} ms  p99 {pct(lat, 99):6.1f} ms   server CPU {cpu:.2f} ms/request"
              f"   non-200: {err or 'none'}")
        return rate, pct(lat, 95), cpu

    _, p95, _ = line(f"raters (~1 per {args.think:g} s)", paced)
    s_rate, _, s_cpu = line("saves flat out", saves)
    g_rate, _, g_cpu = line("GET /api/models", gets)
    ratio = s_rate / g_rate
    print(f"save p95 with {args.raters} raters {p95:.1f} ms (target < 100): "
          f"{'ok' if p95 < 100 else 'MISSED'};  "
          f"saves/GET throughput {ratio:.2f} (target >= 0.5): {'ok' if ratio >= 0.5 else 'MISSED'}; "
          f"by server CPU per request {g_cpu / s_cpu:.2f} (the same ratio on an idle machine)")
    if args.cooke_raters:
        t = cooke_seconds(args.cooke_raters)
        print(f"Cooke's classical model, {args.cooke_raters} raters x 20 items (10 seed), cutoff "
              f"optimised: {t:.3f} s (target < 1 s): {'ok' if t < 1 else 'MISSED'}")


if __name__ == "__main__":
    main()
