//! The online declaration through the router: opened with the booking's
//! code and phone, every field checked with its message beside it, saved as
//! a draft, reloaded, and frozen once the booking is received or cancelled.

use axum::http::Method;
use cancuoc_store::Store;

use super::web_booking::book;
use crate::world::{DISTRICT, Page, web, world};

fn valid<'a>(code: &'a str, phone: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("ma", code),
        ("dien_thoai", phone),
        ("ho_ten", "Trần  Thị Hẹn"),
        ("ngay_sinh", "17/05/1990"),
        ("gioi_tinh", "female"),
        ("so_dinh_danh", "079 190 000001"),
        ("quoc_tich", "Việt Nam"),
        ("dan_toc", "Kinh"),
        ("ton_giao", "Phật giáo"),
        ("que_quan", "Xã Bình Thử, Huyện Đông Thử, Tỉnh Thử Nghiệm"),
        ("noi_dang_ky_khai_sinh", "UBND Xã Bình Thử, Tỉnh Thử Nghiệm"),
        ("thuong_tru", "Thôn 1, Xã Bình Thử"),
        ("noi_o_hien_tai", "Thôn 1, Xã Bình Thử"),
        ("so_dien_thoai", phone),
        ("email", ""),
        ("nghe_nghiep", "Giáo viên"),
        ("ho_ten_cha", "Trần Văn Cha"),
        ("ho_ten_me", ""),
        ("ho_ten_vo_chong", ""),
    ]
}

fn with(
    mut v: Vec<(&'static str, &'static str)>,
    k: &str,
    val: &'static str,
) -> Vec<(&'static str, &'static str)> {
    for p in &mut v {
        if p.0 == k {
            p.1 = val;
        }
    }
    v
}

