#!/usr/bin/env bash
# The compiler launcher compilerllm-cc on real C projects: Debian 12 source packages built with their own build
# systems (autotools, CMake, plain Make) at their usual optimization level, with the launcher in front of GCC
# (CC="compilerllm-cc gcc", or CMAKE_C_COMPILER_LAUNCHER=compilerllm-cc), then the project's own test suite.
#
#   bash scripts/launcher-projects.sh [PROJECT…]          build + test with the launcher; one table at the end
#   bash scripts/launcher-projects.sh --fault [PROJECT]   a miscompile injected into one function (fault_injection);
#                                                         `compilerllm-cc --replay` must find that unit and fall back
#   bash scripts/launcher-projects.sh --time [PROJECT…]   build time: plain gcc vs launcher (cold cache) vs launcher
#                                                         (warm cache), interleaved rounds; ratios with intervals
#
# PROJECT: gzip xz jq cmark brotli lz4 xxhash (default: all), and for --time also wordfreq (samples/wordfreq).
# Environment: JOBS (make -j, default 2), ROUNDS (--time, default 5), MODES (--time: the modes each round runs, in
# rotating order; default "plain cold warm"; also cold-local: cold with the scoring server off, and cold-server: an
# empty cache with the server left running by the build before, as in a developer's next build), SERVER=0 (the
# launcher's scoring server off everywhere), KEEP_CACHE=1 (the default mode keeps the
# launcher's cache of earlier runs instead of starting cold), LAUNCHER (a compilerllm-cc to use; default: the one
# scripts/pack-launcher.sh installs into artifacts/tools, packed when missing), LAUNCHER_B (--time: a second
# compilerllm-cc, e.g. before a change; a mode named with -b, such as cold-b, runs with it and its own scoring server,
# interleaved with the others, and the summary adds its ratio to the same mode without -b).
# Sources, builds, caches and logs live under .cache/projects/ (git-ignored); fetching is skipped when present.
# Exit status: non-zero when any build or test suite fails (or, for --fault, when replay does not catch the fault).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
base="$root/.cache/projects"
jobs=${JOBS:-2}
rounds=${ROUNDS:-5}
time_modes=${MODES:-plain cold warm}
mode=check
args=()
for a in "$@"; do
  case "$a" in
    --fault) mode=fault ;;
    --time) mode=time ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "launcher-projects: unknown option $a" >&2; exit 2 ;;
    *) args+=("$a") ;;
  esac
done

# ---------------------------------------------------------------------------------------------------------------
# The projects, as data. system: autotools (./configure in a copy of the source; make; make check), cmake (Release, which is
# -O3; ctest), make (a copy of the source; each test target run on its own and counted). Optimization levels are the
# projects' own defaults: autotools -g -O2, CMake Release -O3, lz4 and xxhash -O3.
#   name | Debian source package | system | configure arguments | make test targets (system make)
projects_table='
gzip   | gzip     | autotools |                                                                               |
xz     | xz-utils | autotools | --disable-nls --disable-doc --disable-scripts                                 |
jq     | jq       | autotools | --with-oniguruma=yes --disable-docs --disable-maintainer-mode --disable-valgrind |
cmark  | cmark    | cmake     |                                                                               |
brotli | brotli   | cmake     |                                                                               |
lz4    | lz4      | make      |                                                                               | -C tests test-lz4-basic;-C tests test-lz4-multiple;-C tests test-lz4-multiple-legacy;-C tests test-lz4-frame-concatenation;-C tests test-lz4-testmode;-C tests test-lz4-contentSize;-C tests test-lz4-dict
xxhash | xxhash   | make      |                                                                               | check;test-xxhsum-c;namespaceTest;c90test;test-tools
'
# Packages the builds need beyond gcc/make (Debian names), and the fault-injection target: project and function.
build_packages=(cmake autoconf automake libtool libonig-dev python3 texinfo)
fault_project=lz4
fault_function=LZ4_decompress_safe

field() { # field NAME INDEX
  awk -F'|' -v n="$1" -v i="$2" '{gsub(/^[ \t]+|[ \t]+$/, "", $1)} $1 == n {v = $i; gsub(/^[ \t]+|[ \t]+$/, "", v); print v}' <<<"$projects_table"
}
all_projects() { awk -F'|' 'NF > 1 {gsub(/[ \t]/, "", $1); print $1}' <<<"$projects_table"; }

