"""Check that every quote in the schemes data is verbatim in the seed (whitespace-normalised).

Run: .venv/bin/python benchmarks/schemes_seed_quotes.py [SEED]
(default SEED: ../shared/seeds/003_dd59011718cf0130.txt). Prints the count checked and any misses;
exits 1 if a quote is not in the seed.
"""

from __future__ import annotations

import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_dd59011718cf0130.txt"


def quotes(data: Any, path: str = "") -> list[tuple[str, str]]:
    """(field path, text) of every `quote`, `*_quote` and `condition` value."""
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            here = f"{path}.{k}" if path else str(k)
            if (str(k).endswith("quote") or k == "condition") and isinstance(v, str) and v:
                out.append((here, v))
            out += quotes(v, here)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += quotes(v, f"{path}[{i}]")
    return out


def main() -> int:
    seed_path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    seed = re.sub(r"\s+", " ", seed_path.read_text(encoding="utf-8"))
    folder = resources.files("autosafety.schemes").joinpath("data")
    checked, missing = 0, []
    for name in ("definitions.yaml", "worries.yaml", "experiment_types.yaml", "alternatives.yaml"):
        for where, text in quotes(yaml.safe_load(folder.joinpath(name).read_text("utf-8"))):
            checked += 1
            if re.sub(r"\s+", " ", text).strip() not in seed:
                missing.append(f"{name}: {where}")
    print(f"quotes checked against {seed_path.name}: {checked}; not verbatim: {len(missing)}")
    for m in missing:
        print(f"  {m}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
