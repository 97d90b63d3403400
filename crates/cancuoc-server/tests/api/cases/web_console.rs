//! The officers' console: login and logout, the session cookie, CSRF and
//! same-origin checks, the idle timeout (with the app's clock), the
//! password-guessing guard (per login name and client address, with a soft
//! lock per name that an attacker cannot turn against the officer) and
//! deactivation. Shared helpers for the other console cases
//! (`console_login`, `csrf_of`, `Officer`).

use axum::Router;
use axum::http::Method;
use cancuoc_server::{App, AppConfig, Limits, router};
use cancuoc_service::{Login, Password};
use cancuoc_store::{OfficerId, Store};

use super::web_citizen_status::from;
use super::web_console_desk::Browser;
use crate::world::{NOW, Page, World, page, service_at, web, world};

/// The synthetic password every test officer gets.
pub const PASSWORD: &str = "mat-khau-thu-nghiem-1";

/// A console user of the test world: login name, officer id.
pub struct Officer {
    pub login: String,
    pub id: OfficerId,
    pub name: String,
}

/// Gives the officer holding `token` the login `login` and [`PASSWORD`].
pub async fn give_login(w: &World, token: &str, login: &str) -> Officer {
    let svc = w.app.service();
    let o = svc.authenticate(token).await.expect("officer");
    svc.set_officer_login(
        o.id,
        &Login::parse(login).expect("login"),
        &Password::parse(PASSWORD).expect("password"),
        None,
    )
    .await
    .expect("set login");
    Officer {
        login: login.to_owned(),
        id: o.id,
        name: o.name,
    }
}

/// The `name=value` part of the response's `Set-Cookie` for the session.
pub fn session_cookie_of(p: &Page) -> String {
    let c = p.header("set-cookie");
    assert!(c.starts_with("cancuoc_can_bo="), "no session cookie: {c:?}");
    c.split(';').next().expect("pair").to_owned()
}

/// Logs in through the form; returns the `cookie` header value.
pub async fn console_login(router: &Router, login: &str) -> String {
    let p = web(
        router,
        Method::POST,
        "/can-bo/dang-nhap",
        Some(&[
            ("login", login),
            ("password", PASSWORD),
            ("next", "/can-bo"),
        ]),
        &[],
    )
    .await;
    assert_eq!(
        p.status.as_u16(),
        303,
        "login of {login} failed: {}",
        p.html
    );
    session_cookie_of(&p)
}

/// The value of the first hidden `csrf` field of a page.
pub fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a csrf field on the page");
    let rest = &html[at + "name=\"csrf\" value=\"".len()..];
    rest[..rest.find('"').expect("end of value")].to_owned()
}

/// A router over the same store whose clock reads `at`.
pub async fn router_at(store: &Store, at: &str) -> Router {
    let service = service_at(store.clone(), at, Limits::default()).await;
    router(App::new(service, AppConfig::default()))
}

/// Posts the login form with `login`, `password` and `next`.
async fn login_with(r: &Router, login: &str, password: &str, next: &str) -> Page {
    web(
        r,
        Method::POST,
        "/can-bo/dang-nhap",
        Some(&[("login", login), ("password", password), ("next", next)]),
        &[],
    )
    .await
}

/// Posts the logout form of `desk`'s session with `form` and extra headers.
async fn logout(desk: &Browser, form: &[(&str, &str)], extra: &[(&str, &str)]) -> Page {
    let mut headers = vec![("cookie", desk.cookie.as_str())];
    headers.extend_from_slice(extra);
    web(
        &desk.router,
        Method::POST,
        "/can-bo/dang-xuat",
        Some(form),
        &headers,
    )
    .await
}

/// The receptionist's session is still live: the console home shows them.
async fn still_logged_in(w: &World, desk: &Browser) {
    let me = w
        .app
        .service()
        .authenticate(&w.receptionist)
        .await
        .expect("me");
    desk.get("/can-bo").await.html(200, &[&me.name]);
}

