//! The zone parser: shape, then fields, then check digits, without allocating.
//!
//! Layouts (0-based byte ranges; ICAO Doc 9303 Parts 4–7):
//! - TD1 line 1: code 0..2, state 2..5, number 5..14, check 14, optional 15..30;
//!   line 2: birth 0..6, check 6, sex 7, expiry 8..14, check 14, nationality
//!   15..18, optional 18..29, composite 29; line 3: name 0..30.
//!   Composite over line 1 5..30, line 2 0..7, 8..15, 18..29.
//! - TD2, TD3, MRV-A, MRV-B line 1: code 0..2, state 2..5, name 5..end;
//!   line 2: number 0..9, check 9, nationality 10..13, birth 13..19, check 19,
//!   sex 20, expiry 21..27, check 27, then TD2 optional 28..35 + composite 35;
//!   TD3 personal number 28..42 + check 42 + composite 43 (over 0..10, 13..20,
//!   21..43); MRV-A optional 28..44, MRV-B optional 28..36 (no composite).
//! - Long document numbers (TD1, TD2; Parts 5 and 6 note j): check position
//!   holds `<`, the number continues at the start of the optional data,
//!   followed by its check digit and a `<`.

use super::check::{all_alpha_or_filler, all_mrz_chars};
use super::date::{DateFault, check_date};
use super::{
    CheckResult, DocumentNumber, Field, FieldError, FieldErrorKind, Format, MAX_CHECKS, MAX_ERRORS,
    Mrz, MrzDate, MrzError, check_digit_parts, is_mrz_char,
};

/// Parses a machine-readable zone: 2 or 3 lines separated by `\n` (a trailing
/// `\r` and surrounding spaces on each line are ignored, as are blank lines).
///
/// Shape errors (line count, line length, non-ASCII) are an [`MrzError`];
/// everything else is a verdict on the returned [`Mrz`] ([`Mrz::is_valid`]).
///
/// ```
/// use cancuoc_core::mrz::{parse, Format};
/// let mrz = parse(
///     "I<UTOD231458907<<<<<<<<<<<<<<<\n\
///      7408122F1204159UTO<<<<<<<<<<<6\n\
///      ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
/// )
/// .unwrap();
/// assert_eq!(mrz.format(), Format::Td1);
/// assert_eq!(mrz.document_number().to_string(), "D23145890");
/// assert_eq!(mrz.given_names_string(), "ANNA MARIA");
/// assert!(mrz.is_valid());
/// ```
pub fn parse(input: &str) -> Result<Mrz<'_>, MrzError> {
    let mut lines = [""; 3];
    let mut n = 0usize;
    // Split on `\n` and trim ASCII whitespace, a CR included.
    let mut rest = input;
    while !rest.is_empty() {
        let (line, tail) = match find_newline(rest.as_bytes()) {
            // Splitting at an ASCII byte keeps both halves valid UTF-8.
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        rest = tail;
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        if n < 3 {
            lines[n] = line;
        }
        n += 1;
    }
    match n {
        0 => return Err(MrzError::Empty),
        2 | 3 => {}
        found => return Err(MrzError::LineCount { found }),
    }
    for (i, line) in lines[..n].iter().enumerate() {
        if !line.is_ascii() {
            let (column, found) = line
                .chars()
                .enumerate()
                .find(|(_, c)| !c.is_ascii())
                .map_or((0, '\u{FFFD}'), |(i, c)| (i + 1, c));
            return Err(MrzError::NotAscii {
                line: i + 1,
                column,
                found,
            });
        }
    }
    if n == 3 {
        for (i, line) in lines.iter().enumerate() {
            if line.len() != 30 {
                return Err(MrzError::LineLength {
                    line: i + 1,
                    found: line.len(),
                    expected: "30",
                });
            }
        }
        return Ok(parse_td1(lines));
    }
    let (l1, l2) = (lines[0], lines[1]);
    let expected = match l1.len() {
        36 => "36",
        44 => "44",
        found => {
            return Err(MrzError::LineLength {
                line: 1,
                found,
                expected: "36 or 44",
            });
        }
    };
    if l2.len() != l1.len() {
        return Err(MrzError::LineLength {
            line: 2,
            found: l2.len(),
            expected,
        });
    }
    let visa = l1.as_bytes()[0] == b'V';
    let format = match (l1.len(), visa) {
        (36, false) => Format::Td2,
        (36, true) => Format::MrvB,
        (_, false) => Format::Td3,
        (_, true) => Format::MrvA,
    };
    if format == Format::Td2
        && l1.starts_with("IDFRA")
        && !l2.as_bytes()[10..13]
            .iter()
            .all(|&b| b.is_ascii_uppercase() || b == b'<')
    {
        return Err(MrzError::FrenchNationalId);
    }
    Ok(parse_two_line(format, l1, l2))
}

