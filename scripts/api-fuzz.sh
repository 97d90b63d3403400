#!/usr/bin/env bash
# Schema-driven fuzz run of the REST API: schemathesis generates requests
# from the served OpenAPI spec (/api/openapi.json) and checks every answer
# against it.
#
#   scripts/api-fuzz.sh                          # what scripts/test runs
#   API_FUZZ_SEED=1234 scripts/api-fuzz.sh       # replay a run's seed
#   API_FUZZ_EXAMPLES=1000 scripts/api-fuzz.sh   # a longer run
#   CANCUOC_BIN=target/release/cancuoc scripts/api-fuzz.sh
#
# Starts `cancuoc serve --demo` on a free port with a throwaway data
# directory, reads a receptionist's bearer token from its banner (so the
# officer routes are exercised, writes included: registering, opening,
# capturing, stepping; the spec's links chain them), and runs schemathesis
# with a bounded number of examples per operation. It fails on any 5xx
# (not_a_server_error), any status the spec does not list for the
# operation, any body that breaks its schema or content type, a missing
# declared header, an officer route that answers without a token, a
# method that is not refused with 405, and a request the spec admits
# answered 400 (positive_data_acceptance; scripts/api-fuzz.toml says which
# refusals of valid input are allowed, and why). Every failure is printed
# with a curl line reproducing it; the seed is printed too, to replay the
# run. The server runs with 127.0.0.1 exempt from the per-client limits of
# the public lookups, so that the fuzzer explores those routes instead of
# their 429 (which the spec lists, and tests/api holds to it).
#
# schemathesis (pinned below) is installed with pip into a virtualenv in
# target/api-fuzz/ (of CARGO_TARGET_DIR when set), kept between runs; it
# needs Python 3.11 or newer with its venv module (installed from Debian's
# packages when missing and we are root). Its settings are in
# scripts/api-fuzz.toml. The binary is the debug build (`cargo build -p
# cancuoc-cli`) unless CANCUOC_BIN names another. About a minute and a
# half on two cores once the virtualenv and the binary exist.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

SCHEMATHESIS_VERSION="4.32.5"
examples="${API_FUZZ_EXAMPLES:-150}"
seed="${API_FUZZ_SEED:-$((RANDOM * 32768 + RANDOM))}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
scratch="$target_dir/api-fuzz"
venv="$scratch/venv"
stamp="$venv/.schemathesis-$SCHEMATHESIS_VERSION"

say() { echo "api-fuzz: $*" >&2; }
die() {
    say "$*"
    exit 1
}

# --- Python 3.11+ with venv ----------------------------------------------
find_python() {
    local p
    for p in python3.13 python3.12 python3.11 python3; do
        if command -v "$p" >/dev/null 2>&1 &&
            "$p" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$p"
            return 0
        fi
    done
    return 1
}

mkdir -p "$scratch"
if [[ ! -f "$stamp" ]]; then
    if ! python="$(find_python)"; then
        if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
            say "installing Python with venv (Debian packages python3, python3-venv)"
            apt-get update -qq >/dev/null
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
        fi
        python="$(find_python)" ||
            die "needs Python 3.11+ with its venv module (set CANCUOC_SKIP_API_FUZZ=1 to skip it in scripts/test)"
    fi
    say "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "schemathesis==$SCHEMATHESIS_VERSION" ||
        die "pip could not install schemathesis $SCHEMATHESIS_VERSION"
    touch "$stamp"
fi

# --- the server -----------------------------------------------------------
if [[ -n "${CANCUOC_BIN:-}" ]]; then
    bin="$CANCUOC_BIN"
else
    cargo build --quiet -p cancuoc-cli --bin cancuoc
    bin="$target_dir/debug/cancuoc"
fi
[[ -x "$bin" ]] || die "no cancuoc binary at $bin"

run="$(mktemp -d "$scratch/run.XXXXXX")"
# The server runs from a copy: a cargo build elsewhere in the same target
# directory cannot swap the binary under the run.
cp "$bin" "$run/cancuoc"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$run"
}
trap cleanup EXIT

# A clean environment for the server: no CANCUOC_* of the caller (a
# database URL, a test server's) reaches it; English banner.
clean_env=()
while IFS= read -r name; do
    clean_env+=(-u "$name")
done < <(compgen -e | grep '^CANCUOC_' || true)
env "${clean_env[@]}" CANCUOC_LANG=en CANCUOC_LOG=warn CANCUOC_RATE_LIMIT_EXEMPT=127.0.0.1 \
    "$run/cancuoc" serve --demo --bind 127.0.0.1:0 --data-dir "$run/data" \
    >"$run/banner.txt" 2>"$run/server.log" </dev/null &
server_pid=$!

base=""
for _ in $(seq 1 600); do
    base="$(grep -o 'listening on http://[0-9.:]*' "$run/banner.txt" 2>/dev/null | head -n 1 | cut -d' ' -f3 || true)"
    [[ -n "$base" ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [[ -z "$base" ]]; then
    cat "$run/banner.txt" "$run/server.log" >&2
    die "the server did not start"
fi
token="$(awk '$1 == "receptionist" && length($NF) == 64 && $NF ~ /^[0-9a-f]+$/ { print $NF; exit }' "$run/banner.txt")"
[[ -n "$token" ]] || die "no receptionist token in the demo banner"
say "server at $base (pid $server_pid), $examples examples per operation, seed $seed"

# --- the fuzz run -----------------------------------------------------------
checks="not_a_server_error,status_code_conformance,content_type_conformance"
checks+=",response_schema_conformance,response_headers_conformance"
checks+=",ignored_auth,unsupported_method,missing_required_header"
checks+=",positive_data_acceptance"
started=$SECONDS
status=0
# From the scratch folder: schemathesis keeps its example database
# (.hypothesis) and state (.schemathesis) in the working directory.
# One worker: the server has the other core, and CPython 3.11's parser is
# not thread-safe under hypothesis (SystemError "AST constructor recursion
# depth mismatch" with several workers).
(
    cd "$scratch"
    # A hang (a server that stops answering) fails the run rather than CI.
    timeout 900 "$venv/bin/schemathesis" --config-file "$root/scripts/api-fuzz.toml" \
        run "$base/api/openapi.json" \
        --header "Authorization: Bearer $token" \
        --checks "$checks" \
        --max-examples "$examples" \
        --seed "$seed" \
        --workers 1 \
        --request-timeout 30 \
        --warnings off \
        --no-color \
        --output-truncate false
) || status=$?
say "schemathesis finished in $((SECONDS - started)) s with status $status"

if [[ $status -ne 0 ]]; then
    if kill -0 "$server_pid" 2>/dev/null; then
        say "the server is still up"
    else
        say "the server died during the run"
    fi
    if [[ -s "$run/server.log" ]]; then
        say "server log (warnings and errors, last 60 lines):"
        tail -n 60 "$run/server.log" >&2
    fi
    say "FAILED: replay with API_FUZZ_SEED=$seed API_FUZZ_EXAMPLES=$examples scripts/api-fuzz.sh"
    exit 1
fi
say "passed"
