//! The demo office tree (cây đơn vị mẫu), as the administration stands on
//! the date shown (`cancuoc_core::office::structure`), with the offices
//! that came before it kept for the dossiers opened there:
//!
//! - the ministry and the National Population Data Centre;
//! - since 01/07/2025: the police of the 34 provinces and cities
//!   (`data/provinces-2025.tsv`, Resolution 202/2025/QH15), and in three of
//!   them (Hà Nội, Huế, TP Hồ Chí Minh) three commune police units each
//!   ([`WARDS_2025`]) that receive applications;
//! - until 28/02/2025 (district police dissolved from 01/03/2025): in the
//!   same three provinces, two district offices each with two communes
//!   ([`PROVINCES_BEFORE_2025`]); the communes of that time end on
//!   30/06/2025 (the communes were rearranged on 01/07/2025) and received
//!   applications from 01/03/2025 like every commune police.
//!
//! Office numbers (số hiệu đơn vị, the first four digits of a dossier code):
//! province police `GG0` for GSO province code `GG` (Hà Nội `0010`, Huế
//! `0460`, TP Hồ Chí Minh `0790`; the three demo provinces' GSO codes equal
//! their ID-number codes 001, 046, 079); the 2025 commune units `GG01`–`GG09`
//! (Phường Ba Đình `0101`); before 2025 the districts `GG1`, `GG2` and their
//! communes `GG3`–`GG6`. No two structures share a number.
//!
//! Names of provinces and wards are real; addresses are the unit's seat as
//! a search phrase, never a street address; phone numbers (`0999…`) and
//! everything else are synthetic. The other 31 provinces hold only their
//! police of the 2025 structure: the demo keeps the pre-2025 offices of
//! three provinces, enough to show an old dossier.

use cancuoc_core::dossier::workflow::Role;
use cancuoc_core::office::structure::provinces_2025;
use cancuoc_store::{
    NewOffice, NewOfficer, OfficeLevel, OpeningHours, Period, Store, StoreError, Token,
};
use jiff::civil::{Date, date};

/// Số hiệu of the ministry (Cục Cảnh sát QLHC về TTXH, Bộ Công an).
pub const MINISTRY: u16 = 1;
/// Số hiệu of the National Population Data Centre.
pub const NPD_CENTRE: u16 = 2;

/// The last day of the district police (Công an cấp huyện dissolved from
/// 01/03/2025; `Structure::ThreeLevel`).
pub const DISTRICTS_END: Date = date(2025, 2, 28);
/// The last day of the communes before the 2025 arrangement.
pub const OLD_COMMUNES_END: Date = date(2025, 6, 30);
/// The first day of the 34 provinces and the two-level administration.
pub const TWO_LEVEL_FROM: Date = date(2025, 7, 1);

/// One province of the demo before 2025: its ID-number code (= its GSO
/// code), name, two districts with two communes (or wards) each.
struct ProvinceBefore2025 {
    code: u16,
    name: &'static str,
    districts: [(&'static str, [&'static str; 2]); 2],
}

/// The pre-2025 tree of the three demo provinces (names of the time).
const PROVINCES_BEFORE_2025: [ProvinceBefore2025; 3] = [
    ProvinceBefore2025 {
        code: 1,
        name: "Hà Nội",
        districts: [
            ("Quận Ba Đình", ["Phường Điện Biên", "Phường Kim Mã"]),
            ("Quận Cầu Giấy", ["Phường Dịch Vọng", "Phường Nghĩa Đô"]),
        ],
    },
    ProvinceBefore2025 {
        code: 46,
        name: "Thừa Thiên Huế",
        districts: [
            ("Thành phố Huế", ["Phường Phú Hội", "Phường Vĩnh Ninh"]),
            ("Thị xã Hương Thủy", ["Phường Phú Bài", "Xã Thủy Phù"]),
        ],
    },
    ProvinceBefore2025 {
        code: 79,
        name: "Hồ Chí Minh",
        districts: [
            ("Quận 1", ["Phường Bến Nghé", "Phường Bến Thành"]),
            (
                "Thành phố Thủ Đức",
                ["Phường Thảo Điền", "Phường Linh Trung"],
            ),
        ],
    },
];

