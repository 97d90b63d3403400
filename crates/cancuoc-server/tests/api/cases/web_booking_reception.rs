//! An appointment at the reception desk: `/can-bo/tiep-nhan?booking=CODE`
//! pre-fills the form (the usual defaults kept where the citizen declared
//! nothing), the code rides along through registration (or the found
//! citizen's link) to the open-dossier form, and opening the dossier marks
//! the appointment received on the day's list, once, whatever the number
//! of submits; another office's appointment is left alone. Also the
//! booking page's province step, named by province.

use cancuoc_store::{BookingState, NewOffice, OfficeLevel, OpeningHours, Store};

use super::web_booking::book;
use super::web_console_desk::Browser;
use crate::world::{DISTRICT, web};
use crate::world::{MINISTRY, OTHER_DISTRICT, Page, T0, World, page, world};

#[track_caller]
fn location(p: &Page) -> String {
    assert_eq!(p.status.as_u16(), 303, "{}", p.html);
    p.header("location").to_owned()
}

async fn state_of(w: &World, code: &str) -> BookingState {
    w.store.booking_by_code(code).await.expect("booking").state
}

/// Registers the booked citizen from the pre-filled desk; returns the
/// applicant page's path and query.
async fn register_from(desk: &Browser, code: &str) -> String {
    let ok = desk
        .post(
            "/can-bo/tiep-nhan/dang-ky",
            &[
                ("booking", code),
                ("ho_ten", "Trần Thị Hẹn"),
                ("ngay_sinh", "03/04/1995"),
                ("gioi_tinh", "female"),
                ("ma_khai_sinh", "79"),
                ("noi_khai_sinh", "Tỉnh Thử Nghiệm"),
                ("que_quan", "Xã Bình Thử"),
                ("thuong_tru", "Thôn 2, Xã Bình Thử"),
                ("quoc_tich", "Việt Nam"),
                ("dan_toc", "Kinh"),
                ("ton_giao", "Không"),
            ],
        )
        .await;
    location(&ok)
}

/// The receptionist's browser and a booking at DISTRICT on Monday 08:00.
async fn desk_and_booking(w: &World) -> (Browser, String) {
    let desk = Browser::login(w, &w.receptionist, "le.tiep.nhan").await;
    let code = book(&w.router, DISTRICT, "2026-11-23", "08:00", "0912000777").await;
    (desk, code)
}

/// The open-dossier form's fields for a first issue from `booking`.
fn open_from(booking: &str) -> [(&str, &str); 3] {
    [
        ("ly_do", "first-issue"),
        ("hanh_dong", "lap_ho_so"),
        ("booking", booking),
    ]
}

/// Registers the booked citizen and returns the applicant page's path
/// (without its query).
async fn applicant_path(desk: &Browser, code: &str) -> String {
    let applicant = register_from(desk, code).await;
    applicant.split('?').next().expect("path").to_owned()
}

#[track_caller]
fn opened(p: &Page) -> String {
    let dossier = location(p);
    assert!(
        dossier.starts_with("/can-bo/ho-so/") && dossier.ends_with("?ok=mo"),
        "{dossier}"
    );
    dossier
}

pub async fn the_desk_prefills_from_a_booking_and_keeps_the_usual_defaults(store: Store) {
    let w = world(store).await;
    let (desk, code) = desk_and_booking(&w).await;
    // No online declaration: the booking's name and phone, and the usual
    // defaults for what it does not say (not blanks).
    let p = desk.get(&format!("/can-bo/tiep-nhan?booking={code}")).await;
    p.html(
        200,
        &[
            "value=\"Trần Thị Hẹn\"",
            "value=\"0912000777\"",
            "id=\"quoc_tich\" name=\"quoc_tich\" value=\"Việt Nam\"",
            "id=\"dan_toc\" name=\"dan_toc\" value=\"Kinh\"",
            "id=\"ton_giao\" name=\"ton_giao\" value=\"Không\"",
            "chưa có tờ khai trực tuyến",
            &format!("name=\"booking\" value=\"{code}\""),
        ],
    );
}

pub async fn an_unknown_appointment_at_the_desk_says_so_and_carries_nothing(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let p = desk
        .get("/can-bo/tiep-nhan?booking=12345678901&lang=en")
        .await;
    p.html(200, &["No such appointment"]);
    assert!(!p.html.contains("name=\"booking\" value=\"12345678901\""));
}

pub async fn registering_from_a_booking_carries_it_to_the_open_dossier_form(store: Store) {
    let w = world(store).await;
    let (desk, code) = desk_and_booking(&w).await;
    let applicant = register_from(&desk, &code).await;
    assert!(
        applicant.ends_with(&format!("&booking={code}")),
        "{applicant}"
    );
    desk.get(&applicant).await.html(
        200,
        &[
            &format!("name=\"booking\" value=\"{code}\""),
            "Theo lịch hẹn",
        ],
    );
    // Registering alone does not receive the appointment.
    assert_eq!(state_of(&w, &code).await, BookingState::Booked);
}

