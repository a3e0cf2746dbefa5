"""The analysis commands end to end, including bad input (exit status 2, no traceback)."""

import json

import pytest
import yaml

from autosafety.analysis import check_claim
from autosafety.model import load_model


def test_mc_json_and_csv(cli):
    r = cli("mc", "wehner-2026", "--draws", "2000", "--seed", "3", "--concentration", "20",
            "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["seed"] == 3 and data["draws"] == 2000 and len(data["areas"]) == 10
    assert data["categories"][0]["gap"] == "capabilities - safety"
    r2 = cli("mc", "wehner-2026", "--draws", "2000", "--seed", "3", "--concentration", "20",
             "--format", "json")
    assert json.loads(r2.out)["areas"] == data["areas"]
    csv = cli("mc", "wehner-2026", "--draws", "1000", "--format", "csv")
    assert csv.code == 0 and csv.out.splitlines()[0].startswith("area,")


def test_mc_table_precision_and_plot(cli, tmp_path):
    out = tmp_path / "ranks.html"
    r = cli("mc", "wehner-2026", "--draws", "100000", "--precision", "0.02", "--plot", str(out),
            "--plot-kind", "ranks")
    assert r.code == 0, r.err
    assert "precision 0.02 reached" in r.out and out.exists()


def test_mc_scenarios_file(cli, tmp_path):
    f = tmp_path / "worlds.yaml"
    f.write_text(yaml.safe_dump([
        {"name": "scheming", "probability": 0.5, "weights": {"scheming_risk": 0.8}},
        {"name": "no-scheming", "probability": 0.5, "weights": {"scheming_risk": 0}}]))
    r = cli("mc", "wehner-2026", "--draws", "2000", "--scenarios", str(f), "--format", "json")
    assert r.code == 0, r.err
    assert set(json.loads(r.out)["scenarios"]) == {"scheming", "no-scheming"}


def test_sensitivity_implied_and_check(cli, tmp_path):
    r = cli("sensitivity", "wehner-2026", "--sobol", "64", "--format", "json", "--plot",
            str(tmp_path / "t.svg"))
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert {"flips", "tornado", "leave_one_out", "smallest_change", "sobol"} <= set(data)
    r = cli("implied-weights", "safety-fields-2026", "--format", "json", "--plot",
            str(tmp_path / "w.png"))
    assert r.code == 0 and json.loads(r.out)["feasible"] is False
    assert (tmp_path / "w.png").read_bytes()[:4] == b"\x89PNG"
    r = cli("check", "wehner-2026", "capabilities > safety", "ai_control in top 5", "--draws",
            "2000", "--drop", "scheming_risk", "--format", "json")
    assert r.code == 0, r.err
    claims = json.loads(r.out)
    # the command and the Python function share their defaults (concentration 20, noise 0.1)
    m = load_model("wehner-2026").with_weights({"scheming_risk": 0.0})
    for got, text in zip(claims, ("capabilities > safety", "ai_control in top 5")):
        want = check_claim(m, text, draws=2000).to_dict()
        assert (got["holds"], got["probability"], got["se"]) == (want["holds"], want["probability"],
                                                                 want["se"])
    assert claims[0]["holds"] is True and claims[0]["value"] == pytest.approx(
        m.score().gaps["capabilities - safety"])
    r = cli("check", "wehner-2026", "capabilities > safety", "--draws", "500")
    assert r.code == 0 and "would have to" in r.out


def test_add_factor(cli):
    areas = ["interpretability", "alignment_theory", "scalable_oversight", "ai_control",
             "dangerous_capability_evals", "pretraining_algorithms", "post_training",
             "data_generation", "agent_scaffolding", "training_efficiency"]
    args = [x for a in areas for x in ("--add-rating", f"{a}=6")]
    r = cli("sensitivity", "wehner-2026", "--add-factor", "quantity=1", *args, "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["add_factor"]["variant"] == "with quantity"


def _bad_model(tmp_path):
    text = """
id: bad
factors: [{id: f, weight: 1}]
areas: [{id: a, category: x}, {id: b, category: y}]
raters: [{id: me}]
ratings:
  - {area: a, factor: f, rater: me, value: 5, low: 0, high: 12, credibility: 0.8}
  - {area: b, factor: f, rater: me, value: 5}
"""
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    return str(p)


@pytest.mark.parametrize("args, needle", [
    (["mc", "wehner-2026", "--draws", "0"], "draws"),
    (["mc", "wehner-2026", "--draws", "100000001"], "draws"),
    (["mc", "wehner-2026", "--weight", "nope=1"], "nope"),
    (["mc", "wehner-2026", "--rating", "mars:task_length=3"], "mars"),
    (["mc", "wehner-2026", "--weight-range", "scheming_risk=3"], "LOW..HIGH"),
    (["mc", "wehner-2026", "--plot", "x.pdf"], "plot format"),
    (["check", "wehner-2026", "mars > safety"], "mars"),
    (["implied-weights", "safety-fields-2026", "--order", "evals,mars"], "mars"),
    (["sensitivity", "wehner-2026", "--sobol", "100"], "power of 2"),
    (["sensitivity", "wehner-2026", "--drop", "nope"], "nope"),
])
def test_bad_input_exits_2(cli, args, needle):
    r = cli(*args)
    assert r.code == 2, (r.out, r.err)
    assert needle in r.err and "Traceback" not in r.err


def test_bad_files_exit_2(cli, tmp_path):
    r = cli("mc", _bad_model(tmp_path))
    assert r.code == 2 and "outside the scale" in r.err
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump([{"name": "a", "probability": 0.5}, {"name": "b", "probability": 0.2}]))
    r = cli("mc", "wehner-2026", "--scenarios", str(f))
    assert r.code == 2 and "sum to" in r.err
    f.write_text(yaml.safe_dump([{"name": "a", "probability": 1, "weights": {"zzz": 1}}]))
    r = cli("mc", "wehner-2026", "--scenarios", str(f))
    assert r.code == 2 and "zzz" in r.err and "scenario 'a'" in r.err


@pytest.mark.parametrize("scenario, location, needle", [
    ({"name": "a", "probability": 1, "weights": {"scheming_risk": "lots"}},
     "scenarios[0].weights.scheming_risk", "valid number"),
    ({"name": "a", "probability": "likely"}, "scenarios[0].probability", "valid number"),
    ({"name": "a", "probability": 1, "weights": {"scheming_risk": -1}},
     "scenarios[0].weights.scheming_risk", ">= 0"),
    ({"name": "a", "probability": 1, "ratings": {"ai_control": 3}},
     "scenarios[0].ratings.ai_control", "'ai_control' is not AREA:FACTOR"),
    ({"name": "a", "probability": 1, "ratings": {"ai_control:task_length": "high"}},
     "scenarios[0].ratings.ai_control:task_length", "valid number"),
    ({"probability": 1}, "scenarios[0].name", "Field required"),
    ({"name": "a", "probability": 1, "colour": "red"}, "scenarios[0].colour", "unknown field"),
])
def test_a_bad_scenario_file_exits_2_naming_the_field(cli, tmp_path, scenario, location, needle):
    f = tmp_path / "worlds.yaml"
    f.write_text(yaml.safe_dump([scenario]))
    r = cli("mc", "wehner-2026", "--draws", "10", "--scenarios", str(f))
    assert r.code == 2, (r.out, r.err)
    assert f"{f}: {location}: " in r.err and needle in r.err and "Traceback" not in r.err


def test_a_scenario_file_may_wrap_the_list_and_reads_area_factor_keys(cli, tmp_path):
    f = tmp_path / "worlds.json"
    f.write_text(json.dumps({"scenarios": [
        {"name": "low", "probability": 1, "ratings": {"agent_scaffolding:feedback_quality": 1}}]}))
    r = cli("mc", "wehner-2026", "--draws", "10", "--scenarios", str(f), "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["settings"]["scenarios"] == [
        {"name": "low", "probability": 1.0, "weights": {},
         "ratings": {"agent_scaffolding:feedback_quality": 1.0}}]
