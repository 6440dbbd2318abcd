PKG=libwebp
KIND=image-codec
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --disable-gl --disable-sdl --disable-png --disable-jpeg --disable-tiff --disable-gif --disable-wic --disable-threading --disable-libwebpmux CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=examples/cwebp
WORKLOAD='$TOOLS/gen ppm 1600 1200 24 > input.ppm'
RUN='"$EXE" -quiet -q 80 -m 6 input.ppm -o - | md5sum; "$EXE" -quiet -lossless -z 6 input.ppm -o - | md5sum'
