PKG=xdelta3
KIND=delta-compressor
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --without-liblzma CFLAGS=-O2'
BUILD='make -j$JOBS xdelta3'
BINARY=xdelta3
WORKLOAD='$PY $GEN mixed --size 30M --seed 11 > old.dat && $PY $GEN mutate --seed 12 --rate 0.002 < old.dat > new.dat'
RUN='"$EXE" -e -9 -f -s old.dat new.dat "$T/d.vcdiff"; md5sum < "$T/d.vcdiff"; "$EXE" -d -f -s old.dat "$T/d.vcdiff" "$T/new.out"; md5sum < "$T/new.out"'
