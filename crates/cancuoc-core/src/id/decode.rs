//! What a personal ID number says (giải mã số định danh): region of birth
//! registration, century, sex, birth year, serial — and whether that agrees
//! with a claimed date of birth and sex.

use super::error::IdError;
use super::number::PersonalId;
use super::tables::{self, RegionEntry};
use crate::i18n::Localized;
use crate::person::{PartialDate, Sex};
use serde::Serialize;

/// First birth year a personal ID can encode (`G` = 0/1).
pub const MIN_BIRTH_YEAR: i16 = 1900;
/// Last birth year a personal ID can encode (`G` = 8/9).
pub const MAX_BIRTH_YEAR: i16 = 2399;

/// How to treat a region code found in neither table.
///
/// The tables' legal basis (Circulars 07/2016, 59/2021) lapsed on 1 July 2024
/// and no source says which prefix births after the 2025 province merger
/// receive, so an unknown prefix may be a real number: strictness is the
/// caller's choice (DESIGN.md §2.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DecodeMode {
    /// An unknown region is [`IdError::UnknownRegion`] (nghiêm ngặt).
    #[default]
    Strict,
    /// An unknown region is reported as [`Region::Unknown`] (khoan dung).
    Lenient,
}

/// Where the birth was registered (nơi đăng ký khai sinh): the first three
/// digits of a personal ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Region {
    /// A province or centrally-run city (tỉnh, thành phố trực thuộc trung
    /// ương), code 001–096 (63 codes, with gaps).
    Province {
        /// The code, 1–96.
        code: u16,
        /// Vietnamese name, e.g. `Hà Nội`.
        name: &'static str,
    },
    /// A country, for births registered abroad (quốc gia), code 101–295.
    /// Names are informative (one transcribed source); 113/114 and 147/148
    /// name the same country twice, as in that source.
    Country {
        /// The code, 101–295.
        code: u16,
        /// Vietnamese name as transcribed, e.g. `Afghanistan`.
        name: &'static str,
    },
    /// In neither table (không xác định): only in [`DecodeMode::Lenient`].
    Unknown {
        /// The code, 0–999.
        code: u16,
    },
}

impl Region {
    /// The region for a 3-digit code (0–999); anything in neither table is
    /// [`Region::Unknown`]. Never allocates.
    #[inline]
    pub fn from_code(code: u16) -> Region {
        match tables::region(code) {
            RegionEntry::Province(name) => Region::Province { code, name },
            RegionEntry::Country(name) => Region::Country { code, name },
            RegionEntry::None => Region::Unknown { code },
        }
    }

    /// The code, 0–999.
    pub fn code(&self) -> u16 {
        match *self {
            Region::Province { code, .. }
            | Region::Country { code, .. }
            | Region::Unknown { code } => code,
        }
    }

    /// The Vietnamese name, `None` for an unknown region.
    pub fn name(&self) -> Option<&'static str> {
        match *self {
            Region::Province { name, .. } | Region::Country { name, .. } => Some(name),
            Region::Unknown { .. } => None,
        }
    }

    /// `province`, `country` or `unknown` (the JSON `kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            Region::Province { .. } => "province",
            Region::Country { .. } => "country",
            Region::Unknown { .. } => "unknown",
        }
    }

    /// Whether the code is in one of the tables.
    pub fn is_known(&self) -> bool {
        !matches!(self, Region::Unknown { .. })
    }
}

impl Serialize for Region {
    /// `{"kind": "province", "code": "001", "name": "Hà Nội"}`; the code is the
    /// 3-digit string, `name` is `null` when unknown.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let code = self.code();
        let digits = [
            b'0' + (code / 100 % 10) as u8,
            b'0' + (code / 10 % 10) as u8,
            b'0' + (code % 10) as u8,
        ];
        let mut st = s.serialize_struct("Region", 3)?;
        st.serialize_field("kind", self.kind())?;
        st.serialize_field("code", std::str::from_utf8(&digits).unwrap_or("???"))?;
        st.serialize_field("name", &self.name())?;
        st.end()
    }
}

