//! The card panel of the console's dossier page: from "printed" on, the
//! card's state, dates, model and MRZ lines as stored, the link to its
//! specimen, and the "report lost" form for the officers who may (a
//! reception desk, an administrator) — with the session's CSRF token, a
//! required reason, and the card lost at once. Each case runs on a fresh
//! SQLite file and, when `CANCUOC_TEST_PG_URL` is set, on a fresh
//! PostgreSQL database.
//!
//! Every name and number here is synthetic.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::id::PersonalId;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_core::rules::Reason;
use cancuoc_service::{
    CardStanding, Client, Login, OpenDossier, Password, Service, TransitionCommand, fixed_clock,
};
use cancuoc_store::Store;
use cancuoc_testkit::world::{Staff, add_citizen, complete_capture};
use cancuoc_web::{Web, WebConfig};
use tower::ServiceExt;

/// 2026-11-21 10:00 in Vietnam.
const NOW: &str = "2026-11-21T03:00:00Z";
/// Epoch seconds of [`NOW`].
const T0: i64 = 1_795_230_000;
/// The synthetic password of every test officer.
const PASSWORD: &str = "mat-khau-thu-nghiem-1";

/// Declares `sqlite::NAME` and `postgres::NAME` tests for each case.
macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    cancuoc_testkit::on_sqlite("cancuoc_web_card", super::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    cancuoc_testkit::on_postgres(
                        concat!("postgres::", stringify!($name)),
                        "web_card",
                        super::$name,
                    )
                    .await;
                }
            )*
        }
    };
}

cases!(
    the_dossier_page_shows_the_card_from_printed_on,
    a_desk_reports_the_card_lost_with_a_reason_and_the_csrf_token,
);

/// The service, the pages and the officers.
struct Env {
    store: Store,
    svc: Arc<Service>,
    router: Router,
    world: cancuoc_testkit::world::World,
}

async fn env(store: Store) -> Env {
    let world = cancuoc_testkit::world::world(store.clone(), T0).await;
    let svc = Arc::new(
        Service::new(
            store.clone(),
            Allocator::new([42; 16]),
            fixed_clock(NOW.parse().expect("instant")),
        )
        .await
        .expect("service"),
    );
    let router = cancuoc_web::router(Web::new(svc.clone(), WebConfig::default()));
    Env {
        store,
        svc,
        router,
        world,
    }
}

/// One answer: status, `Location`, the page.
struct Page {
    status: u16,
    location: String,
    html: String,
}

impl Page {
    #[track_caller]
    fn html(&self, status: u16, needles: &[&str]) -> &str {
        assert_eq!(self.status, status, "{}", self.html);
        for n in needles {
            assert!(self.html.contains(n), "{n:?} missing from:\n{}", self.html);
        }
        &self.html
    }

    #[track_caller]
    fn redirect(&self, to: &str) {
        assert_eq!(self.status, 303, "{}", self.html);
        assert_eq!(self.location, to);
    }
}

async fn send(
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
    let mut html = String::from_utf8_lossy(&bytes).into_owned();
    if uri == "/can-bo/dang-nhap" {
        // The login answer carries the session cookie: hand it back.
        html = set_cookie;
    }
    Page {
        status,
        location,
        html,
    }
}

/// A logged-in console user.
struct Desk {
    router: Router,
    cookie: String,
}

impl Desk {
    async fn login(e: &Env, who: &Staff, login: &str) -> Desk {
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
        let cookie = p.html.split(';').next().expect("cookie").to_owned();
        assert!(cookie.starts_with("cancuoc_can_bo="), "{cookie}");
        Desk {
            router: e.router.clone(),
            cookie,
        }
    }

    async fn get(&self, uri: &str) -> Page {
        send(&self.router, Method::GET, uri, None, &self.cookie).await
    }

    async fn post(&self, uri: &str, form: &[(&str, &str)]) -> Page {
        send(&self.router, Method::POST, uri, Some(form), &self.cookie).await
    }

    /// The session's CSRF token, read from the console home.
    async fn csrf(&self) -> String {
        let home = self.get("/can-bo").await;
        field_value(&home.html, "csrf")
    }
}

/// The value of the first hidden field `name` of a page.
fn field_value(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = html.find(&key).unwrap_or_else(|| panic!("no {name} field"));
    let rest = &html[at + key.len()..];
    rest[..rest.find('"').expect("end of value")].to_owned()
}

