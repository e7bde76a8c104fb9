#!/usr/bin/env bash
# Builds the Debian bookworm test image the end-to-end tests and benchmarks scan: a debootstrap
# minbase root filesystem plus docker-registry (Go programs built with Go 1.19) and
# python3-requests (Python packages owned by dpkg whose PyPI names have PyPI advisories: a
# scanner must report them once, as deb); the packages dpkg-query reports for it; an OCI layout
# (one gzip layer) made with umoci; a docker-save style archive made from it with skopeo.
#
# Output (cached; each piece is rebuilt only when missing):
#   $CGUARD_TEST_CACHE/debian-bookworm/rootfs/        root filesystem
#   $CGUARD_TEST_CACHE/debian-bookworm/expected.tsv   package<TAB>version<TAB>arch, sorted
#   $CGUARD_TEST_CACHE/debian-bookworm/oci/           OCI layout, tag "bookworm"
#   $CGUARD_TEST_CACHE/debian-bookworm/docker-archive.tar
# Exit status: 0 ready; 3 the Debian mirror is unreachable or we are not root (callers may
# skip); 1 other failure. Needs root (debootstrap, chroot). Mirror: $CGUARD_DEBIAN_MIRROR.
set -euo pipefail

cache="${CGUARD_TEST_CACHE:-$HOME/.cache/cguard-test}"
out="$cache/debian-bookworm"
mirror="${CGUARD_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
tag=bookworm

log() { echo "debian.sh: $*" >&2; }

mirror_reachable() {
    curl -fsS --max-time 20 -o /dev/null "$mirror/dists/bookworm/Release"
}

unmount_below() {
    local root="$1" m
    # debootstrap mounts /proc and /sys inside the target; an interrupted run can leave them.
    for m in $(awk -v r="$root" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r); do
        umount -l "$m" 2>/dev/null || true
    done
}

build_rootfs() {
    [ -f "$out/rootfs.done" ] && return 0
    if ! mirror_reachable; then
        log "Debian mirror $mirror is unreachable"
        exit 3
    fi
    local work="$out/rootfs.tmp"
    unmount_below "$work"
    rm -rf "$work" "$out/rootfs"
    log "debootstrap bookworm minbase + docker-registry + python3-requests from $mirror (takes minutes)"
    local start=$SECONDS
    trap 'unmount_below "$out/rootfs.tmp"' EXIT
    debootstrap --variant=minbase --include=docker-registry,python3-requests bookworm "$work" "$mirror" \
        >"$out/debootstrap.log" 2>&1 || {
        log "debootstrap failed; last lines of $out/debootstrap.log:"
        tail -n 20 "$out/debootstrap.log" >&2
        exit 1
    }
    unmount_below "$work"
    trap - EXIT
    # The apt lists and .deb cache are not part of what an image ships.
    rm -rf "$work"/var/cache/apt/archives/*.deb "$work"/var/lib/apt/lists/*
    mv "$work" "$out/rootfs"
    log "rootfs ready in $((SECONDS - start)) s"
    touch "$out/rootfs.done"
}

record_expected() {
    [ -s "$out/expected.tsv" ] && return 0
    chroot "$out/rootfs" dpkg-query -W -f '${Package}\t${Version}\t${Architecture}\n' |
        LC_ALL=C sort >"$out/expected.tsv.tmp"
    mv "$out/expected.tsv.tmp" "$out/expected.tsv"
    log "expected.tsv: $(wc -l <"$out/expected.tsv") packages"
}

build_oci() {
    [ -f "$out/oci.done" ] && return 0
    local work="$out/oci.tmp"
    rm -rf "$work" "$out/oci"
    local start=$SECONDS
    umoci init --layout "$work"
    umoci new --image "$work:$tag"
    # One gzip layer holding the whole root filesystem, as a `FROM scratch` + ADD image would.
    # unpack + copy + repack, not `umoci insert`: umoci 0.4.7's insert leaves the layer's tar
    # stream unterminated (no padding after the last file, no end-of-archive blocks).
    rm -rf "$out/bundle"
    umoci unpack --image "$work:$tag" "$out/bundle" >/dev/null
    cp -a "$out/rootfs/." "$out/bundle/rootfs/"
    umoci repack --image "$work:$tag" "$out/bundle"
    rm -rf "$out/bundle"
    umoci config --image "$work:$tag" --os linux --architecture amd64 \
        --config.cmd /bin/bash --author cguard-tests
    # umoci leaves the untagged intermediate manifests behind; drop them.
    umoci gc --layout "$work"
    mv "$work" "$out/oci"
    log "OCI layout ready in $((SECONDS - start)) s"
    touch "$out/oci.done"
}

build_docker_archive() {
    [ -s "$out/docker-archive.tar" ] && return 0
    local start=$SECONDS
    rm -f "$out/docker-archive.tar.tmp"
    skopeo --insecure-policy copy --quiet "oci:$out/oci:$tag" \
        "docker-archive:$out/docker-archive.tar.tmp:cguard-test/debian:$tag"
    mv "$out/docker-archive.tar.tmp" "$out/docker-archive.tar"
    log "docker archive ready in $((SECONDS - start)) s"
}

main() {
    if [ "$(id -u)" != 0 ]; then
        log "needs root (debootstrap and chroot)"
        exit 3
    fi
    mkdir -p "$out"
    exec 9>"$out/.lock"
    flock 9
    build_rootfs
    record_expected
    build_oci
    build_docker_archive
    echo "$out"
}

main "$@"
