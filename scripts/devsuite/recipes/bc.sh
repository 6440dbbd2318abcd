PKG=bc
KIND=interpreter
BUILD_SYSTEM=autotools
DEPS="flex bison texinfo"
CONFIGURE='./configure --disable-dependency-tracking CFLAGS=-O2'
BUILD='make -j$JOBS -C lib && make -j$JOBS -C bc'
BINARY=bc/bc
WORKLOAD='cp "$WL/bc-pi.bc" prog.bc'
ARGS='-q -l prog.bc'