pub async fn an_anonymous_console_visit_goes_to_the_login_page_and_back(store: Store) {
    let w = world(store).await;
    let anon = page(&w.router, "/can-bo", &[]).await;
    assert_eq!(anon.status.as_u16(), 303, "{}", anon.html);
    assert_eq!(anon.header("location"), "/can-bo/dang-nhap?next=%2Fcan-bo");
}

pub async fn the_login_form_is_labelled_and_carries_the_way_back(store: Store) {
    let w = world(store).await;
    let form = page(&w.router, "/can-bo/dang-nhap?next=%2Fcan-bo", &[]).await;
    form.html(
        200,
        &[
            "<label for=\"login\">Tên đăng nhập</label>",
            "<label for=\"password\">Mật khẩu</label>",
            "autocomplete=\"current-password\"",
            "name=\"next\" value=\"/can-bo\"",
        ],
    );
    assert!(form.html.len() < 100 * 1024);
}

pub async fn the_login_form_speaks_english_on_request(store: Store) {
    let w = world(store).await;
    page(&w.router, "/can-bo/dang-nhap?lang=en", &[])
        .await
        .html(200, &["Officer login", "Login name"]);
}

pub async fn a_wrong_password_gets_the_generic_answer_and_no_cookie(store: Store) {
    let w = world(store).await;
    give_login(&w, &w.receptionist, "le.tiep.nhan").await;
    let wrong = login_with(&w.router, "le.tiep.nhan", "sai-mat-khau-123", "/can-bo").await;
    wrong.html(401, &["Tên đăng nhập hoặc mật khẩu không đúng."]);
    assert_eq!(wrong.header("set-cookie"), "");
    assert!(
        wrong.html.contains("value=\"le.tiep.nhan\""),
        "login re-shown"
    );
    assert!(!wrong.html.contains("sai-mat-khau"), "password echoed");
}

pub async fn an_unknown_login_gets_the_same_generic_answer(store: Store) {
    let w = world(store).await;
    give_login(&w, &w.receptionist, "le.tiep.nhan").await;
    let unknown = login_with(&w.router, "khong.ton.tai", "sai-mat-khau-123", "/can-bo").await;
    unknown.html(401, &["Tên đăng nhập hoặc mật khẩu không đúng."]);
    assert_eq!(unknown.header("set-cookie"), "");
}

pub async fn an_empty_login_form_asks_for_both_fields(store: Store) {
    let w = world(store).await;
    let empty = login_with(&w.router, "", "", "/can-bo").await;
    empty.html(422, &["Hãy nhập cả tên đăng nhập và mật khẩu."]);
    assert_eq!(empty.header("set-cookie"), "");
}

pub async fn the_right_password_opens_a_console_session(store: Store) {
    let w = world(store).await;
    let me = give_login(&w, &w.receptionist, "le.tiep.nhan").await;
    let r = &w.router;
    // The login name in any case; a session cookie scoped to the console,
    // then home.
    let ok = login_with(r, "Le.Tiep.Nhan", PASSWORD, "/can-bo").await;
    assert_eq!(ok.status.as_u16(), 303, "{}", ok.html);
    assert_eq!(ok.header("location"), "/can-bo");
    let set = ok.header("set-cookie");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/can-bo"] {
        assert!(set.contains(attr), "{attr} missing from {set}");
    }
    let cookie = session_cookie_of(&ok);
    assert_eq!(cookie.len(), "cancuoc_can_bo=".len() + 64, "256-bit id");
    let home = page(r, "/can-bo", &[("cookie", cookie.as_str())]).await;
    home.html(
        200,
        &[
            &me.name,
            "cán bộ tiếp nhận, thu nhận thông tin",
            "action=\"/can-bo/dang-xuat\"",
            "href=\"/can-bo/tiep-nhan\"",
            "aria-current=\"page\"",
        ],
    );
    assert!(home.html.len() < 100 * 1024);
    assert_eq!(csrf_of(&home.html).len(), 64);
}

