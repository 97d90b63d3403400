//! Offices (đơn vị công an): the police units that receive, verify, approve,
//! print and return cards, as a tree from the ministry down to communes.
//!
//! An office carries the period it is in force ([`Period`]): district
//! police offices end on 28/02/2025, the former provinces' offices on
//! 30/06/2025, the 2025 units start then. Ended offices stay in the tree,
//! so a dossier opened at one keeps naming it; which offices receive the
//! public on a day is [`Office::receives_public_on`].

use serde::{Deserialize, Serialize};

pub use cancuoc_core::office::{OpeningHours, Period, Structure, TimeRange};
use jiff::civil::Date;
use std::fmt;
use std::str::FromStr;

use crate::error::StoreError;

/// The level of an office in the tree (cấp đơn vị).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfficeLevel {
    /// Bộ Công an (Cục Cảnh sát QLHC về TTXH): the ministry.
    Ministry,
    /// Trung tâm dữ liệu quốc gia về dân cư: the NPD centre (approval, printing).
    NpdCentre,
    /// Công an tỉnh/thành phố: provincial police.
    Province,
    /// Công an quận/huyện: district police.
    District,
    /// Công an xã/phường/thị trấn: commune police.
    Commune,
}

impl OfficeLevel {
    /// Whether offices of this level hold a reception desk for citizens
    /// (nơi tiếp nhận hồ sơ) under `structure`: provincial police always;
    /// commune police from 01/03/2025 ([`Structure`]); district police while
    /// they exist — the data ends every district office on 28/02/2025, and
    /// the rule does not second-guess an office's own [`Period`] (a
    /// synthetic tree may keep its districts). The ministry and the NPD
    /// centre approve and print; before 2025 commune police verified
    /// population data for the offices above them.
    pub fn receives_public_in(self, structure: Structure) -> bool {
        match self {
            Self::Province | Self::District => true,
            Self::Commune => structure.spec().commune_police_receive,
            Self::Ministry | Self::NpdCentre => false,
        }
    }

    /// Every level, top down.
    pub const ALL: [OfficeLevel; 5] = [
        Self::Ministry,
        Self::NpdCentre,
        Self::Province,
        Self::District,
        Self::Commune,
    ];
    /// Stable code stored in the database.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Ministry => "ministry",
            Self::NpdCentre => "npd_centre",
            Self::Province => "province",
            Self::District => "district",
            Self::Commune => "commune",
        }
    }
}

impl fmt::Display for OfficeLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for OfficeLevel {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|l| l.code() == s)
            .ok_or_else(|| StoreError::field("level", format!("unknown office level {s:?}")))
    }
}

/// Input for [`crate::Store::create_office`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOffice {
    /// Số hiệu đơn vị, 0–9999: the office number used in dossier codes.
    pub code: u16,
    /// Tên đơn vị.
    pub name: String,
    /// Cấp.
    pub level: OfficeLevel,
    /// Đơn vị cấp trên (none for the ministry).
    pub parent: Option<u16>,
    /// Địa chỉ.
    pub address: String,
    /// Số điện thoại đường dây nóng.
    pub hotline: String,
    /// Giờ làm việc.
    pub opening_hours: OpeningHours,
    /// Năng lực tiếp nhận mỗi ngày: dossiers the office can receive a day.
    pub daily_capacity: u32,
    /// Thời gian hoạt động: the days the office exists.
    pub in_force: Period,
}

/// A stored office.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Office {
    /// Số hiệu đơn vị.
    pub code: u16,
    /// Tên đơn vị.
    pub name: String,
    /// Cấp.
    pub level: OfficeLevel,
    /// Đơn vị cấp trên.
    pub parent: Option<u16>,
    /// Địa chỉ.
    pub address: String,
    /// Đường dây nóng.
    pub hotline: String,
    /// Giờ làm việc.
    pub opening_hours: OpeningHours,
    /// Năng lực tiếp nhận mỗi ngày.
    pub daily_capacity: u32,
    /// Thời gian hoạt động.
    pub in_force: Period,
}

impl Office {
    /// Whether the office exists on `day`.
    pub fn in_force_on(&self, day: Date) -> bool {
        self.in_force.contains(day)
    }
    /// Whether the office receives citizens' applications on `day`: it
    /// exists then, and its level receives under the structure in force
    /// ([`OfficeLevel::receives_public_in`]).
    pub fn receives_public_on(&self, day: Date) -> bool {
        self.in_force_on(day) && self.level.receives_public_in(Structure::on(day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_their_codes() {
        for l in OfficeLevel::ALL {
            assert_eq!(l.code().parse::<OfficeLevel>().ok(), Some(l));
        }
        assert!(matches!(
            "county".parse::<OfficeLevel>(),
            Err(StoreError::Invalid(crate::error::Invalid::Field {
                field: "level",
                ..
            }))
        ));
    }
}
