PKG=lame
KIND=audio-codec
BUILD_SYSTEM=autotools
DEPS="libncurses-dev"
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --disable-gtktest --disable-decoder CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=frontend/lame
WORKLOAD='$TOOLS/gen wav 60 44100 2 14 > input.wav'
RUN='"$EXE" --quiet -q 2 -b 192 input.wav - | md5sum'