/// A decoded personal ID number. Decoding never allocates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Decoded {
    /// The number itself (serialized in full: decoding is done on purpose).
    pub id: PersonalId,
    /// Region of birth registration (nơi đăng ký khai sinh).
    pub region: Region,
    /// The century as the law numbers it (thế kỷ): 20 for births 1900–1999,
    /// 21 for 2000–2099, … 24 for 2300–2399 (Circular 07/2016 Art. 7 counts
    /// 1900–1999 as "thế kỷ 20", unlike the astronomical 1901–2000).
    pub century: u8,
    /// Sex (giới tính), from the parity of `G`: even = male, odd = female.
    pub sex: Sex,
    /// Birth year (năm sinh), 1900–2399.
    pub birth_year: i16,
    /// The 6-digit serial (khoảng số ngẫu nhiên), 0–999 999; serialized as
    /// its 6-digit string with leading zeros.
    #[serde(serialize_with = "serial_string")]
    pub serial: u32,
}

fn serial_string<S: serde::Serializer>(v: &u32, s: S) -> Result<S::Ok, S::Error> {
    let mut d = [b'0'; 6];
    let mut v = *v;
    for slot in d.iter_mut().rev() {
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
    s.serialize_str(std::str::from_utf8(&d).unwrap_or("000000"))
}

/// Century number (thế kỷ, 20–24) and sex of a `G` digit 0–9.
#[inline]
pub fn century_and_sex(g: u8) -> (u8, Sex) {
    let sex = if g.is_multiple_of(2) {
        Sex::Male
    } else {
        Sex::Female
    };
    (20 + g / 2, sex)
}

/// The `G` digit for a sex and birth year; `None` outside 1900–2399.
pub fn century_sex_digit(sex: Sex, birth_year: i16) -> Option<u8> {
    if !(MIN_BIRTH_YEAR..=MAX_BIRTH_YEAR).contains(&birth_year) {
        return None;
    }
    let c = ((birth_year - MIN_BIRTH_YEAR) / 100) as u8;
    Some(c * 2 + u8::from(sex == Sex::Female))
}

impl PersonalId {
    /// Decodes region, century, sex, birth year and serial. In
    /// [`DecodeMode::Strict`] an unknown region is [`IdError::UnknownRegion`];
    /// in [`DecodeMode::Lenient`] it is [`Region::Unknown`]. Never allocates.
    #[inline]
    pub fn decode(&self, mode: DecodeMode) -> Result<Decoded, IdError> {
        let region = Region::from_code(self.region_code());
        if mode == DecodeMode::Strict && !region.is_known() {
            return Err(IdError::UnknownRegion {
                code: region.code(),
            });
        }
        let g = self.century_sex_digit();
        let (century, sex) = century_and_sex(g);
        Ok(Decoded {
            id: *self,
            region,
            century,
            sex,
            birth_year: MIN_BIRTH_YEAR + i16::from(g / 2) * 100 + i16::from(self.year_digits()),
            serial: self.serial(),
        })
    }

    /// Compares what the number says with a claimed date of birth (only its
    /// year matters; `PartialDate::Year` for a bare year) and sex, and returns
    /// every mismatch (century, year, sex), empty when consistent. A claim
    /// left out (`None`) is not compared. The region plays no part.
    pub fn check_consistency(&self, birth: Option<PartialDate>, sex: Option<Sex>) -> Vec<Mismatch> {
        let mut out = Vec::new();
        let g = self.century_sex_digit();
        let (century, id_sex) = century_and_sex(g);
        let id_year = MIN_BIRTH_YEAR + i16::from(g / 2) * 100 + i16::from(self.year_digits());
        if let Some(birth) = birth {
            let claimed = birth.year();
            let claimed_century = (MIN_BIRTH_YEAR..=MAX_BIRTH_YEAR)
                .contains(&claimed)
                .then(|| 20 + ((claimed - MIN_BIRTH_YEAR) / 100) as u8);
            if claimed_century != Some(century) {
                out.push(Mismatch::Century {
                    id_century: century,
                    claimed_year: claimed,
                });
            }
            if i16::from(self.year_digits()) != claimed.rem_euclid(100) {
                out.push(Mismatch::Year {
                    id_year,
                    claimed_year: claimed,
                });
            }
        }
        if let Some(claimed) = sex
            && claimed != id_sex
        {
            out.push(Mismatch::Sex {
                id_sex,
                claimed_sex: claimed,
            });
        }
        out
    }
}

/// One disagreement between a personal ID and claimed personal data (không
/// khớp giữa số định danh và thông tin kê khai).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, thiserror::Error)]
#[serde(tag = "field", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Mismatch {
    /// The century digit disagrees with the claimed birth year's century.
    #[error(
        "the ID encodes century {id_century}, the claimed birth year {claimed_year} is not in it"
    )]
    Century {
        /// Century encoded by `G` (20 = 1900–1999).
        id_century: u8,
        /// Claimed birth year.
        claimed_year: i16,
    },
    /// The year digits `YY` disagree with the claimed birth year.
    #[error("the ID encodes birth year {id_year}, the claimed birth year is {claimed_year}")]
    Year {
        /// Birth year encoded by the number.
        id_year: i16,
        /// Claimed birth year.
        claimed_year: i16,
    },
    /// The sex encoded by `G` disagrees with the claimed sex.
    #[error("the ID encodes sex {}, the claimed sex is {}", id_sex.label_en(), claimed_sex.label_en())]
    Sex {
        /// Sex encoded by the number.
        id_sex: Sex,
        /// Claimed sex.
        claimed_sex: Sex,
    },
}

