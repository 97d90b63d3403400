//! The console's desk work through the real router: reception search by
//! personal ID and by unaccented name + date of birth, registration with
//! field errors, the fee preview with its legal basis, opening a dossier,
//! the capture checklist, every workflow step through the dossier page's
//! forms up to "returned", a stale page, wrong role and wrong office on
//! every POST, and the print views with their barcode.

use axum::Router;
use axum::http::Method;
use cancuoc_store::Store;

use super::web_console::{console_login, csrf_of, give_login};
use crate::world::{Page, World, page, register, web, world};

/// A logged-in browser: its cookie and the CSRF token of its session.
pub struct Browser {
    router: Router,
    cookie: String,
    csrf: String,
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
fn see_other(p: &Page) -> String {
    assert_eq!(p.status.as_u16(), 303, "{}", p.html);
    p.header("location").to_owned()
}

/// The hidden version field of a dossier page.
fn version_of(html: &str) -> String {
    let at = html
        .find("name=\"version\" value=\"")
        .expect("a version field");
    let rest = &html[at + "name=\"version\" value=\"".len()..];
    rest[..rest.find('"').expect("end")].to_owned()
}

/// Every slot of the capture form captured, a compliant portrait, and
/// features; `missing` replaces one slot's choice.
fn capture_form(
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

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, x)| (k.as_str(), x.as_str())).collect()
}

pub async fn web_console_reception_and_dossier_walk(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    register(&w, "Nguyễn Văn An", "079090001234").await;

    // Search by personal ID, by unaccented name + DOB; a wrong DOB finds
    // nobody and offers the registration form pre-filled.
    let by_id = desk.get("/can-bo/tiep-nhan?so=079090001234").await;
    by_id.html(200, &["Nguyễn Văn An", "079090001234", "17/05/1990"]);
    assert!(by_id.html.len() < 100 * 1024);
    let by_name = desk
        .get("/can-bo/tiep-nhan?ten=nguyen+van+an&ngay_sinh=17%2F05%2F1990")
        .await;
    by_name.html(200, &["Nguyễn Văn An", "/can-bo/tiep-nhan/cong-dan/"]);
    desk.get("/can-bo/tiep-nhan?ten=NGUYEN+VAN&ngay_sinh=1990-05-17")
        .await
        .html(200, &["Nguyễn Văn An"]);
    let nobody = desk
        .get("/can-bo/tiep-nhan?ten=nguyen+van+an&ngay_sinh=18%2F05%2F1990")
        .await;
    nobody.html(200, &["id=\"khong-thay\"", "value=\"nguyen van an\""]);
    desk.get("/can-bo/tiep-nhan?so=12345")
        .await
        .html(200, &["class=\"field-error\" id=\"so-err\""]);
    desk.get("/can-bo/tiep-nhan?ten=an&ngay_sinh=31%2F02%2F1990")
        .await
        .html(200, &["id=\"ngay_sinh_tim-err\""]);

    // Registration: every missing field is named, what was typed is kept.
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
    // A personal ID already on record is a field error, not a 500.
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

    // The fee with its legal basis before opening; exemptions count.
    let lost = desk
        .post(&path, &[("ly_do", "lost"), ("hanh_dong", "tinh_phi")])
        .await;
    lost.html(200, &["70.000 đ", "Căn cứ", "Thông tư", "cấp lại thẻ"]);
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
    desk.post(&path, &[("ly_do", "bay-gio")])
        .await
        .html(422, &["id=\"ly_do-err\""]);

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
    // Found again by code from the console home box.
    assert_eq!(
        see_other(&desk.get(&format!("/can-bo/ho-so?ma={code}")).await),
        dossier
    );
    desk.get("/can-bo/ho-so?ma=123").await.html(400, &[]);

    // Capture: an "other" reason needs words; the checklist is saved through
    // the service and shown again.
    let cap = format!("{dossier}/thu-nhan");
    desk.get(&cap).await.html(
        200,
        &[
            "vân tay phẳng 4 ngón chụm bàn tay phải",
            "vân tay lăn ngón út trái",
            "Đã chụp ảnh chân dung",
        ],
    );
    let blank = capture_form(Some(("rolled_left_ring", "other", "")));
    desk.post(&cap, &pairs(&blank))
        .await
        .html(422, &["id=\"s_rolled_left_ring-err\""]);
    let mut gap = capture_form(None);
    gap.retain(|(k, _)| k != "s_flat_thumbs");
    desk.post(&cap, &pairs(&gap))
        .await
        .html(422, &["id=\"s_rolled_right_thumb-err\"", "thứ tự"]);
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
        assert_eq!(refused.status.as_u16(), 403, "{to} by the other office");
        // Without the CSRF token: refused too.
        let forged = web(
            &w.router,
            Method::POST,
            &step,
            Some(&[("to", to), ("version", version.as_str())]),
            &[("cookie", who.cookie.as_str())],
        )
        .await;
        assert_eq!(forged.status.as_u16(), 403, "{to} without csrf");
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

    // Print views: the barcode as SVG, the digits, masked name, A4/A5.
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
                &format!("data-code=\"{code}\">{code}</span>"),
                &format!("aria-label=\"Mã vạch hồ sơ {code}\""),
                "Trần T** B***",
                "Công an Huyện Đông Thử",
                "09000790",
                size,
            ],
        );
        assert!(
            !p.html.contains("Trần Thị Bình"),
            "full name on a print view"
        );
        assert!(p.html.len() < 100 * 1024, "{uri}: {} bytes", p.html.len());
    }
    desk.get(&format!("{dossier}/in/giay-hen"))
        .await
        .html(200, &["GIẤY HẸN TRẢ KẾT QUẢ", "1900.0368"]);
    let css = page(&w.router, "/static/console.css", &[]).await;
    assert!(css.html.contains("@page a5{size:A5"));
    assert!(css.html.contains("@page a4{size:A4"));
}

