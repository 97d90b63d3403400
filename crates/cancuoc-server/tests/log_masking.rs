//! Personal ID numbers in DEBUG logs (issue 18, 6f), through the whole
//! router on a fresh SQLite file: the request span
//! masked a path segment only when it was exactly 9 to 12 digits, so
//! `/api/v1/citizens/%20062067042420` (an encoded space before the ID)
//! reached the log whole. Every number of 9 digits or more in a logged
//! path or query is now masked, after percent-decoding, whatever
//! surrounds it (`cancuoc_core::id::mask_uri`).

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::Request;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_server::{App, AppConfig, Service, fixed_clock, router};
use cancuoc_store::Store;
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
    fn text(&self) -> String {
        let bytes = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        String::from_utf8(bytes).expect("utf-8 log")
    }
}

/// The synthetic personal ID every request below spells some way.
const ID: &str = "062067042420";

/// Request targets that carry [`ID`] (or a number around it), and the
/// masked form the log must show instead.
const TARGETS: &[(&str, &str)] = &[
    (
        "/api/v1/citizens/062067042420",
        "/api/v1/citizens/062*******20",
    ),
    (
        "/api/v1/citizens/%20062067042420",
        "/api/v1/citizens/ 062*******20",
    ),
    (
        "/api/v1/citizens/%2006206704242%30",
        "/api/v1/citizens/ 062*******20",
    ),
    (
        "/api/v1/citizens/1062067042420",
        "/api/v1/citizens/106********20",
    ),
    (
        "/api/v1/citizens/x062067042420y",
        "/api/v1/citizens/x062*******20y",
    ),
    (
        "/api/v1/citizens/062%20067%20042420",
        "/api/v1/citizens/062 *** ****20",
    ),
    (
        "/api/v1/citizens/062-067-042420",
        "/api/v1/citizens/062-***-****20",
    ),
    (
        "/api/v1/citizens/%25300620670424%2532%2530",
        "/api/v1/citizens/006********20",
    ),
    (
        "/api/v1/citizens?q=062+067+042420&dob=1990-01-01",
        "/api/v1/citizens?q=062+***+****20&dob=1990-01-01",
    ),
    ("/tra-cuu?ma=062067042420", "/tra-cuu?ma=062*******20"),
    ("/khong-co/062067042420", "/khong-co/062*******20"),
];

/// Captures this thread's log at DEBUG (the test's runtime is this
/// thread's: `#[tokio::test]` is single-threaded), then runs the case.
/// Alone in its test binary: a callsite another test's thread registers
/// first, without this subscriber, could be cached as disabled.
#[tokio::test]
async fn no_personal_id_reaches_a_debug_log_however_the_path_spells_it() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .without_time()
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    cancuoc_testkit::on_sqlite("cancuoc_log_masking", |store| requests(store, &log)).await;
}

async fn requests(store: Store, log: &Captured) {
    let staff = cancuoc_testkit::world::world(store.clone(), 1_795_230_000).await;
    let service = Service::new(
        store,
        Allocator::new([42; 16]),
        fixed_clock("2026-11-21T03:00:00Z".parse().expect("now")),
    )
    .await
    .expect("service");
    let app = App::new(service, AppConfig::default());
    let router = router(app);
    let bearer = format!("Bearer {}", staff.receptionist.token);
    for (target, _) in TARGETS {
        let req = Request::builder()
            .uri(*target)
            .header("authorization", &bearer)
            .body(Body::empty())
            .expect("request");
        let res = router.clone().oneshot(req).await.expect("infallible");
        assert!(
            !res.status().is_server_error(),
            "{target}: {}",
            res.status()
        );
    }
    let text = log.text();
    for (target, masked) in TARGETS {
        assert!(
            text.contains(masked),
            "{target}: the log does not show {masked:?}:\n{text}"
        );
    }
    // Nothing of the ID beyond its first 3 and last 2 digits, in any of
    // the forms above.
    for needle in [ID, "2067042", "067 042", "067-042", "0670424"] {
        assert!(
            !text.contains(needle),
            "{needle:?} reached the log:\n{text}"
        );
    }
}
