//! Hardening of the HTTP edge against a hostile network (issue 18): each
//! case reproduces an attack and checks the service holds.
//!
//! - `redirect`: the language switch and the console login never send the
//!   browser to another site, whatever `next` says (open redirect).
//! - `headers`: the security headers of every page family (portal,
//!   booking, console, API, API docs): a content security policy without
//!   inline script, no framing, `nosniff`, the referrer policy,
//!   `no-store`; `Secure` cookies and HSTS behind HTTPS.
//! - `slow_clients`: over a real socket, a client that stalls in its
//!   request head or body is cut off while others are served, and the
//!   connection cap holds (slowloris).
//!
//! (No personal ID reaching a DEBUG log line, whatever the path: the
//! test binary `log_masking`, alone so that it owns the log.)
//!
//! Cases run through the whole router (`tower::ServiceExt::oneshot`), or
//! through `cancuoc_server::serve` on a loopback socket, on a fresh SQLite
//! file each. Every name and number here is synthetic.

mod headers;
mod redirect;
mod slow_clients;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use cancuoc_core::id::alloc::Allocator;
use cancuoc_server::{App, AppConfig, Limits, Service, fixed_clock, router};
use cancuoc_store::Store;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Declares a test on a fresh SQLite file for each `module::case`.
macro_rules! on_sqlite {
    ($($module:ident :: $case:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $case() {
                cancuoc_testkit::on_sqlite("cancuoc_hardening", $module::$case).await;
            }
        )*
    };
}

on_sqlite!(
    redirect::every_hostile_next_of_the_language_switch_leads_home,
    redirect::the_language_switch_still_leads_back_to_the_page,
    redirect::every_hostile_next_of_the_console_login_stays_in_the_console,
    headers::every_answer_refuses_sniffing_framing_and_caching,
    headers::behind_tls_every_answer_has_hsts_and_every_cookie_is_secure,
    slow_clients::a_half_sent_head_is_cut_while_other_clients_are_served,
    slow_clients::a_stalled_body_is_cut_with_a_408,
    slow_clients::past_the_cap_a_client_waits_for_a_slot_and_gets_one,
    slow_clients::shutdown_is_not_held_up_by_stalled_clients,
    slow_clients::each_request_carries_its_peer_address,
);

/// 2026-11-21 10:00 in Vietnam (UTC+7).
pub const NOW: &str = "2026-11-21T03:00:00Z";
/// Epoch seconds of [`NOW`].
pub const T0: i64 = 1_795_230_000;
/// The synthetic console password of the test officers.
pub const PASSWORD: &str = "mat-khau-thu-nghiem-1";

/// The test world (offices, an officer of every role) behind an app.
pub struct World {
    pub app: App,
    pub router: Router,
    pub staff: cancuoc_testkit::world::World,
}

/// The world with the default settings (and the fixed clock).
pub async fn world(store: Store) -> World {
    world_with(store, AppConfig::default()).await
}

/// The world with `config` (the clock fixed at [`NOW`]).
pub async fn world_with(store: Store, config: AppConfig) -> World {
    world_limited(store, config, Limits::default()).await
}

/// [`world_with`] whose service has `limits`.
pub async fn world_limited(store: Store, config: AppConfig, limits: Limits) -> World {
    let staff = cancuoc_testkit::world::world(store.clone(), T0).await;
    let service = Service::new(
        store,
        Allocator::new([42; 16]),
        fixed_clock(NOW.parse().expect("now")),
    )
    .await
    .expect("service")
    .with_limits(limits);
    let app = App::new(service, config);
    World {
        router: router(app.clone()),
        app,
        staff,
    }
}

/// One answer: status, headers, body text.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// The first value of header `name` ("" when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Every value of header `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    }
}

/// Sends one request through the router: `form` as an HTML form when
/// given, `headers` as they are.
pub async fn send(
    router: &Router,
    method: Method,
    uri: &str,
    form: Option<&[(&str, &str)]>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = match form {
        Some(pairs) => {
            let body: String = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish();
            req.header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
        }
        None => req.body(Body::empty()),
    }
    .expect("request");
    let res = router.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// `GET uri` with `headers`.
pub async fn get(router: &Router, uri: &str, headers: &[(&str, &str)]) -> Answer {
    send(router, Method::GET, uri, None, headers).await
}

/// Gives the world's receptionist the console login `reception.790` and
/// [`PASSWORD`].
pub async fn give_login(w: &World) -> &'static str {
    let login = "reception.790";
    w.app
        .service()
        .set_officer_login(
            w.staff.receptionist.officer.id,
            &cancuoc_service::Login::parse(login).expect("login"),
            &cancuoc_service::Password::parse(PASSWORD).expect("password"),
            None,
        )
        .await
        .expect("set login");
    login
}

/// Logs the receptionist in through the form; the login answer (a 303
/// with the session cookie).
pub async fn log_in(w: &World) -> Answer {
    let login = give_login(w).await;
    let res = send(
        &w.router,
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
    assert_eq!(res.status.as_u16(), 303, "login failed: {}", res.body);
    res
}

/// The `name=value` of the session cookie a login answer set.
pub fn session_of(login: &Answer) -> String {
    let c = login
        .all("set-cookie")
        .into_iter()
        .find(|c| c.starts_with("cancuoc_can_bo="))
        .unwrap_or_else(|| panic!("no session cookie: {:?}", login.headers));
    c.split(';').next().expect("pair").to_owned()
}
