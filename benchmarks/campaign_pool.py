"""Pooling a stored campaign by Cooke's classical model (issue 11: a 500-rater campaign under 1 s):
500 raters, 10 seed questions, 20 cells answered with 5-95% intervals, in a SQLite (or --db)
database; times `campaign pool` end to end (database reads, latest answers, Cooke with the cutoff
optimised over every calibration score, pooled cells) and Cooke alone on the same arrays.
Run: `nice .venv/bin/python benchmarks/campaign_pool.py`."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from autosafety.campaign import CampaignStore
from autosafety.campaign._seeds import SeedQuestion
from autosafety.campaign._seeds_store import SeedStore, pool_stored
from autosafety.campaign._tables import AnswerRow, AssignmentRow, RaterRow
from autosafety.campaign._tables_interview import SeedAnswerRow, SeedQuestionRow
from autosafety.model import load_model


def build(db: str, raters: int, seeds: int, cells: int, seed: int) -> int:
    """A campaign filled by bulk inserts (the save path is measured by benchmarks/campaign_load.py)."""
    rng = np.random.default_rng(seed)
    model = load_model("wehner-2026")
    all_cells = [(a.id, f.id) for a in model.spec.areas for f in model.spec.factors][:cells]
    store = CampaignStore(db)
    made = store.create(model, name="bench", model_ref="wehner-2026", cells=all_cells,
                        raters=[None] * raters, rounds=1)
    truth = rng.uniform(1, 100, seeds)
    SeedStore(store).add_questions(made.id, [SeedQuestion(f"s{i}", "?", "", float(truth[i]), "", "uni")
                                             for i in range(seeds)])
    now = datetime.now(UTC)
    z = np.array([-1.6449, 0.0, 1.6449])
    with store._session() as s, s.begin():
        rater_ids = list(s.scalars(RaterRow.__table__.select().with_only_columns(RaterRow.id)
                                   .where(RaterRow.campaign_id == made.id).order_by(RaterRow.id)))
        q_ids = list(s.scalars(SeedQuestionRow.__table__.select().with_only_columns(SeedQuestionRow.id)
                               .where(SeedQuestionRow.campaign_id == made.id)
                               .order_by(SeedQuestionRow.position)))
        bias = rng.normal(0, 0.3, raters)
        spread = rng.uniform(0.05, 1.0, raters)
        rows = []
        for k, rid in enumerate(rater_ids):
            centre = truth * np.exp(bias[k] + rng.normal(0, 0.3, seeds))
            for i, qid in enumerate(q_ids):
                q = centre[i] * np.exp(spread[k] * z)
                rows.append({"rater_id": rid, "question_id": qid, "q05": q[0], "q50": q[1], "q95": q[2],
                             "version": 1, "updated": now})
        s.execute(SeedAnswerRow.__table__.insert(), rows)
        assignments = s.execute(AssignmentRow.__table__.select().with_only_columns(AssignmentRow.id)).all()
        rows = []
        for (aid,) in assignments:
            v = float(rng.uniform(2, 9))
            w = float(rng.uniform(0.3, 1.0))
            rows.append({"assignment_id": aid, "round": 1, "value": v, "low": v - w, "high": v + w,
                         "rationale": "", "not_my_area": False, "version": 1, "updated": now})
        s.execute(AnswerRow.__table__.insert(), rows)
    store.close()
    return made.id


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--raters", type=int, default=500)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--cells", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--db", default=None, help="database URL (default: a new SQLite file)")
    args = ap.parse_args()
    db = args.db or f"sqlite:///{Path(tempfile.mkdtemp()) / 'pool.db'}"
    t = time.perf_counter()
    cid = build(db, args.raters, args.seeds, args.cells, seed=1)
    print(f"built: {args.raters} raters x ({args.seeds} seeds + {args.cells} cells) in "
          f"{time.perf_counter() - t:.1f} s ({db.split(':')[0]})")
    from autosafety.elicit import cooke

    store = CampaignStore(db)
    try:
        whole, alone = [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            pool = pool_stored(store, cid, method="cooke")
            whole.append(time.perf_counter() - t)
            t = time.perf_counter()
            cooke(pool.result.judgements, weighting="global")
            alone.append(time.perf_counter() - t)
    finally:
        store.close()
    d = pool.to_dict()
    print(f"campaign pool (database + Cooke, alpha optimised over {args.raters} scores): median "
          f"{statistics.median(whole):.3f} s (min {min(whole):.3f}, max {max(whole):.3f}); Cooke alone "
          f"median {statistics.median(alone):.3f} s")
    print(f"alpha {d['alpha']:.3g}, raters with weight {sum(1 for r in d['raters'] if r['weight'])}, "
          f"pooled cells {len(d['cells'])}")


if __name__ == "__main__":
    main()
