"""Monte Carlo speed and memory on wehner-2026, against raw numpy normals and against squigglepy.

Run: .venv/bin/python benchmarks/analysis_mc.py [--draws 1000000] [--repeat 3]

Prints, in one process:
- the floor: generating draws x 70 standard normal deviates with numpy on one core (same chunks);
- autosafety.analysis.monte_carlo: noise on all 70 ratings, Dirichlet weights, ranks, pairwise,
  category comparison (both cores), and its ratio to the floor;
- squigglepy on the same model: (a) its vectorised samplers for each of the 70 ratings and the
  Dirichlet weights, the model itself then scored with numpy (squigglepy's best case); (b) the
  idiomatic per-draw model function with ``sq.sample(fn, n)`` on fewer draws, scaled per draw;
- standard errors of P(capabilities > safety) and of the rank probabilities, and draws per second
  needed for a precision of 0.001;
- peak memory (RSS growth) of the Monte Carlo in a fresh process for 1e6 and 4e6 draws.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import numpy as np


def _floor(draws: int, cells: int, chunk: int) -> float:
    rng = np.random.default_rng(1)
    start = time.perf_counter()
    for i in range(0, draws, chunk):
        rng.standard_normal((min(chunk, draws - i), cells))
    return time.perf_counter() - start


def _squiggle_vectorised(model, draws: int, conc: float) -> float:
    import squigglepy as sq

    from autosafety.model import _core

    sq.set_seed(0)
    start = time.perf_counter()
    r = model.pooled()
    sd = 0.1 * (model.spec.scale.max - model.spec.scale.min)
    cells = np.stack([sq.sample(sq.norm(mean=float(v), sd=sd, lclip=1, rclip=10), n=draws)
                      for v in r.reshape(-1)], axis=1).reshape(draws, *r.shape)
    w = np.asarray(sq.sample(sq.dirichlet(list(conc * model.weights / model.weights.sum())), n=draws))
    scores = _core.weighted_scores(cells, w)
    ranks = _core.ranks(scores)
    cats = _core.category_means(scores, model.category_index, 2)
    _ = (cats[:, 1] > cats[:, 0]).mean(), np.bincount(ranks.reshape(-1))
    return time.perf_counter() - start


def _squiggle_idiomatic(model, draws: int, conc: float) -> float:
    import squigglepy as sq

    r = model.pooled()
    sd = 0.1 * (model.spec.scale.max - model.spec.scale.min)
    cells = [[sq.norm(mean=float(v), sd=sd, lclip=1, rclip=10) for v in row] for row in r]
    wdist = sq.dirichlet(list(conc * model.weights / model.weights.sum()))
    cat = model.category_index

    def world():
        w = np.asarray(sq.sample(wdist))
        s = np.array([sum(float(sq.sample(d)) * wf for d, wf in zip(row, w)) for row in cells])
        return float(s[cat == 1].mean() - s[cat == 0].mean())

    sq.set_seed(0)
    start = time.perf_counter()
    sq.sample(world, n=draws, verbose=False)
    return time.perf_counter() - start


def _memory_child(draws: int) -> None:
    from autosafety.analysis import monte_carlo
    from autosafety.model import load_model

    def hwm() -> float:  # peak resident memory of this process in MB (reset by exec, unlike maxrss)
        with open("/proc/self/status") as f:
            return next(int(x.split()[1]) for x in f if x.startswith("VmHWM")) / 1024

    m = load_model("wehner-2026")
    monte_carlo(m, draws=1000, weight_concentration=50)  # warm: imports, caches
    base = hwm()
    monte_carlo(m, draws=draws, weight_concentration=50)
    print(f"{hwm() - base:.1f} {hwm():.1f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--memory-child", type=int, default=0)
    args = ap.parse_args()
    if args.memory_child:
        _memory_child(args.memory_child)
        return
    from autosafety.analysis import monte_carlo
    from autosafety.analysis._montecarlo import default_chunk_size
    from autosafety.model import load_model

    m = load_model("wehner-2026")
    cells, n, conc = int(m.present.sum()), args.draws, 50.0
    chunk = default_chunk_size(m)
    monte_carlo(m, draws=20_000, weight_concentration=conc)  # warm up
    floors, runs, single, ratios = [], [], [], []
    for _ in range(args.repeat):  # interleaved, so a change in machine load hits all three alike
        floors.append(_floor(n, cells, chunk))
        start = time.perf_counter()
        res = monte_carlo(m, draws=n, weight_concentration=conc)
        runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        monte_carlo(m, draws=n, weight_concentration=conc, workers=1)
        single.append(time.perf_counter() - start)
        ratios.append(runs[-1] / floors[-1])
    floor, ours = min(floors), min(runs)
    print(f"draws {n:,} x {cells} ratings, chunk {chunk:,}, repeat {args.repeat} (min)")
    print(f"numpy raw normals (1 core, floor): {floor:.3f} s  ({n * cells / floor:.3g} deviates/s)")
    print(f"autosafety monte_carlo (2 threads): {ours:.3f} s  ratio to floor {ours / floor:.2f}x  "
          f"(per-repeat ratios: {', '.join(f'{x:.2f}' for x in ratios)})")
    print(f"autosafety monte_carlo (1 thread): {min(single):.3f} s  ratio to floor "
          f"{min(single) / floor:.2f}x (work per core); 2-thread speed-up {min(single) / ours:.2f}x; "
          f"load average of the machine {os.getloadavg()[0]:.2f}")
    sq_vec = _squiggle_vectorised(m, n, conc)
    print(f"squigglepy vectorised samplers + numpy model: {sq_vec:.3f} s  "
          f"autosafety is {sq_vec / ours:.2f}x faster")
    small = 5_000
    sq_idi = _squiggle_idiomatic(m, small, conc) * n / small
    print(f"squigglepy per-draw model fn ({small:,} draws, scaled to {n:,}): {sq_idi:.1f} s  "
          f"autosafety is {sq_idi / ours:.0f}x faster")
    g = res.gaps[0]
    rank_se = res.se(res.rank_probabilities)
    print(f"P({g['higher']} > {g['lower']}) = {g['p_higher_above']:.5f} ± {g['se']:.5f} (se)")
    print(f"largest se of a rank probability: {rank_se.max():.5f}; draws/s {n / ours:,.0f}; "
          f"se per second of run: {g['se'] * np.sqrt(ours):.2e} x sqrt(s)")
    need = int(np.ceil(0.25 / 0.001 ** 2))
    print(f"draws for se <= 0.001 on any probability (worst case p=0.5): {need:,} "
          f"-> about {need / (n / ours):.2f} s")
    for d in (1_000_000, 10_000_000):
        out = subprocess.run([sys.executable, __file__, "--memory-child", str(d)], check=True,
                             capture_output=True, text=True).stdout.split()
        print(f"peak memory for {d:,} draws: +{out[0]} MB over the warmed-up process "
              f"(process peak {out[1]} MB)")


if __name__ == "__main__":
    main()
