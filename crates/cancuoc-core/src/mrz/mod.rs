//! Machine-readable zone (vùng đọc máy, MRZ) of ICAO Doc 9303 travel
//! documents and the Vietnamese TD1 profile of the chip citizen identity card
//! (thẻ Căn cước công dân gắn chip / thẻ Căn cước).
//!
//! [`parse`] reads TD1 (3 × 30, identity cards), TD2 (2 × 36), TD3 (2 × 44,
//! passports), MRV-A (2 × 44 visas) and MRV-B (2 × 36 visas). It works on bytes,
//! borrows every field from the input (no allocation) and gives a verdict per
//! check digit ([`Mrz::checks`]) and per field ([`Mrz::field_errors`]): a letter
//! in a date or a digit in a name is an error even when every check digit
//! agrees, because check digits are arithmetic only. A zone of the wrong shape
//! (line count or length, a character outside ASCII) is an [`MrzError`] naming
//! the line.
//!
//! Two-digit years are kept raw (`YYMMDD`) and resolved against a `today`
//! argument (the crate has no clock): see [`MrzDate`].
//!
//! [`vn`] encodes the Vietnamese card profile (document number = the last 9
//! digits of the 12-digit personal ID, the full ID in the optional data) and
//! [`parse`] decodes it back ([`Mrz::personal_id`]). [`name`] turns Vietnamese
//! names into MRZ letters (`Nguyễn` → `NGUYEN`, never `NGUYN`) with the ICAO
//! truncation rules. [`bac`] derives the Basic Access Control key seed.

pub mod bac;
mod check;
mod date;
mod error;
pub mod name;
mod parse;
pub mod vn;

pub use check::{char_value, check_digit, check_digit_parts, is_mrz_char};
pub use date::{Expiry, MrzDate};
pub use error::{FieldError, FieldErrorKind, MrzError};
pub use name::NameParts;
pub use parse::parse;

use crate::person::{PartialDate, Sex};
use jiff::civil::Date;

/// The document format (khuôn dạng), by size and document code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// 3 lines × 30: identity cards (thẻ căn cước), ICAO Doc 9303 Part 5.
    Td1,
    /// 2 lines × 36: official travel documents, Part 6.
    Td2,
    /// 2 lines × 44: passports (hộ chiếu), Part 4.
    Td3,
    /// 2 lines × 44, document code `V`: visa format A (thị thực), Part 7.
    MrvA,
    /// 2 lines × 36, document code `V`: visa format B, Part 7.
    MrvB,
}

impl Format {
    /// `TD1`, `TD2`, `TD3`, `MRVA` or `MRVB`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Td1 => "TD1",
            Format::Td2 => "TD2",
            Format::Td3 => "TD3",
            Format::MrvA => "MRVA",
            Format::MrvB => "MRVB",
        }
    }
    /// Number of lines (2 or 3).
    pub const fn lines(self) -> usize {
        match self {
            Format::Td1 => 3,
            _ => 2,
        }
    }
    /// Characters per line (30, 36 or 44).
    pub const fn width(self) -> usize {
        match self {
            Format::Td1 => 30,
            Format::Td2 | Format::MrvB => 36,
            Format::Td3 | Format::MrvA => 44,
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A field of the zone (trường dữ liệu), as named in checks and errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// Document code (mã loại giấy tờ), e.g. `ID`, `P<`, `V<`.
    DocumentCode,
    /// Issuing state or organisation (quốc gia cấp), e.g. `VNM`.
    IssuingState,
    /// Document number (số giấy tờ); for Vietnamese cards the last 9 digits
    /// of the personal ID.
    DocumentNumber,
    /// Date of birth (ngày sinh), `YYMMDD`.
    BirthDate,
    /// Sex (giới tính): `M`, `F` or `<`.
    Sex,
    /// Date of expiry (ngày hết hạn), `YYMMDD`.
    ExpiryDate,
    /// Nationality (quốc tịch), e.g. `VNM`.
    Nationality,
    /// Optional data (dữ liệu tùy chọn): TD1 line 1, TD2 and MRV line 2.
    OptionalData,
    /// Second optional data field of TD1 (line 2).
    OptionalData2,
    /// Personal number of TD3 (số cá nhân).
    PersonalNumber,
    /// Name (họ và tên): primary and secondary identifiers.
    Names,
    /// The composite check digit over the zone (chữ số kiểm tra tổng hợp).
    Composite,
    /// Vietnamese profile: the 12-digit personal ID (số định danh cá nhân) in
    /// the optional data of line 1, with its check digit at position 30.
    PersonalId,
}

impl Field {
    /// Stable snake-case name used in JSON: `document_number`, `birth_date` …
    pub const fn as_str(self) -> &'static str {
        match self {
            Field::DocumentCode => "document_code",
            Field::IssuingState => "issuing_state",
            Field::DocumentNumber => "document_number",
            Field::BirthDate => "birth_date",
            Field::Sex => "sex",
            Field::ExpiryDate => "expiry_date",
            Field::Nationality => "nationality",
            Field::OptionalData => "optional_data",
            Field::OptionalData2 => "optional_data_2",
            Field::PersonalNumber => "personal_number",
            Field::Names => "names",
            Field::Composite => "composite",
            Field::PersonalId => "personal_id",
        }
    }
    /// Vietnamese label, for messages.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Field::DocumentCode => "mã loại giấy tờ",
            Field::IssuingState => "quốc gia cấp",
            Field::DocumentNumber => "số giấy tờ",
            Field::BirthDate => "ngày sinh",
            Field::Sex => "giới tính",
            Field::ExpiryDate => "ngày hết hạn",
            Field::Nationality => "quốc tịch",
            Field::OptionalData => "dữ liệu tùy chọn",
            Field::OptionalData2 => "dữ liệu tùy chọn 2",
            Field::PersonalNumber => "số cá nhân",
            Field::Names => "họ tên",
            Field::Composite => "tổng hợp",
            Field::PersonalId => "số định danh cá nhân",
        }
    }
    /// English label, for messages.
    pub const fn label_en(self) -> &'static str {
        match self {
            Field::DocumentCode => "document code",
            Field::IssuingState => "issuing state",
            Field::DocumentNumber => "document number",
            Field::BirthDate => "date of birth",
            Field::Sex => "sex",
            Field::ExpiryDate => "date of expiry",
            Field::Nationality => "nationality",
            Field::OptionalData => "optional data",
            Field::OptionalData2 => "optional data 2",
            Field::PersonalNumber => "personal number",
            Field::Names => "name",
            Field::Composite => "composite",
            Field::PersonalId => "personal ID number",
        }
    }
}

