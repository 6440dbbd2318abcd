PKG=zopfli
KIND=compressor
BUILD_SYSTEM=make
BUILD='make -j$JOBS zopfli CFLAGS="-O2 -W -Wall -Wextra -ansi -pedantic -lm"'
BINARY=zopfli
WORKLOAD='$PY $GEN mixed --size 600K --seed 10 > input.dat'
RUN='"$EXE" --i5 -c input.dat | md5sum'
