#!/usr/bin/env bash
# Runs every test of the solution (unit, corpus round trip, end to end) after the idempotent
# machine set-up. Ends with the plain summary line "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || exit 1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test CompilerLLM.Build.sln -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, Skipped: S, Total: T" line per test project.
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" \
  | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # build error or crashed test host
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
