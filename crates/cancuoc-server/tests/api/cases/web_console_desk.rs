//! The console's desk work through the real router: reception search by
//! personal ID and by unaccented name + date of birth, registration with
//! field errors, the fee preview with its legal basis, the capture
//! checklist's refusals, the print views with their barcode, and one
//! dossier walked from registration through every workflow step of the
//! dossier page's forms up to "returned". Refusals by role, office and
//! stale page are in `web_console_refusals.rs`.

use axum::Router;
use axum::http::Method;
use cancuoc_store::Store;

use super::web_console::{console_login, csrf_of, give_login};
use crate::world::{Page, World, open_dossier, page, register, web, world, world_with};

/// A logged-in browser: its cookie and the CSRF token of its session.
pub struct Browser {
    pub router: Router,
    pub cookie: String,
    pub csrf: String,
}

impl Browser {
    pub async fn login(w: &World, token: &str, login: &str) -> Self {
        give_login(w, token, login).await;
        let cookie = console_login(&w.router, login).await;
        let home = page(&w.router, "/can-bo", &[("cookie", cookie.as_str())]).await;
        let csrf = csrf_of(home.html(200, &[]));
        Self {
            router: w.router.clone(),
            cookie,
            csrf,
        }
    }

    pub async fn get(&self, uri: &str) -> Page {
        page(&self.router, uri, &[("cookie", self.cookie.as_str())]).await
    }

    /// POSTs a form with this session's CSRF token added.
    pub async fn post(&self, uri: &str, pairs: &[(&str, &str)]) -> Page {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(pairs);
        web(
            &self.router,
            Method::POST,
            uri,
            Some(&all),
            &[("cookie", self.cookie.as_str())],
        )
        .await
    }
}

/// One workflow step of the walk: who, to which state, extra fields.
type Step<'a> = (&'a Browser, &'static str, Vec<(&'static str, &'static str)>);

#[track_caller]
pub fn see_other(p: &Page) -> String {
    assert_eq!(p.status.as_u16(), 303, "{}", p.html);
    p.header("location").to_owned()
}

/// The hidden version field of a dossier page.
pub fn version_of(html: &str) -> String {
    let at = html
        .find("name=\"version\" value=\"")
        .expect("a version field");
    let rest = &html[at + "name=\"version\" value=\"".len()..];
    rest[..rest.find('"').expect("end")].to_owned()
}

/// Every slot of the capture form captured, a compliant portrait, and
/// features; `missing` replaces one slot's choice.
pub fn capture_form(
    missing: Option<(&'static str, &'static str, &'static str)>,
) -> Vec<(String, String)> {
    let slots = [
        "flat_right_four",
        "flat_left_four",
        "flat_thumbs",
        "rolled_right_thumb",
        "rolled_right_index",
        "rolled_right_middle",
        "rolled_right_ring",
        "rolled_right_little",
        "rolled_left_thumb",
        "rolled_left_index",
        "rolled_left_middle",
        "rolled_left_ring",
        "rolled_left_little",
    ];
    let mut v: Vec<(String, String)> = Vec::new();
    for s in slots {
        match missing {
            Some((slot, choice, reason)) if slot == s => {
                v.push((format!("s_{s}"), choice.into()));
                v.push((format!("r_{s}"), reason.into()));
            }
            _ => v.push((format!("s_{s}"), "captured".into())),
        }
    }
    for p in [
        "p_taken",
        "p_colour",
        "p_white_background",
        "p_frontal",
        "p_face_visible",
        "p_both_ears_visible",
        "p_no_glasses",
    ] {
        v.push((p.into(), "1".into()));
    }
    v.push(("p_head".into(), "bare".into()));
    v.push((
        "dac_diem".into(),
        "Nốt ruồi C: 1cm trên trước mày trái".into(),
    ));
    v
}

pub fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, x)| (k.as_str(), x.as_str())).collect()
}

/// The receptionist's browser, with "Nguyễn Văn An" (079090001234, born
/// 17/05/1990) on record; returns the browser and An's applicant page, as
/// the desk links it when it finds him by number.
async fn desk_with_an(w: &World) -> (Browser, String) {
    let desk = Browser::login(w, &w.receptionist, "le.tiep.nhan").await;
    register(w, "Nguyễn Văn An", "079090001234").await;
    let path = applicant_link(&desk, "079090001234").await;
    (desk, path)
}

