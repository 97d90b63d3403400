//! The administrative structure in force on a date (cơ cấu tổ chức đang áp
//! dụng): which police units receive card applications, how many provinces
//! there are, and the period an office itself is in force ([`Period`]).
//!
//! Three structures follow each other ([`STRUCTURES`], a table with the
//! source of each row):
//!
//! | from | until | provinces | who receives applications |
//! |---|---|---|---|
//! | — | 28/02/2025 | 63 | provincial police (PC06) and district police |
//! | 01/03/2025 | 30/06/2025 | 63 | provincial police and commune police (no district police) |
//! | 01/07/2025 | — | 34 | provincial police and commune police (no district level) |
//!
//! The 34 provinces are `data/provinces-2025.tsv` ([`provinces_2025`]).
//! Offices are kept after they end, so a dossier opened at a district
//! office in 2024 still names it; an office's own [`Period`] says when it
//! existed, and the structure says which levels receive the public then.

use std::sync::OnceLock;

use jiff::civil::{Date, date};
use serde::{Deserialize, Serialize};

use crate::basis::LegalBasis;

/// The period an office (or any unit) is in force (thời gian hoạt động):
/// from `from` to `until`, both days included; `None` is open-ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    from: Option<Date>,
    until: Option<Date>,
}

/// A period that ends before it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the period ends ({until}) before it starts ({from})")]
pub struct PeriodError {
    /// First day.
    pub from: Date,
    /// Last day.
    pub until: Date,
}

impl Period {
    /// Always in force.
    pub const ALWAYS: Period = Period {
        from: None,
        until: None,
    };

    /// The days from `from` to `until`, both included.
    pub fn new(from: Option<Date>, until: Option<Date>) -> Result<Self, PeriodError> {
        match (from, until) {
            (Some(f), Some(u)) if u < f => Err(PeriodError { from: f, until: u }),
            _ => Ok(Self { from, until }),
        }
    }
    /// In force until `until` (included).
    pub const fn until(until: Date) -> Self {
        Self {
            from: None,
            until: Some(until),
        }
    }
    /// In force from `from` (included).
    pub const fn starting(from: Date) -> Self {
        Self {
            from: Some(from),
            until: None,
        }
    }
    /// The first day, if any.
    pub const fn first_day(&self) -> Option<Date> {
        self.from
    }
    /// The last day, if any.
    pub const fn last_day(&self) -> Option<Date> {
        self.until
    }
    /// Whether `day` lies in the period.
    pub fn contains(&self, day: Date) -> bool {
        self.from.is_none_or(|f| f <= day) && self.until.is_none_or(|u| day <= u)
    }
}

/// One structure of local police and provinces, in force for a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Structure {
    /// Until 28/02/2025: 63 provinces; provincial and district police
    /// receive applications, commune police verify population data.
    ThreeLevel,
    /// 01/03/2025–30/06/2025: district police dissolved; provincial and
    /// commune police receive applications; still 63 provinces.
    CommunePolice,
    /// From 01/07/2025: 34 provinces, no district level; provincial and
    /// commune police receive applications.
    TwoLevel,
}

/// A row of [`STRUCTURES`].
#[derive(Debug)]
pub struct StructureSpec {
    /// The structure.
    pub structure: Structure,
    /// First day in force (none: since before the system's records).
    pub from: Option<Date>,
    /// Last day in force (none: still in force).
    pub until: Option<Date>,
    /// Provinces and centrally-run cities (tỉnh, thành phố).
    pub provinces: u8,
    /// Whether district police (Công an cấp huyện) exist and receive.
    pub district_police: bool,
    /// Whether commune police (Công an cấp xã) receive applications.
    pub commune_police_receive: bool,
    /// What the pages say, Vietnamese.
    pub label_vi: &'static str,
    /// What the pages say, English.
    pub label_en: &'static str,
    /// Where the row comes from.
    pub basis: &'static [LegalBasis],
}

