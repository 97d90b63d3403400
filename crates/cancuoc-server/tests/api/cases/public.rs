//! Probes, the OpenAPI spec and its viewer, problem documents and request
//! ids, and the handler timeout. Tokens, the public status lookup, offices
//! and rules are in `public_*.rs`.

use axum::http::Method;
use cancuoc_server::AppConfig;
use cancuoc_store::Store;
use serde_json::json;

use crate::world::*;

/// Every documented path and its methods: the spec must list exactly these.
const PATHS: &[(&str, &[&str])] = &[
    ("/api/v1/accounts", &["post"]),
    ("/api/v1/accounts/lock", &["post"]),
    ("/api/v1/accounts/unlock", &["post"]),
    ("/api/v1/accounts/unlock/verify", &["post"]),
    ("/api/v1/accounts/verify", &["post"]),
    ("/api/v1/auth/forgot", &["post"]),
    ("/api/v1/auth/forgot/reset", &["post"]),
    ("/api/v1/auth/forgot/verify", &["post"]),
    ("/api/v1/auth/login", &["post"]),
    ("/api/v1/auth/logout", &["post"]),
    ("/api/v1/auth/otp", &["post"]),
    ("/api/v1/auth/resend", &["post"]),
    ("/api/v1/captcha", &["get"]),
    ("/api/v1/cards/{number}/lost", &["post"]),
    ("/api/v1/cards/{number}/status", &["get"]),
    ("/api/v1/citizens", &["get", "post"]),
    ("/api/v1/citizens/{personal_id}", &["get"]),
    ("/api/v1/citizens/{personal_id}/account", &["get"]),
    ("/api/v1/citizens/{personal_id}/account/level", &["post"]),
    ("/api/v1/citizens/{personal_id}/account/lock", &["post"]),
    ("/api/v1/citizens/{personal_id}/account/unlock", &["post"]),
    ("/api/v1/dossiers", &["get", "post"]),
    ("/api/v1/dossiers/{code}", &["get"]),
    ("/api/v1/dossiers/{code}/capture", &["get", "put"]),
    ("/api/v1/dossiers/{code}/transitions", &["post"]),
    ("/api/v1/me", &["get"]),
    ("/api/v1/me/card/lost", &["post"]),
    ("/api/v1/me/history", &["get"]),
    ("/api/v1/me/password", &["post"]),
    ("/api/v1/me/sessions", &["delete", "get"]),
    ("/api/v1/me/sessions/{handle}", &["delete"]),
    ("/api/v1/me/wallet", &["get"]),
    ("/api/v1/offices", &["get"]),
    ("/api/v1/offices/{code}/bookings", &["get"]),
    ("/api/v1/offices/{code}/overdue", &["get"]),
    ("/api/v1/rules/deadline", &["get"]),
    ("/api/v1/rules/eligibility", &["get"]),
    ("/api/v1/rules/expiry", &["get"]),
    ("/api/v1/rules/fee", &["get"]),
    ("/api/v1/status/{code}", &["get"]),
    ("/api/v1/status/{code}/holder", &["post"]),
    ("/healthz", &["get"]),
    ("/metrics", &["get"]),
    ("/readyz", &["get"]),
];

pub async fn the_probes_answer_ok(store: Store) {
    let w = world(store).await;
    assert_eq!(
        get(&w.router, "/healthz", None).await.ok(200)["status"],
        "ok"
    );
    assert_eq!(
        get(&w.router, "/readyz", None).await.ok(200)["status"],
        "ok"
    );
}

pub async fn the_spec_lists_exactly_the_documented_routes(store: Store) {
    let w = world(store).await;
    let spec = get(&w.router, "/api/openapi.json", None).await;
    let spec = spec.ok(200);
    assert!(spec["openapi"].as_str().unwrap_or("").starts_with("3."));
    let paths = spec["paths"].as_object().expect("paths");
    let mut listed: Vec<&str> = paths.keys().map(String::as_str).collect();
    listed.sort_unstable();
    let want: Vec<&str> = PATHS.iter().map(|(p, _)| *p).collect();
    assert_eq!(listed, want);
    for (p, methods) in PATHS {
        let mut got: Vec<&str> = paths[*p]
            .as_object()
            .expect("ops")
            .keys()
            .map(String::as_str)
            .collect();
        got.retain(|k| ["get", "post", "put", "delete", "patch"].contains(k));
        got.sort_unstable();
        assert_eq!(&got, methods, "{p}");
    }
    assert!(spec["components"]["schemas"]["ProblemBody"].is_object());
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
}

pub async fn the_spec_viewer_is_served_from_the_binary(store: Store) {
    let w = world(store).await;
    let docs = get(&w.router, "/api/docs/", None).await;
    assert_eq!(docs.status, 200);
    assert!(
        docs.content_type().starts_with("text/html"),
        "{}",
        docs.content_type()
    );
    let html = docs.body.as_str().unwrap_or("");
    assert!(html.contains("swagger-ui"), "{html}");
    // The UI's own assets are served from the binary (vendored), not a CDN.
    let js = get(&w.router, "/api/docs/swagger-ui-bundle.js", None).await;
    assert_eq!(js.status, 200);
    assert!(!html.contains("cdn."), "the viewer must work offline");
    let init = get(&w.router, "/api/docs/swagger-initializer.js", None).await;
    assert_eq!(init.status, 200);
    assert!(
        init.body
            .as_str()
            .unwrap_or("")
            .contains("/api/openapi.json")
    );
}

