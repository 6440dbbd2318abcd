PKG=xz-utils
KIND=compressor
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --disable-nls --disable-threads --disable-doc CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=src/xz/xz
WORKLOAD='$PY $GEN mixed --size 5M --seed 2 > input.dat'
RUN='"$EXE" -6 -c input.dat > "$T/o.xz"; md5sum < "$T/o.xz"; "$EXE" -dc "$T/o.xz" | md5sum'
