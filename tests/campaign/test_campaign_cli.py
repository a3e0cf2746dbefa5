"""`autosafety campaign create/export` and `db upgrade` through the CLI; the exported ratings pool
into the model like any other human rater (checked against the same pooled values given as
cell overrides). On SQLite and on a real PostgreSQL server (`db_url`)."""

from __future__ import annotations

import csv
import io
import json
import re

from autosafety.campaign import Answer, CampaignStore
from autosafety.model import load_model


def test_create_answer_export_score(cli, tmp_path, db_url):
    db = db_url
    (tmp_path / "raters.csv").write_text("name\nAda\nBo\n")
    run = cli("campaign", "create", "wehner-2026", "--name", "Pilot", "--cells", "interpretability:*",
              "--invite", str(tmp_path / "raters.csv"), "--db", db)
    assert run.code == 0, run.err
    links = re.findall(r"^(R\d+)  http://127\.0\.0\.1:8000/rate#(\S+)(?:  (\w+))?$", run.out, re.M)
    assert [(p, n) for p, _, n in links] == [("R01", "Ada"), ("R02", "Bo")]
    organiser = re.search(r"organiser token \(keep it secret\): (\S+)", run.out)
    assert organiser and "7 cells, 2 raters" in run.out
    store = CampaignStore(db)
    values = {"R01": 2.0, "R02": 5.0}
    for p, token, _ in links:
        for factor in ("task_length", "feedback_quality"):
            store.save_answer(token, Answer("interpretability", factor, values[p], 1.0, 9.0, "why"),
                              expected_version=0)
    store.close()
    out = tmp_path / "ratings.csv"
    run = cli("campaign", "export", "1", "--out", str(out), "--db", db)
    assert run.code == 0, run.err
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 4 and {r["rater"] for r in rows} == {"campaign-1/R01", "campaign-1/R02"}
    text = out.read_text()
    assert "Ada" not in text and all(t not in text for _, t, _ in links) and organiser.group(1) not in text
    assert json.loads(rows[0]["provenance"])["campaign_name"] == "Pilot"

    pooled = cli("score", "wehner-2026", "--ratings", str(out), "--source-weight", "human=5",
                 "--source-weight", "published_pooled=3", "--format", "json")
    assert pooled.code == 0, pooled.err
    # the same by hand: humans' mean 3.5 weighed 5 against the published rating weighed 3
    m = load_model("wehner-2026")
    published = {(r.area, r.factor): r.value for r in m.spec.ratings}
    overrides = [f"interpretability:{f}={(5 * 3.5 + 3 * published[('interpretability', f)]) / 8!r}"
                 for f in ("task_length", "feedback_quality")]
    by_hand = cli("score", "wehner-2026", *[x for o in overrides for x in ("--rating", o)],
                  "--format", "json")
    assert by_hand.code == 0, by_hand.err

    def score_of(run):
        return {a["id"]: a["score"] for a in json.loads(run.out)["areas"]}
    assert score_of(pooled)["interpretability"] == score_of(by_hand)["interpretability"]
    assert score_of(pooled)["interpretability"] != score_of(cli("score", "wehner-2026", "--format", "json"))[
        "interpretability"]


def test_bad_campaign_input_exits_2(cli, tmp_path, db_url):
    db = db_url
    run = cli("campaign", "create", "wehner-2026", "--name", "X", "--db", db)
    assert run.code == 2 and "--raters/--invite" in run.err
    run = cli("campaign", "create", "wehner-2026", "--name", "X", "--raters", "2",
              "--cells", "nope:task_length", "--db", db)
    assert run.code == 2 and "unknown area 'nope'" in run.err
    run = cli("campaign", "export", "9", "--out", str(tmp_path / "o.csv"), "--db", db)
    assert run.code == 2 and "campaign 9: no such campaign" in run.err
    run = cli("db", "upgrade", "--db", db)
    assert run.code == 0 and "revision 0003 (newest 0003)" in run.out
