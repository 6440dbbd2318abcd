PKG=csmith
KIND=csmith
BUILD_SYSTEM=make
FETCH='csmith --seed 73 > prog.c && printf "prog: prog.c\n\t\$(CC) \$(CFLAGS) -I/usr/include/csmith -w -o prog prog.c\n" > Makefile'
BUILD='make prog CFLAGS=-O2'
BUILD_ID=csmith-73
BINARY=prog
NOTE='csmith 2.3.0 --seed 73 (random program; prints a checksum of its globals)'
PKG_VERSION=$(dpkg-query -W -f '${Version}' csmith 2>/dev/null)
