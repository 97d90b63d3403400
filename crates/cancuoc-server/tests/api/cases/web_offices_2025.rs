//! The 2025 administration on the pages and the API: `/co-quan` shows the
//! structure in force on the date shown (the 34 provinces and commune
//! police today, the district police before 01/03/2025) with a map link
//! and the hours of each day; `/thu-tuc` says which structure applies;
//! booking offers a commune police unit and not an ended district office;
//! a dossier opened at a district office in 2024 still names it.

use cancuoc_core::office::structure::provinces_2025;
use cancuoc_core::rules::Reason;
use cancuoc_service::OpenDossier;
use cancuoc_service::model::{NewOfficer, OfficeLevel, Period};
use cancuoc_store::Store;
use cancuoc_testkit::world::{add_citizen, commune_from, ended_district, office};
use jiff::civil::date;

use super::web_citizen_pages::small;
use crate::world::*;

/// A district police office that ended on 28/02/2025.
const ENDED_DISTRICT: u16 = 795;
/// A commune police unit of the 2025 structure.
const WARD: u16 = 7950;
/// Office numbers of the 34 provinces' police in this test: 3000 + GSO code.
const PROVINCES_FROM: u16 = 3000;

/// The world, the 34 provinces' police from the table, one ward of the
/// 2025 structure and a district office that ended on 28/02/2025.
async fn world_of_2025(store: Store) -> World {
    let w = world(store).await;
    let ended = ended_district(ENDED_DISTRICT, "Công an Huyện Cũ Thử");
    let mut ward = commune_from(WARD, "Công an Phường Mới Thử", date(2025, 7, 1));
    ward.address = "Số 5 Đường Mới, Phường Mới Thử".into();
    let mut all = vec![ended, ward];
    for p in provinces_2025() {
        let mut o = office(
            PROVINCES_FROM + u16::from(p.code),
            &format!("Công an {} {}", p.kind, p.name),
            OfficeLevel::Province,
            Some(MINISTRY),
        );
        o.in_force = Period::starting(date(2025, 7, 1));
        all.push(o);
    }
    for o in &all {
        w.store.create_office(o, None, T0).await.expect("office");
    }
    w.app.service().reload_offices().await.expect("reload");
    w
}

pub async fn the_office_directory_shows_the_34_provinces_and_commune_police_today(store: Store) {
    let w = world_of_2025(store).await;
    let vi = page(&w.router, "/co-quan", &[]).await;
    vi.html(
        200,
        &[
            "Cơ cấu từ 01/07/2025: 34 tỉnh, thành phố; Công an cấp xã tiếp nhận hồ sơ",
            "Nghị quyết 202/2025/QH15",
            // The ward, as commune police, with its map link and hotline.
            "<h3>Công an Phường Mới Thử <span class=\"level\">Công an cấp xã</span></h3>",
            "href=\"https://www.openstreetmap.org/search?query=S%E1%BB%91+5+%C4%90%C6%B0%E1%BB%9Dng+M%E1%BB%9Bi%2C+Ph%C6%B0%E1%BB%9Dng+M%E1%BB%9Bi+Th%E1%BB%AD\"",
            "href=\"tel:09007950\"",
            // Hours for each day of the week.
            "Thứ Hai: 07:30–11:30, 13:30–17:00",
            "Thứ Tư: 07:30–11:30, 13:30–17:00",
            "Thứ Bảy: 07:30–11:30",
            "Chủ nhật: nghỉ",
            // The old structure is one link away.
            "href=\"/co-quan?ngay=2025-02-28\"",
        ],
    );
    for p in provinces_2025() {
        let id = PROVINCES_FROM + u16::from(p.code);
        assert!(
            vi.html
                .contains(&format!("<h2 id=\"tinh-{id}-h\">{}</h2>", p.name)),
            "{} listed",
            p.name
        );
    }
    // 34 provinces of the table and the world's own test province.
    assert_eq!(vi.html.matches("<section class=\"province\"").count(), 35);
    assert!(vi.html.contains("trong hệ thống: 35 tỉnh, thành phố."));
    // The district office ended on 28/02/2025: not listed today.
    assert!(!vi.html.contains("Công an Huyện Cũ Thử"));
    small(&vi);

    let en = page(&w.router, "/co-quan?lang=en", &[]).await;
    en.html(
        200,
        &[
            "Structure from 01/07/2025: 34 provinces and cities; commune police receive applications",
            "<span class=\"level\">commune police</span>",
            "Tuesday: 07:30–11:30, 13:30–17:00",
            "Sunday: closed",
            ">Map</a>",
        ],
    );
}

