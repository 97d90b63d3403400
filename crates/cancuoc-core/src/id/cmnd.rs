//! Old identity card numbers (số chứng minh nhân dân, CMND), void since
//! 31 Dec 2024 but still found in records, QR payloads and DG13.
//!
//! - **9-digit CMND** (1957–2015): the leading digits name the issuing
//!   provincial police (`data/cmnd-prefixes.tsv`). Prefixes are 2 or 3 digits
//!   and the longest match wins (`230…` is Gia Lai, `23…` Kon Tum). A prefix
//!   may name several provinces: numbers were shared before the provinces
//!   split.
//! - **12-digit CMND** (issued 2012–2015, seed 003 §2.1): they share the
//!   layout of the personal ID (`PPP G YY RRRRRR`), so **the digits alone
//!   cannot tell the two apart**. [`classify`] reports every kind a string
//!   could be; it rules out a 12-digit CMND only where one could not exist:
//!   a region that is not one of the 63 provinces (CMNDs were issued by
//!   provincial police, never abroad) or a birth year after 2001 (the holder
//!   had to be at least 14 by the end of 2015).

use super::error::IdError;
use super::number::{PersonalId, scan_lenient, scan_strict};
use super::tables::{self, CMND};
use serde::Serialize;

/// Digits in an old CMND number.
pub const CMND_DIGITS: usize = 9;

/// Last birth year a 12-digit CMND holder can have: 14 years old by the end
/// of 2015, when CMNDs stopped being issued.
pub const CMND12_MAX_BIRTH_YEAR: i16 = 2001;

/// An old 9-digit identity card number (số chứng minh nhân dân 9 số).
/// `Debug` prints it fully masked.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cmnd([u8; CMND_DIGITS]);

/// The issuing province(s) of a 9-digit CMND (nơi cấp CMND).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CmndIssuer {
    /// The matched prefix as written in the table, e.g. `23` or `230`.
    pub prefix: &'static str,
    /// The provinces that prefix names (Vietnamese), one or several.
    pub provinces: &'static [&'static str],
}

impl Cmnd {
    /// Strict parse: exactly 9 ASCII digits after trimming, with the same
    /// error kinds as [`PersonalId::parse`] (`expected` = 9).
    pub fn parse(s: &str) -> Result<Self, IdError> {
        scan_strict::<CMND_DIGITS>(s).map(Self)
    }

    /// Lenient parse: separators between digit groups allowed, as
    /// [`PersonalId::parse_lenient_input`].
    pub fn parse_lenient_input(s: &str) -> Result<Self, IdError> {
        scan_lenient::<CMND_DIGITS>(s).map(Self)
    }

    /// The 9 digits as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// The issuing province(s), matching the longest prefix first; `None`
    /// when no prefix of the table matches (e.g. `09…` other than 090–092,
    /// 095). Never allocates.
    pub fn issuer(&self) -> Option<CmndIssuer> {
        let d = |i: usize| usize::from(self.0[i] - b'0');
        let three = d(0) * 100 + d(1) * 10 + d(2);
        let two = d(0) * 10 + d(1);
        let t = &*CMND;
        let idx = match t.by3.get(three).copied() {
            Some(i) if i != u8::MAX => i,
            _ => t.by2.get(two).copied().filter(|&i| i != u8::MAX)?,
        };
        t.rows.get(usize::from(idx)).map(|r| CmndIssuer {
            prefix: r.prefix,
            provinces: &r.provinces,
        })
    }
}

impl std::fmt::Display for Cmnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Cmnd {
    /// Masked by the one rule ([`super::mask_any`]), which shows nothing of
    /// a 9-digit number: `Cmnd(*********)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cmnd({})", super::mask_any(self.as_str()))
    }
}

impl Serialize for Cmnd {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A kind of identity number a string may be (loại số giấy tờ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Personal ID / citizen identity card number (số định danh cá nhân).
    PersonalId,
    /// 12-digit CMND (CMND 12 số).
    Cmnd12,
    /// 9-digit CMND (CMND 9 số).
    Cmnd9,
}

/// Which kinds a string could be ([`classify`]). Several may hold at once:
/// a 12-digit number is usually both a possible personal ID and a possible
/// 12-digit CMND.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Classification {
    /// 12 digits: any such string is a possible personal ID (its region may
    /// still be unknown; see [`PersonalId::decode`]).
    pub personal_id: bool,
    /// 12 digits whose region is one of the 63 provinces and whose birth
    /// year is 1900–2001.
    pub cmnd12: bool,
    /// 9 digits.
    pub cmnd9: bool,
}

impl Classification {
    /// The kinds that hold, in the order personal ID, 12-digit CMND, 9-digit
    /// CMND.
    pub fn kinds(&self) -> impl Iterator<Item = DocumentKind> + use<> {
        [
            (self.personal_id, DocumentKind::PersonalId),
            (self.cmnd12, DocumentKind::Cmnd12),
            (self.cmnd9, DocumentKind::Cmnd9),
        ]
        .into_iter()
        .filter_map(|(on, k)| on.then_some(k))
    }

    /// True when no kind fits.
    pub fn is_none(&self) -> bool {
        !(self.personal_id || self.cmnd12 || self.cmnd9)
    }

    /// True when more than one kind fits (the digits alone cannot decide).
    pub fn is_ambiguous(&self) -> bool {
        self.kinds().count() > 1
    }
}

/// Says which kinds of identity number `s` could be, from its digits alone.
/// Lenient input (separators between digit groups) is accepted.
pub fn classify(s: &str) -> Classification {
    let mut c = Classification::default();
    if let Ok(id) = PersonalId::parse_lenient_input(s) {
        c.personal_id = true;
        let year = 1900 + i16::from(id.century_sex_digit() / 2) * 100 + i16::from(id.year_digits());
        c.cmnd12 = matches!(
            tables::region(id.region_code()),
            tables::RegionEntry::Province(_)
        ) && year <= CMND12_MAX_BIRTH_YEAR;
    } else if Cmnd::parse_lenient_input(s).is_ok() {
        c.cmnd9 = true;
    }
    c
}
