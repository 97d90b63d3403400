#!/usr/bin/env python3
"""Writes a deterministic file of synthetic personal ID numbers, one per line.

Used by bench/peers.sh so that `vn-ident` and `cancuoc id check` read the very
same input. Standard library only; the seed is fixed, so the same arguments give
the same file byte for byte on every machine (Python's `random.Random` with an
integer seed is stable across versions).

Mix (approximate shares of the lines):
  94.5 %  valid, province code (the 63 codes of data/id-province-codes.tsv),
          century/sex digit 0-3 with birth years 1930-2025 (4-9 not yet used)
   2.0 %  valid shape, country code 101-295 (births registered abroad)
   3.5 %  invalid: 11 or 13 digits, a letter, an inner space, a full-width
          digit, an unknown region code (000, 097-100, 296-999), empty line

The numbers are random, not real people's: the 6-digit serial is uniform.

Usage: gen_ids.py OUT_FILE [COUNT] [SEED]
"""

from __future__ import annotations

import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "crates", "cancuoc-core", "data")


def codes(tsv: str) -> list[str]:
    with open(os.path.join(DATA, tsv), encoding="utf-8") as f:
        next(f)  # header
        return sorted({line.split("\t", 1)[0] for line in f if line.strip()})


def valid_body(rng: random.Random, region: str) -> str:
    year = rng.randint(1930, 2025)
    female = rng.random() < 0.5
    g = (0 if year < 2000 else 2) + (1 if female else 0)
    return f"{region}{g}{year % 100:02d}{rng.randrange(1_000_000):06d}"


def invalid(rng: random.Random, provinces: list[str]) -> str:
    good = valid_body(rng, rng.choice(provinces))
    kind = rng.randrange(7)
    if kind == 0:
        return good[:11]
    if kind == 1:
        return good + str(rng.randrange(10))
    if kind == 2:
        i = rng.randrange(12)
        return good[:i] + rng.choice("AOlIx") + good[i + 1 :]
    if kind == 3:
        return good[:3] + " " + good[3:]
    if kind == 4:
        i = rng.randrange(12)
        return good[:i] + chr(0xFF10 + int(good[i])) + good[i + 1 :]
    if kind == 5:
        region = rng.choice(["000", "097", "098", "099", "100"] + [str(rng.randint(296, 999))])
        return region + good[3:]
    return ""


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: gen_ids.py OUT_FILE [COUNT] [SEED]")
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261121
    rng = random.Random(seed)
    provinces = codes("id-province-codes.tsv")
    countries = codes("id-country-codes.tsv")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for _ in range(count):
            r = rng.random()
            if r < 0.945:
                line = valid_body(rng, rng.choice(provinces))
            elif r < 0.965:
                line = valid_body(rng, rng.choice(countries))
            else:
                line = invalid(rng, provinces)
            f.write(line)
            f.write("\n")


if __name__ == "__main__":
    main()
