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
#   5. SQLite lookups while officers move dossiers at about 100
#      transitions/s (wrk paced with `delay`, its achieved rate printed):
#      bar ≥ 70 % of the write-free lookup rate of item 2;
#   6. PostgreSQL lookups too when a cluster can be started
#      (scripts/pg-cluster.sh: a primary and a streaming hot standby, in a
#      folder of our own): a server on the primary alone, then a server
#      reading its public paths from the standby (`--replica-url`); bar
#      ≥ 50 % of the hello-world rate of item 3, on each;
#   7. with BASELINE=<git revision>, the same SQLite lookups with the
#      binary of that revision, in the same script run, on a copy of the
#      same database (seeded by the baseline binary, then opened by both:
#      the current binary migrates its copy forward), so a change's effect
#      on the hot path is measured side by side.
#
# Usage: bench/lookup.sh [DOSSIERS]        (default 1000000)
# Env:   CITIZENS (default = DOSSIERS), DURATION (wrk, default 20s), RUNS
#        (wrk runs per lookup figure, the median kept; default 3),
#        PG=0 to skip PostgreSQL, PG_DOSSIERS (default = DOSSIERS),
#        WRITE_RATE (paced transitions/s beside the lookups, default 100),
#        BASELINE=<git revision> to compare with an earlier build,
#        CARGO_TARGET_DIR as for cargo, BUILD=0 to use the release
#        binaries already built there.
# Installs wrk (Debian package) when missing. Prints a summary at the end.
set -euo pipefail
STARTED_AT=$SECONDS

N="${1:-1000000}"
CITIZENS="${CITIZENS:-$N}"
DURATION="${DURATION:-20s}"
PG="${PG:-1}"
PG_DOSSIERS="${PG_DOSSIERS:-$N}"
WRITE_RATE="${WRITE_RATE:-100}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"

if ! command -v wrk >/dev/null 2>&1; then
    echo "installing wrk…" >&2
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

if [[ "${BUILD:-1}" != 0 ]]; then
    echo "building release binaries…" >&2
    (cd "$ROOT" && cargo build --release -q -p cancuoc-cli)
    (cd "$ROOT/bench/hello" && CARGO_TARGET_DIR="$TARGET/bench-hello" cargo build --release -q)
fi
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
        CANCUOC_PG_STATE_DIR="$WORK/pg" "$ROOT/scripts/pg-cluster.sh" stop >/dev/null 2>&1 || true
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

# ------------------------------------------------ lookups under writes ---
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
# printed, printed → dispatched; one request per dossier. The first half
# is moved at a steady pace beside the lookups, the second as fast as the
# officers can.
awk -F'\t' '
    $2 == "sent_to_centre" {print $1, "approved", $3, "approver"}
    $2 == "approved"       {print $1, "printed", $3, "printer"}
    $2 == "printed"        {print $1, "dispatched", $3, "dispatcher"}
' "$WORK/codes.tsv" | shuf >"$WORK/moves-all.txt"
HALF=$(( $(wc -l <"$WORK/moves-all.txt") / 2 ))
head -n "$HALF" "$WORK/moves-all.txt" >"$WORK/moves-paced.txt"
tail -n +"$(( HALF + 1 ))" "$WORK/moves-all.txt" >"$WORK/moves.txt"

