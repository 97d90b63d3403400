//! Booking codes (mã lịch hẹn): 11 digits, 10 random digits (the first not
//! 0) and a Damm check digit ([`crate::dossier::code::damm_check_digit`],
//! the same check as dossier codes: every single-digit error and every
//! adjacent transposition is caught before any lookup). 9·10⁹ codes make
//! guessing one pointless, and a code alone only shows the slot: changing
//! anything also needs the phone number.

use std::fmt;

use crate::dossier::code::damm_check_digit;
use crate::i18n::Localized;

/// Why a typed booking code is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BookingCodeError {
    /// Not 11 digits (separators aside).
    #[error("the booking code must be 11 digits (got {got})")]
    Shape {
        /// How many digits were typed.
        got: usize,
    },
    /// The check digit does not match: a typo.
    #[error("the booking code's check digit does not match: check for a typo")]
    Check,
}

impl Localized for BookingCodeError {
    fn code(&self) -> &'static str {
        match self {
            BookingCodeError::Shape { .. } => "booking.code_shape",
            BookingCodeError::Check => "booking.code_check",
        }
    }
    fn message_vi(&self) -> String {
        match self {
            BookingCodeError::Shape { got } => {
                format!("Mã lịch hẹn gồm 11 chữ số (bạn đã nhập {got} chữ số).")
            }
            BookingCodeError::Check => {
                "Chữ số kiểm tra của mã lịch hẹn không khớp: hãy kiểm tra lỗi gõ nhầm.".to_owned()
            }
        }
    }
    fn message_en(&self) -> String {
        match self {
            BookingCodeError::Shape { got } => {
                format!("The booking code has 11 digits (you typed {got}).")
            }
            BookingCodeError::Check => {
                "The booking code's check digit does not match: check for a typo.".to_owned()
            }
        }
    }
}

/// A booking code (mã lịch hẹn): 11 ASCII digits, the last a Damm check
/// digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BookingCode([u8; 11]);

impl BookingCode {
    /// How many codes there are: a random draw in `0..RANDOM_SPACE` names
    /// one ([`BookingCode::from_random`]).
    pub const RANDOM_SPACE: u64 = 9_000_000_000;

    /// The code numbered `n` (reduced modulo [`Self::RANDOM_SPACE`]): the
    /// 10 digits of `1_000_000_000 + n` and their check digit. The caller
    /// draws `n` from a random source (core has none of its own).
    pub fn from_random(n: u64) -> Self {
        let body = 1_000_000_000 + n % Self::RANDOM_SPACE;
        let mut d = [b'0'; 11];
        let text = body.to_string();
        d[..10].copy_from_slice(text.as_bytes());
        // Ten ASCII digits always have a check digit.
        d[10] = b'0' + damm_check_digit(&text).unwrap_or(0);
        Self(d)
    }

    /// Reads a typed code; spaces, dots and dashes between digits are
    /// ignored (`1234 5678 905`).
    pub fn parse(input: &str) -> Result<Self, BookingCodeError> {
        let digits: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
            .collect();
        if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BookingCodeError::Shape {
                got: digits.chars().filter(char::is_ascii_digit).count(),
            });
        }
        if damm_check_digit(&digits) != Some(0) {
            return Err(BookingCodeError::Check);
        }
        let mut d = [0u8; 11];
        d.copy_from_slice(digits.as_bytes());
        Ok(Self(d))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// Grouped for reading aloud and printing: `1234 5678 905`.
    pub fn grouped(&self) -> String {
        let s = self.as_str();
        format!("{} {} {}", &s[..4], &s[4..8], &s[8..])
    }
}

impl fmt::Display for BookingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for BookingCode {
    type Err = BookingCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawn_codes_parse_and_catch_every_typo() {
        // A spread of draws, the ends of the space included.
        let draws = (0..200u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) % BookingCode::RANDOM_SPACE)
            .chain([0, BookingCode::RANDOM_SPACE - 1, BookingCode::RANDOM_SPACE]);
        for n in draws {
            let c = BookingCode::from_random(n);
            assert_ne!(c.as_str().as_bytes()[0], b'0');
            assert_eq!(BookingCode::parse(c.as_str()), Ok(c));
            assert_eq!(BookingCode::parse(&c.grouped()), Ok(c));
            let s = c.as_str().as_bytes().to_vec();
            for i in 0..11 {
                for d in b'0'..=b'9' {
                    if d == s[i] {
                        continue;
                    }
                    let mut t = s.clone();
                    t[i] = d;
                    let t = String::from_utf8(t).expect("ascii");
                    assert_eq!(BookingCode::parse(&t), Err(BookingCodeError::Check), "{t}");
                }
                if i < 10 && s[i] != s[i + 1] {
                    let mut t = s.clone();
                    t.swap(i, i + 1);
                    let t = String::from_utf8(t).expect("ascii");
                    assert_eq!(BookingCode::parse(&t), Err(BookingCodeError::Check), "{t}");
                }
            }
        }
        assert_eq!(BookingCode::from_random(0).as_str()[..10], *"1000000000");
        assert_eq!(
            BookingCode::from_random(BookingCode::RANDOM_SPACE - 1).as_str()[..10],
            *"9999999999"
        );
    }

    #[test]
    fn malformed_codes_say_how_many_digits_came() {
        assert_eq!(
            BookingCode::parse("1234"),
            Err(BookingCodeError::Shape { got: 4 })
        );
        assert_eq!(
            BookingCode::parse("1234567890a"),
            Err(BookingCodeError::Shape { got: 10 })
        );
        assert_eq!(
            BookingCode::parse(""),
            Err(BookingCodeError::Shape { got: 0 })
        );
    }
}
