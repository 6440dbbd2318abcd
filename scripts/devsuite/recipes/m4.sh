PKG=m4
KIND=macro-processor
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-nls CFLAGS=-O2'
BUILD='make -j$JOBS -C lib && make -j$JOBS -C src m4'
BINARY=src/m4
WORKLOAD='cp "$WL/m4-work.m4" prog.m4'
ARGS='prog.m4'
