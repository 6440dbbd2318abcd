PKG=apcalc
KIND=interpreter
BUILD_SYSTEM=make
BUILD='make -j1 calc-static-only BLD_TYPE=calc-static-only CCOPT=-O2 CCWERR= >/dev/null'
BINARY=calc-static
ENV='CALCPATH=.:../../src/apcalc/tree/cal CALCRC=/dev/null'
WORKLOAD='cp "$WL/calc-work.cal" prog.cal'
ARGS='-q -f prog.cal'
NOTE='arbitrary-precision calculator, static build'
