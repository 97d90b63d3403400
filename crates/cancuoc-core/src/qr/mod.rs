//! The card's QR payload (mã QR trên thẻ Căn cước công dân / thẻ Căn cước):
//! parse and encode.
//!
//! The QR code on the front of the chip card holds one line of UTF-8 text
//! (QR byte mode), seven fields separated by `|`:
//!
//! ```text
//! ID12|CMND9|Full name|ddmmyyyy|Nam or Nữ|residence|issue ddmmyyyy
//! 001099012345|123456789|Nguyễn Văn An|01011999|Nam|Số 1, Phường A, Hà Nội|01072021
//! ```
//!
//! There is no official specification; this layout is what real cards show
//! (DESIGN.md §2.2). Cards issued from 1 July 2024 (thẻ Căn cước) were seen
//! with four extra empty fields at the end: [`Layout`] records which layout was
//! read so [`CardQr::to_payload`] reproduces it.
//!
//! What the parser accepts, and nothing more:
//! - any run of trailing `\r` / `\n` (a scanner in keyboard-wedge mode types
//!   the payload then Enter); nothing else is trimmed, inside or around fields;
//! - an empty field 2 (no old CMND/CCCD number on the card), else 9 digits
//!   (CMND) or 12 digits (12-digit CMND, or an earlier CCCD number: Circular
//!   59/2021 Art. 12 speaks of "số CMND, số CCCD cũ" in the QR code);
//! - up to [`MAX_EXTRA_EMPTY_FIELDS`] empty fields after the seventh;
//! - `Nam` or `Nữ` for the sex, `Nữ` precomposed (NFC) or decomposed (NFD);
//!   case matters (cards print exactly these words).
//!
//! The full name and residence are kept exactly as given (no Unicode
//! normalisation, no trimming) so encoding reproduces the card byte for byte;
//! compare names with [`crate::text::search_key`]. They must be non-empty and
//! free of control characters.
//!
//! An issue date before the date of birth is an error (no such card can
//! exist). Disagreements between the ID number and the payload (sex, century,
//! birth year) are warnings ([`QrWarning`], from [`CardQr::warnings`]): the
//! payload still parses, and the reader decides.

mod error;
mod warning;

#[cfg(test)]
mod tests;

pub use error::{Field, QrError};
pub use warning::QrWarning;

use crate::id::{IdError, PersonalId};
use crate::person::Sex;
use jiff::civil::Date;

/// The most empty fields accepted after the seventh. Cards were seen with 4;
/// a few more are tolerated, a payload of hundreds of `|` is not a card.
pub const MAX_EXTRA_EMPTY_FIELDS: u8 = 16;

/// Which field layout a payload had (bố cục mã QR).
///
/// Hand-rolled rather than a bare count so the two layouts seen on cards have
/// names: [`Layout::CLASSIC`] (seven fields, CCCD cards 2021 – June 2024) and
/// [`Layout::EXTENDED_2024`] (seven fields then four empty ones, thẻ Căn cước
/// from 1 July 2024).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Layout {
    extra_empty: u8,
}

impl Layout {
    /// Seven fields (thẻ CCCD gắn chip, 2021 – 30 June 2024).
    pub const CLASSIC: Layout = Layout { extra_empty: 0 };
    /// Seven fields then four empty ones (thẻ Căn cước, from 1 July 2024).
    pub const EXTENDED_2024: Layout = Layout { extra_empty: 4 };

    /// The layout with `n` empty fields after the seventh; `None` above
    /// [`MAX_EXTRA_EMPTY_FIELDS`].
    pub const fn with_extra_empty(n: u8) -> Option<Layout> {
        if n <= MAX_EXTRA_EMPTY_FIELDS {
            Some(Layout { extra_empty: n })
        } else {
            None
        }
    }

    /// How many empty fields follow the seventh.
    pub const fn extra_empty_fields(self) -> u8 {
        self.extra_empty
    }

    /// `classic`, `extended-2024`, or `other` (another count of empty
    /// trailing fields, not seen on a card).
    pub const fn name(self) -> &'static str {
        match self.extra_empty {
            0 => "classic",
            4 => "extended-2024",
            _ => "other",
        }
    }
}

/// An old identity number in field 2 (số CMND / CCCD cũ): 9 digits (CMND) or
/// 12 digits (12-digit CMND, or an earlier CCCD number).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OldId {
    digits: [u8; 12],
    len: u8,
}

