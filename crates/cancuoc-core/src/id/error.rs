//! Errors of the `id` area (lỗi số định danh, số CMND, cấp số).
//!
//! Every variant names what was wrong and where: the 1-based character
//! position in the text as given (before surrounding whitespace is trimmed),
//! the offending character with its Unicode code point, or the digit count.
//! Each has a stable code (`id.too_short` …) and messages in Vietnamese and
//! English through [`Localized`].

use crate::i18n::Localized;

/// Why a text is not a personal ID number (số định danh cá nhân) or an old
/// 9-digit CMND number (số chứng minh nhân dân).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// Nothing but whitespace was given (trống).
    #[error("empty input: expected {expected} digits")]
    Empty {
        /// Digits the number must have (12, or 9 for a CMND).
        expected: usize,
    },
    /// Fewer digits than the number has (thiếu chữ số).
    #[error("too short: {digits} digits, expected {expected}")]
    TooShort {
        /// Digits found.
        digits: usize,
        /// Digits the number must have.
        expected: usize,
    },
    /// More digits than the number has (thừa chữ số).
    #[error("too long: {digits} digits, expected {expected}")]
    TooLong {
        /// Digits found.
        digits: usize,
        /// Digits the number must have.
        expected: usize,
    },
    /// A digit that is not ASCII `0`–`9`, e.g. full-width `０` or Arabic-Indic
    /// `٣` (chữ số không phải ASCII).
    #[error("non-ASCII digit {ch:?} (U+{:04X}) at position {position}", *ch as u32)]
    NonAsciiDigit {
        /// 1-based character position in the input.
        position: usize,
        /// The character found.
        ch: char,
    },
    /// Whitespace inside the number (khoảng trắng giữa các chữ số).
    #[error("whitespace {ch:?} (U+{:04X}) inside the number at position {position}", *ch as u32)]
    InnerWhitespace {
        /// 1-based character position in the input.
        position: usize,
        /// The whitespace character found.
        ch: char,
    },
    /// A character that is neither a digit nor whitespace (ký tự không hợp lệ).
    #[error("invalid character {ch:?} (U+{:04X}) at position {position}", *ch as u32)]
    InvalidChar {
        /// 1-based character position in the input.
        position: usize,
        /// The character found.
        ch: char,
    },
    /// Lenient input only: a separator (space, `-`, `.`) that does not sit
    /// between two digit groups, or two punctuation marks in a row (dấu phân
    /// cách sai chỗ).
    #[error("misplaced separator {ch:?} at position {position}")]
    MisplacedSeparator {
        /// 1-based character position in the input.
        position: usize,
        /// The separator found.
        ch: char,
    },
    /// Strict decoding only: the first three digits are neither a province
    /// nor a country code (mã nơi đăng ký khai sinh không xác định).
    #[error(
        "unknown region code {code:03}: neither a province (001–096) nor a country (101–295) code"
    )]
    UnknownRegion {
        /// The 3-digit code, 0–999.
        code: u16,
    },
}

/// The noun for a number of `expected` digits, in each language.
fn noun(expected: usize) -> (&'static str, &'static str) {
    if expected == super::cmnd::CMND_DIGITS {
        ("Số CMND", "The CMND number")
    } else {
        ("Số định danh cá nhân", "The personal ID number")
    }
}

impl Localized for IdError {
    fn code(&self) -> &'static str {
        match self {
            IdError::Empty { .. } => "id.empty",
            IdError::TooShort { .. } => "id.too_short",
            IdError::TooLong { .. } => "id.too_long",
            IdError::NonAsciiDigit { .. } => "id.non_ascii_digit",
            IdError::InnerWhitespace { .. } => "id.inner_whitespace",
            IdError::InvalidChar { .. } => "id.invalid_char",
            IdError::MisplacedSeparator { .. } => "id.misplaced_separator",
            IdError::UnknownRegion { .. } => "id.unknown_region",
        }
    }

    fn message_vi(&self) -> String {
        match *self {
            IdError::Empty { expected } => {
                format!("{} trống: cần đúng {expected} chữ số", noun(expected).0)
            }
            IdError::TooShort { digits, expected } => format!(
                "{} quá ngắn: có {digits} chữ số, cần đúng {expected}",
                noun(expected).0
            ),
            IdError::TooLong { digits, expected } => format!(
                "{} quá dài: có {digits} chữ số, cần đúng {expected}",
                noun(expected).0
            ),
            IdError::NonAsciiDigit { position, ch } => format!(
                "Chữ số không phải ASCII '{ch}' (U+{:04X}) ở vị trí {position}: chỉ dùng chữ số 0–9 (không dùng chữ số toàn độ rộng hay chữ số Ả Rập)",
                ch as u32
            ),
            IdError::InnerWhitespace { position, ch } => format!(
                "Khoảng trắng (U+{:04X}) ở vị trí {position} nằm giữa các chữ số: hãy viết liền các chữ số",
                ch as u32
            ),
            IdError::InvalidChar { position, ch } => format!(
                "Ký tự không hợp lệ '{}' (U+{:04X}) ở vị trí {position}: chỉ được có chữ số 0–9",
                ch.escape_debug(),
                ch as u32
            ),
            IdError::MisplacedSeparator { position, ch } => format!(
                "Dấu phân cách '{ch}' ở vị trí {position} đặt sai chỗ: chỉ được đặt một dấu cách, '-' hoặc '.' giữa hai nhóm chữ số"
            ),
            IdError::UnknownRegion { code } => format!(
                "Mã nơi đăng ký khai sinh {code:03} (3 chữ số đầu) không phải mã tỉnh (001–096) hay mã quốc gia (101–295) đã biết"
            ),
        }
    }

    fn message_en(&self) -> String {
        match *self {
            IdError::Empty { expected } => format!(
                "{} is empty: exactly {expected} digits are needed",
                noun(expected).1
            ),
            IdError::TooShort { digits, expected } => format!(
                "{} is too short: {digits} digits, exactly {expected} are needed",
                noun(expected).1
            ),
            IdError::TooLong { digits, expected } => format!(
                "{} is too long: {digits} digits, exactly {expected} are needed",
                noun(expected).1
            ),
            IdError::NonAsciiDigit { position, ch } => format!(
                "Non-ASCII digit '{ch}' (U+{:04X}) at position {position}: only the digits 0–9 are allowed (no full-width or Arabic-Indic digits)",
                ch as u32
            ),
            IdError::InnerWhitespace { position, ch } => format!(
                "Whitespace (U+{:04X}) at position {position} between the digits: write the digits without spaces",
                ch as u32
            ),
            IdError::InvalidChar { position, ch } => format!(
                "Invalid character '{}' (U+{:04X}) at position {position}: only the digits 0–9 are allowed",
                ch.escape_debug(),
                ch as u32
            ),
            IdError::MisplacedSeparator { position, ch } => format!(
                "Misplaced separator '{ch}' at position {position}: a single space, '-' or '.' may only stand between two groups of digits"
            ),
            IdError::UnknownRegion { code } => format!(
                "Region code {code:03} (first 3 digits) is neither a known province code (001–096) nor a known country code (101–295)"
            ),
        }
    }
}
