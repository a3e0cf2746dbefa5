"""How long hostile inputs cost (issue 15): each attack run as a fresh CLI process, its wall time
and peak memory printed (these figures used to be timing assertions in the tests).

Run: .venv/bin/python benchmarks/hostile_inputs.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = str(Path(sys.executable).with_name("autosafety"))
LAUGHS = ("{a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol], b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], "
          "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b], d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c], "
          "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d], f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]}")
HEAD = "id: bomb\nfactors: [{id: f}]\nareas: [{id: a, category: s}]\n"


def cases(d: Path) -> list[tuple[str, list[str]]]:
    """(what, CLI arguments) for each attack, the files written into ``d``."""
    def write(name: str, text: str) -> str:
        (d / name).write_text(text)
        return str(d / name)

    bomb = write("bomb.yaml", HEAD + f"raters:\n  - id: r\n    provenance: {LAUGHS}\n")
    wide = ["id: wide", "factors: [{id: f}]", "areas:"]
    wide += [f"  - {{id: a{i}, category: c{i % 2}}}" for i in range(20_000)]
    wide += ["raters: [{id: r}]", "ratings:"]
    wide += [f"  - {{area: a{i}, factor: f, rater: r, value: {1 + i % 10}}}" for i in range(20_000)]
    chain = [f"G{i}:\n  text: goal {i}\n  supportedBy: [G{i + 1}]" for i in range(20_000)]
    chain.append("G20000:\n  text: last\n  undeveloped: true")
    ring = [f"G{i}:\n  text: goal {i}\n  supportedBy: [G{(i + 1) % 10_000}]" for i in range(10_000)]
    return [
        ("alias bomb (540 B), export -f json", ["export", bomb, "-f", "json"]),
        ("alias bomb, validate", ["validate", bomb]),
        ("20,000-area model (1.5 MB), validate", ["validate", write("wide.yaml", "\n".join(wide))]),
        ("20,001-goal valid case, scheme validate",
         ["scheme", "validate", write("chain.gsn.yaml", "\n".join(chain) + "\n")]),
        ("10,000-goal cycle to the root, scheme validate",
         ["scheme", "validate", write("ring.gsn.yaml", "\n".join(ring) + "\n")]),
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for what, args in cases(Path(tmp)):
            t = time.perf_counter()
            timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []  # peak memory
            run = subprocess.run([*timer, CLI, *args], capture_output=True, text=True)
            seconds = time.perf_counter() - t
            peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
            mb = int(peak.group(1)) / 1024 if peak else float("nan")
            print(f"{what:<48} exit {run.returncode}  {seconds:6.2f} s  {mb:6.0f} MB")


if __name__ == "__main__":
    main()
