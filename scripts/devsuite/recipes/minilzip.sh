PKG=lzlib
KIND=compressor
BUILD_SYSTEM=configure+make
CONFIGURE='./configure CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=minilzip
WORKLOAD='$PY $GEN text --size 3M --seed 8 > input.txt'
RUN='"$EXE" -9 -c input.txt > "$T/o.lz"; md5sum < "$T/o.lz"; "$EXE" -dc "$T/o.lz" | md5sum'
