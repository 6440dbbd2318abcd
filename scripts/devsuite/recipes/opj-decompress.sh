PKG=openjpeg2
KIND=image-codec
BUILD_SYSTEM=cmake
CONFIGURE='cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE=-O2 -DBUILD_SHARED_LIBS=OFF -DBUILD_CODEC=ON -DBUILD_THIRDPARTY=OFF -DBUILD_TESTING=OFF -DOPJ_USE_THREAD=OFF'
BUILD='cmake --build build -j $JOBS --target opj_compress opj_decompress'
BINARY=build/bin/opj_decompress
WORKLOAD='$TOOLS/gen ppm 3000 2000 27 > a.ppm && "$SRC/openjpeg2/tree/build/bin/opj_compress" -i a.ppm -o input.j2k >/dev/null && rm a.ppm'
RUN='"$EXE" -quiet -i input.j2k -o "$T/o.ppm" >/dev/null; md5sum < "$T/o.ppm"'
NOTE='input made by this build'"'"'s opj_compress'
