PKG=libwebp
KIND=image-codec
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --disable-gl --disable-sdl --disable-png --disable-jpeg --disable-tiff --disable-gif --disable-wic --disable-threading --disable-libwebpmux CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=examples/dwebp
WORKLOAD='$TOOLS/gen ppm 4000 3000 25 > a.ppm && C="$SRC/libwebp/tree/examples/cwebp" && "$C" -quiet -q 90 a.ppm -o lossy.webp && "$C" -quiet -lossless -z 3 a.ppm -o lossless.webp && rm a.ppm'
RUN='"$EXE" -quiet lossy.webp -ppm -o - | md5sum; "$EXE" -quiet lossless.webp -ppm -o - | md5sum; "$EXE" -quiet -nofancy lossy.webp -yuv -o - | md5sum'
NOTE='inputs made by this build'"'"'s cwebp'