fn century_years(c: u8) -> (i16, i16) {
    let start = MIN_BIRTH_YEAR + (i16::from(c) - 20) * 100;
    (start, start + 99)
}

impl Localized for Mismatch {
    fn code(&self) -> &'static str {
        match self {
            Mismatch::Century { .. } => "id.mismatch.century",
            Mismatch::Year { .. } => "id.mismatch.year",
            Mismatch::Sex { .. } => "id.mismatch.sex",
        }
    }
    fn message_vi(&self) -> String {
        match *self {
            Mismatch::Century {
                id_century,
                claimed_year,
            } => {
                let (a, b) = century_years(id_century);
                format!(
                    "Mã thế kỷ trong số định danh là thế kỷ {id_century} ({a}–{b}), nhưng năm sinh kê khai là {claimed_year}"
                )
            }
            Mismatch::Year {
                id_year,
                claimed_year,
            } => format!(
                "Số định danh mã hóa năm sinh {id_year} (2 chữ số {:02}), nhưng năm sinh kê khai là {claimed_year}",
                id_year % 100
            ),
            Mismatch::Sex {
                id_sex,
                claimed_sex,
            } => format!(
                "Số định danh mã hóa giới tính {}, nhưng giới tính kê khai là {}",
                id_sex.label_vi(),
                claimed_sex.label_vi()
            ),
        }
    }
    fn message_en(&self) -> String {
        match *self {
            Mismatch::Century {
                id_century,
                claimed_year,
            } => {
                let (a, b) = century_years(id_century);
                format!(
                    "The ID's century digit says century {id_century} ({a}–{b}), but the claimed birth year is {claimed_year}"
                )
            }
            Mismatch::Year {
                id_year,
                claimed_year,
            } => format!(
                "The ID encodes birth year {id_year} (digits {:02}), but the claimed birth year is {claimed_year}",
                id_year % 100
            ),
            Mismatch::Sex {
                id_sex,
                claimed_sex,
            } => format!(
                "The ID encodes sex {}, but the claimed sex is {}",
                id_sex.label_en(),
                claimed_sex.label_en()
            ),
        }
    }
}
