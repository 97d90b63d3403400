//! Check digits (chữ số kiểm tra) of ICAO Doc 9303 Part 3 §4.9.
//!
//! Each character has a value — `0`–`9` are 0–9, `A`–`Z` are 10–35, the
//! filler `<` is 0 — multiplied by the repeating weights 7, 3, 1; the check
//! digit is the sum modulo 10. The values come from a 256-entry table so the
//! hot path is one load per byte, no branching on character classes.
//!
//! Hand-rolled rather than taken from the `mrz` crate: that crate is a
//! dev-dependency only (a benchmark peer), and the arithmetic is a dozen lines.

/// Marks a byte that is not in the MRZ character set (`0-9`, `A-Z`, `<`).
const INVALID: u8 = 0xFF;

/// Value of every byte for check-digit arithmetic; [`INVALID`] outside the
/// MRZ character set.
static VALUES: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut j = 0;
    while j < 26 {
        t[b'A' as usize + j] = 10 + j as u8;
        j += 1;
    }
    t[b'<' as usize] = 0;
    t
};

/// The weights 7-3-1, repeated.
const WEIGHTS: [u32; 3] = [7, 3, 1];

/// The check-digit value of one MRZ character, or `None` outside the MRZ
/// character set (`0-9`, `A-Z`, `<`).
#[inline]
pub fn char_value(b: u8) -> Option<u8> {
    match VALUES[b as usize] {
        INVALID => None,
        v => Some(v),
    }
}

/// Whether `b` is in the MRZ character set (`0-9`, `A-Z`, `<`).
#[inline]
pub fn is_mrz_char(b: u8) -> bool {
    VALUES[b as usize] != INVALID
}

/// The check digit (0–9) of `data`, or `None` when `data` holds a byte outside
/// the MRZ character set.
///
/// ```
/// use cancuoc_core::mrz::check_digit;
/// // ICAO Doc 9303 Part 3 example: document number L898902C3 → 6.
/// assert_eq!(check_digit(b"L898902C3"), Some(6));
/// assert_eq!(check_digit(b"740812"), Some(2));
/// assert_eq!(check_digit(b"74o812"), None);
/// ```
#[inline]
pub fn check_digit(data: &[u8]) -> Option<u8> {
    check_digit_parts(&[data])
}

/// The check digit of several slices read as one string (the composite check
/// digit covers non-contiguous parts of the zone); the 7-3-1 weights run on
/// across the parts.
#[inline]
pub fn check_digit_parts(parts: &[&[u8]]) -> Option<u8> {
    // One load per byte from the premultiplied tables; a bad byte is flagged
    // by the BAD bit, collected in `seen` (valid entries are at most 245).
    let mut sum: u32 = 0;
    let mut seen: u16 = 0;
    let mut phase = 0usize;
    for part in parts {
        let mut rest: &[u8] = part;
        // Finish the 7-3-1 triple the previous part started.
        while phase != 0 {
            let Some((&b, r)) = rest.split_first() else {
                break;
            };
            let v = WEIGHTED[phase][b as usize];
            seen |= v;
            sum += u32::from(v);
            phase = if phase == 2 { 0 } else { phase + 1 };
            rest = r;
        }
        let chunks = rest.chunks_exact(3);
        let tail = chunks.remainder();
        for c in chunks {
            let (a, b, d) = (
                WEIGHTED[0][c[0] as usize],
                WEIGHTED[1][c[1] as usize],
                WEIGHTED[2][c[2] as usize],
            );
            seen |= a | b | d;
            sum += u32::from(a) + u32::from(b) + u32::from(d);
        }
        for &b in tail {
            let v = WEIGHTED[phase][b as usize];
            seen |= v;
            sum += u32::from(v);
            phase += 1;
        }
    }
    if seen & BAD != 0 {
        None
    } else {
        Some((sum % 10) as u8)
    }
}

/// The table entry of a byte outside the MRZ set (valid entries are at most
/// 35 × 7 = 245, so this bit is never set by them).
const BAD: u16 = 1 << 15;

/// `WEIGHTED[k][b]` = value of `b` × the k-th weight (7, 3, 1), or [`BAD`].
static WEIGHTED: [[u16; 256]; 3] = {
    let mut t = [[BAD; 256]; 3];
    let mut k = 0;
    while k < 3 {
        let mut b = 0;
        while b < 256 {
            if VALUES[b] != INVALID {
                t[k][b] = VALUES[b] as u16 * WEIGHTS[k] as u16;
            }
            b += 1;
        }
        k += 1;
    }
    t
};

