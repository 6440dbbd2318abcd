PKG=pcre2
KIND=regex
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking --disable-shared --disable-jit --disable-pcre2grep-libz --disable-pcre2grep-libbz2 --disable-pcre2test-libreadline CFLAGS=-O2'
BUILD='make -j$JOBS pcre2grep'
BINARY=pcre2grep
WORKLOAD='$PY $GEN text --size 15M --seed 40 > input.txt'
RUN='"$EXE" -c "(?i)\b(\w+)\s+\1\b" input.txt; "$EXE" -c "(?:qu|th)\w*?(ing|ed)\b" input.txt; "$EXE" -c "\b\w{4,}(?=\s+[A-Z])" input.txt; "$EXE" -o "\b[aeiou]\w*[aeiou]\b" input.txt | md5sum'
NOTE='interpreter only (--disable-jit); no zlib/bzip2 input support'
