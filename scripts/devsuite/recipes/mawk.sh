PKG=mawk
KIND=interpreter
BUILD_SYSTEM=autotools
CONFIGURE='./configure CFLAGS=-O2'
BUILD='make -j$JOBS mawk'
BINARY=mawk
WORKLOAD='$PY $GEN csv --rows 600000 --seed 34 > input.csv && cp "$WL/wordstats.awk" prog.awk'
ARGS='-f prog.awk input.csv'
