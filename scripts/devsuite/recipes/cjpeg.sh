PKG=libjpeg-turbo
KIND=image-codec
BUILD_SYSTEM=cmake
CONFIGURE='cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE=-O2 -DENABLE_SHARED=0 -DENABLE_STATIC=1 -DWITH_SIMD=0 -DWITH_TURBOJPEG=0 -DWITH_JAVA=0'
BUILD='cmake --build build -j $JOBS --target cjpeg-static djpeg-static'
BINARY=build/cjpeg-static
WORKLOAD='$TOOLS/gen ppm 4500 3500 22 > input.ppm'
RUN='"$EXE" -quality 92 -optimize -progressive input.ppm | md5sum; "$EXE" -quality 75 -dct float input.ppm | md5sum; "$EXE" -quality 50 -smooth 30 -sample 1x1 input.ppm | md5sum'
NOTE='C only (WITH_SIMD=0)'
