PKG=discount
KIND=markup
BUILD_SYSTEM=configure+make
CONFIGURE='CFLAGS=-O2 ./configure.sh'
BUILD='make -j1 markdown'
BINARY=markdown
WORKLOAD='$PY $GEN markdown --size 24M --seed 43 > input.md'
RUN='"$EXE" input.md | md5sum'
