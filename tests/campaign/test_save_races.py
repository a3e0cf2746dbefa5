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
