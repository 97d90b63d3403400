//! Citizen records in the officers' console: the reception desk follows the
//! service's read scope (a printer or the commune police cannot browse the
//! population by name or by number), the applicant page is addressed by an
//! opaque reference bound to the officer who was shown the citizen —
//! never by the sequential record id — and every read leaves an audit row
//! with its purpose. The desk's registration form is checked by the same
//! rule as the API. An appointment of another office pre-fills nothing.

use cancuoc_store::Store;

use super::web_booking::book;
use super::web_console_desk::{Browser, see_other};
use crate::world::{DISTRICT, World, register, world};

const AN: &str = "079090001234";

/// The receptionist's browser, with "Nguyễn Văn An" on record (no
/// dossier); returns the browser and An's record id.
async fn desk_with_an(w: &World) -> (Browser, i64) {
    let desk = Browser::login(w, &w.receptionist, "le.tiep.nhan").await;
    let id = register(w, "Nguyễn Văn An", AN).await;
    (desk, id)
}

/// The applicant links of a desk page.
fn applicant_links(html: &str) -> Vec<String> {
    html.match_indices("href=\"/can-bo/tiep-nhan/cong-dan/")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            let end = rest.find(['"', '?']).expect("end of link");
            rest[..end].to_owned()
        })
        .collect()
}

/// The desk's registration form for An's twin with `changes` applied.
fn registration<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("ho_ten", "Nguyễn Văn Hai"),
        ("ngay_sinh", "17/05/1990"),
        ("gioi_tinh", "male"),
        ("so_dinh_danh", "079090001235"),
        ("noi_khai_sinh", "Tỉnh Thử Nghiệm"),
        ("que_quan", "Xã Bình Thử"),
        ("thuong_tru", "Thôn 1, Xã Bình Thử"),
        ("dien_thoai", "0900000000"),
    ];
    for (k, v) in changes {
        match f.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = v,
            None => f.push((k, v)),
        }
    }
    f
}

pub async fn a_sequential_record_id_is_no_address_in_the_console(store: Store) {
    let w = world(store).await;
    let (desk, id) = desk_with_an(&w).await;
    let p = desk.get(&format!("/can-bo/tiep-nhan/cong-dan/{id}")).await;
    assert_eq!(p.status.as_u16(), 404, "{}", p.html);
    assert!(!p.html.contains("Nguyễn Văn An"));
}

pub async fn the_desk_links_a_found_citizen_by_an_opaque_reference(store: Store) {
    let w = world(store).await;
    let (desk, id) = desk_with_an(&w).await;
    let p = desk.get(&format!("/can-bo/tiep-nhan?so={AN}")).await;
    p.html(200, &["Nguyễn Văn An"]);
    let links = applicant_links(&p.html);
    assert_eq!(links.len(), 1, "{links:?}");
    let handle = &links[0];
    assert!(
        handle.len() >= 32 && handle.bytes().all(|b| b.is_ascii_hexdigit()),
        "{handle}"
    );
    assert_ne!(handle, &id.to_string());
    assert!(!handle.contains(AN));
    desk.get(&format!("/can-bo/tiep-nhan/cong-dan/{handle}"))
        .await
        .html(200, &["Nguyễn Văn An", "Lập hồ sơ cấp thẻ"]);
}

pub async fn another_officers_reference_is_not_found(store: Store) {
    let w = world(store).await;
    let (desk, _) = desk_with_an(&w).await;
    let p = desk.get(&format!("/can-bo/tiep-nhan?so={AN}")).await;
    let link = format!("/can-bo/tiep-nhan/cong-dan/{}", applicant_links(&p.html)[0]);
    let theirs = Browser::login(&w, &w.other_receptionist, "pham.tiep.nhan").await;
    let p = theirs.get(&link).await;
    assert_eq!(p.status.as_u16(), 404, "{}", p.html);
    assert!(!p.html.contains("Nguyễn Văn An"));
}

pub async fn a_printer_at_the_desk_finds_no_one_by_name(store: Store) {
    let w = world(store).await;
    desk_with_an(&w).await;
    let printer = Browser::login(&w, &w.printer, "bui.in.the").await;
    let p = printer.get("/can-bo/tiep-nhan?ten=nguyen+van+an").await;
    p.html(200, &["id=\"khong-thay\""]);
    assert!(!p.html.contains(AN), "{}", p.html);
}

