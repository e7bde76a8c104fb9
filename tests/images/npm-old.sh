#!/usr/bin/env bash
# Builds the npm test image: real, old npm packages (2015-2017 releases with published
# advisories) installed from the npm registry into /app/node_modules, as one layer on top of
# the alpine 3.10 fixture (or on an empty base when ../shared is absent).
#
# Output (cached; each piece is rebuilt only when missing):
#   $CGUARD_TEST_CACHE/npm-old/app/                   package.json + node_modules
#   $CGUARD_TEST_CACHE/npm-old/expected.tsv           name<TAB>version of every installed package
#   $CGUARD_TEST_CACHE/npm-old/oci/                   OCI layout, tag "npm-old"
#   $CGUARD_TEST_CACHE/npm-old/docker-archive.tar
# Exit status: 0 ready, 3 the npm registry is unreachable (callers may skip), 1 other failure.
set -euo pipefail

cache="${CGUARD_TEST_CACHE:-$HOME/.cache/cguard-test}"
out="$cache/npm-old"
here="$(cd "$(dirname "$0")" && pwd)"
alpine="${CGUARD_SHARED_DIR:-$here/../../../shared}/fixtures/images/alpine-3.10.docker-save.tar.gz"
tag=npm-old
packages=(lodash@4.17.4 marked@0.3.6 jquery@2.2.4 moment@2.18.1 handlebars@4.0.5 qs@6.2.1
    ws@1.1.0)

log() { echo "npm-old.sh: $*" >&2; }

install_packages() {
    [ -f "$out/app.done" ] && return 0
    local ping
    if ! ping=$(npm ping --fetch-retries=0 --fetch-timeout=15000 2>&1); then
        # npm's own words: "unreachable" could hide a TLS or proxy error worth seeing.
        log "the npm registry is unreachable: $(echo "$ping" | grep -m1 -E 'ERR|error' || echo "$ping" | tail -n 1)"
        exit 3
    fi
    local work="$out/app.tmp"
    rm -rf "$work" "$out/app"
    mkdir -p "$work"
    echo '{"name": "cguard-npm-old", "version": "1.0.0", "private": true}' >"$work/package.json"
    # --ignore-scripts: install scripts of old packages have no business running here.
    (cd "$work" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
        "${packages[@]}" >&2)
    mv "$work" "$out/app"
    touch "$out/app.done"
}

# Every directory node_modules/NAME or node_modules/@SCOPE/NAME with a package.json is one
# installed package; that is what a scanner must report.
record_expected() {
    [ -s "$out/expected.tsv" ] && return 0
    (cd "$out/app" && find node_modules -name package.json |
        grep -E '(^|/)node_modules/(@[^/]+/)?[^/@]+/package\.json$' |
        while read -r f; do jq -r '[.name, .version] | @tsv' "$f"; done) |
        LC_ALL=C sort -u >"$out/expected.tsv.tmp"
    mv "$out/expected.tsv.tmp" "$out/expected.tsv"
    log "expected.tsv: $(wc -l <"$out/expected.tsv") npm packages"
}

init_layout() {
    local work="$1"
    if [ -f "$alpine" ]; then
        # skopeo reads only uncompressed docker archives; unpack the fixture into the cache.
        gzip -dc "$alpine" >"$out/alpine-base.tar"
        skopeo --insecure-policy copy --quiet "docker-archive:$out/alpine-base.tar" \
            "oci:$work:$tag"
        rm -f "$out/alpine-base.tar"
    else
        log "alpine fixture not found at $alpine; using an empty base"
        umoci init --layout "$work"
        umoci new --image "$work:$tag"
    fi
}

build_oci() {
    [ -f "$out/oci.done" ] && return 0
    local work="$out/oci.tmp"
    rm -rf "$work" "$out/oci"
    init_layout "$work"
    # unpack + copy + repack, not `umoci insert`: umoci 0.4.7's insert leaves the layer's tar
    # stream unterminated (no padding after the last file, no end-of-archive blocks).
    rm -rf "$out/bundle"
    umoci unpack --image "$work:$tag" "$out/bundle" >/dev/null
    mkdir -p "$out/bundle/rootfs/app"
    cp -a "$out/app/." "$out/bundle/rootfs/app/"
    umoci repack --image "$work:$tag" "$out/bundle"
    rm -rf "$out/bundle"
    umoci config --image "$work:$tag" --config.workingdir /app --author cguard-tests
    umoci gc --layout "$work"
    mv "$work" "$out/oci"
    touch "$out/oci.done"
}

build_docker_archive() {
    [ -s "$out/docker-archive.tar" ] && return 0
    rm -f "$out/docker-archive.tar.tmp"
    skopeo --insecure-policy copy --quiet "oci:$out/oci:$tag" \
        "docker-archive:$out/docker-archive.tar.tmp:cguard-test/npm-old:latest"
    mv "$out/docker-archive.tar.tmp" "$out/docker-archive.tar"
}

main() {
    mkdir -p "$out"
    exec 9>"$out/.lock"
    flock 9
    install_packages
    record_expected
    build_oci
    build_docker_archive
    echo "$out"
}

main "$@"
