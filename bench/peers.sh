#!/usr/bin/env bash
# Compares the ID-decoding throughput of `cancuoc id check` with the Python
# package vn-ident (`parse_cccd`) on the same generated file of synthetic IDs.
#
#   bench/peers.sh            # 1,000,000 IDs
#   N=200000 bench/peers.sh   # a smaller file
#
# Needs: python3 with pip, cargo; network access to PyPI only (vn-ident is
# installed into a temporary folder, removed on exit). hyperfine is used when
# installed, else a timing loop. cancuoc is timed as shipped (two threads on a
# machine with two cores or more) and with CANCUOC_CHECK_THREADS=1. Bar
# (DESIGN.md §5): cancuoc >= 100x vn-ident, taken against vn-ident's parse
# loop alone (the conservative ratio) and reported against its whole process.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-1000000}
RUNS=${RUNS:-5}        # cancuoc runs, best kept
PY_RUNS=${PY_RUNS:-3}  # vn-ident runs, best kept
VN_IDENT_SPEC=${VN_IDENT_SPEC:-"vn-ident>=0.1,<0.2"}

die() { echo "peers.sh: $*" >&2; exit 1; }

command -v python3 >/dev/null || die "python3 is missing (install Python 3.9+)"
python3 -m pip --version >/dev/null 2>&1 ||
    die "pip is missing for python3 (e.g. 'apt-get install python3-pip' or 'python3 -m ensurepip')"
command -v cargo >/dev/null || die "cargo is missing (install Rust: https://rustup.rs)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cancuoc-peers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
# best_of RUNS CMD...: runs CMD RUNS times (stdin/stdout as redirected by the
# caller inside CMD), prints the shortest wall time in seconds.
best_of() {
    local runs=$1 best="" t0 t1 dt
    shift
    for _ in $(seq "$runs"); do
        t0=$(now)
        "$@"
        t1=$(now)
        dt=$(python3 -c "print($t1 - $t0)")
        if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $dt < $best else 1)"; then
            best=$dt
        fi
    done
    echo "$best"
}

echo "== machine: $(uname -srm), $(nproc) cores, $(python3 --version 2>&1)"

echo "== installing $VN_IDENT_SPEC into $tmp/site (PyPI)"
PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check --no-input \
    --target "$tmp/site" "$VN_IDENT_SPEC" || die "pip could not install $VN_IDENT_SPEC"
vn_version=$(PYTHONPATH="$tmp/site" python3 -c "import vn_ident; print(vn_ident.__version__)")
echo "   vn-ident $vn_version"

echo "== generating $N synthetic IDs (deterministic seed)"
python3 bench/gen_ids.py "$tmp/ids.txt" "$N"
echo "   $(wc -l <"$tmp/ids.txt") lines, sha256 $(sha256sum "$tmp/ids.txt" | cut -c1-16)…"

echo "== building cancuoc (release)"
cargo build --quiet --release -p cancuoc-cli
bin="${CARGO_TARGET_DIR:-$ROOT/target}/release/cancuoc"
[ -x "$bin" ] || die "no binary at $bin"
set +e
echo 001099012345 | "$bin" id check >/dev/null 2>&1
status=$?
set -e
[ "$status" -le 1 ] || die "'cancuoc id check' is not available (exit $status)"

echo "== vn-ident: parse_cccd over every line, in one process (best of $PY_RUNS)"
loop=$(PYTHONPATH="$tmp/site" python3 bench/vn_ident_bench.py "$tmp/ids.txt" "$PY_RUNS")
echo "   parse loop only: $loop"
py_loop_s=$(sed -E 's/.*best_s=([0-9.]+).*/\1/' <<<"$loop")

run_python() { PYTHONPATH="$tmp/site" python3 bench/vn_ident_bench.py "$tmp/ids.txt" 1 >/dev/null; }
py_proc_s=$(best_of "$PY_RUNS" run_python)
echo "   whole process (start, read, parse): ${py_proc_s}s"

