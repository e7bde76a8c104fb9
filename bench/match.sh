#!/usr/bin/env bash
# Issue #3: matching about 1,000 packages against the full database, excluding image reading.
# The input is a root filesystem holding only package databases (so reading it costs
# milliseconds): this machine's dpkg status, labelled Debian 11 so that the Debian records are
# really consulted, plus the node_modules of tests/images/npm-old.sh. Matching time is the
# median of `scan --db` minus the median of `scan --skip-vulns` on the same input, measured
# interleaved; it includes opening the database. Target: under 50 ms.
# Usage: bench/match.sh --db FILE   (or BENCH_DB; bench/vulndb_import.sh builds one)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_require
reps="${BENCH_REPS:-9}"
db="${BENCH_DB:-}"
if [ "${1:-}" = "--db" ]; then
    db="$2"
fi
if [ -z "$db" ] || [ ! -s "$db" ]; then
    echo "bench: match.sh needs --db FILE (an imported ../shared/vulndb)" >&2
    exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/etc" "$work/root/var/lib/dpkg" "$work/root/app"
printf 'NAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="11"\n' >"$work/root/etc/os-release"
cp /var/lib/dpkg/status "$work/root/var/lib/dpkg/status"
npm_dir="$("$bench_root/tests/images/npm-old.sh")"
cp -r "$npm_dir/app/node_modules" "$work/root/app/"

report="$("$cguard" scan --no-progress --format json --db "$db" "rootfs:$work/root")"
packages=$(jq '.packages | length' <<<"$report")
findings=$(jq '.vulnerabilities | length' <<<"$report")

inv=() mat=()
for i in $(seq "$reps"); do
    measure a "$cguard" scan --skip-vulns --no-progress --format json "rootfs:$work/root"
    measure b "$cguard" scan --no-progress --format json --db "$db" "rootfs:$work/root"
    inv+=("$a_s") mat+=("$b_s")
done
inv_m=$(median "${inv[@]}")
mat_m=$(median "${mat[@]}")
echo "input: $packages packages ($findings findings), $reps runs, $(nproc) cores"
echo "scan --skip-vulns:   median ${inv_m} s"
echo "scan --db:           median ${mat_m} s"
echo "matching (incl. db open): $(awk -v a="$mat_m" -v b="$inv_m" 'BEGIN {printf "%.0f", (a - b) * 1000}') ms"
