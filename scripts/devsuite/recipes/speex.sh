PKG=speex
KIND=audio-codec
BUILD_SYSTEM=autotools
DEPS="libogg-dev"
CONFIGURE='autoreconf -fi >/dev/null 2>&1; ./configure --disable-dependency-tracking --disable-shared CFLAGS=-O2'
BUILD='make -j$JOBS && make -C libspeex testenc_wb'
BINARY=libspeex/testenc_wb
WORKLOAD='$TOOLS/gen raw 120 16000 1 19 > input.raw'
RUN='"$EXE" input.raw "$T/o.raw" "$T/o.bits" >/dev/null 2>&1; md5sum < "$T/o.bits"; md5sum < "$T/o.raw"'
NOTE='libspeex/testenc_wb: wideband encode and decode of raw 16 kHz audio'
