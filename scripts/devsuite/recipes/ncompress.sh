PKG=ncompress
KIND=compressor
BUILD_SYSTEM=make
BUILD='make -j$JOBS compress CFLAGS=-O2'
BINARY=compress
WORKLOAD='$PY $GEN mixed --size 40M --seed 9 > input.dat'
RUN='"$EXE" -c input.dat > "$T/o.Z"; md5sum < "$T/o.Z"; "$EXE" -dc "$T/o.Z" | md5sum'
