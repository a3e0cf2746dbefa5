"""Agreement with gsn2x on gsn2x's own examples and test files, and the time each tool takes.

Run: .venv/bin/python benchmarks/schemes_gsn2x.py PATH/TO/gsn2x [--gsn2x BIN]

PATH is a checkout of jonasthewolf/gsn2x. Each case is a command line from gsn2x's Rust tests
(tests/cli.rs, tests/regressions.rs, tests/outputs.rs) with the verdict those tests assert:
success or failure, and where they say so the exact stderr line, the error/warning counts, or
an empty stderr. Without --gsn2x the verdicts are those the tests state (gsn2x is not run);
with --gsn2x BIN every case, and every .yaml file alone, is also run through gsn2x itself
(`-c`, check only) and compared with ours: exit status, and each diagnostic's severity and rule.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import time
from pathlib import Path

from autosafety._errors import InputError
from autosafety.schemes import validate_files

OK, FAIL = "success", "failure"
# (arguments as in the Rust test, verdict, what stderr must say: a line, "N errors and M
# warnings", or "" for an empty stderr; None if the test does not look at stderr)
CASES: list[tuple[list[str], str, str | None]] = [
    (["examples/example.gsn.yaml"], OK, None),                                     # cli.rs argument_view
    (["tests/multi_context.gsn.yaml"], OK, None),                                  # cli.rs multi_contexts
    (["examples/entangled.gsn.yaml"], OK, None),                                   # cli.rs entangled
    (["examples/modular/index.gsn.yaml"], OK, ""),                                 # validate_multiple_only
    (["examples/modular/index.gsn.yaml", "examples/modular/sub2.gsn.yaml"], FAIL, "2 errors and 0 warnings"),
    (["examples/modular/index.gsn.yaml", "examples/modular/sub2.gsn.yaml",
      "-x=examples/modular/sub2.gsn.yaml"], FAIL, "2 errors and 0 warnings"),     # ..._error_exclude
    (["examples/template/template.gsn.yaml", "examples/template/instance.gsn.yaml"], OK, None),
    *[(["examples/template/template.gsn.yaml", f"tests/inval{i}_instance.gsn.yaml"], FAIL,
       f"{2 if i == 1 else 1} errors and 0 warnings") for i in (1, 2, 3, 4)],
    (["tests/empty.yaml"], FAIL, "Error: No input elements are found."),          # cli.rs empty_input
    (["tests/invalid1.yaml"], FAIL, None),                                         # "Failed to parse YAML"
    (["tests/invalid2.yaml"], FAIL, None),
    (["tests/multi_parents.gsn.yaml"], OK, None),
    (["tests/multi_children.yaml"], OK, None),
    (["tests/multi_children_min.yaml"], OK, None),
    (["examples/dialectic/first.gsn.yaml"], OK, None),
    (["examples/dialectic/second.gsn.yaml"], OK, None),
    (["examples/minimalcss/min.gsn.yaml"], OK, None),
    (["tests/additionals.yaml", "-l=add1", "-l=unsupported", "-l=additional"], OK, None),
    (["examples/confidence.gsn.yaml"], OK, None),
    (["tests/circle1.yaml"], FAIL, "Error: (A) C06: Module in tests/circle1.yaml was already present in "
                                   "tests/circle1.yaml provided by command line."),
    (["tests/font_metrics.gsn.yaml"], OK, None),
    (["examples/bullet_lists.gsn.yaml"], OK, None),
    (["tests/no_evidence.gsn.test.yaml"], OK, ""),                                 # outputs.rs no_evidence
    (["examples/example.gsn.yaml", "-l=layer1"], OK, ""),                          # outputs.rs some_evidence
    *[([f"tests/issue{n}.yaml"], OK, None) for n in ("250", "249", "313", "339", "84_1", "84_2", "84_3",
                                                     "84_4", "365", "371", "372", "377", "389", "433_1",
                                                     "393_1", "393_2", "561", "563", "575")],
    (["tests/issue358.yaml", "-l=layer1", "-l=layer2"], OK, None),
    (["tests/issue391_1.yaml", "tests/issue391_2.yaml"], OK, None),
    (["tests/issue396.yaml", "-l=layer1"], OK, None),
    (["tests/issue407.yaml", "-l=layer2"], OK, None),
    (["tests/issue453.yaml", "-l=layer2"], OK, None),
    (["tests/issue467.yaml"], OK, "Warning: C01: There is more than one unreferenced element: GA, GB."),
    (["tests/issue472.yaml"], FAIL, "Error: (Test) The module does not contain elements."),
]


def ours(args: list[str]) -> tuple[str, list[str]]:
    """Our verdict and gsn2x-format lines for a gsn2x command line."""
    files = [a for a in args if not a.startswith("-")]
    excluded = [a.split("=", 1)[1] for a in args if a.startswith("-x=")]
    layers = [a.split("=", 1)[1] for a in args if a.startswith("-l=")]
    try:
        result = validate_files(files, excluded=excluded, layers=layers)
    except InputError as e:  # gsn2x: "Failed to open file" / "Failed to parse YAML from file"
        return FAIL, [f"Error: {p}" for p in e.problems]
    n_err = len(result.errors)
    lines = [v.gsn2x() for v in result.violations]
    if n_err:
        lines.append(f"Error: {n_err} errors and {len(lines) - n_err} warnings detected.")
    elif lines:
        lines.append(f"Warning: {len(lines)} warnings detected.")
    return (FAIL if n_err else OK), lines


def agrees_with_test(verdict: str, stderr: str | None, got: tuple[str, list[str]]) -> bool:
    status, lines = got
    if status != verdict:
        return False
    if stderr is None:
        return True
    if stderr == "":
        return lines == []
    return any(stderr in line for line in lines)


_DIAG = re.compile(r"^(Error|Warning): (?:\(([^)]*)\) )?([CV]\d\d): ")


def diag_set(lines: list[str]) -> list[tuple[str, str | None, str]]:
    return sorted((m[1], m[2], m[3]) for line in lines if (m := _DIAG.match(line)))


def run_gsn2x(binary: str, args: list[str], cwd: Path) -> tuple[str, list[str], float]:
    t = time.perf_counter()
    proc = subprocess.run([binary, "-c", *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    dt = time.perf_counter() - t
    return (OK if proc.returncode == 0 else FAIL), proc.stderr.splitlines(), dt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, help="a checkout of jonasthewolf/gsn2x")
    parser.add_argument("--gsn2x", help="the gsn2x binary, to run it too")
    opts = parser.parse_args()
    os.chdir(opts.repo)
    agree, t_ours, t_theirs = 0, 0.0, 0.0
    for args, verdict, stderr in CASES:
        t = time.perf_counter()
        got = ours(args)
        t_ours += time.perf_counter() - t
        ok = agrees_with_test(verdict, stderr, got)
        agree += ok
        if not ok:
            print(f"DISAGREE with gsn2x's test: {' '.join(args)}: test says {verdict} {stderr!r}; "
                  f"we say {got[0]} {got[1][:3]}")
    print(f"agreement with the verdicts gsn2x's Rust tests assert: {agree} of {len(CASES)} "
          f"(ours {t_ours * 1e3:.1f} ms in-process for all)")
    if not opts.gsn2x:
        print("gsn2x itself not run (no --gsn2x binary given): no time ratio")
        return
    runs = [a for a, _, _ in CASES] + [[str(p)] for p in sorted(Path(".").glob("*/**/*.yaml"))]
    agree, t_ours, t_theirs = 0, 0.0, 0.0
    for args in runs:
        status, lines, dt = run_gsn2x(opts.gsn2x, args, Path("."))
        t_theirs += dt
        t = time.perf_counter()
        options = [f"--{'exclude' if a[1] == 'x' else 'layer'}={a[3:]}" for a in args if a.startswith("-")]
        files = [a for a in args if not a.startswith("-")]
        mine = subprocess.run(["autosafety", "scheme", "validate", *files, *options],
                              capture_output=True, text=True, timeout=120)
        t_ours += time.perf_counter() - t
        got = ours(args)
        same = (got[0] == status and diag_set(got[1]) == diag_set(lines)
                and (mine.returncode == 0) == (status == OK))
        agree += same
        if not same:
            print(f"DISAGREE with gsn2x run: {' '.join(args)}: gsn2x {status} {diag_set(lines)}; "
                  f"we {got[0]} {diag_set(got[1])}")
    print(f"agreement with gsn2x run here: {agree} of {len(runs)}; time ours/gsn2x (processes): "
          f"{t_ours / t_theirs:.1f}x")


if __name__ == "__main__":
    main()