pub async fn the_console_home_speaks_english_on_request(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    desk.get("/can-bo?lang=en")
        .await
        .html(200, &["Log out", "Reception desk"]);
}

pub async fn the_login_leads_on_only_inside_the_console(store: Store) {
    let w = world(store).await;
    give_login(&w, &w.receptionist, "le.tiep.nhan").await;
    for (next, to) in [
        ("//evil.example", "/can-bo"),
        ("https://evil.example/can-bo", "/can-bo"),
        ("/can-bo/tiep-nhan?tim=1", "/can-bo/tiep-nhan?tim=1"),
    ] {
        let p = login_with(&w.router, "le.tiep.nhan", PASSWORD, next).await;
        assert_eq!(p.status.as_u16(), 303, "next={next}: {}", p.html);
        assert_eq!(p.header("location"), to, "next={next}");
    }
}

pub async fn logging_out_without_the_sessions_csrf_token_is_refused(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    logout(&desk, &[], &[]).await.html(403, &["chống giả mạo"]);
    let other = "0".repeat(64);
    logout(&desk, &[("csrf", other.as_str())], &[])
        .await
        .html(403, &["chống giả mạo"]);
    still_logged_in(&w, &desk).await;
}

pub async fn logging_out_from_another_site_is_refused_even_with_the_token(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    logout(
        &desk,
        &[("csrf", desk.csrf.as_str())],
        &[("host", "can-bo.test"), ("origin", "http://evil.example")],
    )
    .await
    .html(403, &["trang web khác"]);
    still_logged_in(&w, &desk).await;
}

pub async fn logging_out_ends_the_session(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let out = logout(
        &desk,
        &[("csrf", desk.csrf.as_str())],
        &[("host", "can-bo.test"), ("origin", "http://can-bo.test")],
    )
    .await;
    assert_eq!(out.status.as_u16(), 303, "{}", out.html);
    assert_eq!(out.header("location"), "/can-bo/dang-nhap?da_thoat=1");
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    let after = desk.get("/can-bo").await;
    assert_eq!(after.status.as_u16(), 303, "{}", after.html);
    assert_eq!(
        after.header("location"),
        "/can-bo/dang-nhap?next=%2Fcan-bo&het_han=1"
    );
    page(&w.router, "/can-bo/dang-nhap?da_thoat=1", &[])
        .await
        .html(200, &["Bạn đã đăng xuất."]);
}

pub async fn a_login_from_another_site_is_refused_before_any_password_check(store: Store) {
    let w = world(store).await;
    give_login(&w, &w.receptionist, "le.tiep.nhan").await;
    let forged = web(
        &w.router,
        Method::POST,
        "/can-bo/dang-nhap",
        Some(&[("login", "le.tiep.nhan"), ("password", PASSWORD)]),
        &[
            ("host", "can-bo.test"),
            ("referer", "http://evil.example/x"),
        ],
    )
    .await;
    forged.html(403, &["trang web khác"]);
    assert_eq!(forged.header("set-cookie"), "");
}

pub async fn a_session_used_within_the_idle_window_stays_live(store: Store) {
    let w = world(store).await;
    give_login(&w, &w.receptionist, "le.tiep.nhan").await;
    let cookie = console_login(&w.router, "le.tiep.nhan").await;
    let jar = [("cookie", cookie.as_str())];
    // Used 14 minutes later: still live, and the idle window restarts …
    assert!(NOW.starts_with("2026-11-21T03:00"));
    let later = router_at(&w.store, "2026-11-21T03:14:00Z").await;
    page(&later, "/can-bo", &jar)
        .await
        .html(200, &["Lê Tiếp Nhận"]);
    // … so 28 minutes after the login, 14 after that use, it still is.
    let again = router_at(&w.store, "2026-11-21T03:28:00Z").await;
    page(&again, "/can-bo", &jar)
        .await
        .html(200, &["Lê Tiếp Nhận"]);
}

