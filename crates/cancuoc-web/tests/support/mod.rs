//! Helpers shared by the web crate's integration tests: the `cases!` macro
//! that runs each case on a fresh SQLite file and on a fresh PostgreSQL
//! database, the router over a [`Service`] built from a store, sending a
//! request through the router and reading the answer, logging an officer
//! into the console (its session cookie, and a [`Desk`] that keeps it and
//! reads the CSRF token), and reading a form field's value from a page.
//!
//! Every name, number and id here is synthetic.

// Each test binary includes this module and uses a different subset of it.
#![allow(dead_code)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request};
use cancuoc_core::id::alloc::Allocator;
use cancuoc_service::{Login, Password, Service, fixed_clock};
use cancuoc_store::Store;
use cancuoc_testkit::world::{Staff, World};
use cancuoc_web::{Web, WebConfig};
use tower::ServiceExt;

/// The synthetic password of every test officer.
pub const PASSWORD: &str = "mat-khau-thu-nghiem-1";

/// Declares `sqlite::NAME` and `postgres::NAME` tests for each case, with
/// the SQLite file's prefix and the PostgreSQL database's prefix.
macro_rules! cases {
    ($sqlite:literal, $postgres:literal; $($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    cancuoc_testkit::on_sqlite($sqlite, super::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    cancuoc_testkit::on_postgres(
                        concat!("postgres::", stringify!($name)),
                        $postgres,
                        super::$name,
                    )
                    .await;
                }
            )*
        }
    };
}
pub(crate) use cases;

/// The service, the pages and the officers.
pub struct Env {
    pub store: Store,
    pub svc: Arc<Service>,
    pub router: Router,
    pub world: World,
}

/// The test world at `t0`, a service whose clock stands at `now`, and the
/// router over it with `config`.
pub async fn env_with(store: Store, now: &str, t0: i64, config: WebConfig) -> Env {
    let world = cancuoc_testkit::world::world(store.clone(), t0).await;
    let svc = Arc::new(
        Service::new(
            store.clone(),
            Allocator::new([42; 16]),
            fixed_clock(now.parse().expect("instant")),
        )
        .await
        .expect("service"),
    );
    let router = cancuoc_web::router(Web::new(svc.clone(), config));
    Env {
        store,
        svc,
        router,
        world,
    }
}

/// One answer: status, `Location`, `Set-Cookie`, the page.
pub struct Page {
    pub status: u16,
    pub location: String,
    pub set_cookie: String,
    pub html: String,
}

impl Page {
    #[track_caller]
    pub fn html(&self, status: u16, needles: &[&str]) -> &str {
        assert_eq!(self.status, status, "{}", self.html);
        for n in needles {
            assert!(self.html.contains(n), "{n:?} missing from:\n{}", self.html);
        }
        &self.html
    }

    #[track_caller]
    pub fn redirect(&self, to: &str) {
        assert_eq!(self.status, 303, "{}", self.html);
        assert_eq!(self.location, to);
    }
}

/// Sends a GET (no `form`) or a url-encoded POST through the router, with
/// `cookie` unless it is empty.
pub async fn send(
    r: &Router,
    method: Method,
    uri: &str,
    form: Option<&[(&str, &str)]>,
    cookie: &str,
) -> Page {
    let mut req = Request::builder().method(method).uri(uri);
    if !cookie.is_empty() {
        req = req.header("cookie", cookie);
    }
    let req = match form {
        Some(pairs) => req
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(
                form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs)
                    .finish(),
            )),
        None => req.body(Body::empty()),
    }
    .expect("request");
    let res = r.clone().oneshot(req).await.expect("infallible");
    let status = res.status().as_u16();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let location = header("location");
    let set_cookie = header("set-cookie");
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body");
    Page {
        status,
        location,
        set_cookie,
        html: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Gives `who` the console login `login` and logs in: its session cookie.
pub async fn login(e: &Env, who: &Staff, login: &str) -> String {
    e.svc
        .set_officer_login(
            who.id,
            &Login::parse(login).expect("login"),
            &Password::parse(PASSWORD).expect("password"),
            None,
        )
        .await
        .expect("set login");
    let p = send(
        &e.router,
        Method::POST,
        "/can-bo/dang-nhap",
        Some(&[
            ("login", login),
            ("password", PASSWORD),
            ("next", "/can-bo"),
        ]),
        "",
    )
    .await;
    assert_eq!(p.status, 303, "login of {login}");
    p.set_cookie.split(';').next().expect("cookie").to_owned()
}

/// A logged-in console user.
pub struct Desk {
    pub router: Router,
    pub cookie: String,
}

impl Desk {
    pub async fn login(e: &Env, who: &Staff, login: &str) -> Desk {
        let cookie = self::login(e, who, login).await;
        assert!(cookie.starts_with("cancuoc_can_bo="), "{cookie}");
        Desk {
            router: e.router.clone(),
            cookie,
        }
    }

    pub async fn get(&self, uri: &str) -> Page {
        send(&self.router, Method::GET, uri, None, &self.cookie).await
    }

    pub async fn post(&self, uri: &str, form: &[(&str, &str)]) -> Page {
        send(&self.router, Method::POST, uri, Some(form), &self.cookie).await
    }

    /// The session's CSRF token, read from the console home.
    pub async fn csrf(&self) -> String {
        let home = self.get("/can-bo").await;
        field_value(&home.html, "csrf")
    }
}

/// The value of the first field `name` of a page.
pub fn field_value(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = html.find(&key).unwrap_or_else(|| panic!("no {name} field"));
    let rest = &html[at + key.len()..];
    rest[..rest.find('"').expect("end of value")].to_owned()
}
