#!/usr/bin/env bash
# Identity-account benchmarks (tài khoản định danh điện tử), measured side
# by side in one run on this machine, against `cancuoc serve --demo
# --test-hooks` on a fresh SQLite data directory:
#
#   1. logins per second at the chosen Argon2id parameters: the full
#      password step — `GET /api/v1/captcha`, its answer from the test hook
#      `/__test/captcha/{id}`, `POST /api/v1/auth/login` with the demo
#      citizens' password — from CLIENTS concurrent clients over the demo's
#      accounts (bench/login-load); the figure is password checks completed
#      per second (a right password is answered 202, or 429 otp.cooldown /
#      otp.quota once the number's one-time-code limits are reached: both
#      after the Argon2id check). Keycloak's sizing for comparison: 15
#      password logins per second per vCPU;
#   2. status lookups `GET /api/v1/status/{code}` over the demo's sample
#      codes (from demo.json; the answer cache warm, as lookup.sh's warm
#      runs), `wrk -t2 -c64`, alone and while the full login load of 1.
#      runs, alternated ROUNDS times and ending alone (A L A L A), in the
#      same script run; bar: with the logins running, lookups keep ≥ 80 %
#      of their mean alone. The hashing pool (half the cores, at lowered
#      priority) is what keeps them: the summary also says how many
#      password checks ran beside the lookups.
#
# The server exempts 127.0.0.0/8 from the per-client limits of the public
# doors (CANCUOC_RATE_LIMIT_EXEMPT, as lookup.sh; wrk and the load are one
# client each); the password guessing guard exempts no one, so the load
# keeps at most 4 clients per account (bench/login-load explains).
#
# Usage: bench/accounts.sh
# Env:   DURATION (each measurement, default 10s), CLIENTS (login clients,
#        default 16), ROUNDS (alone/loaded pairs, default 2), CARGO_TARGET_DIR
#        as for cargo.
# Installs wrk (Debian package) when missing. Prints a summary at the end.
set -euo pipefail
STARTED_AT=$SECONDS

DURATION="${DURATION:-10s}"
CLIENTS="${CLIENTS:-16}"
ROUNDS="${ROUNDS:-2}"
# The service's hashing pool: half the cores, at least one.
HASHERS=$(( $(nproc) / 2 > 0 ? $(nproc) / 2 : 1 ))
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
SECS="${DURATION%s}"
if ! [[ "$SECS" =~ ^[1-9][0-9]*$ ]]; then
    echo "DURATION must be whole seconds like 10s, not '$DURATION'" >&2
    exit 2
fi
if ! [[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]]; then
    echo "ROUNDS must be a positive whole number, not '$ROUNDS'" >&2
    exit 2
fi

if ! command -v wrk >/dev/null 2>&1; then
    echo "installing wrk…" >&2
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

echo "building release binaries…" >&2
(cd "$ROOT" && cargo build --release -q -p cancuoc-cli)
(cd "$ROOT/bench/login-load" && CARGO_TARGET_DIR="$TARGET/bench-login-load" cargo build --release -q)
BIN="$TARGET/release/cancuoc"
LOAD="$TARGET/bench-login-load/release/cancuoc-bench-login-load"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cancuoc-bench-accounts.XXXXXX")"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
export CANCUOC_LOG=warn
export CANCUOC_RATE_LIMIT_EXEMPT=127.0.0.0/8

# Starts the server in the background and sets SERVER_URL (as lookup.sh).
start_server() {
    local out="$1"; shift
    "$@" >"$out" 2>"$out.err" &
    PIDS+=("$!")
    for _ in $(seq 1 600); do
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

# wrk output → "REQ_PER_S P99 NON_2XX"
wrk_figures() {
    awk '/Requests\/sec/ {r=$2} / 99%/ {p=$2} /Non-2xx or 3xx responses/ {e=$NF}
         END {print r, p, (e ? e : 0)}' "$1"
}

# --------------------------------------------------------------- server ---
echo "starting cancuoc serve --demo --test-hooks…" >&2
start_server "$WORK/serve.out" "$BIN" serve --demo --test-hooks --bind 127.0.0.1:0 --data-dir "$WORK/data"
URL="$SERVER_URL"
DEMO="$WORK/data/demo.json"
[[ -s "$DEMO" ]] || { echo "no $DEMO written by serve --demo" >&2; exit 1; }
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for x in d["dossiers"]:
    print(x["code"])
' "$DEMO" >"$WORK/codes.txt"
ACCOUNTS="$(python3 -c 'import json,sys; print(sum(1 for c in json.load(open(sys.argv[1]))["citizens"] if c["account"]))' "$DEMO")"
CODES="$(wc -l <"$WORK/codes.txt")"
# The Argon2id cost as written in the one place it is set.
ARGON="$(grep -oE 'ARGON2_PARAMS: \(u32, u32\) = \([0-9_]+, [0-9]+\)' "$ROOT/crates/cancuoc-service/src/accounts.rs" \
    | sed -E 's/.*\(([0-9_]+), ([0-9]+)\)$/m=\1 KiB, t=\2, p=1/; s/_//g')"

cat >"$WORK/lookup.lua" <<EOF
local reqs = {}
local i = 0
init = function(args)
  for line in io.lines("$WORK/codes.txt") do
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
lookups() {
    wrk -t2 -c64 -d"$DURATION" --latency -s "$WORK/lookup.lua" "$URL" >"$1"
}

# Warm the answer cache (and the CPU) before the first figure.
wrk -t2 -c64 -d2s -s "$WORK/lookup.lua" "$URL" >/dev/null

# The machine's other work shows in every figure: say how busy it was.
LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"

# -------------------------------------------------------- logins alone ---
echo "login load alone: $CLIENTS clients over $ACCOUNTS accounts, $DURATION…" >&2
"$LOAD" "$URL" "$DEMO" "$CLIENTS" "$SECS" >"$WORK/logins-alone.json"
read -r LOGIN_RATE LOGIN_P50 LOGIN_P99 LOGIN_N CAPTCHA_MS LOGIN_ANSWERS < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["per_second"], s["login_p50_ms"], s["login_p99_ms"], s["password_checks"],
      s["captcha_mean_ms"], json.dumps(s["answers"], ensure_ascii=False, separators=(",", ":")))
