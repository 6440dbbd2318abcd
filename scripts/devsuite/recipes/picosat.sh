PKG=picosat
KIND=sat-solver
BUILD_SYSTEM=configure+make
CONFIGURE='./configure.sh -O'
BUILD='make -j$JOBS picosat'
BINARY=picosat
WORKLOAD='$PY $GEN cnf --vars 270 --ratio 4.26 --seed 47 > input.cnf'
ARGS='input.cnf'
