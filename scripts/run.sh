#!/usr/bin/env bash
# The main job, the way users meet the product: set up the machine, pack CompilerLLM.Build into a
# local folder feed, and build both sample C projects (samples/codec: an application with a
# self-test; samples/imagekit: a static library with its test program) with `dotnet build -c Release`
# and CompilerLlmOptimize on. Each build compiles with GCC, optimizes every translation unit with the
# shipped ONNX policy, links, replays the project's tests against both builds and prints one summary
# line; the HTML report's path follows. Then the Make front: the compiler launcher is packed and installed
# as a .NET tool, samples/wordfreq (a plain Makefile) is built with CC="compilerllm-cc gcc", its tests are
# replayed against GCC's objects and ours, and the launcher's report is printed. Exits non-zero if a build
# or a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build-sample.sh codec
SKIP_PACK=1 bash scripts/build-sample.sh imagekit

# The Make front: the launcher as users install it, a plain Makefile, the project's own check.
cc=$(bash scripts/pack-launcher.sh)
export COMPILERLLM_CACHE_DIR="$(pwd)/artifacts/launcher-cache"
make -s -C samples/wordfreq clean
make -s -C samples/wordfreq CC="$cc gcc"
make -s -C samples/wordfreq check
"$cc" --replay --dir samples/wordfreq --build "make -s" --test "make -s check"
"$cc" --report samples/wordfreq
