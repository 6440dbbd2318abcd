#!/usr/bin/env bash
# The main job, the way users meet the product: set up the machine, pack CompilerLLM.Build into a
# local folder feed, and build both sample C projects (samples/codec: an application with a
# self-test; samples/imagekit: a static library with its test program) with `dotnet build -c Release`
# and CompilerLlmOptimize on. Each build compiles with GCC, optimizes every translation unit with the
# shipped ONNX policy, links, replays the project's tests against both builds and prints one summary
# line; the HTML report's path follows. Exits non-zero if a build fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build-sample.sh codec
SKIP_PACK=1 bash scripts/build-sample.sh imagekit