pub async fn a_printer_at_the_desk_cannot_read_a_citizen_by_number(store: Store) {
    let w = world(store).await;
    desk_with_an(&w).await;
    let printer = Browser::login(&w, &w.printer, "bui.in.the").await;
    let p = printer.get(&format!("/can-bo/tiep-nhan?so={AN}")).await;
    assert_eq!(p.status.as_u16(), 403, "{}", p.html);
    assert!(!p.html.contains("Nguyễn Văn An"));
}

pub async fn commune_police_at_the_desk_cannot_read_a_citizen_by_number(store: Store) {
    let w = world(store).await;
    desk_with_an(&w).await;
    let police = Browser::login(&w, &w.commune_police, "hoang.xac.minh").await;
    let p = police.get(&format!("/can-bo/tiep-nhan?so={AN}")).await;
    assert_eq!(p.status.as_u16(), 403, "{}", p.html);
    assert!(!p.html.contains("Nguyễn Văn An"));
}

pub async fn each_desk_read_is_audited_with_its_purpose(store: Store) {
    let w = world(store).await;
    let (desk, id) = desk_with_an(&w).await;
    let p = desk.get(&format!("/can-bo/tiep-nhan?so={AN}")).await;
    let handle = applicant_links(&p.html)[0].clone();
    desk.get(&format!("/can-bo/tiep-nhan/cong-dan/{handle}"))
        .await
        .html(200, &[]);
    let purposes: Vec<String> = w
        .store
        .recent_audit(50)
        .await
        .expect("audit")
        .into_iter()
        .filter(|a| a.action == "citizen.read" && a.target == format!("citizen:{id}"))
        .map(|a| a.details)
        .collect();
    assert!(
        purposes.iter().any(|d| d.contains("reception")),
        "{purposes:?}"
    );
    assert!(
        purposes.iter().any(|d| d.contains("open_dossier")),
        "{purposes:?}"
    );
}

pub async fn a_script_in_the_name_at_the_desk_is_a_field_error(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let p = desk
        .post(
            "/can-bo/tiep-nhan/dang-ky",
            &registration(&[("ho_ten", "<script>alert(1)</script>")]),
        )
        .await;
    p.html(422, &["id=\"ho_ten-err\""]);
    assert!(!p.html.contains("<script>alert"), "unescaped");
}

pub async fn a_number_that_contradicts_the_sex_at_the_desk_is_a_field_error(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let p = desk
        .post(
            "/can-bo/tiep-nhan/dang-ky",
            &registration(&[("gioi_tinh", "female")]),
        )
        .await;
    p.html(422, &["id=\"so_dinh_danh-err\"", "giới tính"]);
}

pub async fn a_desk_registration_leads_to_the_applicant_by_reference(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let to = see_other(
        &desk
            .post("/can-bo/tiep-nhan/dang-ky", &registration(&[]))
            .await,
    );
    let handle = to
        .strip_prefix("/can-bo/tiep-nhan/cong-dan/")
        .and_then(|r| r.split('?').next())
        .unwrap_or_else(|| panic!("{to}"));
    assert!(
        handle.len() >= 32 && handle.bytes().all(|b| b.is_ascii_hexdigit()),
        "{to}"
    );
    desk.get(&to).await.html(200, &["Nguyễn Văn Hai"]);
}

pub async fn another_offices_appointment_prefills_nothing_at_the_desk(store: Store) {
    let w = world(store).await;
    let code = book(&w.router, DISTRICT, "2026-11-23", "08:00", "0912000777").await;
    let theirs = Browser::login(&w, &w.other_receptionist, "pham.tiep.nhan").await;
    let p = theirs
        .get(&format!("/can-bo/tiep-nhan?booking={code}"))
        .await;
    p.html(200, &["Không tìm thấy lịch hẹn này"]);
    for private in ["Trần Thị Hẹn", "0912000777"] {
        assert!(!p.html.contains(private), "{private} shown");
    }
}
