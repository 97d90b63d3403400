//! Allocation of new personal ID numbers (cấp số định danh mới).
//!
//! For a prefix `PPP G YY` ([`IdPrefix`]), the 6-digit serials are handed out
//! by a keyed pseudorandom permutation of 0..=999 999 evaluated at a
//! per-prefix counter: index 0, 1, 2 … gives serials that are all different
//! (it is a permutation) and unpredictable without the key (it is keyed), and
//! nothing but the counter has to be stored. The caller (the issuance
//! service) persists one counter per prefix and calls
//! [`Allocator::allocate`] with the next index; reaching 1 000 000 is
//! [`AllocError::Exhausted`], never a wrap-around.
//!
//! The permutation is a balanced Feistel network on 20 bits (two 10-bit
//! halves) with cycle walking down to the 10⁶ domain; its round function is
//! keyed SipHash-2-4 (`siphasher` crate) over the prefix (the tweak), the
//! round number and the half. Hand-rolled because no maintained crate offers a
//! small-domain tweakable permutation without pulling a block cipher (FF1/FF3
//! crates need AES) into the pure core.

use super::decode::{Region, century_sex_digit};
use super::number::{ID_DIGITS, PersonalId};
use crate::i18n::Localized;
use crate::person::Sex;
use serde::Serialize;
use siphasher::sip::SipHasher24;
use std::hash::Hasher;

/// Serials per prefix: 000000–999999.
pub const SERIALS_PER_PREFIX: u32 = 1_000_000;

/// Feistel rounds. Luby–Rackoff's 3–4 rounds are only proven secure up to
/// about 2^(n/2) = 32 queries for n = 10-bit halves, far fewer than the
/// serials an observer of one prefix may see; more rounds push the bound
/// towards the whole domain (Patarin), and the format-preserving-encryption
/// standards for domains this small use 8 (NIST FF3-1) to 10 (NIST FF1)
/// rounds. We take FF1's 10; the cost is ~10 SipHash calls per serial.
const ROUNDS: u8 = 10;
const HALF_BITS: u32 = 10;
const HALF_MASK: u32 = (1 << HALF_BITS) - 1;
/// Domain separation, so the same key used elsewhere gives unrelated output.
const DOMAIN: &[u8] = b"cancuoc/id-serial/v1";

/// The first six digits of a personal ID, `PPP G YY` (tiền tố: mã nơi đăng
/// ký khai sinh, mã thế kỷ và giới tính, mã năm sinh): the unit within which
/// serials are allocated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdPrefix([u8; 6]);

impl IdPrefix {
    /// The prefix for a birth registered at `region_code` (a province
    /// 001–096 or a country 101–295 from the tables), of `sex`, born in
    /// `birth_year` (1900–2399).
    pub fn new(region_code: u16, sex: Sex, birth_year: i16) -> Result<Self, AllocError> {
        if !Region::from_code(region_code).is_known() {
            return Err(AllocError::UnknownRegion { code: region_code });
        }
        let g = century_sex_digit(sex, birth_year)
            .ok_or(AllocError::BirthYearOutOfRange { year: birth_year })?;
        let yy = birth_year.rem_euclid(100) as u8;
        Ok(Self([
            b'0' + (region_code / 100) as u8,
            b'0' + (region_code / 10 % 10) as u8,
            b'0' + (region_code % 10) as u8,
            b'0' + g,
            b'0' + yy / 10,
            b'0' + yy % 10,
        ]))
    }

    /// The prefix of an existing number; its region must be in the tables.
    pub fn of(id: &PersonalId) -> Result<Self, AllocError> {
        let code = id.region_code();
        if !Region::from_code(code).is_known() {
            return Err(AllocError::UnknownRegion { code });
        }
        let mut p = [0u8; 6];
        p.copy_from_slice(&id.as_bytes()[..6]);
        Ok(Self(p))
    }

    /// The six digits as text, e.g. `001199`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// The six digits as a number, 0–999 999 (the permutation's tweak).
    pub fn value(&self) -> u32 {
        self.0
            .iter()
            .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0'))
    }

    /// The full number for a serial 0–999 999.
    fn with_serial(&self, serial: u32) -> PersonalId {
        let mut digits = [b'0'; ID_DIGITS];
        digits[..6].copy_from_slice(&self.0);
        let mut s = serial % SERIALS_PER_PREFIX;
        for d in digits[6..].iter_mut().rev() {
            *d = b'0' + (s % 10) as u8;
            s /= 10;
        }
        PersonalId::from_ascii_digits(digits)
    }
}

