PKG=tcc
KIND=compiler
BUILD_SYSTEM=configure+make
CONFIGURE='./configure --cc=gcc --extra-cflags=-O2'
BUILD='make -j$JOBS tcc ONE_SOURCE=no'
BINARY=tcc
WORKLOAD='$PY $GEN csource --functions 25000 --seed 48 > input.c'
RUN='"$EXE" -nostdinc -c input.c -o "$T/o.o"; md5sum < "$T/o.o"; "$EXE" -nostdinc -E input.c | md5sum'
NOTE='Tiny C Compiler compiling a generated C file (no headers); built with ONE_SOURCE=no so every file is a unit'
