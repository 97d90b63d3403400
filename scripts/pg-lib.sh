# Shared by scripts/pg-test-server.sh and scripts/pg-cluster.sh (sourced,
# not run): where the installed PostgreSQL server binaries are, how to run
# them (as the `postgres` system user when we are root: PostgreSQL refuses
# to run as root), and free loopback ports. The sourcing script sets
# PG_SCRIPT, the name its errors start with, before sourcing this file.

die() { echo "${PG_SCRIPT:-pg}: $*" >&2; exit 1; }

# The newest installed server binaries (/usr/lib/postgresql/*/bin), else
# the folder of a pg_ctl on PATH.
find_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$dir" && -x "$dir/pg_ctl" ]]; then
        echo "$dir"
    elif command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
    else
        die "no PostgreSQL server binaries found (apt-get install postgresql)"
    fi
}

# Runs a server binary as the postgres user when we are root.
as_pg() {
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# $1 (default 1) distinct free loopback ports, on one line (random ones
# in 20000–59999 when python3 is missing).
free_ports() {
    local n="${1:-1}"
    python3 - "$n" <<'PY' 2>/dev/null || shuf -i 20000-59999 -n "$n" | paste -sd' '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
}
