PKG=nettle
KIND=crypto
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --disable-openssl --disable-documentation --disable-assembler --disable-public-key --disable-x86-aesni --disable-x86-sha-ni --disable-x86-pclmul CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=tools/nettle-pbkdf2
WORKLOAD='printf "correct horse battery staple" > password.txt'
STDIN=password.txt
ARGS='-i 1200000 -l 64 NaCl-devsuite'
NOTE='PBKDF2-HMAC-SHA256; C only'