/// Index of the first `\n`, eight bytes at a time (SWAR). Hand-rolled: the
/// `memchr` behind `str::find` spends more on set-up than on the ~90 bytes of
/// a zone (measured: a tenth of the parse), and the `memchr` crate is a
/// dependency core does not need for this.
#[inline]
pub(super) fn find_newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder();
    for (i, chunk) in chunks.enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ (ONES * u64::from(b'\n'));
        // A zero byte in `x` (a newline) sets its high bit here; bytes before
        // the first zero byte never do, so the lowest set bit is exact.
        let found = x.wrapping_sub(ONES) & !x & HIGH;
        if found != 0 {
            return Some(i * 8 + (found.trailing_zeros() / 8) as usize);
        }
    }
    let base = bytes.len() - tail.len();
    tail.iter().position(|&b| b == b'\n').map(|p| base + p)
}

/// Accumulates check results and field errors in fixed arrays.
struct Verdict {
    checks: [CheckResult; MAX_CHECKS],
    n_checks: u8,
    errors: [FieldError; MAX_ERRORS],
    n_errors: u8,
}

const NO_CHECK: CheckResult = CheckResult {
    field: Field::Composite,
    ok: false,
    found: b'<',
    computed: None,
    line: 0,
    column: 0,
};

impl Verdict {
    fn new() -> Self {
        Self {
            checks: [NO_CHECK; MAX_CHECKS],
            n_checks: 0,
            errors: [FieldError::PLACEHOLDER; MAX_ERRORS],
            n_errors: 0,
        }
    }

    fn error(&mut self, field: Field, kind: FieldErrorKind, line: u8, column: usize) {
        if let Some(slot) = self.errors.get_mut(usize::from(self.n_errors)) {
            *slot = FieldError {
                field,
                kind,
                line,
                column: u8::try_from(column).unwrap_or(u8::MAX),
            };
            self.n_errors += 1;
        }
    }

    /// Records the check of `parts` against the digit at (`line`, `column`,
    /// 1-based). `filler_ok`: a `<` digit is accepted when every part is `<`.
    fn check(
        &mut self,
        field: Field,
        parts: &[&[u8]],
        found: u8,
        line: u8,
        column: usize,
        filler_ok: bool,
    ) {
        let computed = check_digit_parts(parts);
        let ok = match (found, computed) {
            (b'<', Some(0)) if filler_ok => parts.iter().all(|p| p.iter().all(|&b| b == b'<')),
            (d @ b'0'..=b'9', Some(c)) => d - b'0' == c,
            _ => false,
        };
        if let Some(slot) = self.checks.get_mut(usize::from(self.n_checks)) {
            *slot = CheckResult {
                field,
                ok,
                found,
                computed,
                line,
                column: u8::try_from(column).unwrap_or(u8::MAX),
            };
            self.n_checks += 1;
        }
    }

    /// Letters and `<` only (names, states, nationality). `col0` is the
    /// 0-based column of `bytes[0]`.
    fn alphabetic(&mut self, field: Field, bytes: &[u8], line: u8, col0: usize) {
        if all_alpha_or_filler(bytes) {
            return;
        }
        if let Some(i) = bytes
            .iter()
            .position(|&b| !(b.is_ascii_uppercase() || b == b'<'))
        {
            let found = bytes[i];
            let kind = if is_mrz_char(found) {
                FieldErrorKind::NotAlphabetic { found }
            } else {
                FieldErrorKind::InvalidCharacter { found }
            };
            self.error(field, kind, line, col0 + i + 1);
        }
    }

    /// Any MRZ character (`A-Z`, `0-9`, `<`).
    fn charset(&mut self, field: Field, bytes: &[u8], line: u8, col0: usize) {
        if all_mrz_chars(bytes) {
            return;
        }
        if let Some(i) = bytes.iter().position(|&b| !is_mrz_char(b)) {
            let kind = FieldErrorKind::InvalidCharacter { found: bytes[i] };
            self.error(field, kind, line, col0 + i + 1);
        }
    }

