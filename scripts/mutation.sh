#!/usr/bin/env bash
# Mutation testing of the engine with mutmut (slow: not part of CI's every run).
#
#   scripts/mutation.sh                 # every part below (model and analysis twice: whole, core)
#   scripts/mutation.sh model analysis  # some parts
#   JOBS=2 scripts/mutation.sh compare  # mutmut's parallel workers (default 1)
#
# Each part is mutated in its own fresh clone of the committed tree (your working copy is never
# touched), against the tests that mirror it, and the script prints the mutation score per part:
# killed / (killed + survived + timeout + suspicious), with the surviving mutants listed. Mutants
# no test reaches count as survivors ("no tests"). Run it niced on a shared machine:
#   nice -n 19 scripts/mutation.sh analysis
# Survivors and why each is harmless are recorded in docs/testing.md.
set -euo pipefail

ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
PY=${PYTHON:-$ROOT/.venv/bin/python}
JOBS=${JOBS:-1}
KEEP=${KEEP:-}  # set to keep the clones (to inspect mutants with `mutmut show NAME`)

# part | files or folders to mutate (comma-separated) | tests to run (space-separated)
PARTS=(
  # whole folders: every test file that calls the folder's code in-process (mutmut runs, per
  # mutant, only the tests that reached the mutated function)
  "model|src/autosafety/model/|tests/model tests/cli tests/elicit"
  "analysis|src/autosafety/analysis/|tests/analysis tests/cli"
  # the numerical cores alone (faster: minutes instead of most of an hour on 2 shared cores)
  "model-core|src/autosafety/model/_core.py|tests/model tests/cli/test_model_cli.py"
  "analysis-core|src/autosafety/analysis/_flips.py,src/autosafety/analysis/_implied.py,src/autosafety/analysis/_montecarlo.py,src/autosafety/analysis/_sampling.py,src/autosafety/analysis/_simplex.py|tests/analysis"
  "agreement|src/autosafety/elicit/_agreement.py|tests/elicit/test_agreement.py"
  "compare|src/autosafety/web/_compare.py|tests/web/test_api.py"
  "timeline|src/autosafety/timeline/|tests/timeline"
  "levers|src/autosafety/levers/|tests/levers"
  "cooke|src/autosafety/elicit/_cooke.py|tests/elicit/test_cooke.py"
)

wanted=("$@")
summary=()
for entry in "${PARTS[@]}"; do
  IFS='|' read -r name paths tests <<<"$entry"
  if ((${#wanted[@]})) && [[ ! " ${wanted[*]} " == *" $name "* ]]; then continue; fi
  first=${paths%%,*}
  if [[ ! -e "$ROOT/$first" ]]; then
    summary+=("$(printf '%-10s not in this tree (%s)' "$name" "$first")")
    continue
  fi
  work=$(mktemp -d "${TMPDIR:-/tmp}/mutation-$name.XXXX")
  git clone -q "$ROOT" "$work/repo"
  cd "$work/repo"
  # mutmut reads its settings from pyproject.toml: point it at this part and its tests only
  # (tests that cap a child process's memory are left out: mutmut's tracing adds to the peak; the
  # docs' examples run every command in a child process, which mutmut cannot trace)
  to_mutate=$(printf '"%s",' ${paths//,/ })
  test_args=$(printf '"%s",' $tests)
  cat >>pyproject.toml <<EOF

[tool.mutmut]
paths_to_mutate = [${to_mutate%,}]
tests_dir = [${test_args%,}]
pytest_add_cli_args = ["-q", "-p", "no:cacheprovider", "-x", "-k", "not memory_capped and not docs_examples"]
pytest_add_cli_args_test_selection = [${test_args%,}]
also_copy = ["tests", "benchmarks", "docs", "examples", "scripts", "src/autosafety", "README.md"]
EOF
  echo "== $name: mutating $paths against $tests" >&2
  "$PY" -m mutmut run --max-children "$JOBS" >"$work/run.log" 2>&1 || true
  "$PY" -m mutmut results --all true >"$work/results.txt" 2>/dev/null || true
  read -r killed survived timeout suspicious notests skipped < <("$PY" - "$work/results.txt" <<'PY'
import collections, sys
counts = collections.Counter(line.rsplit(":", 1)[1].strip() for line in open(sys.argv[1])
                             if ":" in line and line.startswith(" "))
print(counts["killed"], counts["survived"], counts["timeout"], counts["suspicious"],
      counts["no tests"], counts["skipped"])
PY
  )
  total=$((killed + survived + timeout + suspicious + notests))
  score=$("$PY" -c "print(f'{100 * $killed / max($total, 1):.1f}%')")
  summary+=("$(printf '%-10s %6s  killed %d of %d (survived %d, no tests %d, timeout %d, suspicious %d)' \
    "$name" "$score" "$killed" "$total" "$survived" "$notests" "$timeout" "$suspicious")")
  grep -E ': (survived|no tests)$' "$work/results.txt" | sed "s/^/  $name /" || true
  cd "$ROOT"
  [[ -n "$KEEP" ]] && echo "kept $work" >&2 || rm -rf "$work"
done
echo
echo "mutation score per part (killed / mutants)"
printf '%s\n' "${summary[@]}"
