#!/usr/bin/env bash
# Shared helpers for the benchmark scripts (sourced, not run).

# The cguard binary under test: $CGUARD, else build/cguard of this checkout.
bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cguard="${CGUARD:-$bench_root/build/cguard}"
shared="${CGUARD_SHARED_DIR:-$bench_root/../shared}"
reps="${BENCH_REPS:-5}"

bench_require() {
    if [ ! -x "$cguard" ]; then
        echo "bench: no cguard binary at $cguard (build it, or set CGUARD=...)" >&2
        exit 2
    fi
    if [ ! -x /usr/bin/time ]; then
        echo "bench: /usr/bin/time is missing (apt-get install time)" >&2
        exit 2
    fi
}

# measure OUT_VAR_PREFIX CMD...: runs CMD once with stdout discarded; sets <prefix>_s (wall
# seconds, nanosecond clock) and <prefix>_kib (peak RSS from /usr/bin/time -v).
measure() {
    local prefix="$1"
    shift
    local tf start end
    tf="$(mktemp)"
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$tf" "$@" >/dev/null 2>>"${BENCH_LOG:-/dev/null}"
    end=$(date +%s%N)
    printf -v "${prefix}_s" '%s' "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", (b - a) / 1e9}')"
    printf -v "${prefix}_kib" '%s' "$(tail -n 1 "$tf")"
    rm -f "$tf"
}

# median of the numbers given as arguments
median() {
    printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {
        if (NR % 2) {print a[(NR + 1) / 2]} else {printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
