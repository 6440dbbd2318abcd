PKG=flac
KIND=audio-codec
BUILD_SYSTEM=autotools
DEPS=""
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --disable-ogg --disable-cpplibs --disable-doxygen-docs --disable-xmms-plugin CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=src/flac/flac
WORKLOAD='$TOOLS/gen wav 200 44100 2 13 > input.wav'
RUN='"$EXE" -s -8 -c input.wav > "$T/o.flac"; md5sum < "$T/o.flac"; "$EXE" -s -d -c "$T/o.flac" | md5sum'
