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
            "/api/v1/cards/{number}/status",
            "/api/v1/cards/07909001236/status",
            400,
            "id.too_short",
        ),
        get(
            "/api/v1/cards/{number}/status",
            "/api/v1/cards/079090012361/status?issued=2026-02-30",
            400,
            "calendar.no_such_date",
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
        "/api/v1/cards/{number}/lost",
        "/api/v1/cards/079090012361/lost",
        Some((JSON, r#"{"reason": "Mất ví"}"#)),
        404,
        "store.not_found",
    ));
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
    assert_eq!(seen, 45, "every /api/v1 operation walked");
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
    // Exactly one of two members: a `oneOf` of the body requiring each.
    let schemas = &spec["components"]["schemas"];
    for (body, members) in [
        ("OpenDossierBody", ["citizen_id", "personal_id"]),
        ("HolderProof", ["date_of_birth", "id_last_digits"]),
    ] {
        let branches = schemas[body]["oneOf"].as_array().expect(body);
        assert_eq!(branches.len(), 2, "{body}");
        for (branch, member) in branches.iter().zip(members) {
            assert!(
                branch["required"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|m| m == member)),
                "{body} {member}: {branch}"
            );
            let other = members.iter().find(|m| **m != member).expect("other");
            assert!(branch["properties"][*other].is_object(), "{body}: {branch}");
            // `null` is not "absent": neither member may be null.
            for m in members {
                let t = &branch["properties"][m];
                assert_ne!(t["type"], json!(["integer", "null"]), "{body} {m}");
                assert!(t["oneOf"].is_null(), "{body} {m} nullable: {t}");
            }
        }
    }
    // A registration's text members say what the service reads.
    let register = &schemas["RegisterCitizen"]["properties"];
    for (member, format) in [
        ("full_name", "FullName"),
        ("place_of_origin", "PlaceText"),
        ("birth_registration", "PlaceText"),
        ("permanent_residence", "PlaceText"),
    ] {
        assert_eq!(
            register[member]["$ref"],
            format!("#/components/schemas/{format}"),
            "{member}"
        );
    }
    for (member, format) in [("phone", "MobilePhone"), ("religion", "PlaceText")] {
        let refs: Vec<&Value> = register[member]["oneOf"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|b| &b["$ref"])
            .collect();
        assert!(
            refs.contains(&&json!(format!("#/components/schemas/{format}"))),
            "{member}: {}",
            register[member]
        );
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

/// One request of [`every_operation_lists_what_the_router_answers`].
struct Probe {
    /// What is wrong with it, for the failure message.
    what: String,
    uri: String,
    token: Option<String>,
    /// Extra headers, the content type included when there is a body.
    headers: Vec<(String, String)>,
    body: Option<String>,
    /// The status it must answer, when one cause alone decides it.
    exactly: Option<u16>,
}

/// A value the handler reads for a parameter of `schema` named `name`:
/// the schema's example or first enum value, `office` for an office
/// number, a date for `format: date`.
fn good_value(spec: &Value, name: &str, schema: &Value, office: u16) -> String {
    let s = resolve(spec, schema);
    if let Some(e) = s["examples"][0].as_str().or(s["example"].as_str()) {
        return e.to_owned();
    }
    if let Some(e) = s["enum"][0].as_str() {
        return e.to_owned();
    }
    if let Some(branches) = s["oneOf"].as_array() {
        // An optional parameter: `null` or the value.
        if let Some(b) = branches.iter().find(|b| b["type"] != "null") {
            return good_value(spec, name, b, office);
        }
    }
    match (s["type"].as_str(), name) {
        (Some("integer"), "code" | "office") => office.to_string(),
        (Some("integer"), _) => s["minimum"].as_i64().unwrap_or(1).to_string(),
        (Some("boolean"), _) => "true".to_owned(),
        (Some("array"), _) => good_value(spec, name, &s["items"], office),
        _ if s["format"] == "date" => "2026-11-21".to_owned(),
        _ => "an".to_owned(),
    }
}

/// Values no parameter of the API reads, whatever its type.
const BAD_VALUES: [&str; 6] = ["x!", "-1", "99999999999", "1.5", "%FF", "%00"];

/// The URI of `path` with `path_values` in its template and `query`.
fn uri_of(path: &str, path_values: &[(String, String)], query: &[(String, String)]) -> String {
    let mut uri = path.to_owned();
    for (name, value) in path_values {
        uri = uri.replace(&format!("{{{name}}}"), value);
    }
    let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if !query.is_empty() {
        uri = format!("{uri}?{}", query.join("&"));
    }
    uri
}

/// Every operation of the served spec, probed with what a client gets
/// wrong — no token or a wrong one, each path, query and header parameter
/// malformed, each required one missing, a body that is absent, of
/// another media type, not JSON, of the wrong shape or too large, a URI
/// over the edge's limit — and as documented, with the token of each
/// role: every status the router answers is listed for the operation
/// (errors as problem documents with the problem schema, successes with a
/// media type the spec names), and a method the path does not have is a
/// 405 problem. The spec drives it: an operation added later is probed
/// the same way.
pub async fn every_operation_lists_what_the_router_answers(store: Store) {
    let w = world_with(
        store,
        AppConfig {
            body_limit: 4096,
            ..AppConfig::default()
        },
    )
    .await;
    let spec = spec(&w).await;
    let big = format!("{{\"x\": \"{}\"}}", "a".repeat(5000));
    let tokens = [
        &w.receptionist,
        &w.printer,
        &w.commune_police,
        &w.approver,
        &w.admin,
    ];
    let mut answered = std::collections::BTreeSet::new();
    let mut operations = 0;
    for (path, item) in spec["paths"].as_object().expect("paths") {
        let item = item.as_object().expect("path item");
        for method in ["get", "put", "post", "delete", "patch"] {
            let Some(op) = item.get(method) else { continue };
            operations += 1;
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            let params: Vec<&Value> = op["parameters"].as_array().into_iter().flatten().collect();
            let good = |p: &Value, office: u16| {
                let name = p["name"].as_str().expect("name");
                (
                    name.to_owned(),
                    good_value(&spec, name, &p["schema"], office),
                )
            };
            let of = |place: &str, required_only: bool, office: u16| -> Vec<(String, String)> {
                params
                    .iter()
                    .filter(|p| p["in"] == place && (!required_only || p["required"] == true))
                    .map(|p| good(p, office))
                    .collect()
            };
            let (path_values, query) = (of("path", false, DISTRICT), of("query", true, DISTRICT));
            let documented = uri_of(path, &path_values, &query);
            let json_body = op["requestBody"].is_object();
            let with = |what: String, uri: String, token: Option<&String>| Probe {
                what,
                uri,
                token: token.cloned(),
                headers: if json_body {
                    vec![("content-type".into(), "application/json".into())]
                } else {
                    Vec::new()
                },
                body: json_body.then(|| "{}".to_owned()),
                exactly: None,
            };
            let mut probes = Vec::new();
            // As documented: the required parameters, then every one, then
            // every one naming the other district, with each role's token.
            let every = of("query", false, DISTRICT);
            let elsewhere = (
                of("path", false, OTHER_DISTRICT),
                of("query", false, OTHER_DISTRICT),
            );
            for token in tokens {
                for (what, uri) in [
                    ("as documented", documented.clone()),
                    ("with every parameter", uri_of(path, &path_values, &every)),
                    (
                        "about the other district",
                        uri_of(path, &elsewhere.0, &elsewhere.1),
                    ),
                ] {
                    probes.push(with(what.into(), uri, Some(token)));
                }
            }
            let me = Some(&w.receptionist);
            if secured {
                probes.push(Probe {
                    exactly: Some(401),
                    ..with("without a token".into(), documented.clone(), None)
                });
                let mut wrong = with("with an unknown token".into(), documented.clone(), None);
                wrong
                    .headers
                    .push(("authorization".into(), "Bearer 00".into()));
                wrong.exactly = Some(401);
                probes.push(wrong);
            }
            for p in &params {
                let name = p["name"].as_str().expect("name");
                let place = p["in"].as_str().expect("in");
                for bad in BAD_VALUES {
                    let what = format!("{place} parameter {name} = {bad:?}");
                    let probe = match place {
                        "path" => {
                            let mut values = path_values.clone();
                            for v in &mut values {
                                if v.0 == name {
                                    v.1 = bad.to_owned();
                                }
                            }
                            with(what, uri_of(path, &values, &query), me)
                        }
                        "query" => {
                            let mut q: Vec<_> =
                                query.iter().filter(|(k, _)| k != name).cloned().collect();
                            q.push((name.to_owned(), bad.to_owned()));
                            with(what, uri_of(path, &path_values, &q), me)
                        }
                        "header" => {
                            // A header value cannot carry every byte:
                            // what a header reader refuses instead is an
                            // empty value, a space, or 65 characters and
                            // more (the idempotency key's limit).
                            let value = match bad {
                                "x!" => String::new(),
                                "-1" => "a b".to_owned(),
                                _ => bad.replace('%', "~").repeat(30),
                            };
                            let mut h = with(what, documented.clone(), me);
                            h.headers.push((name.to_owned(), value));
                            h
                        }
                        other => panic!("{name} in {other}"),
                    };
                    probes.push(probe);
                }
                if p["required"] == true && place == "query" {
                    let q: Vec<_> = query.iter().filter(|(k, _)| k != name).cloned().collect();
                    probes.push(with(
                        format!("without {name}"),
                        uri_of(path, &path_values, &q),
                        me,
                    ));
                }
            }
            // An officer's token is no citizen's: a route of the citizen's
            // account answers it 401 before reading the body, so there the
            // body probes hold to the listing only.
            let citizens_only = op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("account").is_some()));
            if json_body {
                let body = |what: &str, media: Option<&str>, body: Option<&str>, exactly| Probe {
                    what: what.to_owned(),
                    uri: documented.clone(),
                    token: me.cloned(),
                    headers: media
                        .map(|m| vec![("content-type".to_owned(), m.to_owned())])
                        .unwrap_or_default(),
                    body: body.map(str::to_owned),
                    exactly: if citizens_only { None } else { exactly },
                };
                probes.extend([
                    body("without a body", None, None, Some(415)),
                    body(
                        "a body of text/plain",
                        Some("text/plain"),
                        Some("{}"),
                        Some(415),
                    ),
                    body("a body that is not JSON", Some(JSON), Some("{"), Some(400)),
                    body("a JSON array", Some(JSON), Some("[]"), Some(422)),
                    body("a body over the limit", Some(JSON), Some(&big), Some(413)),
                ]);
            }
            let long = format!(
                "{documented}{}pad={}",
                if documented.contains('?') { '&' } else { '?' },
                "a".repeat(MAX_URI_BYTES)
            );
            probes.push(Probe {
                exactly: Some(414),
                ..with("a URI over the edge's limit".into(), long, me)
            });
            for probe in probes {
                let mut headers: Vec<(&str, String)> = probe
                    .headers
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.clone()))
                    .collect();
                if let Some(t) = &probe.token {
                    headers.push(("authorization", format!("Bearer {t}")));
                }
                let headers: Vec<(&str, &str)> =
                    headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let m = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
                let res = send_raw(&w.router, m, &probe.uri, probe.body.as_deref(), &headers).await;
                let status = res.status.as_u16();
                let at = format!(
                    "{} {path} {} ({}): {status} {}",
                    method.to_uppercase(),
                    probe.what,
                    &probe.uri[..probe.uri.len().min(120)],
                    res.body
                );
                if let Some(want) = probe.exactly {
                    assert_eq!(status, want, "{at}");
                }
                let listed = &op["responses"][status.to_string()];
                assert!(listed.is_object(), "not listed: {at}");
                if status >= 400 {
                    assert_eq!(res.content_type(), "application/problem+json", "{at}");
                    assert_problem_shape(&res.body);
                    assert_listed(&spec, method, path, status);
                } else {
                    let media = res.content_type().split(';').next().unwrap_or("").trim();
                    assert!(listed["content"][media].is_object(), "media {media}: {at}");
                }
                answered.insert((method.to_uppercase(), path.clone(), status));
            }
            // A method the path does not have.
            let other = ["get", "post", "put", "delete", "patch"]
                .into_iter()
                .find(|m| !item.contains_key(*m))
                .expect("a method the path does not have");
            let m = Method::from_bytes(other.to_uppercase().as_bytes()).expect("method");
            let res = send_raw(&w.router, m, &documented, None, &[]).await;
            res.problem(405, "request.method_not_allowed");
        }
    }
    assert!(operations >= 20, "every operation probed: {operations}");
    // The probes reach past the extractors: each of these answers was
    // seen (and found listed) at least once.
    for (method, path, status) in [
        ("GET", "/api/v1/status/{code}", 404),
        ("GET", "/api/v1/citizens/{personal_id}", 404),
        ("GET", "/api/v1/dossiers", 200),
        ("GET", "/api/v1/dossiers", 403),
        ("GET", "/api/v1/offices/{code}/overdue", 200),
        ("GET", "/api/v1/offices/{code}/overdue", 403),
        ("GET", "/api/v1/offices/{code}/bookings", 403),
        ("GET", "/api/v1/dossiers/{code}", 404),
        ("GET", "/api/v1/rules/fee", 200),
        ("GET", "/api/v1/rules/expiry", 200),
        ("POST", "/api/v1/citizens", 422),
        ("POST", "/api/v1/dossiers", 400),
        ("POST", "/api/v1/status/{code}/holder", 400),
    ] {
        assert!(
            answered.contains(&(method.to_owned(), path.to_owned(), status)),
            "{method} {path} never answered {status}: {answered:?}"
        );
    }
}

