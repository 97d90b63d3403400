//! The Vietnamese TD1 profile of the chip identity card (thẻ Căn cước công
//! dân gắn chip, thẻ Căn cước), DESIGN.md §2.2, Circular 06/2021/TT-BCA.
//!
//! ```text
//! line 1: I D V N M d d d d d d d d d c p p p p p p p p p p p p < < k
//!         1 2 3 4 5 6 ...         14 15 16 ...              27 28 29 30
//! ```
//! - 1–2 `ID`, 3–5 `VNM`; 6–14 document number = the **last 9 digits** of the
//!   12-digit personal ID (số định danh cá nhân); 15 its check digit;
//! - 16–27 the full 12-digit personal ID; 28–29 `<<`; 30 check digit of the 12
//!   digits (5 + 9 + 1 + 12 + 2 + 1 = 30 characters).
//! - line 2: birth date `YYMMDD` + check, sex `M`/`F`, expiry `YYMMDD` + check
//!   (`991231` = no expiry, không thời hạn), `VNM`, 11 fillers, composite check.
//! - line 3: `SURNAME<<GIVEN<NAMES`, Vietnamese letters folded ([`super::name`]).
//!
//! Decoding is part of [`super::parse`]: a TD1 zone with state `VNM` and a
//! code starting with `I` is checked against this profile (check `personal_id`,
//! errors on the 12 digits, the `<<`, and the last-9-digits rule) and
//! [`super::Mrz::personal_id`] returns the 12 digits; [`VnCard`] gathers the
//! card data.

use super::{Expiry, Mrz, check_digit, name};
use crate::i18n::Localized;
use crate::id::PersonalId;
use crate::person::{PartialDate, Sex};
use jiff::civil::Date;

/// The expiry printed for a card without expiry (thẻ không thời hạn).
pub const NO_EXPIRY: &str = "991231";

/// The data printed into a Vietnamese card's zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CardData<'a> {
    /// The 12-digit personal ID (số định danh cá nhân), e.g. `001099012345`.
    pub personal_id: PersonalId,
    /// Full name as on the card (họ và tên): surname first, with diacritics.
    pub full_name: &'a str,
    /// The surname (họ) when the record names it; `None` takes a known
    /// compound surname or else the first word
    /// ([`name::split_vietnamese`]).
    pub surname: Option<&'a str>,
    /// Date of birth (ngày sinh).
    pub birth_date: Date,
    /// Sex (giới tính).
    pub sex: Sex,
    /// Date of expiry (có giá trị đến); `None` = no expiry (`991231`).
    pub expiry: Option<Date>,
}

/// The three lines of an encoded zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodedMrz {
    /// Lines 1–3, 30 characters each.
    pub lines: [String; 3],
    /// Whether the name had to be truncated to fit line 3.
    pub name_truncated: bool,
}

impl std::fmt::Display for EncodedMrz {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n{}\n{}", self.lines[0], self.lines[1], self.lines[2])
    }
}

/// Why card data cannot be encoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The name has no writable letter.
    #[error(transparent)]
    Name(#[from] name::NameError),
    /// The expiry date is before the birth date.
    #[error("expiry {expiry} is before birth {birth}")]
    ExpiryBeforeBirth {
        /// Date of birth.
        birth: Date,
        /// Date of expiry.
        expiry: Date,
    },
    /// The expiry date would be written `991231`, which this profile reads
    /// as "no expiry" (31 December of a year ending in 99).
    #[error("expiry {expiry} would be written 991231, read as no expiry")]
    ExpiryReadsAsNone {
        /// Date of expiry.
        expiry: Date,
    },
}

impl Localized for EncodeError {
    fn code(&self) -> &'static str {
        match self {
            EncodeError::Name(e) => e.code(),
            EncodeError::ExpiryBeforeBirth { .. } => "mrz.encode.expiry_before_birth",
            EncodeError::ExpiryReadsAsNone { .. } => "mrz.encode.expiry_reads_as_none",
        }
    }
    fn message_vi(&self) -> String {
        match self {
            EncodeError::Name(e) => e.message_vi(),
            EncodeError::ExpiryBeforeBirth { birth, expiry } => {
                format!("Ngày hết hạn {expiry} trước ngày sinh {birth}")
            }
            EncodeError::ExpiryReadsAsNone { expiry } => format!(
                "Ngày hết hạn {expiry} sẽ được ghi là {NO_EXPIRY}, mã dành cho thẻ không thời hạn"
            ),
        }
    }
    fn message_en(&self) -> String {
        match self {
            EncodeError::Name(e) => e.message_en(),
            EncodeError::ExpiryBeforeBirth { birth, expiry } => {
                format!("Expiry date {expiry} is before the date of birth {birth}")
            }
            EncodeError::ExpiryReadsAsNone { expiry } => format!(
                "Expiry date {expiry} would be written {NO_EXPIRY}, the code for a card without expiry"
            ),
        }
    }
}