fn step(code: DossierCode, to: State, v: i64) -> TransitionCommand {
    TransitionCommand {
        code,
        to,
        note: None,
        expected_version: v,
        idempotency_key: None,
        population_data_changed: (to == State::SentToCentre).then_some(false),
        old_document: None,
        at: None,
    }
}

/// A dossier of `number` walked to approved (version 5).
async fn approved(e: &Env, number: &str) -> DossierCode {
    let w = &e.world;
    let c = add_citizen(&e.store, "Ngô Thị Thẻ", number, T0).await;
    let d = e
        .svc
        .open_dossier(
            &w.receptionist,
            OpenDossier {
                capture: Some(complete_capture()),
                ..OpenDossier::walk_in(c.id, Reason::FirstIssue)
            },
        )
        .await
        .expect("open");
    for (who, to, v) in [
        (&w.receptionist, State::Captured, 1),
        (&w.receptionist, State::SlipIssued, 2),
        (&w.receptionist, State::SentToCentre, 3),
        (&w.approver, State::Approved, 4),
    ] {
        e.svc
            .transition(who, step(d.code, to, v))
            .await
            .expect("step");
    }
    d.code
}

pub async fn the_dossier_page_shows_the_card_from_printed_on(store: Store) {
    let e = env(store).await;
    let code = approved(&e, "079090012371").await;
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let uri = format!("/can-bo/ho-so/{code}");
    let before = desk.get(&uri).await;
    before.html(200, &[]);
    assert!(!before.html.contains("/the-mau"), "no card before printing");
    e.svc
        .transition(&e.world.printer, step(code, State::Printed, 5))
        .await
        .expect("printed");
    let card = e
        .svc
        .dossier_card(&e.world.printer, code)
        .await
        .expect("card")
        .expect("a card");
    let mrz = card.mrz.clone().expect("mrz");
    let first = mrz.lines().next().expect("line").replace('<', "&#60;");
    let page = desk.get(&uri).await;
    page.html(
        200,
        &[
            "Đã in, chưa trao cho công dân",
            "21/11/2026",
            "Thẻ Căn cước (mẫu 2024)",
            first.as_str(),
            "Chưa ký",
            &format!("/can-bo/ho-so/{code}/the-mau"),
            &format!("/can-bo/ho-so/{code}/bao-mat"),
        ],
    );
    // The printer sees the card, not the form.
    let printer = Desk::login(&e, &e.world.printer, "bui.in.the").await;
    let p = printer.get(&uri).await;
    p.html(200, &["Đã in, chưa trao cho công dân"]);
    assert!(
        !p.html.contains("/bao-mat"),
        "no report form for the printer"
    );
}

pub async fn a_desk_reports_the_card_lost_with_a_reason_and_the_csrf_token(store: Store) {
    let e = env(store).await;
    let number = "079090012372";
    let code = approved(&e, number).await;
    e.svc
        .transition(&e.world.printer, step(code, State::Printed, 5))
        .await
        .expect("printed");
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let uri = format!("/can-bo/ho-so/{code}/bao-mat");
    let csrf = desk.csrf().await;
    let pid = PersonalId::parse(number).expect("id");
    let client = Client::new(std::net::IpAddr::from([10, 9, 0, 1]));
    let standing = || async {
        e.svc
            .card_status(&pid, None, client)
            .await
            .expect("status")
            .status
    };
    // Without the token: refused, nothing changes.
    let no_token = desk.post(&uri, &[("ly_do", "Mất ví")]).await;
    assert_eq!(no_token.status, 403, "{}", no_token.html);
    assert_eq!(standing().await, CardStanding::NotYetIssued);
    // A blank reason: the page again, with the problem.
    let blank = desk
        .post(&uri, &[("csrf", csrf.as_str()), ("ly_do", "  ")])
        .await;
    blank.html(422, &["lý do"]);
    assert_eq!(standing().await, CardStanding::NotYetIssued);
    desk.post(&uri, &[("csrf", csrf.as_str()), ("ly_do", "Mất ví ở chợ")])
        .await
        .redirect(&format!("/can-bo/ho-so/{code}?ok=bao-mat"));
    assert_eq!(standing().await, CardStanding::Lost);
    let page = desk.get(&format!("/can-bo/ho-so/{code}?ok=bao-mat")).await;
    page.html(200, &["Đã báo mất thẻ", "Mất ví ở chợ"]);
    assert!(
        !page
            .html
            .contains("action=\"/can-bo/ho-so/{code}/bao-mat\"")
    );
}
