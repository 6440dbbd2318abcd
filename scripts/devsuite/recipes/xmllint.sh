PKG=libxml2
KIND=parser
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --without-python --without-zlib --without-lzma --without-icu --without-threads --without-http --without-ftp --without-readline CFLAGS=-O2'
BUILD='make -j$JOBS xmllint'
BINARY=xmllint
WORKLOAD='$PY $GEN xml --records 100000 --seed 46 > input.xml'
RUN='"$EXE" --noout input.xml; "$EXE" --format input.xml | md5sum; "$EXE" --xpath "count(//item[price > 50])" input.xml; echo; "$EXE" --c14n input.xml | md5sum'
NOTE='built without zlib/lzma'
