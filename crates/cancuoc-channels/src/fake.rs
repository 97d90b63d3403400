//! A fake provider API (nhà cung cấp giả) on loopback, for the tests, the
//! CLI's channel simulator and the demo: the few endpoints cancuoc calls,
//! answering the way the real ones do (errors as HTTP 200 + `{"error": n}`
//! for Zalo, `{"error":{"code":…}}` for Graph), and recording every request
//! so a test can assert what was sent.
//!
//! | path | stands for | answers |
//! |---|---|---|
//! | `POST /v3.0/oa/message/cs` | Zalo consultation message | `{"error":0,"data":{"message_id":"zmsg-N","user_id":…}}` |
//! | `POST /message/template` | ZNS template message | `{"error":0,"data":{"msg_id":"zns-N",…}}` |
//! | `POST /v4/oa/access_token` | Zalo token refresh (form) | a new pair, rotating |
//! | `POST /v25.0/me/messages` | Messenger Send API | `{"recipient_id":…,"message_id":"m_fake_N"}` |
//! | `GET /__captured?since=N` | (the fake's own) | the requests recorded from the `N`th on: `{"count":…,"items":[{"path","query","headers","body","status"}…]}`, for the CLI's chat simulator in another process; not recorded itself |
//!
//! Zalo's tokens: `access-1` / `refresh-1` at the start; a refresh with the
//! current refresh token (and a non-empty `secret_key` header and `app_id`)
//! rotates to `access-2` / `refresh-2`, and so on; an old refresh token is
//! spent (single use, as Zalo's). A Zalo call with another access token is
//! answered `-216`. [`FakeProvider::expire_token_once`] makes the current
//! access token expire now (`-216`) until the next refresh;
//! [`FakeProvider::fail_next`] makes the next requests answer HTTP 503.
//! Messenger takes any non-empty `access_token` query parameter (else Graph
//! error 190).
//!
//! Every request is kept in memory ([`Captured`]): path, query, the
//! headers of interest (`access_token`, `secret_key`, `content-type`) and
//! the body as JSON (a form body as an object of its fields). The server
//! stops when the [`FakeProvider`] is dropped. Development use only: no
//! limit on what it keeps.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::IntoResponse;
use serde_json::{Map, Value, json};
use tokio::sync::watch;

/// One request the fake provider received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Captured {
    /// The path (`/v3.0/oa/message/cs`…).
    pub path: String,
    /// The query string, if any (Messenger's carries the Page token).
    pub query: Option<String>,
    /// The headers of interest, lowercase names, in that order when
    /// present: `content-type`, `access_token`, `secret_key`.
    pub headers: Vec<(String, String)>,
    /// The body: JSON as sent, a form as an object of its fields, other
    /// bytes as a string.
    pub body: Value,
    /// The HTTP status the fake answered.
    pub status: u16,
}

impl Captured {
    /// The value of a captured header (lowercase name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the fake remembers.
#[derive(Debug)]
struct Inner {
    captured: Vec<Captured>,
    /// The token generation: `access-N` / `refresh-N` are current.
    generation: u32,
    /// The current access token has expired (until the next refresh).
    expired: bool,
    /// Requests still to answer with 503.
    fail_next: u32,
    /// The last message id handed out.
    last_id: u64,
}

#[derive(Debug)]
struct Shared {
    inner: Mutex<Inner>,
    count: watch::Sender<usize>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panicking handler cannot leave the record half-written in a way
        // that matters to a test double: keep serving.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A running fake provider (see the module docs). Dropping it stops the
/// server.
#[derive(Debug)]
pub struct FakeProvider {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeProvider {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a fake provider on `127.0.0.1` at a free port, on the current
/// tokio runtime.
pub async fn spawn_fake_provider() -> std::io::Result<FakeProvider> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared {
        inner: Mutex::new(Inner {
            captured: Vec::new(),
            generation: 1,
            expired: false,
            fail_next: 0,
            last_id: 0,
        }),
        count: watch::Sender::new(0),
    });
    let app = Router::new()
        .fallback(handle)
        .with_state(Arc::clone(&shared));
    let task = tokio::spawn(async move {
        // Ends only when aborted (the FakeProvider dropped) or the
        // listener fails; a test then sees its requests refused.
        let _ = axum::serve(listener, app).await;
    });
    Ok(FakeProvider { addr, shared, task })
}

impl FakeProvider {
    /// The base URL of every fake API (`http://127.0.0.1:PORT`): use it as
    /// the Zalo API, OAuth and ZNS bases and the Graph base.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far, oldest first.
    pub fn captured(&self) -> Vec<Captured> {
        self.shared.lock().captured.clone()
    }

    /// Waits until at least `n` requests were received or `timeout`
    /// passed; every request received by then.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Captured> {
        let mut rx = self.shared.count.subscribe();
        let _ = tokio::time::timeout(timeout, rx.wait_for(|c| *c >= n)).await;
        self.captured()
    }

    /// The current Zalo access token expires now: Zalo calls answer `-216`
    /// until a refresh rotates the pair.
    pub fn expire_token_once(&self) {
        self.shared.lock().expired = true;
    }

    /// The next `n` requests (any path) answer HTTP 503.
    pub fn fail_next(&self, n: u32) {
        self.shared.lock().fail_next = n;
    }

    /// The Zalo access token the fake accepts now (`access-N`).
    pub fn access_token(&self) -> String {
        format!("access-{}", self.shared.lock().generation)
    }

