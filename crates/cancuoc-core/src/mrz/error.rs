//! Errors of the MRZ parser: the zone's shape ([`MrzError`], nothing can be
//! read) and per-field faults ([`FieldError`], the zone is read but a field
//! holds what it may not), with bilingual messages.

use super::{CheckResult, Field};
use crate::i18n::Localized;

/// Why a text is not a machine-readable zone at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MrzError {
    /// No line with content.
    #[error("empty input: no MRZ line")]
    Empty,
    /// Not 2 or 3 lines.
    #[error("{found} lines: an MRZ has 2 lines (TD2, TD3, MRV) or 3 (TD1)")]
    LineCount {
        /// Lines found.
        found: usize,
    },
    /// A line of the wrong length for the format.
    #[error("line {line} has {found} characters, expected {expected}")]
    LineLength {
        /// 1-based line number.
        line: usize,
        /// Characters found on that line.
        found: usize,
        /// What the shape allows there: `30`, `36 or 44`, `36`, `44`.
        expected: &'static str,
    },
    /// A character outside ASCII (an MRZ holds `A-Z`, `0-9` and `<` only).
    #[error("line {line}, column {column}: character {found:?} is not an MRZ character")]
    NotAscii {
        /// 1-based line number.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// The character.
        found: char,
    },
    /// The French national identity card of 1994 (2 × 36, `IDFRA`): a
    /// national layout, not ICAO 9303 TD2.
    #[error("French national identity card (1994 layout): not an ICAO 9303 MRZ")]
    FrenchNationalId,
}

impl Localized for MrzError {
    fn code(&self) -> &'static str {
        match self {
            MrzError::Empty => "mrz.empty",
            MrzError::LineCount { .. } => "mrz.line_count",
            MrzError::LineLength { .. } => "mrz.line_length",
            MrzError::NotAscii { .. } => "mrz.not_ascii",
            MrzError::FrenchNationalId => "mrz.unsupported_format",
        }
    }
    fn message_vi(&self) -> String {
        match self {
            MrzError::Empty => "Không có dòng MRZ nào".into(),
            MrzError::LineCount { found } => {
                format!("Có {found} dòng: MRZ gồm 2 dòng (TD2, TD3, thị thực) hoặc 3 dòng (TD1)")
            }
            MrzError::LineLength {
                line,
                found,
                expected,
            } => format!("Dòng {line} có {found} ký tự, cần {expected}"),
            MrzError::NotAscii {
                line,
                column,
                found,
            } => format!(
                "Dòng {line}, cột {column}: ký tự {found:?} không thuộc MRZ (chỉ A–Z, 0–9, <)"
            ),
            MrzError::FrenchNationalId => {
                "Thẻ căn cước Pháp mẫu 1994: không phải MRZ theo ICAO 9303".into()
            }
        }
    }
    fn message_en(&self) -> String {
        match self {
            MrzError::NotAscii {
                line,
                column,
                found,
            } => format!(
                "Line {line}, column {column}: character {found:?} is not an MRZ character (A–Z, 0–9, < only)"
            ),
            other => {
                let s = other.to_string();
                let mut c = s.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().chain(c).collect(),
                    None => s,
                }
            }
        }
    }
}

/// What is wrong with a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldErrorKind {
    /// A byte outside `A-Z`, `0-9`, `<` (e.g. a lower-case letter).
    InvalidCharacter {
        /// The byte.
        found: u8,
    },
    /// A non-digit where only digits may stand (a letter in a date).
    NotNumeric {
        /// The byte.
        found: u8,
    },
    /// A non-letter where only letters and `<` may stand (a digit in a name,
    /// in a nationality).
    NotAlphabetic {
        /// The byte.
        found: u8,
    },
    /// Digits that are no calendar date: month 13, day 46, 30 February.
    NotCalendarDate,
    /// A sex other than `M`, `F` or `<` (ICAO allows `X` only outside the MRZ).
    BadSex {
        /// The byte.
        found: u8,
    },
    /// A document code the format does not allow (`X<` on a TD3).
    BadDocumentCode,
    /// The document-number check digit is `<` (a long number) but the
    /// optional data does not continue the number with a check digit.
    BadOverflow,
    /// Vietnamese profile: a filler `<` expected here.
    FillerExpected {
        /// The byte.
        found: u8,
    },
    /// Vietnamese profile: the document number is not the last 9 digits of the
    /// personal ID in the optional data.
    PersonalIdMismatch,
}

/// A field that holds something it may not, with its place in the zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field.
    pub field: Field,
    /// What is wrong.
    pub kind: FieldErrorKind,
    /// 1-based line.
    pub line: u8,
    /// 1-based column of the first offending character (or of the field).
    pub column: u8,
}

impl FieldError {
    pub(super) const PLACEHOLDER: FieldError = FieldError {
        field: Field::Names,
        kind: FieldErrorKind::NotCalendarDate,
        line: 0,
        column: 0,
    };
}