/// The verdict on one check digit (chữ số kiểm tra).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckResult {
    /// The field the digit protects ([`Field::Composite`] for the composite).
    pub field: Field,
    /// Whether the printed digit equals the computed one.
    pub ok: bool,
    /// The printed character (a digit, or `<` where a filler is allowed).
    pub found: u8,
    /// The computed digit; `None` when the covered data holds a character
    /// outside the MRZ set.
    pub computed: Option<u8>,
    /// Line of the printed digit, 1-based.
    pub line: u8,
    /// Column of the printed digit, 1-based.
    pub column: u8,
}

/// A document number (số giấy tờ), possibly longer than its 9-character field:
/// ICAO Parts 5 and 6 put the rest at the start of the optional data, with the
/// check digit after it and a `<` in the usual check-digit position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocumentNumber<'a> {
    principal: &'a str,
    extension: &'a str,
}

impl<'a> DocumentNumber<'a> {
    /// The characters in the document-number field, trailing fillers removed.
    pub fn principal(&self) -> &'a str {
        self.principal
    }
    /// The characters continued in the optional data (empty when none).
    pub fn extension(&self) -> &'a str {
        self.extension
    }
    /// Whether the number overflowed into the optional data.
    pub fn is_long(&self) -> bool {
        !self.extension.is_empty()
    }
}

impl std::fmt::Display for DocumentNumber<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.principal)?;
        f.write_str(self.extension)
    }
}

/// Maximum number of check digits of any format (TD3: 5; TD1 Vietnamese: 5).
const MAX_CHECKS: usize = 6;
/// Field errors kept per zone: one per field at most.
const MAX_ERRORS: usize = 14;

/// A parsed machine-readable zone, borrowing its fields from the input.
///
/// Built by [`parse`]. Every accessor is a slice of the input; the name
/// accessors split lazily ([`Mrz::surname`], [`Mrz::given_names`]) and have
/// owned conveniences ([`Mrz::surname_string`], [`Mrz::given_names_string`]).
#[derive(Clone, Debug)]
pub struct Mrz<'a> {
    format: Format,
    lines: [&'a str; 3],
    document_code: &'a str,
    issuing_state: &'a str,
    document_number: DocumentNumber<'a>,
    birth_date: MrzDate<'a>,
    sex: u8,
    expiry_date: MrzDate<'a>,
    nationality: &'a str,
    optional_data: &'a str,
    optional_data_2: Option<&'a str>,
    names: &'a str,
    personal_id: Option<&'a str>,
    checks: [CheckResult; MAX_CHECKS],
    n_checks: u8,
    errors: [FieldError; MAX_ERRORS],
    n_errors: u8,
}

