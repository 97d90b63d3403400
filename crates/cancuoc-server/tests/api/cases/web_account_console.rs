//! The officers' side of the accounts in the console, and the
//! declaration's request for one: the panel on the applicant page (level,
//! lock, events; grant level 2 after an in-person check, lower with a
//! reason, lock and unlock with a reason, each with the console's CSRF
//! token), what the citizen then sees on the portal, and the declaration's
//! checkbox saved with the draft.

use cancuoc_store::Store;

use super::web_account::{
    AccountWorld, PHONE, PID, get_with, holder, log_in, login_form, post_public, register,
};
use super::web_booking_declaration::{booked, open, saved, stored, valid};
use super::web_console_desk::{Browser, applicant_link};

/// The receptionist's console and the applicant page of the holder.
async fn desk(a: &AccountWorld) -> (Browser, String) {
    let desk = Browser::login(&a.w, &a.w.receptionist, "le.tiep.nhan").await;
    let path = applicant_link(&desk, PID).await;
    (desk, path)
}

pub async fn the_applicant_page_shows_the_account_and_grants_level_two(store: Store) {
    let a = AccountWorld::new(store).await;
    let h = holder(&a.w.store, PID, PHONE).await;
    let (desk, path) = desk(&a).await;
    // No account yet: level 2 may still be granted (the citizen then
    // registers a password).
    let page = desk.get(&path).await;
    page.html(
        200,
        &[
            "id=\"tai-khoan\"",
            "Tài khoản định danh điện tử",
            "Chưa có tài khoản",
            "name=\"hanh_dong\" value=\"cap_muc_2\"",
            "value=\"portrait\" checked",
            "value=\"fingerprints\"",
        ],
    );
    register(&a, &h).await;
    let cookie = log_in(&a, &h, None).await;
    let page = desk.get(&path).await;
    let html = page.html(
        200,
        &[
            "Mức độ 1",
            "Đang hoạt động",
            "Sự kiện gần đây",
            "Đăng ký tài khoản",
        ],
    );
    assert!(
        html.contains(&format!("action=\"{path}/tai-khoan\"")),
        "{html}"
    );
    // Without the console's token: refused, nothing changed.
    let forged = super::web_account::send(
        a.router(),
        "10.5.0.1",
        axum::http::Method::POST,
        &format!("{path}/tai-khoan"),
        Some(&desk.cookie),
        Some(&[("hanh_dong", "cap_muc_2"), ("tk_phuong_thuc", "portrait")]),
    )
    .await;
    forged.html(403, &["sai mã chống giả mạo"]);
    let granted = desk
        .post(
            &format!("{path}/tai-khoan"),
            &[
                ("hanh_dong", "cap_muc_2"),
                ("tk_phuong_thuc", "fingerprints"),
            ],
        )
        .await;
    assert_eq!(granted.status.as_u16(), 303, "{}", granted.html);
    let back = granted.header("location").to_owned();
    assert!(back.ends_with("?tai_khoan=cap_muc_2#tai-khoan"), "{back}");
    desk.get(&back).await.html(
        200,
        &[
            "Đã xác thực tài khoản mức độ 2.",
            "<strong>Mức độ 2</strong> · Đối chiếu vân tay",
            "name=\"hanh_dong\" value=\"ha_muc_1\"",
        ],
    );
    // The citizen sees it, with how and where.
    get_with(&a, "/tai-khoan", &cookie).await.html(
        200,
        &["Mức độ 2", "Mức độ 2 được xác thực:", "Đối chiếu vân tay"],
    );
    // Lowering needs a reason, said beside its field.
    let no_reason = desk
        .post(
            &format!("{path}/tai-khoan"),
            &[("hanh_dong", "ha_muc_1"), ("tk_ly_do_ha", " ")],
        )
        .await;
    no_reason.html(
        422,
        &[
            "Chưa thay đổi được tài khoản:",
            "<a href=\"#tk_ly_do_ha\">Cần ghi lý do (tối đa 500 ký tự).</a>",
            "id=\"tk_ly_do_ha-err\"",
        ],
    );
    let lowered = desk
        .post(
            &format!("{path}/tai-khoan"),
            &[
                ("hanh_dong", "ha_muc_1"),
                ("tk_ly_do_ha", "Đối chiếu nhầm người"),
            ],
        )
        .await;
    assert_eq!(lowered.status.as_u16(), 303, "{}", lowered.html);
    get_with(&a, "/tai-khoan", &cookie)
        .await
        .html(200, &["Mức độ 1"]);
}

