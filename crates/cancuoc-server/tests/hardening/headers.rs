//! Security headers (issue 18, item 7), on every family of answers: the
//! portal, the booking pages, the console (its login page and pages behind
//! a session), the API's JSON and problem answers, the API docs, and the
//! answers no handler writes (a 404 page, the edge's 414).
//!
//! Every answer refuses to be sniffed (`nosniff`) or framed, and names the
//! referrer policy; every page has a content security policy without
//! inline script or style; every page and API answer is `no-store` (the
//! console's and the ones with personal data among them), only the static
//! files and the API docs may be cached. Behind HTTPS (`behind_tls`),
//! every answer carries HSTS and every cookie `Secure`; on plain HTTP
//! neither (a development server must keep its cookies).

use cancuoc_server::AppConfig;
use cancuoc_store::Store;

use crate::{Answer, World, get, log_in, session_of, world_with};

/// What a path is, for the checks.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// A page (HTML): the policy and `no-store`.
    Page,
    /// An API answer (JSON or problem): `no-store`.
    Api,
    /// The API docs (Swagger UI): its own policy on the page, may be cached.
    Docs,
    /// A static file: cached on purpose.
    Static,
}

/// Who asks.
#[derive(Clone, Copy, Debug)]
enum As {
    Anyone,
    /// The logged-in receptionist's session cookie.
    Officer,
    /// The receptionist's bearer token.
    Bearer,
}

/// Every family of answers: path, who asks, what it is, its status.
const PATHS: &[(&str, As, Kind, u16)] = &[
    // The portal.
    ("/", As::Anyone, Kind::Page, 200),
    ("/tra-cuu", As::Anyone, Kind::Page, 200),
    ("/tra-cuu?ma=0790261121482137", As::Anyone, Kind::Page, 200),
    ("/co-quan", As::Anyone, Kind::Page, 200),
    ("/so-dinh-danh?so=079099012334", As::Anyone, Kind::Page, 200),
    ("/lang/en?next=/tra-cuu", As::Anyone, Kind::Page, 303),
    ("/khong-co-trang-nay", As::Anyone, Kind::Page, 404),
    // Booking.
    ("/dat-lich", As::Anyone, Kind::Page, 200),
    ("/dat-lich/quan-ly", As::Anyone, Kind::Page, 200),
    ("/to-khai", As::Anyone, Kind::Page, 200),
    // The console: the login page, a page asked for without a session (a
    // redirect to it), pages behind the session.
    ("/can-bo/dang-nhap", As::Anyone, Kind::Page, 200),
    ("/can-bo/tiep-nhan", As::Anyone, Kind::Page, 303),
    ("/can-bo", As::Officer, Kind::Page, 200),
    ("/can-bo/tiep-nhan", As::Officer, Kind::Page, 200),
    ("/can-bo/hang-doi", As::Officer, Kind::Page, 200),
    ("/can-bo/qua-han", As::Officer, Kind::Page, 200),
    ("/can-bo/lich-hen", As::Officer, Kind::Page, 200),
    // The API: JSON, problems (bad input, no token, no route), personal
    // data with a token.
    ("/api/v1/offices", As::Anyone, Kind::Api, 200),
    ("/api/v1/rules/fee?kind=first", As::Anyone, Kind::Api, 400),
    (
        "/api/v1/status/0790261121482137",
        As::Anyone,
        Kind::Api,
        400,
    ),
    ("/api/v1/status/123", As::Anyone, Kind::Api, 400),
    ("/api/v1/citizens?name=Nguyen", As::Anyone, Kind::Api, 401),
    ("/api/v1/citizens?name=Nguyen", As::Bearer, Kind::Api, 200),
    ("/api/v1/dossiers", As::Bearer, Kind::Api, 200),
    ("/api/v1/khong-co", As::Anyone, Kind::Api, 404),
    ("/api/openapi.json", As::Anyone, Kind::Api, 200),
    ("/healthz", As::Anyone, Kind::Api, 200),
    // The API docs.
    ("/api/docs/", As::Anyone, Kind::Docs, 200),
    (
        "/api/docs/swagger-initializer.js",
        As::Anyone,
        Kind::Docs,
        200,
    ),
];

/// A static file of the pages (its name read off the home page).
async fn a_static_file(w: &World) -> String {
    let home = get(&w.router, "/", &[]).await;
    let at = home
        .body
        .find("/static/")
        .expect("the home page links a static file");
    let rest = &home.body[at..];
    let end = rest.find(['"', '\'', ' ', '>']).expect("end of the link");
    rest[..end].to_owned()
}

