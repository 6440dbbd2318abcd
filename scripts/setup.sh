#!/usr/bin/env bash
# Idempotent machine set-up for CompilerLLM.Build: the tools the build, the tests and the
# main job need. Safe to run again and again; it installs only what is missing.
set -euo pipefail

need_apt=()
command -v gcc >/dev/null       || need_apt+=(gcc)
command -v as >/dev/null        || need_apt+=(binutils)
command -v csmith >/dev/null    || need_apt+=(csmith)
[ -f /usr/include/csmith/csmith.h ] || need_apt+=(libcsmith-dev)
command -v z3 >/dev/null        || need_apt+=(z3)
command -v llvm-mca-14 >/dev/null || need_apt+=(llvm-14)
command -v valgrind >/dev/null  || need_apt+=(valgrind)
command -v clang-14 >/dev/null  || need_apt+=(clang-14)      # the launcher's tests: a compiler that is not GCC passes through
command -v make >/dev/null      || need_apt+=(make)
/usr/bin/python3 -c "import onnx" 2>/dev/null || need_apt+=(python3-onnx)   # the ONNX checker the writer's tests use

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} (apt-get)" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
echo "setup: ok (gcc $(gcc -dumpversion), $(as --version | head -1), csmith $(csmith --version 2>/dev/null | head -1 | awk '{print $2}'), $(z3 --version))" >&2

# ONNX Runtime's native library (the policy's inference engine), from the npm package; verified by hash.
bash "$(dirname "$0")/setup-onnxruntime.sh"
