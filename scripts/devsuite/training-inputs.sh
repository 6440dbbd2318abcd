#!/usr/bin/env bash
# Makes each suite program's *training* input: the profile that GCC's -fprofile-use variants are built from must not
# come from the very input that is timed, or every pgo number is an upper bound (a project trains on its test command,
# not on its users' data). The training input is the recipe's WORKLOAD with its seeds changed (same generator, same
# size, other content), written to SUITE/NAME/train/ under the same file names as work/, and
# SUITE/NAME/training.json says where it is and whether it differs from the timed input:
#
#   {"schema": 1, "directory": "train", "distinct": true, "workload": "<the command>", "exit_code": 0}
#
# training-inputs.tsv names the command for programs whose workload has no seed (an interpreter's fixed script: its
# training script is in training/). Otherwise the seeds are changed where the command has them: `--seed N` (gen.py)
# and the last number of `$TOOLS/gen KIND ...` (gen.c's seed) get N+1000. A program with neither has no distinct
# training input: training.json says "distinct": false and the profile is trained on the timed input; the lab
# records which (the dataset's `profileInput`).
#
#   bash scripts/devsuite/training-inputs.sh [NAME...]     # all programs of the suite, or only these
#
# Idempotent (a stamp per program keyed by the command, the generators and the program's recipe hash); the program
# must already be in the suite (make-suite.sh). The baseline program (bin/) runs the training input once: it must
# exit as it does on the timed input, else the program gets no training input (reported).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SUITE="${DEVSUITE_DIR:-$REPO/.cache/devsuite}"
SRC="$SUITE/src"
PY=/usr/bin/python3
GEN="$HERE/gen.py"
WL="$HERE/workloads"
TOOLS="$SUITE/.tools"
TRAINING="$HERE/training"
export SUITE SRC PY GEN WL TOOLS TRAINING LC_ALL=C

log() { printf '[training-inputs %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
hash_of() { sha256sum | cut -c1-16; }

# The training command for a workload command: its seeds moved by 1000 (see the header).
derive() {
  "$PY" - "$1" <<'EOF'
import re, sys
cmd = sys.argv[1]
out = re.sub(r'--seed (\d+)', lambda m: '--seed %d' % (int(m.group(1)) + 1000), cmd)
out = re.sub(r'(\$TOOLS/gen [a-z0-9]+(?: \d+)*?) (\d+)(?=\s*>)', lambda m: '%s %d' % (m.group(1), int(m.group(2)) + 1000), out)
print(out)
EOF
}

# Runs the program's baseline build on its workload in the folder SUB (devsuite.py's own runner: wrapper, args,
# environment; standard input from SUB's copy when it came from the workload folder) and prints its exit code.
exit_code_in() {  # $1 program folder, $2 workload folder name
  "$PY" - "$1" "$2" "$HERE" <<'EOF'
import os, sys
d, sub, here = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, here)
import devsuite
m = devsuite.load(d)
w = m["workload"]
if w.get("stdin"):
    parts = os.path.normpath(w["stdin"]).split(os.sep)
    if parts[0] == w["directory"]: parts[0] = sub
    w["stdin"] = os.path.join(*parts)
w["directory"] = sub
exe = os.path.normpath(os.path.join(d, m["link"].get("directory") or ".", m["link"]["output"]))
_, code, _ = devsuite.run_workload(d, m, exe)
print(code)
EOF
}

one() {
  local name="$1" file="$HERE/recipes/$1.sh" out="$SUITE/$1"
  [ -f "$out/suite.json" ] || { echo "not in the suite (run make-suite.sh $name first)"; return 1; }
  PKG=""; WORKLOAD=""; BUILD_ID=""
  # shellcheck disable=SC1090
  source "$file" || { echo "recipe does not parse"; return 1; }
  local tree="$SRC/${BUILD_ID:-$PKG}/tree"
  local train; train=$(awk -F'\t' -v n="$name" '$1 == n { print $2; exit }' "$HERE/training-inputs.tsv")
  [ -n "$train" ] || train=$(derive "$WORKLOAD")
  local distinct=true
  [ "$train" = "$WORKLOAD" ] && distinct=false
  local stamp; stamp=$( { echo "$train"; echo "$distinct"; cat "$GEN" "$HERE/gen.c" "$out/.recipe-hash" "$TRAINING"/* 2>/dev/null; } | hash_of)
  if [ -f "$out/training.json" ] && [ "$(cat "$out/.training-hash" 2>/dev/null)" = "$stamp" ]; then
    log "$name: up to date"; return 0
  fi
  rm -rf "$out/train" "$out/training.json" "$out/.training-hash"
  if [ "$distinct" = false ]; then
    printf '{"schema": 1, "directory": "work", "distinct": false, "workload": %s}\n' "$(printf '%s' "$train" | "$PY" -c 'import json,sys; print(json.dumps(sys.stdin.read()))')" > "$out/training.json"
    echo "$stamp" > "$out/.training-hash"
    log "$name: no seed in the workload; the profile trains on the timed input"
    return 0
  fi
  mkdir -p "$out/train"
  log "$name: generating the training input"
  ( cd "$out/train" && export TREE="$tree" && bash -euo pipefail -c "$train" ) >"$out/train.log" 2>&1 \
    || { rm -rf "$out/train"; echo "training input failed: $(tail -2 "$out/train.log" | tr '\n' ' ')"; return 1; }
  local want got
  want=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["expected"].get("exit_code", 0))' "$out/suite.json")
  got=$(exit_code_in "$out" train)
  [ "$got" = "$want" ] || { rm -rf "$out/train"; echo "the baseline program exits $got on the training input (expected $want)"; return 1; }
  printf '{"schema": 1, "directory": "train", "distinct": true, "workload": %s, "exit_code": %s}\n' \
    "$(printf '%s' "$train" | "$PY" -c 'import json,sys; print(json.dumps(sys.stdin.read()))')" "$got" > "$out/training.json"
  echo "$stamp" > "$out/.training-hash"
}

if [ $# -gt 0 ]; then names=("$@"); else
  names=(); for d in "$SUITE"/*/; do [ -f "$d/suite.json" ] && names+=("$(basename "$d")"); done
fi
ok=0; same=0; failed=()
for n in "${names[@]}"; do
  if [ ! -f "$HERE/recipes/$n.sh" ]; then failed+=("$n: no such recipe"); continue; fi
  why=$(one "$n" </dev/null)
  if [ $? -eq 0 ]; then
    if grep -q '"distinct": true' "$SUITE/$n/training.json" 2>/dev/null; then ok=$((ok + 1)); else same=$((same + 1)); fi
  else
    log "$n: FAILED: $(printf '%s' "$why" | tail -1)"; failed+=("$n: $(printf '%s' "$why" | tail -1)")
  fi
done
for f in "${failed[@]}"; do echo "  FAILED $f"; done
echo "training-inputs: $ok distinct, $same on the timed input, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
