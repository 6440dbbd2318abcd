PKG=mpg123
KIND=audio-codec
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --with-cpu=generic_fpu --with-audio=dummy --with-default-audio=dummy --disable-modules --disable-network CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=src/mpg123
WORKLOAD='L="$SRC/lame/tree/frontend/lame"; [ -x "$L" ] || { echo "needs the lame recipe built first"; exit 1; }; $TOOLS/gen wav 600 44100 2 20 > a.wav; "$L" --quiet -q 7 -b 160 a.wav input.mp3; rm -f a.wav'
RUN='"$EXE" -q -s input.mp3 | md5sum'
NOTE='decodes an MP3 made by this suite'"'"'s lame (C decoder, no assembly)'
