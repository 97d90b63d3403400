#!/usr/bin/env bash
# Citizens' channel benchmarks (kênh hỏi đáp: Zalo OA, Messenger, the
# hotline on Twilio), measured side by side in one run on this machine,
# against `cancuoc serve --demo` (every channel on with the demo secrets,
# the providers' APIs faked in the same process) on fresh SQLite data
# directories:
#
#   1. webhooks per second per channel, each alone for DURATION from
#      CLIENTS concurrent senders (bench/chat-load): signed as the provider
#      signs, each a fresh message id from a fresh sender, texts a mix of
#      greetings and the demo's dossier codes; the figure is the
#      acknowledgements per second — verify the signature, keep the message
#      in the inbox, answer 200 — with their p50/p99. The replies leave
#      later through the queue (inbox worker, outbox, dispatcher to the
#      fake provider API), one a message: how many per second during the
#      load, and after it (the queue working alone) until none has come
#      for a second or DRAIN seconds passed. A Twilio request is one step
#      of a call walked like a phone (menu, 4, 1, a code and `#`),
#      answered inline with TwiML, the lookup included;
#   2. the end-to-end reply latency: COUNT Zalo messages (a demo dossier
#      code each), one at a time, webhook sent → the reply received by the
#      provider API (polled every 2 ms), p50/p95/max;
#   3. status lookups `GET /api/v1/status/{code}` over the demo's codes
#      (the answer cache warm), `wrk -t2 -c64`, alone and while a Zalo load
#      of CHAT_CLIENTS senders runs (as fast as acknowledged, or CHAT_RATE
#      messages per second in all), alternated ROUNDS times and ending
#      alone (A L A L A); bar: with the channels running, lookups keep
#      ≥ 80 % of their mean alone; the summary says how many webhooks were
#      acknowledged and how many replies left beside them.
#
# The chat webhooks are acknowledged far faster than the one inbox worker
# answers them, so a load leaves a queue behind that goes on using the
# machine for a while after it stops: every measurement (each channel of
# 1., the latency, each lookup round of 3.) runs on a server of its own,
# started anew on a fresh data directory, so none inherits another's
# queue. The demo seeds the same world each time (its codes re-read).
# The server exempts 127.0.0.0/8 from the per-client limits of the public
# doors (CANCUOC_RATE_LIMIT_EXEMPT, as lookup.sh; wrk and the load are one
# client each); the per-sender throttles of the channels see a fresh
# sender every message.
#
# Usage: bench/channels.sh
# Env:   DURATION (each measurement, default 10s), CLIENTS (webhook senders
#        of 1., default 8), CHAT_CLIENTS (the Zalo senders beside the
#        lookups, default 4), CHAT_RATE (their messages per second in all,
#        default 0: as fast as acknowledged), ROUNDS (alone/loaded pairs,
#        default 2), COUNT (messages of 2., default 200), DRAIN (seconds
#        the replies of 1. are counted after the load at most, default 3),
#        CARGO_TARGET_DIR as for cargo.
# Installs wrk (Debian package) when missing. Prints a summary at the end,
# with the rows of the README's table.
set -euo pipefail
STARTED_AT=$SECONDS

DURATION="${DURATION:-10s}"
CLIENTS="${CLIENTS:-8}"
CHAT_CLIENTS="${CHAT_CLIENTS:-4}"
CHAT_RATE="${CHAT_RATE:-0}"
ROUNDS="${ROUNDS:-2}"
COUNT="${COUNT:-200}"
DRAIN="${DRAIN:-3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
SECS="${DURATION%s}"
if ! [[ "$SECS" =~ ^[1-9][0-9]*$ ]]; then
    echo "DURATION must be whole seconds like 10s, not '$DURATION'" >&2
    exit 2
fi
for v in CLIENTS CHAT_CLIENTS ROUNDS COUNT DRAIN; do
    if ! [[ "${!v}" =~ ^[1-9][0-9]*$ ]]; then
        echo "$v must be a positive whole number, not '${!v}'" >&2
        exit 2
    fi
