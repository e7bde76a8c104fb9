#!/usr/bin/env bash
# Installs everything cguard needs to build and test on Debian 12. Idempotent: packages already
# present are left alone, and apt-get is only called when something is missing.
#   scripts/setup.sh               build and test dependencies
#   scripts/setup.sh --build-only  only what building cguard needs
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

build_pkgs=(
    build-essential cmake ninja-build pkg-config ccache git ca-certificates
    libboost-dev libboost-system-dev libssl-dev libcurl4-openssl-dev libsqlite3-dev
    libarchive-dev libzstd-dev zlib1g-dev rapidjson-dev catch2
)
# Test tools: real images (debootstrap, umoci, skopeo), real binaries and archives for the
# analyzers' tests (golang-go, a JDK, zip, binutils, db5.3-util for Berkeley DB, jars with
# pom.properties from libcommons-lang3-java), the fuzzers (clang-14), benchmarks (pigz, time).
test_pkgs=(
    clang-14 libclang-rt-14-dev clang-format python3 curl debootstrap umoci skopeo
    golang-go gzip zstd unzip zip jq sqlite3 pigz time binutils db5.3-util
    default-jdk-headless libcommons-lang3-java
)

want=("${build_pkgs[@]}")
if [ "${1:-}" != "--build-only" ]; then
    want+=("${test_pkgs[@]}")
fi

missing=()
for p in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
# npm builds the old-npm test image. Many machines have Node.js from elsewhere, whose npm
# conflicts with Debian's package, so Debian's is installed only when there is no npm at all.
if [ "${1:-}" != "--build-only" ] && ! command -v npm >/dev/null; then
    missing+=(nodejs npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${#missing[@]} packages (a few minutes on a fresh machine): ${missing[*]}"
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "setup: all build and test dependencies present"
