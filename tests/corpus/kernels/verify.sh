#!/usr/bin/env bash
# Builds every kernel under each option set, checks the outputs agree and
# reports the -O2 CPU time.  Usage: verify.sh [NAME.c ...]
# Needs gcc 12; the sanitizer build needs libasan/libubsan (skip with NOSAN=1).
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${OUT:-}" ]; then out=$OUT; mkdir -p "$out"
else out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; fi
common="-Wall -Wextra -Werror -std=gnu11"
sets=(
  "O0|-O0"
  "O2|-O2"
  "O3|-O3"
  "O3v3|-O3 -march=x86-64-v3"
  "O2pic|-O2 -fPIC -g -fcf-protection"
  "O3v3pic|-O3 -march=x86-64-v3 -fPIC -g -fcf-protection"
)
[ "${NOSAN:-0}" = 1 ] || sets+=("san|-O1 -g -fsanitize=undefined,address -fno-sanitize-recover=all")

if [ $# -eq 0 ]; then set -- "$here"/*.c; fi
fail=0
for src in "$@"; do
  name=$(basename "$src" .c)
  ref=""
  for s in "${sets[@]}"; do
    tag=${s%%|*}; flags=${s#*|}
    exe="$out/$name.$tag"
    if ! gcc $common $flags "$src" -o "$exe" -lm 2>"$exe.cc"; then
      echo "FAIL $name [$tag] compile:"; head -15 "$exe.cc"; fail=1; continue
    fi
    if ! timeout 120 "$exe" >"$exe.out" 2>"$exe.err"; then
      echo "FAIL $name [$tag] exit status"; head -20 "$exe.err"; fail=1; continue
    fi
    if [ -z "$ref" ]; then ref="$exe.out"
    elif ! cmp -s "$ref" "$exe.out"; then
      echo "FAIL $name [$tag] output differs from O0"; diff "$ref" "$exe.out" | head; fail=1
    fi
  done
  # -O2 runtime: best of 3, CPU time (user+sys) so other load on the machine matters less
  [ -x "$out/$name.O2" ] && [ -n "$ref" ] || continue
  best=""
  for _ in 1 2 3; do
    ms=$( { TIMEFORMAT='%3U %3S'; time "$out/$name.O2" >/dev/null; } 2>&1 | awk '{printf "%d", ($1 + $2) * 1000}')
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  printf '%-24s O2=%4d ms  %s\n' "$name" "$best" "$(head -1 "$ref")"
done
exit $fail
