#!/usr/bin/env bash
# CPU of one unit's compile: plain `gcc -c` against the launcher with a cold cache (steady state: the compiler probe
# and the `as` plan already remembered, the scoring server running, as for every unit of a build but the first) and
# with a warm one (the direct shortcut), in interleaved rounds. CPU is `perf stat -e task-clock` of the command and
# every process it waits for; the scoring server is a separate process and is not counted (about 0.3 ms a unit).
#
#   bash scripts/launcher-unit-cost.sh
#   ROUNDS=21 SOURCE=samples/wordfreq/src/text.c FLAGS="-O2 -MMD" bash scripts/launcher-unit-cost.sh
#   OTHER=/path/to/another/compilerllm-cc bash scripts/launcher-unit-cost.sh    # adds cold/warm rows for that one
#
# SOURCE (default samples/wordfreq/src/table.c, compiled in its own directory), FLAGS (default -O2; with -MMD or -MD
# the dependency file goes beside the object), ROUNDS (default 11), LAUNCHER (default: the packed native launcher,
# packed when missing). Prints one row per mode: median [min, max] ms and the median of per-round ratios to plain.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source_file=$(realpath "${SOURCE:-samples/wordfreq/src/table.c}")
read -r -a flags <<< "${FLAGS:--O2}"
rounds=${ROUNDS:-11}
launcher=${LAUNCHER:-$root/artifacts/tools/compilerllm-cc}
[ -x "$launcher" ] || launcher=$(bash scripts/pack-launcher.sh)
work=$root/.cache/unit-cost
rm -rf "$work" && mkdir -p "$work"
command -v perf >/dev/null || { echo "launcher-unit-cost: needs perf (apt-get install linux-perf)" >&2; exit 1; }

export COMPILERLLM_LOG_FILE="$work/launcher.log"
cd "$(dirname "$source_file")"
src=$(basename "$source_file")

cpu_ms() { perf stat -x, -e task-clock -- "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ { print $1 }'; }

launchers=("main=$launcher")
[ -n "${OTHER:-}" ] && launchers+=("other=$OTHER")
modes=(plain)
for entry in "${launchers[@]}"; do
  name=${entry%%=*} path=${entry#*=}
  # A server per launcher: a server exits when a launcher of another engine connects to it.
  mkdir -m 700 -p "$work/server-$name"
  # Warm-up: the compiler probe and the `as` plan remembered (seed, copied into every cold cache), the server started,
  # the warm cache filled (a second run stores the shortcut of a unit first found by its assembly).
  COMPILERLLM_SERVER_DIR="$work/server-$name" COMPILERLLM_CACHE_DIR="$work/seed-$name" "$path" gcc "${flags[@]}" -c "$src" -o "$work/seed-$name.o" 2>/dev/null
  rm -rf "$work/seed-$name"/[0-9a-f]
  for _ in 1 2; do COMPILERLLM_SERVER_DIR="$work/server-$name" COMPILERLLM_CACHE_DIR="$work/warm-$name" "$path" gcc "${flags[@]}" -c "$src" -o "$work/warm-$name.o"; done
  modes+=("cold-$name" "warm-$name")
done

: > "$work/samples"
for ((round = 1; round <= rounds; round++)); do
  # Rotate the order each round so that no mode always runs right after another.
  for ((k = 0; k < ${#modes[@]}; k++)); do
    mode=${modes[$(((k + round) % ${#modes[@]}))]}
    case $mode in
      plain) ms=$(cpu_ms gcc "${flags[@]}" -c "$src" -o "$work/plain.o") ;;
      cold-*)
        name=${mode#cold-} path=$(printf '%s\n' "${launchers[@]}" | sed -n "s/^$name=//p")
        rm -rf "$work/cold-$name" && mkdir -p "$work/cold-$name" && cp -r "$work/seed-$name/compilers" "$work/cold-$name/"
        ms=$(COMPILERLLM_SERVER_DIR="$work/server-$name" COMPILERLLM_CACHE_DIR="$work/cold-$name" cpu_ms "$path" gcc "${flags[@]}" -c "$src" -o "$work/cold-$name.o") ;;
      warm-*)
        name=${mode#warm-} path=$(printf '%s\n' "${launchers[@]}" | sed -n "s/^$name=//p")
        ms=$(COMPILERLLM_SERVER_DIR="$work/server-$name" COMPILERLLM_CACHE_DIR="$work/warm-$name" cpu_ms "$path" gcc "${flags[@]}" -c "$src" -o "$work/warm-$name.o") ;;
    esac
    echo "$round $mode $ms" >> "$work/samples"
  done
done
for entry in "${launchers[@]}"; do
  COMPILERLLM_SERVER_DIR="$work/server-${entry%%=*}" "${entry#*=}" --stop-server >/dev/null 2>&1 || true
done

python3 - "$work/samples" "$src ${flags[*]}" "$rounds" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1])]
by = {}
for r, mode, ms in rows:
    by.setdefault(mode, {})[int(r)] = float(ms)
plain = by["plain"]
print(f"unit cost: {sys.argv[2]}, {sys.argv[3]} interleaved rounds, load {sys.argv[4]} at the end (CPU ms, perf task-clock)")
print(f"{'mode':<14} {'median':>8} {'min':>8} {'max':>8}  ratio to plain (median of rounds)")
for mode, runs in by.items():
    v = list(runs.values())
    ratio = st.median(runs[r] / plain[r] for r in runs if r in plain)
    print(f"{mode:<14} {st.median(v):8.1f} {min(v):8.1f} {max(v):8.1f}  {ratio:.2f}x")
PY
