"""Factor-model speed: CLI cold start, in-process scoring, and a large model.

Run: .venv/bin/python benchmarks/model_speed.py [--runs N]
Targets (issue 2, 2-core machine): `autosafety --help` < 0.3 s and `autosafety score wehner-2026`
< 0.6 s median wall time; scoring the 10x7 model in-process < 50 us; a 1,000-area x 50-factor x
20-rater model < 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path

import numpy as np

from autosafety import load_model
from autosafety.model import Model, ModelSpec, category_means, pool, ranks, weighted_scores

CLI = str(Path(sys.executable).with_name("autosafety"))


def cold_start(args: list[str], runs: int) -> float:
    """Median wall time of a fresh `autosafety ...` process."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([CLI, *args], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def large_model(n_areas: int, n_factors: int, n_raters: int, seed: int = 0) -> Model:
    """A random complete model: every rater rates every cell; half the raters in one group."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(1, 10, size=(n_areas, n_factors, n_raters)).round(2)
    spec = ModelSpec.model_validate({
        "id": "large",
        "factors": [{"id": f"f{j}", "weight": float(rng.uniform(0.1, 3))} for j in range(n_factors)],
        "areas": [{"id": f"a{i}", "category": ("safety", "capabilities")[i % 2]}
                  for i in range(n_areas)],
        "groups": [{"id": "llm", "weight": 3.0}],
        "raters": [{"id": f"r{k}", "kind": "llm" if k % 2 else "human",
                    "group": "llm" if k % 2 else None, "weight": 5.0 if k % 2 == 0 else 1.0}
                   for k in range(n_raters)],
        "ratings": [{"area": f"a{i}", "factor": f"f{j}", "rater": f"r{k}", "value": float(v)}
                    for (i, j, k), v in np.ndenumerate(values)],
    })
    return Model(spec, origin="large")


def score_from_arrays(model: Model) -> None:
    """Everything `Model.score` does after loading: pool raters, score, rank, categories."""
    from autosafety.model import source_weights

    _, within, index, sw = model.sources
    eff = source_weights(model.present, within, index, sw)
    pooled = pool(model.ratings, eff)
    scores = weighted_scores(pooled, model.weights)
    ranks(scores)
    category_means(scores, model.category_index, len(model.categories))


def best_of(fn, *, number: int, repeat: int = 5) -> float:
    """Best mean seconds per call over `repeat` batches of `number` calls."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    help_s = cold_start(["--help"], args.runs)
    score_s = cold_start(["score", "wehner-2026"], args.runs)
    print(f"cold start `autosafety --help`:             median {help_s * 1e3:7.1f} ms (target < 300)")
    print(f"cold start `autosafety score wehner-2026`:  median {score_s * 1e3:7.1f} ms (target < 600)")

    model = load_model("wehner-2026")
    model.score()  # warm the cached arrays, as a notebook or the web app would be
    per_call = best_of(model.score, number=2000)
    per_call_full = best_of(lambda: model.score().to_dict(), number=1000)
    print(f"in-process wehner-2026 score():            {per_call * 1e6:7.1f} us (target < 50)")
    print(f"  ... with ranks, categories and to_dict(): {per_call_full * 1e6:7.1f} us")
    weights = {"feedback_quality": 1.0}
    per_override = best_of(lambda: model.score(weights=weights), number=2000)
    print(f"  ... with a weight override:               {per_override * 1e6:7.1f} us")

    t0 = time.perf_counter()
    big = large_model(1000, 50, 20)
    load_s = time.perf_counter() - t0
    big_s = best_of(lambda: score_from_arrays(big), number=3)
    print(f"1,000 x 50 x 20 model: pool + score + rank: {big_s * 1e3:7.1f} ms (target < 50)"
          f"   [building and validating its 1,000,000 ratings: {load_s:.1f} s]")


if __name__ == "__main__":
    main()