/// Every answer of [`PATHS`], a static file and an over-long URI (the
/// edge's own 414), with the path each answers.
async fn every_answer(w: &World) -> Vec<(String, Kind, Answer)> {
    let login = log_in(w).await;
    let cookie = session_of(&login);
    let bearer = format!("Bearer {}", w.staff.receptionist.token);
    let mut out = vec![("/can-bo/dang-nhap (POST)".to_owned(), Kind::Page, login)];
    for (path, who, kind, status) in PATHS {
        let headers: Vec<(&str, &str)> = match who {
            As::Anyone => vec![],
            As::Officer => vec![("cookie", cookie.as_str())],
            As::Bearer => vec![("authorization", bearer.as_str())],
        };
        let res = get(&w.router, path, &headers).await;
        assert_eq!(
            res.status.as_u16(),
            *status,
            "{path} ({who:?}): {}",
            res.body
        );
        out.push((format!("{path} ({who:?})"), *kind, res));
    }
    let file = a_static_file(w).await;
    let res = get(&w.router, &file, &[]).await;
    assert_eq!(res.status.as_u16(), 200, "{file}");
    out.push((file, Kind::Static, res));
    let long = format!("/api/v1/offices?x={}", "a".repeat(9000));
    let res = get(&w.router, &long, &[]).await;
    assert_eq!(res.status.as_u16(), 414);
    out.push(("/api/v1/offices?x=… (414)".to_owned(), Kind::Api, res));
    out
}

/// The checks every answer passes, behind HTTPS or not.
fn common(path: &str, kind: Kind, res: &Answer) {
    assert_eq!(res.header("x-content-type-options"), "nosniff", "{path}");
    assert_eq!(res.header("x-frame-options"), "DENY", "{path}");
    assert_eq!(res.header("referrer-policy"), "same-origin", "{path}");
    let html = res.header("content-type").starts_with("text/html");
    let csp = res.header("content-security-policy");
    if html || kind == Kind::Page {
        assert!(!csp.is_empty(), "{path}: a page without a policy");
        assert!(!csp.contains("unsafe"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        for directive in ["script-src 'self'", "style-src 'self'"] {
            assert!(csp.contains(directive), "{path}: no {directive} in {csp}");
        }
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
    }
    if kind == Kind::Docs {
        assert!(csp.contains("connect-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe"), "{path}: {csp}");
    }
    let cache = res.header("cache-control");
    match kind {
        Kind::Page | Kind::Api => {
            assert_eq!(cache, "no-store", "{path}: may be cached")
        }
        Kind::Static => assert!(cache.starts_with("public"), "{path}: {cache}"),
        Kind::Docs => {}
    }
}

pub async fn every_answer_refuses_sniffing_framing_and_caching(store: Store) {
    let w = world_with(store, AppConfig::default()).await;
    let answers = every_answer(&w).await;
    let mut cookies = 0;
    for (path, kind, res) in &answers {
        common(path, *kind, res);
        // Plain HTTP: no HSTS, and no cookie the browser would drop.
        assert_eq!(res.header("strict-transport-security"), "", "{path}");
        for c in res.all("set-cookie") {
            cookies += 1;
            assert!(
                !c.split(';')
                    .skip(1)
                    .any(|a| a.trim().eq_ignore_ascii_case("secure")),
                "{path}: a Secure cookie on plain HTTP: {c}"
            );
        }
    }
    assert!(
        cookies >= 2,
        "the walk sets the session and language cookies"
    );
}

pub async fn behind_tls_every_answer_has_hsts_and_every_cookie_is_secure(store: Store) {
    let w = world_with(
        store,
        AppConfig {
            behind_tls: true,
            ..AppConfig::default()
        },
    )
    .await;
    let answers = every_answer(&w).await;
    let mut cookies = 0;
    for (path, kind, res) in &answers {
        common(path, *kind, res);
        assert_eq!(
            res.header("strict-transport-security"),
            "max-age=31536000",
            "{path}"
        );
        for c in res.all("set-cookie") {
            cookies += 1;
            assert!(
                c.split(';')
                    .skip(1)
                    .any(|a| a.trim().eq_ignore_ascii_case("secure")),
                "{path}: a cookie without Secure: {c}"
            );
        }
    }
    assert!(
        cookies >= 2,
        "the walk sets the session and language cookies"
    );
    // The logout's clearing cookie too.
    let login = log_in(&w).await;
    let cookie = session_of(&login);
    let csrf_page = get(&w.router, "/can-bo", &[("cookie", cookie.as_str())]).await;
    let csrf = csrf_of(&csrf_page.body);
    let out = crate::send(
        &w.router,
        axum::http::Method::POST,
        "/can-bo/dang-xuat",
        Some(&[("csrf", csrf.as_str())]),
        &[("cookie", cookie.as_str())],
    )
    .await;
    assert!(out.status.is_redirection(), "logout: {}", out.status);
    let cleared = out.all("set-cookie");
    assert!(!cleared.is_empty(), "logout clears the session cookie");
    for c in cleared {
        assert!(c.contains("; Secure"), "logout: {c}");
    }
}

/// The CSRF token of a console page's forms.
fn csrf_of(page: &str) -> String {
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with the CSRF token")
        + "name=\"csrf\" value=\"".len();
    let end = page[at..].find('"').expect("end of the token");
    page[at..at + end].to_owned()
}
