//! Cross-checks of the payload against its own ID number (đối chiếu số định
//! danh với ngày sinh, giới tính): the ID's `G` digit gives the century and
//! sex, `YY` the last two digits of the birth year (Decree 137/2015/NĐ-CP
//! Art. 13). The comparison itself is the ID module's
//! [`PersonalId::check_consistency`](crate::id::PersonalId::check_consistency);
//! this module says which payload field disagrees. A disagreement is a
//! warning, not an error: the card exists, the reader decides what it means
//! (a data-entry error, a tampered code).

use super::CardQr;
use crate::i18n::Localized;
use crate::id::{DecodeMode, Mismatch, Region};
use crate::person::PartialDate;

/// Something in the payload worth a second look (cảnh báo), the payload
/// being well formed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QrWarning {
    /// The ID number (field 1) disagrees with the date of birth (field 4) or
    /// the sex (field 5) (số định danh không khớp với ngày sinh / giới tính).
    IdMismatch(Mismatch),
    /// The ID's region code (first three digits) is in neither the province
    /// nor the country table (mã nơi đăng ký khai sinh không xác định). It
    /// may be a number given after the tables lapsed (DESIGN.md §2.1).
    UnknownRegion {
        /// The 3-digit code, 0–999.
        code: u16,
    },
}

impl CardQr {
    /// Every disagreement between the ID number and the date of birth and
    /// sex of the payload (century, year, sex, in that order), then an
    /// unknown region code; empty when all agree.
    pub fn warnings(&self) -> Vec<QrWarning> {
        let id = &self.personal_id;
        let mut out: Vec<QrWarning> = id
            .check_consistency(Some(PartialDate::Full(self.date_of_birth)), Some(self.sex))
            .into_iter()
            .map(QrWarning::IdMismatch)
            .collect();
        if let Ok(d) = id.decode(DecodeMode::Lenient)
            && let Region::Unknown { code } = d.region
        {
            out.push(QrWarning::UnknownRegion { code });
        }
        out
    }
}

/// Which payload field a mismatch is about: (index, vi name, en name).
fn mismatch_field(m: &Mismatch) -> (usize, &'static str, &'static str) {
    match m {
        Mismatch::Sex { .. } => (5, "giới tính", "sex"),
        _ => (4, "ngày sinh", "date of birth"),
    }
}

impl Localized for QrWarning {
    fn code(&self) -> &'static str {
        match self {
            QrWarning::IdMismatch(Mismatch::Century { .. }) => "qr.id_century_mismatch",
            QrWarning::IdMismatch(Mismatch::Year { .. }) => "qr.id_year_mismatch",
            QrWarning::IdMismatch(Mismatch::Sex { .. }) => "qr.id_sex_mismatch",
            QrWarning::UnknownRegion { .. } => "qr.id_unknown_region",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            QrWarning::IdMismatch(m) => {
                let (i, vi, _) = mismatch_field(m);
                format!(
                    "Trường 1 (số định danh) không khớp với trường {i} ({vi}): {}",
                    m.message_vi()
                )
            }
            QrWarning::UnknownRegion { code } => format!(
                "Trường 1 (số định danh): mã nơi đăng ký khai sinh {code:03} không có trong \
                 bảng mã tỉnh hay mã quốc gia"
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            QrWarning::IdMismatch(m) => {
                let (i, _, en) = mismatch_field(m);
                format!(
                    "Field 1 (personal ID number) disagrees with field {i} ({en}): {}",
                    m.message_en()
                )
            }
            QrWarning::UnknownRegion { code } => format!(
                "Field 1 (personal ID number): region code {code:03} is in neither the \
                 province nor the country table"
            ),
        }
    }
}
