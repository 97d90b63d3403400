//! The status lookup under attack: a client walking the codes of an
//! office's day is stopped, lookups are limited per client, trusted
//! integrators are exempt, and who a dossier's applicant is needs a second
//! factor whose wrong guesses lock the code. Each client is a peer address
//! (`ConnectInfo`), as the real server sees it.

use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_server::AppConfig;
use cancuoc_service::Limits;
use cancuoc_store::Store;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::world::*;

/// A request from the peer `from`.
async fn from(w: &World, from: &str, method: Method, uri: &str, body: Option<Value>) -> Res {
    let peer = SocketAddr::new(from.parse::<IpAddr>().expect("ip"), 40_000);
    let mut req = Request::builder().method(method).uri(uri);
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let mut req = req
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .expect("request");
    req.extensions_mut().insert(ConnectInfo(peer));
    let res = w.router.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    Res {
        status,
        headers,
        body,
    }
}

/// A status lookup from the peer `peer` carrying `X-Forwarded-For: xff`.
async fn status_via(w: &World, peer: &str, xff: &str, code: &str) -> Res {
    let peer = SocketAddr::new(peer.parse::<IpAddr>().expect("ip"), 40_000);
    let mut req = Request::builder()
        .uri(format!("/api/v1/status/{code}"))
        .header("x-forwarded-for", xff)
        .body(Body::empty())
        .expect("request");
    req.extensions_mut().insert(ConnectInfo(peer));
    let res = w.router.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Res {
        status,
        headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

async fn status_from(w: &World, client: &str, code: &str) -> Res {
    from(
        w,
        client,
        Method::GET,
        &format!("/api/v1/status/{code}"),
        None,
    )
    .await
}

/// A dossier of "Nguyễn Văn An" (079090012345, born 1990-05-17); its code.
async fn an_dossier(w: &World) -> DossierCode {
    let c = register(w, "Nguyễn Văn An", "079090012345").await;
    let d = open_dossier(w, c).await;
    d["code"].as_str().expect("code").parse().expect("a code")
}

/// The `n`-th well-formed code of the same office and day as `real` that
/// is not `real`: what a walk of that day asks for.
fn walk(real: DossierCode, n: u32) -> DossierCode {
    let random = (real.random() + 1 + n) % 100_000;
    DossierCode::new(real.office(), real.date(), random).expect("a code")
}

/// A 429 problem with `code` and a `Retry-After` of at least a second.
fn assert_limited(r: &Res, code: &str) {
    r.problem(429, code);
    let secs: u64 = r
        .headers
        .get("retry-after")
        .expect("Retry-After")
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(secs >= 1, "{secs}");
}

pub async fn a_client_walking_the_codes_of_a_day_is_stopped(store: Store) {
    let w = world(store).await;
    let real = an_dossier(&w).await;
    let walker = "192.0.2.10";
    for n in 0..10 {
        let r = status_from(&w, walker, &walk(real, n).to_string()).await;
        r.problem(404, "store.not_found");
    }
    // The eleventh miss is refused, and so is a code that exists.
    assert_limited(
        &status_from(&w, walker, &walk(real, 10).to_string()).await,
        "limit.code_walk",
    );
    assert_limited(
        &status_from(&w, walker, &real.to_string()).await,
        "limit.code_walk",
    );
    // Another client is not.
    status_from(&w, "192.0.2.11", &real.to_string())
        .await
        .ok(200);
    // One IPv6 host is its /64: a new address in it is the same walker.
    let v6 = "2001:db8:7:7::1";
    for n in 0..10 {
        status_from(&w, v6, &walk(real, 20 + n).to_string())
            .await
            .problem(404, "store.not_found");
    }
    assert_limited(
        &status_from(&w, "2001:db8:7:7::beef", &real.to_string()).await,
        "limit.code_walk",
    );
}

pub async fn the_same_missing_code_asked_again_is_not_a_walk(store: Store) {
    let w = world(store).await;
    let real = an_dossier(&w).await;
    let typo = walk(real, 0).to_string();
    for _ in 0..20 {
        status_from(&w, "192.0.2.12", &typo)
            .await
            .problem(404, "store.not_found");
    }
    status_from(&w, "192.0.2.12", &real.to_string())
        .await
        .ok(200);
}

pub async fn lookups_beyond_the_rate_are_refused_per_client(store: Store) {
    let w = world(store).await;
    let code = an_dossier(&w).await.to_string();
    let burst = Limits::default().lookups.burst;
    for _ in 0..burst {
        status_from(&w, "192.0.2.20", &code).await.ok(200);
    }
    assert_limited(&status_from(&w, "192.0.2.20", &code).await, "limit.lookups");
    status_from(&w, "192.0.2.21", &code).await.ok(200);
}

pub async fn a_trusted_integrator_is_exempt_from_the_client_limits(store: Store) {
    let limits = Limits {
        exempt: vec!["198.51.100.0/24".parse().expect("net")],
        ..Limits::default()
    };
    let w = world_limited(store, AppConfig::default(), limits).await;
    let real = an_dossier(&w).await;
    let bank = "198.51.100.7";
    for n in 0..40 {
        status_from(&w, bank, &walk(real, n).to_string())
            .await
            .problem(404, "store.not_found");
    }
    for _ in 0..40 {
        status_from(&w, bank, &real.to_string()).await.ok(200);
    }
}

async fn holder(w: &World, client: &str, code: DossierCode, proof: Value) -> Res {
    from(
        w,
        client,
        Method::POST,
        &format!("/api/v1/status/{code}/holder"),
        Some(proof),
    )
    .await
}

pub async fn the_applicants_name_needs_their_date_of_birth_or_id_digits(store: Store) {
    let w = world(store).await;
    let code = an_dossier(&w).await;
    for proof in [
        json!({"date_of_birth": "1990-05-17"}),
        json!({"id_last_digits": "2345"}),
        json!({"id_last_digits": "23 45"}),
    ] {
        let r = holder(&w, "192.0.2.30", code, proof.clone()).await;
        let v = r.ok(200);
        assert_eq!(v["masked_name"], "Nguyễn V** A*", "{proof}");
        assert_eq!(v["code"], code.to_string());
        assert_eq!(v["state"], "received");
    }
    holder(
        &w,
        "192.0.2.30",
        code,
        json!({"date_of_birth": "1990-05-18"}),
    )
    .await
    .problem(403, "status.factor_mismatch");
    holder(&w, "192.0.2.30", code, json!({"id_last_digits": "2346"}))
        .await
        .problem(403, "status.factor_mismatch");
}

pub async fn wrong_dates_of_birth_lock_the_code_for_everyone(store: Store) {
    let w = world(store).await;
    let code = an_dossier(&w).await;
    // Five guesses from five addresses (a distributed guess is still
    // counted against the code).
    for day in 1..=5 {
        let client = format!("192.0.2.{}", 40 + day);
        holder(
            &w,
            &client,
            code,
            json!({"date_of_birth": format!("1990-01-{day:02}")}),
        )
        .await
        .problem(403, "status.factor_mismatch");
    }
    // Now even the right date is refused, from a new address.
    assert_limited(
        &holder(
            &w,
            "192.0.2.99",
            code,
            json!({"date_of_birth": "1990-05-17"}),
        )
        .await,
        "limit.second_factor",
    );
    // The code alone still answers.
    status_from(&w, "192.0.2.99", &code.to_string())
        .await
        .ok(200);
}

pub async fn a_malformed_proof_names_its_field(store: Store) {
    let w = world(store).await;
    let code = an_dossier(&w).await;
    let cases = [
        (json!({}), "date_of_birth"),
        (
            json!({"date_of_birth": "1990-05-17", "id_last_digits": "2345"}),
            "date_of_birth",
        ),
        (json!({"date_of_birth": "17/05/1990"}), "date_of_birth"),
        (json!({"id_last_digits": "12a4"}), "id_last_digits"),
        (json!({"id_last_digits": "123"}), "id_last_digits"),
    ];
    for (proof, field) in cases {
        let r = holder(&w, "192.0.2.50", code, proof.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{proof}: {:?}", r.body);
        assert_problem_shape(&r.body);
        let detail = r.body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(field), "{proof}: {detail}");
    }
    // Unknown members are refused, not ignored.
    let r = holder(&w, "192.0.2.50", code, json!({"dob": "1990-05-17"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
}

/// Behind the configured proxy, each citizen is the address the proxy
/// forwarded (the rightmost one it did not add itself), so citizens behind
/// one proxy do not share one bucket; from any other peer the header is
/// ignored, so a client cannot name itself a new address per request.
pub async fn forwarded_addresses_count_only_from_a_trusted_proxy(store: Store) {
    let config = AppConfig {
        trusted_proxies: vec!["10.0.0.0/30".parse().expect("net")],
        ..AppConfig::default()
    };
    let w = world_with(store, config).await;
    let code = an_dossier(&w).await.to_string();
    let burst = Limits::default().lookups.burst;
    // Citizen A, through the proxy (a spoofed first entry is not trusted):
    // its burst, then refused.
    for _ in 0..burst {
        status_via(&w, "10.0.0.1", "6.6.6.6, 198.51.100.7", &code)
            .await
            .ok(200);
    }
    assert_limited(
        &status_via(&w, "10.0.0.1", "6.6.6.6, 198.51.100.7", &code).await,
        "limit.lookups",
    );
    // Citizen B behind the same proxy is another client.
    status_via(&w, "10.0.0.2", "198.51.100.8", &code)
        .await
        .ok(200);
    // A direct client inventing a new address each time is still one.
    for i in 0..burst {
        status_via(&w, "203.0.113.5", &format!("198.51.100.{}", 100 + i), &code)
            .await
            .ok(200);
    }
    assert_limited(
        &status_via(&w, "203.0.113.5", "198.51.100.250", &code).await,
        "limit.lookups",
    );
}
