PKG=openjpeg2
KIND=image-codec
BUILD_SYSTEM=cmake
CONFIGURE='cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE=-O2 -DBUILD_SHARED_LIBS=OFF -DBUILD_CODEC=ON -DBUILD_THIRDPARTY=OFF -DBUILD_TESTING=OFF -DOPJ_USE_THREAD=OFF'
BUILD='cmake --build build -j $JOBS --target opj_compress opj_decompress'
BINARY=build/bin/opj_compress
WORKLOAD='$TOOLS/gen ppm 2000 1500 26 > input.ppm'
RUN='"$EXE" -quiet -i input.ppm -o "$T/o.j2k" -r 40,20,10 -n 6 >/dev/null; md5sum < "$T/o.j2k"; "$EXE" -i input.ppm -o "$T/l.jp2" >/dev/null; md5sum < "$T/l.jp2"'
NOTE='thirdparty/ (which holds a zlib copy) is not built; PNG/TIFF support comes from system libraries if present'
