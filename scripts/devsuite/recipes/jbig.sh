PKG=jbigkit
KIND=image-codec
BUILD_SYSTEM=make
BUILD='make -j$JOBS -C libjbig libjbig.a CFLAGS="-O2 -W -Wno-unused-result" && make -j$JOBS -C pbmtools pbmtojbg jbgtopbm CFLAGS="-O2 -W -Wall -Wno-unused-result -ansi -pedantic"'
BINARY=pbmtools/pbmtojbg
WORKLOAD='$TOOLS/gen pbm 8000 8000 28 > input.pbm'
RUN='"$EXE" -q input.pbm | md5sum; "$EXE" -p 8 -d 5 input.pbm | md5sum'
