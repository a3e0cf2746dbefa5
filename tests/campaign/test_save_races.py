"""Concurrent saves of one cell (several tabs or devices of one rater at the same instant): exactly
one save wins each version, every other gets StaleWrite with the stored version, never an
IntegrityError or a lost update. On SQLite and on a real PostgreSQL (`db_url`)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from autosafety.campaign import Answer, CampaignStore, StaleWrite, campaign_cells
from autosafety.model import load_model

TABS = 6


def test_simultaneous_saves_of_one_cell_have_one_winner(db_url):
    model = load_model("wehner-2026")
    cells = campaign_cells(model, None)[:8]
    store = CampaignStore(db_url)
    made = store.create(model, name="race", model_ref="wehner-2026", cells=cells, raters=[None])
    token = made.raters[0].token
    try:
        for expected in (0, 1):  # first saves (INSERT), then compare-and-swap (UPDATE)
            for area, factor in cells:
                barrier = threading.Barrier(TABS)

                def tab(k: int, area: str = area, factor: str = factor, expected: int = expected,
                        barrier: threading.Barrier = barrier) -> int | StaleWrite:
                    barrier.wait()
                    try:
                        return store.save_answer(token, Answer(area, factor, float(k + 1)),
                                                 expected_version=expected)
                    except StaleWrite as e:
                        return e

                with ThreadPoolExecutor(TABS) as pool:
                    results = list(pool.map(tab, range(TABS)))
                wins = [r for r in results if isinstance(r, int)]
                assert wins == [expected + 1], results
                assert all(r.current == expected + 1 for r in results if isinstance(r, StaleWrite))
        stored = store.answers(made.id)
        assert len(stored) == len(cells) and {a.version for a in stored} == {2}
    finally:
        store.close()


def test_a_burst_on_a_cold_store_does_not_exhaust_its_pool(db_url):
    """40 raters' first saves at once on a store that has not read the campaign's scales yet
    (more than the pool's 15 connections): none holds a connection while it loads a scale."""
    model = load_model("wehner-2026")
    cells = campaign_cells(model, None)[:1]
    maker = CampaignStore(db_url)
    made = maker.create(model, name="cold", model_ref="wehner-2026", cells=cells, raters=[None] * 40)
    maker.close()
    store = CampaignStore(db_url)  # a fresh process's store: nothing in memory
    barrier = threading.Barrier(40)
    (area, factor), = cells

    def first_save(k: int) -> int:
        barrier.wait()
        return store.save_answer(made.raters[k].token, Answer(area, factor, 5.0), expected_version=0)

    try:
        with ThreadPoolExecutor(40) as pool:
            futures = [pool.submit(first_save, k) for k in range(40)]
            assert [f.result(timeout=20) for f in futures] == [1] * 40
    finally:
        store.close()
