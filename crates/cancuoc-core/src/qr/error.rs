//! The fields of the card's QR payload (trường dữ liệu) and why a payload was
//! rejected (lỗi mã QR), each error naming the field by its 1-based index and
//! its name in Vietnamese and English.

use crate::i18n::Localized;
use jiff::civil::Date;

/// One of the seven fields of the QR payload (trường của mã QR), in payload
/// order. Indices are 1-based, as a person counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// 1: the 12-digit personal ID number (số định danh cá nhân / số CCCD).
    PersonalId,
    /// 2: the old ID number (số CMND / CCCD cũ), may be empty.
    OldId,
    /// 3: full name (họ và tên).
    FullName,
    /// 4: date of birth, `ddmmyyyy` (ngày sinh).
    DateOfBirth,
    /// 5: sex, `Nam` or `Nữ` (giới tính).
    Sex,
    /// 6: place of residence (nơi thường trú / nơi cư trú).
    Residence,
    /// 7: issue date, `ddmmyyyy` (ngày cấp).
    IssueDate,
}

impl Field {
    /// The seven fields in payload order.
    pub const ALL: [Field; 7] = [
        Field::PersonalId,
        Field::OldId,
        Field::FullName,
        Field::DateOfBirth,
        Field::Sex,
        Field::Residence,
        Field::IssueDate,
    ];

    /// The field's 1-based position in the payload.
    pub const fn index(self) -> usize {
        match self {
            Field::PersonalId => 1,
            Field::OldId => 2,
            Field::FullName => 3,
            Field::DateOfBirth => 4,
            Field::Sex => 5,
            Field::Residence => 6,
            Field::IssueDate => 7,
        }
    }

    /// The field at a 1-based position, `None` past the seventh (the trailing
    /// fields of the post-2024 layout).
    pub const fn at(index: usize) -> Option<Field> {
        match index {
            1..=7 => Some(Field::ALL[index - 1]),
            _ => None,
        }
    }

    /// Vietnamese name of the field.
    pub const fn name_vi(self) -> &'static str {
        match self {
            Field::PersonalId => "số định danh cá nhân",
            Field::OldId => "số CMND/CCCD cũ",
            Field::FullName => "họ và tên",
            Field::DateOfBirth => "ngày sinh",
            Field::Sex => "giới tính",
            Field::Residence => "nơi thường trú",
            Field::IssueDate => "ngày cấp",
        }
    }

    /// English name of the field.
    pub const fn name_en(self) -> &'static str {
        match self {
            Field::PersonalId => "personal ID number",
            Field::OldId => "old ID number (CMND/CCCD)",
            Field::FullName => "full name",
            Field::DateOfBirth => "date of birth",
            Field::Sex => "sex",
            Field::Residence => "place of residence",
            Field::IssueDate => "issue date",
        }
    }

    /// `trường 3 (họ và tên)`.
    fn label_vi(self) -> String {
        format!("trường {} ({})", self.index(), self.name_vi())
    }

    /// `field 3 (full name)`.
    fn label_en(self) -> String {
        format!("field {} ({})", self.index(), self.name_en())
    }

    /// `Trường 3 (họ và tên)`, to open a sentence.
    fn title_vi(self) -> String {
        format!("Trường {} ({})", self.index(), self.name_vi())
    }

    /// `Field 3 (full name)`, to open a sentence.
    fn title_en(self) -> String {
        format!("Field {} ({})", self.index(), self.name_en())
    }
}

/// `trường 9 (trường thừa)` for a position past the seventh.
fn index_label_vi(index: usize) -> String {
    match Field::at(index) {
        Some(f) => f.label_vi(),
        None => format!("trường {index} (trường thừa ở cuối)"),
    }
}

fn index_label_en(index: usize) -> String {
    match Field::at(index) {
        Some(f) => f.label_en(),
        None => format!("field {index} (trailing extra field)"),
    }
}