/// The commune police units of the 2025 structure in the demo: (GSO
/// province code, ward). Ward names after the 2025 arrangement of commune-
/// level units (from 01/07/2025); the demo picks three per province.
pub const WARDS_2025: [(u16, [&str; 3]); 3] = [
    (1, ["Phường Ba Đình", "Phường Giảng Võ", "Phường Cầu Giấy"]),
    (
        46,
        ["Phường Thuận Hóa", "Phường Phú Xuân", "Phường Hương Thủy"],
    ),
    (79, ["Phường Sài Gòn", "Phường Bến Thành", "Phường Thủ Đức"]),
];

/// The demo provinces' ID-number codes (001 Hà Nội, 046 Huế, 079 TP Hồ Chí
/// Minh): where the demo's citizens live.
pub const DEMO_PROVINCES: [u16; 3] = [1, 46, 79];

/// A synthetic hotline: `0999` + the office number, never a real line.
fn hotline(office: u16) -> String {
    format!("0999.{office:04}.{}", office % 97 + 100)
}

/// "Thành phố Hà Nội", "Tỉnh Cao Bằng": a 2025 province as named in full.
fn province_in_full(name: &str, kind: &str) -> String {
    if kind.starts_with("thành phố") {
        format!("Thành phố {name}")
    } else {
        format!("Tỉnh {name}")
    }
}

/// The number of the police of the province with GSO code `gso`.
pub const fn province_office(gso: u16) -> u16 {
    gso * 10
}

/// The number of the `i`-th (0-based) 2025 commune unit of province `gso`.
pub const fn ward_office(gso: u16, i: u16) -> u16 {
    gso * 100 + 1 + i
}

/// The demo office tree, top down (parents before children).
pub fn offices() -> Vec<NewOffice> {
    let usual = OpeningHours::usual_with_saturday_morning();
    let mut out = vec![
        NewOffice {
            code: MINISTRY,
            name: "Cục Cảnh sát quản lý hành chính về trật tự xã hội – Bộ Công an".into(),
            level: OfficeLevel::Ministry,
            parent: None,
            address: "44 Yết Kiêu, Hoàn Kiếm, Hà Nội".into(),
            hotline: "1900.0368".into(),
            opening_hours: OpeningHours {
                weekdays: usual.weekdays.clone(),
                saturday: Vec::new(),
                sunday: Vec::new(),
            },
            daily_capacity: 0,
            in_force: Period::ALWAYS,
        },
        NewOffice {
            code: NPD_CENTRE,
            name: "Trung tâm dữ liệu quốc gia về dân cư".into(),
            level: OfficeLevel::NpdCentre,
            parent: Some(MINISTRY),
            address: "Số 1 Trần Bình, Mỹ Đình, Hà Nội".into(),
            hotline: "1900.0368".into(),
            opening_hours: usual.clone(),
            daily_capacity: 5000,
            in_force: Period::ALWAYS,
        },
    ];
    // The 34 provinces' police; the three demo provinces' existed before
    // (their provinces were not merged away), the others start with the
    // 2025 structure.
    for p in provinces_2025() {
        let gso = u16::from(p.code);
        let city = province_in_full(p.name, p.kind);
        let kept = PROVINCES_BEFORE_2025.iter().any(|b| b.code == gso);
        let pc = province_office(gso);
        out.push(NewOffice {
            code: pc,
            name: format!("Phòng Cảnh sát QLHC về TTXH – Công an {city}"),
            level: OfficeLevel::Province,
            parent: Some(MINISTRY),
            address: format!("Trụ sở Công an {city}"),
            hotline: hotline(pc),
            opening_hours: usual.clone(),
            daily_capacity: 400,
            in_force: if kept {
                Period::ALWAYS
            } else {
                Period::starting(TWO_LEVEL_FROM)
            },
        });
        if let Some((_, wards)) = WARDS_2025.iter().find(|(g, _)| *g == gso) {
            for (i, ward) in wards.iter().enumerate() {
                let wc = ward_office(gso, i as u16);
                out.push(NewOffice {
                    code: wc,
                    name: format!("Công an {ward}"),
                    level: OfficeLevel::Commune,
                    parent: Some(pc),
                    address: format!("Trụ sở Công an {ward}, {city}"),
                    hotline: hotline(wc),
                    opening_hours: usual.clone(),
                    daily_capacity: 120,
                    in_force: Period::starting(TWO_LEVEL_FROM),
                });
            }
        }
    }
    for p in &PROVINCES_BEFORE_2025 {
        let pc = province_office(p.code);
        for (d, (district, communes)) in p.districts.iter().enumerate() {
            let dc = pc + 1 + d as u16;
            out.push(NewOffice {
                code: dc,
                name: format!("Công an {district}"),
                level: OfficeLevel::District,
                parent: Some(pc),
                address: format!("Trụ sở Công an {district}, {}", p.name),
                hotline: hotline(dc),
                opening_hours: usual.clone(),
                daily_capacity: 200,
                in_force: Period::until(DISTRICTS_END),
            });
            for (c, commune) in communes.iter().enumerate() {
                let cc = pc + 3 + 2 * d as u16 + c as u16;
                out.push(NewOffice {
                    code: cc,
                    name: format!("Công an {commune}"),
                    level: OfficeLevel::Commune,
                    parent: Some(dc),
                    address: format!("Trụ sở Công an {commune}, {district}, {}", p.name),
                    hotline: hotline(cc),
                    opening_hours: usual.clone(),
                    daily_capacity: 0,
                    in_force: Period::until(OLD_COMMUNES_END),
                });
            }
        }
    }
    out
}

