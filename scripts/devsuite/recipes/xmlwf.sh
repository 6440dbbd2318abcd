PKG=expat
KIND=parser
BUILD_SYSTEM=autotools
CONFIGURE='cd expat && ./buildconf.sh >/dev/null 2>&1 && ./configure --disable-dependency-tracking --disable-shared --without-docbook --without-examples --without-tests CFLAGS=-O2'
BUILD='make -C expat -j$JOBS'
BINARY=expat/xmlwf/xmlwf
WORKLOAD='$PY $GEN xml --records 120000 --seed 51 > input.xml'
RUN='mkdir "$T/d"; "$EXE" -d "$T/d" input.xml; md5sum < "$T/d/input.xml"; "$EXE" -d "$T/d" -m input.xml; md5sum < "$T/d/input.xml"'
NOTE='autotools build (the CMake build of this Debian revision does not compile: XML_DTD is defined empty)'
