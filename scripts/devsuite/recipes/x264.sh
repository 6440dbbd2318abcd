PKG=x264
KIND=video-codec
BUILD_SYSTEM=configure+make
CONFIGURE='./configure --disable-asm --disable-opencl --disable-thread --disable-lavf --disable-swscale --disable-ffms --disable-gpac --disable-lsmash --bit-depth=8 --chroma-format=420 --extra-cflags=-O2'
BUILD='make -j$JOBS x264'
BINARY=x264
WORKLOAD='$TOOLS/gen y4m 352 288 40 21 > input.y4m'
RUN='"$EXE" --quiet --no-progress --threads 1 --preset medium -o "$T/o.264" input.y4m 2>/dev/null; md5sum < "$T/o.264"'
NOTE='C only (--disable-asm), single-threaded'