/// The applicant page the desk links for the citizen it finds by number
/// (an opaque reference made for this officer).
pub async fn applicant_link(desk: &Browser, pid: &str) -> String {
    let found = desk.get(&format!("/can-bo/tiep-nhan?so={pid}")).await;
    let html = found.html(200, &[]);
    let at = html
        .find("href=\"/can-bo/tiep-nhan/cong-dan/")
        .expect("an applicant link");
    let rest = &html[at + "href=\"".len()..];
    rest[..rest.find(['"', '?']).expect("end of link")].to_owned()
}

/// The receptionist's browser and the console path of a dossier received
/// for `name` at DISTRICT (opened through the API).
pub async fn desk_with_dossier(w: &World, name: &str, pid: &str) -> (Browser, String, String) {
    let desk = Browser::login(w, &w.receptionist, "le.tiep.nhan").await;
    let id = register(w, name, pid).await;
    let d = open_dossier(w, id).await;
    let code = d["code"].as_str().expect("code").to_owned();
    (desk, format!("/can-bo/ho-so/{code}"), code)
}

pub async fn the_desk_finds_a_citizen_by_personal_id(store: Store) {
    let w = world(store).await;
    let (desk, _) = desk_with_an(&w).await;
    let by_id = desk.get("/can-bo/tiep-nhan?so=079090001234").await;
    by_id.html(200, &["Nguyễn Văn An", "079090001234", "17/05/1990"]);
    assert!(by_id.html.len() < 100 * 1024);
}

pub async fn the_desk_finds_a_citizen_by_unaccented_name_and_date_of_birth(store: Store) {
    let w = world(store).await;
    // A name search lists the citizens with an open dossier in scope.
    let (desk, _, _) = desk_with_dossier(&w, "Nguyễn Văn An", "079090001234").await;
    let by_name = desk
        .get("/can-bo/tiep-nhan?ten=nguyen+van+an&ngay_sinh=17%2F05%2F1990")
        .await;
    by_name.html(200, &["Nguyễn Văn An", "/can-bo/tiep-nhan/cong-dan/"]);
    desk.get("/can-bo/tiep-nhan?ten=NGUYEN+VAN&ngay_sinh=1990-05-17")
        .await
        .html(200, &["Nguyễn Văn An"]);
}

pub async fn a_desk_search_with_another_date_of_birth_offers_a_prefilled_registration(
    store: Store,
) {
    let w = world(store).await;
    let (desk, _) = desk_with_an(&w).await;
    let nobody = desk
        .get("/can-bo/tiep-nhan?ten=nguyen+van+an&ngay_sinh=18%2F05%2F1990")
        .await;
    nobody.html(200, &["id=\"khong-thay\"", "value=\"nguyen van an\""]);
}

pub async fn a_malformed_personal_id_on_the_desk_search_is_a_field_error(store: Store) {
    let w = world(store).await;
    let (desk, _) = desk_with_an(&w).await;
    desk.get("/can-bo/tiep-nhan?so=12345")
        .await
        .html(200, &["class=\"field-error\" id=\"so-err\""]);
}

pub async fn an_impossible_date_of_birth_on_the_desk_search_is_a_field_error(store: Store) {
    let w = world(store).await;
    let (desk, _) = desk_with_an(&w).await;
    desk.get("/can-bo/tiep-nhan?ten=an&ngay_sinh=31%2F02%2F1990")
        .await
        .html(200, &["id=\"ngay_sinh_tim-err\""]);
}

pub async fn the_desk_registration_names_every_missing_field_and_keeps_the_input(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let bad = desk
        .post(
            "/can-bo/tiep-nhan/dang-ky",
            &[("ho_ten", "Trần Thị Bình"), ("ngay_sinh", "30/02/1995")],
        )
        .await;
    bad.html(
        422,
        &[
            "value=\"Trần Thị Bình\"",
            "id=\"ngay_sinh-err\"",
            "id=\"gioi_tinh-err\"",
            "id=\"que_quan-err\"",
            "id=\"thuong_tru-err\"",
            "id=\"ma_khai_sinh-err\"",
        ],
    );
}

pub async fn a_desk_registration_of_a_personal_id_on_record_is_a_field_error(store: Store) {
    let w = world(store).await;
    let (desk, _) = desk_with_an(&w).await;
    // Not a 500.
    let dup = desk
        .post(
            "/can-bo/tiep-nhan/dang-ky",
            &[
                ("ho_ten", "Nguyễn Văn An"),
                ("ngay_sinh", "17/05/1990"),
                ("gioi_tinh", "male"),
                ("so_dinh_danh", "079090001234"),
                ("noi_khai_sinh", "Tỉnh Thử Nghiệm"),
                ("que_quan", "Xã Bình Thử"),
                ("thuong_tru", "Thôn 1, Xã Bình Thử"),
            ],
        )
        .await;
    dup.html(409, &["id=\"so_dinh_danh-err\"", "đã có trong hệ thống"]);
}

