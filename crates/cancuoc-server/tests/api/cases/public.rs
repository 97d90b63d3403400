//! Probes, spec, docs, problem documents, tokens, the public status lookup,
//! offices and rules.

use axum::http::Method;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_server::AppConfig;
use cancuoc_store::{OfficerId, Store};
use serde_json::json;

use crate::world::*;

/// Every documented path and its methods: the spec must list exactly these.
const PATHS: &[(&str, &[&str])] = &[
    ("/api/v1/citizens", &["get", "post"]),
    ("/api/v1/citizens/{personal_id}", &["get"]),
    ("/api/v1/dossiers", &["get", "post"]),
    ("/api/v1/dossiers/{code}", &["get"]),
    ("/api/v1/dossiers/{code}/capture", &["get", "put"]),
    ("/api/v1/dossiers/{code}/transitions", &["post"]),
    ("/api/v1/offices", &["get"]),
    ("/api/v1/offices/{code}/bookings", &["get"]),
    ("/api/v1/offices/{code}/overdue", &["get"]),
    ("/api/v1/rules/deadline", &["get"]),
    ("/api/v1/rules/eligibility", &["get"]),
    ("/api/v1/rules/expiry", &["get"]),
    ("/api/v1/rules/fee", &["get"]),
    ("/api/v1/status/{code}", &["get"]),
    ("/healthz", &["get"]),
    ("/readyz", &["get"]),
];

pub async fn probes_spec_and_docs(store: Store) {
    let w = world(store).await;
    assert_eq!(
        get(&w.router, "/healthz", None).await.ok(200)["status"],
        "ok"
    );
    assert_eq!(
        get(&w.router, "/readyz", None).await.ok(200)["status"],
        "ok"
    );

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
    assert!(
        init.body
            .as_str()
            .unwrap_or("")
            .contains("/api/openapi.json")
    );
}

pub async fn problem_documents_and_request_ids(store: Store) {
    let w = world_with(
        store,
        AppConfig {
            body_limit: 4096,
            ..AppConfig::default()
        },
    )
    .await;
    // Unknown route, wrong method: problems too, not axum's empty bodies.
    get(&w.router, "/api/v1/nope", None)
        .await
        .problem(404, "request.no_route");
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
    // Request ids: generated when absent, echoed when given, in the body.
    let a = get(&w.router, "/api/v1/nope", None).await;
    let b = get(&w.router, "/api/v1/nope", None).await;
    let ida = a.headers["x-request-id"].to_str().expect("id").to_owned();
    assert_eq!(a.body["request_id"], ida.as_str());
    assert_ne!(ida, b.headers["x-request-id"].to_str().expect("id"));
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
    // JSON body errors: syntax, missing member, wrong media type, too large.
    let t = w.receptionist.clone();
    let bad = send(
        &w.router,
        Method::POST,
        "/api/v1/citizens",
        Some(&t),
        None,
        &[("content-type", "application/json")],
    )
    .await;
    bad.problem(400, "request.bad_json");
    post(
        &w.router,
        "/api/v1/citizens",
        Some(&t),
        json!({"full_name": "Thiếu Trường"}),
    )
    .await
    .problem(422, "request.bad_json");
    send(
        &w.router,
        Method::POST,
        "/api/v1/citizens",
        Some(&t),
        None,
        &[("content-type", "text/plain")],
    )
    .await
    .problem(415, "request.bad_json");
    let big = json!({"full_name": "x".repeat(10_000)});
    post(&w.router, "/api/v1/citizens", Some(&t), big)
        .await
        .problem(413, "request.too_large");
    // Query and path rejections.
    get(&w.router, "/api/v1/rules/fee", None)
        .await
        .problem(400, "request.bad_query");
    get(&w.router, "/api/v1/offices/abc/overdue", Some(&t))
        .await
        .problem(400, "request.bad_path");
    // A panic is a generic 500 that names the request id and nothing else.
    let p = get(&w.router, "/api/v1/__test/panic", None).await;
    p.problem(500, "server.internal");
    let rid = p.headers["x-request-id"].to_str().expect("id").to_owned();
    assert!(p.body["message_en"].as_str().unwrap_or("").contains(&rid));
    assert!(!p.body.to_string().contains("deliberate"));
}