/// The structures in date order, contiguous, each with its sources.
pub const STRUCTURES: [StructureSpec; 3] = [
    StructureSpec {
        structure: Structure::ThreeLevel,
        from: None,
        until: Some(date(2025, 2, 28)),
        provinces: 63,
        district_police: true,
        commune_police_receive: false,
        label_vi: "Cơ cấu đến 28/02/2025: 63 tỉnh, thành phố; Công an cấp tỉnh và Công an cấp huyện tiếp nhận hồ sơ",
        label_en: "Structure until 28/02/2025: 63 provinces and cities; provincial and district police receive applications",
        // Seed 004 quotes Circular 60/2021 Art. 4(1): "Công an cấp huyện,
        // cấp tỉnh ... trực tiếp thu nhận hồ sơ"; Law 26/2023 Art. 27 keeps
        // the district and provincial police as the places to apply.
        basis: &[
            LegalBasis::new("Thông tư 60/2021/TT-BCA", "Điều 4, khoản 1"),
            LegalBasis::new("Luật Căn cước 26/2023/QH15", "Điều 27"),
        ],
    },
    StructureSpec {
        structure: Structure::CommunePolice,
        from: Some(date(2025, 3, 1)),
        until: Some(date(2025, 6, 30)),
        provinces: 63,
        district_police: false,
        commune_police_receive: true,
        label_vi: "Cơ cấu từ 01/03/2025: 63 tỉnh, thành phố; Công an cấp tỉnh và Công an cấp xã tiếp nhận hồ sơ (không còn Công an cấp huyện)",
        label_en: "Structure from 01/03/2025: 63 provinces and cities; provincial and commune police receive applications (district police dissolved)",
        basis: &[
            // Reported by the press from the ministry's guidance: district
            // police ended on 1 March 2025 and card reception moved to the
            // provincial police (PC06) and commune police, e.g.
            // https://ngoisao.vn/theo-dong-su-kien/kien-thuc/bo-cong-an-cap-huyen-nguoi-dan-thuc-hien-cap-doi-can-cuoc-o-dau-451553.htm
            // https://giadinh.suckhoedoisong.vn/tu-1-3-cong-an-xa-se-cap-can-cuoc-cong-dan-172250228180113757.htm
            LegalBasis::new("Hướng dẫn số 08 ngày 17/02/2025 của Bộ Công an", ""),
        ],
    },
    StructureSpec {
        structure: Structure::TwoLevel,
        from: Some(date(2025, 7, 1)),
        until: None,
        provinces: 34,
        district_police: false,
        commune_police_receive: true,
        label_vi: "Cơ cấu từ 01/07/2025: 34 tỉnh, thành phố; Công an cấp xã tiếp nhận hồ sơ",
        label_en: "Structure from 01/07/2025: 34 provinces and cities; commune police receive applications",
        basis: &[
            // The resolution on the arrangement of provincial-level units
            // (34 provinces and cities from 01/07/2025), and the law that
            // makes local government two levels (province, commune).
            LegalBasis::new("Nghị quyết 202/2025/QH15", ""),
            LegalBasis::new("Luật Tổ chức chính quyền địa phương 2025", ""),
        ],
    },
];

impl Structure {
    /// The structure in force on `day`.
    pub fn on(day: Date) -> Self {
        STRUCTURES
            .iter()
            .find(|s| {
                Period {
                    from: s.from,
                    until: s.until,
                }
                .contains(day)
            })
            .map_or(Structure::TwoLevel, |s| s.structure)
    }
    /// Its row of [`STRUCTURES`].
    pub fn spec(self) -> &'static StructureSpec {
        match self {
            Structure::ThreeLevel => &STRUCTURES[0],
            Structure::CommunePolice => &STRUCTURES[1],
            Structure::TwoLevel => &STRUCTURES[2],
        }
    }
    /// The period it is in force.
    pub fn period(self) -> Period {
        let s = self.spec();
        Period {
            from: s.from,
            until: s.until,
        }
    }
    /// Stable code.
    pub const fn code(self) -> &'static str {
        match self {
            Structure::ThreeLevel => "three_level",
            Structure::CommunePolice => "commune_police",
            Structure::TwoLevel => "two_level",
        }
    }
}

/// One of the 34 provinces and centrally-run cities from 1 July 2025
/// (`data/provinces-2025.tsv`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Province2025 {
    /// The GSO administrative code (2 digits), not an ID-number prefix.
    pub code: u8,
    /// Tên tỉnh, thành phố.
    pub name: &'static str,
    /// `tỉnh` or `thành phố trung ương`.
    pub kind: &'static str,
    /// The former provinces merged into it besides itself.
    pub merged: Vec<&'static str>,
}

