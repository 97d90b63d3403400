//! Masking of ID numbers for logs and screens (che số): the one rule used
//! everywhere — keep the first 3 and the last 2 characters of a 12-digit
//! number, `079*******34`, which shows the region code and nothing that
//! identifies a person within it.
//!
//! [`mask`] masks a parsed number, [`mask_any`] a field that may hold one,
//! and [`mask_numbers`] / [`mask_uri`] every number inside free text (a
//! request path and query for a log line), wherever it stands: the rule of
//! what counts as one number is on [`mask_numbers`].

use std::borrow::Cow;

use super::number::{ID_DIGITS, PersonalId};

/// Characters shown at the start of a masked number (the region code).
pub const MASK_KEEP_START: usize = 3;
/// Characters shown at the end of a masked number.
pub const MASK_KEEP_END: usize = 2;
/// The masking character.
pub const MASK_CHAR: char = '*';

/// A masked personal ID (`079*******34`): formatting it never allocates.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Masked([u8; ID_DIGITS]);

impl Masked {
    /// The masked text, e.g. `079*******34`.
    pub fn as_str(&self) -> &str {
        // Always ASCII digits and `*`; the fallback is unreachable.
        std::str::from_utf8(&self.0).unwrap_or("************")
    }
}

impl std::fmt::Display for Masked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Masked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Masked {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Masks a personal ID for logs and screens (che số định danh):
/// `079099012334` → `079*******34`. This is the function every front end uses;
/// `Debug` of [`PersonalId`] prints it too.
pub fn mask(id: &PersonalId) -> Masked {
    let mut out = [MASK_CHAR as u8; ID_DIGITS];
    let src = id.as_bytes();
    out[..MASK_KEEP_START].copy_from_slice(&src[..MASK_KEEP_START]);
    out[ID_DIGITS - MASK_KEEP_END..].copy_from_slice(&src[ID_DIGITS - MASK_KEEP_END..]);
    Masked(out)
}

/// Masks any text that may hold an ID number, valid or not, for logs: the
/// text is trimmed; with at least 12 characters the first 3 and last 2 are
/// kept and every other character becomes `*` (so a valid ID gives the same
/// result as [`mask`]); shorter text is masked entirely (a 9-digit CMND
/// number shows nothing). Never more than 5 input characters are revealed,
/// and the length in characters is kept.
pub fn mask_any(s: &str) -> String {
    let t = s.trim();
    let n = t.chars().count();
    let mut out = String::with_capacity(n);
    for (i, c) in t.chars().enumerate() {
        let keep = n >= ID_DIGITS && (i < MASK_KEEP_START || i >= n - MASK_KEEP_END);
        out.push(if keep { c } else { MASK_CHAR });
    }
    out
}

/// The fewest digits of a number that [`mask_numbers`] masks: 9, an old
/// CMND number (a phone number has 10, a booking code 11, a personal ID
/// 12, a dossier code 16).
pub const MASK_MIN_DIGITS: usize = 9;

/// Whether `c` counts as a digit of a number: an ASCII digit or any other
/// Unicode numeral (fullwidth `０`–`９` …), so a number typed on another
/// keyboard is masked too.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// Whether `c` may stand, repeated, in the gap between two digits of one
/// number: white space, control characters and `+` (a space in a query).
fn is_blank(c: char) -> bool {
    c.is_whitespace() || c.is_control() || c == '+'
}

/// Whether `c` may stand once in the gap between two digits of one number.
fn is_mark(c: char) -> bool {
    c == '-' || c == '.'
}

/// Masks every number in `text` that could be a personal ID, an old CMND
/// number or another personal number (che số trong văn bản), for logs.
///
/// A number is a run of digits (`is_digit`: ASCII or any Unicode
/// numeral) in which consecutive digits may be separated by a gap of
/// white space, control characters and `+`, holding at most one `-` or
/// `.` — the way [`PersonalId::parse_lenient_input`] reads what people
/// type (`001 099 012345`, `001-099-012345`), and a little wider. A number
/// of [`MASK_MIN_DIGITS`] (9) digits or more is masked, whatever surrounds
/// it (letters, `/`, `%`, other characters that are not a gap): with 12
/// digits or more its first 3 and last 2 digits are kept, as [`mask`] does
/// for an ID, shorter ones entirely; a number inside a longer one (an ID
/// with digits on either side, a 16-digit dossier code) is masked with the
/// whole. Never more than 5 digits of a number are shown, so no 12 digits
/// in a row — nor any 9 — of the input survive. Gap characters are kept
/// and each masked digit becomes one `*`, so the text keeps its length in
/// characters. Text without such a number is returned as is, without
/// allocating.
pub fn mask_numbers(text: &str) -> Cow<'_, str> {
    // Pass 1: find the numbers to mask, as (start, end) byte ranges over
    // the first and last digit, and their digit counts.
    let mut spans: Vec<(usize, usize, usize)> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_digit(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut digits = 1;
        // Extend over digits and gaps that lead to another digit.
        let mut probe = chars.clone();
        let mut marks = 0;
        while let Some(&(i, d)) = probe.peek() {
            if is_digit(d) {
                probe.next();
                digits += 1;
                end = i + d.len_utf8();
                marks = 0;
                chars = probe.clone();
            } else if is_blank(d) || (is_mark(d) && marks == 0) {
                if is_mark(d) {
                    marks += 1;
                }
                probe.next();
            } else {
                break;
            }
        }
        if digits >= MASK_MIN_DIGITS {
            spans.push((start, end, digits));
        }
    }
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    // Pass 2: copy, masking the digits of each span.
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, digits) in spans {
        out.push_str(&text[at..start]);
        let mut seen = 0;
        for c in text[start..end].chars() {
            if is_digit(c) {
                let keep = digits >= ID_DIGITS
                    && (seen < MASK_KEEP_START || seen >= digits - MASK_KEEP_END);
                out.push(if keep { c } else { MASK_CHAR });
                seen += 1;
            } else {
                out.push(c);
            }
        }
        at = end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// Most rounds of percent-decoding [`mask_uri`] applies (`%2530` → `%30` →
/// `0`): a request encoded more times than this is logged as the rounds
/// left it, its numbers masked as they then stand.
const MAX_DECODE_ROUNDS: usize = 4;

/// A request path and query as a log line may show it (che số trong địa
/// chỉ yêu cầu): percent-decoded (repeatedly, up to 4 rounds, so `%2530`
/// is a digit too; invalid UTF-8 becomes `�`), every number masked by
/// [`mask_numbers`] — `/api/v1/citizens/%20062067042420` becomes
/// `/api/v1/citizens/ 20*********20` — and control characters then
/// written as escapes (`\t`, `\n`, `\u{1b}`), so a decoded newline cannot
/// forge a log line.
pub fn mask_uri(path_and_query: &str) -> String {
    let mut text = Cow::Borrowed(path_and_query);
    for _ in 0..MAX_DECODE_ROUNDS {
        match percent_decode(&text) {
            Some(decoded) => text = Cow::Owned(decoded),
            None => break,
        }
    }
    let masked = mask_numbers(&text);
    let mut out = String::with_capacity(masked.len());
    for c in masked.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` with every `%XX` escape decoded, or `None` when it has none.
fn percent_decode(s: &str) -> Option<String> {
    fn hex(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut changed = false;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h << 4) | l);
            changed = true;
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    changed.then(|| String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mask_numbers_table() {
        let stars = |n: usize| "*".repeat(n);
        let cases = [
            ("", String::new()),
            (
                "/api/v1/offices/790/overdue",
                "/api/v1/offices/790/overdue".into(),
            ),
            ("date=2026-11-21", "date=2026-11-21".into()),
            ("079099012334", "079*******34".into()),
            ("/citizens/079099012334", "/citizens/079*******34".into()),
            // Whatever surrounds it: letters, a raw escape's digits, more digits.
            ("x079099012334y", "x079*******34y".into()),
            ("%20062067042420", format!("%200{}20", stars(9))),
            ("1079099012334", format!("107{}34", stars(8))),
            ("0790261121482137", format!("079{}37", stars(11))),
            ("id=079099012334&x=1", "id=079*******34&x=1".into()),
            // Grouped as people type it.
            ("001 099 012345", "001 *** ****45".into()),
            ("001-099-012345", "001-***-****45".into()),
            ("001 - 099 - 012345", "001 - *** - ****45".into()),
            ("001+099+012345", "001+***+****45".into()),
            ("001\t099\n012345", "001\t***\n****45".into()),
            // Two marks in one gap end the number: two numbers.
            ("001--099012345", format!("001--{}", stars(9))),
            // 9 to 11 digits: all masked; 8 are not a personal number.
            ("123456789", stars(9)),
            ("0912345678", stars(10)),
            ("12345678", "12345678".into()),
            // Other numerals.
            ("０７９０９９０１２３３４", "０７９*******３４".into()),
        ];
        for (input, want) in cases {
            assert_eq!(mask_numbers(input), want, "{input:?}");
        }
        assert!(matches!(mask_numbers("/api/v1/offices"), Cow::Borrowed(_)));
    }

    #[test]
    fn mask_uri_decodes_before_masking_and_escapes_controls() {
        let cases = [
            (
                "/api/v1/citizens/%20062067042420",
                "/api/v1/citizens/ 062*******20".to_owned(),
            ),
            (
                "/api/v1/citizens/0%37%39099012334",
                "/api/v1/citizens/079*******34".to_owned(),
            ),
            // Encoded twice.
            ("/c/%2530%2537%2539099012334", "/c/079*******34".to_owned()),
            ("/c/001%20099%20012345", "/c/001 *** ****45".to_owned()),
            ("/c/001%09099%0A012345", "/c/001\\t***\\n****45".to_owned()),
            ("/x%0Afake%20line", "/x\\nfake line".to_owned()),
            (
                "/api/v1/status/0790261121482137",
                format!("/api/v1/status/079{}37", "*".repeat(11)),
            ),
            (
                "/tra-cuu?lang=en&x=%zz",
                "/tra-cuu?lang=en&x=%zz".to_owned(),
            ),
            ("/%FF079099012334", "/\u{fffd}079*******34".to_owned()),
        ];
        for (input, want) in cases {
            assert_eq!(mask_uri(input), want, "{input:?}");
        }
    }

    #[test]
    fn masks_a_valid_number_and_its_debug() {
        let id = PersonalId::parse("079099012334").unwrap();
        assert_eq!(mask(&id).as_str(), "079*******34");
        assert_eq!(mask(&id).to_string(), "079*******34");
        assert_eq!(format!("{id:?}"), "PersonalId(079*******34)");
        assert!(!format!("{id:?}").contains("0120"));
        assert_eq!(mask_any(" 079099012334 "), "079*******34");
    }

    #[test]
    fn mask_any_table() {
        let cases = [
            ("", ""),
            ("1", "*"),
            ("123456789", "*********"),
            ("12345678901", "***********"),
            ("001 099 012345", "001*********45"),
            ("abcdefghijklmnop", "abc***********op"),
            ("０７９０９９０１２３３４", "０７９*******３４"),
        ];
        for (input, want) in cases {
            assert_eq!(mask_any(input), want, "{input:?}");
        }
    }

    proptest! {
        #[test]
        fn mask_any_reveals_at_most_five_characters(s in ".{0,40}") {
            let out = mask_any(&s);
            let shown = out.chars().filter(|&c| c != MASK_CHAR).count();
            prop_assert!(shown <= MASK_KEEP_START + MASK_KEEP_END);
            prop_assert!(out.chars().count() == s.trim().chars().count());
        }

        #[test]
        fn mask_numbers_leaves_no_number_to_mask(s in "[0-9０-９ .+%a-z\t-]{0,48}") {
            let out = mask_numbers(&s);
            prop_assert_eq!(out.chars().count(), s.chars().count());
            // Masking again changes nothing: no 9 digits of one number are left.
            prop_assert_eq!(mask_numbers(&out), out.clone());
        }

        #[test]
        fn mask_any_agrees_with_mask_on_valid_ids(d in proptest::array::uniform12(0u8..10)) {
            let id = PersonalId::from_digits(d).unwrap();
            let masked = mask(&id);
            prop_assert_eq!(mask_any(id.as_str()), masked.as_str());
            let digits_shown = mask(&id).as_str().bytes().filter(u8::is_ascii_digit).count();
            prop_assert_eq!(digits_shown, 5);
        }
    }
}
