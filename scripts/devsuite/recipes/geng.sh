PKG=nauty
DEPS="libcliquer-dev libgmp-dev"
KIND=combinatorics
BUILD_SYSTEM=autotools
CONFIGURE='autoreconf -fi >/dev/null 2>&1; ./configure --enable-generic --disable-popcnt --disable-clz --disable-shared CFLAGS=-O2 CPPFLAGS=-I/usr/include/cliquer'
BUILD='mkdir -p nauty && cp -f *.h nauty/ && make -j$JOBS nauty-geng'
BINARY=nauty-geng
RUN='"$EXE" -c -q 10 | md5sum; "$EXE" -c -u 10 2>&1 | sed "s/ in [0-9.]* sec//"'
NOTE='nauty geng: all connected graphs on 10 vertices'
