"""The built-in models' listing, and what load_model does with names and paths it cannot load."""

from pathlib import Path

import pytest

from autosafety import InputError, load_model
from autosafety.model import Dataset, _datasets, datasets, model_from_data

from .conftest import make_spec


def test_the_listing_joins_author_title_and_date_leaving_out_blanks():
    assert datasets() == [
        Dataset("wehner-2026", "7 factors x 10 research areas (5 safety, 5 capabilities) rated "
                "1-10 for amenability to a 10x AI speedup",
                "Jan Wehner, Will we get automated alignment research before an AI Takeoff?, "
                "2026-01"),
        Dataset("safety-fields-2026", "10 AI-safety fields rated 1-5 on feedback quality and "
                "economic incentive, with the author's stated ranking",
                "Which technical AI safety fields are going to be automated first?, 2026"),
    ]


def test_a_builtin_without_a_source_is_listed_with_an_empty_source(monkeypatch):
    unsourced = model_from_data(make_spec(description="no source given"))
    monkeypatch.setattr(_datasets, "BUILTINS", ("plain",))
    monkeypatch.setattr(_datasets, "_builtin", lambda name: unsourced)
    assert datasets() == [Dataset("plain", "no source given", "")]


@pytest.mark.parametrize("name", ["m.yaml", "m.yml", "m.json", "m.csv", "M.YAML", "m.Json"])
def test_a_missing_model_file_is_reported_as_a_missing_file(tmp_path, name):
    path = tmp_path / name
    for given in (path, str(path)):
        with pytest.raises(InputError) as info:
            load_model(given)
        (p,) = info.value.problems
        assert (p.location, p.message, p.fix) == (str(path), "no such file", "check the path")


@pytest.mark.parametrize("given", ["no-such-model", Path("notes.txt")])
def test_neither_a_builtin_name_nor_a_file_lists_the_builtins(given, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing of that name here
    with pytest.raises(InputError) as info:
        load_model(given)
    (p,) = info.value.problems
    assert (p.location, p.message, p.fix) == (
        str(given), "neither a built-in model nor a file",
        "use one of wehner-2026, safety-fields-2026 or a path to a .yaml/.json/.csv model")


def test_an_existing_file_of_an_unknown_kind_names_its_extension(tmp_path):
    path = tmp_path / "model.txt"
    path.write_text("id: x\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_model(path)
    (p,) = info.value.problems
    assert (p.location, p.message, p.fix) == (str(path), "unknown file extension '.txt'",
                                              "use .yaml, .yml, .json or .csv")