    fn date(&mut self, field: Field, bytes: &[u8], line: u8, col0: usize, partial: bool) {
        match check_date(bytes, partial) {
            Ok(()) => {}
            Err(DateFault::NotNumeric(i)) => {
                let found = bytes[i];
                let kind = if is_mrz_char(found) {
                    FieldErrorKind::NotNumeric { found }
                } else {
                    FieldErrorKind::InvalidCharacter { found }
                };
                self.error(field, kind, line, col0 + i + 1);
            }
            Err(DateFault::NotCalendar) => {
                self.error(field, FieldErrorKind::NotCalendarDate, line, col0 + 1);
            }
        }
    }

    fn sex(&mut self, found: u8, line: u8, col0: usize) {
        if !matches!(found, b'M' | b'F' | b'<') {
            self.error(Field::Sex, FieldErrorKind::BadSex { found }, line, col0 + 1);
        }
    }

    fn document_code(&mut self, format: Format, code: &[u8]) {
        let (c0, c1) = (code[0], code[1]);
        let first_ok = match format {
            Format::Td1 | Format::Td2 => matches!(c0, b'A' | b'C' | b'I'),
            Format::Td3 => c0 == b'P',
            Format::MrvA | Format::MrvB => c0 == b'V',
        };
        let second_ok = (c1.is_ascii_uppercase() || c1 == b'<')
            && !(matches!(format, Format::Td1 | Format::Td2) && c1 == b'V');
        if !(first_ok && second_ok) {
            let column = if first_ok { 2 } else { 1 };
            self.error(
                Field::DocumentCode,
                FieldErrorKind::BadDocumentCode,
                1,
                column,
            );
        }
    }

    /// The document number and its check digit, following a long number into
    /// `optional` when the check position holds `<` and `overflow` is allowed.
    /// Returns the number and the rest of the optional data.
    #[allow(clippy::too_many_arguments)]
    fn document_number<'a>(
        &mut self,
        number: &'a str,
        check: u8,
        optional: &'a str,
        line: u8,
        col0_number: usize,
        col0_optional: usize,
        overflow: bool,
    ) -> (DocumentNumber<'a>, &'a str) {
        self.charset(Field::DocumentNumber, number.as_bytes(), line, col0_number);
        if check == b'<' && overflow {
            // Long number: the extension runs to the first `<`, its last
            // character is the check digit.
            let end = optional.find('<').unwrap_or(optional.len());
            if end >= 2 {
                let extension = &optional[..end - 1];
                self.charset(
                    Field::DocumentNumber,
                    extension.as_bytes(),
                    line,
                    col0_optional,
                );
                self.check(
                    Field::DocumentNumber,
                    &[number.as_bytes(), extension.as_bytes()],
                    optional.as_bytes()[end - 1],
                    line,
                    col0_optional + end,
                    false,
                );
                return (
                    DocumentNumber {
                        principal: number,
                        extension,
                    },
                    &optional[end..],
                );
            }
            self.error(
                Field::DocumentNumber,
                FieldErrorKind::BadOverflow,
                line,
                col0_number + number.len() + 1,
            );
        }
        self.check(
            Field::DocumentNumber,
            &[number.as_bytes()],
            check,
            line,
            col0_number + number.len() + 1,
            false,
        );
        (
            DocumentNumber {
                principal: number.trim_end_matches('<'),
                extension: "",
            },
            optional,
        )
    }
}

