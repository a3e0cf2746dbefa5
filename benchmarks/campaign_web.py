"""The campaign web API's read paths (issue 11): a campaign of N raters (default 200) who each
answer all 70 cells of `wehner-2026` (with intervals and a rationale), through FastAPI's
TestClient in-process on SQLite: a save (`PUT /api/rater/answers/...`, sequential), the
organiser's dashboard (`GET /api/campaigns/ID`) in rounds 1 and 2, and the rater's form
(`GET /api/rater`) in round 1 and in round 2 with the group's previous round.
Concurrent savers are `benchmarks/campaign_load.py`.
Run: `nice .venv/bin/python benchmarks/campaign_web.py [RATERS]`."""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from autosafety.campaign import Answer
from autosafety.web import create_app


def timed(label: str, fn: Callable[[], object], repeat: int = 5) -> None:
    times, size = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        r = fn()
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, r.text  # type: ignore[attr-defined]
        size = len(r.content)  # type: ignore[attr-defined]
    print(f"{label}: median {statistics.median(times) * 1000:.0f} ms (first {times[0] * 1000:.0f} ms), "
          f"{size / 1024:.0f} KB")


def main(raters: int) -> None:
    with tempfile.TemporaryDirectory(prefix="autosafety-campaign-web-") as tmp:
        run(raters, Path(tmp) / "bench.db")


def run(raters: int, db: Path) -> None:
    app = create_app(database_url=f"sqlite:///{db}")
    with TestClient(app) as c:
        made = c.post("/api/campaigns", json={"model": "wehner-2026", "name": "Benchmark",
                                              "raters": raters, "rounds": 2}).json()
        store = app.state.campaigns
        model = store.model(made["id"])
        rng = random.Random(0)
        t0 = time.perf_counter()
        for r in made["raters"]:
            for a in model.area_ids:
                for f in model.factor_ids:
                    v = rng.randint(2, 9)
                    store.save_answer(r["token"], Answer(a, f, float(v), v - 1.0, v + 1.0,
                                                         f"reason {rng.randint(0, 10**6)}"),
                                      expected_version=0)
        print(f"{raters} raters x 70 cells: {raters * 70:,} answers stored in "
              f"{time.perf_counter() - t0:.1f} s (CampaignStore.save_answer)")
        rater = {"authorization": f"Bearer {made['raters'][0]['token']}"}
        organiser = {"authorization": f"Bearer {made['organiser_token']}"}
        latencies = []
        for version in range(1, 51):
            t = time.perf_counter()
            r = c.put("/api/rater/answers/interpretability/task_length", headers=rater,
                      json={"value": 5, "version": version})
            latencies.append(time.perf_counter() - t)
            assert r.status_code == 200, r.text
        latencies.sort()
        print(f"PUT /api/rater/answers (50 sequential saves): median "
              f"{statistics.median(latencies) * 1000:.1f} ms, p95 {latencies[47] * 1000:.1f} ms")
        timed("GET /api/campaigns/ID, round 1", lambda: c.get(f"/api/campaigns/{made['id']}",
                                                              headers=organiser))
        timed("GET /api/rater, round 1", lambda: c.get("/api/rater", headers=rater))
        c.post(f"/api/campaigns/{made['id']}/rounds/close", headers=organiser)
        timed("GET /api/campaigns/ID, round 2", lambda: c.get(f"/api/campaigns/{made['id']}",
                                                              headers=organiser))
        timed(f"GET /api/rater, round 2 (the group of {raters})",
              lambda: c.get("/api/rater", headers=rater))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
