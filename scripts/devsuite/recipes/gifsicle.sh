PKG=gifsicle
KIND=image-optimizer
BUILD_SYSTEM=autotools
CONFIGURE='autoreconf -fi >/dev/null 2>&1; ./configure --disable-dependency-tracking --disable-gifview --disable-gifdiff CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=src/gifsicle
WORKLOAD='$TOOLS/gen gif 480 360 30 31 > input.gif'
RUN='"$EXE" -O3 input.gif | md5sum; "$EXE" --colors 64 --dither input.gif | md5sum; "$EXE" --resize 960x720 --resize-method lanczos3 input.gif | md5sum'
