PKG=tinyscheme
KIND=interpreter
BUILD_SYSTEM=make
BUILD='make -j$JOBS scheme DEBUG=-O2'
BINARY=scheme
WORKLOAD='cp "$TREE/init.scm" init.scm && cp "$WL/scheme-work.scm" prog.scm'
ARGS='prog.scm'
