"""Start-up time of the command line, against a bare Python in the same run.

Run: .venv/bin/python benchmarks/startup.py [--runs N]

Times the median wall time of N fresh processes (default 15) of each of: `python -c pass`,
`autosafety --help` and `autosafety score wehner-2026` (the console script of this venv), taking
the runs in turn so that a busy moment on the machine hits every command alike. Targets (issue
13): `--help` under 0.15 s and `score wehner-2026` under 0.4 s. Each figure is printed with its
ratio to bare Python, which carries across machines better than seconds do.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CLI = str(Path(sys.executable).with_name("autosafety"))
COMMANDS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "autosafety --help": [CLI, "--help"],
    "autosafety score wehner-2026": [CLI, "score", "wehner-2026"],
}
TARGETS = {"autosafety --help": 0.15, "autosafety score wehner-2026": 0.4}


def measure(runs: int) -> dict[str, list[float]]:
    """Wall times of ``runs`` fresh processes of each command, interleaved."""
    env = {**os.environ, "COLUMNS": "80"}
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for argv in COMMANDS.values():  # one warm-up each: file-system cache, .pyc files
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    for _ in range(runs):
        for name, argv in COMMANDS.items():
            t0 = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
            times[name].append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="processes per command (default 15)")
    args = parser.parse_args()
    times = measure(args.runs)
    base = statistics.median(times["python -c pass"])
    print(f"median of {args.runs} cold runs each (min-max in brackets)")
    print(f"{'command':30} {'median':>8} {'x python':>9} {'target':>8}  range")
    for name, t in times.items():
        med = statistics.median(t)
        target = f"{TARGETS[name]:.2f} s" if name in TARGETS else ""
        flag = " (over)" if name in TARGETS and med > TARGETS[name] else ""
        print(f"{name:30} {med:6.3f} s {med / base:8.1f}x {target:>8}  "
              f"[{min(t):.3f}-{max(t):.3f}]{flag}")


if __name__ == "__main__":
    main()
