//! Offices (đơn vị công an): the police units that receive, verify, approve,
//! print and return cards, as a tree from the ministry down to communes.

use serde::{Deserialize, Serialize};
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
    /// (nơi tiếp nhận hồ sơ): provincial and district police (DESIGN §2.5).
    /// The ministry and the NPD centre approve and print; commune police
    /// verify population data for the offices above them.
    pub const fn receives_public(self) -> bool {
        matches!(self, Self::Province | Self::District)
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

/// A time span within one day (khung giờ), minutes since midnight, written
/// `HH:MM-HH:MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeRange {
    opens: u16,
    closes: u16,
}

impl TimeRange {
    /// A span from `opens` to `closes` (minutes since midnight, `opens <
    /// closes ≤ 1440`).
    pub fn new(opens: u16, closes: u16) -> Result<Self, StoreError> {
        if opens < closes && closes <= 24 * 60 {
            Ok(Self { opens, closes })
        } else {
            Err(StoreError::field(
                "opening_hours",
                format!("time range {opens}..{closes} (minutes) is empty or past midnight"),
            ))
        }
    }
    /// Reads `HH:MM-HH:MM`, e.g. `07:30-11:30`.
    pub fn parse(s: &str) -> Result<Self, StoreError> {
        let bad = || {
            StoreError::field(
                "opening_hours",
                format!("{s:?} is not a time range HH:MM-HH:MM"),
            )
        };
        let hm = |t: &str| -> Option<u16> {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
            (h <= 24 && m < 60).then_some(h * 60 + m)
        };
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        Self::new(hm(a).ok_or_else(bad)?, hm(b).ok_or_else(bad)?)
    }
    /// Opening minute since midnight.
    pub const fn opens(self) -> u16 {
        self.opens
    }
    /// Closing minute since midnight.
    pub const fn closes(self) -> u16 {
        self.closes
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.opens / 60,
            self.opens % 60,
            self.closes / 60,
            self.closes % 60
        )
    }
}

impl Serialize for TimeRange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeRange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TimeRange::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Opening hours (giờ làm việc) of an office: Monday–Friday, Saturday (many
/// offices receive on Saturday morning) and Sunday, each a list of spans.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningHours {
    /// Thứ Hai – Thứ Sáu.
    pub weekdays: Vec<TimeRange>,
    /// Thứ Bảy.
    #[serde(default)]
    pub saturday: Vec<TimeRange>,
    /// Chủ nhật.
    #[serde(default)]
    pub sunday: Vec<TimeRange>,
}

impl OpeningHours {
    /// The usual hours of a reception office: 07:30–11:30 and 13:30–17:00 on
    /// weekdays, 07:30–11:30 on Saturday morning, closed on Sunday.
    pub fn usual_with_saturday_morning() -> Self {
        let span = |a, b| TimeRange {
            opens: a,
            closes: b,
        };
        Self {
            weekdays: vec![span(450, 690), span(810, 1020)],
            saturday: vec![span(450, 690)],
            sunday: Vec::new(),
        }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ranges_round_trip_and_reject_nonsense() {
        for ok in ["07:30-11:30", "13:30-17:00", "00:00-24:00"] {
            let r = TimeRange::parse(ok).expect(ok);
            assert_eq!(r.to_string(), ok);
        }
        for bad in [
            "",
            "7-11",
            "11:30-07:30",
            "07:30-07:30",
            "25:00-26:00",
            "07:60-08:00",
        ] {
            assert!(TimeRange::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn opening_hours_json_shape() {
        let h = OpeningHours::usual_with_saturday_morning();
        let j = serde_json::to_string(&h).expect("json");
        assert_eq!(
            j,
            r#"{"weekdays":["07:30-11:30","13:30-17:00"],"saturday":["07:30-11:30"],"sunday":[]}"#
        );
        let back: OpeningHours = serde_json::from_str(&j).expect("parse");
        assert_eq!(back, h);
    }

    #[test]
    fn levels_parse_their_codes() {
        for l in OfficeLevel::ALL {
            assert_eq!(l.code().parse::<OfficeLevel>().ok(), Some(l));
        }
        assert!("county".parse::<OfficeLevel>().is_err());
    }
}
