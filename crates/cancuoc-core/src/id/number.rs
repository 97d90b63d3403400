//! The personal identification number itself (số định danh cá nhân): the
//! [`PersonalId`] newtype and the strict and lenient text scanners it shares
//! with the 9-digit CMND number.

use super::error::IdError;
use super::masking;
use serde::Serialize;

/// Digits in a personal ID number.
pub const ID_DIGITS: usize = 12;

/// A personal identification number (số định danh cá nhân, also the number
/// of the citizen identity card, số thẻ Căn cước): exactly 12 ASCII digits
/// `PPP G YY RRRRRR` (Decree 137/2015/NĐ-CP Art. 13). There is no check digit,
/// so any 12 digits form a number; whether its region code is known is a
/// question for [`PersonalId::decode`].
///
/// `Debug` prints the masked form (`079*******34`) so that logging a value
/// never leaks the number; use [`PersonalId::as_str`] or `Display` on purpose.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonalId([u8; ID_DIGITS]);

impl PersonalId {
    /// Strict parse: exactly 12 ASCII digits once surrounding whitespace is
    /// trimmed. Full-width or other non-ASCII digits, whitespace between the
    /// digits, any other character, 11 or 13 digits are each their own
    /// [`IdError`], naming the position (1-based, in characters of `s` as
    /// given) or the digit count.
    ///
    /// ```
    /// use cancuoc_core::id::PersonalId;
    /// let id = PersonalId::parse(" 001099012345\n").unwrap();
    /// assert_eq!(id.as_str(), "001099012345");
    /// assert!(PersonalId::parse("001 099 012345").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Self, IdError> {
        scan_strict::<ID_DIGITS>(s).map(Self)
    }

    /// Strict parse of raw bytes, for bulk input read as bytes: exactly 12
    /// ASCII digits once surrounding ASCII whitespace (including a `\r\n`
    /// line end) is trimmed, with the same errors as [`PersonalId::parse`].
    /// The common case does no UTF-8 decoding and never allocates; bytes that
    /// are not UTF-8 are read as U+FFFD (reported as
    /// [`IdError::InvalidChar`]), which allocates on that error path only.
    #[inline]
    pub fn parse_bytes(b: &[u8]) -> Result<Self, IdError> {
        let t = b.trim_ascii();
        if let Ok(bytes) = <[u8; ID_DIGITS]>::try_from(t)
            && bytes.iter().all(u8::is_ascii_digit)
        {
            return Ok(Self(bytes));
        }
        match std::str::from_utf8(b) {
            Ok(s) => Self::parse(s),
            Err(_) => Self::parse(&String::from_utf8_lossy(b)),
        }
    }

    /// Lenient parse for what people type: like [`PersonalId::parse`], but a
    /// single separator — a run of spaces or tabs with at most one `-` or `.`
    /// in it — may stand between two digits: `001 099 012345`,
    /// `001-099-012345`, `001.099.012345`, `001 - 099 - 012345`. Grouping is
    /// free. Still exactly 12 ASCII digits; a leading or trailing separator or
    /// two punctuation marks in a row is [`IdError::MisplacedSeparator`].
    pub fn parse_lenient_input(s: &str) -> Result<Self, IdError> {
        scan_lenient::<ID_DIGITS>(s).map(Self)
    }

    /// Builds a number from 12 digit values 0–9; `None` if any is above 9.
    pub fn from_digits(digits: [u8; ID_DIGITS]) -> Option<Self> {
        if digits.iter().all(|&d| d <= 9) {
            Some(Self(digits.map(|d| d + b'0')))
        } else {
            None
        }
    }

    /// Wraps 12 bytes the caller built from ASCII digits.
    pub(crate) fn from_ascii_digits(bytes: [u8; ID_DIGITS]) -> Self {
        debug_assert!(bytes.iter().all(u8::is_ascii_digit));
        Self(bytes)
    }

    /// The 12 digits as text.
    pub fn as_str(&self) -> &str {
        // Always ASCII digits by construction; the fallback is unreachable.
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// The 12 digits as ASCII bytes.
    pub const fn as_bytes(&self) -> &[u8; ID_DIGITS] {
        &self.0
    }

    /// The digit value (0–9) at index `i` (0-based, `i < 12`).
    #[inline]
    pub(crate) fn digit(&self, i: usize) -> u8 {
        self.0[i] - b'0'
    }

    /// The region code `PPP` (mã nơi đăng ký khai sinh), 0–999.
    #[inline]
    pub fn region_code(&self) -> u16 {
        u16::from(self.digit(0)) * 100 + u16::from(self.digit(1)) * 10 + u16::from(self.digit(2))
    }

    /// The century-and-sex digit `G` (mã thế kỷ và giới tính), 0–9.
    #[inline]
    pub fn century_sex_digit(&self) -> u8 {
        self.digit(3)
    }

    /// The last two digits of the birth year `YY` (mã năm sinh), 0–99.
    #[inline]
    pub fn year_digits(&self) -> u8 {
        self.digit(4) * 10 + self.digit(5)
    }

    /// The 6-digit serial `RRRRRR` (khoảng số ngẫu nhiên), 0–999 999.
    #[inline]
    pub fn serial(&self) -> u32 {
        self.0[6..]
            .iter()
            .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0'))
    }

    /// The serial as its 6 digits, leading zeros kept (`012345`).
    pub fn serial_str(&self) -> &str {
        &self.as_str()[6..]
    }
}

