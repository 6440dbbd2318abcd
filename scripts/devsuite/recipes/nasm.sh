PKG=nasm
KIND=assembler
BUILD_SYSTEM=autotools
CONFIGURE='./configure --disable-dependency-tracking CFLAGS=-O2'
BUILD='make -j$JOBS nasm'
BINARY=nasm
WORKLOAD='$PY $GEN asm --lines 150000 --seed 49 > input.asm'
RUN='"$EXE" -f elf64 -O2 input.asm -o "$T/o.o"; md5sum < "$T/o.o"; "$EXE" -E input.asm | md5sum'
