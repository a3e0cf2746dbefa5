"""AI 2027's time-horizon-extension forecast: their script against ours, same parameters, same run.

Run: .venv/bin/python benchmarks/timeline_ai2027.py --peer DIR [--python PEER_PYTHON] [--sims 5000]
     (or set AI2027_REPO=DIR and AI2027_PYTHON=PEER_PYTHON)

DIR is a checkout of github.com/uvafan/timelines-takeoff-ai-2027; PEER_PYTHON an interpreter with what
their script imports (numpy, scipy, matplotlib, pyyaml, tqdm). Prints, for one forecaster:
- their script as its ``__main__`` runs it (``run_simple_sc_simulation``: samples, the per-draw one-day
  loop with trajectories, the two figures, written to a temporary directory), in a subprocess: wall
  time, the part of it spent in their sampler and simulation, SC-date percentiles 10/50/90 and the share
  at their 2050 cap;
- ours (``sample_superhuman_coder_dates``) with parameters taken from their parameter file: best of
  ``--repeat`` wall times (imports excluded), the same percentiles, the share past 2050;
- whether our built-in preset equals their file, and the wall-time ratios.
The two samples use different random generators, so percentiles differ by Monte Carlo error (for 5,000
draws, one standard deviation is about 0.017, 0.06 and 0.4 years at the 10th, 50th and 90th).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

_THEIRS = r"""
import contextlib, io, json, os, sys, time
import numpy as np
repo, forecaster, sims, seed, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
sys.path.insert(0, os.path.join(repo, "timelines"))
import matplotlib
matplotlib.use("Agg")
import yaml
import simple_forecasting_timelines as s
config = yaml.safe_load(open(os.path.join(repo, "timelines", "simple_params.yaml")))
config["simulation"]["n_sims"] = sims
config["forecasters"] = {forecaster: config["forecasters"][forecaster]}
path = os.path.join(out, "params.yaml")
yaml.safe_dump(config, open(path, "w"))
os.chdir(out)  # their figures go to ./figures
spent = {"simulation": 0.0}
def timed(fn):
    def run(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            spent["simulation"] += time.perf_counter() - t
    run.__wrapped__ = fn
    return run
s.get_distribution_samples = timed(s.get_distribution_samples)
s.calculate_sc_arrival_year_with_trajectories = timed(s.calculate_sc_arrival_year_with_trajectories)
np.random.seed(seed)
t = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    _, results = s.run_simple_sc_simulation(path)
wall = time.perf_counter() - t
dates = np.asarray(next(iter(results.values())))
sim, fc = config["simulation"], config["forecasters"][forecaster]
np.random.seed(seed)  # their lighter loop, same draws: calculate_sc_arrival_year keeps no trajectories
t = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    samples = s.get_distribution_samples.__wrapped__(fc, sims)
    light = s.calculate_sc_arrival_year(samples, sim["current_horizon"], sim["dt"],
                                        sim["compute_decrease_date"], sim["human_alg_progress_decrease_date"],
                                        sim["max_simulation_years"])
light_wall = time.perf_counter() - t
print(json.dumps({"wall": wall, "simulation": spent["simulation"], "light": light_wall,
                  "light_same": bool(np.array_equal(light, dates)),
                  "percentiles": np.percentile(dates, [10, 50, 90]).tolist(),
                  "capped": float(np.mean(dates >= 2050)), "n": int(dates.size)}))
"""


def _how_to_get(reason: str) -> None:
    print(f"{reason}\nThis benchmark runs the AI 2027 timelines code beside ours. To get it:\n"
          "  - an agent here: the fetch tool on github:uvafan/timelines-takeoff-ai-2027, then\n"
          "    git --git-dir=<the returned dir> archive HEAD | tar -x -C /work/peers/ai2027\n"
          "  - anyone: git clone https://github.com/uvafan/timelines-takeoff-ai-2027\n"
          "  - an interpreter for it: python3 -m venv /work/peers/venv &&\n"
          "    /work/peers/venv/bin/pip install numpy scipy matplotlib pyyaml tqdm\n"
          "then: benchmarks/timeline_ai2027.py --peer DIR --python /work/peers/venv/bin/python\n"
          "Nothing was measured.")


def _ours_from_their_file(repo: Path, forecaster: str):  # -> tuple[Ai2027Params, Ai2027Params]
    import yaml

    from autosafety.timeline._ai2027 import load_ai2027_params

    preset = load_ai2027_params()
    config = yaml.safe_load((repo / "timelines" / "simple_params.yaml").read_text())
    dist, sim = config["forecasters"][forecaster]["distributions"], config["simulation"]
    theirs = dataclasses.replace(
        preset,
        sc_horizon_months=tuple(dist["h_SC_ci"]), doubling_time_months=tuple(dist["T_t_ci"]),
        cost_speed_months=tuple(dist["cost_speed_ci"]),
        announcement_delay_months=tuple(dist["announcement_delay_ci"]),
        present_speedup=tuple(dist["present_prog_multiplier_ci"]),
        sc_speedup=tuple(dist["SC_prog_multiplier_ci"]),
        p_superexponential=dist["p_superexponential"], p_subexponential=dist["p_subexponential"],
        superexponential_decay=dist["se_doubling_decay_fraction"],
        subexponential_growth=dist["sub_doubling_growth_fraction"],
        current_horizon_minutes=sim["current_horizon"], compute_slowdown_year=sim["compute_decrease_date"],
        human_slowdown_year=sim["human_alg_progress_decrease_date"],
        origin=f"{repo}/timelines/simple_params.yaml forecasters.{forecaster}")
    return preset, theirs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--peer", default=os.environ.get("AI2027_REPO"),
                    help="checkout of uvafan/timelines-takeoff-ai-2027 (env AI2027_REPO)")
    ap.add_argument("--python", default=os.environ.get("AI2027_PYTHON", sys.executable),
                    help="interpreter for their script (env AI2027_PYTHON)")
    ap.add_argument("--forecaster", default="eli")
    ap.add_argument("--sims", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    repo = Path(args.peer) if args.peer else None
    if repo is None or not (repo / "timelines" / "simple_forecasting_timelines.py").is_file():
        _how_to_get(f"no AI 2027 checkout at {repo}" if repo else "no --peer DIR or AI2027_REPO given.")
        return
    probe = subprocess.run([args.python, "-c", "import numpy, scipy, matplotlib, yaml, tqdm"],
                           capture_output=True, text=True)
    if probe.returncode:
        _how_to_get(f"{args.python} cannot run their script: {probe.stderr.strip().splitlines()[-1]}")
        return

    from autosafety.timeline._ai2027 import sample_superhuman_coder_dates

    preset, params = _ours_from_their_file(repo, args.forecaster)
    same = dataclasses.replace(params, origin=preset.origin) == preset
    sample_superhuman_coder_dates(params, draws=1000, rng=np.random.default_rng(0))  # warm up
    times, samples = [], []
    for i in range(args.repeat):
        rng = np.random.default_rng(args.seed + i)
        start = time.perf_counter()
        samples.append(sample_superhuman_coder_dates(params, draws=args.sims, rng=rng))
        times.append(time.perf_counter() - start)
    first = samples[0]
    ours_time = min(times)
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run([args.python, "-c", _THEIRS, str(repo), args.forecaster, str(args.sims),
                              str(args.seed), out], capture_output=True, text=True)
    if run.returncode:
        print(f"their script failed:\n{run.stderr[-2000:]}")
        return
    theirs = json.loads(run.stdout.strip().splitlines()[-1])
    q_ours = np.percentile(first, [10, 50, 90])
    print(f"AI 2027 time-horizon extension, forecaster {args.forecaster}, {args.sims:,} simulations, "
          f"seed {args.seed}; machine load {os.getloadavg()[0]:.2f}")
    print(f"parameters: ours taken from {params.origin}; built-in preset identical: {same}")
    print(f"{'SC date':<28}{'theirs':>10}{'ours':>10}{'ours - theirs':>15}")
    for q, a, b in zip((10, 50, 90), theirs["percentiles"], q_ours):
        print(f"{f'{q}th percentile (year)':<28}{a:>10.3f}{b:>10.3f}{b - a:>+15.3f}")
    print(f"{'share after 2050':<28}{theirs['capped']:>10.4f}{np.mean(np.isinf(first)):>10.4f}")
    print(f"their script end to end (sampling, per-draw loop, trajectories, 2 figures): "
          f"{theirs['wall']:.2f} s, of which sampler + simulation {theirs['simulation']:.2f} s")
    print(f"their sampler + lighter loop without trajectories (calculate_sc_arrival_year): "
          f"{theirs['light']:.2f} s, same dates as the full run: {theirs['light_same']}")
    print(f"ours (sampler + exact dates, best of {args.repeat}): {ours_time * 1e3:.2f} ms")
    print(f"ratio: ours is {theirs['wall'] / ours_time:,.0f}x faster than their script end to end, "
          f"{theirs['simulation'] / ours_time:,.0f}x than their sampler + simulation, "
          f"{theirs['light'] / ours_time:,.0f}x than their lighter loop")


if __name__ == "__main__":
    main()