' "$WORK/logins-alone.json")

# ------------------------------------- lookups alone and with the logins ---
# Alternated, ROUNDS times, ending alone (A L A L … A), so that a change
# of the machine's load over the run weighs on both sides alike.
ALONE_RUNS=()
LOADED_RUNS=()
LOADED_LOGINS=()
lookups_alone() {
    local i="$1" rps p99 err
    echo "wrk: status lookups alone ($i)…" >&2
    lookups "$WORK/wrk-alone-$i.txt"
    read -r rps p99 err < <(wrk_figures "$WORK/wrk-alone-$i.txt")
    ALONE_RUNS+=("$rps $p99 $err")
}
for r in $(seq 1 "$ROUNDS"); do
    lookups_alone "$r"
    echo "wrk: status lookups while the login load runs ($r)…" >&2
    "$LOAD" "$URL" "$DEMO" "$CLIENTS" "$((SECS + 2))" >"$WORK/logins-loaded-$r.json" &
    LOAD_PID=$!
    sleep 1
    lookups "$WORK/wrk-loaded-$r.txt"
    wait "$LOAD_PID"
    read -r rps p99 err < <(wrk_figures "$WORK/wrk-loaded-$r.txt")
    LOADED_RUNS+=("$rps $p99 $err")
    LOADED_LOGINS+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["per_second"])' "$WORK/logins-loaded-$r.json")")
done
lookups_alone "$((ROUNDS + 1))"
LOAD_AFTER="$(cut -d' ' -f1 /proc/loadavg)"

read -r ALONE LOADED RATIO VERDICT KC KC_PCT PER_THREAD LOADED_LOGIN_RATE < <(python3 -c '
import sys, statistics as st
alone = [float(x.split()[0]) for x in sys.argv[1].split(",")]
loaded = [float(x.split()[0]) for x in sys.argv[2].split(",")]
logins_loaded = [float(x) for x in sys.argv[3].split(",")]
logins, cores, threads = float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
a, l = st.mean(alone), st.mean(loaded)
ratio = 100 * l / a if a else 0
kc = 15 * cores
print(round(a), round(l), round(ratio, 1), "PASS" if ratio >= 80 else "FAIL", round(kc),
      round(100 * logins / kc), round(logins / threads, 1), round(st.mean(logins_loaded), 1))
' "$(IFS=,; echo "${ALONE_RUNS[*]}")" "$(IFS=,; echo "${LOADED_RUNS[*]}")" \
  "$(IFS=,; echo "${LOADED_LOGINS[*]}")" "$LOGIN_RATE" "$(nproc)" "$HASHERS")

# "RPS P99 ERR" runs → "RPS (p99 P99, non-2xx ERR); …"
runs() {
    local x
    for x in "$@"; do
        set -- $x
        printf '%s (p99 %s, non-2xx %s); ' "$1" "$2" "$3"
    done
}

cat <<EOF

== cancuoc identity-account benchmarks ($(date -u +%Y-%m-%d), $(nproc) cores, wrk and the load beside the server; load average $LOAD_BEFORE → $LOAD_AFTER) ==
command:              DURATION=$DURATION CLIENTS=$CLIENTS ROUNDS=$ROUNDS bench/accounts.sh
Argon2id:             $ARGON, hashing on $HASHERS thread(s) at lowered priority
logins alone:         $LOGIN_RATE password checks/s ($LOGIN_N in $DURATION, $CLIENTS clients over $ACCOUNTS accounts; login p50 $LOGIN_P50 ms, p99 $LOGIN_P99 ms; captcha and its answer $CAPTCHA_MS ms)
                      = $PER_THREAD/s per hashing thread; Keycloak's sizing, 15/s per vCPU: $KC/s for $(nproc) vCPUs → $KC_PCT % of it
                      answers: $LOGIN_ANSWERS
lookups alone:        mean $ALONE req/s: $(runs "${ALONE_RUNS[@]}")
lookups with logins:  mean $LOADED req/s: $(runs "${LOADED_RUNS[@]}")while $LOADED_LOGIN_RATE password checks/s ran ($CODES demo codes, wrk -t2 -c64 -d$DURATION)
ratio:                $RATIO % of the lookups alone   (bar: ≥ 80 %) $VERDICT
whole script:         $(( SECONDS - STARTED_AT )) s
EOF