pub async fn an_officers_lock_ends_the_session_and_only_an_officer_lifts_it(store: Store) {
    let a = AccountWorld::new(store).await;
    let h = holder(&a.w.store, PID, PHONE).await;
    register(&a, &h).await;
    let cookie = log_in(&a, &h, None).await;
    let (desk, path) = desk(&a).await;
    let locked = desk
        .post(
            &format!("{path}/tai-khoan"),
            &[
                ("hanh_dong", "khoa"),
                ("tk_ly_do_khoa", "Công dân báo mất điện thoại"),
            ],
        )
        .await;
    assert_eq!(locked.status.as_u16(), 303, "{}", locked.html);
    desk.get(locked.header("location")).await.html(
        200,
        &[
            "Đã khóa tài khoản.",
            "Đang khóa",
            "Khóa bởi cán bộ Công an",
            "Công dân báo mất điện thoại",
            "name=\"hanh_dong\" value=\"mo_khoa\"",
        ],
    );
    assert_eq!(
        get_with(&a, "/tai-khoan", &cookie).await.status.as_u16(),
        303
    );
    // The owner cannot lift an officer's lock.
    let tried = post_public(
        a.router(),
        "10.5.0.2",
        "/tai-khoan/mo-khoa",
        &[
            ("so_dinh_danh", PID),
            ("mat_khau", super::web_account::PASSWORD),
        ],
    )
    .await;
    tried.html(409, &["Tài khoản do cơ quan Công an khóa"]);
    let unlocked = desk
        .post(
            &format!("{path}/tai-khoan"),
            &[
                ("hanh_dong", "mo_khoa"),
                ("tk_ly_do_mo", "Đã kiểm tra thẻ Căn cước"),
            ],
        )
        .await;
    assert_eq!(unlocked.status.as_u16(), 303, "{}", unlocked.html);
    login_form(&a, "10.5.0.3", PID, super::web_account::PASSWORD)
        .await
        .html(200, &["Xác thực đăng nhập"]);
}

pub async fn a_role_that_may_not_change_accounts_sees_no_account_form(store: Store) {
    let a = AccountWorld::new(store).await;
    let h = holder(&a.w.store, PID, PHONE).await;
    // A receptionist of the NPD centre, which receives no one: it reads
    // the citizen (a dossier of theirs is open) but may not change their
    // account.
    let issued =
        a.w.store
            .add_officer(
                &cancuoc_store::NewOfficer {
                    name: "Lý Trung Tâm".into(),
                    role: cancuoc_core::dossier::workflow::Role::Receptionist,
                    office: cancuoc_testkit::world::CENTRE,
                },
                None,
                crate::world::T0,
            )
            .await
            .expect("officer");
    crate::world::open_dossier(&a.w, h.citizen.id.0).await;
    let desk = Browser::login(&a.w, issued.token.expose(), "ly.trung.tam").await;
    let path = applicant_link(&desk, PID).await;
    let page = desk.get(&path).await;
    let html = page.html(
        200,
        &["id=\"tai-khoan\"", "Chỉ quản trị viên và cán bộ tiếp nhận"],
    );
    assert!(
        !html.contains("name=\"hanh_dong\" value=\"cap_muc_2\""),
        "{html}"
    );
    let refused = desk
        .post(
            &format!("{path}/tai-khoan"),
            &[("hanh_dong", "cap_muc_2"), ("tk_phuong_thuc", "portrait")],
        )
        .await;
    refused.html(403, &["quản lý tài khoản định danh điện tử của công dân"]);
    assert!(
        a.w.store
            .account(h.citizen.id)
            .await
            .expect("read")
            .is_none()
    );
}

pub async fn the_declaration_asks_for_a_level_two_account_with_the_card(store: Store) {
    let (w, code) = booked(store).await;
    let form = open(&w, code, super::web_booking_declaration::PHONE).await;
    form.html(
        200,
        &[
            "<input type=\"checkbox\" id=\"tai_khoan_muc_2\" name=\"tai_khoan_muc_2\" value=\"1\"",
            "Đề nghị cấp tài khoản định danh điện tử mức độ 2 cùng thẻ",
        ],
    );
    assert!(
        !form.html.contains("value=\"1\" checked"),
        "unticked at first"
    );
    saved(&w, &valid(code, super::web_booking_declaration::PHONE)).await;
    assert!(!stored(&w, code).await.wants_account);
    let mut ticked = valid(code, super::web_booking_declaration::PHONE);
    ticked.push(("tai_khoan_muc_2", "1"));
    saved(&w, &ticked).await;
    assert!(stored(&w, code).await.wants_account);
    open(&w, code, super::web_booking_declaration::PHONE)
        .await
        .html(200, &["name=\"tai_khoan_muc_2\" value=\"1\" checked"]);
}