impl OldId {
    /// Reads exactly 9 or 12 ASCII digits, nothing else (no trimming).
    pub fn parse(s: &str) -> Result<OldId, QrError> {
        let len = s.chars().count();
        if len != 9 && len != 12 {
            return Err(QrError::OldIdLength { len });
        }
        let mut digits = [0u8; 12];
        for (i, c) in s.chars().enumerate() {
            if !c.is_ascii_digit() {
                return Err(QrError::OldIdNotDigit { position: i + 1 });
            }
            // `len` is 9 or 12 and every char is one ASCII byte here.
            digits[i] = c as u8;
        }
        Ok(OldId {
            digits,
            len: len as u8,
        })
    }

    /// The digits as written.
    pub fn as_str(&self) -> &str {
        let bytes = &self.digits[..usize::from(self.len)];
        // Only ASCII digits are ever stored.
        std::str::from_utf8(bytes).unwrap_or_default()
    }

    /// True for a 9-digit CMND number.
    pub fn is_cmnd9(&self) -> bool {
        self.len == 9
    }

    /// The 9-digit CMND, to decode its issuing province
    /// ([`crate::id::Cmnd::issuer`]); `None` for 12 digits.
    pub fn cmnd(&self) -> Option<crate::id::Cmnd> {
        if self.is_cmnd9() {
            crate::id::Cmnd::parse(self.as_str()).ok()
        } else {
            None
        }
    }
}

/// Masked by the one rule ([`crate::id::mask_any`]): a 9-digit number shows
/// nothing, a 12-digit one its first 3 and last 2 digits.
impl std::fmt::Debug for OldId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OldId({})", crate::id::mask_any(self.as_str()))
    }
}

impl std::fmt::Display for OldId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The content of a card's QR code (dữ liệu mã QR trên thẻ), checked: every
/// field well formed, the issue date not before the date of birth.
///
/// Build one with [`CardQr::parse`], [`CardQr::parse_bytes`] or
/// [`CardQr::new`]; turn it back into text with [`CardQr::to_payload`].
///
/// `Debug` shows the masked ID number and the layout only: the payload is
/// personal data and must not end up in logs.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CardQr {
    personal_id: PersonalId,
    old_id: Option<OldId>,
    full_name: String,
    date_of_birth: Date,
    sex: Sex,
    residence: String,
    issue_date: Date,
    layout: Layout,
}

/// The fields of a card, to build a [`CardQr`] for encoding (e.g. to print a
/// specimen card or a test QR code).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardFields {
    /// Field 1: số định danh cá nhân.
    pub personal_id: PersonalId,
    /// Field 2: số CMND/CCCD cũ, `None` for an empty field.
    pub old_id: Option<OldId>,
    /// Field 3: họ và tên, kept as given.
    pub full_name: String,
    /// Field 4: ngày sinh.
    pub date_of_birth: Date,
    /// Field 5: giới tính.
    pub sex: Sex,
    /// Field 6: nơi thường trú, kept as given.
    pub residence: String,
    /// Field 7: ngày cấp.
    pub issue_date: Date,
    /// Which layout to write.
    pub layout: Layout,
}

impl CardQr {
    /// Parses a payload as read from the QR code (see the module docs for
    /// what is accepted). The first problem found, in field order, is
    /// returned.
    pub fn parse(payload: &str) -> Result<CardQr, QrError> {
        let body = payload.trim_end_matches(['\r', '\n']);
        if body.is_empty() {
            return Err(QrError::Empty);
        }
        let mut fields = [""; 7];
        let mut found = 0usize;
        let mut first_bad_extra = None;
        for (i, f) in body.split('|').enumerate() {
            if i < 7 {
                fields[i] = f;
            } else if first_bad_extra.is_none()
                && (!f.is_empty() || i - 7 >= usize::from(MAX_EXTRA_EMPTY_FIELDS))
            {
                first_bad_extra = Some(i + 1);
            }
            found = i + 1;
        }
        if found < 7 {
            return Err(QrError::TooFewFields { found });
        }
        if let Some(first_extra) = first_bad_extra {
            return Err(QrError::TooManyFields { found, first_extra });
        }
        let extra_empty = u8::try_from(found - 7).unwrap_or(u8::MAX);
        let layout = Layout { extra_empty };

        let [id, old, name, dob, sex, residence, issued] = fields;
        let personal_id = parse_personal_id(id)?;
        let old_id = if old.is_empty() {
            None
        } else {
            Some(OldId::parse(old)?)
        };
        check_text(Field::FullName, name, false)?;
        let date_of_birth = parse_date(Field::DateOfBirth, dob)?;
        let sex = parse_sex(sex)?;
        check_text(Field::Residence, residence, false)?;
        let issue_date = parse_date(Field::IssueDate, issued)?;
        if issue_date < date_of_birth {
            return Err(QrError::IssuedBeforeBirth {
                issued: issue_date,
                born: date_of_birth,
            });
        }
        Ok(CardQr {
            personal_id,
            old_id,
            full_name: name.to_owned(),
            date_of_birth,
            sex,
            residence: residence.to_owned(),
            issue_date,
            layout,
        })
    }