pub async fn the_fee_preview_shows_the_amount_and_its_legal_basis(store: Store) {
    let w = world(store).await;
    let (desk, path) = desk_with_an(&w).await;
    let lost = desk
        .post(&path, &[("ly_do", "lost"), ("hanh_dong", "tinh_phi")])
        .await;
    lost.html(200, &["70.000 đ", "Căn cứ", "Thông tư", "cấp lại thẻ"]);
}

pub async fn an_exemption_in_the_fee_preview_makes_it_free(store: Store) {
    let w = world(store).await;
    let (desk, path) = desk_with_an(&w).await;
    let exempt = desk
        .post(
            &path,
            &[
                ("ly_do", "lost"),
                ("mien", "poor-household"),
                ("hanh_dong", "tinh_phi"),
            ],
        )
        .await;
    exempt.html(200, &["0 đ", "value=\"poor-household\" checked"]);
}

pub async fn a_kind_the_reason_does_not_allow_is_a_field_error_in_the_fee_preview(store: Store) {
    let w = world(store).await;
    let (desk, path) = desk_with_an(&w).await;
    desk.post(
        &path,
        &[
            ("ly_do", "first-issue"),
            ("loai", "reissue"),
            ("hanh_dong", "tinh_phi"),
        ],
    )
    .await
    .html(422, &["id=\"loai-err\""]);
}

pub async fn an_unknown_reason_is_a_field_error_on_the_open_dossier_form(store: Store) {
    let w = world(store).await;
    let (desk, path) = desk_with_an(&w).await;
    desk.post(&path, &[("ly_do", "bay-gio")])
        .await
        .html(422, &["id=\"ly_do-err\""]);
}

pub async fn the_console_finds_a_dossier_again_by_its_code(store: Store) {
    let w = world(store).await;
    let (desk, dossier, code) = desk_with_dossier(&w, "Trần Thị Bình", "079195000123").await;
    assert_eq!(
        see_other(&desk.get(&format!("/can-bo/ho-so?ma={code}")).await),
        dossier
    );
}

pub async fn a_capture_slot_marked_other_needs_its_reason(store: Store) {
    let w = world(store).await;
    let (desk, dossier, _) = desk_with_dossier(&w, "Trần Thị Bình", "079195000123").await;
    let cap = format!("{dossier}/thu-nhan");
    let blank = capture_form(Some(("rolled_left_ring", "other", "")));
    desk.post(&cap, &pairs(&blank))
        .await
        .html(422, &["id=\"s_rolled_left_ring-err\""]);
    desk.get(&dossier)
        .await
        .html(200, &["Chưa thu nhận vân tay, ảnh chân dung."]);
}

pub async fn a_capture_with_a_gap_in_the_slot_order_is_refused(store: Store) {
    let w = world(store).await;
    let (desk, dossier, _) = desk_with_dossier(&w, "Trần Thị Bình", "079195000123").await;
    let cap = format!("{dossier}/thu-nhan");
    let mut gap = capture_form(None);
    gap.retain(|(k, _)| k != "s_flat_thumbs");
    desk.post(&cap, &pairs(&gap))
        .await
        .html(422, &["id=\"s_rolled_right_thumb-err\"", "thứ tự"]);
    desk.get(&dossier)
        .await
        .html(200, &["Chưa thu nhận vân tay, ảnh chân dung."]);
}

pub async fn the_print_views_carry_the_barcode_the_office_and_their_paper_size(store: Store) {
    let w = world(store).await;
    let (desk, dossier, code) = desk_with_dossier(&w, "Trần Thị Bình", "079195000123").await;
    // The one grouping of the code, as on the portal.
    let grouped = format!(
        "{} {} {} {}",
        &code[..4],
        &code[4..10],
        &code[10..15],
        &code[15..]
    );
    // The barcode as SVG, the digits, the office, A4/A5 (the names: the
    // receipt in full, the slip masked — `web_console_desk_checks.rs`).
    for (uri, size) in [
        (format!("{dossier}/in/bien-nhan"), "print-a4"),
        (format!("{dossier}/in/giay-hen"), "print-a5"),
    ] {
        let p = desk.get(&uri).await;
        p.html(
            200,
            &[
                "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"",
                "class=\"barcode\"",
                &format!("data-code=\"{code}\">{grouped}</span>"),
                &format!("aria-label=\"Mã vạch hồ sơ {code}\""),
                "Công an Huyện Đông Thử",
                "09000790",
                size,
            ],
        );
        assert!(p.html.len() < 100 * 1024, "{uri}: {} bytes", p.html.len());
    }
    // The slip: the full lookup address and its QR code.
    desk.get(&format!("{dossier}/in/giay-hen")).await.html(
        200,
        &[
            "GIẤY HẸN TRẢ KẾT QUẢ",
            "1900.0368",
            &format!("http://localhost/tra-cuu?ma={code}</span>"),
            "class=\"qr\"",
        ],
    );
}

