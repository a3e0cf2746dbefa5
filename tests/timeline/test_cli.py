"""`autosafety timeline`: output formats, the template and schema, and bad input (exit 2, located)."""

import json

import jsonschema
import pytest
import yaml

from autosafety.timeline import simulate


def test_json_contract_and_same_numbers_as_python(cli):
    r = cli("timeline", "wehner-2026", "--draws", "3000", "--seed", "4", "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["milestone"] == "10x speedup"
    assert set(data["areas"][0]) >= {"id", "name", "category", "p10", "p50", "p90", "p_never",
                                     "bottleneck"}
    assert len(data["pairs"]) == 10 * 9 and set(data["pairs"][0]) == {"a", "b", "p_a_first"}
    assert "p_all_safety_before_median_capabilities" in data["categories"]
    py = simulate("wehner-2026", draws=3000, seed=4).to_dict()
    assert data["areas"] == json.loads(json.dumps(py["areas"]))
    assert data["pairs"] == py["pairs"]
    # P(a first) + P(b first) + P(tie: neither within the run) = 1 for every pair
    first = {(p["a"], p["b"]): p["p_a_first"] for p in data["pairs"]}
    never = {a["id"]: a["p_never"] for a in data["areas"]}
    for (a, b), p in first.items():
        assert p + first[(b, a)] <= 1 + 1e-12
        assert p + first[(b, a)] >= 1 - min(never[a], never[b]) - 1e-12


def test_table_reads_at_80_columns(cli):
    r = cli("timeline", "wehner-2026", "--draws", "2000")
    assert r.code == 0, r.err
    assert ("P(every safety area reaches a 10x AI speedup before the median capabilities area)"
            in r.out.replace("\n", " "))
    assert "Agent Scaffolding" in r.out and "bottleneck" in r.out
    assert "assumptions" in r.out   # the dates rest on the bridge: said plainly


def test_table_has_no_line_over_80_columns(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("timeline", "wehner-2026", "--draws", "1000").out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "never: not a 10x AI speedup by 2060" in out.replace("\n", " ")


def test_csv_and_plot(cli, tmp_path):
    r = cli("timeline", "wehner-2026", "--draws", "1000", "-f", "csv", "--plot", str(tmp_path / "f.html"))
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith("id,name,category,p10,p50,p90,p_never")
    assert len(lines) == 11
    html = (tmp_path / "f.html").read_text()
    assert "Plotly.newPlot" in html and "<script src=" not in html   # plotly.js inlined: offline


def test_init_template_runs_and_validates_against_the_schema(cli, tmp_path):
    path = tmp_path / "mine.yaml"
    assert cli("timeline", "init", str(path)).code == 0
    schema = json.loads(cli("timeline", "schema").out)
    jsonschema.validate(yaml.safe_load(path.read_text()), schema)
    text = path.read_text()
    for task in ("literature", "ideation", "experiment_design", "implementation", "running_experiments",
                 "debugging", "analysis", "writing", "conceptual"):
        assert f"id: {task}" in text
    r = cli("timeline", str(path), "--draws", "500", "-f", "json")
    assert r.code == 0, r.err
    assert [a["id"] for a in json.loads(r.out)["areas"]] == ["interpretability", "agent_scaffolding"]
    assert cli("timeline", "init", str(path)).code == 2   # no silent overwrite


def test_trends_lists_sources(cli):
    r = cli("timeline", "trends")
    assert r.code == 0 and "arXiv 2503.14499" in r.out and "metr-2024-on" in r.out


BAD = """
schema_version: 1
id: bad
trend: metr-2099
categories: [safety, nonsense]
areas:
- id: a
  category: safety
  adoption_lag: {value: -1}
  tasks:
  - {id: x, share: 0.5, duration: {value: -2}}
  - {id: y, share: 0.2, duration: {value: 3, low: 5, high: 9}}
  - {id: z, share: 0.1, duration: {value: 1}, compute_fraction: {value: 1.5}}
"""


def test_bad_task_file_lists_every_problem(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    r = cli("timeline", str(path))
    assert r.code == 2 and "Traceback" not in r.err
    # pydantic catches the interval first; fix it to see the rest at once
    assert "tasks[1].duration" in r.err and "low <= value <= high" in r.err
    path.write_text(BAD.replace("low: 5, high: 9", "low: 2, high: 9"))
    r = cli("timeline", str(path))
    assert r.code == 2 and "Traceback" not in r.err
    for needle in ("areas[0] (a).tasks: task shares sum to 0.8, not 1", "tasks[0] (x).duration",
                   "tasks[2] (z).compute_fraction", "adoption_lag", "unknown trend preset 'metr-2099'",
                   "no area is in category 'nonsense'"):
        assert needle in r.err, needle


@pytest.mark.parametrize(("args", "needle"), [
    (["--reliability", "1.2"], "--reliability"),
    (["--doubling-time", "-3"], "--doubling-time"),
    (["--milestone", "0.5"], "--milestone"),
    (["--until", "2020"], "--until"),
    (["--set", "no_such=1"], "bridge parameter no_such"),
    (["--trend", "metr-1999"], "--trend metr-1999"),
    (["--plot-kind", "pie"], "--plot-kind"),
])
def test_bad_options_exit_2_with_the_option_named(cli, args, needle):
    r = cli("timeline", "wehner-2026", "--draws", "100", *args)
    assert r.code == 2, r.out
    assert needle in r.err and "Traceback" not in r.err


def test_every_bad_setting_at_once(cli):
    r = cli("timeline", "wehner-2026", "--reliability", "0", "--doubling-time", "0", "--milestone", "1")
    assert r.code == 2
    assert "--reliability" in r.err and "--doubling-time" in r.err and "--milestone" in r.err


def test_bad_trend_file(cli, tmp_path):
    path = tmp_path / "trend.yaml"
    path.write_text("id: t\nreference_date: {value: 2025}\nhorizons: {'1.5': {value: 60}}\n"
                    "doubling_time: {value: -5}\nslope: {value: 0.7}\n")
    r = cli("timeline", "wehner-2026", "--trend", str(path))
    assert r.code == 2 and str(path) in r.err and "Traceback" not in r.err