# ---------------------------------------------------------------------------------------------------------------
# Set-up: the launcher, the Debian sources and the build dependencies (each step skipped when already done).
launcher=${LAUNCHER:-$root/artifacts/tools/compilerllm-cc}
if [ ! -x "$launcher" ]; then
  echo "launcher-projects: packing the launcher (scripts/pack-launcher.sh)" >&2
  launcher=$(bash scripts/pack-launcher.sh | tail -1)
fi
export PATH="$(dirname "$launcher"):$PATH"
# The user's own launcher configuration file stays out of it: every setting here comes from the environment.
export COMPILERLLM_CONFIG="$base/no-config-file.conf"
unset COMPILERLLM_OPTIMIZE COMPILERLLM_POLICY COMPILERLLM_VARIANTS COMPILERLLM_CACHE COMPILERLLM_FAULT_INJECTION COMPILERLLM_TIMEOUT COMPILERLLM_VALIDATE \
  COMPILERLLM_SERVER COMPILERLLM_SERVER_IDLE
mkdir -p "$base/src" "$base/logs"
# The scoring server of these builds is theirs alone (SERVER=0: every unit loads ONNX Runtime itself, as before it).
export COMPILERLLM_SERVER_DIR="$base/server"
[ "${SERVER:-1}" = 1 ] || export COMPILERLLM_SERVER=false
stop_server() { "$launcher" --stop-server >/dev/null 2>&1 || true; }
launcher_b=${LAUNCHER_B:-}
stop_server_b() { [ -z "$launcher_b" ] || COMPILERLLM_SERVER_DIR="$base/server-b" "$launcher_b" --stop-server >/dev/null 2>&1 || true; }
trap 'stop_server; stop_server_b' EXIT

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_update() { [ -n "$apt_updated" ] || { as_root apt-get update -qq >/dev/null; apt_updated=1; }; }

missing=()
for p in "${build_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "launcher-projects: installing ${missing[*]}" >&2
  apt_update
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

source_dir() { # the unpacked source of a project (apt-get source names it PACKAGE-VERSION)
  local pkg; pkg=$(field "$1" 2)
  find "$base/src" -maxdepth 1 -type d -name "$pkg-[0-9]*" | sort | tail -1
}

fetch() {
  local name=$1 pkg dir
  pkg=$(field "$name" 2)
  dir=$(source_dir "$name")
  if [ -z "$dir" ]; then
    if ! grep -rqs '^\(Types: *deb-src\|deb-src \)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      echo "launcher-projects: adding a deb-src entry for bookworm main" >&2
      printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        | as_root tee /etc/apt/sources.list.d/compilerllm-projects-src.sources >/dev/null
      apt_updated=
    fi
    apt_update
    echo "launcher-projects: apt-get source $pkg" >&2
    (cd "$base/src" && apt-get source -qq "$pkg" >"$base/logs/fetch-$name.log" 2>&1) || { cat "$base/logs/fetch-$name.log" >&2; exit 1; }
    dir=$(source_dir "$name")
  fi
  # jq's release tarball carries no configure script: generate it once (Debian does the same, dh_autoreconf).
  if [ "$name" = jq ] && [ ! -x "$dir/configure" ]; then
    (cd "$dir" && autoreconf -fi >"$base/logs/autoreconf-jq.log" 2>&1) || { cat "$base/logs/autoreconf-jq.log" >&2; exit 1; }
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# Building and testing one project. The build directory is made anew each time; CC is "gcc" (plain) or
# "compilerllm-cc gcc" (launcher). Each step appends to LOG; a failing step prints the log's tail.
run_logged() { # run_logged LOG COMMAND… (in the current directory)
  if ! "$@" >>"$log" 2>&1; then
    echo "launcher-projects: failed: $* (in $(pwd)); last lines of $log:" >&2
    tail -25 "$log" >&2
    return 1
  fi
}

configure_step() { # configure_step NAME BUILD_DIR CC_MODE
  local name=$1 dir=$2 cc_mode=$3 src system
  src=$(source_dir "$name"); system=$(field "$name" 3)
  rm -rf "$dir"; mkdir -p "$(dirname "$dir")"
  case "$system" in
    autotools)
      # In a copy of the source, not out of tree: jq's tests look for ../jq beside themselves.
      cp -a "$src" "$dir"
      local cc=gcc; [ "$cc_mode" = plain ] || cc="compilerllm-cc gcc"
      # shellcheck disable=SC2046
      (cd "$dir" && run_logged ./configure CC="$cc" $(field "$name" 4)) ;;
    cmake)
      local launch=(); [ "$cc_mode" = plain ] || launch=(-DCMAKE_C_COMPILER_LAUNCHER=compilerllm-cc)
      run_logged cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=gcc "${launch[@]}" ;;
    make)
      cp -a "$src" "$dir"; find "$dir" -name '*.o' -delete ;;
    wordfreq)
      cp -a "$root/samples/wordfreq" "$dir"; (cd "$dir" && make -s clean >/dev/null) ;;
  esac
}