done
if ! [[ "$CHAT_RATE" =~ ^[0-9]+$ ]]; then
    echo "CHAT_RATE must be a whole number of messages per second (0: unpaced), not '$CHAT_RATE'" >&2
    exit 2
fi
CHAT_PACE="as fast as acknowledged"
if (( CHAT_RATE > 0 )); then CHAT_PACE="paced at $CHAT_RATE/s"; fi

if ! command -v wrk >/dev/null 2>&1; then
    echo "installing wrk…" >&2
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

echo "building release binaries…" >&2
(cd "$ROOT" && cargo build --release -q -p cancuoc-cli)
(cd "$ROOT/bench/chat-load" && CARGO_TARGET_DIR="$TARGET/bench-chat-load" cargo build --release -q)
BIN="$TARGET/release/cancuoc"
LOAD="$TARGET/bench-chat-load/release/cancuoc-bench-chat-load"
MEASURED_AT=$SECONDS

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cancuoc-bench-channels.XXXXXX")"
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
    SERVER_PID=$!
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

# ------------------------------------------------------------- servers ---
# A fresh `serve --demo` named $1: the one before it stopped and its data
# removed; sets URL, DEMO and the demo's codes in $WORK/codes.txt.
SERVER_PID=""
SERVER_DIR=""
fresh_server() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        rm -rf "$SERVER_DIR"
    fi
    SERVER_DIR="$WORK/$1"
    start_server "$WORK/serve-$1.out" "$BIN" serve --demo --bind 127.0.0.1:0 --data-dir "$SERVER_DIR"
    URL="$SERVER_URL"
    DEMO="$SERVER_DIR/demo.json"
    [[ -s "$DEMO" ]] || { echo "no $DEMO written by serve --demo" >&2; exit 1; }
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
if "channels" not in d:
    sys.exit(sys.argv[1] + ": no channels object (serve --demo without the channels?)")
for x in d["dossiers"]:
    print(x["code"])
' "$DEMO" >"$WORK/codes.txt"
}

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
# A fresh server for one lookup round, its answer cache (and the CPU) warm.
lookup_server() {
    fresh_server "$1"
    wrk -t2 -c64 -d2s -s "$WORK/lookup.lua" "$URL" >/dev/null
}

# JSON file, keys → their values on one line.
fields() {
    local file="$1"; shift
    python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(*[json.dumps(s[k], ensure_ascii=False, separators=(",", ":")) if isinstance(s[k], (dict, list)) else s[k] for k in sys.argv[2:]])
' "$file" "$@"
}

# The machine's other work shows in every figure: say how busy it was.
LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"

# -------------------------------------------------- webhooks, each alone ---
for mode in zalo messenger twilio; do
    fresh_server "$mode"
    echo "$mode webhooks alone: $CLIENTS clients, $DURATION…" >&2
    "$LOAD" --mode "$mode" --clients "$CLIENTS" --duration "$SECS" --drain "$DRAIN" \
        --demo "$DEMO" "$URL" >"$WORK/$mode.json"
done
read -r ZALO_RATE ZALO_P50 ZALO_P99 ZALO_ERR ZALO_DURING ZALO_AFTER ZALO_LEFT < <(fields "$WORK/zalo.json" \
    per_second ack_p50_ms ack_p99_ms non_2xx replies_during_per_second replies_after_per_second queue_left)
read -r FB_RATE FB_P50 FB_P99 FB_ERR FB_DURING FB_AFTER FB_LEFT < <(fields "$WORK/messenger.json" \
    per_second ack_p50_ms ack_p99_ms non_2xx replies_during_per_second replies_after_per_second queue_left)
read -r TW_RATE TW_P50 TW_P99 TW_ERR TW_CALLS TW_SECS < <(fields "$WORK/twilio.json" \
    per_second ack_p50_ms ack_p99_ms non_2xx calls seconds)
