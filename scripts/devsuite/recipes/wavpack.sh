PKG=wavpack
KIND=audio-codec
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --disable-asm CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=cli/wavpack
WORKLOAD='$TOOLS/gen wav 25 44100 2 16 > input.wav'
RUN='"$EXE" -q -hh -x4 -y input.wav -o - | md5sum'