pub async fn the_slip_prints_the_configured_public_address(store: Store) {
    let w = world_with(
        store,
        cancuoc_server::AppConfig {
            public_url: Some("https://cancuoc.example.vn".into()),
            ..cancuoc_server::AppConfig::default()
        },
    )
    .await;
    let (desk, dossier, code) = desk_with_dossier(&w, "Trần Thị Bình", "079195000123").await;
    let slip = desk.get(&format!("{dossier}/in/giay-hen")).await;
    slip.html(
        200,
        &[&format!(
            "https://cancuoc.example.vn/tra-cuu?ma={code}</span>"
        )],
    );
    assert!(!slip.html.contains("http://localhost"), "{}", slip.html);
}

pub async fn the_console_stylesheet_sets_a4_and_a5_pages(store: Store) {
    let w = world(store).await;
    let css = page(&w.router, "/static/console.css", &[]).await;
    assert_eq!(css.status.as_u16(), 200);
    assert!(css.html.contains("@page a5{size:A5"));
    assert!(css.html.contains("@page a4{size:A4"));
}

pub async fn web_console_reception_and_dossier_walk(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;

    // Registration through the form, then the applicant's page.
    let ok = desk
        .post(
            "/can-bo/tiep-nhan/dang-ky",
            &[
                ("ho_ten", "Trần Thị Bình"),
                ("ngay_sinh", "03/04/1995"),
                ("gioi_tinh", "female"),
                ("ma_khai_sinh", "79"),
                ("noi_khai_sinh", "Tỉnh Thử Nghiệm"),
                ("que_quan", "Xã Bình Thử"),
                ("thuong_tru", "Thôn 2, Xã Bình Thử"),
            ],
        )
        .await;
    let applicant = see_other(&ok);
    assert!(
        applicant.starts_with("/can-bo/tiep-nhan/cong-dan/"),
        "{applicant}"
    );
    let form = desk.get(&applicant).await;
    form.html(
        200,
        &[
            "Đã đăng ký công dân.",
            "Trần Thị Bình",
            "03/04/1995",
            "name=\"mien\"",
        ],
    );
    let path = applicant.split('?').next().expect("path").to_owned();

    // Open it: the dossier page with fee, basis, promised date, timeline.
    let opened = desk
        .post(
            &path,
            &[("ly_do", "first-issue"), ("hanh_dong", "lap_ho_so")],
        )
        .await;
    let at = see_other(&opened);
    assert!(
        at.starts_with("/can-bo/ho-so/") && at.ends_with("?ok=mo"),
        "{at}"
    );
    let code = at["/can-bo/ho-so/".len()..at.len() - "?ok=mo".len()].to_owned();
    assert_eq!(code.len(), 16);
    let dossier = format!("/can-bo/ho-so/{code}");
    let d = desk.get(&at).await;
    d.html(
        200,
        &[
            "Đã lập hồ sơ.",
            "Trần Thị Bình",
            "Đã tiếp nhận",
            "0 đ",
            "Căn cứ tính lệ phí",
            "Ngày hẹn trả",
            "Thời hạn từng bước",
            "Nhật ký hồ sơ",
            "Lê Tiếp Nhận",
            "/thu-nhan",
            "value=\"refused\"",
        ],
    );
    assert!(d.html.len() < 100 * 1024);

    // Capture: the checklist is saved through the service and shown again.
    let cap = format!("{dossier}/thu-nhan");
    desk.get(&cap).await.html(
        200,
        &[
            "vân tay phẳng 4 ngón chụm bàn tay phải",
            "vân tay lăn ngón út trái",
            "Đã chụp ảnh chân dung",
        ],
    );
    let with_reason = capture_form(Some(("rolled_left_ring", "other", "Ngón bị bỏng")));
    assert_eq!(
        see_other(&desk.post(&cap, &pairs(&with_reason)).await),
        format!("{dossier}?ok=thu-nhan")
    );
    desk.get(&cap)
        .await
        .html(200, &["value=\"Ngón bị bỏng\"", "value=\"other\" checked"]);
    desk.get(&dossier)
        .await
        .html(200, &["Phiếu thu nhận đầy đủ (13/13)"]);

    // Every step through the forms, each by the officer of its role.
    let approver = Browser::login(&w, &w.approver, "do.phe.duyet").await;
    let printer = Browser::login(&w, &w.printer, "bui.in.the").await;
    let dispatcher = Browser::login(&w, &w.dispatcher, "ngo.chuyen.phat").await;
    let returner = Browser::login(&w, &w.return_officer, "dang.tra.the").await;
    let other_office = Browser::login(&w, &w.other_receptionist, "pham.tiep.nhan").await;
    let step = format!("{dossier}/chuyen");
    let walk: [Step; 8] = [
        (&desk, "captured", vec![]),
        (&desk, "slip_issued", vec![("ghi_chu", "Đã thu lệ phí")]),
        (&desk, "sent_to_centre", vec![]),
        (&approver, "approved", vec![]),
        (&printer, "printed", vec![]),
        (&dispatcher, "dispatched", vec![]),
        (&returner, "ready_for_pickup", vec![]),
        (
            &returner,
            "returned",
            vec![("giay_to_cu", "none_to_collect")],
        ),
    ];
    for (who, to, extra) in walk {
        let before = who.get(&dossier).await;
        before.html(200, &[&format!("name=\"to\" value=\"{to}\"")]);
        let version = version_of(&before.html);
        // The wrong office is refused on the same form, before the right one.
        let refused = other_office
            .post(&step, &[("to", to), ("version", &version)])
            .await;
        refused.html(403, &["ngoài phạm vi đơn vị của bạn"]);
        // Without the CSRF token: refused too.
        let forged = web(
            &w.router,
            Method::POST,
            &step,
            Some(&[("to", to), ("version", version.as_str())]),
            &[("cookie", who.cookie.as_str())],
        )
        .await;
        forged.html(403, &["chống giả mạo"]);
        let mut form = vec![("to", to), ("version", version.as_str())];
        form.extend(extra);
        let moved = who.post(&step, &form).await;
        assert_eq!(see_other(&moved), format!("{dossier}?ok={to}"));
    }
    let done = desk.get(&format!("{dossier}?ok=returned")).await;
    done.html(200, &["Đã trả thẻ", "Đã chuyển hồ sơ sang: Đã trả thẻ."]);
    assert!(
        done.html.contains("không có bước nào"),
        "terminal: no forms"
    );
}

