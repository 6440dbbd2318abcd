PKG=tcl8.6
KIND=interpreter
BUILD_SYSTEM=autotools
CONFIGURE='cd unix && ./configure --disable-shared --disable-threads --disable-load CFLAGS_OPTIMIZE=-O2'
BUILD='make -C unix -j$JOBS tclsh'
BINARY=unix/tclsh
ENV='TCL_LIBRARY=../../src/tcl8.6/tree/library'
WORKLOAD='cp "$WL/tcl-work.tcl" prog.tcl'
ARGS='prog.tcl'
NOTE='TCL_LIBRARY points at the source tree'"'"'s library/; zlib comes from the system library'
