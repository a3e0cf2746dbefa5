#!/usr/bin/env bash
# The main job on a fresh machine: set up, then score the published model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/autosafety score wehner-2026 "$@"
