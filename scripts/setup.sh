#!/usr/bin/env bash
# Installs everything cguard needs to build and test on Debian 12. Idempotent: packages already
# present are left alone, and apt-get is only called when something is missing.
set -euo pipefail

build_pkgs=(
    build-essential cmake pkg-config ccache git ca-certificates
    libboost-dev libboost-system-dev libssl-dev libcurl4-openssl-dev libsqlite3-dev
    libarchive-dev libzstd-dev zlib1g-dev rapidjson-dev catch2
)
test_pkgs=(
    clang-14 libclang-rt-14-dev clang-format python3 debootstrap umoci skopeo docker-registry
    golang-go gzip zstd unzip jq sqlite3 pigz time zip binutils
    db5.3-util default-jdk-headless curl
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

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# npm ships with the machine's Node.js; Debian's npm package conflicts with it, so only check.
if [ "${1:-}" != "--build-only" ] && ! command -v npm >/dev/null; then
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
echo "setup: all build and test dependencies present"
