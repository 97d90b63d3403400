//! A server error seen from outside: the page or problem a citizen or an
//! integrator gets is generic and names the request id, never the cause;
//! the log gets exactly one line with the cause chain and that request id.
//!
//! The fault is real: a stored value this build cannot read (a booking in
//! a state no version writes), which the store reports as corrupt data —
//! an internal error, not the caller's.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cancuoc_core::id::alloc::Allocator;
use cancuoc_server::{App, AppConfig, Service, fixed_clock, router};
use cancuoc_store::{Db, NewBooking, SlotKey, SlotRequest, Store};
use http_body_util::BodyExt;
use jiff::civil::date;
use tower::ServiceExt;

/// The log lines written while a test runs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn lines(&self) -> Vec<String> {
        let bytes = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        String::from_utf8(bytes)
            .expect("utf-8 log")
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

/// A store with the test world and one booking whose stored state no
/// version of cancuoc writes; its code.
async fn corrupt_booking(store: &Store) -> String {
    cancuoc_testkit::world::world(store.clone(), 0).await;
    // Any well-formed code: the one of draw 0.
    let code = cancuoc_core::booking::BookingCode::from_random(0).to_string();
    store
        .create_booking(
            &NewBooking {
                code: code.clone(),
                slot: SlotRequest {
                    key: SlotKey {
                        office: cancuoc_testkit::world::DISTRICT,
                        day: date(2026, 11, 24),
                        start_min: 450,
                    },
                    end_min: 480,
                    capacity: 2,
                },
                full_name: "Bùi Thị Hỏng".into(),
                phone: "0912345678".into(),
                personal_id: None,
                presence: None,
            },
            0,
        )
        .await
        .expect("booking");
    match store.db() {
        Db::Sqlite(pool) => {
            // Past the table's CHECK, as a damaged file or a future
            // version's data would be.
            let mut conn = pool.acquire().await.expect("connection");
            sqlx::query("PRAGMA ignore_check_constraints = ON")
                .execute(&mut *conn)
                .await
                .expect("pragma");
            sqlx::query("UPDATE bookings SET state = 'teleported' WHERE code = $1")
                .bind(&code)
                .execute(&mut *conn)
                .await
                .expect("corrupt it");
            sqlx::query("PRAGMA ignore_check_constraints = OFF")
                .execute(&mut *conn)
                .await
                .expect("pragma");
        }
        Db::Postgres(_) => panic!("this test runs on an SQLite file"),
    }
    code
}

#[tokio::test]
async fn a_server_error_page_is_generic_and_its_cause_is_logged_once() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    cancuoc_testkit::on_sqlite("cancuoc_server_errors", |store| async move {
        let code = corrupt_booking(&store).await;
        let service = Service::new(
            store.clone(),
            Allocator::new([3; 16]),
            fixed_clock("2026-11-23T02:00:00Z".parse().expect("now")),
        )
        .await
        .expect("service");
        let app = App::new(service, AppConfig::default());
        let r = router(app);
        for lang in ["vi", "en"] {
            let res = r
                .clone()
                .oneshot(
                    Request::get(format!("/dat-lich/xac-nhan/{code}?lang={lang}"))
                        .body(Body::empty())
                        .expect("request"),
                )
                .await
                .expect("response");
            assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let id = res.headers()["x-request-id"]
                .to_str()
                .expect("ascii")
                .to_owned();
            assert!(
                res.headers()["content-type"]
                    .to_str()
                    .expect("ascii")
                    .starts_with("text/html"),
                "an HTML page, not a problem document"
            );
            assert_eq!(res.headers()["cache-control"], "no-store");
            let body = res.into_body().collect().await.expect("body").to_bytes();
            let html = String::from_utf8(body.to_vec()).expect("utf-8");
            // Generic, in the page's language first, with the request id.
            let (first, other) = if lang == "vi" {
                ("Hệ thống gặp lỗi", "The system failed")
            } else {
                ("The system failed", "Hệ thống gặp lỗi")
            };
            assert!(html.contains(first) && html.contains(other), "{html}");
            assert!(html.contains(&id), "the page names request id {id}");
            // Nothing of the cause.
            for leak in [
                "teleported",
                "bookings.state",
                "corrupt",
                "Corrupt",
                "store.",
            ] {
                assert!(!html.contains(leak), "{leak:?} reached the page:\n{html}");
            }
            // One log line for it, with the cause chain and the request id.
            let lines: Vec<String> = log
                .lines()
                .into_iter()
                .filter(|l| l.contains(&id))
                .collect();
            assert_eq!(lines.len(), 1, "{lines:#?}");
            let line = &lines[0];
            assert!(line.contains("ERROR"), "{line}");
            assert!(line.contains("status=500"), "{line}");
            assert!(line.contains("bookings.state"), "the cause: {line}");
            assert!(line.contains("teleported"), "the cause: {line}");
        }
        // The same fault behind the REST API: a generic problem document.
        let token = store
            .add_officer(
                &cancuoc_store::NewOfficer {
                    name: "Cán Bộ Đọc".into(),
                    role: cancuoc_core::dossier::workflow::Role::Receptionist,
                    office: cancuoc_testkit::world::DISTRICT,
                },
                None,
                0,
            )
            .await
            .expect("officer")
            .token;
        let res = r
            .clone()
            .oneshot(
                Request::get("/api/v1/offices/790/bookings?date=2026-11-24")
                    .header("authorization", format!("Bearer {}", token.expose()))
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let id = res.headers()["x-request-id"]
            .to_str()
            .expect("ascii")
            .to_owned();
        let body = res.into_body().collect().await.expect("body").to_bytes();
        let problem: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(problem["code"], "server.internal", "{problem}");
        assert_eq!(problem["request_id"], id.as_str());
        assert!(!body.windows(10).any(|w| w == b"teleported"), "{problem}");
        assert_eq!(
            log.lines().iter().filter(|l| l.contains(&id)).count(),
            1,
            "one line for the API's 5xx too"
        );
    })
    .await;
}