impl std::fmt::Display for IdPrefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for IdPrefix {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Why a number could not be allocated (lỗi cấp số).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AllocError {
    /// The region code is in neither table.
    #[error("region code {code:03} is neither a known province nor a known country code")]
    UnknownRegion {
        /// The code given.
        code: u16,
    },
    /// The birth year cannot be encoded (1900–2399 only).
    #[error("birth year {year} is outside 1900–2399")]
    BirthYearOutOfRange {
        /// The year given.
        year: i16,
    },
    /// Every serial of the prefix has been handed out (index ≥ 1 000 000).
    #[error("prefix {prefix} is exhausted: index {index} ≥ 1000000")]
    Exhausted {
        /// The prefix.
        prefix: IdPrefix,
        /// The index asked for.
        index: u32,
    },
}

impl Localized for AllocError {
    fn code(&self) -> &'static str {
        match self {
            AllocError::UnknownRegion { .. } => "id.alloc.unknown_region",
            AllocError::BirthYearOutOfRange { .. } => "id.alloc.year_out_of_range",
            AllocError::Exhausted { .. } => "id.alloc.exhausted",
        }
    }
    fn message_vi(&self) -> String {
        match *self {
            AllocError::UnknownRegion { code } => format!(
                "Mã nơi đăng ký khai sinh {code:03} không phải mã tỉnh (001–096) hay mã quốc gia (101–295) đã biết"
            ),
            AllocError::BirthYearOutOfRange { year } => {
                format!("Năm sinh {year} nằm ngoài khoảng số định danh mã hóa được (1900–2399)")
            }
            AllocError::Exhausted { prefix, index } => format!(
                "Tiền tố {prefix} đã hết số: chỉ số {index} vượt quá 1.000.000 số của một tiền tố"
            ),
        }
    }
    fn message_en(&self) -> String {
        match *self {
            AllocError::UnknownRegion { code } => format!(
                "Region code {code:03} is neither a known province code (001–096) nor a known country code (101–295)"
            ),
            AllocError::BirthYearOutOfRange { year } => {
                format!("Birth year {year} is outside what an ID number can encode (1900–2399)")
            }
            AllocError::Exhausted { prefix, index } => format!(
                "Prefix {prefix} is exhausted: index {index} is beyond the 1,000,000 serials of a prefix"
            ),
        }
    }
}

/// Hands out serials: a keyed permutation of 0..=999 999 per prefix.
/// `Debug` does not print the key.
#[derive(Clone)]
pub struct Allocator {
    key: [u8; 16],
}

impl std::fmt::Debug for Allocator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Allocator { key: <redacted> }")
    }
}

impl Allocator {
    /// An allocator with a secret 128-bit key. The same key, prefix and index
    /// always give the same number; keep the key secret and stable.
    pub const fn new(key: [u8; 16]) -> Self {
        Self { key }
    }

    /// The hasher for one prefix: key, domain, tweak; cloned per round.
    fn tweaked(&self, prefix: &IdPrefix) -> SipHasher24 {
        let mut h = SipHasher24::new_with_key(&self.key);
        h.write(DOMAIN);
        h.write(&prefix.value().to_le_bytes());
        h
    }

    fn round(base: &SipHasher24, round: u8, half: u32) -> u32 {
        let mut h = *base;
        h.write(&[round]);
        h.write(&half.to_le_bytes());
        (h.finish() as u32) & HALF_MASK
    }

    /// One pass of the 20-bit Feistel network.
    fn feistel(base: &SipHasher24, x: u32) -> u32 {
        let (mut l, mut r) = (x >> HALF_BITS, x & HALF_MASK);
        for i in 0..ROUNDS {
            (l, r) = (r, l ^ Self::round(base, i, r));
        }
        (l << HALF_BITS) | r
    }

    /// The inverse pass.
    fn feistel_inv(base: &SipHasher24, y: u32) -> u32 {
        let (mut l, mut r) = (y >> HALF_BITS, y & HALF_MASK);
        for i in (0..ROUNDS).rev() {
            (l, r) = (r ^ Self::round(base, i, l), l);
        }
        (l << HALF_BITS) | r
    }

    /// The serial (0–999 999) for the `index`-th number of `prefix`.
    /// Cycle walking: re-apply the 2^20 permutation until the value falls in
    /// the 10^6 domain (1.05 passes on average); this restricts it to a
    /// permutation of 0..10^6.
    pub fn serial(&self, prefix: IdPrefix, index: u32) -> Result<u32, AllocError> {
        if index >= SERIALS_PER_PREFIX {
            return Err(AllocError::Exhausted { prefix, index });
        }
        let base = self.tweaked(&prefix);
        let mut x = Self::feistel(&base, index);
        while x >= SERIALS_PER_PREFIX {
            x = Self::feistel(&base, x);
        }
        Ok(x)
    }

    /// The `index`-th number of `prefix` (0-based). Distinct indexes give
    /// distinct numbers; `index` ≥ 1 000 000 is [`AllocError::Exhausted`].
    pub fn allocate(&self, prefix: IdPrefix, index: u32) -> Result<PersonalId, AllocError> {
        self.serial(prefix, index).map(|s| prefix.with_serial(s))
    }

    /// A 128-bit key for another use of the service's one secret (e.g. the
    /// console's opaque citizen references), derived from this allocator's
    /// key by keyed SipHash-2-4 (128-bit output) over `purpose`: different
    /// purposes give unrelated keys, and neither the allocator's key nor the
    /// serials can be recovered from a derived key. `purpose` should name
    /// its use and a version, e.g. `b"cancuoc/citizen-ref/tag/v1"`.
    pub fn derive_key(&self, purpose: &[u8]) -> [u8; 16] {
        use siphasher::sip128::{Hasher128, SipHasher24 as Sip128};
        let mut h = Sip128::new_with_key(&self.key);
        h.write(b"cancuoc/derive-key/v1\0");
        h.write(purpose);
        h.finish128().as_bytes()
    }

    /// The index at which this allocator hands out `id` (the inverse of
    /// [`Allocator::allocate`]); with the persisted counter it tells whether
    /// a number has been issued yet. Fails only for an unknown region.
    pub fn index_of(&self, id: &PersonalId) -> Result<u32, AllocError> {
        let prefix = IdPrefix::of(id)?;
        let base = self.tweaked(&prefix);
        let mut x = Self::feistel_inv(&base, id.serial());
        while x >= SERIALS_PER_PREFIX {
            x = Self::feistel_inv(&base, x);
        }
        Ok(x)
    }
}