pub async fn the_office_directory_of_a_day_before_march_2025_shows_the_district_police(
    store: Store,
) {
    let w = world_of_2025(store).await;
    let old = page(&w.router, "/co-quan?ngay=2024-11-04", &[]).await;
    old.html(
        200,
        &[
            "Cơ cấu đến 28/02/2025: 63 tỉnh, thành phố; Công an cấp tỉnh và Công an cấp huyện tiếp nhận hồ sơ",
            "04/11/2024",
            "<h3>Công an Huyện Cũ Thử <span class=\"level\">Công an cấp huyện</span></h3>",
        ],
    );
    // The ward and the 2025 provinces did not exist yet; the world's
    // commune police did not receive applications then.
    for absent in [
        "Công an Phường Mới Thử",
        "Tuyên Quang",
        "Công an Xã Bình Thử",
    ] {
        assert!(!old.html.contains(absent), "{absent} listed in 2024");
    }
}

pub async fn the_procedure_says_which_structure_applies(store: Store) {
    let w = world(store).await;
    let vi = page(&w.router, "/thu-tuc", &[]).await;
    vi.html(
        200,
        &[
            "Cơ cấu từ 01/07/2025: 34 tỉnh, thành phố; Công an cấp xã tiếp nhận hồ sơ",
            "Nộp hồ sơ tại Công an cấp xã nơi bạn cư trú hoặc tại Công an cấp tỉnh",
        ],
    );
    let en = page(&w.router, "/thu-tuc?lang=en", &[]).await;
    en.html(
        200,
        &["Structure from 01/07/2025: 34 provinces and cities; commune police receive applications"],
    );
}

pub async fn booking_offers_the_commune_police_and_not_an_ended_district(store: Store) {
    let w = world_of_2025(store).await;
    let p = page(&w.router, &format!("/dat-lich?tinh={PROVINCE}"), &[]).await;
    assert_eq!(p.status, 200);
    assert!(
        p.html.contains("Công an Phường Mới Thử"),
        "the ward is offered"
    );
    assert!(
        !p.html.contains("Công an Huyện Cũ Thử"),
        "the ended district is not"
    );
    // Its days from tomorrow, Monday 2026-11-23.
    let p = page(
        &w.router,
        &format!("/dat-lich?tinh={PROVINCE}&don_vi={WARD}"),
        &[],
    )
    .await;
    assert_eq!(p.status, 200);
    assert!(
        p.html.contains("2026-11-23"),
        "a day of the ward is offered"
    );
}

pub async fn a_dossier_of_a_2024_district_office_still_names_it(store: Store) {
    let w = world_of_2025(store).await;
    let svc = w.app.service();
    let officer = w
        .store
        .add_officer(
            &NewOfficer {
                name: "Cán Bộ Cũ".into(),
                role: cancuoc_core::dossier::workflow::Role::Receptionist,
                office: ENDED_DISTRICT,
            },
            None,
            T0,
        )
        .await
        .expect("officer")
        .officer;
    let citizen = add_citizen(&w.store, "Lê Văn Cũ", "079090000795", T0).await;
    let at: jiff::Timestamp = "2024-11-04T02:00:00Z".parse().expect("instant");
    let mut open = OpenDossier::walk_in(citizen.id, Reason::Age);
    open.received_on = Some(date(2024, 11, 4));
    open.at = Some(at);
    let d = svc
        .open_dossier(&officer, open)
        .await
        .expect("opened in 2024");
    assert_eq!(d.office, ENDED_DISTRICT);
    let code = d.code.to_string().replace(' ', "");
    let r = get(&w.router, &format!("/api/v1/status/{code}"), None).await;
    let body = r.ok(200);
    assert_eq!(body["office"]["name"], "Công an Huyện Cũ Thử", "{body}");
    assert_eq!(body["office"]["hotline"], "09000795", "{body}");
    // The API's office list keeps it, with its period.
    let r = get(&w.router, "/api/v1/offices", None).await;
    let list = r.ok(200);
    let ended = list["offices"]
        .as_array()
        .expect("offices")
        .iter()
        .find(|o| o["code"] == ENDED_DISTRICT)
        .expect("the ended office is listed");
    assert_eq!(ended["valid_until"], "2025-02-28", "{ended}");
    assert_eq!(ended["valid_from"], serde_json::Value::Null, "{ended}");
    // The portal names it, says it has ended and whom to call now: the
    // province police above it.
    let (id, answer) = super::web_citizen_status::fresh(&w.router, "192.0.2.95").await;
    let p = super::web_citizen_status::submit(&w.router, "192.0.2.95", &code, &id, &answer).await;
    p.html(
        200,
        &[
            "Công an Huyện Cũ Thử",
            "không còn hoạt động từ ngày 01/03/2025",
            "Hãy liên hệ Công an Tỉnh Thử Nghiệm, đường dây nóng 09000079.",
        ],
    );
}
