//! Cross-cutting HTTP layers (lớp trung gian): request ids, the problem
//! writer that gives every error response its RFC 9457 body, the panic
//! handler and the layer stack in order.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::{ApiError, PROBLEM_JSON, Problem};

/// The request id header (`x-request-id`).
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request ids: a random per-process prefix and a counter, 24 hex digits.
/// Hand-rolled instead of tower-http's UUID maker: unique enough to find a
/// request in the logs, with no RNG call and no extra crate per request on
/// the hot path.
#[derive(Clone, Debug)]
pub struct CounterRequestId {
    prefix: u32,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl CounterRequestId {
    /// A maker with a fresh random prefix.
    pub fn new() -> Self {
        Self {
            prefix: rand::random(),
        }
    }
}

impl Default for CounterRequestId {
    fn default() -> Self {
        Self::new()
    }
}

impl MakeRequestId for CounterRequestId {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let value = (u128::from(self.prefix) << 64) | u128::from(n);
        let mut text = [0u8; 24];
        for (i, b) in text.iter_mut().enumerate() {
            let shift = 4 * (23 - i);
            *b = HEX[((value >> shift) & 0xf) as usize];
        }
        HeaderValue::from_bytes(&text).ok().map(RequestId::new)
    }
}

/// The request path for logs, with every segment of 9 to 12 digits (a
/// personal ID or an old CMND number) masked: logs never carry a full ID.
/// Dossier codes (16 digits) are not personal and stay readable.
pub fn loggable_path(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            let digits = seg.bytes().all(|b| b.is_ascii_digit());
            if digits && (9..=12).contains(&seg.len()) {
                cancuoc_core::id::mask_any(seg)
            } else {
                seg.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn request_span(req: &axum::http::Request<Body>) -> tracing::Span {
    tracing::debug_span!(
        "request",
        method = %req.method(),
        path = %loggable_path(req.uri().path()),
        request_id = req
            .headers()
            .get(&X_REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    )
}

/// Writes the body of every error response: a [`Problem`] left by an
/// [`ApiError`], or a bare error status from a layer (405, 413, timeout),
/// becomes `application/problem+json` with the request id.
pub async fn finish_problems(req: Request, next: Next) -> Response {
    // A cheap clone (shared bytes): only error responses read it.
    let request_id = req.headers().get(&X_REQUEST_ID).cloned();
    let res = next.run(req).await;
    let status = res.status();
    if status.as_u16() < 400 {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let problem = match parts.extensions.remove::<Problem>() {
        Some(p) => p,
        None => {
            let is_problem = parts
                .headers
                .get(header::CONTENT_TYPE)
                .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
            // Problem documents and the web area's HTML error pages
            // already carry their body.
            let is_page = parts
                .headers
                .get(header::CONTENT_TYPE)
                .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
            if is_problem || is_page {
                return Response::from_parts(parts, body);
            }
            Problem::of_status(status)
        }
    };
    let request_id = request_id
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let json = serde_json::to_vec(&problem.body(request_id)).unwrap_or_default();
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json))
}

/// The catch-panic layer's answer: a 500 problem (last resort; handlers do
/// not panic).
fn panic_response(_err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked");
    ApiError::Panic.into_response()
}

/// Wraps `router` in the layer stack, outermost first: request id (set,
/// then echoed on the response), tracing (spans at DEBUG with personal IDs
/// masked in the path, so the hot path costs nothing at the default INFO
/// level), the problem writer, the panic
/// catcher, the timeout and the body limit.
pub fn stack(router: Router, timeout: Duration, body_limit: usize) -> Router {
    router
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::from_fn(finish_problems))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::DEBUG)),
        )
        .layer(PropagateRequestIdLayer::new(X_REQUEST_ID.clone()))
        .layer(SetRequestIdLayer::new(
            X_REQUEST_ID.clone(),
            CounterRequestId::new(),
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_logs_never_carry_a_full_personal_id() {
        let cases = [
            (
                "/api/v1/citizens/079090012345",
                "/api/v1/citizens/079*******45",
            ),
            ("/api/v1/citizens/123456789", "/api/v1/citizens/*********"),
            (
                "/api/v1/status/0790261121482137",
                "/api/v1/status/0790261121482137",
            ),
            ("/api/v1/offices/790/overdue", "/api/v1/offices/790/overdue"),
            ("/", "/"),
        ];
        for (path, want) in cases {
            assert_eq!(loggable_path(path), want, "{path}");
        }
    }

    #[test]
    fn request_ids_are_distinct_hex() {
        let mut maker = CounterRequestId::new();
        let req = axum::http::Request::new(Body::empty());
        let a = maker.make_request_id(&req).expect("id");
        let b = maker.make_request_id(&req).expect("id");
        let (a, b) = (a.header_value().clone(), b.header_value().clone());
        assert_ne!(a, b);
        for v in [a, b] {
            let t = v.to_str().expect("ascii");
            assert_eq!(t.len(), 24);
            assert!(t.bytes().all(|c| c.is_ascii_hexdigit()));
        }
    }
}
