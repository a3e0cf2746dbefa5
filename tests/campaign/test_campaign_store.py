"""Campaign storage under Alembic, on SQLite and on a real PostgreSQL server (`db_url`): tokens
(>= 128 bits, only hashes stored), answers with versions (a stale write is refused), rounds, the
export the model pools; a pre-migration database is adopted, not recreated."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest
from sqlalchemy import create_engine, inspect, text

from _postgres import integrity_problems
from autosafety._errors import InputError
from autosafety.campaign import Answer, CampaignStore, NotFound, StaleWrite, answers_to_ratings
from autosafety.campaign._core import check_answer
from autosafety.model import load_model


@pytest.fixture
def store(db_url):
    s = CampaignStore(db_url)
    yield s
    s.close()


CELLS = (("interpretability", "task_length"), ("interpretability", "feedback_quality"))


def _make(store, raters=3, cells=CELLS):
    return store.create(load_model("wehner-2026"), name="Pilot", model_ref="wehner-2026", cells=list(cells),
                        raters=[None] * raters, rounds=2)


def _dump(url):
    """Every row of every table, as text."""
    engine = create_engine(url)
    with engine.connect() as con:
        text_ = "\n".join(repr(tuple(row)) for table in inspect(con).get_table_names()
                          for row in con.execute(text(f'SELECT * FROM "{table}"')))
    engine.dispose()
    return text_


def test_tokens_are_random_256_bit_and_only_their_hashes_are_stored(store, db_url, tmp_path):
    made = _make(store)
    tokens = [made.organiser_token] + [r.token for r in made.raters]
    assert len(set(tokens)) == len(tokens)
    for t in tokens:
        assert len(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))) >= 16
    store.close()
    dump = _dump(db_url)
    for t in tokens:
        assert t not in dump
    if db_url.startswith("sqlite"):  # nor anywhere in the files (free pages, the WAL)
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("test.db*"))
        assert raw and all(t.encode() not in raw for t in tokens)
    engine = create_engine(db_url)
    with engine.connect() as con:
        hashes = {h for (h,) in con.execute(text("select token_hash from campaign_raters"))}
        assert hashes == {hashlib.sha256(r.token.encode()).hexdigest() for r in made.raters}
        assert con.execute(text("select version_num from alembic_version")).one() == ("0003",)
    engine.dispose()
    assert integrity_problems(db_url) == []


def test_versions_refuse_a_stale_write(store):
    made = _make(store)
    token = made.raters[0].token
    a = Answer("interpretability", "task_length", 6.0, 4.0, 8.0, "long tasks")
    assert store.save_answer(token, a, expected_version=0) == 1
    assert store.save_answer(token, Answer("interpretability", "task_length", 7.0, 5.0, 9.0),
                             expected_version=1) == 2
    with pytest.raises(StaleWrite) as err:  # a second tab still at version 1
        store.save_answer(token, Answer("interpretability", "task_length", 3.0), expected_version=1)
    assert err.value.current == 2
    with pytest.raises(StaleWrite):  # a "first" answer when one exists
        store.save_answer(token, a, expected_version=0)
    [kept] = store.answers(made.id)
    assert (kept.answer.value, kept.version) == (7.0, 2)


def test_unknown_and_foreign_tokens_are_the_same_not_found(store):
    made = _make(store)
    other = _make(store, cells=(("alignment_theory", "task_length"),))
    a = Answer("interpretability", "task_length", 6.0)
    with pytest.raises(NotFound):
        store.save_answer("x" * 43, a, expected_version=0)
    with pytest.raises(NotFound):  # a rater of the other campaign: that cell is not theirs
        store.save_answer(other.raters[0].token, a, expected_version=0)
    with pytest.raises(NotFound):
        store.close_round(made.id, other.organiser_token)
    assert store.answers(made.id) == []


@pytest.mark.parametrize(("answer", "message"), [
    (Answer("a", "f", 11.0), "value: 11 is off the scale 1-10"),
    (Answer("a", "f", 5.0, 6.0, 8.0), "does not contain the value 5"),
    (Answer("a", "f", 5.0, 4.0, None), "only one end of the interval"),
    (Answer("a", "f", None), "value: missing"),
    (Answer("a", "f", 5.0, rationale="x" * 5001), "rationale: 5001 characters"),
    (Answer("a", "f", 5.0, not_my_area=True), "'not my area' with a value"),
])
def test_bad_answers_are_located(answer, message):
    with pytest.raises(InputError, match=re.escape(message)):
        check_answer(answer, (1.0, 10.0), where="a:f")
    check_answer(Answer("a", "f", not_my_area=True), (1.0, 10.0))  # no numbers is fine then


def test_rounds_keep_every_answer_and_export_the_latest(store):
    made = _make(store, raters=2)
    r1, r2 = (r.token for r in made.raters)
    store.save_answer(r1, Answer("interpretability", "task_length", 4.0, 2.0, 6.0), expected_version=0)
    store.save_answer(r2, Answer("interpretability", "task_length", not_my_area=True), expected_version=0)
    assert store.close_round(made.id, made.organiser_token) == 2
    store.save_answer(r1, Answer("interpretability", "task_length", 5.0, 3.0, 7.0, "revised"),
                      expected_version=0)
    answers = store.answers(made.id)
    assert [(a.rater, a.round, a.answer.value) for a in answers] == [("R01", 1, 4.0), ("R01", 2, 5.0),
                                                                     ("R02", 1, None)]
    [latest] = answers_to_ratings(answers)
    assert (latest.rater, latest.value, latest.low, latest.high, latest.credibility) == \
        (f"campaign-{made.id}/R01", 5.0, 3.0, 7.0, 0.9)
    assert latest.provenance["round"] == 2 and latest.provenance["kind"] == "human"
    assert "model" not in latest.provenance  # so the model counts the rater as human
    [first] = answers_to_ratings(answers, round=1)
    assert first.value == 4.0


def test_a_database_from_before_migrations_is_adopted(db_url):
    engine = create_engine(db_url)
    timestamp = "DATETIME" if db_url.startswith("sqlite") else "TIMESTAMP"
    with engine.begin() as con:
        con.execute(text("CREATE TABLE scenarios (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(200) "
                         "NOT NULL, description TEXT NOT NULL, base VARCHAR(100), model_json TEXT NOT NULL, "
                         f"created {timestamp} NOT NULL)"))
        con.execute(text("CREATE INDEX ix_scenarios_name ON scenarios (name)"))
        model_json = json.dumps(load_model("wehner-2026").spec.model_dump(mode="json"))
        con.execute(text("INSERT INTO scenarios VALUES (1, 'kept', '', NULL, :m, '2026-01-01 00:00:00')"),
                    {"m": model_json})
    engine.dispose()
    from autosafety.store import ScenarioStore

    s = ScenarioStore(db_url)
    assert [x.name for x in s.list()] == ["kept"]
    s.close()
    engine = create_engine(db_url)
    with engine.connect() as con:
        assert {"campaigns", "campaign_answers", "alembic_version"} <= set(inspect(con).get_table_names())
        assert con.execute(text("select version_num from alembic_version")).one() == ("0003",)
    engine.dispose()