TW_CALL_RATE="$(python3 -c 'import sys; print(round(float(sys.argv[1]) / float(sys.argv[2]), 1))' "$TW_CALLS" "$TW_SECS")"

# ------------------------------------------------------ reply latency ---
fresh_server latency
echo "reply latency: $COUNT Zalo messages, one at a time…" >&2
"$LOAD" --mode latency --count "$COUNT" --demo "$DEMO" "$URL" >"$WORK/latency.json"
read -r LAT_P50 LAT_P95 LAT_MAX LAT_N LAT_LOST < <(fields "$WORK/latency.json" \
    reply_p50_ms reply_p95_ms reply_max_ms replies no_reply)

# ------------------------------ lookups alone and with the channels ---
# Alternated, ROUNDS times, ending alone (A L A L … A), so that a change
# of the machine's load over the run weighs on both sides alike.
ALONE_RUNS=()
LOADED_RUNS=()
LOADED_CHATS=()
lookups_alone() {
    local i="$1" rps p99 err
    lookup_server "alone-$i"
    echo "wrk: status lookups alone ($i)…" >&2
    lookups "$WORK/wrk-alone-$i.txt"
    read -r rps p99 err < <(wrk_figures "$WORK/wrk-alone-$i.txt")
    ALONE_RUNS+=("$rps $p99 $err")
}
for r in $(seq 1 "$ROUNDS"); do
    lookups_alone "$r"
    lookup_server "loaded-$r"
    echo "wrk: status lookups while $CHAT_CLIENTS Zalo senders write, $CHAT_PACE ($r)…" >&2
    "$LOAD" --mode zalo --clients "$CHAT_CLIENTS" --rate "$CHAT_RATE" --duration "$((SECS + 2))" --drain 0 \
        --demo "$DEMO" "$URL" >"$WORK/chat-loaded-$r.json" 2>"$WORK/chat-loaded-$r.err" &
    LOAD_PID=$!
    sleep 1
    lookups "$WORK/wrk-loaded-$r.txt"
    wait "$LOAD_PID"
    read -r rps p99 err < <(wrk_figures "$WORK/wrk-loaded-$r.txt")
    LOADED_RUNS+=("$rps $p99 $err")
    LOADED_CHATS+=("$(fields "$WORK/chat-loaded-$r.json" per_second replies_during_per_second)")
done
lookups_alone "$((ROUNDS + 1))"
LOAD_AFTER="$(cut -d' ' -f1 /proc/loadavg)"
CODES="$(wc -l <"$WORK/codes.txt")"

