PKG=gzip
KIND=compressor
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=gzip
WORKLOAD='$PY $GEN mixed --size 24M --seed 1 > input.dat'
RUN='"$EXE" -7 -c input.dat > "$T/o.gz"; md5sum < "$T/o.gz"; "$EXE" -dc "$T/o.gz" | md5sum'
