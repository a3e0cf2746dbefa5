"""Write docs/examples/runs.jsonl and dates.csv: synthetic METR-format runs for the docs' examples.

Not METR's data: five made-up models on an exact exponential trend (the 50% horizon doubles every
210 days, from 4 minutes), each run three times on 79 tasks of 15 seconds to 17 hours, successes
drawn from METR's logistic form; `autosafety horizons fit` recovers the doubling time within its CI.

Run: .venv/bin/python docs/examples/synthetic_runs.py
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
DOUBLING, SPACING, H0 = 210.0, 120, 4.0  # days, days between releases, minutes
SLOPES = [-1.0, -1.2, -0.9, -1.1, -1.0]  # fall in log-odds per doubling of task length


def main() -> None:
    rng = np.random.default_rng(0)
    sizes = rng.integers(1, 4, size=40)
    tasks = [(f"fam{f}", f"fam{f}/t{j}") for f in range(40) for j in range(sizes[f])]
    x = np.repeat(rng.uniform(-2, 10, size=len(tasks)), 3)  # log2 minutes, three runs per task
    lines, dates = [], []
    for i, b in enumerate(SLOPES):
        name = f"model-{chr(ord('a') + i)}"
        h50 = H0 * 2 ** (i * SPACING / DOUBLING)
        p = 1 / (1 + np.exp(-(-b * np.log2(h50) + b * x)))
        won = rng.random(x.size) < p
        for k in range(x.size):
            fam, task = tasks[k // 3]
            lines.append(json.dumps({"task_id": task, "task_family": fam, "alias": name,
                                     "score_binarized": int(won[k]),
                                     "human_minutes": round(float(2 ** x[k]), 3)}))
        dates.append(f"{name},{dt.date(2023, 1, 1) + dt.timedelta(days=i * SPACING)}\n")
    (HERE / "runs.jsonl").write_text("\n".join(lines) + "\n")
    (HERE / "dates.csv").write_text("model,release_date\n" + "".join(dates))


if __name__ == "__main__":
    main()
