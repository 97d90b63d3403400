#!/usr/bin/env python3
"""Times vn-ident's `parse_cccd` over every line of a file, in one process.

Reads the whole file first (not timed), strips each line's newline (not timed:
`parse_cccd` does no stripping and would reject every line), then times only
the loop of `parse_cccd` calls with `time.perf_counter`, best of REPEAT runs.
Prints one line: `lines=<n> parsed=<n ok> best_s=<seconds> ids_per_s=<rate>`.

Usage: vn_ident_bench.py FILE [REPEAT]   (vn_ident must be importable:
bench/peers.sh puts it on PYTHONPATH)
"""

from __future__ import annotations

import sys
import time

from vn_ident import parse_cccd


def main() -> None:
    path = sys.argv[1]
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    best = float("inf")
    ok = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        ok = 0
        for line in lines:
            if parse_cccd(line) is not None:
                ok += 1
        best = min(best, time.perf_counter() - t0)
    print(f"lines={len(lines)} parsed={ok} best_s={best:.4f} ids_per_s={len(lines) / best:.0f}")


if __name__ == "__main__":
    main()