# time_cancuoc THREADS: best wall time (s) of `cancuoc id check < file >
# /dev/null` with CANCUOC_CHECK_THREADS=THREADS ("" = the default: two threads
# on a machine with two cores or more and an input of 1 MiB or more).
time_cancuoc() {
    local threads=$1 s
    run_cancuoc() {
        set +e
        CANCUOC_CHECK_THREADS=$threads "$bin" id check <"$tmp/ids.txt" >/dev/null 2>"$tmp/summary.txt"
        s=$?
        set -e
        [ "$s" -le 1 ] || die "cancuoc id check failed (exit $s): $(cat "$tmp/summary.txt")"
    }
    run_cancuoc # warm-up (page cache) and the summary
    if command -v hyperfine >/dev/null; then
        # hyperfine >= 1.16 feeds stdin itself (--input, no shell: -N);
        # older ones run the redirection in a shell and subtract its start-up.
        # (-i: exit status 1 means "some lines invalid"; its warnings, and the
        # shell-calibration notice of small N, go to hf.err.)
        if hyperfine --help 2>/dev/null | grep -q -- '--input'; then
            CANCUOC_CHECK_THREADS=$threads hyperfine --runs "$RUNS" --warmup 1 -i -N \
                --input "$tmp/ids.txt" --output null --export-json "$tmp/hf.json" \
                "$bin id check" >/dev/null 2>"$tmp/hf.err" ||
                die "hyperfine failed: $(cat "$tmp/hf.err")"
        else
            CANCUOC_CHECK_THREADS=$threads hyperfine --runs "$RUNS" --warmup 1 -i \
                --export-json "$tmp/hf.json" \
                "'$bin' id check < '$tmp/ids.txt' > /dev/null" >/dev/null 2>"$tmp/hf.err" ||
                die "hyperfine failed: $(cat "$tmp/hf.err")"
        fi
        python3 -c "import json; print(min(json.load(open('$tmp/hf.json'))['results'][0]['times']))"
    else
        best_of "$RUNS" run_cancuoc
    fi
}

echo "== cancuoc id check < file > /dev/null, whole process (best of $RUNS)"
rs1_s=$(time_cancuoc 1)
echo "   one thread (CANCUOC_CHECK_THREADS=1): ${rs1_s}s"
rs_s=$(time_cancuoc "")
echo "   default ($(nproc) cores here): ${rs_s}s; its summary: $(tr '\n' ' ' <"$tmp/summary.txt")"

echo "== results ($N IDs)"
python3 - "$N" "$py_loop_s" "$py_proc_s" "$rs_s" "$rs1_s" <<'EOF'
import sys
n, py_loop, py_proc, rs, rs1 = int(sys.argv[1]), *map(float, sys.argv[2:])
rate = lambda s: n / s
print(f"   vn-ident parse_cccd, loop only           : {rate(py_loop):>14,.0f} IDs/s ({py_loop * 1e3:,.0f} ms)")
print(f"   vn-ident, whole process                  : {rate(py_proc):>14,.0f} IDs/s ({py_proc * 1e3:,.0f} ms)")
print(f"   cancuoc id check, whole process          : {rate(rs):>14,.0f} IDs/s ({rs * 1e3:,.1f} ms)")
print(f"   cancuoc id check, whole process, 1 thread: {rate(rs1):>14,.0f} IDs/s ({rs1 * 1e3:,.1f} ms)")
conservative = py_loop / rs
print(f"   ratio, cancuoc process vs vn-ident parse loop: {conservative:,.1f}x (1 thread: {py_loop / rs1:,.1f}x)")
print(f"   ratio, cancuoc process vs vn-ident process   : {py_proc / rs:,.1f}x (1 thread: {py_proc / rs1:,.1f}x)")
print(f"   bar >= 100x (conservative ratio, vs the parse loop): {'PASS' if conservative >= 100 else 'FAIL'}")
EOF
