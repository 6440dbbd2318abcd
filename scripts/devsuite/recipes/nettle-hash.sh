PKG=nettle
KIND=hash
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --disable-openssl --disable-documentation --disable-assembler --disable-public-key --disable-x86-aesni --disable-x86-sha-ni --disable-x86-pclmul CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=tools/nettle-hash
WORKLOAD='$PY $GEN mixed --size 40M --seed 32 > input.dat'
RUN='for a in sha256 sha512 sha3_256 streebog512 sm3 md5 ripemd160; do "$EXE" -a $a input.dat; done'
NOTE='C only (--disable-assembler and no x86 extensions); without public-key code'
