#!/usr/bin/env bash
# The engine on its own, end to end: set up the machine, build the CLI, compile the sample C code
# (tests/corpus/kernels) with GCC, optimize every translation unit with the verified rewrite
# engine (policy: the shipped ONNX model), link both builds, run both and compare what
# they print. Prints one line per program and a summary; exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
dotnet build src/Cli -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
cli=(dotnet src/Cli/bin/Release/net10.0/compilerllm.dll)

out=.cache/run
rm -rf "$out"; mkdir -p "$out"
flags=${CFLAGS:--O2}
policy=${POLICY:-default}
sources=(tests/corpus/kernels/*.c)
echo "run: ${#sources[@]} programs, gcc $flags, policy $policy" >&2
same=0; differ=0; rewrites=0
for c in "${sources[@]}"; do
  name=$(basename "${c%.c}")
  gcc -S $flags -o "$out/$name.s" "$c"
  line=$("${cli[@]}" optimize "$out/$name.s" -o "$out/$name.opt.s" --policy "$policy" --report "$out/$name.json")
  applied=$(echo "$line" | sed -E 's/.* ([0-9]+) applied.*/\1/')
  rewrites=$((rewrites + applied))
  gcc -o "$out/$name.base" "$out/$name.s" -lm
  gcc -o "$out/$name.opt" "$out/$name.opt.s" -lm
  if cmp -s <("$out/$name.base") <("$out/$name.opt"); then
    same=$((same + 1)); verdict="same output"
  else
    differ=$((differ + 1)); verdict="DIFFERENT OUTPUT"
  fi
  printf '%-24s %s; %s\n' "$name" "${line#optimize: }" "$verdict"
done
echo "run: ${#sources[@]} programs, $rewrites rewrites applied, $same identical outputs, $differ different"
[ "$differ" -eq 0 ]
