//! The two keys of an appointment: its booking code (mã lịch hẹn) and the
//! citizen's mobile number (số điện thoại di động), parsed once at the edge.
//!
//! A booking code is 11 digits: 10 random digits (the first not 0) and a
//! Damm check digit (`cancuoc_core::dossier::code::damm_check_digit`, the
//! same check as dossier codes: every single-digit error and every adjacent
//! transposition is caught before any lookup). 9·10⁹ codes make guessing
//! one pointless, and a code alone only shows the slot: changing anything
//! also needs the phone number.

use std::fmt;

use cancuoc_core::dossier::code::damm_check_digit;
use rand::Rng;

/// Why a typed booking code or phone number is refused; each names the
/// field and says what is expected, in Vietnamese and English.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum KeyError {
    /// Not 11 digits.
    #[error("the booking code must be 11 digits (got {got})")]
    CodeShape {
        /// How many digits were typed.
        got: usize,
    },
    /// The check digit does not match: a typo.
    #[error("the booking code's check digit does not match: check for a typo")]
    CodeCheck,
    /// Not a Vietnamese mobile number.
    #[error("not a Vietnamese mobile number")]
    Phone,
}

impl KeyError {
    /// Stable code.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            KeyError::CodeShape { .. } => "booking.code_shape",
            KeyError::CodeCheck => "booking.code_check",
            KeyError::Phone => "booking.phone",
        }
    }
    /// Vietnamese message.
    pub(crate) fn message_vi(&self) -> String {
        match self {
            KeyError::CodeShape { got } => {
                format!("Mã lịch hẹn gồm 11 chữ số (bạn đã nhập {got} chữ số).")
            }
            KeyError::CodeCheck => {
                "Chữ số kiểm tra của mã lịch hẹn không khớp: hãy kiểm tra lỗi gõ nhầm.".to_owned()
            }
            KeyError::Phone => "Số điện thoại di động Việt Nam gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912 345 678), hoặc +84 rồi 9 chữ số.".to_owned(),
        }
    }
    /// English message.
    pub(crate) fn message_en(&self) -> String {
        match self {
            KeyError::CodeShape { got } => {
                format!("The booking code has 11 digits (you typed {got}).")
            }
            KeyError::CodeCheck => {
                "The booking code's check digit does not match: check for a typo.".to_owned()
            }
            KeyError::Phone => "A Vietnamese mobile number has 10 digits starting with 03, 05, 07, 08 or 09 (e.g. 0912 345 678), or +84 then 9 digits.".to_owned(),
        }
    }
}

impl cancuoc_core::i18n::Localized for KeyError {
    fn code(&self) -> &'static str {
        KeyError::code(self)
    }
    fn message_vi(&self) -> String {
        KeyError::message_vi(self)
    }
    fn message_en(&self) -> String {
        KeyError::message_en(self)
    }
}

/// A booking code (mã lịch hẹn): 11 digits, the last a Damm check digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct BookingCode([u8; 11]);

impl BookingCode {
    /// A fresh random code.
    pub(crate) fn random(rng: &mut impl Rng) -> Self {
        let mut d = [b'0'; 11];
        d[0] = b'0' + rng.random_range(1..=9u8);
        for slot in &mut d[1..10] {
            *slot = b'0' + rng.random_range(0..=9u8);
        }
        let body = std::str::from_utf8(&d[..10]).unwrap_or("0");
        d[10] = b'0' + damm_check_digit(body).unwrap_or(0);
        Self(d)
    }

    /// Reads a typed code; spaces, dots and dashes between digits are
    /// ignored (`1234 5678 905`).
    pub(crate) fn parse(input: &str) -> Result<Self, KeyError> {
        let digits: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
            .collect();
        if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(KeyError::CodeShape {
                got: digits.chars().filter(char::is_ascii_digit).count(),
            });
        }
        if damm_check_digit(&digits) != Some(0) {
            return Err(KeyError::CodeCheck);
        }
        let mut d = [0u8; 11];
        d.copy_from_slice(digits.as_bytes());
        Ok(Self(d))
    }

    /// The 11 digits.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// Grouped for reading aloud and printing: `1234 5678 905`.
    pub(crate) fn grouped(&self) -> String {
        let s = self.as_str();
        format!("{} {} {}", &s[..4], &s[4..8], &s[8..])
    }
}

