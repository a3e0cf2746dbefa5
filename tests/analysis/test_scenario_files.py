"""Scenario files (YAML and JSON written to disk, parsed by PyYAML / json): what they load to, what
they write back, and every refusal located by file and field path, word for word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from autosafety._errors import InputError
from autosafety.analysis import Scenario, load_scenarios

WORLDS_YAML = """\
scenarios:
  - name: scheming
    probability: 0.3
    weights: {f1: 5, f0: 0.5}
    ratings: {"a0:f1": 2, "a2:f0": 7.5}
  - name: calm
    probability: 0.7
"""

NOT_A_LIST = ("expected a non-empty list of scenarios {name, probability, weights, ratings}",
              "see docs/analysis.md")


def read(path: Path):
    text = path.read_text()
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def problems(err: pytest.ExceptionInfo) -> list[tuple[str, str, str]]:
    return [(p.location, p.message, p.fix) for p in err.value.problems]


def test_a_yaml_file_of_two_scenarios(tmp_path):
    path = tmp_path / "worlds.yaml"
    path.write_text(WORLDS_YAML)
    got = load_scenarios(read(path), origin=str(path))
    assert [s.name for s in got] == ["scheming", "calm"]
    assert [s.probability for s in got] == [0.3, 0.7]
    assert got[0].weights == {"f1": 5.0, "f0": 0.5}
    assert got[0].ratings == {("a0", "f1"): 2.0, ("a2", "f0"): 7.5}
    assert got[1].weights == {} and got[1].ratings == {}
    assert got[0] == Scenario(name="scheming", probability=0.3, weights={"f1": 5, "f0": 0.5},
                              ratings={("a0", "f1"): 2, ("a2", "f0"): 7.5})


def test_a_bare_json_list_and_its_round_trip(tmp_path):
    path = tmp_path / "worlds.json"
    data = [{"name": "only", "probability": 1, "ratings": {"x:y": 3}}]
    path.write_text(json.dumps(data))
    (s,) = load_scenarios(read(path), origin=str(path))
    out = s.to_dict()
    assert out == {"name": "only", "probability": 1.0, "weights": {}, "ratings": {"x:y": 3.0}}
    assert json.loads(json.dumps(out)) == out  # plain JSON data
    assert load_scenarios([out]) == [s]


def test_to_dict_writes_cell_keys_as_area_colon_factor():
    s = Scenario(name="w", probability=0.25, weights={"f": 2}, ratings={("a", "f"): 4})
    assert s.to_dict() == {"name": "w", "probability": 0.25, "weights": {"f": 2.0}, "ratings": {"a:f": 4.0}}


@pytest.mark.parametrize("text", ["[]", "scenarios: []", "just text", "7",
                                  "scenarios: [{name: a, probability: 1}]\nextra: 1",
                                  "{name: a, probability: 1}"])
def test_not_a_list_of_scenarios(tmp_path, text):
    path = tmp_path / "worlds.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as e:
        load_scenarios(read(path), origin="worlds.yaml")
    assert e.value.title == "invalid scenarios"
    assert problems(e) == [("worlds.yaml", *NOT_A_LIST)]


def test_the_default_origin_is_scenarios():
    with pytest.raises(InputError) as e:
        load_scenarios({})
    assert problems(e) == [("scenarios", *NOT_A_LIST)]
    with pytest.raises(InputError) as e:
        load_scenarios([{"probability": 0.5}])
    assert problems(e) == [("scenarios: scenarios[0].name", "Field required", "add this field")]


def test_each_bad_field_is_located_in_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("""\
- name: a
  probability: 1.5
  weights: {f0: -1}
  ratings: {a0f1: 3}
- probability: 0.5
  colour: red
""")
    with pytest.raises(InputError) as e:
        load_scenarios(read(path), origin="bad.yaml")
    assert e.value.title == "invalid scenarios"
    assert problems(e) == [
        ("bad.yaml: scenarios[0].probability", "Input should be less than or equal to 1", ""),
        ("bad.yaml: scenarios[0].weights.f0", "Input should be greater than or equal to 0",
         "give a value >= 0"),
        ("bad.yaml: scenarios[0].ratings.a0f1",
         "'a0f1' is not AREA:FACTOR (e.g. interpretability:feedback_quality)", ""),
        ("bad.yaml: scenarios[1].name", "Field required", "add this field"),
        ("bad.yaml: scenarios[1].colour", "unknown field",
         "remove it or check its spelling (see `autosafety schema`)"),
    ]


def test_only_the_leading_origin_gains_the_scenarios_prefix():
    """A weight key that repeats the origin text is shown as written."""
    with pytest.raises(InputError) as e:
        load_scenarios([{"name": "a", "probability": 1, "weights": {"w.yaml: [x": -1}}], origin="w.yaml")
    assert [p[0] for p in problems(e)] == ["w.yaml: scenarios[0].weights.w.yaml: [x"]


def test_infinite_and_missing_numbers_are_refused():
    with pytest.raises(InputError) as e:
        load_scenarios([{"name": "a", "probability": float("nan")},
                        {"name": "", "probability": 0.5, "ratings": {"a:f": float("inf")}}], origin="o")
    locations = [p[0] for p in problems(e)]
    assert locations == ["o: scenarios[0].probability", "o: scenarios[1].name", "o: scenarios[1].ratings.a:f"]
