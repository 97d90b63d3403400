//! The account pages a citizen uses when something went wrong: the
//! forgotten password's three steps (each step's answer the same whether
//! what was typed matched or not), the lock without a code (the same
//! confirmation for any number) that ends every session at once, and the
//! unlock with password, captcha and code.

use axum::http::Method;
use cancuoc_store::Store;

use super::web_account::{
    AccountWorld, COOLDOWN, PASSWORD, PHONE, PID, answer_text, confirm, get_with, hidden, holder,
    log_in, login_form, post_public, register, send,
};
use crate::world::Page;

/// The page with the value of hidden field `name` blanked (a random id
/// differs between two answers that must otherwise read the same).
fn without(p: &Page, name: &str) -> String {
    let v = hidden(p, name);
    answer_text(p).replace(&v, "")
}

/// Posts step 2 (`ho_ten`, `ngay_sinh`, `ngay_cap`) of the challenge of a
/// step-2 page.
async fn step_two(a: &AccountWorld, step: &Page, name: &str, dob: &str, issued: &str) -> Page {
    let challenge = hidden(step, "ma_phien");
    send(
        a.router(),
        "10.2.0.2",
        Method::POST,
        "/tai-khoan/quen-mat-khau",
        None,
        Some(&[
            ("buoc", "2"),
            ("ma_phien", &challenge),
            ("ho_ten", name),
            ("ngay_sinh", dob),
            ("ngay_cap", issued),
        ]),
    )
    .await
}

/// Posts step 3 on a code page: the code and the new password twice.
async fn step_three(
    a: &AccountWorld,
    code_page: &Page,
    code: &str,
    new: &str,
    again: &str,
) -> Page {
    let fields = [
        "challenge",
        "muc_dich",
        "so",
        "hieu_luc",
        "het_han_luc",
        "gui_lai_luc",
    ];
    let values: Vec<String> = fields.iter().map(|f| hidden(code_page, f)).collect();
    let mut pairs: Vec<(&str, &str)> = fields
        .iter()
        .zip(&values)
        .map(|(f, v)| (*f, v.as_str()))
        .collect();
    pairs.push(("ma_otp", code));
    pairs.push(("mat_khau_moi", new));
    pairs.push(("mat_khau_moi_2", again));
    send(
        a.router(),
        "10.2.0.3",
        Method::POST,
        "/tai-khoan/xac-thuc",
        None,
        Some(&pairs),
    )
    .await
}

async fn step_one(a: &AccountWorld, pid: &str, phone: &str) -> Page {
    post_public(
        a.router(),
        "10.2.0.1",
        "/tai-khoan/quen-mat-khau",
        &[("buoc", "1"), ("so_dinh_danh", pid), ("dien_thoai", phone)],
    )
    .await
}