impl std::fmt::Display for PersonalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for PersonalId {
    /// Masked: `PersonalId(079*******34)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PersonalId({})", masking::mask(self))
    }
}

impl std::str::FromStr for PersonalId {
    type Err = IdError;
    /// Same as [`PersonalId::parse`] (strict).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for PersonalId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Number of characters removed from the start of `s` by `trim`.
fn leading_trimmed_chars(s: &str) -> usize {
    s[..s.len() - s.trim_start().len()].chars().count()
}

/// The error for a character that is not an ASCII digit, at 1-based `position`.
fn char_error(position: usize, ch: char) -> IdError {
    if ch.is_whitespace() {
        IdError::InnerWhitespace { position, ch }
    } else if ch.is_numeric() {
        IdError::NonAsciiDigit { position, ch }
    } else {
        IdError::InvalidChar { position, ch }
    }
}

fn length_error(digits: usize, expected: usize) -> IdError {
    if digits == 0 {
        IdError::Empty { expected }
    } else if digits < expected {
        IdError::TooShort { digits, expected }
    } else {
        IdError::TooLong { digits, expected }
    }
}

/// Exactly `N` ASCII digits after trimming. The first offending character
/// wins over a wrong length, so `12345678901a` reports the `a`.
pub(crate) fn scan_strict<const N: usize>(s: &str) -> Result<[u8; N], IdError> {
    let t = s.trim();
    // Fast path: the common case of a well-formed number, no char decoding.
    if let Ok(bytes) = <[u8; N]>::try_from(t.as_bytes())
        && bytes.iter().all(u8::is_ascii_digit)
    {
        return Ok(bytes);
    }
    let lead = leading_trimmed_chars(s);
    let mut digits = 0usize;
    for (i, ch) in t.chars().enumerate() {
        if ch.is_ascii_digit() {
            digits += 1;
        } else {
            return Err(char_error(lead + i + 1, ch));
        }
    }
    Err(length_error(digits, N))
}

/// Lenient: `N` ASCII digits with separators between groups (see
/// [`PersonalId::parse_lenient_input`]).
pub(crate) fn scan_lenient<const N: usize>(s: &str) -> Result<[u8; N], IdError> {
    let t = s.trim();
    if let Ok(bytes) = <[u8; N]>::try_from(t.as_bytes())
        && bytes.iter().all(u8::is_ascii_digit)
    {
        return Ok(bytes);
    }
    let lead = leading_trimmed_chars(s);
    let mut out = [b'0'; N];
    let mut digits = 0usize;
    // Inside a separator run: whether a `-`/`.` has been seen in it.
    let mut in_sep = false;
    let mut punct_seen = false;
    let mut last_sep: Option<(usize, char)> = None;
    for (i, ch) in t.chars().enumerate() {
        let position = lead + i + 1;
        match ch {
            '0'..='9' => {
                if let Some(slot) = out.get_mut(digits) {
                    *slot = ch as u8;
                }
                digits += 1;
                in_sep = false;
                punct_seen = false;
            }
            ' ' | '\t' | '-' | '.' => {
                let punct = matches!(ch, '-' | '.');
                if digits == 0 || (punct && punct_seen) {
                    return Err(IdError::MisplacedSeparator { position, ch });
                }
                in_sep = true;
                punct_seen |= punct;
                last_sep = Some((position, ch));
            }
            _ => return Err(char_error(position, ch)),
        }
    }
    if in_sep && let Some((position, ch)) = last_sep {
        // Unreachable after trim for spaces, but a trailing `-` or `.` lands here.
        return Err(IdError::MisplacedSeparator { position, ch });
    }
    if digits == N {
        Ok(out)
    } else {
        Err(length_error(digits, N))
    }
}