build_command() { # the build command, as a string for the shell (also what --replay relinks with)
  local name=$1 cc_mode=$2 system cc=gcc
  system=$(field "$name" 3); [ "$cc_mode" = plain ] || cc="compilerllm-cc gcc"
  case "$system" in
    autotools) echo "make -j$jobs" ;;
    cmake) echo "cmake --build . -j$jobs" ;;
    make|wordfreq) echo "make -j$jobs CC='$cc'" ;;
  esac
}

build_step() { (cd "$2" && run_logged bash -c "$(build_command "$1" "$3")"); }

# The test suite; prints "passed failed skipped total" and returns non-zero when a test failed.
test_step() { # test_step NAME BUILD_DIR CC_MODE
  local name=$1 dir=$2 cc_mode=$3 system out cc=gcc
  system=$(field "$name" 3); [ "$cc_mode" = plain ] || cc="compilerllm-cc gcc"
  out=$(mktemp)
  case "$system" in
    autotools)
      local rc=0
      (cd "$dir" && make -j"$jobs" check) >"$out" 2>&1 || rc=$?
      cat "$out" >>"$log"
      # automake's summary, once per directory with tests: PASS and XFAIL pass, FAIL, XPASS and ERROR fail.
      awk '/^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):/ {gsub(":", "", $2); n[$2] += $3}
           END {printf "%d %d %d %d\n", n["PASS"] + n["XFAIL"], n["FAIL"] + n["XPASS"] + n["ERROR"], n["SKIP"], n["TOTAL"]}' "$out"
      rm -f "$out"; return $rc ;;
    cmake)
      local rc=0
      (cd "$dir" && ctest -j"$jobs" --output-on-failure) >"$out" 2>&1 || rc=$?
      cat "$out" >>"$log"
      # "100% tests passed, 0 tests failed out of 23" (skipped tests are listed as "Not Run"/"Skipped")
      awk '/tests passed, [0-9]+ tests? failed out of/ {f = $4; t = $NF}
           /\*\*\*Skipped|\*\*\*Not Run/ {s++}
           END {printf "%d %d %d %d\n", t - f - s, f, s, t}' "$out"
      rm -f "$out"; return $rc ;;
    make)
      local passed=0 failed=0 total=0 target
      IFS=';' read -r -a targets <<<"$(field "$name" 5)"
      for target in "${targets[@]}"; do
        total=$((total + 1))
        # shellcheck disable=SC2086
        if (cd "$dir" && make $target CC="$cc") >>"$log" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "  test target failed: make $target" >&2; fi
      done
      echo "$passed $failed 0 $total"
      rm -f "$out"; [ $failed -eq 0 ] ;;
    wordfreq)
      if (cd "$dir" && make check CC="$cc") >>"$log" 2>&1; then echo "1 0 0 1"; else echo "0 1 0 1"; return 1; fi ;;
  esac
}

test_command() { # the test command as a string for the shell (what --replay runs)
  local name=$1 system cc="compilerllm-cc gcc"
  system=$(field "$name" 3)
  case "$system" in
    autotools) echo "make -j$jobs check" ;;
    cmake) echo "ctest -j$jobs" ;;
    make) local t; IFS=';' read -r -a t <<<"$(field "$name" 5)"; local cmd="" x
          for x in "${t[@]}"; do cmd+="${cmd:+ && }make $x CC='$cc'"; done; echo "$cmd" ;;
  esac
}

# compilerllm-cc --report --json, as "units optimized unchanged fallbacks rewrites from_cache launcher_seconds"
report_numbers() {
  compilerllm-cc --report "$1" --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
print(r["units"], r["optimized"], r["unchanged"], r["fallbacks"], r["rewrites"], r["fromCache"], "%.1f" % r["seconds"])'
}