/// The reception offices of the demo's present (the commune police units
/// of 2025), where today's dossiers are received.
pub fn reception_offices() -> Vec<u16> {
    WARDS_2025
        .iter()
        .flat_map(|(gso, wards)| (0..wards.len() as u16).map(move |i| ward_office(*gso, i)))
        .collect()
}

/// The district offices of before 2025, where the demo's old dossiers were
/// received.
pub fn reception_offices_before_2025() -> Vec<u16> {
    PROVINCES_BEFORE_2025
        .iter()
        .flat_map(|p| {
            let pc = province_office(p.code);
            [pc + 1, pc + 2]
        })
        .collect()
}

/// The commune police that verified population data for a pre-2025
/// district office `district` (its first commune).
pub fn commune_before_2025(district: u16) -> u16 {
    let base = district - district % 10;
    base + 3 + 2 * (district % 10 - 1)
}

/// The officers of the demo: (office, role), one of each role where it
/// works — receptionist, return officer and commune police at every 2025
/// commune unit (which receive and verify their own residents' data);
/// processor, approver, printer and dispatcher at the NPD centre; an
/// administrator at the ministry; and, for the dossiers of before 2025,
/// receptionist and return officer at every former district office and
/// commune police at every former commune.
pub fn officer_posts() -> Vec<(u16, Role)> {
    let mut out = vec![(MINISTRY, Role::Admin)];
    for r in [
        Role::Processor,
        Role::Approver,
        Role::Printer,
        Role::Dispatcher,
    ] {
        out.push((NPD_CENTRE, r));
    }
    for w in reception_offices() {
        out.push((w, Role::Receptionist));
        out.push((w, Role::ReturnOfficer));
        out.push((w, Role::CommunePolice));
    }
    for d in reception_offices_before_2025() {
        out.push((d, Role::Receptionist));
        out.push((d, Role::ReturnOfficer));
        for c in 0..2u16 {
            out.push((commune_before_2025(d) + c, Role::CommunePolice));
        }
    }
    out
}

/// An officer created by [`create`], with the token shown once.
#[derive(Debug)]
pub struct Posted {
    /// Office number.
    pub office: u16,
    /// Role.
    pub role: Role,
    /// Name.
    pub name: String,
    /// Database id.
    pub id: cancuoc_store::OfficerId,
    /// The bearer token (mã truy cập).
    pub token: Token,
}

