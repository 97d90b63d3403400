#!/usr/bin/env bash
# Backup, restore and check of an SQLite store, timed (README "Backups").
#
# Usage: bench/backup.sh [CITIZENS] [DOSSIERS]   (default 1000000 100000)
# Env:   CARGO_TARGET_DIR as for cargo, BUILD=0 to use the release binary
#        already built there.
# Seeds a fresh data folder with the release binary, then times
# `cancuoc backup`, `cancuoc restore` (which checks the restored copy) and
# `cancuoc check` on the source, with the peak resident memory of each
# (GNU time's %M, installed with Debian's `time` package when missing).
set -euo pipefail
CITIZENS="${1:-1000000}"
DOSSIERS="${2:-100000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
if [[ "${BUILD:-1}" != 0 ]]; then
    echo "building the release binary…" >&2
    (cd "$ROOT" && cargo build --release -q -p cancuoc-cli)
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time…" >&2
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
BIN="$TARGET/release/cancuoc"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cancuoc-backup-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export CANCUOC_LOG=warn

echo "seeding $CITIZENS citizens and $DOSSIERS dossiers…" >&2
"$BIN" seed --citizens "$CITIZENS" --dossiers "$DOSSIERS" --seed 3 --json \
    --data-dir "$WORK/data" >/dev/null
SIZE_MB=$(( $(du -cb "$WORK"/data/*.db | tail -n 1 | cut -f1) / 1000000 ))

# Runs a command under GNU time; prints "SECONDS PEAK_MB".
timed() {
    /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>&1 \
        || { cat "$WORK/out.txt" >&2; return 1; }
    awk '{printf "%s %d\n", $1, $2 / 1024}' "$WORK/time.txt"
}
read -r B_S B_MB < <(timed "$BIN" backup --data-dir "$WORK/data" --out "$WORK/backup.db")
read -r R_S R_MB < <(timed "$BIN" restore "$WORK/backup.db" --to "$WORK/restored/cancuoc.db")
read -r C_S C_MB < <(timed "$BIN" check --data-dir "$WORK/data")

cat <<EOT

== cancuoc backup benchmark ($(date -u +%Y-%m-%d), $(nproc) cores, release build) ==
database:  $CITIZENS citizens, $DOSSIERS dossiers, $SIZE_MB MB on disk (main + accounts files)
backup:    $B_S s, peak $B_MB MB resident
restore:   $R_S s (copy, then the full check of the copy), peak $R_MB MB
check:     $C_S s, peak $C_MB MB
EOT
