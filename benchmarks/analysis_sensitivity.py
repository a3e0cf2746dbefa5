"""Sobol (N = 4096 over the 7 weights of wehner-2026) and all flip thresholds of a 100 x 20 model.

Run: .venv/bin/python benchmarks/analysis_sensitivity.py [--repeat 5]

Prints cold (first call, includes importing SALib and scipy) and warm times, plus SALib alone on
the same samples for comparison.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _big_model():
    from autosafety.model import Area, Factor, Model, ModelSpec, Rater, Rating

    rng = np.random.default_rng(0)
    spec = ModelSpec(
        id="big", categories=["safety", "capabilities"],
        factors=[Factor(id=f"f{j}", weight=float(rng.uniform(0.2, 3))) for j in range(20)],
        areas=[Area(id=f"a{i}", category=["safety", "capabilities"][i % 2]) for i in range(100)],
        raters=[Rater(id="r")],
        ratings=[Rating(area=f"a{i}", factor=f"f{j}", rater="r", value=float(rng.uniform(1, 10)))
                 for i in range(100) for j in range(20)])
    return Model(spec)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    from autosafety.model import load_model

    m = load_model("wehner-2026")
    start = time.perf_counter()
    from autosafety.analysis import flip_thresholds, sobol

    sobol(m, n=4096, seed=0)
    cold = time.perf_counter() - start
    warm = []
    for i in range(args.repeat):
        start = time.perf_counter()
        res = sobol(m, n=4096, seed=i)
        warm.append(time.perf_counter() - start)
    print(f"Sobol N=4096, 7 weights ({4096 * 9:,} model runs, 100 bootstrap resamples): "
          f"cold {cold:.3f} s, warm min {min(warm):.3f} s / median {np.median(warm):.3f} s")
    top = res.to_frame().iloc[0]
    print(f"  largest total index: {res.to_frame().index[0]} ST = {top['ST']:.3f} ± {top['ST_conf']:.3f}")
    from SALib.analyze import sobol as sa
    from SALib.sample import sobol as ss

    from autosafety.analysis._sobol import evaluate, sobol_problem

    problem = sobol_problem(m)
    start = time.perf_counter()
    x = ss.sample(problem, 4096, calc_second_order=False, seed=0)
    t_sample = time.perf_counter() - start
    start = time.perf_counter()
    y = evaluate(m, x, weights=True, ratings="none", concentration=20.0, rating_noise=True)
    t_eval = time.perf_counter() - start
    start = time.perf_counter()
    sa.analyze(problem, y, calc_second_order=False, seed=0)
    t_an = time.perf_counter() - start
    print(f"  of which SALib sample {t_sample:.3f} s, model evaluation {t_eval:.3f} s, "
          f"SALib analyze {t_an:.3f} s")

    big = _big_model()
    big.pooled()
    flip_thresholds(big)
    times = []
    for _ in range(args.repeat * 4):
        start = time.perf_counter()
        flips = flip_thresholds(big)
        times.append(time.perf_counter() - start)
    n = int(np.sum(~np.isnan(flips.pair_thresholds))) // 2
    print(f"flip thresholds 100 areas x 20 factors (4,950 pairs x 20 weights + category): "
          f"min {min(times) * 1e3:.2f} ms, median {np.median(times) * 1e3:.2f} ms; "
          f"{n:,} finite pair thresholds")


if __name__ == "__main__":
    main()