/// `s` with its first letter in upper case (field labels start sentences).
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn shown(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", char::from(b))
    } else {
        format!("0x{b:02X}")
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for FieldError {}

impl Localized for FieldError {
    fn code(&self) -> &'static str {
        match self.kind {
            FieldErrorKind::InvalidCharacter { .. } => "mrz.invalid_character",
            FieldErrorKind::NotNumeric { .. } => "mrz.not_numeric",
            FieldErrorKind::NotAlphabetic { .. } => "mrz.not_alphabetic",
            FieldErrorKind::NotCalendarDate => "mrz.not_a_date",
            FieldErrorKind::BadSex { .. } => "mrz.bad_sex",
            FieldErrorKind::BadDocumentCode => "mrz.bad_document_code",
            FieldErrorKind::BadOverflow => "mrz.bad_overflow",
            FieldErrorKind::FillerExpected { .. } => "mrz.filler_expected",
            FieldErrorKind::PersonalIdMismatch => "mrz.personal_id_mismatch",
        }
    }
    fn message_vi(&self) -> String {
        let at = format!(
            "{} (dòng {}, cột {})",
            capitalized(self.field.label_vi()),
            self.line,
            self.column
        );
        match self.kind {
            FieldErrorKind::InvalidCharacter { found } => {
                format!(
                    "{at}: ký tự {} không thuộc MRZ (chỉ A–Z, 0–9, <)",
                    shown(found)
                )
            }
            FieldErrorKind::NotNumeric { found } => {
                format!("{at}: ký tự {} không phải chữ số", shown(found))
            }
            FieldErrorKind::NotAlphabetic { found } => {
                format!("{at}: ký tự {} không phải chữ cái A–Z hoặc <", shown(found))
            }
            FieldErrorKind::NotCalendarDate => {
                format!("{at}: không phải ngày có thật trong lịch (YYMMDD)")
            }
            FieldErrorKind::BadSex { found } => {
                format!("{at}: {} không hợp lệ, chỉ M, F hoặc <", shown(found))
            }
            FieldErrorKind::BadDocumentCode => {
                format!("{at}: mã loại giấy tờ không được phép cho khuôn dạng này")
            }
            FieldErrorKind::BadOverflow => format!(
                "{at}: vị trí chữ số kiểm tra là < (số dài) nhưng dữ liệu tùy chọn không chứa phần còn lại của số và chữ số kiểm tra"
            ),
            FieldErrorKind::FillerExpected { found } => {
                format!("{at}: cần ký tự độn <, gặp {}", shown(found))
            }
            FieldErrorKind::PersonalIdMismatch => format!(
                "{at}: số giấy tờ không bằng 9 chữ số cuối của số định danh cá nhân trong dữ liệu tùy chọn"
            ),
        }
    }
    fn message_en(&self) -> String {
        let at = format!(
            "{} (line {}, column {})",
            capitalized(self.field.label_en()),
            self.line,
            self.column
        );
        match self.kind {
            FieldErrorKind::InvalidCharacter { found } => format!(
                "{at}: character {} is not an MRZ character (A–Z, 0–9, < only)",
                shown(found)
            ),
            FieldErrorKind::NotNumeric { found } => {
                format!("{at}: character {} is not a digit", shown(found))
            }
            FieldErrorKind::NotAlphabetic { found } => {
                format!("{at}: character {} is not a letter A–Z or <", shown(found))
            }
            FieldErrorKind::NotCalendarDate => {
                format!("{at}: not a calendar date (YYMMDD)")
            }
            FieldErrorKind::BadSex { found } => {
                format!("{at}: {} is not allowed, only M, F or <", shown(found))
            }
            FieldErrorKind::BadDocumentCode => {
                format!("{at}: document code not allowed for this format")
            }
            FieldErrorKind::BadOverflow => format!(
                "{at}: the check digit position holds < (long number) but the optional data does not continue the number with a check digit"
            ),
            FieldErrorKind::FillerExpected { found } => {
                format!("{at}: filler < expected, found {}", shown(found))
            }
            FieldErrorKind::PersonalIdMismatch => format!(
                "{at}: the document number is not the last 9 digits of the personal ID in the optional data"
            ),
        }
    }
}

impl Localized for CheckResult {
    fn code(&self) -> &'static str {
        if self.ok {
            "mrz.check_digit_ok"
        } else {
            "mrz.check_digit"
        }
    }
    fn message_vi(&self) -> String {
        let at = format!(
            "Chữ số kiểm tra {} (dòng {}, cột {})",
            self.field.label_vi(),
            self.line,
            self.column
        );
        match (self.ok, self.computed) {
            (true, _) => format!("{at}: đúng"),
            (false, Some(c)) => format!("{at}: ghi {}, tính được {c}", shown(self.found)),
            (false, None) => {
                format!("{at}: không tính được vì dữ liệu có ký tự ngoài A–Z, 0–9, <")
            }
        }
    }
    fn message_en(&self) -> String {
        let at = format!(
            "Check digit of {} (line {}, column {})",
            self.field.label_en(),
            self.line,
            self.column
        );
        match (self.ok, self.computed) {
            (true, _) => format!("{at}: correct"),
            (false, Some(c)) => format!("{at}: printed {}, computed {c}", shown(self.found)),
            (false, None) => {
                format!("{at}: cannot be computed, the data holds characters outside A–Z, 0–9, <")
            }
        }
    }
}