impl<'a> Mrz<'a> {
    /// The format, from the shape and the document code.
    pub fn format(&self) -> Format {
        self.format
    }
    /// The input lines (two or three), trimmed.
    pub fn lines(&self) -> &[&'a str] {
        &self.lines[..self.format.lines()]
    }
    /// The two-character document code, fillers kept (`ID`, `I<`, `P<`).
    pub fn document_code(&self) -> &'a str {
        self.document_code
    }
    /// The issuing state or organisation, fillers removed (`VNM`, `D`).
    pub fn issuing_state(&self) -> &'a str {
        trim_fillers(self.issuing_state)
    }
    /// The document number, joined across the overflow when it is long.
    pub fn document_number(&self) -> DocumentNumber<'a> {
        self.document_number
    }
    /// The date of birth as printed.
    pub fn birth_date(&self) -> MrzDate<'a> {
        self.birth_date
    }
    /// The date of birth resolved against `today` (see [`MrzDate::birth`]).
    pub fn birth_date_on(&self, today: Date) -> Option<PartialDate> {
        self.birth_date.birth(today)
    }
    /// Sex: `Some(Male)` for `M`, `Some(Female)` for `F`, `None` for `<`
    /// (unspecified) or an invalid character (then a field error exists).
    pub fn sex(&self) -> Option<Sex> {
        match self.sex {
            b'M' => Some(Sex::Male),
            b'F' => Some(Sex::Female),
            _ => None,
        }
    }
    /// The sex character as printed.
    pub fn sex_char(&self) -> char {
        char::from(self.sex)
    }
    /// The date of expiry as printed.
    pub fn expiry_date(&self) -> MrzDate<'a> {
        self.expiry_date
    }
    /// The date of expiry resolved against `today`: [`Expiry::Never`] for
    /// `991231` on a Vietnamese card (thẻ không thời hạn), otherwise see
    /// [`MrzDate::expiry`].
    pub fn expiry_on(&self, today: Date) -> Option<Expiry> {
        if self.personal_id.is_some() && self.expiry_date.raw() == vn::NO_EXPIRY {
            return Some(Expiry::Never);
        }
        self.expiry_date.expiry(today).map(Expiry::On)
    }
    /// The nationality, fillers removed (`VNM`, `D`).
    pub fn nationality(&self) -> &'a str {
        trim_fillers(self.nationality)
    }
    /// The (first) optional data field after any document-number overflow,
    /// trailing fillers removed; the personal number for TD3.
    pub fn optional_data(&self) -> &'a str {
        trim_fillers(self.optional_data)
    }
    /// TD1's second optional data field (line 2), trailing fillers removed.
    pub fn optional_data_2(&self) -> Option<&'a str> {
        self.optional_data_2.map(trim_fillers)
    }
    /// The raw name field, fillers kept.
    pub fn name_field(&self) -> &'a str {
        self.names
    }
    /// Surname components (primary identifier, họ): the part before `<<`.
    pub fn surname(&self) -> NameParts<'a> {
        name::split_name_field(self.names).0
    }
    /// Given-name components (secondary identifier, tên đệm và tên).
    pub fn given_names(&self) -> NameParts<'a> {
        name::split_name_field(self.names).1
    }
    /// Surname with components joined by spaces: `ERIKSSON`.
    pub fn surname_string(&self) -> String {
        self.surname().joined()
    }
    /// Given names joined by spaces: `ANNA MARIA`.
    pub fn given_names_string(&self) -> String {
        self.given_names().joined()
    }
    /// For a Vietnamese card (TD1, issuing state `VNM`, code `I…`): the
    /// 12-digit personal ID (số định danh cá nhân) from the optional data.
    /// `Some` only when the 12 positions are digits; its checks are in
    /// [`Mrz::checks`] and [`Mrz::field_errors`].
    pub fn personal_id(&self) -> Option<&'a str> {
        self.personal_id
    }
    /// Whether the zone follows the Vietnamese card profile.
    pub fn is_vietnamese_card(&self) -> bool {
        self.format == Format::Td1
            && self.issuing_state == "VNM"
            && self.document_code.as_bytes().first() == Some(&b'I')
    }
    /// The verdict on every check digit the format prints, in zone order.
    pub fn checks(&self) -> &[CheckResult] {
        &self.checks[..usize::from(self.n_checks)]
    }
    /// The field errors: characters or values a field may not hold.
    pub fn field_errors(&self) -> &[FieldError] {
        &self.errors[..usize::from(self.n_errors)]
    }
    /// Whether every check digit agrees and no field has an error.
    pub fn is_valid(&self) -> bool {
        self.n_errors == 0 && self.checks().iter().all(|c| c.ok)
    }
    /// Whether `field` is free of errors and its check digit (if any) agrees.
    pub fn field_ok(&self, field: Field) -> bool {
        self.checks().iter().all(|c| c.field != field || c.ok)
            && self.field_errors().iter().all(|e| e.field != field)
    }
}

/// `s` without trailing `<` fillers.
fn trim_fillers(s: &str) -> &str {
    s.trim_end_matches('<')
}

#[cfg(test)]
mod tests;
