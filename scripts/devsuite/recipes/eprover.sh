PKG=eprover
KIND=theorem-prover
BUILD_SYSTEM=configure+make
CONFIGURE='./configure'
BUILD='make -j1 rebuild'
BINARY=PROVER/eprover
WORKLOAD='$PY $GEN tptp-php --holes 8 > input.p'
ARGS='--auto -s --print-statistics input.p'
