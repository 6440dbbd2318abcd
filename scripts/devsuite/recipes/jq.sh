PKG=jq
KIND=interpreter
BUILD_SYSTEM=autotools
DEPS="libonig-dev"
CONFIGURE='autoreconf -fi >/dev/null 2>&1; ./configure --disable-dependency-tracking --disable-shared --disable-docs --disable-maintainer-mode --with-oniguruma=yes CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=jq
WORKLOAD='$PY $GEN json --records 60000 --seed 45 > input.json'
RUN='"$EXE" -c "[.[] | select(.score > 50) | {id, name, t: (.tags | length)}] | length" input.json; "$EXE" -c "group_by(.city) | map({c: .[0].city, n: length, s: (map(.score) | add)})" input.json | md5sum; "$EXE" -S . input.json | md5sum'
NOTE='regexes through the system libonig (linked, not part of the units)'
