PKG=jimtcl
KIND=interpreter
BUILD_SYSTEM=autosetup
CONFIGURE='./configure --disable-docs --disable-ssl --without-ext=zlib,sqlite3,readline,sdl,mk CFLAGS=-O2'
BUILD='make -j$JOBS jimsh'
BINARY=jimsh
WORKLOAD='cp "$WL/tcl-work.tcl" prog.tcl'
ARGS='prog.tcl 2'
