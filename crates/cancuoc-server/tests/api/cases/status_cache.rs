//! The status lookup with its answer cache (`Store::status_cached`) answers
//! byte for byte what a server without the cache answers — 200, the 400s of
//! malformed codes and bad check digits, the 404 of an unknown code — before
//! and after a transition made through the API, and after a change made by
//! a second server on the same database (on PostgreSQL the cached server
//! hears of it by LISTEN/NOTIFY, so its answer changes within a bounded
//! wait rather than on the very next lookup).

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_server::{App, AppConfig, Limits, router};
use cancuoc_store::{Backend, Store};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::world::*;

/// Status, content type and body of one lookup; problem documents without
/// their request id (different for every request).
async fn lookup(router: &Router, code: &str) -> (u16, String, Vec<u8>) {
    let req = Request::get(format!("/api/v1/status/{code}"))
        .body(Body::empty())
        .expect("request");
    let res = router.clone().oneshot(req).await.expect("infallible");
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mut body = res
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    if status != 200 {
        let mut v: Value = serde_json::from_slice(&body).expect("problem json");
        assert!(v["request_id"].is_string(), "{v}");
        v["request_id"] = Value::Null;
        body = v.to_string().into_bytes();
    }
    (status, ct, body)
}

/// A second server on the same database, without the cache.
async fn uncached_router(store: &Store) -> Router {
    let url = match store.db() {
        cancuoc_store::Db::Sqlite(_) => {
            let Value::String(file) = sqlite_file(store).await else {
                panic!("file name")
            };
            format!("sqlite://{file}")
        }
        cancuoc_store::Db::Postgres(pool) => {
            let name: String = sqlx::query_scalar("SELECT current_database()")
                .fetch_one(pool)
                .await
                .expect("current_database");
            let admin = std::env::var(cancuoc_testkit::PG_URL_VAR).expect("the test server");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            format!("{base}/{name}")
        }
    };
    let second = Store::connect(&url)
        .await
        .expect("second store")
        .with_status_cache(0);
    let service = service_at(second, NOW, Limits::default()).await;
    router(App::new(service, AppConfig::default()))
}

async fn sqlite_file(store: &Store) -> Value {
    let cancuoc_store::Db::Sqlite(pool) = store.db() else {
        panic!("not SQLite")
    };
    let (_, _, file): (i64, String, String) = sqlx::query_as("PRAGMA database_list")
        .fetch_one(pool)
        .await
        .expect("database_list");
    Value::String(file)
}

/// Every kind of answer, asked twice of the cached server (a miss, then a
/// hit) and once of the uncached one: the same bytes.
async fn all_agree(cached: &Router, uncached: &Router, codes: &[String]) -> Vec<Vec<u8>> {
    let mut bodies = Vec::new();
    for code in codes {
        let first = lookup(cached, code).await;
        let again = lookup(cached, code).await;
        let plain = lookup(uncached, code).await;
        assert_eq!(first, again, "{code}: the cached answer differs");
        assert_eq!(first, plain, "{code}: cached and uncached servers differ");
        bodies.push(first.2);
    }
    bodies
}

pub async fn status_cache_answers_as_uncached(store: Store) {
    let w = world(store).await;
    let uncached = uncached_router(&w.store).await;
    let c = register(&w, "Trương Thị Bộ Đệm", "079090012399").await;
    let d = open_dossier(&w, c).await;
    let code = d["code"].as_str().expect("code").to_owned();
    let real: DossierCode = code.parse().expect("code");
    let unknown = DossierCode::new(
        real.office(),
        real.date(),
        (real.random() + 1) % DossierCode::RANDOM_SPACE,
    )
    .expect("code")
    .to_string();
    let last = code.as_bytes()[15] - b'0';
    let wrong = format!("{}{}", &code[..15], (last + 1) % 10);
    let spaced = format!("{}-{}%20{}", &code[..4], &code[4..10], &code[10..]);
    let codes = [
        code.clone(),
        spaced,
        wrong,
        unknown,
        "12ab".to_owned(),
        "123".to_owned(),
    ];
    let statuses: Vec<u16> = {
        let mut v = Vec::new();
        for c in &codes {
            v.push(lookup(&w.router, c).await.0);
        }
        v
    };
    assert_eq!(statuses, [200, 200, 400, 404, 400, 400]);
    // PostgreSQL: the first lookup started the listener; answers are
    // cached once it listens.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !w.store.status_cache_live() {
        assert!(
            std::time::Instant::now() < deadline,
            "the cache never went live"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let before = all_agree(&w.router, &uncached, &codes).await;
    let text = String::from_utf8(before[0].clone()).expect("utf-8");
    assert!(text.contains("\"state\":\"received\""), "{text}");

    // A transition through the API of the cached server: seen at once.
    capture_and_advance(&w, &code).await;
    let after = all_agree(&w.router, &uncached, &codes).await;
    let text = String::from_utf8(after[0].clone()).expect("utf-8");
    assert!(text.contains("\"state\":\"captured\""), "{text}");

    // A change through the second server (its own connections): seen by
    // the cached one on its next lookup.
    let dossier = get(
        &uncached,
        &format!("/api/v1/dossiers/{code}"),
        Some(&w.receptionist),
    )
    .await;
    let version = dossier.ok(200)["version"].as_i64().expect("version");
    post(
        &uncached,
        &format!("/api/v1/dossiers/{code}/transitions"),
        Some(&w.receptionist),
        json!({"to": "slip_issued", "version": version}),
    )
    .await
    .ok(200);
    if w.store.backend() == Backend::Postgres {
        // The announcement travels: wait (bounded) until it is heard.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while !String::from_utf8_lossy(&lookup(&w.router, &code).await.2).contains("slip_issued") {
            assert!(
                std::time::Instant::now() < deadline,
                "the change was never heard"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
    let later = all_agree(&w.router, &uncached, &codes).await;
    let text = String::from_utf8(later[0].clone()).expect("utf-8");
    assert!(text.contains("\"state\":\"slip_issued\""), "{text}");
}
