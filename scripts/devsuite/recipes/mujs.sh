PKG=mujs
KIND=interpreter
BUILD_SYSTEM=make
DEPS="libreadline-dev"
BUILD='make -j$JOBS build=release HAVE_READLINE=no XCFLAGS= build/release/mujs'
BINARY=build/release/mujs
WORKLOAD='cp "$WL/js-work.js" prog.js'
ARGS='prog.js'