    /// Parses the raw bytes of the QR code, reporting bytes that are not
    /// UTF-8 by offset and field, then as [`CardQr::parse`].
    pub fn parse_bytes(payload: &[u8]) -> Result<CardQr, QrError> {
        match std::str::from_utf8(payload) {
            Ok(s) => CardQr::parse(s),
            Err(e) => {
                let byte_offset = e.valid_up_to();
                // `|` is ASCII, so counting it in the valid prefix's bytes is
                // counting fields.
                let field_index = 1 + payload[..byte_offset]
                    .iter()
                    .filter(|&&b| b == b'|')
                    .count();
                Err(QrError::InvalidUtf8 {
                    byte_offset,
                    field_index,
                })
            }
        }
    }

    /// Builds a card from its fields, with the same checks as parsing, plus:
    /// no `|` inside the name or residence.
    pub fn new(fields: CardFields) -> Result<CardQr, QrError> {
        check_text(Field::FullName, &fields.full_name, true)?;
        check_text(Field::Residence, &fields.residence, true)?;
        for (field, date) in [
            (Field::DateOfBirth, fields.date_of_birth),
            (Field::IssueDate, fields.issue_date),
        ] {
            if date.year() < 1 {
                return Err(QrError::DateOutOfRange {
                    field,
                    year: date.year(),
                });
            }
        }
        if fields.issue_date < fields.date_of_birth {
            return Err(QrError::IssuedBeforeBirth {
                issued: fields.issue_date,
                born: fields.date_of_birth,
            });
        }
        Ok(CardQr {
            personal_id: fields.personal_id,
            old_id: fields.old_id,
            full_name: fields.full_name,
            date_of_birth: fields.date_of_birth,
            sex: fields.sex,
            residence: fields.residence,
            issue_date: fields.issue_date,
            layout: fields.layout,
        })
    }

    /// The payload text, exactly as a card of this layout holds it (no line
    /// break; `Nữ` precomposed).
    pub fn to_payload(&self) -> String {
        let mut out =
            String::with_capacity(12 + 12 + self.full_name.len() + self.residence.len() + 32 + 16);
        out.push_str(self.personal_id.as_str());
        out.push('|');
        if let Some(old) = &self.old_id {
            out.push_str(old.as_str());
        }
        out.push('|');
        out.push_str(&self.full_name);
        out.push('|');
        push_date(&mut out, self.date_of_birth);
        out.push('|');
        out.push_str(self.sex.label_vi());
        out.push('|');
        out.push_str(&self.residence);
        out.push('|');
        push_date(&mut out, self.issue_date);
        for _ in 0..self.layout.extra_empty {
            out.push('|');
        }
        out
    }

    /// Field 1: the personal ID number (số định danh cá nhân).
    pub fn personal_id(&self) -> &PersonalId {
        &self.personal_id
    }
    /// Field 2: the old CMND/CCCD number, `None` when the field is empty.
    pub fn old_id(&self) -> Option<&OldId> {
        self.old_id.as_ref()
    }
    /// Field 3: full name (họ và tên), as given.
    pub fn full_name(&self) -> &str {
        &self.full_name
    }
    /// Field 4: date of birth (ngày sinh).
    pub fn date_of_birth(&self) -> Date {
        self.date_of_birth
    }
    /// Field 5: sex (giới tính).
    pub fn sex(&self) -> Sex {
        self.sex
    }
    /// Field 6: place of residence (nơi thường trú), as given.
    pub fn residence(&self) -> &str {
        &self.residence
    }
    /// Field 7: issue date (ngày cấp).
    pub fn issue_date(&self) -> Date {
        self.issue_date
    }
    /// The layout read, or to be written.
    pub fn layout(&self) -> Layout {
        self.layout
    }
}

impl std::fmt::Debug for CardQr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardQr")
            .field("personal_id", &self.personal_id)
            .field("layout", &self.layout.name())
            .finish_non_exhaustive()
    }
}

impl std::str::FromStr for CardQr {
    type Err = QrError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CardQr::parse(s)
    }
}

