//! The embedded code tables (bảng mã): provinces (mã tỉnh) and countries
//! (mã quốc gia) of birth registration for personal ID numbers, and the
//! issuing-province prefixes of old 9-digit CMND numbers.
//!
//! The TSV files in `data/` are embedded with `include_str!` and parsed once,
//! on first use, into fixed arrays indexed by the numeric code, so a lookup is
//! one bounds-checked index and never allocates. The files keep their
//! `source` column; it is not loaded. A malformed row is skipped at run time
//! (no panic on embedded data) and caught by the unit tests, which assert that
//! every row parses.
//!
//! Hand-rolled because a TSV of four columns needs no CSV crate in the pure
//! core.

use std::sync::LazyLock;

pub(crate) const PROVINCE_TSV: &str = include_str!("../../data/id-province-codes.tsv");
pub(crate) const COUNTRY_TSV: &str = include_str!("../../data/id-country-codes.tsv");
pub(crate) const CMND_TSV: &str = include_str!("../../data/cmnd-prefixes.tsv");

/// What a 3-digit region code stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RegionEntry {
    /// Not in either table.
    None,
    /// A province (tỉnh, thành phố trực thuộc trung ương), Vietnamese name.
    Province(&'static str),
    /// A country (quốc gia), Vietnamese name as transcribed.
    Country(&'static str),
}

/// One row of a code table, borrowed from the embedded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Row {
    /// The code as written, e.g. `001`, `09`, `090`.
    pub code: &'static str,
    /// The second column: a name, or a comma-separated list of names.
    pub name: &'static str,
    /// 1-based line number in the file, for error reports.
    pub line: usize,
}

/// A row that could not be read: its line and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RowError {
    pub line: usize,
    pub reason: &'static str,
}

/// Rows of a TSV with a header line: code must be `digits` ASCII digits
/// (either length in `digits`), the name non-empty, and a source column
/// present (at least 3 columns).
pub(crate) fn rows(
    text: &'static str,
    digits: &'static [usize],
) -> impl Iterator<Item = Result<Row, RowError>> {
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(move |(i, l)| {
            let line = i + 1;
            let mut cols = l.split('\t');
            let code = cols.next().unwrap_or("");
            let name = cols.next().unwrap_or("");
            if cols.next().is_none() {
                return Err(RowError {
                    line,
                    reason: "fewer than 3 columns (code, name, …, source)",
                });
            }
            if !digits.contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(RowError {
                    line,
                    reason: "code is not of the expected number of ASCII digits",
                });
            }
            if name.trim().is_empty() {
                return Err(RowError {
                    line,
                    reason: "empty name",
                });
            }
            Ok(Row {
                code,
                name: name.trim(),
                line,
            })
        })
}

/// The numeric value of an all-ASCII-digit code.
pub(crate) fn code_value(code: &str) -> u16 {
    code.bytes()
        .fold(0u16, |acc, b| acc * 10 + u16::from(b.wrapping_sub(b'0')))
}

/// Region codes 0–999 → entry. Countries are only taken from 101–295 and
/// provinces from 001–099, so a stray row cannot shadow the other table.
pub(crate) static REGIONS: LazyLock<[RegionEntry; 1000]> = LazyLock::new(|| {
    let mut t = [RegionEntry::None; 1000];
    for row in rows(PROVINCE_TSV, &[3]).flatten() {
        let c = usize::from(code_value(row.code));
        if (1..=99).contains(&c) && t[c] == RegionEntry::None {
            t[c] = RegionEntry::Province(row.name);
        }
    }
    for row in rows(COUNTRY_TSV, &[3]).flatten() {
        let c = usize::from(code_value(row.code));
        if (101..=295).contains(&c) && t[c] == RegionEntry::None {
            t[c] = RegionEntry::Country(row.name);
        }
    }
    t
});

/// The entry for a region code (anything ≥ 1000 is [`RegionEntry::None`]).
#[inline]
pub(crate) fn region(code: u16) -> RegionEntry {
    REGIONS
        .get(usize::from(code))
        .copied()
        .unwrap_or(RegionEntry::None)
}

/// One CMND prefix row: the prefix as written and the provinces it names.
#[derive(Debug)]
pub(crate) struct CmndRow {
    pub prefix: &'static str,
    pub provinces: Vec<&'static str>,
}

/// CMND prefixes: the rows, plus lookup arrays from a 3-digit and a 2-digit
/// prefix value to the row index (`u8::MAX` = none).
pub(crate) struct CmndTable {
    pub rows: Vec<CmndRow>,
    pub by3: [u8; 1000],
    pub by2: [u8; 100],
}

pub(crate) static CMND: LazyLock<CmndTable> = LazyLock::new(|| {
    let mut t = CmndTable {
        rows: Vec::new(),
        by3: [u8::MAX; 1000],
        by2: [u8::MAX; 100],
    };
    for row in rows(CMND_TSV, &[2, 3]).flatten() {
        let Ok(idx) = u8::try_from(t.rows.len()) else {
            break;
        };
        if idx == u8::MAX {
            break;
        }
        let slot = match row.code.len() {
            3 => &mut t.by3[usize::from(code_value(row.code))],
            _ => &mut t.by2[usize::from(code_value(row.code))],
        };
        if *slot != u8::MAX {
            continue;
        }
        *slot = idx;
        t.rows.push(CmndRow {
            prefix: row.code,
            provinces: row
                .name
                .split(", ")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect(),
        });
    }
    t
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_every_table_parses() {
        for (name, text, digits) in [
            ("province", PROVINCE_TSV, &[3usize][..]),
            ("country", COUNTRY_TSV, &[3][..]),
            ("cmnd", CMND_TSV, &[2, 3][..]),
        ] {
            let bad: Vec<RowError> = rows(text, digits).filter_map(Result::err).collect();
            assert!(bad.is_empty(), "{name} table: {bad:?}");
            assert!(rows(text, digits).count() > 10, "{name} table nearly empty");
        }
    }

    #[test]
    fn province_table_has_63_distinct_codes_in_001_096() {
        let codes: Vec<u16> = rows(PROVINCE_TSV, &[3])
            .flatten()
            .map(|r| code_value(r.code))
            .collect();
        assert_eq!(codes.len(), 63);
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 63, "duplicate province codes");
        assert_eq!(sorted.first(), Some(&1));
        assert_eq!(sorted.last(), Some(&96));
        let loaded = REGIONS
            .iter()
            .filter(|e| matches!(e, RegionEntry::Province(_)))
            .count();
        assert_eq!(loaded, 63);
    }

    #[test]
    fn country_table_spans_101_295_without_duplicate_codes() {
        let rows: Vec<Row> = rows(COUNTRY_TSV, &[3]).flatten().collect();
        let mut codes: Vec<u16> = rows.iter().map(|r| code_value(r.code)).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), n, "a country code appears on two rows");
        assert_eq!(codes.first(), Some(&101));
        assert_eq!(codes.last(), Some(&295));
        let loaded = REGIONS
            .iter()
            .filter(|e| matches!(e, RegionEntry::Country(_)))
            .count();
        assert_eq!(loaded, n);
    }

    #[test]
    fn cmnd_table_loads_every_prefix_once() {
        let n = rows(CMND_TSV, &[2, 3]).count();
        assert_eq!(CMND.rows.len(), n);
        assert!(CMND.rows.iter().all(|r| !r.provinces.is_empty()));
    }
}
