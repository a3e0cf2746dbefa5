"""Reliability with real processes: `autosafety serve` is killed with SIGKILL in the middle of a
burst of 20 raters x 50 saves over HTTP; after a restart every save that got a 2xx is in the
database (at that version or a later one), the database passes its own integrity check, and the
restarted server takes the raters' next saves. On SQLite and on a real PostgreSQL (`db_url`)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from _postgres import integrity_problems
from _serve import Served
from autosafety.campaign import CampaignStore, campaign_cells
from autosafety.campaign._core import factor_scale
from autosafety.model import load_model

RATERS, SAVES, CELLS = 20, 50, 5
KILL_AFTER = 300
"""Acknowledged saves (of 1000) after which the server is killed."""


def _body(value: float, version: int, scale: tuple[float, float]) -> dict[str, object]:
    lo, hi = scale
    return {"value": value, "low": max(lo, value - 1), "high": min(hi, value + 1),
            "rationale": f"saved at v{version}", "not_my_area": False, "version": version}


def test_acknowledged_saves_survive_sigkill(db_url, free_port, tmp_path):
    model = load_model("wehner-2026")
    cells = campaign_cells(model, None)[:CELLS]
    store = CampaignStore(db_url)
    made = store.create(model, name="burst", model_ref="wehner-2026", cells=cells,
                        raters=[None] * RATERS, rounds=2)
    store.close()
    scales = {f: factor_scale(model, f) for _, f in cells}

    acked: dict[tuple[str, str, str], tuple[int, float]] = {}
    """(pseudonym, area, factor) -> the newest acknowledged (version, value)."""
    statuses: list[int] = []
    errors: list[str] = []
    count_lock = threading.Lock()
    served = Served(free_port, "--db", db_url, log=tmp_path / "serve.log").wait_up()

    def rater(k: int) -> None:
        invitee = made.raters[k]
        versions = dict.fromkeys(cells, 0)
        with httpx.Client(base_url=served.url, timeout=30,
                          headers={"Authorization": f"Bearer {invitee.token}"}) as client:
            for i in range(SAVES):
                area, factor = cell = cells[i % CELLS]
                value = float(1 + (k + i) % 9)
                try:
                    resp = client.put(f"/api/rater/answers/{area}/{factor}",
                                      json=_body(value, versions[cell], scales[factor]))
                except httpx.TransportError as e:  # the server is gone: this rater stops
                    errors.append(type(e).__name__)
                    return
                with count_lock:
                    statuses.append(resp.status_code)
                if not 200 <= resp.status_code < 300:
                    return
                versions[cell] = resp.json()["version"]
                with count_lock:
                    acked[(invitee.pseudonym, area, factor)] = (versions[cell], value)

    try:
        with ThreadPoolExecutor(RATERS) as pool:
            futures = [pool.submit(rater, k) for k in range(RATERS)]
            deadline = time.monotonic() + 120
            while len(statuses) < KILL_AFTER and not all(f.done() for f in futures):
                assert time.monotonic() < deadline, "the burst did not get going"
                time.sleep(0.005)
            served.kill()  # SIGKILL, mid-burst
            for f in futures:
                f.result()
    finally:
        served.kill()
    assert set(statuses) == {200}, f"only 200 expected before the kill: {sorted(set(statuses))}"
    assert KILL_AFTER <= len(statuses) < RATERS * SAVES, "the kill did not land mid-burst"
    assert errors, "no request was cut off by the kill"
    assert integrity_problems(db_url) == []  # the database as the killed server left it

    restarted = Served(free_port, "--db", db_url, log=tmp_path / "serve.log").wait_up()
    try:
        store = CampaignStore(db_url)
        stored = {(a.rater, a.answer.area, a.answer.factor): a for a in store.answers(made.id)}
        store.close()
        for key, (version, value) in acked.items():
            assert key in stored, f"acknowledged save lost: {key} v{version}"
            assert stored[key].version >= version, (key, stored[key].version, version)
            if stored[key].version == version:
                assert stored[key].answer.value == value
        # the restarted server takes each rater's next save on top of what is stored
        for invitee in made.raters:
            area, factor = cells[0]
            current = stored.get((invitee.pseudonym, area, factor))
            version = current.version if current else 0
            resp = httpx.put(f"{restarted.url}/api/rater/answers/{area}/{factor}", timeout=30,
                             headers={"Authorization": f"Bearer {invitee.token}"},
                             json=_body(5.0, version, scales[factor]))
            assert resp.status_code == 200, resp.text
            assert resp.json()["version"] == version + 1
    finally:
        restarted.stop()
    assert integrity_problems(db_url) == []
