"""Loading a model file just under the 20 MB cap (issue 15, item 7): must take under 20 s.

Run: .venv/bin/python benchmarks/model_large_file.py [--mb 19] [--format yaml|json|csv]
Writes a block-style YAML (or JSON / CSV) model of about ``--mb`` MB to a temporary directory
(ratings with a rationale and provenance, as elicitation writes them), then times
`read_model_file` in this process and `autosafety validate` as a fresh process, with peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = str(Path(sys.executable).with_name("autosafety"))


def big_model(target_bytes: int) -> dict:
    """A model whose YAML dump is about ``target_bytes``: 40 areas x 10 factors x N raters."""
    n_areas, n_factors = 40, 10
    per_rating = 200  # bytes of one block-style YAML rating below, measured
    n_raters = max(1, target_bytes // (per_rating * n_areas * n_factors))
    ratings = [{"area": f"area{a}", "factor": f"f{f}", "rater": f"r{r}",
                "value": float(1 + (a * 7 + f * 3 + r) % 10),
                "rationale": "because the feedback loop is fast",
                "provenance": {"model": "mockllm/model", "sample": r}}
               for r in range(n_raters) for a in range(n_areas) for f in range(n_factors)]
    return {"id": "big", "factors": [{"id": f"f{f}", "weight": 1 + f} for f in range(n_factors)],
            "areas": [{"id": f"area{a}", "category": "safety" if a % 2 else "capabilities"}
                      for a in range(n_areas)],
            "raters": [{"id": f"r{r}", "kind": "llm"} for r in range(n_raters)],
            "ratings": ratings}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=19.0)
    parser.add_argument("--format", choices=["yaml", "json", "csv"], default="yaml")
    args = parser.parse_args()
    from autosafety.model import model_from_data, read_model_file
    from autosafety.model._files import dump_model

    data = big_model(int(args.mb * 1e6))
    text = dump_model(model_from_data(data), args.format)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"big.{args.format}"
        path.write_text(text, encoding="utf-8")
        size = path.stat().st_size
        t0 = time.perf_counter()
        model = read_model_file(path)
        in_process = time.perf_counter() - t0
        t0 = time.perf_counter()
        run = subprocess.run([CLI, "validate", str(path)], capture_output=True, text=True)
        cli = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{args.format}: {size / 1e6:.1f} MB, {len(model.spec.ratings):,} ratings; "
          f"read_model_file {in_process:.1f} s; `autosafety validate` {cli:.1f} s "
          f"(exit {run.returncode}), peak RSS {peak:.0f} MB")
    print(json.dumps({"format": args.format, "mb": size / 1e6, "in_process_s": in_process,
                      "cli_s": cli, "cli_peak_mb": peak, "exit": run.returncode}))
    if run.returncode != 0:
        print(run.stderr, file=sys.stderr)


if __name__ == "__main__":
    main()