/// The lookups' 429 is listed for both public status routes, with the
/// `Retry-After` header it carries: a client walking the codes of a day is
/// refused by each, as the spec says.
pub async fn the_lookups_429_is_listed_with_its_retry_after(store: Store) {
    let w = world(store).await;
    let spec = spec(&w).await;
    let status = "/api/v1/status/{code}";
    let holder = "/api/v1/status/{code}/holder";
    for (method, path) in [("GET", status), ("POST", holder)] {
        assert_listed(&spec, method, path, 429);
        let header = &operation(&spec, method, path)["responses"]["429"]["headers"]["Retry-After"];
        assert_eq!(
            header["schema"]["type"], "integer",
            "{method} {path}: {header}"
        );
    }
    let citizen = register(&w, "Nguyễn Văn An", "079090012345").await;
    let real: DossierCode = open_dossier(&w, citizen).await["code"]
        .as_str()
        .expect("code")
        .parse()
        .expect("a code");
    let mut refused = None;
    for n in 1..=100 {
        let code = DossierCode::new(real.office(), real.date(), (real.random() + n) % 100_000)
            .expect("a code");
        let res = get(&w.router, &format!("/api/v1/status/{code}"), None).await;
        if res.status == 429 {
            refused = Some(res);
            break;
        }
        res.problem(404, "store.not_found");
    }
    let refused = refused.expect("a walk of the codes is refused");
    refused.problem(429, "limit.code_walk");
    assert!(refused.headers.contains_key("retry-after"));
    let res = post(
        &w.router,
        &format!("/api/v1/status/{real}/holder"),
        None,
        json!({"date_of_birth": "1990-05-17"}),
    )
    .await;
    res.problem(429, "limit.code_walk");
    assert!(res.headers.contains_key("retry-after"));
}

