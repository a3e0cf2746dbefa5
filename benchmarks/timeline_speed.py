"""Timeline speed: 100,000 draws of wehner-2026 through the bridge (10 areas x 9 tasks, exact dates,
P(A before B)) against the time numpy takes to draw the same random deviates, side by side.

    .venv/bin/python benchmarks/timeline_speed.py [--draws 100000] [--rounds 5]

Prints the median of alternating rounds and the ratio (target: at most 3x); also the time of the
result's summaries (bottlenecks and fan charts, from a 4,000-draw subsample) and peak memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import numpy as np

from autosafety.timeline import default_bridge, simulate
from autosafety.timeline._simulate import CHUNK


def deviates(draws: int, seed: int) -> None:
    """The random numbers one run draws, chunk by chunk: per draw and (area, task) a normal for the
    duration and, for the task share's gamma, a normal and two uniforms (Marsaglia and Tsang's
    candidate, its acceptance test and the step to shapes below 1); a normal for each uncertain
    trend and bridge constant, plus the growth mode."""
    uncertain = sum(q.uncertain for q in default_bridge().parameters.values()) + 5
    for i, done in enumerate(range(0, draws, CHUNK)):
        n = min(CHUNK, draws - done)
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
        rng.standard_normal((n, 10, 9))
        rng.standard_normal((n, 10, 9))
        rng.random((n, 10, 9))
        rng.random((n, 10, 9))
        rng.standard_normal((uncertain, n))
        rng.choice(3, size=n, p=[0.6, 0.25, 0.15])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    simulate("wehner-2026", draws=2_000)   # warm up: imports, data files
    ours, peer, ours_cpu, peer_cpu = [], [], [], []
    for r in range(args.rounds):
        t, c = time.perf_counter(), time.process_time()
        deviates(args.draws, r)
        peer.append(time.perf_counter() - t)
        peer_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        res = simulate("wehner-2026", draws=args.draws, seed=r)
        ours.append(time.perf_counter() - t)
        ours_cpu.append(time.process_time() - c)
    t = time.perf_counter()
    res.to_dict()
    summary = time.perf_counter() - t
    med_ours, med_peer = statistics.median(ours), statistics.median(peer)
    print(f"timeline, wehner-2026 via the bridge, {args.draws:,} draws, {args.rounds} alternating rounds")
    print(f"  simulate (dates, P(A before B), categories): median {med_ours:.3f} s  "
          f"(rounds {', '.join(f'{x:.3f}' for x in ours)})")
    print(f"  numpy drawing the same deviates:             median {med_peer:.3f} s  "
          f"(rounds {', '.join(f'{x:.3f}' for x in peer)})")
    print(f"  ratio simulate / deviates: {med_ours / med_peer:.2f}x wall (target <= 3x); "
          f"best rounds {min(ours) / min(peer):.2f}x")
    print(f"  CPU time (all threads): simulate {statistics.median(ours_cpu):.3f} s, deviates "
          f"{statistics.median(peer_cpu):.3f} s, ratio "
          f"{statistics.median(ours_cpu) / statistics.median(peer_cpu):.2f}x")
    print(f"  to_dict (bottlenecks, fan charts, CDFs from the tallies): {summary:.3f} s")
    print(f"  peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
