PKG=tre
KIND=regex
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --disable-nls CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=src/agrep
WORKLOAD='$PY $GEN text --size 4M --seed 41 --lines > input.txt'
RUN='"$EXE" -c -2 "information" input.txt; "$EXE" -c -1 -i "th[aeiou]+ry" input.txt; "$EXE" -c -3 "question" input.txt'
NOTE='tre-agrep: approximate regex matching'