pub async fn a_forgotten_password_is_reset_in_three_steps_that_tell_nothing(store: Store) {
    let a = AccountWorld::new(store).await;
    let h = holder(&a.w.store, PID, PHONE).await;
    register(&a, &h).await;
    let form = send(
        a.router(),
        "10.2.0.1",
        Method::GET,
        "/tai-khoan/quen-mat-khau",
        None,
        None,
    )
    .await;
    form.html(
        200,
        &[
            "<h1>Quên mật khẩu</h1>",
            "Bước 1/3",
            "<label for=\"dien_thoai\">Số điện thoại di động</label>",
            "name=\"buoc\" value=\"1\"",
        ],
    );
    // Step 1: a wrong phone and an unknown number read as the right ones.
    let right = step_one(&a, PID, PHONE).await;
    right.html(
        200,
        &[
            "Bước 2/3",
            "name=\"buoc\" value=\"2\"",
            "<label for=\"ho_ten\">",
        ],
    );
    let wrong_phone = step_one(&a, PID, "0912000999").await;
    let unknown = step_one(&a, "001090000999", PHONE).await;
    assert_eq!(
        without(&wrong_phone, "ma_phien"),
        without(&right, "ma_phien")
    );
    assert_eq!(without(&unknown, "ma_phien"), without(&right, "ma_phien"));
    // Step 2: a wrong date of birth reads as the right one (nothing is sent
    // then, and the page says the same).
    let decoy = step_two(&a, &right, h.name, "18/05/1990", h.issued).await;
    decoy.html(
        200,
        &[
            "Quên mật khẩu: đặt mật khẩu mới",
            "•••• ••• 101",
            "id=\"mat_khau_moi-rules\"",
        ],
    );
    let sent = a.sent_to(PHONE);
    a.advance(COOLDOWN);
    let again = step_one(&a, PID, PHONE).await;
    let real = step_two(&a, &again, "NGUYEN VAN TAI KHOAN", h.dob, h.issued).await;
    assert_eq!(a.sent_to(PHONE), sent + 1, "a code to the phone on record");
    // The same page but for the challenge and the times (a minute apart).
    let digitless = |p: &Page| -> String {
        without(p, "challenge")
            .chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    assert_eq!(digitless(&decoy), digitless(&real));
    // Step 3: a wrong code reads the same on both.
    let code = a.code_for(PHONE);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let on_decoy = step_three(&a, &decoy, wrong, "Moi@MatKhau2027", "Moi@MatKhau2027").await;
    on_decoy.html(401, &["Mã OTP không đúng. Bạn còn 4 lần nhập."]);
    let on_real = step_three(&a, &real, wrong, "Moi@MatKhau2027", "Moi@MatKhau2027").await;
    on_real.html(401, &["Mã OTP không đúng. Bạn còn 4 lần nhập."]);
    // The new password must be typed twice alike, and follow the policy.
    let p = step_three(&a, &real, &code, "Moi@MatKhau2027", "Moi@MatKhau2028").await;
    p.html(
        422,
        &["<a href=\"#mat_khau_moi_2\">Nhập lại mật khẩu mới: Mật khẩu mới nhập lại không khớp.</a>"],
    );
    let p = step_three(&a, &real, &code, "matkhau", "matkhau").await;
    p.html(
        422,
        &["<a href=\"#mat_khau_moi\">", "id=\"mat_khau_moi-err\""],
    );
    let done = step_three(&a, &real, &code, "Moi@MatKhau2027", "Moi@MatKhau2027").await;
    done.html(
        200,
        &["Đã đặt mật khẩu mới", "href=\"/tai-khoan/dang-nhap\""],
    );
    // The challenge is spent; the old password is gone, the new one works.
    let replay = step_three(&a, &real, &code, "Khac@MatKhau2029", "Khac@MatKhau2029").await;
    replay.html(401, &[]);
    a.advance(COOLDOWN);
    login_form(&a, "10.2.0.4", PID, PASSWORD)
        .await
        .html(401, &[]);
    login_form(&a, "10.2.0.4", PID, "Moi@MatKhau2027")
        .await
        .html(200, &["Xác thực đăng nhập"]);
}

pub async fn a_lock_ends_every_session_and_answers_the_same_for_any_number(store: Store) {
    let a = AccountWorld::new(store).await;
    let h = holder(&a.w.store, PID, PHONE).await;
    register(&a, &h).await;
    let cookie = log_in(&a, &h, None).await;
    let form = send(
        a.router(),
        "10.3.0.1",
        Method::GET,
        "/tai-khoan/khoa",
        None,
        None,
    )
    .await;
    form.html(
        200,
        &[
            "Khóa tài khoản tạm thời",
            "Không cần mã xác thực.",
            "<label for=\"ngay_cap\">Ngày cấp thẻ Căn cước</label>",
            "<label for=\"captcha\">",
        ],
    );
    let lock = |pid: &'static str, dob: &'static str| {
        let a = &a;
        async move {
            post_public(
                a.router(),
                "10.3.0.1",
                "/tai-khoan/khoa",
                &[
                    ("so_dinh_danh", pid),
                    ("dien_thoai", PHONE),
                    ("ngay_sinh", dob),
                    ("ngay_cap", "01/07/2024"),
                ],
            )
            .await
        }
    };
    let unknown = lock("001090000999", "17/05/1990").await;
    let mismatched = lock(PID, "18/05/1990").await;
    get_with(&a, "/tai-khoan", &cookie).await.html(200, &[PID]);
    let real = lock(PID, "17/05/1990").await;
    real.html(
        200,
        &[
            "Đã nhận yêu cầu khóa tài khoản",
            "href=\"/tai-khoan/mo-khoa\"",
        ],
    );
    assert_eq!(answer_text(&unknown), answer_text(&real));
    assert_eq!(answer_text(&mismatched), answer_text(&real));
    // At once: the session is over, the owner told.
    let gone = get_with(&a, "/tai-khoan", &cookie).await;
    assert_eq!(gone.status.as_u16(), 303, "{}", gone.html);
    let acc =
        a.w.store
            .account(h.citizen.id)
            .await
            .expect("read")
            .expect("account");
    assert!(acc.account.lock.is_some());
    let last = cancuoc_service::sms::DevSink::read(&a.sink)
        .pop()
        .expect("a notice");
    assert_eq!(last.purpose, "notice");
    assert!(!last.text.contains(PID), "{}", last.text);
    // A typo is said beside its field, before the captcha.
    let typo = post_public(
        a.router(),
        "10.3.0.1",
        "/tai-khoan/khoa",
        &[
            ("so_dinh_danh", PID),
            ("dien_thoai", "09"),
            ("ngay_sinh", "17/05/1990"),
            ("ngay_cap", "hôm qua"),
        ],
    )
    .await;
    typo.html(422, &["<a href=\"#dien_thoai\">", "<a href=\"#ngay_cap\">"]);
}

pub async fn the_owner_unlocks_with_password_captcha_and_code(store: Store) {
    let a = AccountWorld::new(store).await;
    let h = holder(&a.w.store, PID, PHONE).await;
    register(&a, &h).await;
    post_public(
        a.router(),
        "10.4.0.1",
        "/tai-khoan/khoa",
        &[
            ("so_dinh_danh", PID),
            ("dien_thoai", PHONE),
            ("ngay_sinh", h.dob),
            ("ngay_cap", h.issued),
        ],
    )
    .await
    .html(200, &["Đã nhận yêu cầu khóa tài khoản"]);
    let form = send(
        a.router(),
        "10.4.0.1",
        Method::GET,
        "/tai-khoan/mo-khoa",
        None,
        None,
    )
    .await;
    form.html(
        200,
        &[
            "<h1>Mở khóa tài khoản</h1>",
            "<label for=\"mat_khau\">Mật khẩu</label>",
        ],
    );
    let unlock = |password: &'static str| {
        let a = &a;
        async move {
            post_public(
                a.router(),
                "10.4.0.2",
                "/tai-khoan/mo-khoa",
                &[("so_dinh_danh", PID), ("mat_khau", password)],
            )
            .await
        }
    };
    unlock("Sai@MatKhau1")
        .await
        .html(401, &["Số định danh cá nhân hoặc mật khẩu không đúng"]);
    let code_page = unlock(PASSWORD).await;
    code_page.html(
        200,
        &["Xác thực mở khóa", "name=\"muc_dich\" value=\"mo_khoa\""],
    );
    let done = confirm(&a, &code_page, &a.code_for(PHONE), None).await;
    done.html(200, &["Đã mở khóa tài khoản"]);
    a.advance(COOLDOWN);
    let cookie = log_in(&a, &h, None).await;
    get_with(&a, "/tai-khoan", &cookie).await.html(200, &[PID]);
}
