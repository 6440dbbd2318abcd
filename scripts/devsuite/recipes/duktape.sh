PKG=duktape
KIND=interpreter
BUILD_SYSTEM=make
BUILD='make -j1 -f Makefile.cmdline duk CCOPTS_EXTRA= && true'
BINARY=duk
WORKLOAD='cp "$WL/js-work.js" prog.js'
ARGS='prog.js'
NOTE='Makefile.cmdline compiles and links in one gcc call (-Os as the project issues it)'
