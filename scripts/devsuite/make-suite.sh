#!/usr/bin/env bash
# Materializes the development suite: real C programs from Debian (bookworm) source packages,
# plus a few csmith programs, each with a generated workload, an expected output, a baseline
# CPU time at -O2 and every translation unit's compile command (see README.md beside this file).
#
#   bash scripts/devsuite/make-suite.sh [NAME...]      # all recipes, or only the ones named
#
# Environment: DEVSUITE_DIR (suite folder, default <repo>/.cache/devsuite), DEVSUITE_JOBS (make -j,
# default 2), DEVSUITE_NO_APT=1 (skip every apt-get call; everything must already be there).
# Then training-inputs.sh makes each program's training input (the profile's, other than the timed one).
# Idempotent: a package already fetched/built is not fetched/built again (stamps keyed by the
# recipe's build text), a program whose recipe, build and workload did not change is skipped.
# One failing program is reported and the others go on; the summary names every failure.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SUITE="${DEVSUITE_DIR:-$REPO/.cache/devsuite}"
SRC="$SUITE/src"
JOBS="${DEVSUITE_JOBS:-2}"
PY=/usr/bin/python3
GEN="$HERE/gen.py"
WL="$HERE/workloads"
TOOLS="$SUITE/.tools"
TOOL="$HERE/devsuite.py"
export SUITE SRC JOBS PY GEN WL TOOLS LC_ALL=C DEBIAN_FRONTEND=noninteractive
mkdir -p "$SRC"
T0=$(date +%s)

# every run.sh starts so: $1 is the program, $T a temporary folder removed at exit
WRAPPER_HEAD='#!/bin/sh
# workload wrapper: $1 is the program to run; its stdout is what is compared
EXE="$1"; shift
T=$(mktemp -d); trap '"'"'rm -rf "$T"'"'"' EXIT'

