"""The scenario store: save, list, load, delete, persistence and bad input; on SQLite and on a real
PostgreSQL server (the `db_url` fixture, tests/_postgres.py)."""

import pytest

from autosafety._errors import InputError
from autosafety.model import load_model
from autosafety.store import ScenarioStore


@pytest.fixture
def db(db_url):
    store = ScenarioStore(db_url)
    yield store
    store.close()


def test_saved_model_loads_back_identical(db):
    model = load_model("wehner-2026").with_weights({"feedback_quality": 7.0})
    saved = db.save("more feedback", model, base="wehner-2026", description="why not")
    back = db.get(saved.id)
    assert back.model.spec == model.spec
    assert back.summary.name == "more feedback"
    assert back.summary.base == "wehner-2026"
    assert list(back.model.score().scores) == list(model.score().scores)


def test_list_is_newest_first_and_delete_removes(db):
    model = load_model("safety-fields-2026")
    first = db.save("first", model)
    second = db.save("second", model)
    assert [s.id for s in db.list()] == [second.id, first.id]
    assert db.delete(first.id) is True
    assert db.delete(first.id) is False
    assert [s.name for s in db.list()] == ["second"]
    with pytest.raises(KeyError):
        db.get(first.id)


def test_scenarios_persist_across_connections(db_url):
    url = db_url
    one = ScenarioStore(url)
    saved = one.save("kept", load_model("wehner-2026"))
    one.close()
    two = ScenarioStore(url)
    assert two.get(saved.id).summary.name == "kept"
    two.close()


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_bad_names_are_refused(db, name):
    with pytest.raises(InputError) as err:
        db.save(name, load_model("wehner-2026"))
    assert err.value.problems[0].location == "name"


@pytest.mark.parametrize("url", ["not a url", "nosuchdialect://x/y", "sqlite:////no/such/dir/x.db",
                                 "postgresql+psycopg://nobody@127.0.0.1:1/none"])
def test_bad_database_urls_are_input_errors(url):
    with pytest.raises(InputError) as err:
        ScenarioStore(url)
    assert err.value.problems[0].location == "--db"