/// Whether every byte is in the MRZ character set, branch-free.
#[inline]
pub(super) fn all_mrz_chars(bytes: &[u8]) -> bool {
    bytes.iter().fold(0u8, |acc, &b| acc | VALUES[b as usize]) & 0xC0 == 0
}

/// Whether every byte is `A`–`Z` or `<`, branch-free: letters have values
/// 10–35 and `<` is 0, so digits (values 1–9, and `0` shares 0 with `<`) are
/// told apart by a second table.
#[inline]
pub(super) fn all_alpha_or_filler(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(0u8, |acc, &b| acc | NOT_ALPHA[b as usize])
        == 0
}

/// 1 for every byte that is not `A`–`Z` or `<`.
static NOT_ALPHA: [u8; 256] = {
    let mut t = [1u8; 256];
    let mut j = 0;
    while j < 26 {
        t[b'A' as usize + j] = 0;
        j += 1;
    }
    t[b'<' as usize] = 0;
    t
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn icao_examples() {
        // (data, check digit) from ICAO Doc 9303 Parts 3–7 specimens.
        let table: &[(&[u8], u8)] = &[
            (b"L898902C3", 6),      // Part 4 TD3 document number
            (b"740812", 2),         // birth date
            (b"120415", 9),         // expiry
            (b"ZE184226B<<<<<", 1), // personal number
            (b"D23145890", 7),      // Part 5 TD1 document number
            (b"D23145890734", 9),   // Part 11 long document number
            (b"L898902C<", 3),      // Part 11 BAC example
            (b"690806", 1),
            (b"940623", 6),
            (b"<<<<<<", 0),
            (b"", 0),
        ];
        for &(data, want) in table {
            assert_eq!(
                check_digit(data),
                Some(want),
                "{}",
                String::from_utf8_lossy(data)
            );
        }
    }

    #[test]
    fn composite_runs_weights_across_parts() {
        // TD3 specimen composite: doc+cd, dob+cd, exp+cd+personal+cd → 0.
        let parts: [&[u8]; 3] = [b"L898902C36", b"7408122", b"1204159ZE184226B<<<<<1"];
        assert_eq!(check_digit_parts(&parts), Some(0));
        let joined = parts.concat();
        assert_eq!(check_digit(&joined), Some(0));
    }

    #[test]
    fn rejects_bytes_outside_the_charset() {
        for bad in [b'a', b' ', b'-', 0, 0xC3, b'z', b'[', b'@'] {
            assert_eq!(char_value(bad), None, "{bad}");
            assert_eq!(check_digit(&[b'1', bad]), None);
        }
        assert_eq!(char_value(b'<'), Some(0));
        assert_eq!(char_value(b'Z'), Some(35));
    }

    proptest! {
        #[test]
        fn table_matches_the_definition(data in "[0-9A-Z<]{0,40}") {
            let slow: u32 = data
                .bytes()
                .enumerate()
                .map(|(i, b)| {
                    let v = match b {
                        b'0'..=b'9' => u32::from(b - b'0'),
                        b'A'..=b'Z' => u32::from(b - b'A') + 10,
                        _ => 0,
                    };
                    v * [7, 3, 1][i % 3]
                })
                .sum();
            prop_assert_eq!(check_digit(data.as_bytes()), Some((slow % 10) as u8));
        }

        #[test]
        fn parts_weigh_like_the_joined_string(
            data in "[0-9A-Z<a ]{0,50}", cuts in prop::collection::vec(0usize..50, 0..5)
        ) {
            let bytes = data.as_bytes();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort_unstable();
            let mut parts: Vec<&[u8]> = Vec::new();
            let mut start = 0;
            for c in cuts.into_iter().chain([bytes.len()]) {
                parts.push(&bytes[start..c]);
                start = c;
            }
            prop_assert_eq!(check_digit_parts(&parts), check_digit(bytes));
            prop_assert_eq!(all_mrz_chars(bytes), bytes.iter().all(|&b| is_mrz_char(b)));
            prop_assert_eq!(
                all_alpha_or_filler(bytes),
                bytes.iter().all(|&b| b.is_ascii_uppercase() || b == b'<')
            );
        }

        #[test]
        fn single_substitution_of_a_digit_is_caught(
            data in "[0-9]{1,20}", pos in 0usize..20, d in 0u8..10
        ) {
            let mut bytes = data.into_bytes();
            let pos = pos % bytes.len();
            let before = check_digit(&bytes);
            let old = bytes[pos];
            bytes[pos] = b'0' + d;
            // Weights 7, 3, 1 are coprime to 10: any changed digit changes the sum.
            prop_assert_eq!(check_digit(&bytes) == before, old == bytes[pos]);
        }
    }
}