pub async fn web_console_refusals_and_stale_pages(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let printer = Browser::login(&w, &w.printer, "bui.in.the").await;
    let approver = Browser::login(&w, &w.approver, "do.phe.duyet").await;
    let other_office = Browser::login(&w, &w.other_receptionist, "pham.tiep.nhan").await;
    let id = register(&w, "Lý Thị Cúc", "079190004321").await;
    let applicant = format!("/can-bo/tiep-nhan/cong-dan/{id}");

    // Wrong role on every desk POST: register, open, capture.
    let reg = [
        ("ho_ten", "Đào Văn Dũng"),
        ("ngay_sinh", "1980"),
        ("gioi_tinh", "male"),
        ("ma_khai_sinh", "79"),
        ("noi_khai_sinh", "Tỉnh Thử Nghiệm"),
        ("que_quan", "Xã Bình Thử"),
        ("thuong_tru", "Thôn 3"),
    ];
    printer
        .post("/can-bo/tiep-nhan/dang-ky", &reg)
        .await
        .html(403, &["Vai trò"]);
    approver
        .post(
            &applicant,
            &[("ly_do", "first-issue"), ("hanh_dong", "lap_ho_so")],
        )
        .await
        .html(403, &["Vai trò"]);
    let at = see_other(
        &desk
            .post(
                &applicant,
                &[("ly_do", "first-issue"), ("hanh_dong", "lap_ho_so")],
            )
            .await,
    );
    let dossier = at.split('?').next().expect("path").to_owned();
    let cap = format!("{dossier}/thu-nhan");
    let full = capture_form(None);
    approver.get(&cap).await.html(200, &["bạn chỉ xem"]);
    approver.post(&cap, &pairs(&full)).await.html(403, &[]);
    // Wrong office: cannot read, capture or move another office's dossier.
    other_office.get(&dossier).await.html(403, &[]);
    other_office.post(&cap, &pairs(&full)).await.html(403, &[]);
    let page_html = desk.get(&dossier).await.html.clone();
    let v1 = version_of(&page_html);
    other_office
        .post(
            &format!("{dossier}/chuyen"),
            &[("to", "refused"), ("version", &v1), ("ghi_chu", "x")],
        )
        .await
        .html(403, &[]);
    // Wrong role on a step the table gives another role.
    printer
        .post(
            &format!("{dossier}/chuyen"),
            &[("to", "captured"), ("version", &v1)],
        )
        .await
        .html(403, &[]);
    // CSRF missing on a desk POST.
    let forged = web(
        &w.router,
        Method::POST,
        "/can-bo/tiep-nhan/dang-ky",
        Some(&reg),
        &[("cookie", desk.cookie.as_str())],
    )
    .await;
    forged.html(403, &["chống giả mạo"]);
    // Anonymous POSTs go to the login page, nothing is written.
    let anon = web(
        &w.router,
        Method::POST,
        "/can-bo/tiep-nhan/dang-ky",
        Some(&reg),
        &[],
    )
    .await;
    assert_eq!(see_other(&anon), "/can-bo/dang-nhap?next=%2Fcan-bo");
    desk.get("/can-bo/tiep-nhan?ten=dao+van+dung")
        .await
        .html(200, &["id=\"khong-thay\""]);

    // A step that needs input says so and changes nothing.
    desk.post(
        &format!("{dossier}/chuyen"),
        &[("to", "refused"), ("version", &v1)],
    )
    .await
    .html(422, &["Đã tiếp nhận"]);
    desk.post(
        &format!("{dossier}/chuyen"),
        &[("to", "captured"), ("version", &v1)],
    )
    .await
    .html(422, &[]);

    // Two officers on the same page: the second one's step is refused as
    // stale (409), with the current state shown, never applied twice.
    let save = see_other(&desk.post(&cap, &pairs(&full)).await);
    assert!(save.ends_with("?ok=thu-nhan"));
    let v = version_of(&desk.get(&dossier).await.html);
    see_other(
        &desk
            .post(
                &format!("{dossier}/chuyen"),
                &[("to", "captured"), ("version", &v)],
            )
            .await,
    );
    let stale = desk
        .post(
            &format!("{dossier}/chuyen"),
            &[
                ("to", "refused"),
                ("version", &v),
                ("ghi_chu", "Thiếu giấy tờ"),
            ],
        )
        .await;
    stale.html(409, &["CHƯA được thực hiện", "Đã thu nhận thông tin"]);
    let now = desk.get(&dossier).await;
    now.html(200, &["Đã thu nhận thông tin"]);
    assert!(
        !now.html.contains("Thiếu giấy tờ"),
        "the stale step was applied"
    );
    // A double submit of the same rendered form is answered once.
    let key_at = now.html.find("name=\"key\" value=\"").expect("key") + 18;
    let key = &now.html[key_at..key_at + now.html[key_at..].find('"').expect("end")];
    let v2 = version_of(&now.html);
    let form = [
        ("to", "slip_issued"),
        ("version", v2.as_str()),
        ("key", key),
    ];
    see_other(&desk.post(&format!("{dossier}/chuyen"), &form).await);
    see_other(&desk.post(&format!("{dossier}/chuyen"), &form).await);
    let after = desk.get(&dossier).await.html.clone();
    assert_eq!(after.matches("<li><time>").count(), 3, "one event per step");

    // English pages.
    desk.get(&format!("{dossier}?lang=en")).await.html(
        200,
        &[
            "Timeline",
            "Stage deadlines",
            "Fee paid, appointment slip issued",
        ],
    );
}