log() { printf '[devsuite %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- machine set-up: deb-src entry for bookworm main, base tools ----------------------------
setup_apt() {
  [ "${DEVSUITE_NO_APT:-0}" = 1 ] && return 0
  local f=/etc/apt/sources.list.d/devsuite-src.sources
  if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources 2>/dev/null \
     && ! grep -qs '^deb-src .*bookworm main' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null; then
    # same mirror and keyring as the existing bookworm entry
    local uri key
    uri=$(awk '/^URIs:/{u=$2} /^Suites:.*bookworm( |$)/{print u; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)
    key=$(awk '/^Signed-By:/{k=$2} /^Suites:.*bookworm( |$)/{s=1} s&&/^Signed-By:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)
    [ -n "$uri" ] || uri=$(awk '$1=="deb" && / bookworm /{for(i=2;i<=NF;i++) if($i ~ /^http/){print $i; exit}}' /etc/apt/sources.list 2>/dev/null)
    [ -n "$uri" ] || uri=http://deb.debian.org/debian
    [ -n "$key" ] || key=/usr/share/keyrings/debian-archive-keyring.gpg
    log "adding deb-src for bookworm main ($uri) in $f"
    printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: %s\n' "$uri" "$key" > "$f"
    rm -f "$SRC/.apt-updated"
  fi
  if [ ! -f "$SRC/.apt-updated" ] || ! apt-cache showsrc gzip >/dev/null 2>&1; then
    log "apt-get update"
    apt-get update -qq >/dev/null && touch "$SRC/.apt-updated"
  fi
  # zlib1g-dev: tcl8.6 must find the system zlib, else it compiles its bundled copy (which record refuses)
  local base=(build-essential dpkg-dev bear python3 autoconf automake libtool pkg-config cmake file zlib1g-dev)
  local miss=()
  for p in "${base[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || miss+=("$p"); done
  if [ ${#miss[@]} -gt 0 ]; then
    log "installing ${miss[*]}"
    apt-get install -y -qq --no-install-recommends "${miss[@]}" >/dev/null
  fi
}

install_deps() {  # $@: apt packages a recipe needs to build
  [ "${DEVSUITE_NO_APT:-0}" = 1 ] && return 0
  local miss=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || miss+=("$p"); done
  [ ${#miss[@]} -eq 0 ] && return 0
  log "  apt-get install ${miss[*]}"
  apt-get install -y -qq --no-install-recommends "${miss[@]}" >/dev/null
}

hash_of() { sha256sum | cut -c1-16; }

# ---- one recipe ------------------------------------------------------------------------------
# A recipe (recipes/NAME.sh) sets: PKG, KIND, BUILD_SYSTEM, DEPS, BUILD, BINARY, WORKLOAD, ARGS,
# STDIN, RUN and optionally FETCH, BUILD_ID, NOTE. See README.md.
run_recipe() {
  local name="$1" file="$HERE/recipes/$1.sh"
  PKG=""; KIND=""; BUILD_SYSTEM=""; DEPS=""; BUILD=""; BINARY=""; WORKLOAD=""; ARGS=""; STDIN=""
  RUN=""; FETCH=""; BUILD_ID=""; NOTE=""; TIMEOUT=60; ENV=""; CONFIGURE=""
  # shellcheck disable=SC1090
  source "$file" || { echo "recipe does not parse"; return 1; }
  [ -n "$PKG" ] && [ -n "$BUILD" ] && [ -n "$BINARY" ] || { echo "recipe lacks PKG, BUILD or BINARY"; return 1; }
  local bid="${BUILD_ID:-$PKG}"
  local pdir="$SRC/$bid"
  local bhash; bhash=$(printf '%s\n%s\n%s\n%s\n%s\n' "$PKG" "$DEPS" "$FETCH" "$CONFIGURE" "$BUILD" | hash_of)
  local out="$SUITE/$name"
  # the program is redone when its recipe, the workload files it names, the generators, the recorder or
  # the wrapper's text change, or its package was rebuilt
  local wlfiles; wlfiles=$(grep -o '\$WL/[A-Za-z0-9._-]*' "$file" | sed "s|^\\\$WL|$WL|" | sort -u)
  local rhash; rhash=$( { cat "$file" "$GEN" "$HERE/gen.c" "$TOOL" $wlfiles 2>/dev/null; echo "$WRAPPER_HEAD"; echo "$bhash"; } | hash_of)

  if [ -f "$out/suite.json" ] && [ "$(cat "$out/.recipe-hash" 2>/dev/null)" = "$rhash" ] \
     && [ -f "$pdir/.built" ] && [ "$(cat "$pdir/.built")" = "$bhash" ]; then
    log "$name: up to date"
    return 0
  fi

  install_deps $DEPS || { echo "apt-get install $DEPS failed"; return 1; }

  # fetch: apt-get source (download once), extract fresh for every new build
  mkdir -p "$pdir"
  if [ -z "$FETCH" ] && [ ! -f "$pdir/.fetched" ]; then
    log "$name: apt-get source $PKG"
    if ( cd "$pdir" && apt-get source --download-only -qq "$PKG" >/dev/null 2>"$pdir/fetch.log" ); then
      touch "$pdir/.fetched"
    else
      log "$name: apt-get source reported: $(grep -m1 '^E:' "$pdir/fetch.log")"
    fi
  fi
  local tree="$pdir/tree"
  if [ ! -f "$pdir/.built" ] || [ "$(cat "$pdir/.built")" != "$bhash" ]; then
    rm -rf "$tree" "$pdir/.built" "$pdir/events.json" "$pdir/compile_commands.json"
    if [ -n "$FETCH" ]; then
      mkdir -p "$tree"
      ( cd "$tree" && bash -euo pipefail -c "$FETCH" ) >"$pdir/fetch.log" 2>&1 || { echo "FETCH failed: $(tail -1 "$pdir/fetch.log")"; return 1; }
    else
      local dsc; dsc=$(ls "$pdir"/*.dsc 2>/dev/null | head -1)
      [ -n "$dsc" ] || { echo "apt-get source $PKG failed: $(grep -m1 '^E:' "$pdir/fetch.log")"; return 1; }
      if ! ( cd "$pdir" && dpkg-source -x "$dsc" tree ) >"$pdir/extract.log" 2>&1; then
        # the mirror may lack the Debian part (or a signature): fall back to the upstream tarball alone
        local orig; orig=$(ls "$pdir"/*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -1)
        [ -n "$orig" ] || { echo "source not available: $(grep -m1 '^E:' "$pdir/fetch.log" || tail -1 "$pdir/extract.log")"; return 1; }
        rm -rf "$tree"; mkdir -p "$tree"
        tar -xf "$orig" -C "$tree" --strip-components=1 || { echo "cannot unpack $orig"; return 1; }
        echo "upstream tarball only (Debian patches not available from the mirror)" > "$pdir/UPSTREAM-ONLY"
        log "$name: Debian part unavailable; using the upstream tarball $(basename "$orig")"
      fi
    fi
    # one timestamp for every file: make must not regenerate configure/Makefile.in because a patch touched them
    find "$tree" -exec touch -h -d '2020-01-01 00:00:00' {} + 2>/dev/null
    local b0; b0=$(date +%s)
    if [ -n "$CONFIGURE" ]; then
      log "$name: configuring $bid ($BUILD_SYSTEM)"
      ( cd "$tree" && bash -euo pipefail -c "$CONFIGURE" ) >"$pdir/configure.log" 2>&1 \
        || { echo "configure failed (log: $pdir/configure.log): $(tail -2 "$pdir/configure.log" | tr '\n' ' ')"; return 1; }
    fi
    log "$name: building $bid under bear"
    ( cd "$tree" && bear intercept --output "$pdir/events.json" -- bash -euo pipefail -c "$BUILD" ) >"$pdir/build.log" 2>&1 \
      || { echo "build failed (log: $pdir/build.log): $(tail -2 "$pdir/build.log" | tr '\n' ' ')"; return 1; }
    bear citnames --input "$pdir/events.json" --output "$pdir/compile_commands.json" >>"$pdir/build.log" 2>&1 \
      || { echo "bear citnames failed"; return 1; }
    # some builds (eprover's recursive make) exit 0 after a failed compile: the program must exist
    [ -x "$tree/$BINARY" ] || { echo "binary $BINARY was not built (log: $pdir/build.log)"; return 1; }
    echo "$bhash" > "$pdir/.built"
    log "$name: built in $(( $(date +%s) - b0 )) s"
  fi
  [ -x "$tree/$BINARY" ] || { echo "binary $BINARY was not built"; return 1; }
  [ "${DEVSUITE_BUILD_ONLY:-0}" = 1 ] && return 0

  # record units and link; generate the workload; baseline run at -O2
  # a fresh program folder, except the object cache (keyed by directory, arguments and source state)
  mkdir -p "$out"; find "$out" -mindepth 1 -maxdepth 1 ! -name .objcache -exec rm -rf {} +; mkdir -p "$out/work"
  local version; version=$(ls "$pdir"/*.dsc 2>/dev/null | head -1 | sed -E 's/.*_([^_]+)\.dsc$/\1/')
  [ -n "$version" ] || version="${PKG_VERSION:-n/a}"
  if [ -n "$WORKLOAD" ]; then
    log "$name: generating workload"
    ( cd "$out/work" && export TREE="$tree" && bash -euo pipefail -c "$WORKLOAD" ) >"$out/workload.log" 2>&1 \
      || { echo "workload generation failed: $(tail -2 "$out/workload.log" | tr '\n' ' ')"; return 1; }
  fi
  if [ -n "$RUN" ]; then
    printf '%s\n%s\n' "$WRAPPER_HEAD" "$RUN" > "$out/run.sh"
  fi
  local r
  r=$("$PY" "$TOOL" record --name "$name" --out "$out" --tree "$tree" --events "$pdir/events.json" \
      --compile-commands "$pdir/compile_commands.json" --binary "$BINARY" --package "$PKG" \
      --version "$version" --kind "$KIND" --build-system "$BUILD_SYSTEM" --args "$ARGS" --stdin "$STDIN" \
      --wrapper "$([ -n "$RUN" ] && echo run.sh)" --timeout "$TIMEOUT" --note "$NOTE$( [ -f "$pdir/UPSTREAM-ONLY" ] && echo " (upstream tarball only: the mirror lacked the Debian part)")" \
      $(for kv in $ENV; do printf -- '--env %s ' "$kv"; done) \
    ) || { echo "record: $(printf '%s' "$r" | tail -1)"; return 1; }
  log "$name: baseline at -O2"
  r=$("$PY" "$TOOL" baseline "$out") || { echo "baseline: $(printf '%s' "$r" | tail -1)"; return 1; }
  echo "$rhash" > "$out/.recipe-hash"
}

# ---- main ------------------------------------------------------------------------------------
setup_apt || log "warning: apt set-up failed; continuing with what is installed"
mkdir -p "$TOOLS"
if [ ! -x "$TOOLS/gen" ] || [ "$HERE/gen.c" -nt "$TOOLS/gen" ]; then
  gcc -O2 -o "$TOOLS/gen" "$HERE/gen.c" -lm || { log "cannot build the workload generator gen.c"; exit 1; }
fi
if [ $# -gt 0 ]; then names=("$@"); else
  names=(); for f in "$HERE"/recipes/*.sh; do names+=("$(basename "$f" .sh)"); done
fi
ok=(); failed=()
for n in "${names[@]}"; do
  if [ ! -f "$HERE/recipes/$n.sh" ]; then log "$n: no such recipe"; failed+=("$n: no such recipe"); continue; fi
  # run_recipe prints its reason for failing on stdout; progress goes to stderr
  why=$(run_recipe "$n" </dev/null)
  rc=$?
  if [ $rc -eq 0 ]; then ok+=("$n"); else
    why=$(printf '%s' "$why" | tail -1)
    log "$n: FAILED: $why"
    failed+=("$n: $why")
  fi
done
"$PY" "$TOOL" index "$SUITE" >/dev/null 2>&1 || true
# the profile's training inputs (another input than the timed one; training-inputs.sh)
if [ ${#ok[@]} -gt 0 ] && [ "${DEVSUITE_BUILD_ONLY:-0}" != 1 ]; then
  bash "$HERE/training-inputs.sh" "${ok[@]}" || failed+=("training inputs: see the lines above")
fi
el=$(( $(date +%s) - T0 ))
echo
echo "devsuite: suite at $SUITE"
for f in "${failed[@]}"; do echo "  FAILED $f"; done
echo "devsuite: ${#ok[@]} ok, ${#failed[@]} failed, $(( el / 60 )) min $(( el % 60 )) s"
[ ${#failed[@]} -eq 0 ]
