#!/usr/bin/env bash
# Imports ../shared/vulndb (OSV, CVE and KEV feeds) into a database with the given cguard binary,
# once per build of that binary: the end-to-end tests run as one process per test case, and a
# full import per case would cost minutes. The cache key is the binary's sha256, so a rebuilt
# importer always gets a fresh database.
#
# Usage: vulndb.sh CGUARD_BINARY SHARED_DIR    prints the database path.
set -euo pipefail

binary="$1"
shared="$2"
cache="${CGUARD_TEST_CACHE:-$HOME/.cache/cguard-test}/vulndb"
mkdir -p "$cache"

key="$(sha256sum "$binary" | cut -c1-16)"
db="$cache/vuln-$key.db"
exec 9>"$cache/.lock"
flock 9
if [ ! -s "$db" ]; then
    # Databases of older builds are dead weight.
    rm -f "$cache"/vuln-*.db "$cache"/import-*.log
    start=$SECONDS
    if ! "$binary" db import "$shared/vulndb" --db "$db.tmp" >"$cache/import-$key.log" 2>&1; then
        echo "vulndb.sh: cguard db import failed; last lines of $cache/import-$key.log:" >&2
        tail -n 20 "$cache/import-$key.log" >&2
        rm -f "$db.tmp"
        exit 1
    fi
    mv "$db.tmp" "$db"
    echo "vulndb.sh: imported $shared/vulndb in $((SECONDS - start)) s" >&2
fi
echo "$db"