/// Why a QR payload was rejected (lỗi mã QR). Every variant names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// The bytes are not UTF-8 (QR byte mode on the card is UTF-8).
    #[error("payload is not valid UTF-8 at byte {byte_offset} (field {field_index})")]
    InvalidUtf8 {
        /// 0-based offset of the first byte that is not UTF-8.
        byte_offset: usize,
        /// 1-based index of the field holding that byte.
        field_index: usize,
    },
    /// Nothing left after removing the trailing line break.
    #[error("payload is empty")]
    Empty,
    /// Fewer than seven `|`-separated fields.
    #[error("payload has {found} fields, expected 7")]
    TooFewFields {
        /// How many fields were found.
        found: usize,
    },
    /// More than seven fields and an extra one is not empty, or more empty
    /// trailing fields than [`super::MAX_EXTRA_EMPTY_FIELDS`].
    #[error("payload has {found} fields, expected 7 (field {first_extra} is unexpected)")]
    TooManyFields {
        /// How many fields were found.
        found: usize,
        /// 1-based index of the first field that cannot be accepted.
        first_extra: usize,
    },
    /// A required field is empty (only the old ID may be).
    #[error("{} is empty", .field.label_en())]
    EmptyField {
        /// The empty field.
        field: Field,
    },
    /// Field 1 is not a valid personal ID number.
    #[error("{}: {source}", Field::PersonalId.label_en())]
    PersonalId {
        /// What the ID parser found wrong.
        #[source]
        source: crate::id::IdError,
    },
    /// Field 2 has neither 9 nor 12 characters.
    #[error("{}: {len} characters, expected 9 (CMND) or 12", Field::OldId.label_en())]
    OldIdLength {
        /// Its length in characters.
        len: usize,
    },
    /// Field 2 holds something else than an ASCII digit.
    #[error("{}: character {position} is not a digit 0-9", Field::OldId.label_en())]
    OldIdNotDigit {
        /// 1-based character position inside the field.
        position: usize,
    },
    /// A date field is not exactly eight characters.
    #[error("{}: {len} characters, expected 8 (ddmmyyyy)", .field.label_en())]
    DateLength {
        /// The date field.
        field: Field,
        /// Its length in characters.
        len: usize,
    },
    /// A date field holds something else than an ASCII digit.
    #[error("{}: character {position} is not a digit 0-9 (expected ddmmyyyy)", .field.label_en())]
    DateNotDigit {
        /// The date field.
        field: Field,
        /// 1-based character position inside the field.
        position: usize,
    },
    /// A date field is eight digits but no calendar date (`31022000`).
    #[error("{}: {day:02}/{month:02}/{year:04} is not a calendar date", .field.label_en())]
    DateImpossible {
        /// The date field.
        field: Field,
        /// Day as written.
        day: u8,
        /// Month as written.
        month: u8,
        /// Year as written.
        year: u16,
    },
    /// A date to encode has a year outside 0001–9999 (only when building a
    /// payload: `ddmmyyyy` has four year digits).
    #[error("{}: year {year} does not fit ddmmyyyy (0001-9999)", .field.label_en())]
    DateOutOfRange {
        /// The date field.
        field: Field,
        /// The year given.
        year: i16,
    },
    /// Field 5 is neither `Nam` nor `Nữ`.
    #[error("{}: {found:?} is neither \"Nam\" nor \"Nữ\"", Field::Sex.label_en())]
    Sex {
        /// What was found (at most 16 characters of it).
        found: String,
    },
    /// A text field holds a control character (tab, line break, NUL …).
    #[error("{}: control character U+{code:04X} at character {position}", .field.label_en())]
    ControlChar {
        /// The text field.
        field: Field,
        /// 1-based character position inside the field.
        position: usize,
        /// The character's code point.
        code: u32,
    },
    /// A text field holds the separator `|` (only when building a payload).
    #[error("{}: contains the separator '|' at character {position}", .field.label_en())]
    Separator {
        /// The text field.
        field: Field,
        /// 1-based character position inside the field.
        position: usize,
    },
    /// The issue date is before the date of birth.
    #[error("issue date {issued} is before the date of birth {born}")]
    IssuedBeforeBirth {
        /// Field 7.
        issued: Date,
        /// Field 4.
        born: Date,
    },
}

