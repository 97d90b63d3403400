#!/usr/bin/env bash
# Service benchmarks, measured side by side in one run on this machine:
#
#   1. `cancuoc seed`: citizens per second into SQLite and bytes per citizen
#      on disk (database + WAL, with indexes), on a citizens-only seed — bar
#      ≥ 100,000/s and ≤ 1 KiB; then dossiers per second;
#   2. status lookups `GET /api/v1/status/{code}` with random existing codes
#      over 1,000,000 seeded dossiers, `wrk -t2 -c64 --latency` — bar
#      ≥ 50,000 req/s and p99 ≤ 15 ms on SQLite; a first, cold run fills
#      the answer cache with the sample's 100,000 codes and is reported
#      apart, the figure is the median of the RUNS warm runs after it;
#   3. the same wrk settings against a hello-world axum server (bench/hello),
#      the reference figure for this machine;
#   4. workflow transitions per second with concurrent officers (approver,
#      printer, dispatcher at the NPD centre, two tokens each), each request
#      a distinct seeded dossier at its current version;
#   5. PostgreSQL lookups too when a server can be started
#      (scripts/pg-test-server.sh, in a folder of its own);
#   6. with BASELINE=<git revision>, the same SQLite lookups with the
#      binary of that revision, in the same script run, on a copy of the
#      same database (seeded by the baseline binary, then opened by both:
#      the current binary migrates its copy forward), so a change's effect
#      on the hot path is measured side by side.
#
# Usage: bench/lookup.sh [DOSSIERS]        (default 1000000)
# Env:   CITIZENS (default = DOSSIERS), DURATION (wrk, default 20s), RUNS
#        (wrk runs per lookup figure, the median kept; default 3),
#        PG=0 to skip PostgreSQL, PG_DOSSIERS (default = DOSSIERS),
#        BASELINE=<git revision> to compare with an earlier build,
#        CARGO_TARGET_DIR as for cargo.
# Installs wrk (Debian package) when missing. Prints a summary at the end.
set -euo pipefail
STARTED_AT=$SECONDS

N="${1:-1000000}"
CITIZENS="${CITIZENS:-$N}"
DURATION="${DURATION:-20s}"
PG="${PG:-1}"
PG_DOSSIERS="${PG_DOSSIERS:-$N}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"

if ! command -v wrk >/dev/null 2>&1; then
    echo "installing wrk…" >&2
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

echo "building release binaries…" >&2
(cd "$ROOT" && cargo build --release -q -p cancuoc-cli)
(cd "$ROOT/bench/hello" && CARGO_TARGET_DIR="$TARGET/bench-hello" cargo build --release -q)
BIN="$TARGET/release/cancuoc"
HELLO="$TARGET/bench-hello/release/cancuoc-bench-hello"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cancuoc-bench.XXXXXX")"
# The PostgreSQL server runs as the `postgres` user when we are root: it
# must be able to reach its folder inside ours.
chmod 755 "$WORK"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [[ "$PG" == 1 && -d "$WORK/pg" ]]; then
        CANCUOC_PG_STATE_DIR="$WORK/pg" "$ROOT/scripts/pg-test-server.sh" stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
export CANCUOC_LOG=warn
# wrk is one client (127.0.0.1): exempt it from the per-client limits of the
# public doors, as a deployment exempts a trusted integrator (without it all
# but its first 30 lookups would be 429). The limiter's own cost per request
# is measured by `cargo bench -p cancuoc-server --bench status`.
export CANCUOC_RATE_LIMIT_EXEMPT=127.0.0.0/8

# The baseline binary: the same crate at another revision, built in a
# worktree of its own (kept under the target folder, so a second run
# reuses the build) with its own target folder.
BASE_BIN=""
if [[ -n "${BASELINE:-}" ]]; then
    BASE_REV="$(git -C "$ROOT" rev-parse --short "$BASELINE")"
    BASE_SRC="$TARGET/bench-baseline/src-$BASE_REV"
    echo "building the baseline binary ($BASE_REV)…" >&2
    if [[ ! -d "$BASE_SRC" ]]; then
        git -C "$ROOT" worktree prune
        git -C "$ROOT" worktree add --detach -q "$BASE_SRC" "$BASE_REV"
    fi
    (cd "$BASE_SRC" && CARGO_TARGET_DIR="$TARGET/bench-baseline" cargo build --release -q -p cancuoc-cli)
    BASE_BIN="$TARGET/bench-baseline/release/cancuoc"
fi

