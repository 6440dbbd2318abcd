PKG=grep
KIND=regex
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-nls --disable-perl-regexp CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=src/grep
WORKLOAD='$PY $GEN text --size 40M --seed 37 > input.txt'
RUN='"$EXE" -c -E "(qu|th)[a-z]*ing\b" input.txt; "$EXE" -c -i -E "([a-z])\1[a-z]*\1" input.txt; "$EXE" -c -w -E "[0-9]{3,}|[A-Z][a-z]+ [A-Z][a-z]+" input.txt; "$EXE" -o -E "\b[a-z]{12,}\b" input.txt | md5sum'
