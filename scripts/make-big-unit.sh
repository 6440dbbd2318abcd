#!/usr/bin/env bash
# Makes the big unit for the build-time goal (issue #13): one GCC assembly file of about 180,000 instruction lines,
# from a real, non-reserved Debian source: duktape's single-file amalgamation (duktape.c, from `apt-get source
# duktape`, bookworm 2.7.0) at -O3 -funroll-loops with GCC's inliner allowed a little more than by default (that is
# what takes it from 110k to ~176k lines; -O3 alone gives ~92k). Idempotent: everything lives under
# .cache/big-unit/ and is made only when missing. Prints the assembly file's path last.
#
#   bash scripts/make-big-unit.sh
#   compilerllm bench --unit "$(bash scripts/make-big-unit.sh)"
#
# Needs a deb-src entry for bookworm main (added here when there is none) and dpkg-source (dpkg-dev) or tar.
set -euo pipefail
cd "$(dirname "$0")/.."
work=.cache/big-unit
flags=(-O3 -funroll-loops --param max-inline-insns-auto=90 --param inline-unit-growth=120)
out="$work/duktape-big.s"
mkdir -p "$work"
if [ ! -f "$out" ]; then
  if [ ! -f "$work/duktape/src/duktape.c" ]; then
    if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
      printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        > /etc/apt/sources.list.d/devsuite-src.sources
      apt-get update -qq
    fi
    (cd "$work" && apt-get source --download-only duktape >/dev/null 2>&1)
    orig=$(ls "$work"/duktape_*.orig.tar.* | head -1)
    rm -rf "$work/duktape" && mkdir -p "$work/duktape"
    tar -xf "$orig" -C "$work/duktape" --strip-components=1
  fi
  gcc -S -w "${flags[@]}" -o "$out.tmp" "$work/duktape/src/duktape.c"
  mv "$out.tmp" "$out"
fi
# Instruction lines as GCC writes them (a tab, then a lower-case mnemonic); `compilerllm bench --unit` counts them exactly.
echo "make-big-unit: $(grep -cP '^\t[a-z]' "$out") instruction lines, $(wc -l < "$out") lines, gcc ${flags[*]}" >&2
echo "$out"
