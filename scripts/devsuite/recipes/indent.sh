PKG=indent
KIND=text-tool
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking CFLAGS="-O2 -Wno-error"'
BUILD='make -j$JOBS -C src indent'
BINARY=src/indent
WORKLOAD='$PY $GEN csource --functions 20000 --seed 52 > input.c'
RUN='"$EXE" -gnu -st input.c | md5sum; "$EXE" -kr -st input.c | md5sum; "$EXE" -linux -st input.c | md5sum'