/// Field 1: the strict ID parser, but nothing trimmed around the digits
/// (the ID parser itself trims surrounding whitespace).
fn parse_personal_id(s: &str) -> Result<PersonalId, QrError> {
    let first = s.chars().next();
    let last = s.chars().next_back();
    if let Some(ch) = first.filter(|c| c.is_whitespace()) {
        return Err(QrError::PersonalId {
            source: IdError::InvalidChar { position: 1, ch },
        });
    }
    if let Some(ch) = last.filter(|c| c.is_whitespace()) {
        return Err(QrError::PersonalId {
            source: IdError::InvalidChar {
                position: s.chars().count(),
                ch,
            },
        });
    }
    PersonalId::parse(s).map_err(|source| QrError::PersonalId { source })
}

/// A text field: non-empty, no control character, and (when building a
/// payload) no separator.
fn check_text(field: Field, s: &str, forbid_separator: bool) -> Result<(), QrError> {
    if s.is_empty() {
        return Err(QrError::EmptyField { field });
    }
    // Byte scan first (the common, clean case): the control characters
    // (`char::is_control`, category Cc) are U+0000–U+001F and U+007F, one byte
    // each in UTF-8, and U+0080–U+009F, encoded C2 80–C2 9F.
    let b = s.as_bytes();
    let suspicious = b.iter().enumerate().any(|(i, &c)| {
        c < 0x20
            || c == 0x7F
            || (forbid_separator && c == b'|')
            || (c == 0xC2 && b.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
    });
    if !suspicious {
        return Ok(());
    }
    for (i, c) in s.chars().enumerate() {
        if c.is_control() {
            return Err(QrError::ControlChar {
                field,
                position: i + 1,
                code: c as u32,
            });
        }
        if forbid_separator && c == '|' {
            return Err(QrError::Separator {
                field,
                position: i + 1,
            });
        }
    }
    Ok(())
}

/// `ddmmyyyy`, eight ASCII digits forming a calendar date.
fn parse_date(field: Field, s: &str) -> Result<Date, QrError> {
    if s.is_empty() {
        return Err(QrError::EmptyField { field });
    }
    let b = s.as_bytes();
    if b.len() != 8 || !s.is_ascii() {
        if let Some(i) = s.chars().take(8).position(|c| !c.is_ascii_digit()) {
            return Err(QrError::DateNotDigit {
                field,
                position: i + 1,
            });
        }
        return Err(QrError::DateLength {
            field,
            len: s.chars().count(),
        });
    }
    if let Some(i) = b.iter().position(|c| !c.is_ascii_digit()) {
        return Err(QrError::DateNotDigit {
            field,
            position: i + 1,
        });
    }
    let n = |r: std::ops::Range<usize>| {
        b[r].iter()
            .fold(0u16, |acc, &d| acc * 10 + u16::from(d - b'0'))
    };
    let (day, month, year) = (n(0..2) as u8, n(2..4) as u8, n(4..8));
    // Year 0000 has no meaning on a card; jiff would accept it.
    let date = if year == 0 {
        None
    } else {
        Date::new(year as i16, month as i8, day as i8).ok()
    };
    date.ok_or(QrError::DateImpossible {
        field,
        day,
        month,
        year,
    })
}

/// `ddmmyyyy`; the year is 1–9999 (checked by the constructors). Written by
/// hand: `write!` costs more than the rest of the encoding.
fn push_date(out: &mut String, d: Date) {
    let year = d.year().clamp(0, 9999) as u16;
    let digits = [
        d.day() as u16 / 10,
        d.day() as u16 % 10,
        d.month() as u16 / 10,
        d.month() as u16 % 10,
        year / 1000,
        year / 100 % 10,
        year / 10 % 10,
        year % 10,
    ];
    for v in digits {
        out.push(char::from(b'0' + v as u8));
    }
}

/// `Nam`, or `Nữ` in NFC (`N` U+1EEF), NFD (`N u` U+031B U+0303) or any
/// other canonically equivalent form.
fn parse_sex(s: &str) -> Result<Sex, QrError> {
    use unicode_normalization::UnicodeNormalization;
    match s {
        "Nam" => Ok(Sex::Male),
        "N\u{1EEF}" | "Nu\u{31B}\u{303}" => Ok(Sex::Female),
        "" => Err(QrError::EmptyField { field: Field::Sex }),
        _ if s.len() <= 16 && s.nfc().eq("N\u{1EEF}".chars()) => Ok(Sex::Female),
        _ => Err(QrError::Sex {
            found: s.chars().take(16).collect(),
        }),
    }
}
