"""Model files: round-trips, the schema, and every kind of bad input located and explained."""

import json

import jsonschema
import pytest
import yaml

from autosafety import InputError, load_model
from autosafety.model import (
    BUILTINS,
    MAX_BYTES,
    dump_model,
    json_schema,
    merge_ratings,
    model_from_data,
    parse_model_text,
    parse_ratings_csv,
    ratings_to_csv,
    with_source_weights,
)

from .conftest import make_spec


@pytest.mark.parametrize("name", BUILTINS)
@pytest.mark.parametrize("fmt", ["yaml", "json", "csv"])
def test_export_round_trips_losslessly(name, fmt, tmp_path):
    model = load_model(name)
    path = tmp_path / f"m.{fmt}"
    path.write_text(dump_model(model, fmt))
    again = load_model(path)
    assert again.spec == model.spec
    assert again.score().scores.tolist() == model.score().scores.tolist()


def test_builtin_files_satisfy_the_printed_json_schema():
    schema = json_schema()
    for name in BUILTINS:
        data = json.loads(dump_model(load_model(name), "json"))
        jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"factors": [{"id": "f", "weight": "heavy"}]}, schema)


def _problems(text, fmt="yaml"):
    with pytest.raises(InputError) as info:
        parse_model_text(text, fmt=fmt, origin="m." + fmt)
    return info.value.problems


def _data_problems(data):
    with pytest.raises(InputError) as info:
        model_from_data(data, origin="m.yaml")
    return info.value.problems


def test_malformed_yaml_names_line_and_column():
    (p,) = _problems("factors: [\n  - id: x\n")
    assert "malformed YAML" in p.message and "line" in p.location


def test_malformed_json_names_line_and_column():
    (p,) = _problems('{"factors": [}', fmt="json")
    assert "malformed JSON" in p.message and "line 1 column" in p.location


def test_unknown_ids_in_ratings_are_each_located():
    spec = make_spec()
    spec["ratings"][1].update(area="nope")
    spec["ratings"][2].update(factor="nofactor", rater="ghost")
    problems = _data_problems(spec)
    where = {p.location: p.message for p in problems}
    assert "unknown area 'nope'" in where["m.yaml: ratings[1].area"]
    assert "unknown factor 'nofactor'" in where["m.yaml: ratings[2].factor"]
    assert "unknown rater 'ghost'" in where["m.yaml: ratings[2].rater"]
    assert all(p.fix for p in problems)


def test_duplicate_ids_are_reported():
    spec = make_spec(areas=[{"id": "a1", "category": "safety"}, {"id": "a1", "category": "x"},
                            {"id": "a2", "category": "capabilities"}])
    assert any("duplicate area id 'a1'" in p.message and p.location.endswith("areas[1].id")
               for p in _data_problems(spec))


def test_value_outside_the_scale_is_reported_with_the_scale():
    spec = make_spec()
    spec["ratings"][0]["value"] = 11
    (p,) = _data_problems(spec)
    assert p.location == "m.yaml: ratings[0].value" and "1-10" in p.message


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "seven"])
def test_nan_inf_and_non_numeric_ratings_are_rejected(bad):
    spec = make_spec()
    spec["ratings"][3]["value"] = bad
    (p,) = _data_problems(spec)
    assert p.location == "m.yaml: ratings[3].value"


def test_nan_written_in_yaml_is_rejected():
    text = yaml.safe_dump(make_spec()).replace("value: 4", "value: .nan")
    assert any("NaN" in p.message for p in _problems(text))


def test_negative_weight_is_rejected():
    spec = make_spec(factors=[{"id": "f1", "weight": -1}, {"id": "f2", "weight": 3}])
    (p,) = _data_problems(spec)
    assert p.location == "m.yaml: factors[0].weight" and p.fix


def test_all_weights_zero_is_rejected():
    spec = make_spec(factors=[{"id": "f1", "weight": 0}, {"id": "f2", "weight": 0}])
    assert any("all factor weights are zero" in p.message for p in _data_problems(spec))


def test_empty_model_is_rejected():
    messages = {p.message for p in _data_problems({"id": "empty"})}
    assert {"the model has no factors", "the model has no areas"} <= messages


def test_low_above_high_is_rejected():
    spec = make_spec()
    spec["ratings"][0].update(low=5, high=3, credibility=0.8)
    assert any("low (5) is above high (3)" in p.message for p in _data_problems(spec))


def test_unknown_field_is_located_with_a_fix():
    spec = make_spec()
    spec["factors"][0]["wieght"] = 2
    (p,) = _data_problems(spec)
    assert p.location == "m.yaml: factors[0].wieght" and "spelling" in p.fix


def test_unrated_cell_is_reported():
    spec = make_spec()
    del spec["ratings"][0]
    assert any("'a1' has no rating on factor 'f1'" in p.message for p in _data_problems(spec))


def test_every_problem_is_listed_at_once():
    spec = make_spec(factors=[{"id": "f1", "weight": -1}, {"id": "f2", "weight": "x"}])
    assert len(_data_problems(spec)) == 2


def test_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(InputError, match="over the 20 MB limit"):
        load_model(path)


def test_unknown_model_name_lists_the_builtins():
    with pytest.raises(InputError, match="wehner-2026"):
        load_model("no-such-model")


def test_ratings_csv_round_trips_and_reports_rows():
    model = load_model("wehner-2026")
    text = ratings_to_csv(model.spec.ratings)
    assert parse_ratings_csv(text) == list(model.spec.ratings)
    bad = "area,factor,rater,value,low,high,credibility\n" \
          "interpretability,task_length,me,7,,,\n" \
          "interpretability,task_length,me,abc,,,\n" \
          "interpretability,task_length,me,5,6,4,1.5\n"
    with pytest.raises(InputError) as info:
        parse_ratings_csv(bad, origin="r.csv")
    locations = [p.location for p in info.value.problems]
    assert "r.csv: line 3 value" in locations and "r.csv: line 4 credibility" in locations


def test_ratings_csv_without_the_required_columns_is_refused():
    with pytest.raises(InputError, match="missing column"):
        parse_ratings_csv("area,factor\nx,y\n")


def test_csv_model_without_a_model_header_explains_the_fix():
    (p,) = _problems("area,factor,rater,value\n", fmt="csv")
    assert "--ratings" in p.fix


def test_merged_csv_ratings_pool_with_source_weights():
    model = load_model("wehner-2026")
    cells = [(r.area, r.factor) for r in model.spec.ratings]
    csv_text = "area,factor,rater,value,provenance\n" + "".join(
        f'{a},{f},bot,1,"{{""model"": ""mockllm/model""}}"\n' for a, f in cells)
    merged = merge_ratings(model, parse_ratings_csv(csv_text))
    assert merged.raters[-1].kind == "llm"
    weighted = with_source_weights(merged, {"published_pooled": 3, "llm": 1})
    expected = (3 * model.pooled() + 1 * 1.0) / 4
    assert weighted.pooled() == pytest.approx(expected)
    with pytest.raises(InputError, match="not a rater, group or rater kind"):
        with_source_weights(merged, {"martians": 1})