/// The 34 provinces from `data/provinces-2025.tsv`, by GSO code. Source of
/// the list: Resolution 202/2025/QH15; codes and names as in the TSV (its
/// `note` column names where each row was read).
pub fn provinces_2025() -> &'static [Province2025] {
    static TABLE: OnceLock<Vec<Province2025>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v: Vec<Province2025> = include_str!("../../data/provinces-2025.tsv")
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut f = line.split('\t');
                let code = f.next()?.trim().parse().ok()?;
                let name = f.next()?.trim();
                let kind = f.next()?.trim();
                let merged = f
                    .next()?
                    .split(',')
                    .map(str::trim)
                    .filter(|m| !m.is_empty() && *m != "-")
                    .collect();
                Some(Province2025 {
                    code,
                    name,
                    kind,
                    merged,
                })
            })
            .collect();
        v.sort_by_key(|p| p.code);
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structures_are_contiguous_and_chosen_by_date() {
        for w in STRUCTURES.windows(2) {
            let next = w[0].until.and_then(|u| u.tomorrow().ok());
            assert_eq!(
                next, w[1].from,
                "{:?} → {:?}",
                w[0].structure, w[1].structure
            );
        }
        assert_eq!(STRUCTURES[0].from, None);
        assert_eq!(STRUCTURES[2].until, None);
        for (day, want) in [
            (date(2016, 1, 1), Structure::ThreeLevel),
            (date(2025, 2, 28), Structure::ThreeLevel),
            (date(2025, 3, 1), Structure::CommunePolice),
            (date(2025, 6, 30), Structure::CommunePolice),
            (date(2025, 7, 1), Structure::TwoLevel),
            (date(2026, 12, 6), Structure::TwoLevel),
        ] {
            assert_eq!(Structure::on(day), want, "{day}");
            assert!(want.period().contains(day));
        }
        let now = Structure::TwoLevel.spec();
        assert_eq!(
            now.label_vi,
            "Cơ cấu từ 01/07/2025: 34 tỉnh, thành phố; Công an cấp xã tiếp nhận hồ sơ"
        );
        assert!(!now.district_police && now.commune_police_receive);
        assert!(Structure::ThreeLevel.spec().district_police);
        for s in &STRUCTURES {
            assert!(!s.basis.is_empty(), "{:?} has a source", s.structure);
            assert_eq!(s.structure.spec().structure, s.structure);
        }
    }

    #[test]
    fn the_34_provinces_are_read_from_the_table() {
        let p = provinces_2025();
        assert_eq!(p.len(), 34);
        assert_eq!(p.len(), usize::from(Structure::TwoLevel.spec().provinces));
        assert_eq!((p[0].code, p[0].name), (1, "Hà Nội"));
        let hcm = p.iter().find(|x| x.code == 79).expect("79");
        assert_eq!(hcm.name, "Hồ Chí Minh");
        assert_eq!(hcm.merged, ["Bình Dương", "Bà Rịa - Vũng Tàu"]);
        // 34 survivors + the merged ones = the 63 former provinces.
        let merged: usize = p.iter().map(|x| x.merged.len()).sum();
        assert_eq!(p.len() + merged, 63);
    }

    #[test]
    fn periods_include_both_ends() {
        let p = Period::new(Some(date(2024, 1, 1)), Some(date(2025, 2, 28))).expect("period");
        assert!(p.contains(date(2024, 1, 1)) && p.contains(date(2025, 2, 28)));
        assert!(!p.contains(date(2023, 12, 31)) && !p.contains(date(2025, 3, 1)));
        assert!(Period::ALWAYS.contains(date(1990, 1, 1)));
        assert_eq!(
            Period::new(Some(date(2025, 3, 1)), Some(date(2025, 2, 28))),
            Err(PeriodError {
                from: date(2025, 3, 1),
                until: date(2025, 2, 28)
            })
        );
        let json = serde_json::to_string(&Period::until(date(2025, 2, 28))).expect("json");
        assert_eq!(json, r#"{"from":null,"until":"2025-02-28"}"#);
    }
}
