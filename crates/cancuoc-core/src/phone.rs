//! Vietnamese mobile numbers (số điện thoại di động), parsed once at the
//! edge and kept as `0` + 9 digits: the one phone rule of the web pages,
//! the CLI's importer and the API.
//!
//! Accepted: `0` then 9 digits, or `+84`/`84` then 9 digits, with spaces,
//! dots, dashes or brackets between; the network prefix must be a mobile
//! one after the 2018 renumbering (03x, 05x, 07x, 08x, 09x). Landlines
//! (02x) are refused: the office calls or texts this number.

use std::fmt;

use crate::i18n::Localized;

/// Why a typed number is not a Vietnamese mobile number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PhoneError {
    /// A character that is not a digit, a leading `+` or a separator.
    #[error(
        "the phone number contains {found:?}: only digits, spaces, dots, dashes, brackets and a leading + are allowed"
    )]
    Character {
        /// The first offending character.
        found: char,
    },
    /// Not 10 digits from `0`, nor 9 digits after `+84`.
    #[error(
        "a Vietnamese mobile number has 10 digits from 0, or +84 then 9 digits (got {digits} digits)"
    )]
    Length {
        /// How many digits were typed.
        digits: usize,
    },
    /// An international number of another country (`+` then not `84`).
    #[error("only Vietnamese numbers (+84) are accepted")]
    NotVietnamese,
    /// The network prefix is not a mobile one (a landline, or unassigned).
    #[error("{prefix} is not a Vietnamese mobile prefix (03x, 05x, 07x, 08x, 09x)")]
    Prefix {
        /// The first three digits of the national form, e.g. `024`.
        prefix: String,
    },
}

impl Localized for PhoneError {
    fn code(&self) -> &'static str {
        match self {
            PhoneError::Character { .. } => "phone.character",
            PhoneError::Length { .. } => "phone.length",
            PhoneError::NotVietnamese => "phone.not_vietnamese",
            PhoneError::Prefix { .. } => "phone.prefix",
        }
    }

    fn message_vi(&self) -> String {
        let rule = "Số điện thoại di động Việt Nam gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912 345 678), hoặc +84 rồi 9 chữ số.";
        match self {
            PhoneError::Character { found } => {
                format!("Số điện thoại có ký tự {found:?} không hợp lệ. {rule}")
            }
            PhoneError::Length { digits } => format!("Bạn đã nhập {digits} chữ số. {rule}"),
            PhoneError::NotVietnamese => {
                format!("Chỉ nhận số điện thoại Việt Nam (+84). {rule}")
            }
            PhoneError::Prefix { prefix } => {
                format!(
                    "{prefix} không phải đầu số di động (số cố định không nhận tin nhắn). {rule}"
                )
            }
        }
    }

    fn message_en(&self) -> String {
        let rule = "A Vietnamese mobile number has 10 digits starting with 03, 05, 07, 08 or 09 (e.g. 0912 345 678), or +84 then 9 digits.";
        match self {
            PhoneError::Character { found } => {
                format!("The phone number contains {found:?}, which is not allowed. {rule}")
            }
            PhoneError::Length { digits } => format!("You typed {digits} digits. {rule}"),
            PhoneError::NotVietnamese => {
                format!("Only Vietnamese numbers (+84) are accepted. {rule}")
            }
            PhoneError::Prefix { prefix } => format!(
                "{prefix} is not a mobile prefix (landlines cannot receive text messages). {rule}"
            ),
        }
    }
}

/// A Vietnamese mobile number, kept as `0` + 9 digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

/// Mobile prefixes (the two digits after the leading 0) in use: Viettel
/// 32–39, 86, 96–98; Vinaphone 81–85, 88, 91, 94; MobiFone 70, 76–79, 89,
/// 90, 93; Vietnamobile 52, 56, 58, 92; Gmobile 59, 99; Itel 87; Reddi 55.
const MOBILE_PREFIXES: [&str; 36] = [
    "32", "33", "34", "35", "36", "37", "38", "39", "52", "55", "56", "58", "59", "70", "76", "77",
    "78", "79", "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94",
    "96", "97", "98", "99",
];

impl PhoneNumber {
    /// Reads a number as people type it (`0912 345 678`, `+84 912 345 678`,
    /// `(+84) 38-123-4567`).
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let mut digits = String::with_capacity(12);
        let mut plus = false;
        for c in input.trim().chars() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if digits.is_empty() && !plus => plus = true,
                ' ' | '.' | '-' | '(' | ')' | '\u{a0}' => {}
                other => return Err(PhoneError::Character { found: other }),
            }
        }
        let national = match digits.strip_prefix("84") {
            Some(rest) if rest.len() == 9 => format!("0{rest}"),
            Some(rest) if plus => return Err(PhoneError::Length { digits: rest.len() }),
            None if plus => return Err(PhoneError::NotVietnamese),
            _ => digits,
        };
        if national.len() != 10 || !national.starts_with('0') {
            return Err(PhoneError::Length {
                digits: national.len(),
            });
        }
        if !MOBILE_PREFIXES.contains(&&national[1..3]) {
            return Err(PhoneError::Prefix {
                prefix: national[..3].to_owned(),
            });
        }
        Ok(Self(national))
    }

    /// `0` + 9 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Only the last 3 digits, for pages and logs (`•••• ••• 678`).
    pub fn masked(&self) -> String {
        format!("•••• ••• {}", &self.0[7..])
    }

    /// The international form for SMS gateways: `+84` and 9 digits.
    pub fn e164(&self) -> String {
        format!("+84{}", &self.0[1..])
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for PhoneNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for PhoneNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for PhoneNumber {
    type Err = PhoneError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_forms_become_the_national_form() {
        for (input, want) in [
            ("0912345678", "0912345678"),
            ("0912 345 678", "0912345678"),
            ("091.234.5678", "0912345678"),
            ("+84 912 345 678", "0912345678"),
            ("84912345678", "0912345678"),
            ("(+84) 38-123-4567", "0381234567"),
            (" 0866123456 ", "0866123456"),
        ] {
            assert_eq!(
                PhoneNumber::parse(input).map(|p| p.as_str().to_owned()),
                Ok(want.to_owned()),
                "{input}"
            );
        }
        let p = PhoneNumber::parse("0912345678").expect("ok");
        assert_eq!(p.masked(), "•••• ••• 678");
        assert_eq!(p.e164(), "+84912345678");
    }

    #[test]
    fn each_refusal_says_what_is_wrong() {
        let cases: [(&str, PhoneError); 10] = [
            ("", PhoneError::Length { digits: 0 }),
            ("091234567", PhoneError::Length { digits: 9 }),
            ("09123456789", PhoneError::Length { digits: 11 }),
            ("1912345678", PhoneError::Length { digits: 10 }),
            ("+1 912 345 678", PhoneError::NotVietnamese),
            ("+840912345678", PhoneError::Length { digits: 10 }),
            (
                "0241234567",
                PhoneError::Prefix {
                    prefix: "024".into(),
                },
            ),
            (
                "0112345678",
                PhoneError::Prefix {
                    prefix: "011".into(),
                },
            ),
            ("0912a45678", PhoneError::Character { found: 'a' }),
            ("0912_345_678", PhoneError::Character { found: '_' }),
        ];
        for (input, want) in cases {
            assert_eq!(PhoneNumber::parse(input), Err(want), "{input:?}");
        }
        let e = PhoneNumber::parse("0241234567").expect_err("landline");
        assert!(e.message_vi().contains("024"), "{}", e.message_vi());
        assert!(e.message_en().contains("landline"), "{}", e.message_en());
    }
}
