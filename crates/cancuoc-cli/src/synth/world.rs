//! The demo office tree (cây đơn vị mẫu): the ministry, the National
//! Population Data Centre, three provinces with two district offices each
//! and two commune police offices per district, with synthetic hotlines and
//! opening hours including Saturday morning; and one officer of every role
//! where that role works.
//!
//! Office numbers (số hiệu đơn vị, the first four digits of a dossier code)
//! follow the province's ID-number code: province `PPP` is office `PPP0`,
//! its districts `PPP1`, `PPP2`, their communes `PPP3`–`PPP6`. The names are
//! of real places (before the 2025 reorganisation that merged provinces and
//! abolished the district level); phone numbers are synthetic.

use cancuoc_core::dossier::workflow::Role;
use cancuoc_store::{NewOffice, NewOfficer, OfficeLevel, OpeningHours, Store, StoreError, Token};

/// Số hiệu of the ministry (Cục Cảnh sát QLHC về TTXH, Bộ Công an).
pub const MINISTRY: u16 = 1;
/// Số hiệu of the National Population Data Centre.
pub const NPD_CENTRE: u16 = 2;

/// One province of the demo: its ID-number code, name, two districts with
/// two communes (or wards) each.
struct ProvinceSpec {
    code: u16,
    name: &'static str,
    city: &'static str,
    districts: [(&'static str, [&'static str; 2]); 2],
}

const PROVINCES: [ProvinceSpec; 3] = [
    ProvinceSpec {
        code: 1,
        name: "Hà Nội",
        city: "Thành phố Hà Nội",
        districts: [
            ("Quận Ba Đình", ["Phường Điện Biên", "Phường Kim Mã"]),
            ("Quận Cầu Giấy", ["Phường Dịch Vọng", "Phường Nghĩa Đô"]),
        ],
    },
    ProvinceSpec {
        code: 46,
        name: "Thừa Thiên Huế",
        city: "Tỉnh Thừa Thiên Huế",
        districts: [
            ("Thành phố Huế", ["Phường Phú Hội", "Phường Vĩnh Ninh"]),
            ("Thị xã Hương Thủy", ["Phường Phú Bài", "Xã Thủy Phù"]),
        ],
    },
    ProvinceSpec {
        code: 79,
        name: "Hồ Chí Minh",
        city: "Thành phố Hồ Chí Minh",
        districts: [
            ("Quận 1", ["Phường Bến Nghé", "Phường Bến Thành"]),
            (
                "Thành phố Thủ Đức",
                ["Phường Thảo Điền", "Phường Linh Trung"],
            ),
        ],
    },
];

/// The demo provinces' ID-number codes (001 Hà Nội, 046 Thừa Thiên Huế,
/// 079 TP Hồ Chí Minh).
pub const DEMO_PROVINCES: [u16; 3] = [1, 46, 79];

/// A synthetic hotline: `0999` + the office number, never a real line.
fn hotline(office: u16) -> String {
    format!("0999.{office:04}.{}", office % 97 + 100)
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
        },
    ];
    for p in &PROVINCES {
        let pc = p.code * 10;
        out.push(NewOffice {
            code: pc,
            name: format!("Phòng Cảnh sát QLHC về TTXH – Công an {}", p.city),
            level: OfficeLevel::Province,
            parent: Some(MINISTRY),
            address: format!("Trụ sở Công an {}", p.city),
            hotline: hotline(pc),
            opening_hours: usual.clone(),
            daily_capacity: 400,
        });
        for (d, (district, communes)) in p.districts.iter().enumerate() {
            let dc = pc + 1 + d as u16;
            out.push(NewOffice {
                code: dc,
                name: format!("Công an {district}"),
                level: OfficeLevel::District,
                parent: Some(pc),
                address: format!("{district}, {}", p.name),
                hotline: hotline(dc),
                opening_hours: usual.clone(),
                daily_capacity: 200,
            });
            for (c, commune) in communes.iter().enumerate() {
                let cc = pc + 3 + 2 * d as u16 + c as u16;
                out.push(NewOffice {
                    code: cc,
                    name: format!("Công an {commune}"),
                    level: OfficeLevel::Commune,
                    parent: Some(dc),
                    address: format!("{commune}, {district}, {}", p.name),
                    hotline: hotline(cc),
                    opening_hours: usual.clone(),
                    daily_capacity: 0,
                });
            }
        }
    }
    out
}

/// The reception offices of the demo (district police), where dossiers are
/// received.
pub fn reception_offices() -> Vec<u16> {
    PROVINCES
        .iter()
        .flat_map(|p| [p.code * 10 + 1, p.code * 10 + 2])
        .collect()
}

/// The officers of the demo: (office, role), one of each role where it
/// works — receptionist and return officer at every district office,
/// commune police at every commune, processor, approver, printer and
/// dispatcher at the NPD centre, an administrator at the ministry.
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
    for p in &PROVINCES {
        let pc = p.code * 10;
        for d in 0..2u16 {
            out.push((pc + 1 + d, Role::Receptionist));
            out.push((pc + 1 + d, Role::ReturnOfficer));
            for c in 0..2u16 {
                out.push((pc + 3 + 2 * d + c, Role::CommunePolice));
            }
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
    use std::collections::HashSet;

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
        assert_eq!(offices.len(), 2 + 3 * (1 + 2 + 4));
        let levels: HashSet<_> = offices.iter().map(|o| o.level).collect();
        assert_eq!(levels.len(), 5, "every level present");
        for o in offices.iter().filter(|o| o.level == OfficeLevel::District) {
            assert!(!o.opening_hours.saturday.is_empty(), "{} Saturday", o.code);
        }
        for r in reception_offices() {
            let o = offices
                .iter()
                .find(|o| o.code == r)
                .expect("reception office");
            assert_eq!(o.level, OfficeLevel::District);
        }
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