pub async fn a_session_idle_past_its_window_ends_for_good(store: Store) {
    let w = world(store).await;
    give_login(&w, &w.receptionist, "le.tiep.nhan").await;
    let cookie = console_login(&w.router, "le.tiep.nhan").await;
    let jar = [("cookie", cookie.as_str())];
    let later = router_at(&w.store, "2026-11-21T03:14:00Z").await;
    page(&later, "/can-bo", &jar)
        .await
        .html(200, &["Lê Tiếp Nhận"]);
    // 16 idle minutes after that: over, and the cookie is removed.
    let idle = router_at(&w.store, "2026-11-21T03:30:01Z").await;
    let gone = page(&idle, "/can-bo", &jar).await;
    assert_eq!(gone.status.as_u16(), 303, "{}", gone.html);
    assert!(gone.header("location").ends_with("&het_han=1"));
    assert!(gone.header("set-cookie").contains("Max-Age=0"));
    // Even the earlier clock cannot bring it back.
    let back = page(&w.router, "/can-bo", &jar).await;
    assert_eq!(back.status.as_u16(), 303, "{}", back.html);
    assert!(back.header("location").starts_with("/can-bo/dang-nhap?"));
}

pub async fn the_login_page_after_an_expired_session_says_so(store: Store) {
    let w = world(store).await;
    page(&w.router, "/can-bo/dang-nhap?het_han=1", &[])
        .await
        .html(200, &["Phiên làm việc đã hết hạn."]);
}

/// Five wrong passwords for "do.phe.duyet" (the approver), from the one
/// unknown client every request without an address is.
async fn five_wrong_passwords(w: &World) -> Officer {
    let approver = give_login(w, &w.approver, "do.phe.duyet").await;
    for _ in 0..5 {
        login_with(&w.router, "do.phe.duyet", "doan-sai-mat-khau", "/can-bo")
            .await
            .html(401, &["không đúng"]);
    }
    approver
}

pub async fn five_wrong_passwords_lock_that_client_out_of_the_login_name(store: Store) {
    let w = world(store).await;
    five_wrong_passwords(&w).await;
    // Even the right password, refused before it is checked.
    let locked = login_with(&w.router, "do.phe.duyet", PASSWORD, "/can-bo").await;
    locked.html(429, &["Đăng nhập sai quá nhiều lần", "15 phút"]);
    assert_eq!(locked.header("retry-after"), "900");
    assert_eq!(locked.header("set-cookie"), "");
    // An unknown login name gets the same answers.
    for _ in 0..5 {
        login_with(&w.router, "khong.ton.tai", "doan-sai-mat-khau", "/can-bo")
            .await
            .html(401, &["không đúng"]);
    }
    let unknown = login_with(&w.router, "khong.ton.tai", PASSWORD, "/can-bo").await;
    unknown.html(429, &["Đăng nhập sai quá nhiều lần", "15 phút"]);
    assert_eq!(unknown.header("retry-after"), "900");
}

/// Posts the login form of `login` with `password` from client `ip`.
async fn login_from(r: &Router, ip: &str, login: &str, password: &str) -> Page {
    let form = [
        ("login", login),
        ("password", password),
        ("next", "/can-bo"),
    ];
    from(r, ip, Method::POST, "/can-bo/dang-nhap", Some(&form)).await
}

