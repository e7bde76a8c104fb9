#!/usr/bin/env bash
# Issue #2/#3 speed claims on the debootstrap image (tests/images/debian.sh), measured side by
# side in one run, interleaved so that cache and CPU-frequency drift hit every column alike:
#   floor      gzip -dc of every layer blob of the OCI layout, to /dev/null
#   zlib floor pigz -dc of the same blobs: pigz inflates with zlib, as libarchive does inside
#              cguard, so it is the stricter floor (gzip(1) has its own, slower inflate)
#   inventory  cguard scan --skip-vulns --format json oci:DIR:bookworm
#   matching   cguard scan --format json --db DB oci:DIR:bookworm  (with --db, or BENCH_DB)
# Prints medians of BENCH_REPS (default 5) runs, ratios, and peak RSS of the scans.
# Targets: inventory <= 1.3x floor and < 64 MiB peak RSS; matching <= 1.5x inventory.
# Usage: bench/scan_vs_gunzip.sh [--db FILE]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_require

db="${BENCH_DB:-}"
if [ "${1:-}" = "--db" ]; then
    db="$2"
fi

image="$("$bench_root/tests/images/debian.sh")"
oci="$image/oci"
manifest="$(jq -r '.manifests[0].digest' "$oci/index.json" | sed 's/^sha256://')"
mapfile -t layers < <(jq -r '.layers[].digest' "$oci/blobs/sha256/$manifest" |
    sed "s|^sha256:|$oci/blobs/sha256/|")
layer_bytes=$(cat "${layers[@]}" | wc -c)

inventory=("$cguard" scan --skip-vulns --no-progress --format json "oci:$oci:bookworm")
matching=("$cguard" scan --no-progress --format json --db "$db" "oci:$oci:bookworm")

# Warm-up: page cache holds the blobs for every column, as it would after the first run.
gzip -dc "${layers[@]}" >/dev/null
"${inventory[@]}" >/dev/null 2>&1

floor=() zfloor=() inv=() inv_rss=() mat=() mat_rss=()
for i in $(seq "$reps"); do
    measure f gzip -dc "${layers[@]}"
    floor+=("$f_s")
    measure z pigz -dc "${layers[@]}"
    zfloor+=("$z_s")
    measure s "${inventory[@]}"
    inv+=("$s_s") inv_rss+=("$s_kib")
    if [ -n "$db" ]; then
        measure m "${matching[@]}"
        mat+=("$m_s") mat_rss+=("$m_kib")
    fi
    echo "run $i: floor ${f_s}s zlib floor ${z_s}s inventory ${s_s}s (${s_kib} KiB)${db:+ matching ${m_s}s (${m_kib} KiB)}" >&2
done

floor_m=$(median "${floor[@]}")
inv_m=$(median "${inv[@]}")
echo "image: $(basename "$image"), ${#layers[@]} layer(s), $(mib $((layer_bytes / 1024))) MiB compressed, $reps runs, $(nproc) cores"
zfloor_m=$(median "${zfloor[@]}")
echo "floor (gzip -dc layers):      median ${floor_m} s"
echo "zlib floor (pigz -dc layers): median ${zfloor_m} s"
echo "cguard scan --skip-vulns:     median ${inv_m} s  ratio to floor $(ratio "$inv_m" "$floor_m")x, to zlib floor $(ratio "$inv_m" "$zfloor_m")x  peak RSS median $(mib "$(median "${inv_rss[@]}")") MiB, max $(mib "$(printf '%s\n' "${inv_rss[@]}" | sort -n | tail -1)") MiB"
if [ -n "$db" ]; then
    mat_m=$(median "${mat[@]}")
    echo "cguard scan (with matching):  median ${mat_m} s  ratio to inventory $(ratio "$mat_m" "$inv_m")x  peak RSS median $(mib "$(median "${mat_rss[@]}")") MiB"
fi
