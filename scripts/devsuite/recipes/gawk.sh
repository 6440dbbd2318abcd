PKG=gawk
KIND=interpreter
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-nls --disable-extensions --disable-mpfr --without-readline CFLAGS=-O2'
BUILD='make -j$JOBS -C support && make -j$JOBS gawk'
BINARY=gawk
WORKLOAD='$PY $GEN csv --rows 300000 --seed 33 > input.csv && cp "$WL/wordstats.awk" prog.awk'
ARGS='-f prog.awk input.csv'
