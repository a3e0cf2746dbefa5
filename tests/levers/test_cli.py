"""`autosafety levers` end to end: output formats, 80 columns, bad input exits 2 with locations."""

import json

import pytest


def test_json_ranks_every_lever(cli):
    r = cli("levers", "wehner-2026", "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    rows = data["factor_model"]["levers"]
    assert rows[0]["id"] == "feedback_quality" and len(rows) == 11
    assert data["factor_model"]["gap"] == pytest.approx(1.2397, abs=1e-4)
    assert data["smallest_rating_change"]["l1"]["size"] == pytest.approx(1.2397 * 5 * 8.6 / 2.5, abs=1e-3)


def test_table_fits_80_columns(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("levers", "wehner-2026")
    assert r.code == 0, r.err
    assert max(len(line) for line in r.out.splitlines()) <= 80
    assert "Improve feedback quality" in r.out and "(timeline only)" in r.out


def test_csv_with_timeline(cli):
    r = cli("levers", "wehner-2026", "--timeline", "--draws", "2000", "--format", "csv")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith("id,name,group,safety,capabilities,net,gap_after,timeline_only,"
                               "safety_months")
    assert len(lines) == 12


def test_budget_and_costs(cli, tmp_path):
    costs = tmp_path / "costs.yaml"
    costs.write_text("currency: $M\ncosts: {feedback_quality: 2, documentation: 0.5}\n")
    r = cli("levers", "wehner-2026", "--budget", "4", "--cost", str(costs), "--format", "json")
    assert r.code == 0, r.err
    p = json.loads(r.out)["portfolio"]
    assert p["units"] == {"feedback_quality": 2.0}
    assert p["closes"] == pytest.approx(2 * 2.5 / 8.6, abs=1e-12)


@pytest.mark.parametrize(("args", "text"), [
    (["--budget", "-3", "--cost", "COSTS"], "--budget: -3 is not a budget >= 0"),
    (["--budget", "3"], "a budget needs a cost file"),
    (["--cost", "BADCOSTS"], "costs.feedback_quality: a cost cannot be negative"),
    (["--levers", "LEVERS"], "levers[0] (x).changes[0].rating: the model wehner-2026 has no factor 'vibes'"),
    (["--levers", "OFFSCALE"], "would go from 9 to 11"),
])
def test_bad_input_exits_2_with_the_location(cli, tmp_path, args, text):
    files = {"COSTS": "costs: {feedback_quality: 1}\n", "BADCOSTS": "costs: {feedback_quality: -1}\n",
             "LEVERS": "levers: [{id: x, changes: [{rating: vibes, category: safety, by: 1}]}]\n",
             "OFFSCALE": "levers: [{id: x, changes: [{rating: scheming_risk, category: capabilities, "
                         "by: 2}]}]\n"}
    argv = []
    for a in args:
        if a in files:
            p = tmp_path / f"{a.lower()}.yaml"
            p.write_text(files[a])
            a = str(p)
        argv.append(a)
    r = cli("levers", "wehner-2026", *argv)
    assert r.code == 2
    assert text in r.err and "Traceback" not in r.err


def test_schema_is_json_schema(cli):
    r = cli("levers-schema")
    assert r.code == 0
    schema = json.loads(r.out)
    assert schema["title"] == "autosafety levers" and "levers" in schema["properties"]
