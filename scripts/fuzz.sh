#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (ASan + UBSan) into build-fuzz/ and runs each for
# FUZZ_SECONDS (default 30). A crash, leak or sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
if [ ! -f build-fuzz/CMakeCache.txt ]; then
    CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCGUARD_FUZZ=ON \
        -DCGUARD_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
targets=$(cd fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')
# shellcheck disable=SC2086
cmake --build build-fuzz -j2 --target $targets
failed=0
# UBSan reports must fail the run (halt), except the one known in a dependency (see the file).
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$PWD/fuzz/ubsan.supp"
export ASAN_OPTIONS="detect_leaks=1"
for t in $targets; do
    corpus=$(mktemp -d)
    if [ -d "fuzz/corpus/$t" ]; then
        cp -r "fuzz/corpus/$t/." "$corpus/"
    fi
    if build-fuzz/fuzz/$t -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=0 "$corpus" >"build-fuzz/$t.log" 2>&1; then
        echo "fuzz: $t ran ${seconds}s clean ($(grep -c . "build-fuzz/$t.log") log lines)"
    else
        echo "fuzz: $t FAILED, see build-fuzz/$t.log:"
        tail -30 "build-fuzz/$t.log"
        failed=1
    fi
    rm -rf "$corpus"
done
exit $failed