pub async fn opening_the_dossier_marks_the_appointment_received(store: Store) {
    let w = world(store).await;
    let (desk, code) = desk_and_booking(&w).await;
    let path = applicant_path(&desk, &code).await;
    opened(&desk.post(&path, &open_from(&code)).await);
    assert_eq!(state_of(&w, &code).await, BookingState::Received);
    let list = desk.get("/can-bo/lich-hen?ngay=2026-11-23").await;
    list.html(200, &["Đã tiếp nhận", "đã tiếp nhận 1"]);
    assert!(
        !list
            .html
            .contains(&format!("href=\"/can-bo/tiep-nhan?booking={code}\"")),
        "a received appointment is no longer offered to the desk"
    );
}

pub async fn a_repeated_open_submit_receives_the_appointment_once(store: Store) {
    let w = world(store).await;
    let (desk, code) = desk_and_booking(&w).await;
    let path = applicant_path(&desk, &code).await;
    opened(&desk.post(&path, &open_from(&code)).await);
    // No error from the appointment, and it is still received once.
    opened(&desk.post(&path, &open_from(&code)).await);
    assert_eq!(state_of(&w, &code).await, BookingState::Received);
    desk.get("/can-bo/lich-hen?ngay=2026-11-23")
        .await
        .html(200, &["đã tiếp nhận 1"]);
}

pub async fn a_found_citizens_link_carries_the_appointment(store: Store) {
    let w = world(store).await;
    let (desk, code) = desk_and_booking(&w).await;
    // A citizen already on record (registered from the first booking,
    // whose dossier is open here: a name search lists them).
    let path = applicant_path(&desk, &code).await;
    opened(&desk.post(&path, &open_from(&code)).await);
    let second = book(&w.router, DISTRICT, "2026-11-23", "08:30", "0912000778").await;
    let p = desk
        .get(&format!("/can-bo/tiep-nhan?booking={second}"))
        .await;
    let link = format!("{path}?booking={second}");
    p.html(200, &[&format!("href=\"{link}\"")]);
    desk.get(&link)
        .await
        .html(200, &[&format!("name=\"booking\" value=\"{second}\"")]);
}

pub async fn another_offices_appointment_is_not_marked_from_this_desk(store: Store) {
    let w = world(store).await;
    let (desk, code) = desk_and_booking(&w).await;
    let path = applicant_path(&desk, &code).await;
    let theirs = book(
        &w.router,
        OTHER_DISTRICT,
        "2026-11-23",
        "08:00",
        "0912000779",
    )
    .await;
    // The dossier opens; the appointment is left alone.
    opened(&desk.post(&path, &open_from(&theirs)).await);
    assert_eq!(state_of(&w, &theirs).await, BookingState::Booked);
}

/// A province office named the usual way, beside the test tree's.
async fn hanoi(store: Store) -> World {
    let w = world(store).await;
    w.store
        .create_office(
            &NewOffice {
                code: 10,
                name: "Phòng Cảnh sát QLHC về TTXH – Công an Thành phố Hà Nội".into(),
                level: OfficeLevel::Province,
                parent: Some(MINISTRY),
                address: "Số 10 Đường Thử Nghiệm".into(),
                hotline: "0900000010".into(),
                opening_hours: OpeningHours::usual_with_saturday_morning(),
                daily_capacity: 100,
                in_force: cancuoc_store::Period::ALWAYS,
            },
            None,
            T0,
        )
        .await
        .expect("office");
    w.app.service().reload_offices().await.expect("reload");
    w
}

pub async fn the_booking_names_provinces_by_their_own_name_in_order(store: Store) {
    let w = hanoi(store).await;
    let p = page(&w.router, "/dat-lich", &[]).await;
    let html = p.html(
        200,
        &[
            "<option value=\"10\">Hà Nội</option>",
            "<option value=\"79\">Tỉnh Thử Nghiệm</option>",
        ],
    );
    assert!(!html.contains("Phòng Cảnh sát"), "office names in step 1");
    // Alphabetical by the names shown.
    let at = |name: &str| html.find(name).unwrap_or_else(|| panic!("{name} listed"));
    assert!(at(">Hà Nội<") < at(">Tỉnh Thử Nghiệm<"));
}

pub async fn the_booking_lists_a_provinces_offices_by_their_own_names(store: Store) {
    let w = hanoi(store).await;
    web(
        &w.router,
        axum::http::Method::GET,
        "/dat-lich?tinh=10",
        None,
        &[],
    )
    .await
    .html(
        200,
        &["Phòng Cảnh sát QLHC về TTXH – Công an Thành phố Hà Nội"],
    );
}
