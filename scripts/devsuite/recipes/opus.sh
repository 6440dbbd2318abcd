PKG=opus
KIND=audio-codec
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --disable-doc --enable-extra-programs CFLAGS=-O2'
BUILD='make -j$JOBS opus_demo'
BINARY=opus_demo
WORKLOAD='$TOOLS/gen raw 120 48000 2 15 > input.raw'
RUN='"$EXE" audio 48000 2 96000 -complexity 10 input.raw "$T/o.raw" >/dev/null 2>&1; md5sum < "$T/o.raw"'
NOTE='opus_demo: encode and decode in one run'
