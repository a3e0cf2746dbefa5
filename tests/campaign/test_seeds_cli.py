"""Seed questions and interviews through the CLI and the database (SQLite and PostgreSQL):
`campaign create --seed-questions`, `campaign pool` (table and JSON), `score --campaign` giving the
very numbers of `campaign export` + `--ratings`, the pooled rater against its closed form, and
`campaign interviews` exporting a file `autosafety timeline` runs on."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from autosafety.campaign import Answer, CampaignStore
from autosafety.campaign._interview_store import InterviewStore
from autosafety.campaign._seeds import SeedAnswer
from autosafety.campaign._seeds_store import SeedStore
from autosafety.campaign._store import StaleWrite
from autosafety.model import load_model

SEEDS = """- {id: s1, question: "First?", unit: x, realization: 10, source: "secret citation"}
- {id: s2, question: "Second?", unit: minutes, realization: 100, source: "another", scale: log}
"""
CELL = ("interpretability", "task_length")


def create(cli, tmp_path, db, raters=2):
    (tmp_path / "seeds.yaml").write_text(SEEDS)
    run = cli("campaign", "create", "wehner-2026", "--name", "Pilot", "--cells",
              "interpretability:task_length", "--raters", str(raters), "--seed-questions",
              str(tmp_path / "seeds.yaml"), "--db", db)
    assert run.code == 0, run.err
    assert "interview and 2 seed questions" in run.out
    return re.findall(r"^R\d+  \S+/rate#(\S+)$", run.out, re.M)


def test_bad_seed_file_exits_2_before_creating_anything(cli, tmp_path, db_url):
    (tmp_path / "bad.yaml").write_text("- {id: s1, question: Q?, realization: 0, scale: log}\n")
    run = cli("campaign", "create", "wehner-2026", "--name", "P", "--raters", "2",
              "--seed-questions", str(tmp_path / "bad.yaml"), "--db", db_url)
    assert run.code == 2 and "Traceback" not in run.err
    assert "questions[0] (s1).realization: 0 on a log scale" in run.err
    store = CampaignStore(db_url)
    try:
        with pytest.raises(KeyError):
            store.model(1)
    finally:
        store.close()


def test_seed_answers_are_versioned_and_pool_into_score(cli, tmp_path, db_url):
    tokens = create(cli, tmp_path, db_url)
    store = CampaignStore(db_url)
    seeds = SeedStore(store)
    try:
        view = seeds.for_rater(tokens[0])
        assert "10" not in json.dumps(view) and "secret" not in json.dumps(view)  # no realization
        assert [q["id"] for q in view["questions"]] == ["s1", "s2"]
        assert seeds.save(tokens[0], SeedAnswer("s1", 5, 9, 20), expected_version=0) == 1
        assert seeds.save(tokens[0], SeedAnswer("s1", 5, 9, 21), expected_version=1) == 2
        with pytest.raises(StaleWrite) as e:
            seeds.save(tokens[0], SeedAnswer("s1", 1, 2, 3), expected_version=1)
        assert e.value.current == 2
        seeds.save(tokens[0], SeedAnswer("s2", 50, 120, 200), expected_version=0)
        seeds.save(tokens[1], SeedAnswer("s1", 11, 12, 13), expected_version=0)
        seeds.save(tokens[1], SeedAnswer("s2", 101, 102, 103), expected_version=0)
        assert seeds.answers(1)["R01"][0] == SeedAnswer("s1", 5, 9, 21)
        # mirror-image cell answers: the equal pool's median is 5 (tests/campaign/test_seeds.py)
        store.save_answer(tokens[0], Answer(*CELL, 3.0, 2.0, 4.0, "short"), expected_version=0)
        store.save_answer(tokens[1], Answer(*CELL, 7.0, 6.0, 8.0, "long"), expected_version=0)
    finally:
        store.close()

    table = cli("campaign", "pool", "1", "--db", db_url)
    assert table.code == 0, table.err
    assert re.search(r"^R01 +2 +\S+ +\S+ +\S+$", table.out, re.M)
    assert "Interpretability, Task length" in table.out
    js = cli("campaign", "pool", "1", "--method", "equal", "--format", "json", "--db", db_url)
    data = json.loads(js.out)
    assert [r["id"] for r in data["raters"]] == ["R01", "R02"]
    assert data["cells"][0]["value"] == pytest.approx(5.0, abs=1e-12)

    def scores(*args):
        run = cli("score", "wehner-2026", "--source-weight", "human=5", "--source-weight",
                  "published_pooled=3", "--format", "json", *args)
        assert run.code == 0, run.err
        return json.loads(run.out)

    # --campaign: the very numbers of export + --ratings
    assert cli("campaign", "export", "1", "--out", str(tmp_path / "r.csv"), "--db", db_url).code == 0
    assert scores("--campaign", "1", "--db", db_url) == scores("--ratings", str(tmp_path / "r.csv"))
    # --pool: the very numbers of the pooled CSV, and those of the closed form by hand
    for method in ("cooke", "equal"):
        out = tmp_path / f"{method}.csv"
        assert cli("campaign", "pool", "1", "--method", method, "--out", str(out), "--db", db_url).code == 0
        assert scores("--campaign", "1", "--pool", method, "--db", db_url) == scores("--ratings", str(out))
    published = {(r.area, r.factor): r.value for r in load_model("wehner-2026").spec.ratings}[CELL]
    run = cli("score", "wehner-2026", "--format", "json", "--rating",
              f"interpretability:task_length={(5 * 5.0 + 3 * published) / 8!r}")
    by_hand = json.loads(run.out)
    pooled = scores("--campaign", "1", "--pool", "equal", "--db", db_url)
    area = {a["id"]: a["score"] for a in pooled["areas"]}["interpretability"]
    assert area == pytest.approx({a["id"]: a["score"] for a in by_hand["areas"]}["interpretability"],
                                 abs=1e-12)


def test_equal_pooling_needs_no_seed_questions_and_cooke_says_to_add_them(cli, tmp_path, db_url):
    """A campaign made without --seed-questions: `pool --method equal` and `score --campaign
    --pool equal` work (A (2, 4, 6) and B (4, 6, 8): the mixture's median is 5, its 5% quantile
    by hand in tests/campaign/test_seeds.py); Cooke's model exits 2 naming the seed questions."""
    run = cli("campaign", "create", "wehner-2026", "--name", "No seeds", "--cells",
              "interpretability:task_length", "--raters", "2", "--db", db_url)
    assert run.code == 0, run.err
    tokens = re.findall(r"^R\d+  \S+/rate#(\S+)$", run.out, re.M)
    store = CampaignStore(db_url)
    try:
        store.save_answer(tokens[0], Answer(*CELL, 4.0, 2.0, 6.0, ""), expected_version=0)
        store.save_answer(tokens[1], Answer(*CELL, 6.0, 4.0, 8.0, ""), expected_version=0)
    finally:
        store.close()
    table = cli("campaign", "pool", "1", "--method", "equal", "--db", db_url)
    assert table.code == 0, table.err
    assert "no seed answers" in table.out
    js = cli("campaign", "pool", "1", "--method", "equal", "--format", "json", "--out",
             str(tmp_path / "eq.csv"), "--db", db_url)
    [c] = json.loads(js.out)["cells"]
    x05 = 2 + (0.05 - 0.05 * 0.6 / 2.6) / (0.225 + 0.05 / 2.6)
    assert (c["low"], c["value"], c["high"]) == pytest.approx((x05, 5.0, 10 - x05), abs=1e-12)
    by_pool = cli("score", "wehner-2026", "--campaign", "1", "--pool", "equal", "--format", "json",
                  "--db", db_url)
    by_csv = cli("score", "wehner-2026", "--ratings", str(tmp_path / "eq.csv"), "--format", "json")
    assert by_pool.code == 0 and json.loads(by_pool.out) == json.loads(by_csv.out)
    for args in (("campaign", "pool", "1"), ("score", "wehner-2026", "--campaign", "1", "--pool", "cooke")):
        run = cli(*args, "--db", db_url)
        assert run.code == 2 and "Traceback" not in run.err
        assert "campaign 1: seed questions: the campaign has no seed questions" in run.err
        assert "--seed-questions FILE" in run.err


