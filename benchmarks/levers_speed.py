"""Speed of the levers (issue 12): ranking every built-in lever on the factor model (target < 50 ms),
with the timeline at 20,000 draws (target < 10 s), and the wehner-2026 report with timeline and
levers (target < 15 s). Run: `nice .venv/bin/python benchmarks/levers_speed.py`."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from autosafety import load_model
from autosafety.levers import rank_levers
from autosafety.levers._timeline import timeline_effects
from autosafety.report import write_report


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    model = load_model("wehner-2026")
    rank_levers(model)   # warm: imports, the catalogue parsed once
    t = best_of(lambda: rank_levers(model), 20)
    print(f"levers on the factor model (11 levers, exact):      {t * 1000:7.1f} ms   (target < 50 ms)")
    t = best_of(lambda: timeline_effects(model, draws=20_000, seed=0), 2)
    print(f"levers with --timeline, 20,000 draws (12 runs):     {t:7.2f} s    (target < 10 s)")
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "report.html"
        t = best_of(lambda: write_report(model, out, timeline=True, levers=True, draws=20_000, force=True), 2)
        size = out.stat().st_size
    print(f"report wehner-2026 --timeline --levers (20,000):    {t:7.2f} s    (target < 15 s), "
          f"{size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