read -r ALONE LOADED RATIO VERDICT CHAT_ACKS CHAT_REPLIES < <(python3 -c '
import sys, statistics as st
alone = [float(x.split()[0]) for x in sys.argv[1].split(",")]
loaded = [float(x.split()[0]) for x in sys.argv[2].split(",")]
acks = [float(x.split()[0]) for x in sys.argv[3].split(",")]
replies = [float(x.split()[1]) for x in sys.argv[3].split(",")]
a, l = st.mean(alone), st.mean(loaded)
ratio = 100 * l / a if a else 0
print(round(a), round(l), round(ratio, 1), "PASS" if ratio >= 80 else "FAIL",
      round(st.mean(acks), 1), round(st.mean(replies), 1))
' "$(IFS=,; echo "${ALONE_RUNS[*]}")" "$(IFS=,; echo "${LOADED_RUNS[*]}")" \
  "$(IFS=,; echo "${LOADED_CHATS[*]}")")

# "RPS P99 ERR" runs → "RPS (p99 P99, non-2xx ERR); …"
runs() {
    local x
    for x in "$@"; do
        set -- $x
        printf '%s (p99 %s, non-2xx %s); ' "$1" "$2" "$3"
    done
}
# 12345.6 → 12,346
n() { python3 -c 'import sys; print(f"{round(float(sys.argv[1])):,}")' "$1"; }

cat <<EOF

== cancuoc channel benchmarks ($(date -u +%Y-%m-%d), $(nproc) cores, wrk and the load beside the server; load average $LOAD_BEFORE → $LOAD_AFTER) ==
command:              DURATION=$DURATION CLIENTS=$CLIENTS CHAT_CLIENTS=$CHAT_CLIENTS CHAT_RATE=$CHAT_RATE ROUNDS=$ROUNDS COUNT=$COUNT DRAIN=$DRAIN bench/channels.sh
Zalo webhooks:        $ZALO_RATE acks/s (p50 $ZALO_P50 ms, p99 $ZALO_P99 ms, non-2xx $ZALO_ERR; $CLIENTS clients, $DURATION)
                      replies through the queue: $ZALO_DURING/s during the load, $ZALO_AFTER/s after it (the queue alone, ≤ $DRAIN s); $ZALO_LEFT still queued then
Messenger webhooks:   $FB_RATE acks/s (p50 $FB_P50 ms, p99 $FB_P99 ms, non-2xx $FB_ERR)
                      replies through the queue: $FB_DURING/s during the load, $FB_AFTER/s after it; $FB_LEFT still queued then
Twilio IVR requests:  $TW_RATE req/s (p50 $TW_P50 ms, p99 $TW_P99 ms, non-2xx $TW_ERR) = $TW_CALL_RATE calls/s walked menu → 4 → 1 → code (lookup inline)
reply latency:        p50 $LAT_P50 ms, p95 $LAT_P95 ms, max $LAT_MAX ms ($LAT_N of $COUNT answered, $LAT_LOST not within 10 s; Zalo webhook sent → reply at the provider API)
lookups alone:        mean $ALONE req/s: $(runs "${ALONE_RUNS[@]}")
lookups with chats:   mean $LOADED req/s: $(runs "${LOADED_RUNS[@]}")while $CHAT_ACKS Zalo webhooks/s were acknowledged and $CHAT_REPLIES replies/s left through the queue ($CHAT_CLIENTS clients $CHAT_PACE; $CODES demo codes, wrk -t2 -c64 -d$DURATION)
ratio:                $RATIO % of the lookups alone   (bar: ≥ 80 %) $VERDICT
whole script:         $(( SECONDS - STARTED_AT )) s (measuring: $(( SECONDS - MEASURED_AT )) s)

README rows:
| Zalo OA webhooks (verify + store + ack), $CLIENTS clients, a fresh sender each | $(n "$ZALO_RATE") req/s (p50 $ZALO_P50 ms, p99 $ZALO_P99 ms); replies through the queue meanwhile $(n "$ZALO_DURING")/s ($(n "$ZALO_LEFT") still queued $DRAIN s after) |
| Messenger webhooks (verify + store + ack), $CLIENTS clients | $(n "$FB_RATE") req/s (p50 $FB_P50 ms, p99 $FB_P99 ms); replies through the queue meanwhile $(n "$FB_DURING")/s ($(n "$FB_LEFT") still queued $DRAIN s after) |
| hotline on Twilio (TwiML; each call menu → 4 → 1 → code, the lookup inline), $CLIENTS clients | $(n "$TW_RATE") req/s (p50 $TW_P50 ms, p99 $TW_P99 ms) = $(n "$TW_CALL_RATE") calls/s |
| reply latency, Zalo webhook → reply at the provider API ($COUNT codes, one at a time) | p50 $LAT_P50 ms, p95 $LAT_P95 ms, max $LAT_MAX ms |
| status lookups alone (\`wrk -t2 -c64\`, the demo's codes, mean of $((ROUNDS + 1)) runs) | $(n "$ALONE") req/s |
| status lookups while $CHAT_CLIENTS Zalo senders write, $CHAT_PACE (mean of $ROUNDS runs; $(n "$CHAT_ACKS") webhooks/s and $(n "$CHAT_REPLIES") replies/s beside them) | $(n "$LOADED") req/s: $(python3 -c 'import sys; print(round(float(sys.argv[1])))' "$RATIO") % (bar ≥ 80 %) |
EOF
