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
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
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
        let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let text = format!("{:08x}{:016x}", self.prefix, n);
        HeaderValue::from_str(&text).ok().map(RequestId::new)
    }
}

/// Writes the body of every error response: a [`Problem`] left by an
/// [`ApiError`], or a bare error status from a layer (405, 413, timeout),
/// becomes `application/problem+json` with the request id.
pub async fn finish_problems(req: Request, next: Next) -> Response {
    let request_id = req
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
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
            if is_problem {
                return Response::from_parts(parts, body);
            }
            Problem::of_status(status)
        }
    };
    let json = serde_json::to_vec(&problem.body(&request_id)).unwrap_or_default();
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
/// then echoed on the response), tracing (spans at DEBUG, so the hot path
/// costs nothing at the default INFO level), the problem writer, the panic
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
                .make_span_with(DefaultMakeSpan::new().level(Level::DEBUG))
                .on_response(DefaultOnResponse::new().level(Level::DEBUG)),
        )
        .layer(PropagateRequestIdLayer::new(X_REQUEST_ID.clone()))
        .layer(SetRequestIdLayer::new(
            X_REQUEST_ID.clone(),
            CounterRequestId::new(),
        ))
}
