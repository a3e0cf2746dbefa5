"""gsn2x's verdicts, case by case: our fixtures, gsn2x's expected diagnostics and exit status.

Where each expectation comes from (gsn2x 4.3.2, jonasthewolf/gsn2x at 9e57736). gsn2x could not
be built on this machine (crates.io is unreachable; Debian's Rust crates are too old for it), so
nothing here was recorded by running gsn2x. Instead:

- "rs:<file>::<test>" - the message, severity and count that gsn2x's own Rust test asserts
  (src/gsn/validation.rs, src/gsn/check.rs unit tests; tests/cli.rs and tests/regressions.rs
  assert exit status, the error/warning counts and the stderr text). The unit tests call one
  check function on hand-built elements; our fixture is the same argument as a YAML file, and
  where the file needs more (a type, `undeveloped`) to reach that check the comment says so.
- "src:<file>" - read from gsn2x's source where no gsn2x test covers the case (marked so).

The fixtures are our own YAML, written from what those tests and files show.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autosafety.schemes import validate_files

E, W = "error", "warning"


def run(tmp_path: Path, files: dict[str, str], *, args: tuple[str, ...] = (), **opts):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    paths = [str(tmp_path / n) for n in (args or (next(iter(files)),))]
    return validate_files(paths, **opts)


def lines(result, tmp_path: Path) -> list[tuple[str, str | None, str]]:
    """(severity, module, "RULE: message") with the temporary folder taken out of paths."""
    return [(v.severity, v.module, (f"{v.rule}: " if v.rule else "") + v.message.replace(f"{tmp_path}/", ""))
            for v in result.violations]


M = "case_gsn_yaml"  # gsn2x's module name for a file without `module` (its path, escaped)

# (name, {file: text}, expected [(severity, module or None, message)]); one file each, named
# case.gsn.yaml and given by its relative name so the module is named as gsn2x names it.
SINGLE = [
    # rs:validation.rs::unknown_id
    ("unknown type", "X1: {text: x}\n",
     [(E, M, "V01: Element X1 is of unknown type. Please see documentation for supported types")]),
    # rs:validation.rs::solution_with_supported
    ("solution with support", "Sn1: {supportedBy: [G2]}\nG2: {undeveloped: true}\n",
     [(E, M, "V04: Element Sn1 has invalid type of reference G2 in supported by element.")]),
    # rs:validation.rs::self_ref_context
    ("context of itself", "C1: {inContextOf: [C1]}\n",
     [(E, M, "V06: Element C1 references itself in context."),
      (E, M, "V04: Element C1 has invalid type of reference C1 in context.")]),
    # rs:validation.rs::self_ref_support
    ("supports itself", "G1: {supportedBy: [G1]}\n",
     [(E, M, "V06: Element G1 references itself in supported by element.")]),
    # rs:validation.rs::self_ref_wrong_context
    ("context supported by itself", "C1: {supportedBy: [C1]}\n",
     [(E, M, "V06: Element C1 references itself in supported by element."),
      (E, M, "V04: Element C1 has invalid type of reference C1 in supported by element.")]),
    # rs:validation.rs::self_ref_wrong_support
    ("goal in its own context", "G1: {inContextOf: [G1], undeveloped: true}\n",
     [(E, M, "V06: Element G1 references itself in context."),
      (E, M, "V04: Element G1 has invalid type of reference G1 in context.")]),
    # rs:validation.rs::duplicate_ref_context (a warning: the checks go on, exit 0)
    ("duplicate context", "G1: {inContextOf: [C1, C1], supportedBy: [Sn1]}\nSn1: {}\nC1: {}\n",
     [(W, M, "V05: Element G1 has duplicate entry C1 in context.")]),
    # rs:validation.rs::duplicate_ref_support
    ("duplicate support", "G1: {supportedBy: [G2, G2]}\nG2: {undeveloped: true}\n",
     [(W, M, "V05: Element G1 has duplicate entry G2 in supported by element.")]),
    # rs:validation.rs::wrong_ref_context
    ("goals as context", "G1: {inContextOf: [G2, S1, Sn1], undeveloped: true}\nG2: {undeveloped: true}\n"
     "S1: {undeveloped: true}\nSn1: {}\n",
     [(E, M, f"V04: Element G1 has invalid type of reference {r} in context.") for r in ("G2", "S1", "Sn1")]),
    # rs:validation.rs::wrong_ref_support (gsn2x sorts the list when it reads a file: A1, C1, J1)
    ("contexts as support", "G1: {supportedBy: [C1, J1, A1]}\nC1: {}\nJ1: {}\nA1: {}\n",
     [(E, M, f"V04: Element G1 has invalid type of reference {r} in supported by element.")
      for r in ("A1", "C1", "J1")]),
    # rs:validation.rs::wrong_challenging
    ("a context challenges", "G1: {inContextOf: [C1], undeveloped: true}\nC1: {challenges: Sn1}\n",
     [(E, M, "V12: C1 is not a CounterGoal nor CounterSolution but challenges another element or "
             "relation.")]),
    # rs:validation.rs::defeated_unchallenged
    ("defeated, unchallenged", "G1: {undeveloped: true, defeated: true}\n",
     [(E, M, "V10: Element G1 is marked as defeated, but no other element challenges it.")]),
    # rs:validation.rs::defeated_unrelated
    ("defeated relation that is not one", "G1: {undeveloped: true, defeatedRelation: G2}\nG2: "
                                          "{undeveloped: true}\n",
     [(E, M, "V13: Relation from G1 to G2 is marked as defeated, but G1 has no relation to G2.")]),
    # rs:validation.rs::wrong_undeveloped
    ("undeveloped with support", "G1: {supportedBy: [Sn2], undeveloped: true}\nSn2: {}\n",
     [(E, M, "V03: Undeveloped element G1 has supporting arguments.")]),
    # rs:validation.rs::invalid_acp_ref
    ("assurance claim point elsewhere", "G1: {supportedBy: [G2], acp: {ACP1: G3}}\nG2: {undeveloped: true}\n",
     [(E, M, "V09: Element G1 has an assurance claim point ACP1 that references G3, but this is neither its "
             "own ID nor any of the connected elements.")]),
    # rs:validation.rs::undeveloped_goal (+ C01: two unreferenced goals, a warning)
    ("two undeveloped goals", "G1: {}\nG2: {undeveloped: false}\n",
     [(W, M, "V02: Element G1 is undeveloped."), (W, M, "V02: Element G2 is undeveloped."),
      (W, None, "C01: There is more than one unreferenced element: G1, G2.")]),
    # rs:validation.rs::undeveloped_strategy (two top-level strategies: C02 is only for one root)
    ("two undeveloped strategies", "S1: {}\nS2: {undeveloped: false}\n",
     [(W, M, "V02: Element S1 is undeveloped."), (W, M, "V02: Element S2 is undeveloped."),
      (W, None, "C01: There is more than one unreferenced element: S1, S2.")]),
    # rs:validation.rs::unknown_ref passes validation; rs:check.rs::unresolved_ref_support
    ("unresolved support", "G1: {supportedBy: [G2]}\n",
     [(E, M, 'C03: Element G1 has unresolved "supported by" element: G2')]),
    # rs:check.rs::unresolved_ref_context
    ("unresolved context", "G1: {inContextOf: [C1], undeveloped: true}\n",
     [(E, M, 'C03: Element G1 has unresolved "in context of" element: C1')]),
    # rs:check.rs::unresolved_challenging (G3 has no support here: V02 first)
    ("challenge of a missing element", "G1: {supportedBy: [G3]}\nG3: {}\nCG1: {supportedBy: [CG2]}\n"
     "CG2: {challenges: G2}\n",
     [(W, M, "V02: Element G3 is undeveloped."),
      (E, M, "C14: Element CG2 challenges element G2, but it does not exist.")]),
    # rs:check.rs::unresolved_list (C11 is a warning after the C03 error)
    ("list written as a string", "G1: {supportedBy: 'G2, G3'}\n",
     [(E, M, 'C03: Element G1 has unresolved "supported by" element: G2, G3'),
      (W, M, 'C11: Unresolved "supported by" element of G1 may be actually a list: G2, G3. Try writing '
             "[G2, G3] instead.")]),
    # rs:check.rs::in_context_comma
    ("context list written as a string", "G1: {inContextOf: 'C1, C2', undeveloped: true}\n",
     [(E, M, 'C03: Element G1 has unresolved "in context of" element: C1, C2'),
      (W, M, 'C11: Unresolved "in context of" element of G1 may be actually a list: C1, C2. Try writing '
             "[C1, C2] instead.")]),
    # rs:check.rs::unreferenced_id
    ("two roots", "G1: {undeveloped: true}\nC1: {}\n",
     [(W, None, "C01: There is more than one unreferenced element: C1, G1.")]),
    # rs:check.rs::challenges_self
    ("challenges itself", "CG1: {challenges: CG1}\n", [(E, M, "C13: Element CG1 challenges itself.")]),
    # rs:check.rs::challenges_unrelated
    ("challenged relation that is not one", "G1: {supportedBy: [G2, G3]}\nG2: {undeveloped: true}\n"
     "G3: {undeveloped: true}\nCG1: {challenges: G2 -> G3}\n",
     [(E, M, "C16: Element CG1 challenges a relation, but the referenced elements G3 and G2 do not have a "
             "relation.")]),
    # rs:check.rs::challenges_relation_left / challenges_relation_right
    ("relation to a missing element", "G1: {undeveloped: true}\nCG1: {challenges: G1 -> G3}\n",
     [(E, M, "C12: Element CG1 challenges a relation, but element G3 of the relation does not exist.")]),
    ("relation from a missing element", "G1: {undeveloped: true}\nCG1: {challenges: G3 -> G1}\n",
     [(E, M, "C12: Element CG1 challenges a relation, but element G3 of the relation does not exist.")]),
    # rs:check.rs::challenges_same
    ("relation to itself", "G2: {undeveloped: true}\nCG1: {challenges: G2 -> G2}\n",
     [(E, M, "C15: Element CG1 challenges a relation with both ends pointing to G2.")]),
    # rs:check.rs::simple_cycle
    ("cycle", "G0: {supportedBy: [G1]}\nG1: {supportedBy: [G2]}\nG2: {supportedBy: [G1]}\n",
     [(E, None, "C04: Cycle detected at element G2. Cycle is G1 -> G2 -> G1.")]),
    # rs:check.rs::simple_cycle_2 (everything referenced: no top-level element)
    ("cycle without a root", "G1: {supportedBy: [S1]}\nS1: {supportedBy: [G2]}\nG2: {supportedBy: [G1]}\n",
     [(E, None, "C01: There are no unreferenced elements found.")]),
    # rs:check.rs::diamond
    ("diamond", "G1: {supportedBy: [S1]}\nS1: {supportedBy: [G2, G3]}\nG2: {undeveloped: true}\n"
     "G3: {supportedBy: [G2]}\n", []),
    # rs:check.rs::independent_cycle (the cycle is not reachable from the root: C08, not C04)
    ("independent cycle", "G1: {supportedBy: [S1]}\nS1: {supportedBy: [G2]}\nG2: {supportedBy: [G1]}\n"
     "Sn1: {}\nG3: {supportedBy: [Sn1, G4], inContextOf: [A1]}\nG4: {undeveloped: true, inContextOf: [J1]}\n"
     "A1: {}\nJ1: {}\n",
     [(E, None, "C08: The following element(s) are not reachable from the root element(s) (G3): G1, G2, "
                "S1")]),
    # rs:check.rs::wrong_root
    ("root is a solution", "Sn1: {}\n", [(E, None, "C02: The root element should be a goal, but Sn1 was "
                                                   "found.")]),
    # rs:check.rs::simple_cycle shape, longer: gsn2x's path search names the first cycle it meets
    ("cycle inside a tree", "G1: {supportedBy: [G2]}\nG2: {supportedBy: [G3]}\nG3: {supportedBy: [G4]}\n"
     "G4: {supportedBy: [G2, Sn1]}\nSn1: {}\n",
     [(E, None, "C04: Cycle detected at element G4. Cycle is G2 -> G3 -> G4 -> G2.")]),
    # rs:gsn.rs::nodetype (nodeType overrides the prefix: C1 is a Solution)
    ("nodeType", "G1: {text: Goal1, supportedBy: [C1]}\nC1: {text: Solution1, nodeType: Solution}\n", []),
    # rs:regressions.rs::issue467 (exit 0 with this warning)
    ("issue 467", "GA: {supportedBy: [SnB]}\nGB: {supportedBy: [SnA]}\nSnA: {}\nSnB: {}\n",
     [(W, None, "C01: There is more than one unreferenced element: GA, GB.")]),
    # rs:cli.rs::dialectic_first (renders, exit 0): counter goals, counter solutions, defeated
    ("dialectic", "G1: {supportedBy: S1, inContextOf: C1}\nC1: {}\nS1: {supportedBy: [G2, G3]}\n"
     "G2: {text: beaten, supportedBy: Sn1, defeated: true}\nSn1: {}\n"
     "CG1: {text: counter, supportedBy: CSn1, challenges: G2, horizontalIndex: {relative: -1}}\nCSn1: {}\n"
     "G3: {supportedBy: Sn2}\nSn2: {defeated: true}\nCG3: {challenges: Sn2, supportedBy: CSn3}\nCSn3: "
     "{}\n", []),
    # rs:cli.rs::dialectic_second: a counter solution challenging a relation, defeatedRelation
    ("dialectic relations", "G1: {supportedBy: [G2, CG1]}\nG2: {undeveloped: true, defeated: true}\n"
     "CG1: {nodeType: CounterGoal, challenges: G2, defeatedRelation: G2, supportedBy: [CSn1],\n"
     "      horizontalIndex: {absolute: last}, rankIncrement: 1}\nCSn1: {}\n"
     "X2: {nodeType: CounterSolution, challenges: G1 -> CG1}\n", []),
    # rs:cli.rs::confidence_extension: assurance claim points on elements and relations
    ("assurance claim points", "G1: {supportedBy: [S1], acp: {ACP1: S1}}\n"
     "S1: {supportedBy: [Sn1, Sn2], inContextOf: [C1], acp: {ACP4: C1, ACP2: [Sn1, Sn2]}}\n"
     "C1: {acp: {ACP6: C1}}\nSn1: {}\nSn2: {acp: {ACP5: Sn2}}\n", []),
    # src:check.rs check_unreachable + dirgraph.rs rank_nodes: a counter goal challenging a
    # context is never placed (contexts are not ranked), so it is unreachable
    ("challenging a context", "G1: {inContextOf: [C1], undeveloped: true}\nC1: {}\nCG1: {challenges: C1}\n",
     [(E, None, "C08: The following element(s) are not reachable from the root element(s) (G1): CG1")]),
    # src:check.rs check_node_references collects into a Result: the first element with an
    # unresolved reference stops the checks (G1's second dangling reference is not reported)
    ("only the first unresolved reference", "G1: {supportedBy: [G7, G8]}\nG2: {supportedBy: [G9]}\n",
     [(E, M, 'C03: Element G1 has unresolved "supported by" element: G7')]),
    # src:main.rs validate_and_check: the first module with a validation error stops the checks
    ("validation stops before the checks", "G1: {supportedBy: [X9]}\nX1: {}\n",
     [(E, M, "V01: Element X1 is of unknown type. Please see documentation for supported types")]),
    # rs:cli.rs::empty_input
    ("empty file", "", [(E, None, "No input elements are found.")]),
]


@pytest.mark.parametrize("name, text, expected", SINGLE, ids=[c[0] for c in SINGLE])
def test_single_file_verdicts_are_gsn2xs(tmp_path, monkeypatch, name, text, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "case.gsn.yaml").write_text(text)
    result = validate_files(["case.gsn.yaml"])
    assert lines(result, tmp_path) == expected
    assert bool(result.errors) == any(sev == E for sev, _, _ in expected)


def test_extended_check_and_warn_dialectic(tmp_path, monkeypatch):
    # rs:validation.rs::inconsistent_id_type and ::warn_dialectic (both warnings, exit 0)
    monkeypatch.chdir(tmp_path)
    Path("case.gsn.yaml").write_text("G1: {supportedBy: [Sn1]}\nSn1: {nodeType: Solution}\n"
                                     "Sn2: {nodeType: Assumption}\nG2: {undeveloped: true, defeated: true}\n"
                                     "CG1: {undeveloped: true, challenges: G2}\n")
    plain = validate_files(["case.gsn.yaml"])
    assert lines(plain, tmp_path) == [(W, None, "C01: There is more than one unreferenced element: G1, "
                                                "G2, Sn2.")]
    extra = validate_files(["case.gsn.yaml"], extended_check=True, warn_dialectic=True)
    assert lines(extra, tmp_path)[:2] == [
        (W, M, "V08: Element Sn2 has type Assumption, but ID indicates type Solution"),
        (W, M, "V11: Dialectic extension is used. See elements: CG1")]
    assert not extra.errors


def test_layers_as_gsn2x_checks_them(tmp_path, monkeypatch):
    # rs:check.rs::layer_exists, ::layer_does_not_exist, ::layer_reserved
    monkeypatch.chdir(tmp_path)
    Path("case.gsn.yaml").write_text("G1: {undeveloped: true, layer1: dontcare, add1: {a: b}}\n")
    assert validate_files(["case.gsn.yaml"], layers=["layer1", "add1"]).violations == []
    only = validate_files(["case.gsn.yaml"], layers=["layer1", "layer2"])
    assert lines(only, tmp_path) == [(W, None, "Layer layer2 is not used in file. No additional output "
                                               "will be "
                                               "generated.")]
    reserved = validate_files(["case.gsn.yaml"], layers=["inContextOf", "layer2"])
    assert lines(reserved, tmp_path) == [
        (E, None, "inContextOf is a reserved attribute and cannot be used as layer."),
        (W, None, "Layer layer2 is not used in file. No additional output will be generated.")]


MODULAR = {
    "m/index.gsn.yaml": "module:\n  name: Main\n  uses: [sub1.gsn.yaml, sub3.gsn.yaml]\n"
                        "G1: {text: Main, supportedBy: [S1], inContextOf: [A1], horizontalIndex: "
                        "{absolute: last}}\n"
                        "S1: {supportedBy: [G2, G3]}\nG2: {inContextOf: [J1], undeveloped: true}\nJ1: {}\n",
    "m/sub1.gsn.yaml": "module: {name: Sub1}\nG3: {inContextOf: [J1, C2], supportedBy: [Sn1]}\n"
                       "A1: {horizontalIndex: {absolute: 0}}\n",
    "m/sub2.gsn.yaml": "module: {name: Sub2}\nG1: {supportedBy: [Sn1]}\nSn1: {}\n",
    "m/sub3.gsn.yaml": "module: {name: Sub3}\nC2: {}\nSn1: {}\n",
    "t/template.gsn.yaml": "module: {name: template, brief: Template}\nG0: {supportedBy: [G1, G4]}\n"
                           "G1: {undeveloped: true}\nG4: {supportedBy: [Sn42]}\nSn42: {}\n",
    "t/instance.gsn.yaml": "module:\n  name: instance\n  extends:\n    - module: template\n"
                           "      develops:\n        G1: [G2]\nG2: {supportedBy: [Sn1]}\nSn1: {}\n",
    "t/bad1.gsn.yaml": "module:\n  name: bad\n  extends: [{module: bad_mod, develops: {G1: [G2]}}]\n"
                       "G2: {supportedBy: [Sn1]}\nSn1: {}\n",
    "t/bad2.gsn.yaml": "module:\n  name: bad\n  extends: [{module: template, develops: {G2: [G2]}}]\n"
                       "G2: {supportedBy: [Sn1]}\nSn1: {}\n",
    "t/bad3.gsn.yaml": "module:\n  name: bad\n  extends: [{module: template, develops: {G3: [G2]}}]\n"
                       "G2: {supportedBy: [Sn1]}\nSn1: {}\n",
    "t/bad4.gsn.yaml": "module:\n  name: bad\n  extends: [{module: template, develops: {G4: [G2]}}]\n"
                       "G2: {supportedBy: [Sn1]}\nSn1: {}\n",
    "t/bad5.gsn.yaml": "module:\n  name: mod\n  extends: [{module: template, develops: {G1: [G9, X2]}}]\n"
                       "G2: {undeveloped: true}\n",
    "c/circle1.yaml": "module:\n  name: A\n  uses: [circle2.yaml]\n",
    "c/circle2.yaml": "module:\n  name: B\n  uses: [circle3.yaml]\n",
    "c/circle3.yaml": "module:\n  name: C\n  uses: [circle1.yaml]\n",
    "e/test.yaml": "module:\n  name: Test\n  uses: [\"test_2.yaml\"]\n",
    "e/test_2.yaml": "G1: {undeveloped: true}\n",
}

MULTI = [
    # rs:cli.rs::validate_multiple_only: success, nothing on stderr
    ("modules used by the index", ("m/index.gsn.yaml",), []),
    # rs:cli.rs::validate_multiple_only_error: "2 errors and 0 warnings"
    ("duplicate id across modules", ("m/index.gsn.yaml", "m/sub2.gsn.yaml"),
     [(E, "Sub2", "C07: Element G1 in m/sub2.gsn.yaml was already present in Main."),
      (E, "Sub2", "The module does not contain elements.")]),
    # rs:cli.rs::validate_template_instance
    ("template and instance", ("t/template.gsn.yaml", "t/instance.gsn.yaml"), []),
    # rs:cli.rs::validate_template_invalid_instance1..4: 2, 1, 1, 1 errors
    ("extends a missing module", ("t/template.gsn.yaml", "t/bad1.gsn.yaml"),
     [(E, "bad", "C09: Module bad_mod is not found, but is supposed to be extended by module bad."),
      (E, "bad", "C10: Element G1 does not exist in module bad_mod, but is supposed to be extended by G2.")]),
    ("develops its own element", ("t/template.gsn.yaml", "t/bad2.gsn.yaml"),
     [(E, "bad", "C10: Element G2 does not exist in module template, but is supposed to be extended by "
                 "G2.")]),
    ("develops a missing element", ("t/template.gsn.yaml", "t/bad3.gsn.yaml"),
     [(E, "bad", "C10: Element G3 does not exist, but is supposed to be extended by G2.")]),
    ("develops a developed element", ("t/template.gsn.yaml", "t/bad4.gsn.yaml"),
     [(E, "bad", "C10: Element G4 is not undeveloped, but is supposed to be extended by G2.")]),
    # rs:validation.rs::wrong_extension and ::wrong_extension_type (V07, before C09/C10)
    ("develops with a missing or wrong element", ("t/template.gsn.yaml", "t/bad5.gsn.yaml"),
     [(E, "mod", "V07: Element G9 in module mod supposed to develop G1 in module template does not exist."),
      (E, "mod", "V07: Element X2 is of wrong type. Only Strategies, Goals and Solutions can develop other "
                 "Goals and Strategies.")]),
    # rs:cli.rs::uses_circle_detection
    ("uses cycle", ("c/circle1.yaml",),
     [(E, "A", "C06: Module in c/circle1.yaml was already present in c/circle1.yaml provided by command "
               "line.")]),
    # rs:regressions.rs::issue472
    ("a module of uses only", ("e/test.yaml",), [(E, "Test", "The module does not contain elements.")]),
]


@pytest.mark.parametrize("name, args, expected", MULTI, ids=[c[0] for c in MULTI])
def test_module_verdicts_are_gsn2xs(tmp_path, monkeypatch, name, args, expected):
    monkeypatch.chdir(tmp_path)
    for path, text in MODULAR.items():
        Path(path).parent.mkdir(exist_ok=True)
        Path(path).write_text(text)
    result = validate_files(list(args))
    assert lines(result, tmp_path) == expected


def test_the_cli_exits_as_gsn2x_with_its_words(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for path, text in MODULAR.items():
        Path(path).parent.mkdir(exist_ok=True)
        Path(path).write_text(text)
    ok = cli("scheme", "validate", "m/index.gsn.yaml")
    assert ok.code == 0 and ok.err == "" and "8 elements in 3 module(s)" in ok.out
    # rs:cli.rs::validate_multiple_only_error: "2 errors and 0 warnings"
    bad = cli("scheme", "validate", "m/index.gsn.yaml", "m/sub2.gsn.yaml")
    assert bad.code == 2 and bad.out == "" and "2 errors and 0 warnings detected" in bad.err
    assert "(Sub2): error C07: Element G1 in m/sub2.gsn.yaml was already present in Main." in bad.err
    Path("w.yaml").write_text("GA: {supportedBy: [SnB]}\nGB: {supportedBy: [SnA]}\nSnA: {}\nSnB: {}\n")
    warn = cli("scheme", "validate", "w.yaml")  # rs:regressions.rs::issue467: success, this warning
    assert warn.code == 0 and "Warning: C01: There is more than one unreferenced element: GA, GB." in warn.err
    js = cli("scheme", "validate", "m/index.gsn.yaml", "m/sub2.gsn.yaml", "--format", "json")
    assert js.code == 2 and '"rule": "C07"' in js.out


PARSE = [
    # rs:cli.rs::invalid_input1 (a list at the top level)
    ("list", "- X1\n", "expected a mapping of element ids"),
    # rs:cli.rs::invalid_input2 (a key given twice)
    ("duplicate key", "module:\n  name: A\n\nmodule:\n  name: B\n", "duplicate key 'module'"),
    # rs:gsn.rs::deser_acp1..3, ::no_string_or_seq, ::serde_hor_invalid_index
    ("acp as a list", "G1: {text: Goal1, acp: [C1, G2]}\n", "G1.acp"),
    ("acp to true", "G1: {text: Goal1, acp: {ACP1: true}}\n", "G1.acp"),
    ("acp to numbers", "G1: {text: Goal1, acp: {ACP1: [true, 123]}}\n", "G1.acp"),
    ("context as a number", "G1: {text: Goal1, inContextOf: -1}\n", "G1.inContextOf"),
    ("index with no kind", "G1: {undeveloped: true, horizontalIndex: 5}\n", "G1.horizontalIndex"),
    ("absolute null", "G1: {undeveloped: true, horizontalIndex: {absolute: null}}\n", "G1.horizontalIndex"),
    ("absolute past u32", "G1: {undeveloped: true, horizontalIndex: {absolute: "
                          "4294967297}}\n", "G1.horizontalIndex"),
    ("relative text", "G1: {undeveloped: true, horizontalIndex: {relative: x}}\n", "G1.horizontalIndex"),
    # src:gsn.rs GsnNode field types (serde refuses the whole file)
    ("negative rank increment", "G1: {undeveloped: true, rankIncrement: -1}\n", "G1.rankIncrement"),
    ("char wrap as text", "G1: {undeveloped: true, charWrap: wide}\n", "G1.charWrap"),
    ("classes as text", "G1: {undeveloped: true, classes: red}\n", "G1.classes"),
    ("unknown nodeType", "X1: {nodeType: Claim}\n", "X1.nodeType"),
    ("challenges as a list", "CG1: {challenges: [G1]}\nG1: {undeveloped: true}\n", "CG1.challenges"),
    ("undeveloped as text", "G1: {undeveloped: 'yes'}\n", "G1.undeveloped"),
    ("empty reference list", "G1: {supportedBy: }\n", "G1.supportedBy"),
    ("element without attributes", "G1:\n", "G1"),
]


@pytest.mark.parametrize("name, text, where", PARSE, ids=[c[0] for c in PARSE])
def test_what_gsn2x_cannot_read_is_a_located_error(cli, write_yaml, name, text, where):
    path = write_yaml(text, "case.gsn.yaml")
    run = cli("scheme", "validate", path)
    assert run.code == 2 and run.out == "" and "Traceback" not in run.err
    assert f"{path}: {where}" in run.err or (where in run.err and path in run.err), run.err


def test_a_malformed_module_entry_is_ignored_as_gsn2x_does_but_said(cli, write_yaml):
    # src:gsn.rs GsnDocument is untagged: module information that does not parse is read as an
    # element's attributes and dropped, so the module is named after the file (exit 0, V02 only)
    path = write_yaml("module: {name: m, extends: [{module: t, develops: {G1: G2}}]}\nG1: {text: a}\n",
                      "case.gsn.yaml")
    run = cli("scheme", "validate", path)
    assert run.code == 0 and "V02: Element G1 is undeveloped." in run.err
    assert "the `module` entry is ignored" in run.err and "module.extends[0]" in run.err


def test_what_gsn2x_reads_is_kept_and_written_back(tmp_path, monkeypatch):
    from autosafety.schemes._files import parse_data
    from autosafety.schemes._gsn_read import case_from_data
    from autosafety.schemes._render import to_yaml

    text = ("module: {name: M, brief: b, uses: [], stylesheets: [s.css], version: 3}\n"
            "G1: {text: t, supportedBy: [S1], classes: [a, b], acp: {ACP1: [S1]}, charWrap: 30,\n"
            "     horizontalIndex: {relative: -2}, rankIncrement: 1, layer1: notes, url: 'https://x'}\n"
            "S1: {supportedBy: [Sn1], nodeType: Strategy}\nSn1: {layer1: [a, b]}\n"
            "CG1: {challenges: G1 -> S1, defeated: true, defeatedRelation: [G1], undeveloped: true}\n")
    case, problems = case_from_data(parse_data(text, origin="x"), origin="x")
    assert problems == []
    back = parse_data(to_yaml(case), origin="back")
    again = parse_data(text, origin="x")
    for nid, body in again.items():
        got = back[nid]
        for key, value in body.items():
            listed = key in ("supportedBy", "inContextOf", "defeatedRelation") and isinstance(value, str)
            want = [value] if listed else value
            assert got[key] == want, (nid, key)
