"""`autosafety validate` lists schema and cross-reference problems together, in one pass, each at
its location, with "did you mean" for near misses (issue 13)."""

from __future__ import annotations

import json

BAD = """\
id: bad
categories: [safety, capabilities]
factors:
  - {id: feedback_quality, weight: -1}
  - {id: data_availability, weight: 2}
areas:
  - {id: interpretability, category: safety}
  - {id: agent_scaffolding, category: capabilties}
  - {id: pretraining, category: capabilities}
raters:
  - {id: me}
ratings:
  - {area: interpretability, factor: feedback_quality, rater: me, value: 42}
  - {area: interpretability, factor: data_availabilty, rater: me, value: 5}
  - {area: agent_scafolding, factor: feedback_quality, rater: me, value: 5}
  - {area: pretraining, factor: feedback_quality, rater: me, value: lots}
"""


def test_schema_and_cross_reference_problems_in_one_pass(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    run = cli("validate", str(path))
    assert run.code == 2 and "Traceback" not in run.err
    lines = run.err.splitlines()
    expected = [
        ("factors[0].weight", "greater than or equal to 0"),  # schema
        ("areas[1].category", "category 'capabilties' looks misspelt",
         "did you mean 'capabilities'?"),
        ("ratings[0].value", "42 is outside the scale 1-10 of factor 'feedback_quality'"),
        ("ratings[1].factor", "unknown factor 'data_availabilty'",
         "did you mean 'data_availability'?"),
        ("ratings[2].area", "unknown area 'agent_scafolding'", "did you mean 'agent_scaffolding'?"),
        ("ratings[3].value", "valid number"),  # schema
    ]
    found = []
    for where, *words in expected:
        line = next((ln for ln in lines if f"{path}: {where}: " in ln), None)
        assert line is not None, f"nothing at {where}:\n{run.err}"
        assert all(w in line for w in words), line
        found.append(lines.index(line))
    assert found == sorted(found)  # in the file's order


def test_a_refused_section_is_not_also_reported_empty_or_unknown(cli, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({
        "factors": 5, "areas": [{"id": "a", "category": "safety"}, 7],
        "raters": [{"id": "me", "group": "llm"}], "groups": [{"id": "llms"}],
        "ratings": [{"area": "a", "factor": "x", "rater": "me", "value": 5}, [1, 2]]}))
    run = cli("validate", str(path))
    assert run.code == 2 and "Traceback" not in run.err
    assert f"{path}: factors: Input should be a valid list" in run.err
    assert f"{path}: areas[1]: " in run.err and f"{path}: ratings[1]: " in run.err
    assert "the model has no factors" not in run.err and "unknown factor" not in run.err
    assert f"{path}: raters[0].group: unknown group 'llm' (fix: did you mean 'llms'?)" in run.err


def one_factor_model(tmp_path, categories_of: dict[str, str], **extra):
    """A model file: one factor, one rater rating every area 5, areas in the categories given."""
    path = tmp_path / "model.yaml"
    path.write_text(json.dumps({
        **extra, "factors": [{"id": "f"}], "raters": [{"id": "r"}],
        "ratings": [{"area": a, "factor": "f", "rater": "r", "value": 5} for a in categories_of],
        "areas": [{"id": a, "category": c} for a, c in categories_of.items()]}))
    return path


def test_a_misspelt_undeclared_category_is_the_rarer_spelling(cli, tmp_path):
    path = one_factor_model(tmp_path, {"a": "safety", "b": "capabilities", "c": "capabilities",
                                       "d": "capabilites"})
    run = cli("validate", str(path))
    assert run.code == 2
    assert (f"{path}: areas[3].category: category 'capabilites' looks misspelt (2 areas use "
            "'capabilities') (fix: did you mean 'capabilities'?") in run.err
    assert "areas[1]" not in run.err and "areas[2]" not in run.err


def test_distinct_categories_stay_valid(cli, tmp_path):
    path = one_factor_model(tmp_path, {"a": "safety", "b": "capabilities",
                                       "c": "governance"},  # undeclared, but no near miss
                            categories=["safety", "capabilities"])
    run = cli("validate", str(path))
    assert run.code == 0, run.err


def test_a_declared_category_left_empty_by_a_typo_is_reported_once_at_the_area(cli, tmp_path):
    path = one_factor_model(tmp_path, {"a": "safety", "b": "capabilties"},
                            categories=["safety", "capabilities"])
    run = cli("validate", str(path))
    assert run.code == 2 and "1 problem(s)" in run.err
    assert f"{path}: areas[1].category: category 'capabilties' looks misspelt" in run.err


def test_a_ratings_csv_against_its_model_in_one_pass(cli, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("area,factor,rater,value\n"
                    "agent_scafolding,feedback_quality,me,5\n"
                    "ai_control,feedback_quality,me,42\n"
                    "ai_control,scheming_risk,me,lots\n"
                    "ai_control,feedback_qualty,me,5\n"
                    "ai_control,feedback_quality,me,6\n"
                    "ai_control,feedback_quality,published_pooled,6\n")
    run = cli("validate", str(path), "--model", "wehner-2026")
    assert run.code == 2 and "Traceback" not in run.err
    expected = [
        "line 2 area: unknown area 'agent_scafolding' in wehner-2026 (fix: did you mean "
        "'agent_scaffolding'?)",
        "line 3 value: 42 is outside the scale 1-10 of factor 'feedback_quality'",
        "line 4 value: Input should be a valid number",
        "line 5 factor: unknown factor 'feedback_qualty' in wehner-2026 (fix: did you mean "
        "'feedback_quality'?)",
        "line 6: second rating of (ai_control, feedback_quality) by 'me' (first in line 3)",
        "line 7: second rating of (ai_control, feedback_quality) by 'published_pooled' "
        "(first in wehner-2026)"]
    lines = run.err.splitlines()[1:]
    assert len(lines) == len(expected)
    for line, text in zip(lines, expected):
        assert line.startswith(f"  - {path}: {text}"), line


def test_a_csv_model_header_and_rows_in_one_pass(cli, tmp_path):
    exported = cli("export", "wehner-2026", "--format", "csv").out.splitlines()
    meta = json.loads(exported[0].removeprefix("# autosafety-model:"))
    meta["factors"][0]["weight"] = -1
    rows = [r.split(",") for r in exported[1:]]
    rows[2][0] = "interpretabilty"  # line 4
    rows[4][3] = "42"  # line 6
    rows[5][3] = "lots"  # line 7
    path = tmp_path / "model.csv"
    path.write_text("\n".join(["# autosafety-model: " + json.dumps(meta),
                               *(",".join(r) for r in rows)]) + "\n")
    run = cli("validate", str(path))
    assert run.code == 2 and "Traceback" not in run.err
    lines = run.err.splitlines()
    assert lines[0] == f"error: {path} is not a valid model: 4 problem(s)"
    assert lines[1].startswith(f"  - {path}: line 1 factors[0].weight: Input should be greater")
    assert lines[2].startswith(f"  - {path}: line 4 area: unknown area 'interpretabilty' in "
                               "wehner-2026 (fix: did you mean 'interpretability'?)")
    assert lines[3].startswith(f"  - {path}: line 6 value: 42 is outside the scale 1-10")
    assert lines[4].startswith(f"  - {path}: line 7 value: Input should be a valid number")
