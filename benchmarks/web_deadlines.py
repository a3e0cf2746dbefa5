"""How soon a request over its deadline is answered (these figures used to be timing assertions
in tests/web/test_limits.py and tests/web/test_hostile_api.py).

1. The Limits middleware alone: an app that sleeps 5 s behind a 0.2 s deadline.
2. The web app with a 2 s deadline: a Monte Carlo of 20,000 draws on a 600-area model (its worker
   is killed at the deadline), three times; then two small analyses side by side on the freed
   CPU slots.

Run: .venv/bin/python benchmarks/web_deadlines.py
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from autosafety.web import create_app
from autosafety.web._limits import Limits

SCOPE = {"type": "http", "method": "GET", "path": "/", "headers": [(b"host", b"x")]}


async def sleeping_app(scope: Any, receive: Any, send: Any) -> None:
    await asyncio.sleep(5)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def call(app: Any) -> int:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(dict(SCOPE), receive, send)
    return int(sent[0]["status"])


def big_model(areas: int) -> dict[str, Any]:
    return {"id": "big", "factors": [{"id": "f0"}, {"id": "f1"}],
            "areas": [{"id": f"a{i}", "category": "s" if i % 2 else "c"} for i in range(areas)],
            "raters": [{"id": "r"}],
            "ratings": [{"area": f"a{i}", "factor": f"f{j}", "rater": "r",
                         "value": 1 + (i * 7 + j) % 10} for i in range(areas) for j in range(2)]}


def main() -> None:
    limits = Limits(sleeping_app, timeout=0.2)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        status = asyncio.run(call(limits))
        times.append(time.perf_counter() - t)
    print(f"Limits alone, 0.2 s deadline, a 5 s app: {status} after median "
          f"{statistics.median(times) * 1e3:.0f} ms (max {max(times) * 1e3:.0f} ms)")

    with tempfile.TemporaryDirectory() as d:
        app = create_app(database_url=f"sqlite:///{Path(d) / 'b.db'}", timeout=2.0)
        with TestClient(app, raise_server_exceptions=False) as c:
            c.post("/api/montecarlo", json={"model": "wehner-2026", "draws": 200})  # start workers
            body = {"model": big_model(600), "draws": 20_000, "rating_noise": 0.1}
            for k in range(3):
                t = time.perf_counter()
                r = c.post("/api/montecarlo", json=body)
                print(f"app, 2 s deadline, Monte Carlo 600 areas x 20,000 draws (run {k + 1}): "
                      f"{r.status_code} after {time.perf_counter() - t:.2f} s")
            codes: list[int] = []
            pair = [threading.Thread(target=lambda: codes.append(c.post(
                "/api/montecarlo", json={"model": "wehner-2026", "draws": 2000}).status_code))
                for _ in range(2)]
            t = time.perf_counter()
            for th in pair:
                th.start()
            for th in pair:
                th.join()
            print(f"then two small analyses side by side: {codes} after "
                  f"{time.perf_counter() - t:.2f} s (the killed workers' slots are free)")


if __name__ == "__main__":
    main()
