//! The spec matches the answers (đặc tả khớp câu trả lời): every status an
//! operation answers is listed for it, with the problem schema; the
//! parameters carry the formats and ranges their handlers read; the
//! edge's own refusal of a too-long URI is a problem document. These are
//! the regressions of what `scripts/api-fuzz.sh` (schemathesis against the
//! served spec) found; that run keeps looking.

use axum::http::Method;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::id::PersonalId;
use cancuoc_server::AppConfig;
use cancuoc_server::middleware::MAX_URI_BYTES;
use cancuoc_store::Store;
use serde_json::{Value, json};

use crate::world::*;

/// The served spec.
async fn spec(w: &World) -> Value {
    get(&w.router, "/api/openapi.json", None)
        .await
        .ok(200)
        .clone()
}

/// The operation `method` of `path` in the spec.
#[track_caller]
fn operation<'a>(spec: &'a Value, method: &str, path: &str) -> &'a Value {
    let op = &spec["paths"][path][method.to_lowercase()];
    assert!(op.is_object(), "no {method} {path} in the spec");
    op
}

/// Asserts the spec lists `status` for the operation as a problem document.
#[track_caller]
fn assert_listed(spec: &Value, method: &str, path: &str, status: u16) {
    let responses = &operation(spec, method, path)["responses"];
    let response = &responses[status.to_string()];
    assert!(
        response.is_object(),
        "{method} {path} answers {status}, which its spec does not list (it lists {:?})",
        responses
            .as_object()
            .map(|r| r.keys().cloned().collect::<Vec<_>>())
    );
    assert_eq!(
        response["content"]["application/problem+json"]["schema"]["$ref"],
        "#/components/schemas/ProblemBody",
        "{method} {path} {status}: {response}"
    );
}

/// One request the extractors, the layers or the handler refuse.
struct Refused {
    method: Method,
    /// The spec's path template.
    path: &'static str,
    /// The request's URI.
    uri: String,
    /// The body and its content type, if any.
    body: Option<(&'static str, &'static str)>,
    status: u16,
    code: &'static str,
}

fn refused(
    method: Method,
    path: &'static str,
    uri: impl Into<String>,
    body: Option<(&'static str, &'static str)>,
    status: u16,
    code: &'static str,
) -> Refused {
    Refused {
        method,
        path,
        uri: uri.into(),
        body,
        status,
        code,
    }
}

const JSON: &str = "application/json";
const CODE: &str = "0790251121482133";

/// The refusals the fuzz run found answered without the spec listing them
/// (415, 413 and 422 of the JSON bodies, 400 of malformed paths, 404 of an
/// unknown office, 422 of the service's refusals, 414), and their
/// neighbours: each is answered as a problem document, and listed.
pub async fn every_refusal_is_a_problem_the_spec_lists(store: Store) {
    let w = world_with(
        store,
        AppConfig {
            body_limit: 4096,
            ..AppConfig::default()
        },
    )
    .await;
    let spec = spec(&w).await;
    let capture = "/api/v1/dossiers/{code}/capture";
    let transitions = "/api/v1/dossiers/{code}/transitions";
    let big = Box::leak(format!("{{\"x\": \"{}\"}}", "a".repeat(5000)).into_boxed_str());
    let mut cases = Vec::new();
    for (method, path, uri) in [
        (
            Method::POST,
            "/api/v1/citizens",
            "/api/v1/citizens".to_owned(),
        ),
        (
            Method::POST,
            "/api/v1/dossiers",
            "/api/v1/dossiers".to_owned(),
        ),
        (
            Method::PUT,
            capture,
            format!("/api/v1/dossiers/{CODE}/capture"),
        ),
        (
            Method::POST,
            transitions,
            format!("/api/v1/dossiers/{CODE}/transitions"),
        ),
    ] {
        let bodies = [
            (None, 415, "request.bad_json"),
            (Some(("text/plain", "{}")), 415, "request.bad_json"),
            (Some((JSON, "not json")), 400, "request.bad_json"),
            (Some((JSON, "{\"x\": 1}")), 422, "request.bad_json"),
            (Some((JSON, &*big)), 413, "request.too_large"),
        ];
        for (body, status, code) in bodies {
            cases.push(refused(
                method.clone(),
                path,
                uri.clone(),
                body,
                status,
                code,
            ));
        }
    }
    let get = |path, uri: &str, status, code| refused(Method::GET, path, uri, None, status, code);
    cases.extend([
        get(
            "/api/v1/dossiers",
            "/api/v1/dossiers?office=4000",
            404,
            "store.not_found",
        ),
        get(
            "/api/v1/dossiers",
            "/api/v1/dossiers?office=70000",
            400,
            "request.bad_query",
        ),
        get(
            capture,
            "/api/v1/dossiers/123/capture",
            400,
            "dossier_code.wrong_length",
        ),
        get(
            "/api/v1/offices/{code}/overdue",
            "/api/v1/offices/70000/overdue",
            400,
            "request.bad_path",
        ),
        get(
            "/api/v1/offices/{code}/bookings",
            "/api/v1/offices/70000/bookings",
            400,
            "request.bad_path",
        ),
        get(
            "/api/v1/citizens",
            "/api/v1/citizens?name=%20%20",
            422,
            "store.invalid_field",
        ),
        get(
            "/api/v1/rules/deadline",
            "/api/v1/rules/deadline?received=2000-01-01",
            422,
            "rules.before_regimes",
        ),
        get(
            "/api/v1/rules/eligibility",
            "/api/v1/rules/eligibility?dob=1990&on=2000-01-01",
            422,
            "rules.before_regimes",
        ),
        get(
            "/api/v1/offices",
            &format!("/api/v1/offices?q={}", "a".repeat(MAX_URI_BYTES)),
            414,
            "request.uri_too_long",
        ),
        get(
            "/api/v1/status/{code}",
            &format!("/api/v1/status/{}", "0".repeat(MAX_URI_BYTES)),
            414,
            "request.uri_too_long",
        ),
    ]);
    cases.push(refused(
        Method::POST,
        "/api/v1/citizens",
        "/api/v1/citizens",
        Some((
            JSON,
            r#"{"full_name": "Không Số", "dob": "1990", "sex": "nam", "place_of_origin": "A",
                "birth_registration": "B", "permanent_residence": "C"}"#,
        )),
        422,
        "service.invalid_field",
    ));
    for c in &cases {
        let mut headers = vec![("authorization", format!("Bearer {}", w.admin))];
        if let Some((media, _)) = c.body {
            headers.push(("content-type", media.to_owned()));
        }
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = send_raw(
            &w.router,
            c.method.clone(),
            &c.uri,
            c.body.map(|(_, b)| b),
            &headers,
        )
        .await;
        let at = format!("{} {}", c.method, &c.uri[..c.uri.len().min(80)]);
        assert_eq!(res.status.as_u16(), c.status, "{at}: {}", res.body);
        res.problem(c.status, c.code);
        assert!(res.headers.contains_key("x-request-id"), "{at}");
        assert_listed(&spec, c.method.as_str(), c.path, c.status);
    }
}