/// Every route but the status lookup runs under the handler timeout: a
/// slow handler is a 503 problem with the request id.
pub async fn handler_timeout(store: Store) {
    let w = world_with(
        store,
        AppConfig {
            request_timeout: std::time::Duration::from_millis(100),
            ..AppConfig::default()
        },
    )
    .await;
    let p = get(&w.router, "/api/v1/__test/sleep", None).await;
    p.problem(503, "server.unavailable");
    assert!(p.headers.contains_key("x-request-id"));
    // The status route, outside the timeout, still goes through the rest
    // of the stack: its errors are problem documents with a request id.
    let p = get(&w.router, "/api/v1/status/0000000000000000", None).await;
    p.problem(400, "dossier_code.bad_date");
    assert!(p.headers.contains_key("x-request-id"));
}

pub async fn bearer_tokens(store: Store) {
    let w = world(store).await;
    let r = get(&w.router, "/api/v1/citizens?name=an", None).await;
    r.problem(401, "auth.missing_token");
    assert!(r.headers.contains_key("www-authenticate"));
    send(
        &w.router,
        Method::GET,
        "/api/v1/citizens?name=an",
        None,
        None,
        &[("authorization", "Basic Zm9vOmJhcg==")],
    )
    .await
    .problem(401, "auth.malformed_token");
    get(
        &w.router,
        "/api/v1/citizens?name=an",
        Some("not-a-real-token"),
    )
    .await
    .problem(401, "auth.invalid_token");
    assert_eq!(
        get(&w.router, "/api/v1/citizens?name=an", Some(&w.receptionist))
            .await
            .status,
        200
    );
    // A deactivated officer's token stops working.
    let me = w
        .app
        .service()
        .authenticate(&w.printer)
        .await
        .expect("printer");
    w.store
        .set_officer_active(OfficerId(me.id.0), false, None, T0)
        .await
        .expect("deactivate");
    get(&w.router, "/api/v1/citizens?name=an", Some(&w.printer))
        .await
        .problem(401, "auth.invalid_token");
    // Every officer route refuses without a token.
    for (m, uri) in [
        (Method::GET, "/api/v1/citizens/079090012345"),
        (Method::GET, "/api/v1/dossiers"),
        (Method::GET, "/api/v1/dossiers/0790261121000014"),
        (Method::GET, "/api/v1/dossiers/0790261121000014/capture"),
        (Method::GET, "/api/v1/offices/790/overdue"),
    ] {
        send(&w.router, m, uri, None, None, &[])
            .await
            .problem(401, "auth.missing_token");
    }
    for uri in [
        "/api/v1/citizens",
        "/api/v1/dossiers",
        "/api/v1/dossiers/0790261121000014/transitions",
    ] {
        post(&w.router, uri, None, json!({}))
            .await
            .problem(401, "auth.missing_token");
    }
}

pub async fn public_status(store: Store) {
    let w = world(store).await;
    let c = register(&w, "Nguyễn Văn An", "079090012345").await;
    let d = open_dossier(&w, c).await;
    let code = d["code"].as_str().expect("code").to_owned();
    let r = get(&w.router, &format!("/api/v1/status/{code}"), None).await;
    let s = r.ok(200);
    let mut keys: Vec<&str> = s
        .as_object()
        .expect("obj")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "code",
            "masked_name",
            "office",
            "overdue",
            "promised_date",
            "state",
            "state_label_en",
            "state_label_vi"
        ]
    );
    assert_eq!(s["code"], code.as_str());
    assert_eq!(s["state"], "received");
    assert_eq!(s["masked_name"], "Nguyễn V** A*");
    assert_eq!(
        s["office"],
        json!({"name": "Công an Huyện Đông Thử", "hotline": "09000790"})
    );
    assert_eq!(s["overdue"], false);
    assert_eq!(s["promised_date"], d["promised_on"]);
    assert!(!s.to_string().contains("079090012345"));
    // Spaces and hyphens as printed on the slip are accepted.
    let grouped = format!(
        "{}-{} {} {}",
        &code[..4],
        &code[4..10],
        &code[10..15],
        &code[15..]
    );
    let spaced = grouped.replace(' ', "%20");
    assert_eq!(
        get(&w.router, &format!("/api/v1/status/{spaced}"), None)
            .await
            .status,
        200
    );
    // One wrong digit: the check digit catches it, 400 that says so.
    let last = code.as_bytes()[15] - b'0';
    let wrong = format!("{}{}", &code[..15], (last + 1) % 10);
    let r = get(&w.router, &format!("/api/v1/status/{wrong}"), None).await;
    r.problem(400, "dossier_code.bad_check_digit");
    assert!(
        r.body["message_en"]
            .as_str()
            .unwrap_or("")
            .contains("check digit")
    );
    assert!(
        r.body["message_vi"]
            .as_str()
            .unwrap_or("")
            .contains("kiểm tra")
    );
    get(&w.router, "/api/v1/status/12ab", None)
        .await
        .problem(400, "dossier_code.non_digit");
    get(&w.router, "/api/v1/status/123", None)
        .await
        .problem(400, "dossier_code.wrong_length");
    // A well-formed code nobody was given: 404.
    let real: DossierCode = code.parse().expect("code");
    let other = DossierCode::new(
        real.office(),
        real.date(),
        (real.random() + 1) % DossierCode::RANDOM_SPACE,
    )
    .expect("code");
    get(&w.router, &format!("/api/v1/status/{other}"), None)
        .await
        .problem(404, "store.not_found");
}

