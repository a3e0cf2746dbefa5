"""Start-up time of the command line, against a bare Python in the same run.

Run: .venv/bin/python benchmarks/startup.py [--runs N] [--compare OTHER/src]

Times the median wall time of N fresh processes (default 15) of each of: `python -c pass`,
`autosafety --help` and `autosafety score wehner-2026` (the console script of this venv), taking
the runs in turn so that a busy moment on the machine hits every command alike. Targets (issue
13): `--help` under 0.15 s and `score wehner-2026` under 0.4 s. Each figure is printed with its
ratio to bare Python, which carries across machines better than seconds do, and with the CPU
time (user + system) of each process, which a busy machine changes far less than wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def with_source(src: str) -> None:
    """Also time the two autosafety commands with the package from another checkout's ``src``
    (e.g. a `git worktree` of an older commit): before and after, in the same run."""
    code = "import sys; from autosafety.cli import main; sys.argv[0] = 'autosafety'; main()"
    for args in (["--help"], ["score", "wehner-2026"]):
        COMMANDS[f"{Path(src).parent.name}: {' '.join(args)}"[:30]] = [
            "env", f"PYTHONPATH={src}", sys.executable, "-c", code, *args]


def measure(runs: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall times and CPU times (user + system) of ``runs`` fresh processes of each command,
    interleaved. CPU time hardly changes when other work shares the machine; wall time does."""
    env = {**os.environ, "COLUMNS": "80"}
    wall: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for argv in COMMANDS.values():  # one warm-up each: file-system cache, .pyc files
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    for _ in range(runs):
        for name, argv in COMMANDS.items():
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
            wall[name].append(time.perf_counter() - t0)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="processes per command (default 15)")
    parser.add_argument("--compare", metavar="SRC", help="also time the package in SRC (the src "
                        "folder of another checkout), e.g. a worktree of the commit before")
    args = parser.parse_args()
    if args.compare:  # both through `python -c`, so that only the package differs
        with_source(str(Path(__file__).resolve().parents[1] / "src"))
        with_source(args.compare)
    wall, cpu = measure(args.runs)
    base = statistics.median(wall["python -c pass"])
    print(f"median of {args.runs} cold runs each; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    print(f"{'command':30} {'wall':>7} {'x python':>8} {'cpu':>7} {'target':>7}  wall range")
    for name, t in wall.items():
        med = statistics.median(t)
        target = f"{TARGETS[name]:.2f} s" if name in TARGETS else ""
        flag = " over" if name in TARGETS and med > TARGETS[name] else ""
        print(f"{name:30} {med:5.3f} s {med / base:7.1f}x {statistics.median(cpu[name]):5.3f} s "
              f"{target:>7}  {min(t):.2f}-{max(t):.2f}{flag}")

if __name__ == "__main__":
    main()
