#!/usr/bin/env bash
# Issue #3: `cguard db import` of all of ../shared/vulndb (OSV of every ecosystem, CVE JSON 5,
# CISA KEV) into a fresh database, BENCH_REPS (default 3) times. Prints the median wall time,
# peak RSS, database size and `cguard db info`. Target: under 60 s on 2 cores.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_require
reps="${BENCH_REPS:-3}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export BENCH_LOG="$work/import.log"

times=() rss=()
for i in $(seq "$reps"); do
    rm -f "$work/vuln.db"
    measure t "$cguard" db import "$shared/vulndb" --db "$work/vuln.db"
    times+=("$t_s") rss+=("$t_kib")
    echo "run $i: ${t_s}s (${t_kib} KiB)" >&2
done

echo "input: $(du -sh --apparent-size "$shared/vulndb" | cut -f1) of zip/JSON feeds, $reps runs, $(nproc) cores"
echo "cguard db import:  median $(median "${times[@]}") s  peak RSS median $(mib "$(median "${rss[@]}")") MiB"
echo "database size:     $(mib $(($(stat -c %s "$work/vuln.db") / 1024))) MiB"
echo "--- cguard db info"
"$cguard" db info --db "$work/vuln.db"
echo "--- import summary (stderr of the last run)"
tail -n 20 "$work/import.log"
