//! A small synthetic world behind the router: an office tree, an officer of
//! every role (with their bearer tokens), and request helpers.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use cancuoc_core::id::alloc::Allocator;
use cancuoc_server::{App, AppConfig, Limits, Service, fixed_clock, router};
use cancuoc_store::Store;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// 2026-11-21 10:00 in Vietnam (UTC+7).
pub const NOW: &str = "2026-11-21T03:00:00Z";
/// Epoch seconds of [`NOW`].
pub const T0: i64 = 1_795_230_000;

pub use cancuoc_testkit::world::{DISTRICT, MINISTRY, OTHER_DISTRICT, PROVINCE};

/// The tokens of every officer, and the router.
pub struct World {
    pub store: Store,
    pub app: App,
    pub router: Router,
    pub receptionist: String,
    pub other_receptionist: String,
    pub commune_police: String,
    pub processor: String,
    pub approver: String,
    pub printer: String,
    pub dispatcher: String,
    pub return_officer: String,
    pub admin: String,
    /// Province-level receptionist (reads the districts below).
    pub province_officer: String,
}

pub async fn world(store: Store) -> World {
    world_with(store, AppConfig::default()).await
}

pub async fn world_with(store: Store, config: AppConfig) -> World {
    world_limited(store, config, Limits::default()).await
}

/// The service over `store` with its clock at `now` (an instant) and
/// `limits`, as `cancuoc serve` builds it.
pub async fn service_at(store: Store, now: &str, limits: Limits) -> Service {
    Service::new(
        store,
        Allocator::new([42; 16]),
        fixed_clock(now.parse().expect("instant")),
    )
    .await
    .expect("service")
    .with_limits(limits)
}

/// [`world_with`] whose service has `limits`.
pub async fn world_limited(store: Store, config: AppConfig, limits: Limits) -> World {
    let shared = cancuoc_testkit::world::world(store.clone(), T0).await;
    let config = AppConfig {
        test_hooks: true,
        ..config
    };
    let app = App::new(service_at(store.clone(), NOW, limits).await, config);
    World {
        receptionist: shared.receptionist.token,
        other_receptionist: shared.other_receptionist.token,
        commune_police: shared.commune_police.token,
        processor: shared.processor.token,
        approver: shared.approver.token,
        printer: shared.printer.token,
        dispatcher: shared.dispatcher.token,
        return_officer: shared.return_officer.token,
        admin: shared.admin.token,
        province_officer: shared.province_officer.token,
        router: router(app.clone()),
        app,
        store,
    }
}

/// One response, body parsed as JSON when it is JSON (else a string).
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Res {
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    /// Asserts a problem document of `status` with `code`.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        assert_eq!(
            self.content_type(),
            "application/problem+json",
            "{}",
            self.body
        );
        assert_problem_shape(&self.body);
        assert_eq!(self.body["status"], status);
        assert_eq!(self.body["code"], code, "{}", self.body);
    }
    #[track_caller]
    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        &self.body
    }
}

/// Every member of an RFC 9457 problem as we answer it, nothing else.
#[track_caller]
pub fn assert_problem_shape(v: &Value) {
    let obj = v.as_object().expect("problem is an object");
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "code",
            "detail",
            "message_en",
            "message_vi",
            "request_id",
            "status",
            "title",
            "type"
        ],
        "{v}"
    );
    for k in [
        "code",
        "detail",
        "message_en",
        "message_vi",
        "request_id",
        "title",
        "type",
    ] {
        assert!(
            !obj[k].as_str().unwrap_or("").is_empty(),
            "{k} empty in {v}"
        );
    }
    assert!(
        obj["type"]
            .as_str()
            .unwrap_or("")
            .starts_with("urn:cancuoc:problem:")
    );
}

/// Sends one request through the router.
pub async fn send(
    router: &Router,
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
    extra: &[(&str, &str)],
) -> Res {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let req = match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .expect("request");
    let res = router.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let body = body_of(&headers, &bytes);
    Res {
        status,
        headers,
        body,
    }
}

/// A body as JSON when its media type says JSON, else as text: a captcha
/// answer of digits only is the text "34393", not a number.
fn body_of(headers: &HeaderMap, bytes: &[u8]) -> Value {
    let json = headers
        .get("content-type")
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.contains("json"));
    let text = || Value::String(String::from_utf8_lossy(bytes).into_owned());
    if json {
        serde_json::from_slice(bytes).unwrap_or_else(|_| text())
    } else {
        text()
    }
}