fn push_yymmdd(out: &mut String, d: Date) {
    use std::fmt::Write;
    // Writing into a String cannot fail.
    let _ = write!(
        out,
        "{:02}{:02}{:02}",
        d.year().rem_euclid(100),
        d.month(),
        d.day()
    );
}

fn push_check(out: &mut String, from: usize) {
    let d = check_digit(&out.as_bytes()[from..]).unwrap_or(0);
    out.push(char::from(b'0' + d));
}

/// Encodes a Vietnamese card's zone (three lines of 30).
///
/// ```
/// use cancuoc_core::id::PersonalId;
/// use cancuoc_core::mrz::vn::{encode, CardData};
/// use cancuoc_core::person::Sex;
/// use jiff::civil::date;
/// let mrz = encode(&CardData {
///     personal_id: PersonalId::parse("001099012345").unwrap(),
///     full_name: "Nguyễn Văn An",
///     surname: None,
///     birth_date: date(1999, 1, 1),
///     sex: Sex::Male,
///     expiry: Some(date(2024, 1, 1)),
/// })
/// .unwrap();
/// assert_eq!(mrz.lines[0], "IDVNM0990123459001099012345<<0");
/// assert_eq!(mrz.lines[2], "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<");
/// ```
pub fn encode(card: &CardData<'_>) -> Result<EncodedMrz, EncodeError> {
    let id = card.personal_id.as_str();
    if let Some(expiry) = card.expiry.filter(|e| *e < card.birth_date) {
        return Err(EncodeError::ExpiryBeforeBirth {
            birth: card.birth_date,
            expiry,
        });
    }
    if let Some(expiry) = card
        .expiry
        .filter(|e| e.year().rem_euclid(100) == 99 && e.month() == 12 && e.day() == 31)
    {
        return Err(EncodeError::ExpiryReadsAsNone { expiry });
    }
    let (surname, given) = match card.surname {
        Some(s) => name::split_with_surname(card.full_name, s)?,
        None => name::split_vietnamese(card.full_name),
    };
    let name = name::encode(surname, given, 30)?;

    let mut l1 = String::with_capacity(30);
    l1.push_str("IDVNM");
    l1.push_str(&id[3..]);
    push_check(&mut l1, 5);
    l1.push_str(id);
    l1.push_str("<<");
    push_check_of(&mut l1, id);

    let mut l2 = String::with_capacity(30);
    push_yymmdd(&mut l2, card.birth_date);
    push_check(&mut l2, 0);
    l2.push(match card.sex {
        Sex::Male => 'M',
        Sex::Female => 'F',
    });
    match card.expiry {
        Some(d) => push_yymmdd(&mut l2, d),
        None => l2.push_str(NO_EXPIRY),
    }
    push_check(&mut l2, 8);
    l2.push_str("VNM<<<<<<<<<<<");
    let composite = super::check_digit_parts(&[
        &l1.as_bytes()[5..30],
        &l2.as_bytes()[0..7],
        &l2.as_bytes()[8..15],
        &l2.as_bytes()[18..29],
    ])
    .unwrap_or(0);
    l2.push(char::from(b'0' + composite));

    Ok(EncodedMrz {
        lines: [l1, l2, name.text],
        name_truncated: name.truncated,
    })
}

fn push_check_of(out: &mut String, data: &str) {
    let d = check_digit(data.as_bytes()).unwrap_or(0);
    out.push(char::from(b'0' + d));
}

/// The card data read back from a Vietnamese zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VnCard {
    /// The 12-digit personal ID (số định danh cá nhân).
    pub personal_id: PersonalId,
    /// Surname as in the zone (họ), e.g. `NGUYEN`.
    pub surname: String,
    /// Given names as in the zone (tên đệm và tên), e.g. `VAN AN`.
    pub given_names: String,
    /// Date of birth, resolved against `today`.
    pub birth_date: Option<PartialDate>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Expiry ([`Expiry::Never`] for `991231`).
    pub expiry: Option<Expiry>,
    /// Whether every check and field of the zone is valid.
    pub valid: bool,
}

impl VnCard {
    /// Reads the card data from a parsed zone; `None` when the zone is not a
    /// Vietnamese card or its personal ID is not 12 digits.
    pub fn from_mrz(mrz: &Mrz<'_>, today: Date) -> Option<VnCard> {
        Some(VnCard {
            personal_id: PersonalId::parse(mrz.personal_id()?).ok()?,
            surname: mrz.surname_string(),
            given_names: mrz.given_names_string(),
            birth_date: mrz.birth_date_on(today),
            sex: mrz.sex(),
            expiry: mrz.expiry_on(today),
            valid: mrz.is_valid(),
        })
    }
}