# The transitions script over a moves file; $2 is the pause in ms each
# connection takes after an answer (0: none).
transitions_lua() {
    cat >"$3" <<EOF2
local moves = {}
for line in io.lines("$1") do moves[#moves + 1] = line end
local tokens = {
  approver = {"${TOK[approver1]}", "${TOK[approver2]}"},
  printer = {"${TOK[printer1]}", "${TOK[printer2]}"},
  dispatcher = {"${TOK[dispatcher1]}", "${TOK[dispatcher2]}"},
}
local counter = 1
setup = function(thread)
  thread:set("id", counter)
  counter = counter + 1
end
local i = 0
init = function(args) i = id - 1 end
if $2 > 0 then
  delay = function() return $2 end
end
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
EOF2
}

# Paced officers: 2 threads × 4 connections, each pausing so that the
# eight together send about WRITE_RATE a second (the pause leaves room for
# the answer's own time; the achieved rate is measured and printed). They
# run for the whole of the lookup runs and a little longer.
# 85 % of the even share: each answer itself takes a few ms.
PACE_MS=$(( 8000 * 85 / 100 / WRITE_RATE ))
if (( HALF < WRITE_RATE * (RUNS * (${DURATION%s} + 1) + 3) )); then
    echo "warning: only $HALF movable dossiers for the paced officers; they run out before the lookups end (seed more dossiers)" >&2
fi
DUR_S="${DURATION%s}"
PACED_SECS=$(( RUNS * (DUR_S + 1) + 3 ))
transitions_lua "$WORK/moves-paced.txt" "$PACE_MS" "$WORK/paced.lua"
echo "wrk: status lookups on SQLite while officers move dossiers at ~$WRITE_RATE/s…" >&2
wrk -t2 -c8 -d"${PACED_SECS}s" -s "$WORK/paced.lua" "$URL" >"$WORK/wrk-paced.txt" &
PACED_PID=$!
sleep 1
wrk_median "$WORK/wrk-sqlite-writes.txt" -t2 -c64 -d"$DURATION" --latency -s "$WORK/lookup.lua" "$URL"
read -r WRITES_RPS WRITES_P99 < <(wrk_figures "$WORK/wrk-sqlite-writes.txt")
WRITES_ERR="$(cat "$WORK"/wrk-sqlite-writes.txt.* | awk '/Non-2xx or 3xx responses/ {n += $NF} END {print n ? n : "none"}')"
wait "$PACED_PID"
PACED_TOTAL="$(awk '/requests in/ {print $1}' "$WORK/wrk-paced.txt")"
PACED_SECS_RUN="$(awk '/requests in/ {gsub(/s,/, "", $4); print $4}' "$WORK/wrk-paced.txt")"
PACED_BAD="$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$WORK/wrk-paced.txt" | awk '{print $NF}' || true)"
PACED_BAD="${PACED_BAD:-0}"
# Requests past the last movable dossier are /healthz: not counted.
PACED_DONE=$(( PACED_TOTAL < HALF ? PACED_TOTAL : HALF ))
PACED_RATE="$(python3 -c "print(round(max(0, $PACED_DONE - $PACED_BAD) / $PACED_SECS_RUN))")"
WRITES_SHARE="$(python3 -c "print(round(100 * $WRITES_RPS / $SQLITE_RPS))")"