load_average() { cut -d' ' -f1-3 /proc/loadavg; }
# CPU seconds the whole machine has spent busy (user, nice, system, irq, softirq): over a build, the CPU of the build,
# the scoring server included, which a wall clock on a shared 2-core VM blurs.
clock_ticks=$(getconf CLK_TCK)
busy_seconds() { awk -v hz="$clock_ticks" '/^cpu / {printf "%.2f\n", ($2 + $3 + $4 + $7 + $8) / hz}' /proc/stat; }

# ---------------------------------------------------------------------------------------------------------------
check_mode() {
  local names=("$@") failed_any=0 name rows=()
  export COMPILERLLM_CACHE_DIR="$base/cache" COMPILERLLM_LOG_FILE="$base/logs/compilerllm.log"
  if [ -z "${KEEP_CACHE:-}" ]; then compilerllm-cc --clear-cache >/dev/null; : >"$COMPILERLLM_LOG_FILE"; fi
  echo "launcher-projects: $(compilerllm-cc --show-config | grep -E '^(policy|variants|cache_dir) ' | tr -s ' ' | paste -sd';' -)"
  for name in "${names[@]}"; do
    fetch "$name"
    local dir="$base/build/$name" system version
    system=$(field "$name" 3); version=$(basename "$(source_dir "$name")")
    log="$base/logs/$name.log"; : >"$log"
    export COMPILERLLM_REPORT_DIR="$base/units/$name"; rm -rf "$COMPILERLLM_REPORT_DIR"
    echo "== $version ($system), load average $(load_average); log: ${log#"$root"/}"
    local start end built=yes tests="- - - -" test_rc=0
    start=$(date +%s.%N)
    if configure_step "$name" "$dir" launcher && build_step "$name" "$dir" launcher; then
      end=$(date +%s.%N)
      tests=$(test_step "$name" "$dir" launcher) || test_rc=$?
    else
      end=$(date +%s.%N); built=no; test_rc=1
    fi
    local nums; nums=$(report_numbers "$dir")
    compilerllm-cc --report "$dir" | sed 's/^/   /'
    read -r p f s t <<<"$tests"
    printf '   build %s in %.0f s; tests: %s passed, %s failed, %s skipped of %s\n' "$built" "$(echo "$end - $start" | bc -l)" "$p" "$f" "$s" "$t"
    [ $test_rc -eq 0 ] || { failed_any=1; echo "   FAILED (see ${log#"$root"/})"; }
    rows+=("$name|$version|$system|$nums|$p/$t|$([ $test_rc -eq 0 ] && echo ok || echo FAIL)")
  done
  echo
  echo "Summary (launcher $(compilerllm-cc --show-config | sed -n 's/^policy *= */policy /p'), cache $([ -n "${KEEP_CACHE:-}" ] && echo "kept from earlier runs" || echo "cleared at the start")):"
  printf '%-8s %-22s %-9s %6s %9s %9s %9s %8s %10s %9s %11s %6s\n' project source system units optimized unchanged fallbacks rewrites cache-hits "cc-time" "tests" result
  local row
  for row in "${rows[@]}"; do
    IFS='|' read -r n v sys nums tp res <<<"$row"
    read -r u o un fb rw hit sec <<<"$nums"
    printf '%-8s %-22s %-9s %6s %9s %9s %9s %8s %10s %8ss %11s %6s\n' "$n" "$v" "$sys" "$u" "$o" "$un" "$fb" "$rw" "$hit" "$sec" "$tp" "$res"
  done
  echo "(units: objects the launcher compiled; cc-time: seconds spent in the launcher over all units; tests: passed/total)"
  return $failed_any
}

