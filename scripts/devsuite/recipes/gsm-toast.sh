PKG=libgsm
KIND=audio-codec
BUILD_SYSTEM=make
BUILD='make -j$JOBS bin/toast LIBGSMSO=lib/libgsm.a'
BINARY=bin/toast
WORKLOAD='$TOOLS/gen raw 1500 8000 1 18 > input.raw'
RUN='"$EXE" -l -c < input.raw > "$T/o.gsm"; md5sum < "$T/o.gsm"; "$EXE" -d -l -c < "$T/o.gsm" | md5sum'
NOTE='toast linked against the static libgsm.a'