impl fmt::Display for BookingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Vietnamese mobile number (số điện thoại di động), kept as `0` + 9
/// digits.
///
/// Accepted: `0` then 9 digits, or `+84`/`84` then 9 digits, with spaces,
/// dots, dashes or brackets between; the network prefix must be a mobile
/// one after the 2018 renumbering (03x, 05x, 07x, 08x, 09x; landlines are
/// 02x and are refused: the office calls or texts this number).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PhoneNumber(String);

/// Mobile prefixes (the two digits after the leading 0) in use: Viettel
/// 32–39, 86, 96–98; Vinaphone 81–85, 88, 91, 94; MobiFone 70, 76–79, 89,
/// 90, 93; Vietnamobile 52, 56, 58, 92; Gmobile 59, 99; Itel 87; Reddi 55.
const MOBILE_PREFIXES: [&str; 36] = [
    "32", "33", "34", "35", "36", "37", "38", "39", "52", "55", "56", "58", "59", "70", "76", "77",
    "78", "79", "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94",
    "96", "97", "98", "99",
];

impl PhoneNumber {
    /// Reads a typed number.
    pub(crate) fn parse(input: &str) -> Result<Self, KeyError> {
        let compact: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
            .collect();
        let (plus, digits) = match compact.strip_prefix('+') {
            Some(r) => (true, r.to_owned()),
            None => (false, compact.clone()),
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(KeyError::Phone);
        }
        let national = if let Some(r) = digits.strip_prefix("84").filter(|r| r.len() == 9) {
            format!("0{r}")
        } else if plus {
            return Err(KeyError::Phone);
        } else {
            digits
        };
        let ok = national.len() == 10
            && national.starts_with('0')
            && MOBILE_PREFIXES.contains(&&national[1..3]);
        if ok {
            Ok(Self(national))
        } else {
            Err(KeyError::Phone)
        }
    }

    /// `0` + 9 digits.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Only the last 3 digits, for pages and logs (`••• ••• •678`).
    pub(crate) fn masked(&self) -> String {
        format!("•••• ••• {}", &self.0[7..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn random_codes_parse_and_catch_typos() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let c = BookingCode::random(&mut rng);
            assert_ne!(c.as_str().as_bytes()[0], b'0');
            assert_eq!(BookingCode::parse(c.as_str()), Ok(c));
            assert_eq!(BookingCode::parse(&c.grouped()), Ok(c));
            let s = c.as_str().as_bytes().to_vec();
            // Every single-digit change and adjacent swap is caught.
            for i in 0..11 {
                for d in b'0'..=b'9' {
                    if d == s[i] {
                        continue;
                    }
                    let mut t = s.clone();
                    t[i] = d;
                    let t = String::from_utf8(t).expect("ascii");
                    assert_eq!(BookingCode::parse(&t), Err(KeyError::CodeCheck), "{t}");
                }
                if i < 10 && s[i] != s[i + 1] {
                    let mut t = s.clone();
                    t.swap(i, i + 1);
                    let t = String::from_utf8(t).expect("ascii");
                    assert_eq!(BookingCode::parse(&t), Err(KeyError::CodeCheck), "{t}");
                }
            }
        }
        assert_eq!(
            BookingCode::parse("1234"),
            Err(KeyError::CodeShape { got: 4 })
        );
        assert_eq!(
            BookingCode::parse("1234567890a"),
            Err(KeyError::CodeShape { got: 10 })
        );
        assert!(BookingCode::parse("").is_err());
    }

    #[test]
    fn phone_numbers() {
        for (input, want) in [
            ("0912345678", "0912345678"),
            ("0912 345 678", "0912345678"),
            ("091.234.5678", "0912345678"),
            ("+84 912 345 678", "0912345678"),
            ("84912345678", "0912345678"),
            ("(+84) 38-123-4567", "0381234567"),
            ("0866123456", "0866123456"),
        ] {
            assert_eq!(
                PhoneNumber::parse(input).map(|p| p.as_str().to_owned()),
                Ok(want.to_owned()),
                "{input}"
            );
        }
        for bad in [
            "",
            "091234567",
            "09123456789",
            "0241234567",
            "0112345678",
            "1912345678",
            "+1 912 345 678",
            "+840912345678",
            "0912a45678",
            "0912_345_678",
        ] {
            assert_eq!(PhoneNumber::parse(bad), Err(KeyError::Phone), "{bad}");
        }
        let p = PhoneNumber::parse("0912345678").expect("ok");
        assert_eq!(p.masked(), "•••• ••• 678");
    }
}