/// The value of a link's runtime expression `$response.body#/…` in `body`.
#[track_caller]
fn from_response(body: &Value, expression: &Value) -> Value {
    let pointer = expression
        .as_str()
        .and_then(|e| e.strip_prefix("$response.body#"))
        .unwrap_or_else(|| panic!("not a response body expression: {expression}"));
    body.pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer} not in {body}"))
        .clone()
}

/// The link `name` of `method path`'s answer `status`; its target
/// operation is in the spec and every parameter it sets is one of the
/// target's.
#[track_caller]
fn link<'a>(spec: &'a Value, method: &str, path: &str, status: u16, name: &str) -> &'a Value {
    let link = &operation(spec, method, path)["responses"][status.to_string()]["links"][name];
    let id = link["operationId"].as_str().expect("operationId");
    let target = spec["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().expect("path item").values())
        .find(|op| op["operationId"] == id)
        .unwrap_or_else(|| panic!("{name}: no operation {id}"));
    for param in link["parameters"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        let known = target["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["name"] == param.as_str()));
        assert!(known, "{name}: {id} has no parameter {param}");
    }
    link
}

/// The spec's links chain what an officer does — register, open a
/// dossier for the citizen, record the capture, take the next step — and
/// each, followed on the real answers, makes a request the next route
/// reads (schemathesis follows them in its stateful phase).
pub async fn the_links_chain_register_open_capture_step(store: Store) {
    let w = world(store).await;
    let spec = spec(&w).await;
    let me = Some(w.receptionist.as_str());
    let registered = post(
        &w.router,
        "/api/v1/citizens",
        me,
        citizen_body("Nguyễn Văn An", Some("079090012345")),
    )
    .await;
    let citizen = registered.ok(201);
    let l = link(&spec, "POST", "/api/v1/citizens", 201, "GetCitizen");
    let pid = from_response(citizen, &l["parameters"]["personal_id"]);
    let got = get(
        &w.router,
        &format!("/api/v1/citizens/{}", pid.as_str().expect("pid")),
        me,
    )
    .await;
    assert_eq!(got.ok(200)["id"], citizen["id"]);

    let l = link(&spec, "POST", "/api/v1/citizens", 201, "OpenDossier");
    let mut body = json!({"reason": "first-issue"});
    for (k, e) in l["requestBody"].as_object().expect("a body") {
        body[k] = from_response(citizen, e);
    }
    let opened = post(&w.router, "/api/v1/dossiers", me, body).await;
    let dossier = opened.ok(201);
    let code_of = |link: &Value, answer: &Value| {
        from_response(answer, &link["parameters"]["code"])
            .as_str()
            .expect("code")
            .to_owned()
    };
    for name in ["GetDossier", "GetCapture"] {
        let l = link(&spec, "POST", "/api/v1/dossiers", 201, name);
        let target = if name == "GetDossier" { "" } else { "/capture" };
        let code = code_of(l, dossier);
        get(&w.router, &format!("/api/v1/dossiers/{code}{target}"), me)
            .await
            .ok(200);
    }
    let l = link(&spec, "POST", "/api/v1/dossiers", 201, "PutCapture");
    let code = code_of(l, dossier);
    let saved = send(
        &w.router,
        Method::PUT,
        &format!("/api/v1/dossiers/{code}/capture"),
        me,
        Some(complete_capture()),
        &[],
    )
    .await;
    let saved = saved.ok(200);
    let l = link(
        &spec,
        "PUT",
        "/api/v1/dossiers/{code}/capture",
        200,
        "Transition",
    );
    let code = code_of(l, saved);
    let mut step = json!({"to": "captured"});
    for (k, e) in l["requestBody"].as_object().expect("a body") {
        step[k] = from_response(saved, e);
    }
    let stepped = post(
        &w.router,
        &format!("/api/v1/dossiers/{code}/transitions"),
        me,
        step,
    )
    .await;
    assert_eq!(stepped.ok(200)["to"], "captured");
    // Opening's own link to a step names the version it opened at: a step
    // at that version after the capture moved it on is refused as stale.
    let l = link(&spec, "POST", "/api/v1/dossiers", 201, "Transition");
    assert_eq!(from_response(dossier, &l["requestBody"]["version"]), 1);
}
