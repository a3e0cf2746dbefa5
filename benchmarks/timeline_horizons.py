"""autosafety's horizon fit on METR's real runs: our horizons beside METR's published ones, and speed.

Run (nothing here is downloaded; give local copies):
    .venv/bin/python benchmarks/timeline_horizons.py --runs RUNS.jsonl --release-dates DATES.{csv,yaml} \
        [--published benchmark_results_1_1.yaml] [--bootstrap 1000] [--metr-src PATH/eval-analysis-public/src]

- ``--runs``: METR's ``runs.jsonl`` (github.com/METR/eval-analysis-public, reports/*/data/raw, or the
  older data/external/all_runs.jsonl); models with no success or no failure are dropped first (METR
  gives them a zero horizon, we cannot fit them).
- ``--published``: METR's ``benchmark_results*.yaml`` (metr.org/assets/...); matched to our models by
  name (case, punctuation and spaces ignored) or, failing that, by a unique release date.
- ``--metr-src``: METR's ``src`` folder; if its code imports here (pandas, scikit-learn, joblib), their
  point fits and bootstrap run on the same runs and the wall times are compared (ratio theirs/ours).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from autosafety.timeline._horizons import fit_horizons, read_release_dates, read_runs


def _fittable(path: Path) -> tuple[Path, list[str]]:
    """A copy of the runs without models that never (or always) succeed."""
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    wins: dict[str, list[int]] = {}
    for r in records:
        wins.setdefault(r.get("alias") or r.get("model"), []).append(int(r["score_binarized"]))
    drop = [m for m, s in wins.items() if sum(s) in (0, len(s))]
    out = Path(tempfile.mkdtemp()) / "runs.jsonl"
    keep = [r for r in records if (r.get("alias") or r.get("model")) not in drop]
    out.write_text("\n".join(json.dumps(r) for r in keep))
    return out, drop


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _published(path: Path | None) -> dict[str, dict]:
    if path is None:
        return {}
    import yaml

    return yaml.safe_load(path.read_text())["results"]


def _match(model: str, day: str | None, published: dict[str, dict]) -> str | None:
    keys = {_key(k): k for k in published}
    if _key(model) in keys:
        return keys[_key(model)]
    same_day = [k for k, v in published.items() if str(v.get("release_date")) == day]
    return same_day[0] if day and len(same_day) == 1 else None


def _metr(src: Path, runs_path: Path, dates_path: Path, n_bootstrap: int) -> tuple[float, dict]:
    """Time METR's own point fits and hierarchical bootstrap on the same runs (their defaults)."""
    stub = Path(tempfile.mkdtemp())  # their modules import dvc.api at the top; unused on this path
    (stub / "dvc").mkdir()
    (stub / "dvc" / "__init__.py").write_text("")
    (stub / "dvc" / "api.py").write_text("")
    paths = [str(src.resolve()), str(stub)]
    sys.path[:0] = paths
    os.environ["PYTHONPATH"] = os.pathsep.join([*paths, os.environ.get("PYTHONPATH", "")])  # joblib workers
    import pandas as pd
    from horizon.wrangle.bootstrap import compute_bootstrap_regressions
    from horizon.wrangle.logistic import run_logistic_regressions

    runs = pd.read_json(runs_path, lines=True, orient="records", dtype=False)
    if "invsqrt_task_weight" not in runs:
        from horizon.compute_task_weights import add_task_weight_columns

        runs = add_task_weight_columns(runs)
    params = {"weighting": "invsqrt_task_weight", "regularization": 0.1, "exclude": [],
              "success_percents": [50, 80], "confidence_level": 0.95}
    start = time.perf_counter()
    fits = run_logistic_regressions(runs, dates_path, params, include_empirical_rates=False)
    boot = compute_bootstrap_regressions(runs.rename(columns={"alias": "agent"}),
                                         ["task_family", "task_id", "run_id"], n_bootstrap, 0.1,
                                         "invsqrt_task_weight", [50, 80], "score_binarized")
    elapsed = time.perf_counter() - start
    ci = {a: np.nanquantile(boot[f"{a}_p50"], [0.025, 0.975]) if f"{a}_p50" in boot else (np.nan, np.nan)
          for a in fits["agent"]}
    return elapsed, {r["agent"]: (r["p50"], *ci[r["agent"]]) for _, r in fits.iterrows()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=Path, required=True)
    ap.add_argument("--release-dates", type=Path, required=True)
    ap.add_argument("--published", type=Path)
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--metr-src", type=Path)
    args = ap.parse_args()

    runs_path, dropped = _fittable(args.runs)
    runs = read_runs(runs_path)
    dates = read_release_dates(args.release_dates)
    dates = type(dates)(dates.source, {m: d for m, d in dates.dates.items() if m in runs.models},
                        {m: n for m, n in dates.lines.items() if m in runs.models})
    start = time.perf_counter()
    fit = fit_horizons(runs, dates, n_bootstrap=args.bootstrap, seed=args.seed)
    ours = time.perf_counter() - start
    published = _published(args.published)
    print(f"{len(runs)} runs, {len(runs.models)} models; "
          f"dropped (no success or no failure): {dropped or 'none'}")
    print(f"{'model':36s} {'released':10s} {'ours p50 [95% CI]':>26s} {'METR p50':>9s} "
          f"{'ours p80 [95% CI]':>24s} {'METR p80':>9s}")
    for row in sorted(fit.model_stats(), key=lambda r: r["release_date"] or "9999"):
        h50, h80 = row["horizons"]["0.5"], row["horizons"]["0.8"]
        key = _match(row["model"], row["release_date"], published)
        metr = published[key]["metrics"] if key else None
        m50 = f"{metr['p50_horizon_length']['estimate']:9.2f}" if metr else f"{'-':>9s}"
        m80 = f"{metr['p80_horizon_length']['estimate']:9.2f}" if metr else f"{'-':>9s}"
        print(f"{row['model'] + (' *' if row['frontier'] else ''):36s} {row['release_date'] or '-':10s} "
              f"{h50['minutes']:8.2f} [{h50['low']:7.2f}, {h50['high']:7.2f}] {m50} "
              f"{h80['minutes']:7.2f} [{h80['low']:6.2f}, {h80['high']:6.2f}] {m80}")
    if fit.trend:
        t = fit.trend
        print(f"frontier (*) doubling time: {t.doubling_days:.1f} days [{t.low:.1f}, {t.high:.1f}] "
              f"over {len(t.models)} models {min(t.release_dates)} to {max(t.release_dates)}")
    print(f"ours: {ours:.2f} s for the fits and {args.bootstrap} bootstrap samples")
    if args.metr_src:
        try:
            theirs, their_fits = _metr(args.metr_src, runs_path, args.release_dates, args.bootstrap)
        except Exception as e:  # their pipeline needs pandas, scikit-learn and joblib
            print(f"METR's pipeline could not run here: {type(e).__name__}: {e}")
            return
        print(f"METR's code on the same runs: {theirs:.2f} s; ratio theirs/ours {theirs / ours:.1f}x")
        print(f"{'model':36s} {'ours p50 [95% CI]':>28s} {'METR code p50 [95% CI]':>28s}")
        for m, name in enumerate(runs.models):
            if name in their_fits:
                p50, lo, hi = their_fits[name]
                print(f"{name:36s} {fit.horizon[m, 0]:10.4g} [{fit.low[m, 0]:7.3g}, {fit.high[m, 0]:7.3g}] "
                      f"{p50:10.4g} [{lo:7.3g}, {hi:7.3g}]")


if __name__ == "__main__":
    main()
