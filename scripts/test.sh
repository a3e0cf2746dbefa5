#!/usr/bin/env bash
# Run the whole test suite on a fresh machine: set-up, lint, type-check, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
