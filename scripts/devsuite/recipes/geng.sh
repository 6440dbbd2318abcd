PKG=nauty
DEPS="libcliquer-dev libgmp-dev"
KIND=combinatorics
BUILD_SYSTEM=autotools
CONFIGURE='autoreconf -fi >/dev/null 2>&1; ./configure --enable-generic --disable-popcnt --disable-clz --disable-shared CFLAGS=-O2 CPPFLAGS=-I/usr/include/cliquer'
BUILD='mkdir -p nauty && cp -f *.h nauty/ && make -j$JOBS nauty-geng'
BINARY=nauty-geng
RUN='"$EXE" -c -q 10 0/3 | md5sum; "$EXE" -c -u 10 0/3 2>&1 | sed -e "s/ in [0-9.]* sec//" -e "s/^>A [^ ]*/>A geng/"'
NOTE='nauty geng: the first third (res/mod 0/3) of the connected graphs on 10 vertices (cliquer from the system headers; the program name is normalized in the output)'
