PKG=gnugo
KIND=game-engine
BUILD_SYSTEM=autotools
DEPS="libncurses-dev"
CONFIGURE='./configure --disable-dependency-tracking --without-readline --without-curses CFLAGS="-O2 -fcommon"'
BUILD='make -j$JOBS'
BINARY=interface/gnugo
WORKLOAD='cp "$WL/gnugo.gtp" input.gtp'
STDIN=input.gtp
ARGS='--mode gtp --seed 7 --level 8'
