#!/usr/bin/env bash
# Packs the compiler launcher compilerllm-cc as a .NET tool (native, linux-x64: the pointer package
# CompilerLLM.Cc and the RID package CompilerLLM.Cc.linux-x64) into artifacts/tool-feed, and installs it into
# artifacts/tools (so artifacts/tools/compilerllm-cc is the launcher a user gets from `dotnet tool install`).
#
#   bash scripts/pack-launcher.sh          (prints the installed launcher's path last)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
[ -f tools/onnxruntime/1.30.0/libonnxruntime.so.1 ] || bash scripts/setup-onnxruntime.sh >&2
feed="$root/artifacts/tool-feed"
rm -rf "$feed" "$root/artifacts/tools"
mkdir -p "$feed"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
props=(-c Release -o "$feed" --nologo -v:q -p:ToolPackageRuntimeIdentifiers=linux-x64 -p:PublishAot=true)
dotnet pack src/Cli/Launcher "${props[@]}" >&2
dotnet pack src/Cli/Launcher -r linux-x64 "${props[@]}" >&2
version=$(ls "$feed" | sed -n 's/^CompilerLLM\.Cc\.\([0-9][^l]*\)\.nupkg$/\1/p' | head -1)
dotnet tool install --tool-path "$root/artifacts/tools" --add-source "$feed" CompilerLLM.Cc --version "$version" >&2
echo "$root/artifacts/tools/compilerllm-cc"