/// A world whose request bodies may be 4 KiB at most.
async fn small_bodies(store: Store) -> World {
    world_with(
        store,
        AppConfig {
            body_limit: 4096,
            ..AppConfig::default()
        },
    )
    .await
}

pub async fn an_unknown_route_is_a_problem_document(store: Store) {
    let w = world(store).await;
    // Not axum's empty body.
    get(&w.router, "/api/v1/nope", None)
        .await
        .problem(404, "request.no_route");
}

pub async fn a_wrong_method_is_a_problem_document(store: Store) {
    let w = world(store).await;
    send(
        &w.router,
        Method::DELETE,
        "/api/v1/offices",
        None,
        None,
        &[],
    )
    .await
    .problem(405, "request.method_not_allowed");
}

pub async fn a_request_id_is_generated_when_absent(store: Store) {
    let w = world(store).await;
    let a = get(&w.router, "/api/v1/nope", None).await;
    let b = get(&w.router, "/api/v1/nope", None).await;
    let ida = a.headers["x-request-id"].to_str().expect("id").to_owned();
    assert_eq!(a.body["request_id"], ida.as_str());
    assert_ne!(ida, b.headers["x-request-id"].to_str().expect("id"));
}

pub async fn a_given_request_id_is_echoed(store: Store) {
    let w = world(store).await;
    let c = send(
        &w.router,
        Method::GET,
        "/api/v1/nope",
        None,
        None,
        &[("x-request-id", "abc-123")],
    )
    .await;
    assert_eq!(c.headers["x-request-id"], "abc-123");
    assert_eq!(c.body["request_id"], "abc-123");
}

pub async fn a_body_that_is_not_json_is_a_bad_request(store: Store) {
    let w = world(store).await;
    send(
        &w.router,
        Method::POST,
        "/api/v1/citizens",
        Some(&w.receptionist),
        None,
        &[("content-type", "application/json")],
    )
    .await
    .problem(400, "request.bad_json");
}

pub async fn a_body_without_a_required_member_is_unprocessable(store: Store) {
    let w = world(store).await;
    post(
        &w.router,
        "/api/v1/citizens",
        Some(&w.receptionist),
        json!({"full_name": "Thiếu Trường"}),
    )
    .await
    .problem(422, "request.bad_json");
}

pub async fn a_body_of_another_media_type_is_unsupported(store: Store) {
    let w = world(store).await;
    send(
        &w.router,
        Method::POST,
        "/api/v1/citizens",
        Some(&w.receptionist),
        None,
        &[("content-type", "text/plain")],
    )
    .await
    .problem(415, "request.bad_json");
}

pub async fn a_body_over_the_limit_is_too_large(store: Store) {
    let w = small_bodies(store).await;
    let big = json!({"full_name": "x".repeat(10_000)});
    post(&w.router, "/api/v1/citizens", Some(&w.receptionist), big)
        .await
        .problem(413, "request.too_large");
}

pub async fn a_malformed_query_is_a_bad_request(store: Store) {
    let w = world(store).await;
    get(&w.router, "/api/v1/rules/fee", None)
        .await
        .problem(400, "request.bad_query");
}

pub async fn a_malformed_path_is_a_bad_request(store: Store) {
    let w = world(store).await;
    get(
        &w.router,
        "/api/v1/offices/abc/overdue",
        Some(&w.receptionist),
    )
    .await
    .problem(400, "request.bad_path");
}

pub async fn a_panic_is_a_generic_internal_error_naming_the_request_id(store: Store) {
    let w = world(store).await;
    let p = get(&w.router, "/api/v1/__test/panic", None).await;
    p.problem(500, "server.internal");
    let rid = p.headers["x-request-id"].to_str().expect("id").to_owned();
    assert!(p.body["message_en"].as_str().unwrap_or("").contains(&rid));
    assert!(!p.body.to_string().contains("deliberate"));
}

/// A world whose handlers may take 100 ms.
async fn impatient(store: Store) -> World {
    world_with(
        store,
        AppConfig {
            request_timeout: std::time::Duration::from_millis(100),
            ..AppConfig::default()
        },
    )
    .await
}

/// Every route but the status lookup runs under the handler timeout.
pub async fn a_slow_handler_is_unavailable_with_a_request_id(store: Store) {
    let w = impatient(store).await;
    let p = get(&w.router, "/api/v1/__test/sleep", None).await;
    p.problem(503, "server.unavailable");
    assert!(p.headers.contains_key("x-request-id"));
}

/// The status route, outside the timeout, still goes through the rest of
/// the stack: its errors are problem documents with a request id.
pub async fn the_status_route_outside_the_timeout_still_answers_problems(store: Store) {
    let w = impatient(store).await;
    let p = get(&w.router, "/api/v1/status/0000000000000000", None).await;
    p.problem(400, "dossier_code.bad_date");
    assert!(p.headers.contains_key("x-request-id"));
}
