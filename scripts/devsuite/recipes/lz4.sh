PKG=lz4
KIND=compressor
BUILD_SYSTEM=make
BUILD='make -j$JOBS -C lib liblz4.a CFLAGS=-O2 && make -j$JOBS -C programs lz4 CFLAGS=-O2 LDFLAGS=-L../lib'
BINARY=programs/lz4
WORKLOAD='$PY $GEN mixed --size 20M --seed 3 > input.dat'
RUN='"$EXE" -q -9 -c input.dat > "$T/o.lz4"; md5sum < "$T/o.lz4"; "$EXE" -q -dc "$T/o.lz4" | md5sum'
