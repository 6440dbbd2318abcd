#!/usr/bin/env bash
# Build cost of each mode of the package on the samples: clean C builds (restore excluded), every mode once per
# round in an order shuffled per round, ROUNDS rounds (default 5). Modes (MODES, default all of them):
#   off       CompilerLlmOptimize=false: a plain GCC build (the reference of every ratio)
#   rewrites  the optimizer on with CompilerLlmVariants=base: the project's flags, the policy's rewrites, test replay
#   variants  the package's default: the shipped variant model (with the test command as training workload, the
#             profile build), then the rewrites and test replay
#   size      CompilerLlmObjective=size: -Os/-Oz/the project's flags compiled per unit, the smallest kept, rewrites, replay
#   tune      CompilerLlmTune=true on top of variants: measured with the benchmark command (only on TUNE_SAMPLES,
#             default codec, whose test command runs its --bench mode and so serves as the benchmark)
#   no-replay the optimizer on without test replay (-p:CompilerLlmTestCommand=); not in the default MODES
# Every build starts from an empty intermediate folder and an empty content cache of its own (a cold first build:
# nothing is taken from units or tune decisions cached by an earlier build). Prints, per sample and mode, the median
# wall time of `dotnet build`, the median of the per-round ratios to "off" (same round) with their range, and the
# median time of the package's own targets; and the one-minute load average before every round and at the end.
#
#   bash scripts/bench-build.sh [sample…]        (default: codec imagekit)
# Environment: ROUNDS, MODES, TUNE_SAMPLES, SKIP_PACK=1 (reuse artifacts/feed), OUT=FILE (also write the table there).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=${ROUNDS:-5}
read -r -a modes <<<"${MODES:-off rewrites variants size tune}"
tune_samples=" ${TUNE_SAMPLES:-codec} "
samples=("$@")
[ ${#samples[@]} -gt 0 ] || samples=(codec imagekit)
export NUGET_PACKAGES="$root/artifacts/sample-packages" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

# Pack (unless SKIP_PACK=1) and restore each sample once, through build-sample.sh with the optimizer off.
for s in "${samples[@]}"; do
  CONFIGURATION=Release bash scripts/build-sample.sh "$s" -p:CompilerLlmOptimize=false >/dev/null
  export SKIP_PACK=1
done
version=$(ls artifacts/feed | sed -n 's/^CompilerLLM\.Build\.\(.*\)\.nupkg$/\1/p' | sort -V | tail -1)

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
load() { cut -d' ' -f1 /proc/loadavg; }

props_of() {  # $1: mode
  case "$1" in
    off) echo "-p:CompilerLlmOptimize=false" ;;
    rewrites) echo "-p:CompilerLlmOptimize=true -p:CompilerLlmVariants=base" ;;
    variants) echo "-p:CompilerLlmOptimize=true -p:CompilerLlmVariants=default" ;;
    size) echo "-p:CompilerLlmOptimize=true -p:CompilerLlmObjective=size" ;;
    tune) echo "-p:CompilerLlmOptimize=true -p:CompilerLlmVariants=default -p:CompilerLlmTune=true" ;;
    no-replay) echo "-p:CompilerLlmOptimize=true -p:CompilerLlmTestCommand=" ;;
    *) echo "bench-build: unknown mode '$1' (off rewrites variants size tune no-replay)" >&2; exit 2 ;;
  esac
}

# One clean build; prints "wall_seconds targets_seconds".
build_once() {
  local s=$1 mode=$2 log cache
  local -a props
  read -r -a props <<<"$(props_of "$mode")"
  log=$(mktemp)
  cache=$(mktemp -d)
  rm -rf "samples/$s/obj/Release/net10.0/compilerllm" "samples/$s/bin/Release/native"
  local start end
  start=$(date +%s.%N)
  dotnet build "samples/$s" -c Release -nr:false --no-restore --nologo -v:m -clp:PerformanceSummary \
    -p:CompilerLlmPackageVersion="$version" -p:CompilerLlmCacheDirectory="$cache" "${props[@]}" >"$log" 2>&1 || { cat "$log"; exit 1; }
  end=$(date +%s.%N)
  # Target performance lines: "      123 ms  CompilerLlmCompile   1 calls"
  local targets
  targets=$(grep -E '^\s+[0-9]+ ms\s+(_Cllm|CompilerLlm)[A-Za-z]*\s+[0-9]+ calls' "$log" | awk '{s+=$1} END {print s/1000}')
  rm -rf "$log" "$cache"
  echo "$(echo "$end - $start" | bc -l) $targets"
}

{
echo "bench-build: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, ROUNDS=$rounds, package $version, load average at start $(load)"
printf "%-9s %-9s %6s  %14s  %26s  %16s\n" sample mode rounds "median build s" "ratio to off: median [range]" "median targets s"
} | tee "${OUT:-/dev/null}"
for s in "${samples[@]}"; do
  declare -A wall=() tgt=() ratio=()
  sample_modes=()
  for m in "${modes[@]}"; do
    [ "$m" != tune ] || [[ "$tune_samples" == *" $s "* ]] || continue
    sample_modes+=("$m")
  done
  [[ " ${sample_modes[*]} " == *" off "* ]] || sample_modes=(off "${sample_modes[@]}")
  loads=""
  for ((i = 0; i < rounds; i++)); do
    loads+="$(load) "
    declare -A this=()
    for mode in $(printf '%s\n' "${sample_modes[@]}" | shuf); do
      read -r w t < <(build_once "$s" "$mode")
      wall[$mode]+="$w "; tgt[$mode]+="$t "; this[$mode]=$w
    done
    for mode in "${sample_modes[@]}"; do ratio[$mode]+="$(echo "${this[$mode]} / ${this[off]}" | bc -l) "; done
    unset this
  done
  for mode in "${sample_modes[@]}"; do
    mw=$(printf '%s\n' ${wall[$mode]} | median); mt=$(printf '%s\n' ${tgt[$mode]} | median)
    mr=$(printf '%s\n' ${ratio[$mode]} | median)
    lo=$(printf '%s\n' ${ratio[$mode]} | sort -g | head -1); hi=$(printf '%s\n' ${ratio[$mode]} | sort -g | tail -1)
    printf "%-9s %-9s %6d  %14.2f  %11s  %14s  %16.2f\n" "$s" "$mode" "$rounds" "$mw" "$(printf 'x%.2f' "$mr")" \
      "$(printf '[%.2f, %.2f]' "$lo" "$hi")" "$mt" | tee -a "${OUT:-/dev/null}"
  done
  echo "$s: load average before each round: $loads" | tee -a "${OUT:-/dev/null}"
  unset wall tgt ratio
done
echo "bench-build: load average at the end $(load)" | tee -a "${OUT:-/dev/null}"
