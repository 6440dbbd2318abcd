PKG=cmark
KIND=markup
BUILD_SYSTEM=cmake
CONFIGURE='cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE=-O2 -DCMARK_TESTS=OFF -DCMARK_SHARED=OFF -DCMARK_STATIC=ON'
BUILD='cmake --build build -j $JOBS --target cmark_exe'
BINARY=build/src/cmark
WORKLOAD='$PY $GEN markdown --size 30M --seed 42 > input.md'
RUN='"$EXE" input.md | md5sum; "$EXE" -t xml --smart input.md | md5sum'
