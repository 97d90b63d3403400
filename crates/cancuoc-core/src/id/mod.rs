//! Personal identification numbers (số định danh cá nhân) and old CMND numbers
//! (số chứng minh nhân dân).
//!
//! A personal ID is 12 digits `PPP G YY RRRRRR` (Decree 137/2015/NĐ-CP
//! Art. 13): `PPP` the province (001–096) or, for births registered abroad,
//! the country (101–295) of birth registration; `G` century and sex (0/1 =
//! 1900s male/female … 8/9 = 2300s); `YY` the last two digits of the birth
//! year; `RRRRRR` a random serial. There is no check digit.
//!
//! - [`PersonalId::parse`] (strict) and [`PersonalId::parse_lenient_input`]
//!   (`001 099 012345`) read one; every failure is an [`IdError`] naming the
//!   position, character or digit count.
//! - [`PersonalId::decode`] explains it ([`Decoded`]); [`DecodeMode`] says
//!   whether an unknown region is an error. Decoding never allocates, for the
//!   bulk checker.
//! - [`PersonalId::check_consistency`] compares it with a claimed date of
//!   birth and sex ([`Mismatch`]).
//! - [`mask`] / [`mask_any`]: the one masking rule for logs and screens,
//!   `079*******34`; `Debug` of a [`PersonalId`] is masked. [`mask_numbers`]
//!   and [`mask_uri`] apply it to every number inside free text or a
//!   request path and query.
//! - [`Cmnd`] (9-digit CMND, issuing province) and [`classify`] (which kinds
//!   a string could be: a 12-digit CMND looks like a personal ID).
//! - [`alloc`]: handing out new numbers, unique and unpredictable, from a
//!   per-prefix counter.

pub mod alloc;
mod cmnd;
mod decode;
mod error;
mod masking;
mod number;
mod tables;

#[cfg(test)]
mod tests;

pub use cmnd::{
    CMND_DIGITS, CMND12_MAX_BIRTH_YEAR, Classification, Cmnd, CmndIssuer, DocumentKind, classify,
};
pub use decode::{
    DecodeMode, Decoded, MAX_BIRTH_YEAR, MIN_BIRTH_YEAR, Mismatch, Region, century_and_sex,
    century_sex_digit,
};
pub use error::IdError;
pub use masking::{
    MASK_CHAR, MASK_KEEP_END, MASK_KEEP_START, MASK_MIN_DIGITS, Masked, mask, mask_any,
    mask_numbers, mask_uri,
};
pub use number::{ID_DIGITS, PersonalId};

/// Strict parse then decode in `mode`: the whole check of one number.
/// Never allocates.
#[inline]
pub fn decode(s: &str, mode: DecodeMode) -> Result<Decoded, IdError> {
    PersonalId::parse(s)?.decode(mode)
}

/// The 63 province codes with their Vietnamese names (mã tỉnh), by code.
pub fn provinces() -> impl Iterator<Item = (u16, &'static str)> {
    (0u16..1000).filter_map(|c| match Region::from_code(c) {
        Region::Province { name, .. } => Some((c, name)),
        _ => None,
    })
}

/// The country codes 101–295 with their Vietnamese names (mã quốc gia), by
/// code. Informative: one transcribed source; 113/114 and 147/148 name the
/// same country twice.
pub fn countries() -> impl Iterator<Item = (u16, &'static str)> {
    (0u16..1000).filter_map(|c| match Region::from_code(c) {
        Region::Country { name, .. } => Some((c, name)),
        _ => None,
    })
}