def test_pool_and_score_errors_exit_2(cli, tmp_path, db_url):
    create(cli, tmp_path, db_url)
    for args in (("campaign", "pool", "1", "--db", db_url),  # no seed answers yet
                 ("campaign", "pool", "9", "--db", db_url),
                 ("campaign", "pool", "1", "--method", "median", "--db", db_url),
                 ("score", "wehner-2026", "--campaign", "9", "--db", db_url),
                 ("score", "wehner-2026", "--pool", "cooke"),
                 ("campaign", "interviews", "1", "--db", db_url)):
        run = cli(*args)
        assert run.code == 2 and "Traceback" not in run.err, (args, run.err)


R01 = {"area": "interpretability", "tasks": [
    {"id": "implementation", "share": 60, "duration": {"unit": "hours", "q05": 1, "q50": 4, "q95": 16},
     "verifiability": 0.8, "compute_fraction": 0.1, "review_overhead": 0.05},
    {"id": "writing", "share": 40, "duration": {"unit": "days", "low": 0.5, "high": 2},
     "verifiability": 0.4, "compute_fraction": 0, "review_overhead": 0}]}
R02 = {"area": "interpretability", "tasks": [
    {"id": "implementation", "share": 100, "duration": {"unit": "hours", "q05": 2, "q50": 8, "q95": 32},
     "verifiability": 0.6, "compute_fraction": 0.3, "review_overhead": 0.1}]}


