"""The model commands: score, show, validate, datasets, schema, init, export."""

import json
import subprocess
import sys

import pytest
import yaml

from autosafety import load_model


def test_score_json_has_the_contracted_fields(cli):
    run = cli("score", "wehner-2026", "--format", "json")
    assert run.code == 0
    data = json.loads(run.out)
    first = data["areas"][0]
    assert set(first) >= {"id", "name", "category", "score", "rank"}
    assert first["id"] == "agent_scaffolding" and first["rank"] == 1
    assert round(data["categories"]["safety"], 2) == 5.21
    assert round(data["categories"]["capabilities"], 2) == 6.45


def test_score_table_shows_ranking_and_averages(cli):
    run = cli("score", "wehner-2026")
    assert run.code == 0
    assert "Agent Scaffolding" in run.out and "7.35" in run.out
    assert "safety average" in run.out and "5.21" in run.out


def test_score_csv_is_ranked(cli):
    lines = cli("score", "wehner-2026", "--format", "csv").out.splitlines()
    assert lines[0] == "rank,id,name,category,score"
    assert lines[1].startswith("1,agent_scaffolding,")
    assert len(lines) == 11


def test_weight_and_rating_overrides_change_the_result(cli):
    base = json.loads(cli("score", "wehner-2026", "-f", "json").out)
    run = cli("score", "wehner-2026", "-f", "json", "--weight", "feedback_quality=0",
              "--rating", "alignment_theory:feedback_quality=10")
    changed = json.loads(run.out)
    assert changed["weights"]["feedback_quality"] == 0
    assert changed["categories"]["safety"] > base["categories"]["safety"]
    model = load_model("wehner-2026")
    expected = model.score(weights={"feedback_quality": 0.0}).category_scores["safety"]
    assert changed["categories"]["safety"] == pytest.approx(expected)


@pytest.mark.parametrize("args, needle", [
    (["--weight", "nofactor=1"], "unknown factor 'nofactor'"),
    (["--weight", "task_length=-2"], "finite number >= 0"),
    (["--weight", "task_length"], "expected KEY=VALUE"),
    (["--weight", "task_length=abc"], "'abc' is not a number"),
    (["--rating", "interpretability:task_length=11"], "outside the scale 1-10"),
    (["--rating", "nowhere:task_length=5"], "unknown area 'nowhere'"),
    (["--rating", "interpretability=5"], "--rating interpretability: 'interpretability' is not AREA:FACTOR"),
    (["--pooling", "mode"], "unknown method"),
])
def test_bad_overrides_exit_2_with_a_located_message(cli, args, needle):
    run = cli("score", "wehner-2026", *args)
    assert run.code == 2
    assert needle in run.err and "Traceback" not in run.err


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


BAD_FILES = {
    "malformed.yaml": ("factors: [\n  - id: x\n", "malformed YAML"),
    "malformed.json": ('{"factors": [}', "malformed JSON"),
    "negative.yaml": ("factors: [{id: f, weight: -1}]\nareas: [{id: a, category: s}]\n"
                      "raters: [{id: r}]\nratings: [{area: a, factor: f, rater: r, value: 3}]\n",
                      "factors[0].weight"),
    "empty.yaml": ("id: nothing\n", "the model has no factors"),
    "ratings.csv": ("area,factor,rater,value\na,f,r,1\n", "has ratings but no model"),
    "model.txt": ("", "unknown file extension"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_exit_2_listing_problems(cli, tmp_path, name):
    text, needle = BAD_FILES[name]
    path = _write(tmp_path, name, text)
    for command in ("score", "validate"):
        run = cli(command, path) if name != "ratings.csv" or command == "score" else None
        if run is None:
            continue
        assert run.code == 2, (command, run.err)
        assert needle in run.err and "Traceback" not in run.err


def test_validate_accepts_a_ratings_csv_checked_against_a_model(cli, tmp_path):
    good = _write(tmp_path, "r.csv", "area,factor,rater,value\ninterpretability,task_length,me,5\n")
    bad = _write(tmp_path, "s.csv", "area,factor,rater,value\nnowhere,task_length,me,5\n")
    assert cli("validate", good, "--model", "wehner-2026").code == 0
    run = cli("validate", bad, "--model", "wehner-2026")
    assert run.code == 2 and "unknown area 'nowhere'" in run.err


def test_score_merges_ratings_with_source_weights(cli, tmp_path):
    model = load_model("wehner-2026")
    rows = "".join(f"{r.area},{r.factor},critic,1\n" for r in model.spec.ratings)
    path = _write(tmp_path, "critic.csv", "area,factor,rater,value\n" + rows)
    run = cli("score", "wehner-2026", "--ratings", path, "--source-weight", "published_pooled=3",
              "--source-weight", "critic=1", "-f", "json")
    assert run.code == 0, run.err
    expected = model.score().scores * 0.75 + 0.25
    got = {a["id"]: a["score"] for a in json.loads(run.out)["areas"]}
    assert [got[a] for a in model.area_ids] == pytest.approx(expected.tolist())


def test_datasets_lists_both_builtins_with_sources(cli):
    run = cli("datasets", "--format", "json")
    data = {d["name"]: d for d in json.loads(run.out)}
    assert set(data) == {"wehner-2026", "safety-fields-2026"}
    assert "Wehner" in data["wehner-2026"]["source"]
    assert all(d["description"] for d in data.values())


def test_schema_is_a_json_schema_for_model_files(cli):
    schema = json.loads(cli("schema").out)
    assert schema["title"] == "autosafety model"
    assert "factors" in schema["properties"]


def test_init_writes_a_template_that_validates_and_scores(cli, tmp_path):
    path = str(tmp_path / "mine.yaml")
    assert cli("init", path).code == 0
    assert "#" in (tmp_path / "mine.yaml").read_text()
    assert cli("validate", path).code == 0
    assert cli("score", path).code == 0
    again = cli("init", path)
    assert again.code == 2 and "file exists" in again.err


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv"])
def test_export_then_score_gives_the_same_numbers(cli, tmp_path, fmt):
    out = str(tmp_path / f"w.{fmt}")
    assert cli("export", "wehner-2026", "--format", fmt, "--out", out).code == 0
    a = json.loads(cli("score", "wehner-2026", "-f", "json").out)
    b = json.loads(cli("score", out, "-f", "json").out)
    assert a["areas"] == b["areas"] and a["categories"] == b["categories"]


def test_show_prints_factors_definitions_and_the_stated_ranking(cli):
    run = cli("show", "safety-fields-2026")
    assert run.code == 0
    assert "Feedback quality" in run.out and "stated ranking" in run.out


def test_console_script_help_imports_no_heavy_modules():
    code = ("import sys; from autosafety.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('numpy', 'pandas', 'scipy', 'inspect_ai', 'fastapi', 'pydantic')"
            " if m in sys.modules]\nprint('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_yaml_export_is_plain_yaml(cli):
    data = yaml.safe_load(cli("export", "safety-fields-2026").out)
    assert data["id"] == "safety-fields-2026" and len(data["ratings"]) == 20