pub async fn web_declaration_validation_and_draft(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    let phone = "0912555666";
    let code = book(r, DISTRICT, "2026-11-24", "08:00", phone).await;
    let code: &'static str = Box::leak(code.into_boxed_str());
    let post = |path: &'static str, pairs: Vec<(&'static str, &'static str)>| {
        let r = r.clone();
        async move { web(&r, Method::POST, path, Some(&pairs), &[]).await }
    };

    // The entry form, the code pre-filled from the confirmation link.
    let p = crate::world::page(r, &format!("/to-khai?ma={code}"), &[]).await;
    p.html(
        200,
        &[
            &format!("value=\"{code}\""),
            "<label for=\"ma\">",
            "action=\"/to-khai/mo\"",
        ],
    );
    // Wrong phone: the same not-found as everywhere.
    post(
        "/to-khai/mo",
        vec![("ma", code), ("dien_thoai", "0912555667")],
    )
    .await
    .html(
        404,
        &["Không tìm thấy lịch hẹn với mã và số điện thoại này"],
    );
    // Right pair: the form, pre-filled from the booking.
    let open = post("/to-khai/mo", vec![("ma", code), ("dien_thoai", phone)]).await;
    open.html(
        200,
        &[
            "value=\"Trần Thị Hẹn\"",
            "value=\"Việt Nam\"",
            "value=\"0912555666\"",
            "<label for=\"ngay_sinh\">",
            "<legend>3. Giới tính</legend>",
            "<label for=\"noi_dang_ky_khai_sinh\">",
            "<label for=\"ho_ten_vo_chong\">",
            "Lưu tờ khai",
        ],
    );
    assert!(open.html.len() < 100 * 1024);

    // Every bad field gets its own message; what was typed stays.
    let bad = vec![
        ("ma", code),
        ("dien_thoai", phone),
        ("ho_ten", "Trần Thị Hẹn 2"),
        ("ngay_sinh", "31/02/1990"),
        ("gioi_tinh", ""),
        ("so_dinh_danh", "0791900000"),
        ("quoc_tich", "Việt Nam"),
        ("dan_toc", ""),
        ("ton_giao", "Không"),
        ("que_quan", "Xã Bình Thử"),
        ("noi_dang_ky_khai_sinh", "Xã Bình Thử"),
        ("thuong_tru", "Thôn 1"),
        ("noi_o_hien_tai", "Thôn 1"),
        ("so_dien_thoai", "12345"),
        ("email", "ten@"),
        ("nghe_nghiep", ""),
        ("ho_ten_cha", "Cha 1"),
        ("ho_ten_me", ""),
        ("ho_ten_vo_chong", ""),
    ];
    let p = post("/to-khai?lang=en", bad).await;
    p.html(
        422,
        &[
            "The declaration was not saved",
            "id=\"ho_ten-err\"",
            "id=\"ngay_sinh-err\"",
            "“31/02/1990” is not a date of birth",
            "id=\"gioi_tinh-err\"",
            "id=\"so_dinh_danh-err\"",
            "id=\"dan_toc-err\"",
            "Enter the ethnicity.",
            "id=\"so_dien_thoai-err\"",
            "id=\"email-err\"",
            "id=\"ho_ten_cha-err\"",
            "value=\"31/02/1990\"",
            "value=\"ten@\"",
        ],
    );
    let errs = |p: &Page| p.html.matches("class=\"field-error\"").count();
    assert_eq!(errs(&p), 8, "{}", p.html);
    assert_eq!(w.store.declaration_of(code).await.expect("none"), None);
    // The ID number disagrees with the declared sex: said beside the ID.
    let p = post("/to-khai", with(valid(code, phone), "gioi_tinh", "male")).await;
    p.html(422, &["id=\"so_dinh_danh-err\""]);
    assert_eq!(errs(&p), 1, "{}", p.html);
    // A future date of birth.
    post("/to-khai", with(valid(code, phone), "ngay_sinh", "2027"))
        .await
        .html(422, &["id=\"ngay_sinh-err\"", "từ năm 1900 đến hôm nay"]);

    // Valid: saved, 303 to the confirmation which says so.
    let ok = post("/to-khai", valid(code, phone)).await;
    assert_eq!(ok.status.as_u16(), 303, "{}", ok.html);
    let c = crate::world::page(r, ok.header("location"), &[]).await;
    c.html(200, &["id=\"saved\"", "Đã khai"]);
    let d = w
        .store
        .declaration_of(code)
        .await
        .expect("get")
        .expect("saved");
    assert_eq!(d.full_name, "Trần Thị Hẹn");
    assert_eq!(d.date_of_birth.to_string(), "1990-05-17");
    assert_eq!(d.personal_id.as_deref(), Some("079190000001"));
    assert_eq!(d.email, None);

    // Reopened: the draft, editable, the date of birth as it was typed
    // (stored as ISO); a partial date is accepted.
    let again = post("/to-khai/mo", vec![("ma", code), ("dien_thoai", phone)]).await;
    again.html(
        200,
        &[
            "value=\"Phật giáo\"",
            "value=\"17/05/1990\"",
            "value=\"Giáo viên\"",
        ],
    );
    assert!(!again.html.contains("1990-05-17"), "{}", again.html);
    let ok = post("/to-khai", with(valid(code, phone), "ngay_sinh", "05/1990")).await;
    assert_eq!(ok.status.as_u16(), 303, "{}", ok.html);
    let d = w
        .store
        .declaration_of(code)
        .await
        .expect("get")
        .expect("saved");
    assert_eq!(d.date_of_birth.to_string(), "1990-05");
    post("/to-khai/mo", vec![("ma", code), ("dien_thoai", phone)])
        .await
        .html(200, &["value=\"05/1990\""]);

    // The officers' list shows it declared.
    let res = crate::world::get(
        r,
        "/api/v1/offices/790/bookings?date=2026-11-24",
        Some(&w.receptionist),
    )
    .await;
    assert_eq!(res.ok(200)["bookings"][0]["declared"], true);

    // Received at the desk: frozen; the form says so and saving is refused.
    let desk = w
        .store
        .officer_by_token(&cancuoc_store::Token::from_presented(&w.receptionist))
        .await
        .expect("receptionist");
    let received = w
        .store
        .receive_booking(code, desk.office, desk.id, 0)
        .await
        .expect("receive");
    assert!(
        matches!(received, cancuoc_store::Reception::Marked(_)),
        "{received:?}"
    );
    let frozen = post("/to-khai/mo", vec![("ma", code), ("dien_thoai", phone)]).await;
    frozen.html(200, &["không còn sửa được"]);
    assert!(!frozen.html.contains("Lưu tờ khai</button>"));
    post("/to-khai", valid(code, phone))
        .await
        .html(409, &["không còn sửa được"]);
}
