#!/usr/bin/env bash
# Rebuilds every program of the suite from its recorded unit commands with plain gcc at -O2 and at
# -O3 -funroll-loops (each unit: `gcc -c ARGS EXTRA SOURCE`, then the recorded link + EXTRA), runs the
# workload and compares stdout and the exit code with the expected ones. One line per program, then
#   verify: N programs, K ok, F failed (levels: ...)
#
#   bash scripts/devsuite/verify-suite.sh [NAME...]
# Environment: DEVSUITE_DIR (default <repo>/.cache/devsuite), DEVSUITE_JOBS (parallel compiles, default 2),
# DEVSUITE_LEVELS (default "-O2|-O3 -funroll-loops": levels separated by |).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SUITE="${DEVSUITE_DIR:-$REPO/.cache/devsuite}"
export JOBS="${DEVSUITE_JOBS:-2}" LC_ALL=C
IFS='|' read -r -a levels <<< "${DEVSUITE_LEVELS:--O2|-O3 -funroll-loops}"
args=()
for l in "${levels[@]}"; do args+=("--level=$l"); done
exec /usr/bin/python3 "$HERE/verify.py" --suite "$SUITE" "${args[@]}" -- "$@"
