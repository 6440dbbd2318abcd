PKG=libjpeg-turbo
KIND=image-codec
BUILD_SYSTEM=cmake
CONFIGURE='cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE=-O2 -DENABLE_SHARED=0 -DENABLE_STATIC=1 -DWITH_SIMD=0 -DWITH_TURBOJPEG=0 -DWITH_JAVA=0'
BUILD='cmake --build build -j $JOBS --target cjpeg-static djpeg-static'
BINARY=build/djpeg-static
WORKLOAD='$TOOLS/gen ppm 4000 3000 23 > a.ppm && "$SRC/libjpeg-turbo/tree/build/cjpeg-static" -quality 95 -progressive a.ppm > input.jpg && rm a.ppm'
RUN='"$EXE" -ppm input.jpg | md5sum; "$EXE" -ppm -dct float -dither fs -colors 200 input.jpg | md5sum'
NOTE='C only (WITH_SIMD=0); the input JPEG is made by this build'"'"'s cjpeg'