pub async fn offices_and_rules(store: Store) {
    let w = world(store).await;
    let r = get(&w.router, "/api/v1/offices", None).await;
    let offices = r.ok(200)["offices"].as_array().expect("list").clone();
    let codes: Vec<i64> = offices.iter().filter_map(|o| o["code"].as_i64()).collect();
    assert_eq!(codes, [1, 2, 79, 790, 791, 7901]);
    let district = &offices[3];
    assert_eq!(district["level"], "district");
    assert_eq!(district["parent"], 79);
    assert_eq!(
        district["opening_hours"]["saturday"],
        json!(["07:30-11:30"])
    );
    assert!(district["address"].as_str().is_some_and(|a| !a.is_empty()));

    let fee = |q: &str| format!("/api/v1/rules/fee?{q}");
    let lost = get(&w.router, &fee("reason=lost&date=2026-11-21"), None).await;
    let v = lost.ok(200);
    assert_eq!(v["value"]["kind"], "reissue");
    assert!(v["value"]["amount_vnd"].as_u64().unwrap_or(0) > 0, "{v}");
    assert!(!v["basis"].as_array().expect("basis").is_empty());
    assert!(v["explanation_vi"].as_str().is_some_and(|s| !s.is_empty()));
    let first = get(&w.router, &fee("reason=first-issue"), None).await;
    assert_eq!(first.ok(200)["value"]["amount_vnd"], 0);
    let exempt = get(
        &w.router,
        &fee("reason=lost&exemption=poor-household&online=true"),
        None,
    )
    .await;
    assert_eq!(exempt.ok(200)["value"]["amount_vnd"], 0);
    get(&w.router, &fee("reason=stolen"), None)
        .await
        .problem(400, "rules.unknown_code");
    get(&w.router, &fee("reason=lost&date=2026-02-30"), None)
        .await
        .problem(400, "calendar.no_such_date");

    let d = get(
        &w.router,
        "/api/v1/rules/deadline?received=2026-11-20",
        None,
    )
    .await;
    let v = d.ok(200);
    assert_eq!(v["value"]["received"], "2026-11-20");
    assert!(
        v["value"]["promised_date"]
            .as_str()
            .is_some_and(|p| p > "2026-11-20")
    );
    assert!(
        v["value"]["stages"]
            .as_array()
            .is_some_and(|s| s.len() >= 3)
    );
    get(&w.router, "/api/v1/rules/deadline?by=post-office", None)
        .await
        .problem(400, "rules.unknown_code");

    let e = get(
        &w.router,
        "/api/v1/rules/expiry?dob=1990-05-17&issued=2026-11-21",
        None,
    )
    .await;
    assert!(
        e.ok(200)["value"].is_object() || e.body["value"].is_string(),
        "{}",
        e.body
    );
    get(&w.router, "/api/v1/rules/expiry?dob=1990-13", None)
        .await
        .problem(400, "date.invalid");
    let el = get(
        &w.router,
        "/api/v1/rules/eligibility?dob=2015&on=2026-11-21",
        None,
    )
    .await;
    // A year-only date of birth is read at its earliest day (1 January).
    assert_eq!(el.ok(200)["value"]["age"], 11);
}
