//! Cross-cutting HTTP layers (lớp trung gian): request ids, the problem
//! writer that gives every error response its RFC 9457 body, the panic
//! handler and the layer stack in order.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pin_project_lite::pin_project;
use tower::{Layer, Service};
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
///
/// A hand-written tower layer rather than `axum::middleware::from_fn`:
/// `from_fn` boxes every request's future and clones the inner service on
/// each call, which the status lookup's hot path paid on every request; this
/// layer keeps the inner future inline and only clones the request id header
/// (shared bytes).
#[derive(Clone, Copy, Debug, Default)]
pub struct ProblemLayer;

impl<S> Layer<S> for ProblemLayer {
    type Service = ProblemService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ProblemService { inner }
    }
}

/// The service of [`ProblemLayer`].
#[derive(Clone, Debug)]
pub struct ProblemService<S> {
    inner: S,
}

impl<S, B> Service<axum::http::Request<B>> for ProblemService<S>
where
    S: Service<axum::http::Request<B>>,
    S::Response: IntoResponse,
{
    type Response = Response;
    type Error = S::Error;
    type Future = ProblemFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: axum::http::Request<B>) -> Self::Future {
        let request_id = req.headers().get(&X_REQUEST_ID).cloned();
        ProblemFuture {
            inner: self.inner.call(req),
            request_id,
        }
    }
}

pin_project! {
    /// The response future of [`ProblemService`].
    pub struct ProblemFuture<F> {
        #[pin]
        inner: F,
        request_id: Option<HeaderValue>,
    }
}

impl<F, R, E> Future for ProblemFuture<F>
where
    F: Future<Output = Result<R, E>>,
    R: IntoResponse,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let res = ready!(this.inner.poll(cx))?.into_response();
        Poll::Ready(Ok(finish_problem(res, this.request_id.as_ref())))
    }
}

/// The problem body of an error response (see [`ProblemLayer`]); other
/// responses pass through untouched.
fn finish_problem(res: Response, request_id: Option<&HeaderValue>) -> Response {
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
    let request_id = request_id.and_then(|v| v.to_str().ok()).unwrap_or("");
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
/// level), the problem writer, the panic catcher and the body limit. The
/// handler timeout is not here: [`timeout`] wraps every route but the
/// status lookup (see `routes::router`).
pub fn stack(router: Router, body_limit: usize) -> Router {
    router
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(ProblemLayer)
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

/// The handler timeout (a 503 problem when a handler runs longer).
pub fn timeout(limit: Duration) -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, limit)
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
