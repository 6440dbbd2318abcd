PKG=twolame
KIND=audio-codec
BUILD_SYSTEM=autotools
DEPS="libsndfile1-dev"
CONFIGURE='./configure --disable-dependency-tracking --disable-shared CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=frontend/twolame
WORKLOAD='$TOOLS/gen wav 120 44100 2 17 > input.wav'
RUN='"$EXE" --quiet -b 256 input.wav "$T/o.mp2"; md5sum < "$T/o.mp2"'
NOTE='the front end reads WAV through the system libsndfile (linked, not part of the units)'
