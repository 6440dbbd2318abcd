#!/usr/bin/env bash
# Build-time overhead of the optimizer on the samples: clean C builds (restore excluded), interleaving
# three modes ROUNDS times per sample (default 5): optimizer off; optimizer on without test replay
# (-p:CompilerLlmTestCommand=); optimizer on with the sample's test replay. Prints, per sample and mode,
# the minimum and the median wall time of `dotnet build` with their ratios to "off" (the minimum is the
# steadier figure on a shared machine), and the median time of the package's own targets alone (from
# MSBuild's performance summary).
#
#   bash scripts/bench-build.sh [sample…]        (default: codec imagekit)
# Environment: ROUNDS, SKIP_PACK=1 (reuse artifacts/feed).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=${ROUNDS:-5}
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
minimum() { sort -g | head -1; }

# One clean build; prints "wall_seconds targets_seconds".
build_once() {
  local s=$1 mode=$2 log
  local -a props=(-p:CompilerLlmOptimize=false)
  [ "$mode" = off ] || props=(-p:CompilerLlmOptimize=true)
  [ "$mode" != on-no-replay ] || props+=(-p:CompilerLlmTestCommand=)
  log=$(mktemp)
  rm -rf "samples/$s/obj/Release/net10.0/compilerllm" "samples/$s/bin/Release/native"
  local start end
  start=$(date +%s.%N)
  dotnet build "samples/$s" -c Release -nr:false --no-restore --nologo -v:m -clp:PerformanceSummary \
    -p:CompilerLlmPackageVersion="$version" "${props[@]}" >"$log" 2>&1 || { cat "$log"; exit 1; }
  end=$(date +%s.%N)
  # Target performance lines: "      123 ms  CompilerLlmCompile   1 calls"
  local targets
  targets=$(grep -E '^\s+[0-9]+ ms\s+(_Cllm|CompilerLlm)[A-Za-z]*\s+[0-9]+ calls' "$log" | awk '{s+=$1} END {print s/1000}')
  rm -f "$log"
  echo "$(echo "$end - $start" | bc -l) $targets"
}

printf "%-9s %-13s %6s  %15s  %15s  %17s\n" sample mode rounds "min build s" "median build s" "median targets s"
for s in "${samples[@]}"; do
  declare -A wall=() tgt=()
  for ((i = 0; i < rounds; i++)); do
    for mode in off on-no-replay on-replay; do
      read -r w t < <(build_once "$s" "$mode")
      wall[$mode]+="$w "; tgt[$mode]+="$t "
    done
  done
  base_min=$(printf '%s\n' ${wall[off]} | minimum); base_w=$(printf '%s\n' ${wall[off]} | median); base_t=$(printf '%s\n' ${tgt[off]} | median)
  for mode in off on-no-replay on-replay; do
    mn=$(printf '%s\n' ${wall[$mode]} | minimum); mw=$(printf '%s\n' ${wall[$mode]} | median); mt=$(printf '%s\n' ${tgt[$mode]} | median)
    printf "%-9s %-13s %6d  %6.2f (x%.2f)  %6.2f (x%.2f)  %6.2f (x%.2f)\n" "$s" "$mode" "$rounds" \
      "$mn" "$(echo "$mn / $base_min" | bc -l)" "$mw" "$(echo "$mw / $base_w" | bc -l)" "$mt" "$(echo "$mt / $base_t" | bc -l)"
  done
  unset wall tgt
done
