"""Bad scheme files and broken safety cases: every problem located, exit status 2, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from .conftest import example_data


def base():
    return example_data("ai-explores-oversight")


def with_(change):
    data = base()
    change(data)
    return data


def exp(data, i=0):
    return data["evaluation"]["experiments"][i]


CASES = {
    "unknown experiment type": (
        lambda d: exp(d).update(type="sandwich"),
        ["evaluation.experiments[0].type", "unknown experiment type 'sandwich'",
         "did you mean 'sandwiching'"]),
    "missing name": (lambda d: d.pop("name"), ["name", "Field required"]),
    "missing written_by": (lambda d: d["algorithm"].pop("written_by"),
                           ["algorithm.written_by", "Field required"]),
    "missing oversight": (lambda d: d.pop("oversight"), ["oversight", "Field required"]),
    "missing controller for an AI-written algorithm": (
        lambda d: (d.pop("controller"),
                   [e.update(designed_by="humans") for e in d["evaluation"]["experiments"]]),
        ["controller", "needs the controller agent"]),
    "missing attacker model": (
        lambda d: d["evaluation"]["experiments"].append(
            {"id": "probe", "type": "adversarial_probing", "models": {"defender": "m"}}),
        ["evaluation.experiments[2].models.attacker", "needs an attacker model"]),
    "bad enum value": (lambda d: d["algorithm"].update(written_by="robots"),
                       ["algorithm.written_by", "'humans' or 'ai'"]),
    "misspelt field": (lambda d: d["controller"].update(mdoel="x"), ["controller.mdoel", "unknown field"]),
    "humans check but nobody named": (
        lambda d: d["oversight"].update(checkers=[]),
        ["oversight.checkers", "nobody is named to check"]),
    "checkers named but nothing checked": (
        lambda d: d["oversight"].update(humans_check="nothing"),
        ["oversight.checkers", "checkers are named but oversight.humans_check = nothing"]),
    "limited pressure without limits": (
        lambda d: d["optimisation_pressure"].update(limits=[]),
        ["optimisation_pressure.limits", "no limit is stated"]),
    "limits without limited pressure": (
        lambda d: d["optimisation_pressure"].update(limited=False),
        ["optimisation_pressure.limited", "limits are listed"]),
    "human-written algorithm explored by AI": (
        lambda d: (d["algorithm"].update(written_by="humans", ai_fills_in=["x"]),
                   d["controller"]["may"].append("write_algorithms")),
        ["algorithm.ai_explores", "contradicts algorithm.written_by = humans", "controller.may"]),
    "human-written algorithm with no AI details": (
        lambda d: (d["algorithm"].update(written_by="humans"), d["algorithm"].pop("ai_explores")),
        ["algorithm.ai_fills_in", "not automated safety"]),
    "AI-designed experiment the controller may not design": (
        lambda d: exp(d).update(designed_by="ai"),
        ["evaluation.experiments[0].designed_by", "does not list design_experiments"]),
    "human ratings without raters": (
        lambda d: d["research_environment"].pop("human_raters"),
        ["controller.may", "names no human raters"]),
    "duplicate experiment ids": (lambda d: exp(d, 1).update(id="sandwich"),
                                 ["evaluation.experiments[1].id", "duplicate experiment id 'sandwich'"]),
    "evidence for an unknown claim": (
        lambda d: d.update(evidence=[{"supports": "emergance", "text": "t"}]),
        ["evidence[0].supports", "unknown claim 'emergance'", "did you mean 'emergence'"]),
    "evidence for a worry the scheme does not trigger": (
        lambda d: d.update(evidence=[{"supports": "deference", "text": "t"}]),
        ["evidence[0].supports", "worry 'deference' is not triggered"]),
    "experiments missing while humans check results": (
        lambda d: (d["evaluation"].update(experiments=[])),
        ["evaluation.experiments", "has no experiments"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_scheme_is_located_and_exits_2(cli, write_yaml, name):
    change, needles = CASES[name]
    path = write_yaml(with_(change))
    for command in (["assess", path], ["case", path, "--format", "md"]):
        run = cli("scheme", *command)
        assert run.code == 2, run.out
        assert "Traceback" not in run.err and run.out == ""
        assert f"{path} is not a valid scheme" in run.err
        assert f"{path}: {needles[0]}: " in run.err, run.err
        for needle in needles[1:]:
            assert needle in run.err, (needle, run.err)


def test_every_problem_is_listed_at_once(cli, write_yaml):
    data = with_(lambda d: (exp(d).update(type="nope"), d["oversight"].update(checkers=[]),
                            d["optimisation_pressure"].update(limits=[])))
    run = cli("scheme", "assess", write_yaml(data))
    assert run.code == 2
    assert "3 problem(s)" in run.err


@pytest.mark.parametrize("text, needle", [
    ("name: [unclosed\n", "line 2 column 1"),
    ("- just\n- a list\n", "expected a mapping at the top level, got list"),
    ("", "expected a mapping at the top level, got NoneType"),
])
def test_malformed_files(cli, write_yaml, text, needle):
    run = cli("scheme", "assess", write_yaml(text))
    assert run.code == 2 and needle in run.err and "Traceback" not in run.err


def test_malformed_json_file(cli, write_yaml):
    run = cli("scheme", "assess", write_yaml('{"name": ', "scheme.json"))
    assert run.code == 2 and "malformed JSON" in run.err and "line 1" in run.err


@pytest.mark.parametrize("args, needle", [
    (["assess", "no-such-example"], "neither a built-in example nor a file"),
    (["assess", "missing.yaml"], "no such file"),
    (["assess", "deference", "--format", "xml"], "unknown format 'xml'"),
    (["case", "deference", "--format", "pdf"], "unknown format 'pdf'"),
    (["validate", "missing.gsn.yaml"], "no such file"),
])
def test_bad_arguments(cli, args, needle):
    run = cli("scheme", *args)
    assert run.code == 2 and needle in run.err and "Traceback" not in run.err


BROKEN_CASES = {  # gsn2x's verdicts (see test_gsn2x_verdicts.py for where each comes from)
    "root is a strategy": ("S1: {text: a, supportedBy: [Sn1]}\nSn1: {text: b}\n",
                           ["(argument): error C02: The root element should be a goal, but S1 was found."]),
    "dangling reference": ("G1: {text: a, supportedBy: [G7]}\n",
                           ['error C03: Element G1 has unresolved "supported by" element: G7']),
    "cycle": ("G1: {text: a, supportedBy: [G2]}\nG2: {text: b, supportedBy: [G3]}\n"
              "G3: {text: c, supportedBy: [G2, Sn1]}\nSn1: {text: d}\n",
              ["error C04: Cycle detected at element G3. Cycle is G2 -> G3 -> G2."]),
    "wrong link type": ("G1: {text: a, supportedBy: [J1]}\nJ1: {text: j}\n",
                        ["error V04: Element G1 has invalid type of reference J1 in supported by element."]),
    "not a mapping": ("- G1\n", ["expected a mapping of element ids"]),
    "no elements": ("module: {name: M}\n", ["(argument): error No input elements are found."]),
}


@pytest.mark.parametrize("name", list(BROKEN_CASES))
def test_broken_safety_case_exits_2_with_gsn2xs_words(cli, write_yaml, name):
    text, needles = BROKEN_CASES[name]
    path = write_yaml(text, "case.gsn.yaml")
    run = cli("scheme", "validate", path)
    assert run.code == 2 and run.out == "" and "Traceback" not in run.err
    for needle in needles:
        assert needle in run.err, (needle, run.err)


@pytest.mark.parametrize("text, needle", [
    ("G1: {text: a, undeveloped: true}\nG2: {text: b, undeveloped: true}\n",
     "Warning: C01: There is more than one unreferenced element: G1, G2."),
    ("G1: {text: a, supportedBy: [G2]}\nG2: {text: b}\n", "V02: Element G2 is undeveloped."),
    ("G1: {undeveloped: true}\n", ""),
])
def test_warnings_exit_0_as_in_gsn2x(cli, write_yaml, text, needle):
    run = cli("scheme", "validate", write_yaml(text, "case.gsn.yaml"))
    assert run.code == 0 and needle in run.err and run.out.startswith("ok: ")


def test_edited_generated_case_is_rejected(cli, tmp_path):
    out = tmp_path / "case.gsn.yaml"
    assert cli("scheme", "case", "ai-explores-oversight", "--out", str(out)).code == 0
    data = yaml.safe_load(out.read_text())
    data["S1"]["inContextOf"] = ["G2"]
    out.write_text(yaml.safe_dump(data, sort_keys=False))
    run = cli("scheme", "validate", str(out))
    assert run.code == 2 and "V04: Element S1 has invalid type of reference G2 in context." in run.err


def test_a_used_file_that_does_not_exist_is_located(cli, write_yaml):
    path = write_yaml("module: {name: M, uses: [gone.gsn.yaml]}\nG1: {undeveloped: true}\n", "main.gsn.yaml")
    run = cli("scheme", "validate", path)
    assert run.code == 2 and f"{path}: module.uses: uses" in run.err and "gone.gsn.yaml" in run.err


def test_bad_input_in_a_real_process_has_no_traceback(write_yaml):
    path = write_yaml(with_(lambda d: exp(d).update(type="vibes")))
    run = subprocess.run([sys.executable, "-c", "from autosafety.cli import main; main()",
                          "scheme", "assess", path], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "unknown experiment type 'vibes'" in run.stderr and "Traceback" not in run.stderr


def test_deeply_nested_input_is_refused_without_a_crash(cli, write_yaml):
    run = cli("scheme", "assess", write_yaml("[" * 50_000))
    assert run.code == 2 and "nested too deeply to read" in run.err and "Traceback" not in run.err
    data = base()
    nested: list = []
    for _ in range(40):  # under the loader's 64 levels: the scheme's own 32-level check answers
        nested = [nested]
    exp(data)["parameters"] = {"p": nested}
    path = write_yaml(data)
    run = cli("scheme", "assess", path)
    assert run.code == 2 and f"{path}: evaluation.experiments[0].parameters: nested more than 32" in run.err
