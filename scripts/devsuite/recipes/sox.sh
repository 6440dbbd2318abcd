PKG=sox
KIND=audio-effects
BUILD_SYSTEM=autotools
CONFIGURE='autoreconf -fi >/dev/null 2>&1 || true; ./configure --disable-dependency-tracking --disable-shared --disable-openmp --without-magic --without-png --without-ladspa --without-mad --without-id3tag --without-lame --without-twolame --without-oggvorbis --without-opus --without-flac --without-amrwb --without-amrnb --without-wavpack --without-sndfile --without-mp3 --without-gsm --without-lpc10 --without-alsa --without-ao --without-pulseaudio --without-waveaudio --without-sndio --without-coreaudio --without-oss --without-sunaudio CFLAGS=-O2'
BUILD='make -j$JOBS'
BINARY=src/sox
WORKLOAD='$TOOLS/gen wav 60 44100 2 50 > input.wav'
RUN='"$EXE" -R -q input.wav -t raw - rate -v 96000 | md5sum; "$EXE" -R -q input.wav -t raw - reverb 60 highpass 200 compand 0.3,1 6:-70,-60,-20 -5 | md5sum'
NOTE='built without optional external formats and without OpenMP; sox'"'"'s bundled copy of libgsm is compiled in (14 units)'
