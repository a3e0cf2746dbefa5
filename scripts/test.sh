#!/usr/bin/env bash
# Run the whole test suite on a fresh machine: set-up, lint, type-check, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# axe-core for the browser tests' accessibility scan: fetched from the npm registry, never shipped
AXE_VERSION=4.14.1
if [ ! -f .cache/axe-core-$AXE_VERSION/axe.min.js ]; then
  if ! command -v npm >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends npm
  fi
  mkdir -p .cache
  (cd .cache && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null \
     && rm -rf package "axe-core-$AXE_VERSION" && tar xzf "axe-core-$AXE_VERSION.tgz" \
     && mv package "axe-core-$AXE_VERSION" && rm "axe-core-$AXE_VERSION.tgz")
fi
.venv/bin/ruff check src tests benchmarks scripts/pgtemp.py
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