# --------------------------------------------------------- transitions ---
MOVES="$(wc -l <"$WORK/moves.txt")"
transitions_lua "$WORK/moves.txt" 0 "$WORK/transitions.lua"
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
# A primary and its streaming hot standby (scripts/pg-cluster.sh). The
# same seeded data and the same sample are looked up through a server on
# the primary alone, then through a server that reads the public paths
# from the standby. Each server starts with an empty answer cache: the
# cold run is the database's own rate (every code read once), the warm
# runs are what a running server answers.
PG_LINE="PostgreSQL: skipped"
PG_REPLICA_LINE=""
if [[ "$PG" == 1 ]]; then
    if PGENV="$(CANCUOC_PG_STATE_DIR="$WORK/pg" "$ROOT/scripts/pg-cluster.sh" start 2>"$WORK/pg.err")"; then
        PGURL="$(echo "$PGENV" | sed -n 's/^CANCUOC_PG_PRIMARY_URL=//p')"
        PGREPLICA="$(echo "$PGENV" | sed -n 's/^CANCUOC_PG_REPLICA_URL=//p')"
        echo "seeding $PG_DOSSIERS dossiers into PostgreSQL…" >&2
        "$BIN" seed --citizens "$PG_DOSSIERS" --dossiers "$PG_DOSSIERS" --seed 1 --json \
            --codes-out "$WORK/pg-codes.tsv" --data-dir "$WORK/pgdata" --database-url "$PGURL" >"$WORK/pg-seed.json"
        cut -f1 "$WORK/pg-codes.tsv" | shuf -n 100000 >"$WORK/pg-sample.txt"
        PG_SEED="$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["citizens_per_second"]))' "$WORK/pg-seed.json")"
        lookup_lua "$WORK/pg-sample.txt"

        start_server "$WORK/pg-serve.out" "$BIN" serve --bind 127.0.0.1:0 --data-dir "$WORK/pgdata" --database-url "$PGURL"
        PURL="$SERVER_URL"
        echo "wrk: status lookups on the PostgreSQL primary…" >&2
        WARMUP=1 wrk_median "$WORK/wrk-pg.txt" -t2 -c64 -d"$DURATION" --latency -s "$WORK/lookup.lua" "$PURL"
        PG_COLD="$COLD_RPS"
        read -r PG_RPS PG_P99 < <(wrk_figures "$WORK/wrk-pg.txt")
        PG_ERR="$(cat "$WORK"/wrk-pg.txt.* | awk '/Non-2xx or 3xx responses/ {n += $NF} END {print n ? n : "none"}')"

        # Transitions on the primary, as on SQLite above (six officers,
        # 16 connections, each request a distinct movable dossier).
        for role in approver printer dispatcher; do
            for i in 1 2; do
                TOK[$role$i]="$("$BIN" officer add --office 2 --role "$role" --name "Cán bộ $role $i" \
                    --json --data-dir "$WORK/pgdata" --database-url "$PGURL" \
                    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
            done
        done
        awk -F'\t' '
            $2 == "sent_to_centre" {print $1, "approved", $3, "approver"}
            $2 == "approved"       {print $1, "printed", $3, "printer"}
            $2 == "printed"        {print $1, "dispatched", $3, "dispatcher"}
        ' "$WORK/pg-codes.tsv" | shuf >"$WORK/pg-moves.txt"
        PG_MOVES="$(wc -l <"$WORK/pg-moves.txt")"
        transitions_lua "$WORK/pg-moves.txt" 0 "$WORK/pg-transitions.lua"
        echo "wrk: transitions on PostgreSQL…" >&2
        wrk -t2 -c16 -d5s --latency -s "$WORK/pg-transitions.lua" "$PURL" >"$WORK/wrk-pg-transitions.txt"
        PT_TOTAL="$(awk '/requests in/ {print $1}' "$WORK/wrk-pg-transitions.txt")"
        PT_SECS="$(awk '/requests in/ {gsub(/s,/, "", $4); print $4}' "$WORK/wrk-pg-transitions.txt")"
        PT_BAD="$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$WORK/wrk-pg-transitions.txt" | awk '{print $NF}' || true)"
        PT_BAD="${PT_BAD:-0}"
        PT_DONE=$(( PT_TOTAL < PG_MOVES ? PT_TOTAL : PG_MOVES ))
        PT_RATE="$(python3 -c "print(round(max(0, $PT_DONE - $PT_BAD) / $PT_SECS))")"
        read -r _ PT_P99 < <(wrk_figures "$WORK/wrk-pg-transitions.txt")
        stop_last
        # Bytes on disk per citizen and per dossier (its events included),
        # tables with their indexes, for docs/scaling.md.
        PSQL="$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1 || command -v psql)"
        read -r PG_CIT_B PG_DOS_B < <("$PSQL" "$PGURL" -AtF' ' -c "VACUUM ANALYZE" -c "SELECT
            round(pg_total_relation_size('citizens')::numeric / greatest(1, (SELECT count(*) FROM citizens))),
            round((pg_total_relation_size('dossiers') + coalesce((SELECT sum(pg_total_relation_size(c.oid))
                FROM pg_class c WHERE c.relname LIKE 'dossier_events%' AND c.relkind IN ('r', 'p')), 0))::numeric
                / greatest(1, (SELECT count(*) FROM dossiers)))" | tail -n 1)

        # The standby has replayed the seed before the server starts.
        PSQL="$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1 || command -v psql)"
        WANT="$("$PSQL" "$PGURL" -Atc "SELECT count(*) FROM dossiers")"
        for _ in $(seq 1 600); do
            [[ "$("$PSQL" "$PGREPLICA" -Atc "SELECT count(*) FROM dossiers" 2>/dev/null)" == "$WANT" ]] && break
            sleep 0.1
        done
        start_server "$WORK/pg-replica-serve.out" "$BIN" serve --bind 127.0.0.1:0 --data-dir "$WORK/pgdata" \
            --database-url "$PGURL" --replica-url "$PGREPLICA"
        RURL="$SERVER_URL"
        curl -sf "$RURL/api/v1/status/$(head -n 1 "$WORK/pg-sample.txt")" >/dev/null
        echo "wrk: status lookups read from the PostgreSQL standby…" >&2
        WARMUP=1 wrk_median "$WORK/wrk-pgr.txt" -t2 -c64 -d"$DURATION" --latency -s "$WORK/lookup.lua" "$RURL"
        PGR_COLD="$COLD_RPS"
        read -r PGR_RPS PGR_P99 < <(wrk_figures "$WORK/wrk-pgr.txt")
        PGR_ERR="$(cat "$WORK"/wrk-pgr.txt.* | awk '/Non-2xx or 3xx responses/ {n += $NF} END {print n ? n : "none"}')"
        stop_last

        PG_SHARE="$(python3 -c "print(round(100 * $PG_RPS / $HELLO_RPS))")"
        PGR_SHARE="$(python3 -c "print(round(100 * $PGR_RPS / $HELLO_RPS))")"
        PG_TR_LINE="PostgreSQL transitions: $PT_RATE/s, p99 $PT_P99 (6 officers, 16 connections, $PG_MOVES movable dossiers, $PT_BAD refused); on disk $PG_CIT_B B per citizen, $PG_DOS_B B per dossier with its events (indexes included)"
        PG_LINE="PostgreSQL primary:   $PG_RPS req/s, p99 $PG_P99 = $PG_SHARE % of hello-world (bar ≥ 50 %; $PG_DOSSIERS dossiers, median of $RUNS warm runs; cold first run, every code read from the database once: $PG_COLD req/s; errors: $PG_ERR; seed $PG_SEED citizens/s)"
        PG_REPLICA_LINE="PostgreSQL standby:   $PGR_RPS req/s, p99 $PGR_P99 = $PGR_SHARE % of hello-world (bar ≥ 50 %; misses read on the hot standby; cold first run: $PGR_COLD req/s; errors: $PGR_ERR)"
    else
        PG_LINE="PostgreSQL: no cluster could be started ($(head -n 1 "$WORK/pg.err"))"
    fi
fi

cat <<EOF

== cancuoc service benchmarks ($(date -u +%Y-%m-%d), $(nproc) cores, wrk beside the server) ==
seed (SQLite):        $SEED_RATE citizens/s, $BYTES_PER bytes per citizen on disk ($CITIZENS citizens only); $DOSSIER_RATE dossiers/s   (bars: ≥ 100000/s, ≤ 1024 B)
SQLite lookups:       $SQLITE_RPS req/s, p99 $SQLITE_P99 ($N dossiers, wrk -t2 -c64 -d$DURATION, median of $RUNS runs with the answer cache warm; the cold first run: $SQLITE_COLD req/s; errors: $SQLITE_ERR)   (bars: ≥ 50000 req/s, p99 ≤ 15 ms)
SQLite under writes:  $WRITES_RPS req/s, p99 $WRITES_P99 = $WRITES_SHARE % of the write-free rate (bar ≥ 70 %) while officers moved $PACED_RATE dossiers/s ($PACED_BAD refused; errors among the lookups: $WRITES_ERR)
hello-world axum:     $HELLO_RPS req/s, p99 $HELLO_P99 (same wrk settings, median of $RUNS runs, same script run)
${BASE_LINE:-baseline:             none (BASELINE=<revision> to compare)}
transitions:          $TR_RATE/s, p99 $TR_P99 (6 officers, 16 connections, $MOVES movable dossiers, $TR_BAD refused)
$PG_LINE
${PG_REPLICA_LINE:-}
${PG_TR_LINE:-}
whole script:         $(( SECONDS - STARTED_AT )) s
EOF