# Starts a server command in the background and sets SERVER_URL to its
# base URL (read from the first line it prints with one). Not called in a
# subshell: PIDS must keep the server's pid for stop_last and cleanup.
start_server() {
    local out="$1"; shift
    "$@" >"$out" 2>"$out.err" &
    PIDS+=("$!")
    for _ in $(seq 1 600); do
        # "listening on http://…" (or "đang phục vụ tại http://…" in Vietnamese).
        if grep -qE "(listening on|phục vụ tại) http://" "$out" 2>/dev/null; then
            SERVER_URL="$(grep -oE "(listening on|phục vụ tại) http://[0-9.:]*" "$out" | grep -o "http://[0-9.:]*" | head -n 1)"
            return 0
        fi
        sleep 0.1
    done
    echo "server did not start: $*" >&2
    cat "$out.err" >&2
    return 1
}

stop_last() {
    local p="${PIDS[-1]}"
    kill -TERM "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
    unset 'PIDS[-1]'
}

# wrk output → "REQ_PER_S P99"
wrk_figures() {
    awk '/Requests\/sec/ {r=$2} / 99%/ {p=$2} END {print r, p}' "$1"
}

# The lookup script: every request a random existing code. The requests
# are formatted once per wrk thread (a shuffled sample, each thread from a
# random place in it) so that wrk, which shares the two cores with the
# server, spends its time sending rather than formatting in Lua; the
# server's work per request is the same.
lookup_lua() {
    cat >"$WORK/lookup.lua" <<EOF
local reqs = {}
local i = 0
init = function(args)
  for line in io.lines("$1") do
    reqs[#reqs + 1] = wrk.format("GET", "/api/v1/status/" .. line)
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  i = math.random(#reqs)
end
request = function()
  i = i + 1
  if i > #reqs then i = 1 end
  return reqs[i]
end
EOF
}

# Runs wrk RUNS times (default 3) with the given arguments and keeps the
# run with the median requests/s as $1 (this machine's throughput varies
# between runs by a fifth; one run could flatter or wrong either server).
# With WARMUP=1 a first run of the same length goes before them, is printed
# as the cold figure (WARM_RPS) and is not counted: the lookups' answer
# cache holds every code of the sample once that run has passed over it.
RUNS="${RUNS:-3}"
if ! [[ "$RUNS" =~ ^[1-9][0-9]*$ ]]; then
    echo "RUNS must be a positive whole number, not '$RUNS'" >&2
    exit 2
fi
wrk_median() {
    local out="$1"; shift
    local runs=() i median
    COLD_RPS="none"
    if [[ "${WARMUP:-0}" == 1 ]]; then
        wrk "$@" >"$out.cold"
        COLD_RPS="$(awk '/Requests\/sec/ {print $2}' "$out.cold")"
        echo "  cold run (not counted): $COLD_RPS req/s" >&2
    fi
    for i in $(seq 1 "$RUNS"); do
        wrk "$@" >"$out.$i"
        runs+=("$(awk '/Requests\/sec/ {print $2}' "$out.$i") $out.$i")
    done
    median="$(printf '%s\n' "${runs[@]}" | LC_ALL=C sort -n | awk -v n="$RUNS" 'NR == int((n + 1) / 2) {print $2}')"
    cp "$median" "$out"
    echo "  runs (req/s): $(printf '%s\n' "${runs[@]}" | awk '{printf "%s ", $1}')→ median $(awk '/Requests\/sec/ {print $2}' "$out")" >&2
}

# ---------------------------------------------------------------- seed ---
# Citizens only first: the seed rate and bytes per citizen (database + WAL
# with every index, after the checkpoint at close), then a fresh database
# with dossiers for the lookups.
echo "seeding $CITIZENS citizens (only) into SQLite…" >&2
"$BIN" seed --citizens "$CITIZENS" --seed 2 --json --data-dir "$WORK/citizens" >"$WORK/seed-citizens.json"
read -r SEED_RATE BYTES_PER < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(round(s["citizens_per_second"]), round(s["bytes_per_citizen"] or 0))
' "$WORK/seed-citizens.json")
rm -rf "$WORK/citizens"
echo "seeding $CITIZENS citizens and $N dossiers into SQLite…" >&2
# With a baseline the lookups' database is seeded by the baseline binary
# (an older binary cannot open a database a newer one migrated) and copied
# before either server opens it.
"${BASE_BIN:-$BIN}" seed --citizens "$CITIZENS" --dossiers "$N" --seed 1 --json \
    --codes-out "$WORK/codes.tsv" --data-dir "$WORK/data" >"$WORK/seed.json"
DOSSIER_RATE="$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["dossiers_per_second"]))' "$WORK/seed.json")"
if [[ -n "$BASE_BIN" ]]; then
    cp -a "$WORK/data" "$WORK/data-baseline"
fi
cut -f1 "$WORK/codes.tsv" | shuf -n 100000 >"$WORK/sample.txt"

# ------------------------------------------------------------- lookups ---
start_server "$WORK/serve.out" "$BIN" serve --bind 127.0.0.1:0 --data-dir "$WORK/data"
URL="$SERVER_URL"
lookup_lua "$WORK/sample.txt"
curl -sf "$URL/api/v1/status/$(head -n 1 "$WORK/sample.txt")" >/dev/null
echo "wrk: status lookups on SQLite ($URL)…" >&2
WARMUP=1 wrk_median "$WORK/wrk-sqlite.txt" -t2 -c64 -d"$DURATION" --latency -s "$WORK/lookup.lua" "$URL"
SQLITE_COLD="$COLD_RPS"
read -r SQLITE_RPS SQLITE_P99 < <(wrk_figures "$WORK/wrk-sqlite.txt")
# Non-2xx answers in any run, the cold one included.
SQLITE_ERR="$(cat "$WORK"/wrk-sqlite.txt.* | awk '/Non-2xx or 3xx responses/ {n += $NF} END {print n ? n : "none"}')"

# --------------------------------------------------------- transitions ---
# Officers at the NPD centre (office 2): two tokens per role.
declare -A TOK
for role in approver printer dispatcher; do
    for i in 1 2; do
        t="$("$BIN" officer add --office 2 --role "$role" --name "Cán bộ $role $i" \
            --json --data-dir "$WORK/data" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
        TOK[$role$i]="$t"
    done
done
# Dossiers the centre can move: sent_to_centre → approved, approved →
# printed, printed → dispatched; one request per dossier.
awk -F'\t' '
    $2 == "sent_to_centre" {print $1, "approved", $3, "approver"}
    $2 == "approved"       {print $1, "printed", $3, "printer"}
    $2 == "printed"        {print $1, "dispatched", $3, "dispatcher"}
' "$WORK/codes.tsv" | shuf >"$WORK/moves.txt"
MOVES="$(wc -l <"$WORK/moves.txt")"
cat >"$WORK/transitions.lua" <<EOF
local moves = {}
for line in io.lines("$WORK/moves.txt") do moves[#moves + 1] = line end
local tokens = {
  approver = {"${TOK[approver1]}", "${TOK[approver2]}"},
  printer = {"${TOK[printer1]}", "${TOK[printer2]}"},
  dispatcher = {"${TOK[dispatcher1]}", "${TOK[dispatcher2]}"},
}
local threads = {}
local counter = 1
setup = function(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
local i = 0
init = function(args) i = id - 1 end
request = function()
  i = i + 2
  local m = moves[i]
  if m == nil then return wrk.format("GET", "/healthz") end
  local code, to, version, role = m:match("(%S+) (%S+) (%S+) (%S+)")
  local body = string.format('{"to":"%s","version":%s}', to, version)
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["Authorization"] = "Bearer " .. tokens[role][(i % 2) + 1]
  return wrk.format("POST", "/api/v1/dossiers/" .. code .. "/transitions", headers, body)
end
EOF
echo "wrk: transitions ($MOVES dossiers the centre can move)…" >&2
wrk -t2 -c16 -d5s --latency -s "$WORK/transitions.lua" "$URL" >"$WORK/wrk-transitions.txt"
TR_TOTAL="$(awk '/requests in/ {print $1}' "$WORK/wrk-transitions.txt")"
TR_SECS="$(awk '/requests in/ {gsub(/s,/, "", $4); print $4}' "$WORK/wrk-transitions.txt")"
TR_BAD="$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$WORK/wrk-transitions.txt" | awk '{print $NF}' || true)"
TR_BAD="${TR_BAD:-0}"
TR_DONE=$(( TR_TOTAL < MOVES ? TR_TOTAL : MOVES ))
TR_RATE="$(python3 -c "import sys; print(round(max(0, $TR_DONE - $TR_BAD) / $TR_SECS))")"
read -r _ TR_P99 < <(wrk_figures "$WORK/wrk-transitions.txt")
stop_last

# ------------------------------------------------------------ baseline ---
BASE_LINE=""
if [[ -n "$BASE_BIN" ]]; then
    start_server "$WORK/base-serve.out" "$BASE_BIN" serve --bind 127.0.0.1:0 --data-dir "$WORK/data-baseline"
    BURL="$SERVER_URL"
    lookup_lua "$WORK/sample.txt"
    curl -sf "$BURL/api/v1/status/$(head -n 1 "$WORK/sample.txt")" >/dev/null
    echo "wrk: status lookups on SQLite, baseline $BASE_REV ($BURL)…" >&2
    WARMUP=1 wrk_median "$WORK/wrk-base.txt" -t2 -c64 -d"$DURATION" --latency -s "$WORK/lookup.lua" "$BURL"
    read -r BASE_RPS BASE_P99 < <(wrk_figures "$WORK/wrk-base.txt")
    BASE_LINE="baseline $BASE_REV:    $BASE_RPS req/s, p99 $BASE_P99 (SQLite lookups, same database, same wrk settings; the cold first run: $COLD_RPS req/s)"
    stop_last
fi

# --------------------------------------------------------------- hello ---
start_server "$WORK/hello.out" "$HELLO" 127.0.0.1:0
HURL="$SERVER_URL"
echo "wrk: hello-world axum ($HURL)…" >&2
wrk_median "$WORK/wrk-hello.txt" -t2 -c64 -d"$DURATION" --latency "$HURL/"
read -r HELLO_RPS HELLO_P99 < <(wrk_figures "$WORK/wrk-hello.txt")
stop_last

# ---------------------------------------------------------- PostgreSQL ---
PG_LINE="PostgreSQL: skipped"
if [[ "$PG" == 1 ]]; then
    if PGENV="$(CANCUOC_PG_STATE_DIR="$WORK/pg" "$ROOT/scripts/pg-test-server.sh" start 2>"$WORK/pg.err")"; then
        PGURL="${PGENV#*=}"
        echo "seeding $PG_DOSSIERS dossiers into PostgreSQL…" >&2
        "$BIN" seed --citizens "$PG_DOSSIERS" --dossiers "$PG_DOSSIERS" --seed 1 --json \
            --codes-out "$WORK/pg-codes.tsv" --data-dir "$WORK/pgdata" --database-url "$PGURL" >"$WORK/pg-seed.json"
        cut -f1 "$WORK/pg-codes.tsv" | shuf -n 100000 >"$WORK/pg-sample.txt"
        start_server "$WORK/pg-serve.out" "$BIN" serve --bind 127.0.0.1:0 --data-dir "$WORK/pgdata" --database-url "$PGURL"
        PURL="$SERVER_URL"
        lookup_lua "$WORK/pg-sample.txt"
        echo "wrk: status lookups on PostgreSQL…" >&2
        WARMUP=1 wrk_median "$WORK/wrk-pg.txt" -t2 -c64 -d"$DURATION" --latency -s "$WORK/lookup.lua" "$PURL"
        read -r PG_RPS PG_P99 < <(wrk_figures "$WORK/wrk-pg.txt")
        PG_SEED="$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["citizens_per_second"]))' "$WORK/pg-seed.json")"
        PG_LINE="PostgreSQL lookups:  $PG_RPS req/s, p99 $PG_P99 ($PG_DOSSIERS dossiers, median of $RUNS runs after a cold one of $COLD_RPS req/s; seed $PG_SEED citizens/s)"
        stop_last
    else
        PG_LINE="PostgreSQL: no server could be started ($(head -n 1 "$WORK/pg.err"))"
    fi
fi

cat <<EOF

== cancuoc service benchmarks ($(date -u +%Y-%m-%d), $(nproc) cores, wrk beside the server) ==
seed (SQLite):        $SEED_RATE citizens/s, $BYTES_PER bytes per citizen on disk ($CITIZENS citizens only); $DOSSIER_RATE dossiers/s   (bars: ≥ 100000/s, ≤ 1024 B)
SQLite lookups:       $SQLITE_RPS req/s, p99 $SQLITE_P99 ($N dossiers, wrk -t2 -c64 -d$DURATION, median of $RUNS runs with the answer cache warm; the cold first run: $SQLITE_COLD req/s; errors: $SQLITE_ERR)   (bars: ≥ 50000 req/s, p99 ≤ 15 ms)
hello-world axum:     $HELLO_RPS req/s, p99 $HELLO_P99 (same wrk settings, median of $RUNS runs, same script run)
${BASE_LINE:-baseline:             none (BASELINE=<revision> to compare)}
transitions:          $TR_RATE/s, p99 $TR_P99 (6 officers, 16 connections, $MOVES movable dossiers, $TR_BAD refused)
$PG_LINE
whole script:         $(( SECONDS - STARTED_AT )) s
EOF
