#!/usr/bin/env bash
# Native engine checks for CI (.ci/run calls this): installs the C++ toolchain and googletest on
# a fresh Debian machine when missing, then builds and runs the gtest suites twice: plain, and
# under ThreadSanitizer. Usage: app/src/main/cpp/ci.sh [BUILD_DIR] (default app/target/native-ci).
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
build=${1:-$src/../../../target/native-ci}

echo "== native engine: prerequisites"
need=()
command -v cmake >/dev/null || need+=(cmake)
command -v g++ >/dev/null || need+=(g++)
[ -f /usr/include/gtest/gtest.h ] || need+=(libgtest-dev)
if command -v g++ >/dev/null && ! echo 'int main() { return 0; }' \
    | g++ -fsanitize=thread -x c++ - -o /dev/null 2>/dev/null; then
  need+=(libtsan2)
fi
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q && apt-get install -y -q "${need[@]}"
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
jobs=$(nproc 2>/dev/null || echo 2)
# ThreadSanitizer needs a predictable address space; recent kernels' wide mmap randomisation
# can break its shadow mapping, so its runs go through setarch -R when available.
no_aslr=()
command -v setarch >/dev/null && no_aslr=(setarch "$(uname -m)" -R)

echo "== native engine: gtest (plain)"
cmake -S "$src" -B "$build/plain" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build/plain" -j "$jobs"
"$build/plain/engine_tests" --gtest_brief=1
"$build/plain/callback_alloc_test" --gtest_brief=1

echo "== native engine: gtest (ThreadSanitizer)"
# First prove that ThreadSanitizer reports a race here at all, so a silent pass means something.
racy=$(mktemp -d)
cat >"$racy/race.cpp" <<'CPP'
#include <thread>
int shared = 0;
int main() { std::thread t([] { shared = 1; }); shared = 2; t.join(); return shared == 0; }
CPP
g++ -std=c++17 -fsanitize=thread -g "$racy/race.cpp" -o "$racy/race" -pthread
if TSAN_OPTIONS="halt_on_error=1" "${no_aslr[@]}" "$racy/race" >"$racy/out" 2>&1 \
    || ! grep -q "data race" "$racy/out"; then
  cat "$racy/out" >&2
  echo "error: ThreadSanitizer did not report a deliberate data race" >&2
  exit 1
fi
rm -rf "$racy"
cmake -S "$src" -B "$build/tsan" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDENOISE_TSAN=ON -DDENOISE_BUILD_JNI=OFF >/dev/null
cmake --build "$build/tsan" -j "$jobs"
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "${no_aslr[@]}" \
  "$build/tsan/engine_tests" --gtest_brief=1
echo "native engine: all gtest suites passed"
