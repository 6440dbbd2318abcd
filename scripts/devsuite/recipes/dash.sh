PKG=dash
KIND=interpreter
BUILD_SYSTEM=autotools
CONFIGURE='autoreconf -fi >/dev/null 2>&1; ./configure --disable-dependency-tracking CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=src/dash
WORKLOAD='cp "$WL/dash-work.sh" prog.sh'
ARGS='prog.sh'