/// Creates the demo offices and officers (names from `name_for`) and
/// returns the officers with their tokens.
pub async fn create(
    store: &Store,
    at: i64,
    mut name_for: impl FnMut(usize) -> String,
) -> Result<Vec<Posted>, StoreError> {
    for o in offices() {
        store.create_office(&o, None, at).await?;
    }
    let mut out = Vec::new();
    for (i, (office, role)) in officer_posts().into_iter().enumerate() {
        let name = name_for(i);
        let issued = store
            .add_officer(
                &NewOfficer {
                    name: name.clone(),
                    role,
                    office,
                },
                None,
                at,
            )
            .await?;
        out.push(Posted {
            office,
            role,
            name,
            id: issued.officer.id,
            token: issued.token,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_store::Structure;
    use std::collections::HashSet;

    fn built() -> Vec<cancuoc_store::Office> {
        offices()
            .into_iter()
            .map(|o| cancuoc_store::Office {
                code: o.code,
                name: o.name,
                level: o.level,
                parent: o.parent,
                address: o.address,
                hotline: o.hotline,
                opening_hours: o.opening_hours,
                daily_capacity: o.daily_capacity,
                in_force: o.in_force,
            })
            .collect()
    }

    #[test]
    fn tree_is_consistent() {
        let offices = offices();
        let mut seen = HashSet::new();
        for o in &offices {
            if let Some(p) = o.parent {
                assert!(seen.contains(&p), "parent {p} of {} comes first", o.code);
            }
            assert!(seen.insert(o.code), "duplicate office {}", o.code);
            assert!(o.code <= 9999);
        }
        // Ministry, centre, 34 provinces, 9 wards; 6 districts, 12 communes.
        assert_eq!(offices.len(), 2 + 34 + 9 + 6 + 12);
        let levels: HashSet<_> = offices.iter().map(|o| o.level).collect();
        assert_eq!(levels.len(), 5, "every level present");
        for o in offices.iter().filter(|o| o.level != OfficeLevel::Ministry) {
            assert!(!o.opening_hours.saturday.is_empty(), "{} Saturday", o.code);
        }
    }

    #[test]
    fn today_the_34_provinces_and_commune_police_receive() {
        let all = built();
        let today = date(2026, 11, 23);
        assert_eq!(Structure::on(today), Structure::TwoLevel);
        let receiving: Vec<_> = all.iter().filter(|o| o.receives_public_on(today)).collect();
        let provinces = receiving
            .iter()
            .filter(|o| o.level == OfficeLevel::Province)
            .count();
        assert_eq!(provinces, 34);
        let communes: Vec<u16> = receiving
            .iter()
            .filter(|o| o.level == OfficeLevel::Commune)
            .map(|o| o.code)
            .collect();
        assert_eq!(communes, reception_offices());
        assert!(receiving.iter().all(|o| o.level != OfficeLevel::District));
        // Phường Ba Đình is 0101 under Hà Nội's police 0010.
        let ba_dinh = all.iter().find(|o| o.code == 101).expect("0101");
        assert_eq!(
            (ba_dinh.name.as_str(), ba_dinh.parent),
            ("Công an Phường Ba Đình", Some(10))
        );
    }

    #[test]
    fn before_march_2025_the_districts_received() {
        let all = built();
        let day = date(2024, 11, 4);
        let receiving: Vec<u16> = all
            .iter()
            .filter(|o| o.receives_public_on(day) && o.level != OfficeLevel::Province)
            .map(|o| o.code)
            .collect();
        assert_eq!(receiving, reception_offices_before_2025());
        let ba_dinh = all.iter().find(|o| o.code == 11).expect("0011");
        assert_eq!(ba_dinh.name, "Công an Quận Ba Đình");
        assert!(!ba_dinh.in_force_on(date(2025, 3, 1)));
        // Between March and June 2025 the old communes received.
        let spring = date(2025, 4, 1);
        assert!(
            all.iter()
                .find(|o| o.code == 13)
                .expect("0013")
                .receives_public_on(spring)
        );
    }

    #[test]
    fn every_officer_role_is_posted_where_the_tree_has_it() {
        let posts = officer_posts();
        let roles: HashSet<_> = posts.iter().map(|p| p.1).collect();
        for r in Role::ALL {
            assert_eq!(roles.contains(&r), r != Role::Citizen, "{r:?}");
        }
        let codes: HashSet<_> = offices().iter().map(|o| o.code).collect();
        for (office, _) in posts {
            assert!(codes.contains(&office), "{office}");
        }
    }
}