/// Sends one request with a raw body (any bytes, any media type: set the
/// `content-type` in `headers`) through the router.
pub async fn send_raw(
    router: &Router,
    method: Method,
    uri: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Res {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
        .expect("request");
    let res = router.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let body = body_of(&headers, &bytes);
    Res {
        status,
        headers,
        body,
    }
}

pub async fn get(router: &Router, uri: &str, token: Option<&str>) -> Res {
    send(router, Method::GET, uri, token, None, &[]).await
}

pub async fn post(router: &Router, uri: &str, token: Option<&str>, body: Value) -> Res {
    send(router, Method::POST, uri, token, Some(body), &[]).await
}

/// One web page response: status, headers and the HTML text.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub html: String,
}

impl Page {
    /// The first value of header `name` ("" when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    /// Asserts an HTML page of `status` containing every one of `needles`.
    #[track_caller]
    pub fn html(&self, status: u16, needles: &[&str]) -> &str {
        assert_eq!(self.status.as_u16(), status, "{}", self.html);
        assert!(
            self.header("content-type").starts_with("text/html"),
            "not HTML: {}",
            self.header("content-type")
        );
        for n in needles {
            assert!(
                self.html.contains(n),
                "{n:?} missing from page:\n{}",
                self.html
            );
        }
        &self.html
    }
}

/// Sends one web request: `body` is sent as an HTML form
/// (`application/x-www-form-urlencoded`) when given; `headers` such as
/// `cookie` are added as they are.
pub async fn web(
    router: &Router,
    method: Method,
    uri: &str,
    form: Option<&[(&str, &str)]>,
    headers: &[(&str, &str)],
) -> Page {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = match form {
        Some(pairs) => {
            let body: String = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish();
            req.header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
        }
        None => req.body(Body::empty()),
    }
    .expect("request");
    let res = router.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Page {
        status,
        headers,
        html: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// `GET` of a web page with optional extra headers.
pub async fn page(router: &Router, uri: &str, headers: &[(&str, &str)]) -> Page {
    web(router, Method::GET, uri, None, headers).await
}

/// A registration body with a given personal ID (or none): born 17 May,
/// in the year and of the sex the number encodes (1990, male, without a
/// readable number), as the service requires.
pub fn citizen_body(name: &str, pid: Option<&str>) -> Value {
    let (dob, sex) = match pid.map(str::as_bytes) {
        Some(&[_, _, _, g, y1, y2, ..])
            if pid.is_some_and(|p| p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit())) =>
        {
            let (g, yy) = (
                u32::from(g - b'0'),
                u32::from(y1 - b'0') * 10 + u32::from(y2 - b'0'),
            );
            (
                format!("{}-05-17", 1900 + (g / 2) * 100 + yy),
                if g % 2 == 0 { "male" } else { "female" },
            )
        }
        _ => ("1990-05-17".to_owned(), "male"),
    };
    let mut b = json!({
        "full_name": name,
        "dob": dob,
        "sex": sex,
        "place_of_origin": "Xã Bình Thử, Huyện Đông Thử",
        "birth_registration": "Tỉnh Thử Nghiệm",
        "permanent_residence": "Thôn 1, Xã Bình Thử",
        "phone": "0900000000",
    });
    match pid {
        Some(p) => b["personal_id"] = json!(p),
        None => b["birth_registration_code"] = json!(79),
    }
    b
}

/// Registers a citizen through the API and returns its record id.
pub async fn register(w: &World, name: &str, pid: &str) -> i64 {
    let r = post(
        &w.router,
        "/api/v1/citizens",
        Some(&w.receptionist),
        citizen_body(name, Some(pid)),
    )
    .await;
    r.ok(201)["id"].as_i64().expect("citizen id")
}

/// Opens a walk-in first-issue dossier at DISTRICT; returns the dossier JSON.
pub async fn open_dossier(w: &World, citizen_id: i64) -> Value {
    let r = post(
        &w.router,
        "/api/v1/dossiers",
        Some(&w.receptionist),
        json!({"citizen_id": citizen_id, "reason": "first-issue"}),
    )
    .await;
    r.ok(201).clone()
}

/// Saves a complete capture for the received dossier `code` (version
/// 1 → 2: the capture is an event) and moves it to `captured` (2 → 3), as
/// its receptionist.
pub async fn capture_and_advance(w: &World, code: &str) {
    let saved = send(
        &w.router,
        Method::PUT,
        &format!("/api/v1/dossiers/{code}/capture"),
        Some(&w.receptionist),
        Some(complete_capture()),
        &[],
    )
    .await;
    let version = saved.ok(200)["version"].clone();
    post(
        &w.router,
        &format!("/api/v1/dossiers/{code}/transitions"),
        Some(&w.receptionist),
        json!({"to": "captured", "version": version}),
    )
    .await
    .ok(200);
}

/// A complete capture record (every finger captured, portrait accepted),
/// as the API reads it.
pub fn complete_capture() -> Value {
    serde_json::to_value(cancuoc_testkit::world::complete_capture()).expect("json")
}
