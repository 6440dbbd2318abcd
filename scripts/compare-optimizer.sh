#!/usr/bin/env bash
# Is the optimizer's output unchanged by a refactoring? Builds the CLI of a reference commit (in a git
# worktree under .cache/) and of the working tree, runs `compilerllm optimize` of both over the test corpus
# (the hand-written kernels at -O0/-O2/-O3 and csmith programs at -O2/-O3, each with the policies
# `default` and `all`, and `all` with --validate smt on the kernels), and compares the optimized
# assembly byte for byte. Prints one line per difference and a summary; exits non-zero on any difference.
#
#   bash scripts/compare-optimizer.sh [REF]        (default REF: origin/main, else HEAD)
# Environment: CSMITH (number of csmith programs, default 40); COMPARE_WORK (the folder for the reference
# worktree, the corpus and the outputs; default .cache/compare-optimizer, shareable between checkouts).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
ref=${1:-$(git rev-parse --verify -q origin/main >/dev/null && echo origin/main || echo HEAD)}
csmith_count=${CSMITH:-40}
bash scripts/setup.sh >/dev/null 2>&1

work=${COMPARE_WORK:-$root/.cache/compare-optimizer}
refdir="$work/ref-tree"
mkdir -p "$work"
commit=$(git rev-parse "$ref")
if [ ! -d "$refdir" ] || [ "$(git -C "$refdir" rev-parse HEAD 2>/dev/null)" != "$commit" ]; then
  git worktree remove --force "$refdir" >/dev/null 2>&1 || rm -rf "$refdir"
  git worktree prune
  git worktree add --detach "$refdir" "$commit" >/dev/null
fi
echo "compare-optimizer: reference $ref ($(git rev-parse --short "$commit")) against the working tree" >&2
# The reference needs its own ONNX Runtime (the default policy), copied into its output by its build.
if [ ! -f "$refdir/src/Cli/bin/Release/net10.0/compilerllm.dll" ] || [ ! -e "$refdir/tools/onnxruntime" ]; then
  (cd "$refdir" && bash scripts/setup.sh >/dev/null 2>&1)
  dotnet build "$refdir/src/Cli" -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
fi
dotnet build src/Cli -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
ref_cli=(dotnet "$refdir/src/Cli/bin/Release/net10.0/compilerllm.dll")
new_cli=(dotnet "$root/src/Cli/bin/Release/net10.0/compilerllm.dll")

# The corpus: assembly files made once (gcc is deterministic), kept in the cache.
asm="$work/asm"
mkdir -p "$asm"
for c in tests/corpus/kernels/*.c; do
  name=$(basename "${c%.c}")
  for level in O0 O2 O3; do
    [ -f "$asm/$name-$level.s" ] || gcc -S -w "-$level" -o "$asm/$name-$level.s" "$c" 2>/dev/null || true
  done
done
mkdir -p "$work/csmith"
for ((seed = 1; seed <= csmith_count; seed++)); do
  src="$work/csmith/csmith-$seed.c"
  [ -f "$src" ] || csmith --seed "$seed" -o "$src" >/dev/null
  for level in O2 O3; do
    [ -f "$asm/csmith-$seed-$level.s" ] || gcc -S -w -I/usr/include/csmith "-$level" -o "$asm/csmith-$seed-$level.s" "$src"
  done
done

# Reference outputs are kept per commit (the optimizer is deterministic), so only the working tree reruns.
refout="$work/out-$commit"
newout="$work/out-$(echo "$root" | tr / _)"
rm -rf "$newout"; mkdir -p "$refout" "$newout"
files=0; same=0; differ=0
run() { # out-file err-file cli… -- optimize arguments…
  local out=$1 err=$2; shift 2
  "$@" >/dev/null 2>"$err" || echo "optimize failed: $(head -1 "$err")" >>"$out"
}
compare() { # file policy [extra…]
  local s=$1 policy=$2; shift 2
  local tag; tag="$(basename "${s%.s}").$policy${1:+.smt}"
  # A reference run that failed (a missing tool, say) is not kept: it would make every later comparison differ.
  if [ -f "$refout/$tag.s" ] && grep -q '^optimize failed: ' "$refout/$tag.s"; then rm -f "$refout/$tag.s"; fi
  [ -f "$refout/$tag.s" ] || run "$refout/$tag.s" "$refout/$tag.err" "${ref_cli[@]}" optimize "$s" -o "$refout/$tag.s" --policy "$policy" "$@"
  run "$newout/$tag.s" "$newout/$tag.err" "${new_cli[@]}" optimize "$s" -o "$newout/$tag.s" --policy "$policy" "$@"
  files=$((files + 1))
  if cmp -s "$refout/$tag.s" "$newout/$tag.s"; then
    same=$((same + 1))
  else
    differ=$((differ + 1))
    echo "DIFFERENT: $tag (diff $refout/$tag.s $newout/$tag.s)"
  fi
}
for s in "$asm"/*.s; do
  compare "$s" default
  compare "$s" all
done
for s in "$asm"/*-O2.s; do
  case "$s" in */csmith-*) continue ;; esac
  compare "$s" all --validate smt
done
echo "compare-optimizer: $files outputs, $same identical, $differ different"
[ "$differ" -eq 0 ]