/// What every operation can answer besides its own statuses, by the
/// shape of the operation: a JSON body (400, 413, 415, 422), a bearer
/// token (401), path or query parameters (400), and the layers around
/// every route (414, 500, 503); each error a problem document.
pub async fn the_spec_lists_the_extractor_and_edge_statuses_of_every_operation(store: Store) {
    let w = world(store).await;
    let spec = spec(&w).await;
    let paths = spec["paths"].as_object().expect("paths");
    let mut seen = 0;
    for (path, item) in paths.iter().filter(|(p, _)| p.starts_with("/api/v1")) {
        for (method, op) in item.as_object().expect("path item") {
            seen += 1;
            let mut want = vec![414, 500, 503];
            if op["requestBody"].is_object() {
                want.extend([400, 413, 415, 422]);
            }
            if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
                want.push(401);
            }
            let params = op["parameters"].as_array().into_iter().flatten();
            if params
                .filter(|p| p["in"] == "path" || p["in"] == "query")
                .count()
                > 0
            {
                want.push(400);
            }
            for status in want {
                assert_listed(&spec, method, path, status);
            }
            for (status, response) in op["responses"].as_object().expect("responses") {
                if status.starts_with('4') || status.starts_with('5') {
                    assert_listed(&spec, method, path, status.parse().expect("status"));
                    let media: Vec<&String> = response["content"]
                        .as_object()
                        .expect("content")
                        .keys()
                        .collect();
                    assert_eq!(media, ["application/problem+json"], "{method} {path}");
                }
            }
        }
    }
    assert_eq!(seen, 17, "every /api/v1 operation walked");
}

/// The schema of the parameter `name` of an operation, its `$ref`
/// followed.
#[track_caller]
fn param_schema<'a>(spec: &'a Value, method: &str, path: &str, name: &str) -> &'a Value {
    let params = operation(spec, method, path)["parameters"]
        .as_array()
        .expect("parameters");
    let p = params
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no parameter {name} of {method} {path}"));
    resolve(spec, &p["schema"])
}

