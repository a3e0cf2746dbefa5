"""Speed of Cooke's classical model (issue 11): pooling a 500-rater campaign (20 items, 10 of them
seed items, 5/50/95% quantiles; target < 1 s with the cutoff optimised over all 500 calibration
scores), side by side with ANDURYL (GPL, dev extra only) on the same files in the same run, with
their largest relative difference. Run: `nice .venv/bin/python benchmarks/cooke_speed.py`."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from autosafety.elicit._cooke import cooke, expert_judgements
from autosafety.elicit._cooke_io import read_excalibur, write_excalibur


def campaign(raters: int, items: int, seeds: int, rng: np.random.Generator):
    z = np.array([-1.6449, 0.0, 1.6449])
    truth = rng.uniform(1, 100, items)
    bias = rng.normal(0, 0.3, raters)[:, None]
    spread = rng.uniform(0.05, 1.0, raters)[:, None, None]
    centre = truth[None, :] * np.exp(bias + rng.normal(0, 0.3, (raters, items)))
    values = np.round(centre[:, :, None] * np.exp(spread * z), 4)
    values[1:][rng.random((raters - 1, items)) < 0.05] = np.nan  # some did not answer
    reals = truth.copy()
    reals[seeds:] = np.nan
    scales = ["log" if i % 4 == 0 else "uni" for i in range(items)]
    return expert_judgements([f"r{k}" for k in range(raters)], [f"item {i}" for i in range(items)],
                             [0.05, 0.5, 0.95], values, reals, scales)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--raters", type=int, default=500)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    built = campaign(args.raters, args.items, args.seeds, np.random.default_rng(0))
    tmp = Path(tempfile.mkdtemp())
    dtt, rls = tmp / "campaign.dtt", tmp / "campaign.rls"
    write_excalibur(built, dtt, rls)
    j = read_excalibur(dtt, rls)
    print(f"{args.raters} raters x {args.items} items ({args.seeds} seed), global weights, "
          "alpha optimised")
    anduryl = None
    try:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import anduryl  # type: ignore[import-not-found]
        if not hasattr(np, "in1d"):
            np.in1d = np.isin  # removed in numpy 2.4, still used by ANDURYL 1.2.2
    except ImportError:
        print("ANDURYL not installed (pip install -e '.[dev]'): timing autosafety only")

    def ours():  # reading the files included, as for ANDURYL
        return cooke(read_excalibur(dtt, rls), weighting="global")

    def theirs():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p = anduryl.Project()
            p.io.load_excalibur(str(dtt), str(rls))
            p.calculate_decision_maker(weight_type="global", overshoot=0.1, exp_id="DM", alpha=None)
        return p

    ours()
    t_ours, t_theirs = [], []
    for _ in range(args.rounds):  # interleaved, medians: the machine is shared
        t = time.perf_counter()
        result = ours()
        t_ours.append(time.perf_counter() - t)
        if anduryl is not None:
            t = time.perf_counter()
            project = theirs()
            t_theirs.append(time.perf_counter() - t)
    t = time.perf_counter()
    cooke(j, weighting="global")
    t_pool = time.perf_counter() - t
    m_ours = statistics.median(t_ours)
    print(f"autosafety cooke:   median {m_ours:7.3f} s  (best {min(t_ours):.3f}, files read included; "
          f"pooling alone {t_pool:.3f} s)   target < 1 s: {'ok' if m_ours < 1 else 'MISSED'}")
    if anduryl is not None:
        m_theirs = statistics.median(t_theirs)
        ex = project.experts
        dm = ex.ids.index("DM")
        n = args.raters
        diff = max(
            np.nanmax(np.abs(result.calibration / ex.calibration[:n] - 1)),
            np.nanmax(np.abs(result.information / ex.info_real[:n] - 1)),
            abs(result.dm_calibration / ex.calibration[dm] - 1),
            np.nanmax(np.abs(result.dm_quantiles / project.assessments.array[dm].T - 1)))
        print(f"ANDURYL 1.2.2:      median {m_theirs:7.3f} s  (best {min(t_theirs):.3f}, files read "
              f"included)   ratio {m_theirs / m_ours:.1f}x")
        print(f"alpha {result.alpha:.4g} (ANDURYL {project.main_results.alpha_opt:.4g}); largest "
              f"relative difference {diff:.1e}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
