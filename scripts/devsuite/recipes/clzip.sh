PKG=clzip
KIND=compressor
BUILD_SYSTEM=configure+make
CONFIGURE='./configure CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=clzip
WORKLOAD='$PY $GEN mixed --size 3M --seed 7 > input.dat'
RUN='"$EXE" -6 -c input.dat > "$T/o.lz"; md5sum < "$T/o.lz"; "$EXE" -dc "$T/o.lz" | md5sum'
