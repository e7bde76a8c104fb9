#!/usr/bin/env bash
# Runs every test: lint, the build, every Catch2 test case through CTest (unit and end-to-end on
# real images and feeds), and a short run of each fuzz target. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/lint.sh
bash scripts/build.sh

# End-to-end tests build real images (debootstrap, umoci, skopeo) once and cache them here.
export CGUARD_TEST_CACHE=${CGUARD_TEST_CACHE:-$HOME/.cache/cguard-test}

ctest --test-dir build --output-on-failure -j2 --timeout 1800

FUZZ_SECONDS=${FUZZ_SECONDS:-30} bash scripts/fuzz.sh
