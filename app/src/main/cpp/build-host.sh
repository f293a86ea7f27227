#!/usr/bin/env bash
# Builds the host JNI library (libdenoise_native.so) for the JVM tests; app/pom.xml runs it
# before the tests. Usage: build-host.sh BUILD_DIR [JAVA_HOME]. Output goes to BUILD_DIR.log and
# is shown only on failure.
set -euo pipefail
here=.
[[ "$0" == */* ]] && here=${0%/*}
src=$(cd "$here" && pwd)
build=${1:?usage: build-host.sh BUILD_DIR [JAVA_HOME]}
java_home=${2:-${JAVA_HOME:-}}
missing=()
command -v cmake >/dev/null || missing+=(cmake)
command -v c++ >/dev/null || missing+=(g++)
if [ ${#missing[@]} -gt 0 ]; then
  echo "error: building the native engine's host library needs ${missing[*]}" \
       "(apt-get install -y cmake g++, or run app/src/main/cpp/ci.sh);" \
       "pass -Dnative.skip=true to build without it and skip its tests" >&2
  exit 1
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
log="$build.log"
mkdir -p "$(dirname "$build")"
if ! { cmake -S "$src" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
         -DDENOISE_BUILD_TESTS=OFF -DDENOISE_JAVA_HOME="$java_home" \
       && cmake --build "$build" --target denoise_native -j 2; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "error: the native engine's host library did not build (log above, also in $log)" >&2
  exit 1
fi
