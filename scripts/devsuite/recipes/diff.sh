PKG=diffutils
KIND=text-tool
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-nls CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=src/diff
WORKLOAD='$PY $GEN text --size 12M --seed 38 --lines > a.txt && $PY $GEN mutate-lines --seed 39 --rate 0.15 < a.txt > b.txt'
RUN='"$EXE" a.txt b.txt | md5sum; "$EXE" -u -d a.txt b.txt | md5sum'