def test_interviews_export_to_a_file_the_timeline_runs(cli, tmp_path, db_url):
    tokens = create(cli, tmp_path, db_url, raters=3)
    store = CampaignStore(db_url)
    ivs = InterviewStore(store)
    try:
        for token, data in zip(tokens, (R01, R02, {"area": "interpretability"}), strict=True):
            ivs.save(token, ivs.check(token, data), expected_version=0)
        with pytest.raises(StaleWrite):
            ivs.save(tokens[0], ivs.check(tokens[0], R02), expected_version=0)
        assert ivs.save(tokens[0], ivs.check(tokens[0], R01), expected_version=1) == 2
        interview, version, areas = ivs.get(tokens[0])
        assert version == 2 and interview is not None and interview.to_dict()["tasks"][0]["share"] == 60
        assert [a["id"] for a in areas][:2] == ["interpretability", "alignment_theory"]
    finally:
        store.close()
    out = tmp_path / "tasks.yaml"
    run = cli("campaign", "interviews", "1", "--out", str(out), "--db", db_url)
    assert run.code == 0, run.err
    assert "left out (incomplete): interview of R03.tasks: no task yet" in run.err
    data = yaml.safe_load(out.read_text())
    [area] = data["areas"]
    shares = {t["id"]: t["share"] for t in area["tasks"]}
    assert shares == pytest.approx({"implementation": (0.6 + 1.0) / 2, "writing": 0.4 / 2}, abs=1e-15)
    impl = area["tasks"][0]["duration"]
    assert impl["value"] == pytest.approx(32 ** 0.5, rel=1e-12)  # the geometric mean of 4 and 8
    timeline = cli("timeline", str(out), "--draws", "300", "--format", "json")
    assert timeline.code == 0, timeline.err
    assert [a["name"] for a in json.loads(timeline.out)["areas"]] == ["Interpretability"]
    as_json = tmp_path / "tasks.json"  # the same model as JSON
    assert cli("campaign", "interviews", "1", "--out", str(as_json), "--db", db_url).code == 0
    assert json.loads(as_json.read_text()) == data
    assert cli("campaign", "interviews", "1", "--out", str(out), "--db", db_url).code == 2  # no --force


def test_migration_0003_is_the_head(db_url):
    from sqlalchemy import inspect

    store = CampaignStore(db_url)
    try:
        tables = set(inspect(store.engine).get_table_names())
        from autosafety.store._migrate import current_revision
        assert current_revision(store.engine) == "0003"
    finally:
        store.close()
    assert {"campaign_seed_questions", "campaign_seed_answers", "campaign_interviews"} <= tables


def test_the_pool_reads_the_answers_export_writes(db_url):
    """Latest round per rater and cell, no 'not my area', an interval only with both ends: the
    pool's direct read and `answers_to_ratings` (the export) agree answer for answer."""
    from autosafety.campaign import answers_to_ratings

    store = CampaignStore(db_url)
    try:
        cells = [CELL, ("interpretability", "feedback_quality"), ("alignment_theory", "task_length")]
        made = store.create(load_model("wehner-2026"), name="P", model_ref="wehner-2026", cells=cells,
                            raters=[None] * 3, rounds=3)
        t = [r.token for r in made.raters]
        store.save_answer(t[0], Answer(*CELL, 3.0, 2.0, 4.0), expected_version=0)
        store.save_answer(t[0], Answer(*cells[1], 5.0), expected_version=0)
        store.save_answer(t[1], Answer(*cells[2], not_my_area=True), expected_version=0)
        store.save_answer(t[2], Answer(*CELL, 8.0, 7.0, 9.0), expected_version=0)
        store.close_round(made.id, made.organiser_token)
        store.save_answer(t[0], Answer(*CELL, 6.0, 5.0, 7.5), expected_version=0)  # round 2 revision
        store.save_answer(t[1], Answer(*cells[2], 4.0, 3.0, 6.0), expected_version=0)
        got = SeedStore(store).latest_cells(made.id)
        want = [(r.rater.split("/")[-1], r.area, r.factor, r.value, r.low, r.high)
                for r in answers_to_ratings(store.answers(made.id))]
    finally:
        store.close()
    assert [tuple(c) for c in got] == want
    assert ("R01", *CELL, 6.0, 5.0, 7.5) in want and len(want) == 4


def test_migration_0003_downgrades_and_upgrades_again(db_url):
    """0003 is reversible on both databases: down to 0002 drops only its tables, up restores them."""
    from alembic import command
    from sqlalchemy import inspect

    from autosafety.store._migrate import _config, current_revision, upgrade

    store = CampaignStore(db_url)
    engine = store.engine
    try:
        with engine.begin() as con:
            command.downgrade(_config(con), "0002")  # type: ignore[arg-type]
        tables = set(inspect(engine).get_table_names())
        assert current_revision(engine) == "0002" and "campaign_interviews" not in tables
        assert "campaign_answers" in tables
        assert upgrade(engine) == "0003"
        assert "campaign_seed_answers" in set(inspect(engine).get_table_names())
    finally:
        store.close()