pub async fn an_attacker_cannot_lock_an_officer_out_of_the_console(store: Store) {
    let w = world(store).await;
    give_login(&w, &w.approver, "do.phe.duyet").await;
    // Two addresses guess five times each: the name is soft-locked.
    for ip in ["198.51.100.1", "198.51.100.2"] {
        for _ in 0..5 {
            login_from(&w.router, ip, "do.phe.duyet", "doan-sai-mat-khau")
                .await
                .html(401, &["không đúng"]);
        }
    }
    // The attackers are refused, the right password included.
    let attacker = login_from(&w.router, "198.51.100.1", "do.phe.duyet", PASSWORD).await;
    attacker.html(429, &["Đăng nhập sai quá nhiều lần"]);
    assert_eq!(attacker.header("set-cookie"), "");
    // A third address is checked once; its wrong guess locks it out too.
    login_from(
        &w.router,
        "198.51.100.3",
        "do.phe.duyet",
        "doan-sai-lan-nua",
    )
    .await
    .html(401, &["không đúng"]);
    login_from(&w.router, "198.51.100.3", "do.phe.duyet", PASSWORD)
        .await
        .html(429, &["Đăng nhập sai quá nhiều lần"]);
    // The officer, from the office's address, gets in.
    let officer = login_from(&w.router, "203.0.113.5", "do.phe.duyet", PASSWORD).await;
    assert_eq!(officer.status.as_u16(), 303, "{}", officer.html);
    page(
        &w.router,
        "/can-bo",
        &[("cookie", session_cookie_of(&officer).as_str())],
    )
    .await
    .html(200, &["Đỗ Phê Duyệt"]);
}

pub async fn one_address_guessing_many_login_names_is_stopped(store: Store) {
    let w = world(store).await;
    give_login(&w, &w.approver, "do.phe.duyet").await;
    for i in 0..20 {
        login_from(
            &w.router,
            "198.51.100.9",
            &format!("can.bo.{i}"),
            "doan-sai",
        )
        .await
        .html(401, &["không đúng"]);
    }
    let stopped = login_from(&w.router, "198.51.100.9", "do.phe.duyet", PASSWORD).await;
    stopped.html(429, &["Đăng nhập sai quá nhiều lần", "15 phút"]);
    assert_eq!(stopped.header("retry-after"), "900");
    let elsewhere = login_from(&w.router, "198.51.100.10", "do.phe.duyet", PASSWORD).await;
    assert_eq!(elsewhere.status.as_u16(), 303, "{}", elsewhere.html);
}

pub async fn a_locked_login_name_leaves_other_names_alone(store: Store) {
    let w = world(store).await;
    give_login(&w, &w.receptionist, "le.tiep.nhan").await;
    five_wrong_passwords(&w).await;
    console_login(&w.router, "le.tiep.nhan").await;
}

pub async fn the_login_lock_ends_with_its_window(store: Store) {
    let w = world(store).await;
    let approver = five_wrong_passwords(&w).await;
    // A process with a later clock.
    let after_lock = router_at(&w.store, "2026-11-21T03:16:00Z").await;
    let cookie = console_login(&after_lock, &approver.login).await;
    page(&after_lock, "/can-bo", &[("cookie", cookie.as_str())])
        .await
        .html(200, &["Đỗ Phê Duyệt"]);
}

pub async fn deactivating_an_officer_ends_their_session_at_once(store: Store) {
    let w = world(store).await;
    let approver = give_login(&w, &w.approver, "do.phe.duyet").await;
    let cookie = console_login(&w.router, &approver.login).await;
    let jar = [("cookie", cookie.as_str())];
    page(&w.router, "/can-bo", &jar)
        .await
        .html(200, &["Đỗ Phê Duyệt"]);
    w.store
        .set_officer_active(approver.id, false, None, 0)
        .await
        .expect("deactivate");
    let p = page(&w.router, "/can-bo", &jar).await;
    assert_eq!(p.status.as_u16(), 303, "{}", p.html);
    assert!(p.header("location").starts_with("/can-bo/dang-nhap?"));
}

pub async fn a_deactivated_officer_cannot_log_in(store: Store) {
    let w = world(store).await;
    let approver = give_login(&w, &w.approver, "do.phe.duyet").await;
    w.store
        .set_officer_active(approver.id, false, None, 0)
        .await
        .expect("deactivate");
    let p = login_with(&w.router, "do.phe.duyet", PASSWORD, "/can-bo").await;
    p.html(401, &["không đúng"]);
    assert_eq!(p.header("set-cookie"), "");
}