    /// The Zalo refresh token the fake accepts now (`refresh-N`).
    pub fn refresh_token(&self) -> String {
        format!("refresh-{}", self.shared.lock().generation)
    }
}

/// The headers recorded, in order.
const HEADERS: [&str; 3] = ["content-type", "access_token", "secret_key"];

fn header_value<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The body as recorded: a form as an object, JSON as is, else text.
fn body_value(headers: &HeaderMap, body: &[u8]) -> Value {
    if header_value(headers, "content-type").starts_with("application/x-www-form-urlencoded") {
        let fields: Map<String, Value> = form_urlencoded::parse(body)
            .into_owned()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        return Value::Object(fields);
    }
    serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
}

/// A query parameter's value.
fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Every request: answered per the module docs, then recorded.
async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let path = uri.path().to_owned();
    let query = uri.query().map(str::to_owned);
    if method == Method::GET && path == "/__captured" {
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            captured_listing(&shared.lock().captured, query.as_deref()).to_string(),
        );
    }
    let body = body_value(&headers, &body);
    let (status, answer) = {
        let mut g = shared.lock();
        let answer = if g.fail_next > 0 {
            g.fail_next -= 1;
            (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"error": "unavailable (fake)"}),
            )
        } else if method != Method::POST {
            (
                StatusCode::METHOD_NOT_ALLOWED,
                json!({"error": "POST only (fake)"}),
            )
        } else {
            answer(&mut g, &path, query.as_deref(), &headers, &body)
        };
        g.captured.push(Captured {
            path,
            query,
            headers: HEADERS
                .iter()
                .filter(|h| headers.contains_key(**h))
                .map(|h| ((*h).to_owned(), header_value(&headers, h).to_owned()))
                .collect(),
            body,
            status: answer.0.as_u16(),
        });
        shared.count.send_replace(g.captured.len());
        answer
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        answer.to_string(),
    )
}

/// `GET /__captured?since=N`: the requests recorded from the `N`th (0 when
/// absent) on, as JSON, and how many there are in all.
fn captured_listing(captured: &[Captured], query: Option<&str>) -> Value {
    let since = query_param(query, "since")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(0);
    let items: Vec<Value> = captured
        .iter()
        .skip(since)
        .map(|c| {
            let headers: Map<String, Value> = c
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            json!({"path": c.path, "query": c.query, "headers": headers,
                   "body": c.body, "status": c.status})
        })
        .collect();
    json!({"count": captured.len(), "items": items})
}

/// The answer to a `POST` (the fake's state already locked).
fn answer(
    g: &mut Inner,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &Value,
) -> (StatusCode, Value) {
    let ok = StatusCode::OK;
    match path {
        "/v3.0/oa/message/cs" | "/message/template" => {
            let token = header_value(headers, "access_token");
            if g.expired || token != format!("access-{}", g.generation) {
                return (
                    ok,
                    json!({"error": -216, "message": "Access token is invalid"}),
                );
            }
            if !body.is_object() {
                return (
                    ok,
                    json!({"error": -201, "message": "Parameters are invalid"}),
                );
            }
            g.last_id += 1;
            if path == "/message/template" {
                (
                    ok,
                    json!({"error": 0, "message": "Success", "data": {
                        "msg_id": format!("zns-{}", g.last_id),
                        "sent_time": "1700000000000",
                        "quota": {"dailyQuota": "500", "remainingQuota": "499"},
                    }}),
                )
            } else {
                (
                    ok,
                    json!({"error": 0, "message": "Success", "data": {
                        "message_id": format!("zmsg-{}", g.last_id),
                        "user_id": body.pointer("/recipient/user_id").cloned().unwrap_or(Value::Null),
                    }}),
                )
            }
        }
        "/v4/oa/access_token" => {
            let field = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("");
            let fits = field("grant_type") == "refresh_token"
                && field("refresh_token") == format!("refresh-{}", g.generation)
                && !field("app_id").is_empty()
                && !header_value(headers, "secret_key").is_empty();
            if !fits {
                return (
                    ok,
                    json!({"error": -14014, "error_name": "Invalid refresh token",
                           "error_description": "The refresh token is invalid or already used (fake)"}),
                );
            }
            g.generation += 1;
            g.expired = false;
            (
                ok,
                json!({
                    "access_token": format!("access-{}", g.generation),
                    "refresh_token": format!("refresh-{}", g.generation),
                    "expires_in": "90000",
                }),
            )
        }
        "/v25.0/me/messages" => {
            if query_param(query, "access_token").is_none_or(|t| t.is_empty()) {
                return (
                    StatusCode::BAD_REQUEST,
                    json!({"error": {"message": "An access token is required (fake)",
                                     "type": "OAuthException", "code": 190}}),
                );
            }
            let Some(psid) = body.pointer("/recipient/id").and_then(Value::as_str) else {
                return (
                    StatusCode::BAD_REQUEST,
                    json!({"error": {"message": "(#100) The parameter recipient is required (fake)",
                                     "type": "OAuthException", "code": 100}}),
                );
            };
            g.last_id += 1;
            (
                ok,
                json!({"recipient_id": psid, "message_id": format!("m_fake_{}", g.last_id)}),
            )
        }
        _ => (
            StatusCode::NOT_FOUND,
            json!({"error": "no such path (fake)"}),
        ),
    }
}