fn parse_td1(lines: [&str; 3]) -> Mrz<'_> {
    let [l1, l2, l3] = lines;
    let (b1, b2) = (l1.as_bytes(), l2.as_bytes());
    let mut v = Verdict::new();
    v.document_code(Format::Td1, &b1[0..2]);
    v.alphabetic(Field::IssuingState, &b1[2..5], 1, 2);
    let (document_number, optional) =
        v.document_number(&l1[5..14], b1[14], &l1[15..30], 1, 5, 15, true);
    v.charset(
        Field::OptionalData,
        optional.as_bytes(),
        1,
        30 - optional.len(),
    );
    v.date(Field::BirthDate, &b2[0..6], 2, 0, true);
    v.check(Field::BirthDate, &[&b2[0..6]], b2[6], 2, 7, false);
    v.sex(b2[7], 2, 7);
    v.date(Field::ExpiryDate, &b2[8..14], 2, 8, false);
    v.check(Field::ExpiryDate, &[&b2[8..14]], b2[14], 2, 15, false);
    v.alphabetic(Field::Nationality, &b2[15..18], 2, 15);
    v.charset(Field::OptionalData2, &b2[18..29], 2, 18);

    // Vietnamese profile (DESIGN.md §2.2): optional data = 12-digit ID, `<<`,
    // check digit of the 12 digits at column 30.
    let vietnamese = &l1[2..5] == "VNM" && b1[0] == b'I';
    let mut personal_id = None;
    if vietnamese {
        let id = &b1[15..27];
        match id.iter().position(|b| !b.is_ascii_digit()) {
            Some(i) => v.error(
                Field::PersonalId,
                FieldErrorKind::NotNumeric { found: id[i] },
                1,
                16 + i,
            ),
            None => {
                personal_id = Some(&l1[15..27]);
                if b1[5..14] != id[3..] {
                    v.error(Field::PersonalId, FieldErrorKind::PersonalIdMismatch, 1, 19);
                }
            }
        }
        for col0 in [27, 28] {
            if b1[col0] != b'<' {
                let found = b1[col0];
                v.error(
                    Field::PersonalId,
                    FieldErrorKind::FillerExpected { found },
                    1,
                    col0 + 1,
                );
                break;
            }
        }
        v.check(Field::PersonalId, &[id], b1[29], 1, 30, false);
    }

    v.check(
        Field::Composite,
        &[&b1[5..30], &b2[0..7], &b2[8..15], &b2[18..29]],
        b2[29],
        2,
        30,
        false,
    );
    v.alphabetic(Field::Names, l3.as_bytes(), 3, 0);
    Mrz {
        format: Format::Td1,
        lines,
        document_code: &l1[0..2],
        issuing_state: &l1[2..5],
        document_number,
        birth_date: MrzDate::new(&l2[0..6]),
        sex: b2[7],
        expiry_date: MrzDate::new(&l2[8..14]),
        nationality: &l2[15..18],
        optional_data: optional,
        optional_data_2: Some(&l2[18..29]),
        names: l3,
        personal_id,
        checks: v.checks,
        n_checks: v.n_checks,
        errors: v.errors,
        n_errors: v.n_errors,
    }
}

fn parse_two_line<'a>(format: Format, l1: &'a str, l2: &'a str) -> Mrz<'a> {
    let (b1, b2) = (l1.as_bytes(), l2.as_bytes());
    let width = l1.len();
    let mut v = Verdict::new();
    v.document_code(format, &b1[0..2]);
    v.alphabetic(Field::IssuingState, &b1[2..5], 1, 2);
    // Optional data: TD2 28..35, TD3 (personal number) 28..42, MRV 28..end.
    let opt_end = match format {
        Format::Td2 => 35,
        Format::Td3 => 42,
        _ => width,
    };
    let (document_number, optional) = v.document_number(
        &l2[0..9],
        b2[9],
        &l2[28..opt_end],
        2,
        0,
        28,
        format == Format::Td2,
    );
    v.alphabetic(Field::Nationality, &b2[10..13], 2, 10);
    v.date(Field::BirthDate, &b2[13..19], 2, 13, true);
    v.check(Field::BirthDate, &[&b2[13..19]], b2[19], 2, 20, false);
    v.sex(b2[20], 2, 20);
    v.date(Field::ExpiryDate, &b2[21..27], 2, 21, false);
    v.check(Field::ExpiryDate, &[&b2[21..27]], b2[27], 2, 28, false);
    let optional_field = if format == Format::Td3 {
        Field::PersonalNumber
    } else {
        Field::OptionalData
    };
    v.charset(
        optional_field,
        optional.as_bytes(),
        2,
        opt_end - optional.len(),
    );
    match format {
        Format::Td3 => {
            v.check(Field::PersonalNumber, &[&b2[28..42]], b2[42], 2, 43, true);
            v.check(
                Field::Composite,
                &[&b2[0..10], &b2[13..20], &b2[21..43]],
                b2[43],
                2,
                44,
                false,
            );
        }
        Format::Td2 => v.check(
            Field::Composite,
            &[&b2[0..10], &b2[13..20], &b2[21..35]],
            b2[35],
            2,
            36,
            false,
        ),
        _ => {}
    }
    v.alphabetic(Field::Names, &b1[5..], 1, 5);
    Mrz {
        format,
        lines: [l1, l2, ""],
        document_code: &l1[0..2],
        issuing_state: &l1[2..5],
        document_number,
        birth_date: MrzDate::new(&l2[13..19]),
        sex: b2[20],
        expiry_date: MrzDate::new(&l2[21..27]),
        nationality: &l2[10..13],
        optional_data: optional,
        optional_data_2: None,
        names: &l1[5..],
        personal_id: None,
        checks: v.checks,
        n_checks: v.n_checks,
        errors: v.errors,
        n_errors: v.n_errors,
    }
}
