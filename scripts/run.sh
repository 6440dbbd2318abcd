#!/usr/bin/env bash
# The main job, end to end: set up the machine, build the CLI, compile the sample C project
# with GCC to x86-64 assembly, and run it through the engine. Until the optimizer lands this
# models every translation unit, proves the model exact (round trip through Iced's formatter
# and GAS, compared byte for byte) and prints the analyses' summary.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
dotnet build src/Cli -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
cli=(dotnet src/Cli/bin/Release/net10.0/compilerllm.dll)

out=.cache/run
mkdir -p "$out"
flags=${CFLAGS:--O2}
sources=(tests/corpus/kernels/*.c)
echo "run: compiling ${#sources[@]} C files with gcc -S $flags" >&2
asm=()
for c in "${sources[@]}"; do
  s="$out/$(basename "${c%.c}").s"
  gcc -S $flags -o "$s" "$c"
  asm+=("$s")
done
"${cli[@]}" roundtrip "${asm[@]}"
for s in "${asm[@]}"; do "${cli[@]}" analyze --no-dependences "$s" | tail -n 1 | sed "s|^|$(basename "$s"): |"; done
