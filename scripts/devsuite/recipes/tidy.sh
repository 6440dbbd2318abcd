PKG=tidy-html5
KIND=markup
BUILD_SYSTEM=cmake
CONFIGURE='cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE=-O2 -DBUILD_SHARED_LIB=OFF -DSUPPORT_LOCALIZATIONS=OFF'
BUILD='cmake --build build -j $JOBS --target tidy'
BINARY=build/tidy
WORKLOAD='$PY $GEN html --size 300K --seed 44 > input.html'
RUN='"$EXE" -q -indent -wrap 100 --show-warnings no input.html 2>/dev/null | md5sum; "$EXE" -q -asxml --show-warnings no input.html 2>/dev/null | md5sum'