# ---------------------------------------------------------------------------------------------------------------
fault_mode() {
  local name=${1:-$fault_project} function=${2:-}
  [ -n "$function" ] || { [ "$name" = "$fault_project" ] && function=$fault_function; }
  [ -n "$function" ] || { echo "launcher-projects: --fault $name needs a function name too (--fault PROJECT FUNCTION)" >&2; exit 2; }
  fetch "$name"
  local dir="$base/fault/$name"
  export COMPILERLLM_CACHE_DIR="$base/cache" COMPILERLLM_LOG_FILE="$base/logs/compilerllm-fault.log"
  export COMPILERLLM_REPORT_DIR="$base/units/fault-$name"; rm -rf "$COMPILERLLM_REPORT_DIR"
  log="$base/logs/fault-$name.log"; : >"$log"
  echo "== fault injection: $(basename "$(source_dir "$name")"), a rewrite in function $function corrupted (COMPILERLLM_FAULT_INJECTION=$function)"
  COMPILERLLM_FAULT_INJECTION=$function configure_step "$name" "$dir" launcher
  COMPILERLLM_FAULT_INJECTION=$function build_step "$name" "$dir" launcher
  compilerllm-cc --report "$dir" | sed 's/^/   /'
  local tests rc=0
  tests=$(test_step "$name" "$dir" launcher 2>/dev/null) || rc=$?
  echo "   1. the project's tests on the faulty build: $(counts "$tests"), exit $rc"
  if [ $rc -eq 0 ]; then echo "   the fault is not observable by the tests (no rewrite in $function, or not exercised): choose another function" >&2; return 1; fi
  echo "   2. compilerllm-cc --replay --build \"$(build_command "$name" launcher)\" --test \"$(test_command "$name")\""
  local replay_out replay_rc=0
  replay_out=$(cd "$dir" && compilerllm-cc --replay --build "$(build_command "$name" launcher)" --test "$(test_command "$name")" 2>&1) || replay_rc=$?
  echo "$replay_out" | sed 's/^/      /'
  local culprits; culprits=$(grep -c 'replay: culprit' <<<"$replay_out" || true)
  rc=0; tests=$(test_step "$name" "$dir" launcher 2>/dev/null) || rc=$?
  echo "   3. the project's tests on the build after replay: $(counts "$tests"), exit $rc"
  compilerllm-cc --report "$dir" | sed 's/^/   /'
  # The culprit replay names must be the unit that defines the function.
  local defining culprit_sources
  defining=$(grep -l "^[A-Za-z_].*[ *]$function *(" -r "$(source_dir "$name")" --include='*.c' 2>/dev/null | xargs -r -n1 basename | sort -u | paste -sd' ' -)
  culprit_sources=$(sed -n 's/.*replay: culprit .* (\(.*\)); GCC.*/\1/p' <<<"$replay_out" | xargs -r -n1 basename | sort -u | paste -sd' ' -)
  echo "   $function is defined in: ${defining:-?}; replay's culprit(s): ${culprit_sources:-none}"
  local expected=no c
  for c in $culprit_sources; do [[ " $defining " == *" $c "* ]] && expected=yes; done
  if [ $replay_rc -eq 0 ] && [ "$culprits" -ge 1 ] && [ "$expected" = yes ] && [ $rc -eq 0 ]; then
    echo "fault injection: caught; replay bisected to the unit defining $function ($culprit_sources), which fell back to GCC's object; the rebuilt project passes its tests"
  else
    echo "fault injection: NOT handled (replay exit $replay_rc, $culprits culprit(s): ${culprit_sources:-none}, expected one of: ${defining:-?}; tests exit $rc)"; return 1
  fi
}

counts() { local p f s t; read -r p f s t <<<"$1"; echo "$p passed, $f failed, $s skipped of $t"; }

