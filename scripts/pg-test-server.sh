#!/usr/bin/env bash
# A throwaway PostgreSQL for the store contract tests (cancuoc-store).
#
#   scripts/pg-test-server.sh start   # prints CANCUOC_TEST_PG_URL=postgres://…
#   scripts/pg-test-server.sh url     # prints the URL of the running server
#   scripts/pg-test-server.sh stop    # stops it and removes its folder
#   scripts/pg-test-server.sh pause   # stops the server, keeps its data
#   scripts/pg-test-server.sh resume  # starts it again on the same port
#
# Starts the installed server binaries (initdb + pg_ctl, newest version under
# /usr/lib/postgresql) in a temporary folder on a free loopback port, with
# trust authentication on 127.0.0.1 only, and creates the database
# `cancuoc_test`. PostgreSQL refuses to run as root, so when run as root the
# server runs as the `postgres` system user (runuser). Idempotent: `start`
# on a running server just prints its URL; `stop` on none does nothing.
# Quiet on success except for the URL line. Use in a shell with
#   eval "export $(scripts/pg-test-server.sh start)"
# `pause` and `resume` are for the fault tests, which run a server of their
# own (CANCUOC_PG_STATE_DIR set to their own folder) and stop it under load.
set -euo pipefail

STATE_DIR="${CANCUOC_PG_STATE_DIR:-${TMPDIR:-/tmp}/cancuoc-pg-test}"
DATA="$STATE_DIR/data"
PORT_FILE="$STATE_DIR/port"
LOG="$STATE_DIR/server.log"
DB=cancuoc_test

PG_SCRIPT=pg-test-server
# shellcheck source=scripts/pg-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/pg-lib.sh"

BIN="$(find_bin)"

running() {
    [[ -f "$DATA/postmaster.pid" ]] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

url() {
    [[ -f "$PORT_FILE" ]] || die "not started"
    echo "CANCUOC_TEST_PG_URL=postgres://postgres@127.0.0.1:$(cat "$PORT_FILE")/$DB"
}

# Starts the server in $DATA on port $1.
launch() {
    # Loopback only, trust auth (initdb -A trust), socket in our folder,
    # durability off: this database is thrown away.
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $1 -k $STATE_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { cat "$LOG" >&2; die "server did not start"; }
}

start() {
    if running; then
        url
        return
    fi
    # A stale folder from a killed run: start afresh.
    rm -rf "$STATE_DIR"
    mkdir -p "$STATE_DIR"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown postgres: "$STATE_DIR"
    fi
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$STATE_DIR/initdb.log" 2>&1 || { cat "$STATE_DIR/initdb.log" >&2; die "initdb failed"; }
    local port
    port="$(free_ports 1)"
    echo "$port" >"$PORT_FILE"
    launch "$port"
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DB" \
        || die "createdb failed"
    url
}

stop() {
    if running; then
        as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$STATE_DIR"
}

pause() {
    running || die "not running"
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
}

resume() {
    [[ -f "$PORT_FILE" ]] || die "not started"
    running || launch "$(cat "$PORT_FILE")"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    pause) pause ;;
    resume) resume ;;
    *) die "usage: $0 start|stop|url|pause|resume" ;;
esac
