PKG=libdeflate
KIND=compressor
BUILD_SYSTEM=make
BUILD='make -j$JOBS gzip CFLAGS=-O2 DISABLE_SHARED=1'
BINARY=gzip
WORKLOAD='$PY $GEN mixed --size 8M --seed 6 > input.dat'
RUN='"$EXE" -11 -c input.dat > "$T/o.gz"; md5sum < "$T/o.gz"; "$EXE" -dc "$T/o.gz" | md5sum'
NOTE='libdeflate-gzip (the project'"'"'s own gzip front end); no zlib involved'
