PKG=potrace
KIND=image-vectorizer
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --disable-zlib CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=src/potrace
WORKLOAD='$TOOLS/gen pbm 3000 3000 29 > input.pbm'
RUN='"$EXE" -s -o - input.pbm | md5sum; "$EXE" -b geojson -a 0 -O 0.5 -o - input.pbm | md5sum'