# ---------------------------------------------------------------------------------------------------------------
# --time: per round, the three modes in a rotating order (plain, cold, warm; then cold, warm, plain; …), each a
# fresh build tree at the same path (so that GCC's output, debug paths included, is the same and the warm cache
# hits). Cold: an empty cache directory and no scoring server for each run; warm: a cache primed once before the rounds.
time_mode() {
  local names=("$@") name stats="$base/logs/time.tsv"
  if [[ " $time_modes " == *-b" "* ]] && [ ! -x "$launcher_b" ]; then
    echo "launcher-projects: MODES has a -b mode; LAUNCHER_B must name a compilerllm-cc" >&2; exit 2
  fi
  : >"$stats"
  echo "build time: $rounds interleaved rounds per project, $jobs jobs; load average at start $(load_average) on $(nproc) cores"
  for name in "${names[@]}"; do
    [ "$name" = wordfreq ] || fetch "$name"
    local dir="$base/time/$name" r m order
    log="$base/logs/time-$name.log"; : >"$log"
    export COMPILERLLM_REPORT_DIR="$base/units/time-$name" COMPILERLLM_LOG_FILE="$base/logs/compilerllm-time.log"
    # Prime the warm cache with one untimed launcher build at the same path.
    rm -rf "$base/time-cache/warm-$name"
    COMPILERLLM_CACHE_DIR="$base/time-cache/warm-$name" configure_step "$name" "$dir" launcher
    COMPILERLLM_CACHE_DIR="$base/time-cache/warm-$name" build_step "$name" "$dir" launcher
    if [[ " $time_modes " == *" warm-b "* ]]; then
      rm -rf "$base/time-cache/b/warm-$name"
      (export PATH="$(dirname "$launcher_b"):$PATH" COMPILERLLM_SERVER_DIR="$base/server-b" COMPILERLLM_CACHE_DIR="$base/time-cache/b/warm-$name"
       configure_step "$name" "$dir" launcher && build_step "$name" "$dir" launcher)
    fi
    local modes=($time_modes) nm
    nm=${#modes[@]}
    for ((r = 0; r < rounds; r++)); do
      for ((k = 0; k < nm; k++)); do
        m=${modes[$(((r + k) % nm))]}
        # A mode ending in -b is the same mode with LAUNCHER_B (first on PATH, its own server and caches).
        local caches="$base/time-cache" mode_path=$PATH server_dir=$COMPILERLLM_SERVER_DIR stop=stop_server
        [[ "$m" != *-b ]] || { caches="$base/time-cache/b"; mode_path="$(dirname "$launcher_b"):$PATH" server_dir="$base/server-b" stop=stop_server_b; }
        local cache_dir="$caches/warm-$name" cc_mode=launcher server=true
        # Cold: an empty cache and no scoring server (the build's first unit that scores starts it); cold-local: the
        # same, with the server off (every unit starts ONNX Runtime itself); cold-server: an empty cache with the
        # server left running from the build before (a developer's next build within server_idle).
        local base_mode=${m%-b}
        case "$base_mode" in cold | cold-local) cache_dir="$caches/cold"; rm -rf "$cache_dir"; $stop ;; esac
        [ "$base_mode" != cold-server ] || { cache_dir="$caches/cold"; rm -rf "$cache_dir"; }
        [ "$base_mode" != cold-local ] || server=false
        [ "$m" != plain ] || cc_mode=plain
        local t0 t1 t2 c1 c2
        t0=$(date +%s.%N)
        PATH=$mode_path COMPILERLLM_SERVER_DIR=$server_dir COMPILERLLM_SERVER=$server COMPILERLLM_CACHE_DIR=$cache_dir configure_step "$name" "$dir" "$cc_mode"
        t1=$(date +%s.%N); c1=$(busy_seconds)
        PATH=$mode_path COMPILERLLM_SERVER_DIR=$server_dir COMPILERLLM_SERVER=$server COMPILERLLM_CACHE_DIR=$cache_dir build_step "$name" "$dir" "$cc_mode"
        t2=$(date +%s.%N); c2=$(busy_seconds)
        printf '%s\t%s\t%d\t%s\t%s\t%s\t%s\n' "$name" "$m" "$r" "$(echo "$t1 - $t0" | bc -l)" "$(echo "$t2 - $t1" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)" \
          "$(echo "$c2 - $c1" | bc -l)" >>"$stats"
      done
    done
    echo "  $name: done, load average $(load_average)"
  done
  python3 - "$stats" "$(field_systems "${names[@]}")" <<'PY'
import sys, statistics, math
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
systems = dict(p.split("=") for p in sys.argv[2].split())
data = {}
for name, mode, rnd, conf, build, load, cpu in rows:
    data.setdefault(name, {}).setdefault(mode, {})[int(rnd)] = (float(conf), float(build), float(load), float(cpu))

def median_interval(xs):
    """Distribution-free interval for the median from order statistics: the narrowest (x(k), x(n+1-k)) whose
    coverage 1 - 2 P(Bin(n, 1/2) < k) is at least 90%; the full range when n is too small for that."""
    xs = sorted(xs); n = len(xs)
    best = (xs[0], xs[-1], 1 - 2 * 0.5 ** n)
    for k in range(2, n // 2 + 1):
        cover = 1 - 2 * sum(math.comb(n, i) for i in range(k)) / 2 ** n
        if cover >= 0.90: best = (xs[k - 1], xs[n - k], cover)
    return best

print()
print("Ratios to the plain gcc build of the same round (per-round ratio: median and a distribution-free interval for")
print("the median; min: ratio of the fastest runs). Goals: cold <= 1.25x, warm <= 1.05x (build step).")
hdr = f"{'project':9} {'system':9} {'step':9} {'mode':10} {'n':>2} {'plain min s':>11} {'min s':>7} {'min ratio':>9} {'median ratio':>12} {'interval (cover)':>22} {'goal':>5} {'load':>5} {'cpu ratio':>9}"
print(hdr); print("-" * len(hdr))
for name, modes in data.items():
    steps = ["build"] if systems.get(name) in ("make", "wordfreq") else ["configure", "build", "total"]
    for step in steps:
        for mode in [m + b for m in ("cold", "cold-local", "cold-server", "warm") for b in ("", "-b")]:
            rounds = sorted(set(modes.get("plain", {})) & set(modes.get(mode, {})))
            if not rounds: continue
            def t(m, r):
                c, b = modes[m][r][:2]
                return {"configure": c, "build": b, "total": c + b}[step]
            ratios = [t(mode, r) / t("plain", r) for r in rounds]
            pmin = min(t("plain", r) for r in rounds); mmin = min(t(mode, r) for r in rounds)
            lo, hi, cover = median_interval(ratios)
            med = statistics.median(ratios)
            goal = {"cold": 1.25, "cold-local": 1.25, "cold-server": 1.25, "warm": 1.05}[mode.removesuffix("-b")]
            verdict = ("met" if hi <= goal else "no" if lo > goal else "?") if step == "build" else ""
            load = statistics.median(modes[mode][r][2] for r in rounds)
            cpu = f"{statistics.median(modes[mode][r][3] / modes['plain'][r][3] for r in rounds):>8.2f}x" if step == "build" else ""
            print(f"{name:9} {systems.get(name, ''):9} {step:9} {mode:10} {len(rounds):>2} {pmin:>11.2f} {mmin:>7.2f} {mmin / pmin:>8.2f}x {med:>11.2f}x "
                  f"{f'[{lo:.2f}, {hi:.2f}] ({cover:.0%})':>22} {verdict:>5} {load:>5.1f} {cpu:>9}")
pairs = [(name, step, m) for name, modes in data.items() for m in ("cold", "cold-local", "cold-server", "warm")
         for step in ("build",) if m in modes and m + "-b" in modes]
if pairs:
    print()
    print("LAUNCHER against LAUNCHER_B, same mode, same round (build step; below 1 = LAUNCHER is faster):")
    for name, step, m in pairs:
        rounds = sorted(set(data[name][m]) & set(data[name][m + "-b"]))
        ratios = [data[name][m][r][1] / data[name][m + "-b"][r][1] for r in rounds]
        lo, hi, cover = median_interval(ratios)
        cpu = statistics.median(data[name][m][r][3] / data[name][m + "-b"][r][3] for r in rounds)
        print(f"  {name:9} {m:11} n={len(rounds)} wall: median {statistics.median(ratios):.3f} [{lo:.3f}, {hi:.3f}] ({cover:.0%}); cpu: median {cpu:.3f}")
print("goal: met = the whole interval is within the goal, no = the whole interval is above it, ? = undecided.")
print("load: median 1-minute load average at the end of the runs (the machine has %s cores)." % __import__("os").cpu_count())
print("cpu ratio: median per-round ratio of the CPU the machine spent during the build step (the scoring server included).")
PY
  echo "load average at the end $(load_average); raw times: ${stats#"$root"/}"
}

field_systems() { local n; for n in "$@"; do if [ "$n" = wordfreq ]; then printf 'wordfreq=make '; else printf '%s=%s ' "$n" "$(field "$n" 3)"; fi; done; }

# wordfreq (samples/wordfreq) is a project of its own for --time only.
projects_table+=$'\nwordfreq | - | wordfreq | |\n'
case "$mode" in
  check)
    [ ${#args[@]} -gt 0 ] || mapfile -t args < <(all_projects | grep -v wordfreq)
    check_mode "${args[@]}" ;;
  fault)
    fault_mode "${args[@]}" ;;
  time)
    [ ${#args[@]} -gt 0 ] || { mapfile -t args < <(all_projects | grep -v wordfreq); args+=(wordfreq); }
    time_mode "${args[@]}" ;;
esac
