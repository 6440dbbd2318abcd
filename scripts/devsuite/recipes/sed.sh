PKG=sed
KIND=text-tool
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-nls --without-selinux CFLAGS=-O2'
BUILD='make -j$JOBS sed/sed'
BINARY=sed/sed
WORKLOAD='$PY $GEN text --size 12M --seed 36 > input.txt && cp "$WL/sed-work.sed" prog.sed'
RUN='"$EXE" -E -f prog.sed input.txt | md5sum'