/// The value of hidden field `name` on a page.
fn hidden(html: &str, name: &str) -> String {
    let pat = format!("name=\"{name}\" value=\"");
    let at = html.find(&pat).unwrap_or_else(|| panic!("no {name} field"));
    let rest = &html[at + pat.len()..];
    rest[..rest.find('"').expect("end of value")].to_owned()
}

pub async fn a_double_submit_of_the_open_form_opens_one_dossier(store: Store) {
    let w = world(store).await;
    let (desk, applicant) = desk_with_an(&w).await;
    let form = desk.get(&applicant).await;
    let key = hidden(form.html(200, &[]), "khoa");
    assert!(!key.is_empty(), "the form carries its key");
    let submit = [
        ("ly_do", "first-issue"),
        ("hanh_dong", "lap_ho_so"),
        ("khoa", key.as_str()),
    ];
    // The officer clicks twice (or goes Back and submits again).
    let first = see_other(&desk.post(&applicant, &submit).await);
    let second = see_other(&desk.post(&applicant, &submit).await);
    assert_eq!(first, second, "the same dossier both times");
    let listed = crate::world::get(
        &w.router,
        "/api/v1/dossiers?office=790",
        Some(&w.receptionist),
    )
    .await;
    assert_eq!(
        listed.ok(200)["items"].as_array().map(Vec::len),
        Some(1),
        "one dossier for two submits"
    );
    // A fresh form (a new key) opens a second one, as the officer meant.
    let again = desk.get(&applicant).await;
    let other_key = hidden(again.html(200, &[]), "khoa");
    assert_ne!(other_key, key);
    let third = see_other(
        &desk
            .post(
                &applicant,
                &[
                    ("ly_do", "first-issue"),
                    ("hanh_dong", "lap_ho_so"),
                    ("khoa", other_key.as_str()),
                ],
            )
            .await,
    );
    assert_ne!(third, first);
}
