PKG=brotli
KIND=compressor
BUILD_SYSTEM=cmake
CONFIGURE='cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE=-O2 -DBUILD_SHARED_LIBS=OFF -DBROTLI_DISABLE_TESTS=ON'
BUILD='cmake --build build -j $JOBS --target brotli'
BINARY=build/brotli
WORKLOAD='$PY $GEN mixed --size 6M --seed 5 > input.dat'
RUN='"$EXE" -q 9 -c input.dat > "$T/o.br"; md5sum < "$T/o.br"; "$EXE" -dc "$T/o.br" | md5sum'
