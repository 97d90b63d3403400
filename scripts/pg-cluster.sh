#!/usr/bin/env bash
# A throwaway PostgreSQL primary and a streaming hot standby of it, for the
# replica and failover tests and the lookup benchmark.
#
#   scripts/pg-cluster.sh start     # prints the URL lines below
#   scripts/pg-cluster.sh url       # prints them for the running cluster
#   scripts/pg-cluster.sh stop      # stops both and removes the folder
#   scripts/pg-cluster.sh pause [primary|standby]   # stops one, keeps its data
#   scripts/pg-cluster.sh resume [primary|standby]  # starts it again, same port
#   scripts/pg-cluster.sh promote   # stops the primary, promotes the standby
#
# `start` prints
#   CANCUOC_PG_PRIMARY_URL=postgres://postgres@127.0.0.1:P1/cancuoc_test
#   CANCUOC_PG_REPLICA_URL=postgres://postgres@127.0.0.1:P2/cancuoc_test
#   CANCUOC_PG_CLUSTER_URL=postgres://postgres@127.0.0.1:P1,127.0.0.1:P2/cancuoc_test
# (the last one is the libpq-style host list `cancuoc serve` accepts as its
# database_url: it writes to whichever host takes writes). The names stay
# with the nodes: after `promote` the REPLICA_URL's server is the primary.
#
# As scripts/pg-test-server.sh does for one server: the installed binaries
# (newest under /usr/lib/postgresql), one state folder
# (CANCUOC_PG_STATE_DIR, default /tmp/cancuoc-pg-cluster) holding both data
# folders, two free loopback ports, trust authentication on 127.0.0.1 only,
# durability off (fsync, full_page_writes: the data is thrown away), and
# the `postgres` system user through runuser when run as root. The standby
# is a `pg_basebackup -R` copy of the primary streaming its WAL
# (wal_level=replica, hot_standby on). `promote` stops the primary with a
# fast shutdown first, which hands every committed record to the standby
# before it exits, so nothing acknowledged is lost; then `pg_ctl promote`.
# Idempotent: `start` on a running cluster prints its URLs.
set -euo pipefail

STATE_DIR="${CANCUOC_PG_STATE_DIR:-${TMPDIR:-/tmp}/cancuoc-pg-cluster}"
DB=cancuoc_test

PG_SCRIPT=pg-cluster
# shellcheck source=scripts/pg-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/pg-lib.sh"

BIN="$(find_bin)"

# The node's data folder and port file: `primary` or `standby`.
data() { echo "$STATE_DIR/$1"; }
port() {
    [[ -f "$STATE_DIR/$1.port" ]] || die "not started"
    cat "$STATE_DIR/$1.port"
}

running() {
    local d
    d="$(data "$1")"
    [[ -f "$d/postmaster.pid" ]] && as_pg "$BIN/pg_ctl" -D "$d" status >/dev/null 2>&1
}

url() {
    local p s
    p="$(port primary)"
    s="$(port standby)"
    echo "CANCUOC_PG_PRIMARY_URL=postgres://postgres@127.0.0.1:$p/$DB"
    echo "CANCUOC_PG_REPLICA_URL=postgres://postgres@127.0.0.1:$s/$DB"
    echo "CANCUOC_PG_CLUSTER_URL=postgres://postgres@127.0.0.1:$p,127.0.0.1:$s/$DB"
}

# Starts node $1 on its port.
launch() {
    local node="$1" d p
    d="$(data "$node")"
    p="$(port "$node")"
    # Loopback only, socket in our folder, durability off; the WAL settings
    # a streaming standby needs (harmless on the standby itself, which may
    # be promoted and then serve standbys of its own).
    as_pg "$BIN/pg_ctl" -D "$d" -l "$STATE_DIR/$node.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $p -k $STATE_DIR -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
            -c wal_level=replica -c max_wal_senders=5 -c hot_standby=on \
            -c wal_receiver_status_interval=1s -c max_standby_streaming_delay=5s" \
        start >/dev/null || { cat "$STATE_DIR/$node.log" >&2; die "$node did not start"; }
}

start() {
    if [[ -f "$STATE_DIR/primary.port" ]] && running primary && running standby; then
        url
        return
    fi
    # A stale folder from a killed run: stop what is left of it, start afresh.
    for node in primary standby; do
        if [[ -f "$(data "$node")/postmaster.pid" ]]; then
            as_pg "$BIN/pg_ctl" -D "$(data "$node")" -m immediate -w stop >/dev/null 2>&1 || true
        fi
    done
    rm -rf "$STATE_DIR"
    mkdir -p "$STATE_DIR"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown postgres: "$STATE_DIR"
    fi
    as_pg "$BIN/initdb" -D "$(data primary)" -U postgres -A trust --no-sync \
        --encoding=UTF8 --locale=C.UTF-8 >"$STATE_DIR/initdb.log" 2>&1 \
        || { cat "$STATE_DIR/initdb.log" >&2; die "initdb failed"; }
    local ports
    read -r -a ports <<<"$(free_ports 2)"
    echo "${ports[0]}" >"$STATE_DIR/primary.port"
    echo "${ports[1]}" >"$STATE_DIR/standby.port"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown postgres: "$STATE_DIR"/*.port
    fi
    launch primary
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "${ports[0]}" -U postgres "$DB" \
        || die "createdb failed"
    # initdb's pg_hba.conf trusts replication connections from 127.0.0.1
    # (its -A trust). -R writes primary_conninfo and standby.signal.
    as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "${ports[0]}" -U postgres \
        -D "$(data standby)" -R -X stream -c fast --no-sync \
        >"$STATE_DIR/basebackup.log" 2>&1 \
        || { cat "$STATE_DIR/basebackup.log" >&2; die "pg_basebackup failed"; }
    launch standby
    url
}

stop() {
    for node in primary standby; do
        if [[ -f "$(data "$node")/postmaster.pid" ]]; then
            as_pg "$BIN/pg_ctl" -D "$(data "$node")" -m fast -w stop >/dev/null 2>&1 || true
        fi
    done
    rm -rf "$STATE_DIR"
}

node_arg() {
    case "${1:-primary}" in
        primary | standby) echo "${1:-primary}" ;;
        replica) echo standby ;;
        *) die "no node ${1}: primary or standby" ;;
    esac
}

pause() {
    local node
    node="$(node_arg "${1:-}")"
    running "$node" || die "$node not running"
    as_pg "$BIN/pg_ctl" -D "$(data "$node")" -m fast -w stop >/dev/null
}

resume() {
    local node
    node="$(node_arg "${1:-}")"
    running "$node" || launch "$node"
}

promote() {
    running standby || die "standby not running"
    if running primary; then
        as_pg "$BIN/pg_ctl" -D "$(data primary)" -m fast -w stop >/dev/null
    fi
    as_pg "$BIN/pg_ctl" -D "$(data standby)" -w -t 60 promote >/dev/null \
        || { cat "$STATE_DIR/standby.log" >&2; die "promote failed"; }
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    pause) pause "${2:-}" ;;
    resume) resume "${2:-}" ;;
    promote) promote ;;
    *) die "usage: $0 start|stop|url|pause [primary|standby]|resume [primary|standby]|promote" ;;
esac