fn dmy(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

impl Localized for QrError {
    fn code(&self) -> &'static str {
        match self {
            QrError::InvalidUtf8 { .. } => "qr.invalid_utf8",
            QrError::Empty => "qr.empty",
            QrError::TooFewFields { .. } => "qr.too_few_fields",
            QrError::TooManyFields { .. } => "qr.too_many_fields",
            QrError::EmptyField { .. } => "qr.empty_field",
            QrError::PersonalId { .. } => "qr.bad_personal_id",
            QrError::OldIdLength { .. } => "qr.old_id_length",
            QrError::OldIdNotDigit { .. } => "qr.old_id_not_digit",
            QrError::DateLength { .. } => "qr.date_length",
            QrError::DateNotDigit { .. } => "qr.date_not_digit",
            QrError::DateImpossible { .. } => "qr.date_impossible",
            QrError::DateOutOfRange { .. } => "qr.date_out_of_range",
            QrError::Sex { .. } => "qr.bad_sex",
            QrError::ControlChar { .. } => "qr.control_char",
            QrError::Separator { .. } => "qr.separator_in_field",
            QrError::IssuedBeforeBirth { .. } => "qr.issued_before_birth",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            QrError::InvalidUtf8 {
                byte_offset,
                field_index,
            } => format!(
                "Mã QR không phải văn bản UTF-8: byte thứ {} (đếm từ 0) ở {} không hợp lệ",
                byte_offset,
                index_label_vi(*field_index)
            ),
            QrError::Empty => "Mã QR trống".to_owned(),
            QrError::TooFewFields { found } => format!(
                "Mã QR có {found} trường, cần 7 trường ngăn cách bởi '|' \
                 (số định danh|số CMND|họ tên|ngày sinh|giới tính|nơi thường trú|ngày cấp)"
            ),
            QrError::TooManyFields { found, first_extra } => format!(
                "Mã QR có {found} trường, cần 7 (chỉ chấp nhận tối đa {} trường trống ở cuối); \
                 {} không được chấp nhận",
                super::MAX_EXTRA_EMPTY_FIELDS,
                index_label_vi(*first_extra)
            ),
            QrError::EmptyField { field } => format!("{} bị bỏ trống", field.title_vi()),
            QrError::PersonalId { source } => {
                format!("{}: {}", Field::PersonalId.title_vi(), source.message_vi())
            }
            QrError::OldIdLength { len } => format!(
                "{}: có {len} ký tự, cần 9 chữ số (CMND) hoặc 12 chữ số, hoặc để trống",
                Field::OldId.title_vi()
            ),
            QrError::OldIdNotDigit { position } => format!(
                "{}: ký tự thứ {position} không phải chữ số 0-9",
                Field::OldId.title_vi()
            ),
            QrError::DateLength { field, len } => format!(
                "{}: có {len} ký tự, cần đúng 8 chữ số dạng ngày-tháng-năm (ddmmyyyy)",
                field.title_vi()
            ),
            QrError::DateNotDigit { field, position } => format!(
                "{}: ký tự thứ {position} không phải chữ số 0-9 (cần dạng ddmmyyyy)",
                field.title_vi()
            ),
            QrError::DateImpossible {
                field,
                day,
                month,
                year,
            } => format!(
                "{}: {day:02}/{month:02}/{year:04} không phải ngày có thật",
                field.title_vi()
            ),
            QrError::DateOutOfRange { field, year } => format!(
                "{}: năm {year} không viết được dạng ddmmyyyy (0001–9999)",
                field.title_vi()
            ),
            QrError::Sex { found } => format!(
                "{}: {found:?} không phải \"Nam\" hoặc \"Nữ\" (phân biệt chữ hoa, chữ thường)",
                Field::Sex.title_vi()
            ),
            QrError::ControlChar {
                field,
                position,
                code,
            } => format!(
                "{}: ký tự điều khiển U+{code:04X} ở vị trí {position}",
                field.title_vi()
            ),
            QrError::Separator { field, position } => format!(
                "{}: chứa ký tự phân cách '|' ở vị trí {position}",
                field.title_vi()
            ),
            QrError::IssuedBeforeBirth { issued, born } => format!(
                "{} {} trước {} {}",
                Field::IssueDate.title_vi(),
                dmy(*issued),
                Field::DateOfBirth.label_vi(),
                dmy(*born)
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            QrError::InvalidUtf8 {
                byte_offset,
                field_index,
            } => format!(
                "The QR payload is not UTF-8 text: byte {} (counting from 0) in {} is invalid",
                byte_offset,
                index_label_en(*field_index)
            ),
            QrError::Empty => "The QR payload is empty".to_owned(),
            QrError::TooFewFields { found } => format!(
                "The QR payload has {found} fields; expected 7 separated by '|' \
                 (ID|CMND|name|date of birth|sex|residence|issue date)"
            ),
            QrError::TooManyFields { found, first_extra } => format!(
                "The QR payload has {found} fields; expected 7 (at most {} empty trailing \
                 fields are accepted); {} cannot be accepted",
                super::MAX_EXTRA_EMPTY_FIELDS,
                index_label_en(*first_extra)
            ),
            QrError::EmptyField { field } => format!("{} is empty", field.title_en()),
            QrError::PersonalId { source } => {
                format!("{}: {}", Field::PersonalId.title_en(), source.message_en())
            }
            QrError::OldIdLength { len } => format!(
                "{}: {len} characters; expected 9 digits (CMND) or 12 digits, or empty",
                Field::OldId.title_en()
            ),
            QrError::OldIdNotDigit { position } => format!(
                "{}: character {position} is not a digit 0-9",
                Field::OldId.title_en()
            ),
            QrError::DateLength { field, len } => format!(
                "{}: {len} characters; expected exactly 8 digits day-month-year (ddmmyyyy)",
                field.title_en()
            ),
            QrError::DateNotDigit { field, position } => format!(
                "{}: character {position} is not a digit 0-9 (expected ddmmyyyy)",
                field.title_en()
            ),
            QrError::DateImpossible {
                field,
                day,
                month,
                year,
            } => format!(
                "{}: {day:02}/{month:02}/{year:04} (dd/mm/yyyy) is not a calendar date",
                field.title_en()
            ),
            QrError::DateOutOfRange { field, year } => format!(
                "{}: year {year} cannot be written as ddmmyyyy (0001–9999)",
                field.title_en()
            ),
            QrError::Sex { found } => format!(
                "{}: {found:?} is neither \"Nam\" (male) nor \"Nữ\" (female); case matters",
                Field::Sex.title_en()
            ),
            QrError::ControlChar {
                field,
                position,
                code,
            } => format!(
                "{}: control character U+{code:04X} at character {position}",
                field.title_en()
            ),
            QrError::Separator { field, position } => format!(
                "{}: contains the separator '|' at character {position}",
                field.title_en()
            ),
            QrError::IssuedBeforeBirth { issued, born } => format!(
                "{} {} is before the {} {}",
                Field::IssueDate.title_en(),
                issued,
                Field::DateOfBirth.label_en(),
                born
            ),
        }
    }
}
