//! The officers' console: login and logout, the session cookie, CSRF and
//! same-origin checks, the idle timeout (with the app's clock), login
//! throttling and deactivation. Shared helpers for the other console cases
//! (`console_login`, `csrf_of`, `Officer`).

use axum::Router;
use axum::http::Method;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_server::{App, AppConfig, fixed_clock, router};
use cancuoc_service::{Login, Password};
use cancuoc_store::{OfficerId, Store};

use crate::world::{NOW, Page, World, page, web, world};

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
    let app = App::new(
        store.clone(),
        AppConfig {
            clock: fixed_clock(at.parse().expect("instant")),
            ..AppConfig::default()
        },
        Allocator::new([42; 16]),
    )
    .await
    .expect("app");
    router(app)
}

pub async fn web_console_login_sessions_csrf(store: Store) {
    let w = world(store).await;
    let me = give_login(&w, &w.receptionist, "le.tiep.nhan").await;
    let r = &w.router;

    // Anonymous: every console page sends to the login page and back.
    let anon = page(r, "/can-bo", &[]).await;
    assert_eq!(anon.status.as_u16(), 303);
    assert_eq!(anon.header("location"), "/can-bo/dang-nhap?next=%2Fcan-bo");
    let form = page(r, "/can-bo/dang-nhap?next=%2Fcan-bo", &[]).await;
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
    page(r, "/can-bo/dang-nhap?lang=en", &[])
        .await
        .html(200, &["Officer login", "Login name"]);

    // Wrong password and unknown login: the same generic answer, no cookie.
    let login_with = |login: &'static str, password: &'static str| {
        let r = r.clone();
        async move {
            web(
                &r,
                Method::POST,
                "/can-bo/dang-nhap",
                Some(&[
                    ("login", login),
                    ("password", password),
                    ("next", "/can-bo"),
                ]),
                &[],
            )
            .await
        }
    };
    let wrong = login_with("le.tiep.nhan", "sai-mat-khau-123").await;
    wrong.html(401, &["Tên đăng nhập hoặc mật khẩu không đúng."]);
    assert_eq!(wrong.header("set-cookie"), "");
    assert!(
        wrong.html.contains("value=\"le.tiep.nhan\""),
        "login re-shown"
    );
    assert!(!wrong.html.contains("sai-mat-khau"), "password echoed");
    let unknown = login_with("khong.ton.tai", "sai-mat-khau-123").await;
    unknown.html(401, &["Tên đăng nhập hoặc mật khẩu không đúng."]);
    assert_eq!(unknown.header("set-cookie"), "");
    login_with("", "")
        .await
        .html(422, &["Hãy nhập cả tên đăng nhập và mật khẩu."]);

    // The right password: a session cookie scoped to the console, then home.
    let ok = web(
        r,
        Method::POST,
        "/can-bo/dang-nhap",
        Some(&[
            ("login", "Le.Tiep.Nhan"),
            ("password", PASSWORD),
            ("next", "/can-bo"),
        ]),
        &[],
    )
    .await;
    assert_eq!(ok.status.as_u16(), 303, "{}", ok.html);
    assert_eq!(ok.header("location"), "/can-bo");
    let set = ok.header("set-cookie");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/can-bo"] {
        assert!(set.contains(attr), "{attr} missing from {set}");
    }
    let cookie = session_cookie_of(&ok);
    assert_eq!(cookie.len(), "cancuoc_can_bo=".len() + 64, "256-bit id");
    let jar = [("cookie", cookie.as_str())];
    let home = page(r, "/can-bo", &jar).await;
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
    let csrf = csrf_of(&home.html);
    assert_eq!(csrf.len(), 64);
    page(r, "/can-bo?lang=en", &jar)
        .await
        .html(200, &["Log out", "Reception desk"]);

    // `next` only ever leads inside the console.
    for (next, to) in [
        ("//evil.example", "/can-bo"),
        ("https://evil.example/can-bo", "/can-bo"),
        ("/can-bo/tiep-nhan?tim=1", "/can-bo/tiep-nhan?tim=1"),
    ] {
        let p = web(
            r,
            Method::POST,
            "/can-bo/dang-nhap",
            Some(&[
                ("login", "le.tiep.nhan"),
                ("password", PASSWORD),
                ("next", next),
            ]),
            &[],
        )
        .await;
        assert_eq!(p.header("location"), to, "next={next}");
    }

    // Logout: the CSRF token is required and must be this session's, and a
    // request from another site is refused even with it.
    let logout = |form: Vec<(&'static str, String)>, extra: Vec<(&'static str, &'static str)>| {
        let r = r.clone();
        let cookie = cookie.clone();
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let mut headers = vec![("cookie", cookie.as_str())];
            headers.extend(extra);
            web(
                &r,
                Method::POST,
                "/can-bo/dang-xuat",
                Some(&pairs),
                &headers,
            )
            .await
        }
    };
    logout(vec![], vec![]).await.html(403, &["chống giả mạo"]);
    logout(vec![("csrf", "0".repeat(64))], vec![])
        .await
        .html(403, &["chống giả mạo"]);
    logout(
        vec![("csrf", csrf.clone())],
        vec![("host", "can-bo.test"), ("origin", "http://evil.example")],
    )
    .await
    .html(403, &["trang web khác"]);
    page(r, "/can-bo", &jar).await.html(200, &[&me.name]);
    let out = logout(
        vec![("csrf", csrf.clone())],
        vec![("host", "can-bo.test"), ("origin", "http://can-bo.test")],
    )
    .await;
    assert_eq!(out.status.as_u16(), 303, "{}", out.html);
    assert_eq!(out.header("location"), "/can-bo/dang-nhap?da_thoat=1");
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    let after = page(r, "/can-bo", &jar).await;
    assert_eq!(after.status.as_u16(), 303);
    assert_eq!(
        after.header("location"),
        "/can-bo/dang-nhap?next=%2Fcan-bo&het_han=1"
    );
    page(r, "/can-bo/dang-nhap?da_thoat=1", &[])
        .await
        .html(200, &["Bạn đã đăng xuất."]);

    // A login from another site is refused before any password check.
    let forged = web(
        r,
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

pub async fn web_console_idle_timeout_throttle_deactivation(store: Store) {
    let w = world(store).await;
    give_login(&w, &w.receptionist, "le.tiep.nhan").await;
    let approver = give_login(&w, &w.approver, "do.phe.duyet").await;
    let cookie = console_login(&w.router, "le.tiep.nhan").await;
    let jar = [("cookie", cookie.as_str())];

    // Used 14 minutes later: still live, and the idle window restarts.
    let later = router_at(&w.store, "2026-11-21T03:14:00Z").await;
    assert!(NOW.starts_with("2026-11-21T03:00"));
    page(&later, "/can-bo", &jar)
        .await
        .html(200, &["Lê Tiếp Nhận"]);
    // 16 idle minutes after that: over, and the cookie is removed.
    let idle = router_at(&w.store, "2026-11-21T03:30:01Z").await;
    let gone = page(&idle, "/can-bo", &jar).await;
    assert_eq!(gone.status.as_u16(), 303);
    assert!(gone.header("location").ends_with("&het_han=1"));
    assert!(gone.header("set-cookie").contains("Max-Age=0"));
    page(&idle, "/can-bo/dang-nhap?het_han=1", &[])
        .await
        .html(200, &["Phiên làm việc đã hết hạn."]);
    // Even the earlier clock cannot bring it back.
    assert_eq!(page(&w.router, "/can-bo", &jar).await.status.as_u16(), 303);

    // Five wrong passwords lock that login name, even for the right
    // password; other names are not affected.
    for _ in 0..5 {
        web(
            &w.router,
            Method::POST,
            "/can-bo/dang-nhap",
            Some(&[("login", "do.phe.duyet"), ("password", "doan-sai-mat-khau")]),
            &[],
        )
        .await
        .html(401, &["không đúng"]);
    }
    let locked = web(
        &w.router,
        Method::POST,
        "/can-bo/dang-nhap",
        Some(&[("login", "do.phe.duyet"), ("password", PASSWORD)]),
        &[],
    )
    .await;
    locked.html(429, &["Đăng nhập sai quá nhiều lần", "15 phút"]);
    assert_eq!(locked.header("set-cookie"), "");
    console_login(&w.router, "le.tiep.nhan").await;
    // The lock ends with its window (a process with a later clock).
    let after_lock = router_at(&w.store, "2026-11-21T03:16:00Z").await;
    let cookie = console_login(&after_lock, &approver.login).await;

    // Deactivating the officer ends the session at once.
    page(&after_lock, "/can-bo", &[("cookie", cookie.as_str())])
        .await
        .html(200, &["Đỗ Phê Duyệt"]);
    w.store
        .set_officer_active(approver.id, false, None, 0)
        .await
        .expect("deactivate");
    let p = page(&after_lock, "/can-bo", &[("cookie", cookie.as_str())]).await;
    assert_eq!(p.status.as_u16(), 303);
    web(
        &after_lock,
        Method::POST,
        "/can-bo/dang-nhap",
        Some(&[("login", "do.phe.duyet"), ("password", PASSWORD)]),
        &[],
    )
    .await
    .html(401, &["không đúng"]);
}