/// `schema`, or what its `$ref` names.
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            &spec["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// The parameters say what their handlers read: a dossier code's and a
/// personal ID's pattern, dates as `format: date`, the code sets as
/// enums, office numbers and page sizes with their range; the optional
/// idempotency key is a string, never `null`; the expiry's value is a
/// date or `null`.
pub async fn the_spec_declares_the_formats_the_handlers_read(store: Store) {
    let w = world(store).await;
    let spec = spec(&w).await;
    for (method, path) in [
        ("GET", "/api/v1/status/{code}"),
        ("GET", "/api/v1/dossiers/{code}"),
        ("GET", "/api/v1/dossiers/{code}/capture"),
        ("PUT", "/api/v1/dossiers/{code}/capture"),
        ("POST", "/api/v1/dossiers/{code}/transitions"),
    ] {
        let s = param_schema(&spec, method, path, "code");
        assert_eq!(s["pattern"], "^[ -]*([0-9][ -]*){16}$", "{method} {path}");
    }
    let pid = param_schema(
        &spec,
        "GET",
        "/api/v1/citizens/{personal_id}",
        "personal_id",
    );
    assert_eq!(pid["pattern"], "^[0-9]{12}$");
    for (path, name) in [
        ("/api/v1/rules/fee", "date"),
        ("/api/v1/rules/deadline", "received"),
        ("/api/v1/rules/expiry", "issued"),
        ("/api/v1/rules/eligibility", "on"),
        ("/api/v1/offices/{code}/bookings", "date"),
    ] {
        assert_eq!(
            param_schema(&spec, "GET", path, name)["format"],
            "date",
            "{path}"
        );
    }
    for path in ["/api/v1/rules/expiry", "/api/v1/rules/eligibility"] {
        let dob = param_schema(&spec, "GET", path, "dob");
        assert_eq!(dob["oneOf"][1]["format"], "date", "{path}: {dob}");
    }
    for (path, name, first) in [
        ("/api/v1/rules/fee", "reason", "first-issue"),
        ("/api/v1/rules/fee", "kind", "first"),
        ("/api/v1/rules/deadline", "by", "office"),
        ("/api/v1/dossiers", "state", "booked"),
    ] {
        let s = param_schema(&spec, "GET", path, name);
        assert_eq!(s["enum"][0], first, "{path} {name}: {s}");
    }
    let exemption = param_schema(&spec, "GET", "/api/v1/rules/fee", "exemption");
    assert_eq!(exemption["type"], "array");
    for (path, name) in [
        ("/api/v1/offices/{code}/overdue", "code"),
        ("/api/v1/offices/{code}/bookings", "code"),
        ("/api/v1/dossiers", "office"),
    ] {
        let s = param_schema(&spec, "GET", path, name);
        assert_eq!((&s["minimum"], &s["maximum"]), (&json!(0), &json!(9999)));
    }
    for path in ["/api/v1/dossiers", "/api/v1/citizens"] {
        let s = param_schema(&spec, "GET", path, "limit");
        assert_eq!((&s["minimum"], &s["maximum"]), (&json!(1), &json!(500)));
    }
    for path in ["/api/v1/dossiers", "/api/v1/dossiers/{code}/transitions"] {
        let key = param_schema(&spec, "POST", path, "Idempotency-Key");
        assert_eq!(key["type"], "string", "{path}: {key}");
    }
    let expiry = &spec["components"]["schemas"]["ExpiryAnswer"]["properties"]["value"];
    assert_eq!(expiry["type"], json!(["string", "null"]), "{expiry}");
    assert_eq!(expiry["format"], "date");
}

/// The spec's examples are values the handlers read: its dossier code has
/// the right check digit (the one it carried before did not), its personal
/// ID is well formed; looked up, both are merely unknown.
pub async fn the_spec_examples_are_read_by_the_handlers(store: Store) {
    let w = world(store).await;
    let spec = spec(&w).await;
    let schemas = &spec["components"]["schemas"];
    let code = schemas["DossierCode"]["examples"][0]
        .as_str()
        .expect("an example");
    assert!(DossierCode::parse(code).is_ok(), "{code}");
    let example = schemas["DossierView"]["properties"]["code"]["example"]
        .as_str()
        .expect("an example");
    assert!(DossierCode::parse(example).is_ok(), "{example}");
    get(&w.router, &format!("/api/v1/status/{code}"), None)
        .await
        .problem(404, "store.not_found");
    let pid = schemas["PersonalId"]["examples"][0]
        .as_str()
        .expect("an example");
    assert!(PersonalId::parse(pid).is_ok(), "{pid}");
    get(
        &w.router,
        &format!("/api/v1/citizens/{pid}"),
        Some(&w.receptionist),
    )
    .await
    .problem(404, "store.not_found");
}

/// A URI just within the edge's limit is routed as usual; one byte more is
/// the edge's 414 problem document with the request id.
pub async fn a_uri_over_the_edge_limit_is_a_problem_with_the_request_id(store: Store) {
    let w = world(store).await;
    let prefix = "/api/v1/offices?q=";
    let fits = format!("{prefix}{}", "a".repeat(MAX_URI_BYTES - prefix.len()));
    get(&w.router, &fits, None).await.ok(200);
    let over = format!("{fits}a");
    let res = send(
        &w.router,
        Method::GET,
        &over,
        None,
        None,
        &[("x-request-id", "long-uri-1")],
    )
    .await;
    res.problem(414, "request.uri_too_long");
    assert_eq!(res.body["request_id"], "long-uri-1");
    assert_eq!(res.headers["x-request-id"], "long-uri-1");
    // The web pages share the edge: the same answer.
    let page = format!("/tra-cuu?q={}", "a".repeat(MAX_URI_BYTES));
    get(&w.router, &page, None)
        .await
        .problem(414, "request.uri_too_long");
}
