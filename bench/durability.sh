#!/usr/bin/env bash
# What an SQLite file store's durability setting costs an officer write:
# one citizen registered (one commit) with `synchronous = FULL` (the
# default: synced before it is acknowledged) and with `NORMAL` (synced at
# checkpoints; a power loss may lose the last commits), on a database under
# target/ (the build's disk), through the store's criterion benchmark.
#
#   bench/durability.sh
#
# Prints each median time per write, writes per second, and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cargo bench -q -p cancuoc-store --bench store -- store_sqlite_durability >"$log" 2>&1 \
    || { cat "$log" >&2; exit 1; }
median() {
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["median"]["point_estimate"])' \
        "target/criterion/store_sqlite_durability/register_citizen_$1/new/estimates.json"
}
full="$(median full)"
normal="$(median normal)"
awk -v f="$full" -v n="$normal" 'BEGIN {
    printf "synchronous=FULL   : %8.1f µs per write (%6.0f writes/s)\n", f / 1000, 1e9 / f
    printf "synchronous=NORMAL : %8.1f µs per write (%6.0f writes/s)\n", n / 1000, 1e9 / n
    printf "FULL takes %.1fx the time of NORMAL per write\n", f / n
}'
