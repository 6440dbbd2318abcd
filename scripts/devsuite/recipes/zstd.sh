PKG=zstd
KIND=compressor
BUILD_SYSTEM=make
BUILD='make -j$JOBS -C programs zstd CFLAGS=-O2 HAVE_ZLIB=0 HAVE_LZMA=0 HAVE_LZ4=0 HAVE_THREAD=0 ZSTD_NO_ASM=1 ZSTD_LEGACY_SUPPORT=0'
BINARY=programs/zstd
WORKLOAD='$PY $GEN mixed --size 9M --seed 4 > input.dat'
RUN='"$EXE" -q -15 -c input.dat > "$T/o.zst"; md5sum < "$T/o.zst"; "$EXE" -q -dc "$T/o.zst" | md5sum'
NOTE='built without zlib/lzma/lz4 support, single-threaded, without the x86-64 assembly decoder'
