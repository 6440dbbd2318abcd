PKG=original-awk
KIND=interpreter
BUILD_SYSTEM=make
DEPS="bison"
BUILD='make -j1 a.out CFLAGS=-O2'
BINARY=a.out
WORKLOAD='$PY $GEN csv --rows 200000 --seed 35 > input.csv && cp "$WL/wordstats.awk" prog.awk'
ARGS='-f prog.awk input.csv'
NOTE='the one true awk (BWK awk)'
