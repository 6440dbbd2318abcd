#!/usr/bin/env bash
# Lists csmith seeds whose program runs 0.3-3 s of CPU at gcc -O2 (how the csmith recipes' seeds were chosen).
#   bash scripts/devsuite/find-csmith-seeds.sh FIRST LAST
set -u
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
for s in $(seq "$1" "$2"); do
  csmith --seed "$s" > "$d/p.c" 2>/dev/null || continue
  timeout 60 gcc -O2 -w -I/usr/include/csmith "$d/p.c" -o "$d/p" 2>/dev/null || continue
  t=$( { /usr/bin/time -f '%U %S' timeout 6 "$d/p" > /dev/null; } 2>&1 | tail -1 | awk '{print $1 + $2}')
  rc=$?
  echo "seed $s cpu ${t:-?}"
done
