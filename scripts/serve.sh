#!/usr/bin/env bash
# The main job on a fresh machine: set up, then serve the interactive model on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/autosafety serve "$@"
