#!/usr/bin/env bash
# Packs CompilerLLM.Build into a local folder feed (artifacts/feed) and builds a sample the way a user
# does (PackageReference from that feed), with the optimizer on (-c Release), then prints the summary.
#
#   bash scripts/build-sample.sh [codec|imagekit] [extra dotnet build arguments…]
#
# Environment: CONFIGURATION (default Release; Debug builds with the optimizer off),
# SKIP_PACK=1 reuses the package already in the feed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
sample=${1:-codec}
shift || true
[ -d "samples/$sample" ] || { echo "build-sample: no sample '$sample' (samples: $(ls samples | grep -v '\.' | tr '\n' ' '))" >&2; exit 2; }
configuration=${CONFIGURATION:-Release}

feed="$root/artifacts/feed"
# Packages restored for the samples only, so that a repacked 0.1.0 is never shadowed by an old copy.
export NUGET_PACKAGES="$root/artifacts/sample-packages"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ "${SKIP_PACK:-0}" != 1 ]; then
  [ -f tools/onnxruntime/1.30.0/libonnxruntime.so.1 ] || bash scripts/setup-onnxruntime.sh
  rm -rf "$feed"
  mkdir -p "$feed"
  dotnet pack src/Tasks/CompilerLLM.Build.Tasks.csproj -c Release -o "$feed" --nologo -v:q
  rm -rf "$NUGET_PACKAGES/compilerllm.build"
fi
version=$(ls "$feed" | sed -n 's/^CompilerLLM\.Build\.\(.*\)\.nupkg$/\1/p' | sort -V | tail -1)
[ -n "$version" ] || { echo "build-sample: no CompilerLLM.Build package in $feed" >&2; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet build "samples/$sample" -c "$configuration" -nr:false --nologo -p:CompilerLlmPackageVersion="$version" \
  -bl:"$root/artifacts/$sample.binlog" "$@" >"$log" 2>&1
status=$?
set -e
grep -E 'warning|error|CLLM5001|CLLM5005' "$log" | sed -E 's/ \[[^]]*\.csproj\]$//; s/^.*message CLLM500[15]: //' | sort -u || true
if [ $status -ne 0 ]; then
  cat "$log"
  echo "build-sample: build failed (binlog: artifacts/$sample.binlog)" >&2
  exit $status
fi
echo "report: $(ls -d samples/$sample/obj/$configuration/*/compilerllm/report.html 2>/dev/null | head -1)"
