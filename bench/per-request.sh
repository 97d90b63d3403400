#!/usr/bin/env bash
# Server CPU time and system calls per request, independent of machine
# load: drives URL with `wrk -t2 -c64` for DURATION (default 5s) and reads
# the server's CPU time (utime + stime from /proc/PID/stat) before and
# after; then counts the server's system calls under a second, shorter wrk
# run with `strace -c -f` (strace slows the server; only the counts are
# used).
#
#   bench/per-request.sh PID URL
#
# e.g. with `CANCUOC_RATE_LIMIT_EXEMPT=127.0.0.1 cancuoc serve --demo`
# running as PID 1234 (wrk is one client: without the exemption all but
# its first 30 lookups are refused with 429) and a demo dossier code from
# its banner:
#   bench/per-request.sh 1234 http://127.0.0.1:8080/api/v1/status/0011261124607147
# and the hello-world reference (bench/hello) the same way.
# Needs wrk and strace (Debian packages).
set -euo pipefail
PID="${1:?usage: bench/per-request.sh PID URL}"
URL="${2:?usage: bench/per-request.sh PID URL}"
DURATION="${DURATION:-5s}"
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }

t0="$(cpu)"
out="$(wrk -t2 -c64 -d"$DURATION" "$URL")"
t1="$(cpu)"
n="$(awk '/requests in/ {print $1}' <<<"$out")"
rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
tck="$(getconf CLK_TCK)"
echo "requests/s: $rps"
awk -v a="$t0" -v b="$t1" -v t="$tck" -v n="$n" \
    'BEGIN { printf "server CPU per request: %.1f µs\n", (b - a) / t / n * 1e6 }'

trace="$(mktemp)"
trap 'rm -f "$trace"' EXIT
(sleep 0.5; wrk -t2 -c64 -d2s "$URL" >"$trace.wrk") &
timeout 3 strace -c -f -o "$trace" -p "$PID" >/dev/null 2>&1 || true
wait
n="$(awk '/requests in/ {print $1}' "$trace.wrk")"
rm -f "$trace.wrk"
# strace -c rows: % time, seconds, usecs/call, calls, [errors,] syscall.
awk -v n="$n" 'NF >= 5 && $1 ~ /^[0-9.]+$/ && $NF != "total" && $4 / n >= 0.005 {
        printf "  %-14s %.2f per request\n", $NF, $4 / n
    }' "$trace"
