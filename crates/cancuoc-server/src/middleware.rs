//! Cross-cutting HTTP layers (lớp trung gian): the edge layer that every
//! request passes first — request id, request span and failure log, the
//! problem writer that gives every error response its RFC 9457 body, and
//! the panic catcher — and the layer stack in order.
//!
//! The edge is one hand-written tower layer instead of tower-http's
//! `SetRequestId` + `PropagateRequestId` + `Trace` + `CatchPanic` and a
//! separate problem-writer layer. Measured with the in-process router
//! benchmark (`cargo bench -p cancuoc-server --bench status`, cached status
//! lookup, measured before and after with the same harness), the edge took
//! the lookup from 6.7 µs to 3.9 µs (the body limit, now on every route but
//! the status lookup, included): the request id was
//! allocated, stored in the request's
//! extensions (a map and a box per request), cloned into the response;
//! the trace layer read the clock, classified the response and wrapped its
//! body; the panic catcher boxed the response body again. The edge keeps
//! the request id in its own future, creates a span only when DEBUG is on,
//! and leaves the body alone. Kept from the old stack, and tested in the API
//! suite: an incoming `x-request-id` is kept and echoed, a missing one is
//! generated; every error response is a problem document naming it; a
//! panic is a 500 problem, never a dropped connection. Every 5xx response
//! is logged once, at ERROR, with the request id and the cause its handler
//! left (a [`Problem`]'s or a web page's), on one line. New, tested by this module's unit tests: an
//! empty, spaced or over-long incoming id is replaced by a generated one,
//! so a log line carries one token per id.
//!
//! The edge also refuses a request whose path and query are longer than
//! [`MAX_URI_BYTES`] with a 414 problem document, before any route runs.
//! hyper refuses longer URIs still (over 65 534 bytes) with a bare 414, and
//! a request head over its read buffer (about 400 KiB) with a bare 431,
//! while it parses the request: no service, and so no layer of ours, sees
//! those requests, and hyper has no hook to give its answer a body. The
//! edge's own, lower limit makes every URI a client could mean to send
//! answered with a problem document; only such absurd heads are not.
//!
//! Last, the edge gives every answer — page, API document, problem, the
//! API docs — the security headers an answer did not set itself
//! ([`EdgeLayer::new`]; the pages set theirs in `cancuoc_web::security`):
//! `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`,
//! `Referrer-Policy: same-origin`; `Cache-Control: no-store` (an API
//! answer may carry personal data, and a status answer must not be served
//! stale from a cache) except under `/api/docs`, whose vendored Swagger UI
//! gets its own content security policy instead ([`DOCS_CSP`]: no inline
//! script or style); and, with `AppConfig::behind_tls`,
//! `Strict-Transport-Security` ([`HSTS`]). They cost a cached status
//! lookup about 0.3 µs in the router benchmark (1.94–2.16 µs with them,
//! 1.71–1.80 µs without, alternated twice on 2026-12-06).
//!
//! With metrics on (`AppConfig::metrics_networks`), the edge also counts
//! every answer it writes — method, route template (axum's `MatchedPath`,
//! which routing left on the request: the edge is layered on each route),
//! status, and the latency it already measures — into the app's recorder
//! ([`crate::metrics`], about 0.1 µs a request).

use std::convert::Infallible;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::MatchedPath;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pin_project_lite::pin_project;
use tower::{Layer, Service};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tracing::{Level, Span};

use crate::app::AppConfig;
use crate::error::{ApiError, PROBLEM_JSON, Problem};
use crate::metrics::{EndpointMetrics, Metrics, method_label};

/// The request id header (`x-request-id`).
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest incoming request id kept as is (longer ones are replaced).
const MAX_INCOMING_ID: usize = 128;

/// Longest path and query the edge reads (8 KiB, the request line limit
/// of common proxies); a longer one is a 414 problem document. Below
/// hyper's own limit (65 534 bytes, answered without a body: see the
/// module documentation).
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// `Strict-Transport-Security` of every answer served over HTTPS
/// (`AppConfig::behind_tls`): browsers use HTTPS alone for a year. Without
/// `includeSubDomains`: other hosts of the deployment's domain are not
/// this service's to decide for.
pub const HSTS: &str = "max-age=31536000";

/// The content security policy of the API docs (`/api/docs`, Swagger UI
/// 5.32.6, vendored): its own scripts and style sheets only, no inline
/// script (its `index.html` has none; the settings are the separate
/// `swagger-initializer.js`) and one inline style, allowed by its hash:
/// the `<style>` of the logo the bundle draws (`.logo_small_svg__cls-2
/// {fill:#fff}…`; the browser tests fail on any other, and on this one
/// once a new Swagger UI changes it); `data:` images (the icons of its
/// style sheet); requests to this origin only (the spec, "try it out").
pub const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; \
     img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

/// Where the browser reports a violation of a policy with the test hooks
/// on (the web pages' collector, `cancuoc_web::security`).
const CSP_REPORT_PATH: &str = "/__test/csp";

/// The per-process prefix of generated request ids.
static ID_PREFIX: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A new request id: a random per-process prefix and a counter, 24 hex
/// digits. Hand-rolled instead of a UUID: unique enough to find a request in
/// the logs, with no RNG call per request.
pub fn new_request_id() -> HeaderValue {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let prefix = *ID_PREFIX.get_or_init(rand::random);
    let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let value = (u128::from(prefix) << 64) | u128::from(n);
    let mut text = [0u8; 24];
    for (i, b) in text.iter_mut().enumerate() {
        let shift = 4 * (23 - i);
        *b = HEX[((value >> shift) & 0xf) as usize];
    }
    // Hex digits are always a valid header value.
    HeaderValue::from_bytes(&text).unwrap_or(HeaderValue::from_static("0"))
}

/// The request id of a request: its own `x-request-id` when it sent a
/// usable one (visible ASCII, at most [`MAX_INCOMING_ID`] bytes), else a
/// new one.
fn request_id_of<B>(req: &Request<B>) -> HeaderValue {
    match req.headers().get(&X_REQUEST_ID) {
        Some(v)
            if !v.is_empty()
                && v.len() <= MAX_INCOMING_ID
                && v.as_bytes().iter().all(|b| b.is_ascii_graphic()) =>
        {
            v.clone()
        }
        _ => new_request_id(),
    }
}

/// A request's path and query as a log line shows it: percent-decoded,
/// with every number of 9 digits or more masked whatever surrounds it (a
/// personal ID, an old CMND number, a phone number, a dossier code), and
/// control characters escaped ([`cancuoc_core::id::mask_uri`]): logs never
/// carry a full ID, however the client spelt it.
pub fn loggable_path(path_and_query: &str) -> String {
    cancuoc_core::id::mask_uri(path_and_query)
}

fn request_span<B>(req: &Request<B>, request_id: &HeaderValue) -> Span {
    let uri = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path(), |pq| pq.as_str());
    tracing::debug_span!(
        "request",
        method = %req.method(),
        uri = %loggable_path(uri),
        request_id = request_id.to_str().unwrap_or(""),
    )
}

/// The edge of the service (see the module documentation): request id,
/// span, problem writer, panic catcher, security headers.
#[derive(Clone, Debug)]
pub struct EdgeLayer {
    /// Answers carry [`HSTS`].
    hsts: bool,
    /// The API docs' policy ([`DOCS_CSP`], with the test hooks' report
    /// address when they are on).
    docs_csp: HeaderValue,
    /// Where answers are counted ([`crate::metrics`]); `None`: metrics off.
    metrics: Option<Arc<Metrics>>,
}

impl Default for EdgeLayer {
    /// The edge of the default settings (no HSTS, no test hooks).
    fn default() -> Self {
        Self::new(&AppConfig::default())
    }
}

impl EdgeLayer {
    /// The edge for `config`: HSTS with `behind_tls`, and with
    /// `test_hooks` the API docs' policy reporting violations where the
    /// browser tests collect them.
    pub fn new(config: &AppConfig) -> Self {
        let docs_csp = if config.test_hooks {
            HeaderValue::from_str(&format!("{DOCS_CSP}; report-uri {CSP_REPORT_PATH}"))
                .unwrap_or(HeaderValue::from_static(DOCS_CSP))
        } else {
            HeaderValue::from_static(DOCS_CSP)
        };
        Self {
            hsts: config.behind_tls,
            docs_csp,
            metrics: None,
        }
    }

    /// This edge counting every answer into `metrics` (the request
    /// metrics of [`crate::metrics`]: method, route template, status and
    /// latency); `None` counts nothing.
    pub fn with_metrics(mut self, metrics: Option<Arc<Metrics>>) -> Self {
        self.metrics = metrics;
        self
    }

    /// An answer given outside the router (a request body that did not
    /// arrive in time: `serve`'s 408), written as the edge writes every
    /// error: a problem document naming `request_id` (a new one when
    /// `None`), with the security headers.
    pub(crate) fn answer(&self, status: StatusCode, request_id: Option<HeaderValue>) -> Response {
        let request_id = request_id.unwrap_or_else(new_request_id);
        let (mut res, _) = finish_error(ApiError::Status(status).into_response(), &request_id);
        security_headers(res.headers_mut(), None, self.hsts);
        res.headers_mut().insert(X_REQUEST_ID.clone(), request_id);
        res
    }
}

impl<S> Layer<S> for EdgeLayer {
    type Service = Edge<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Edge {
            inner,
            hsts: self.hsts,
            docs_csp: self.docs_csp.clone(),
            // `Router::layer` layers each route apart: each route's edge
            // keeps the handles of its own label sets.
            metrics: self
                .metrics
                .as_ref()
                .map(|m| Arc::new(EndpointMetrics::new(Arc::clone(m)))),
        }
    }
}

/// The service of [`EdgeLayer`].
#[derive(Clone, Debug)]
pub struct Edge<S> {
    inner: S,
    hsts: bool,
    docs_csp: HeaderValue,
    metrics: Option<Arc<EndpointMetrics>>,
}

/// What the edge needs to count an answer: the route's recorder, the
/// request's method label and route template.
struct Observed {
    endpoint: Arc<EndpointMetrics>,
    method: &'static str,
    route: Option<MatchedPath>,
}

/// Sets the security headers of an answer (see the module documentation),
/// keeping each the answer set itself; `docs_csp` is `Some` for the API
/// docs.
fn security_headers(headers: &mut HeaderMap, docs_csp: Option<HeaderValue>, hsts: bool) {
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    headers
        .entry(header::X_FRAME_OPTIONS)
        .or_insert(HeaderValue::from_static("DENY"));
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static(
            cancuoc_web::security::REFERRER_POLICY,
        ));
    match docs_csp {
        Some(csp) => {
            headers
                .entry(header::CONTENT_SECURITY_POLICY)
                .or_insert(csp);
        }
        None => {
            headers
                .entry(header::CACHE_CONTROL)
                .or_insert(HeaderValue::from_static("no-store"));
        }
    }
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
}

impl<S, B> Service<Request<B>> for Edge<S>
where
    S: Service<Request<B>, Error = Infallible>,
    S::Response: IntoResponse,
{
    type Response = Response;
    type Error = Infallible;
    type Future = EdgeFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        let request_id = request_id_of(&req);
        let span = if tracing::enabled!(Level::DEBUG) {
            request_span(&req, &request_id)
        } else {
            Span::none()
        };
        let started = Instant::now();
        let docs_csp = req
            .uri()
            .path()
            .starts_with("/api/docs")
            .then(|| self.docs_csp.clone());
        let observed = self.metrics.as_ref().map(|endpoint| Observed {
            endpoint: Arc::clone(endpoint),
            method: method_label(req.method()),
            route: req.extensions().get::<MatchedPath>().cloned(),
        });
        let uri_len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
        if uri_len > MAX_URI_BYTES {
            return EdgeFuture {
                inner: None,
                early: Some(ApiError::Status(StatusCode::URI_TOO_LONG).into_response()),
                request_id: Some(request_id),
                span,
                started,
                docs_csp,
                hsts: self.hsts,
                observed,
            };
        }
        let inner = {
            let _entered = span.enter();
            std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(req)))
        };
        EdgeFuture {
            inner: inner.ok(),
            early: None,
            request_id: Some(request_id),
            span,
            started,
            docs_csp,
            hsts: self.hsts,
            observed,
        }
    }
}

pin_project! {
    /// The response future of [`Edge`].
    pub struct EdgeFuture<F> {
        // `None` when the handler panicked (in `call` or in a poll), or
        // when the edge answered itself (`early`).
        #[pin]
        inner: Option<F>,
        // The edge's own answer, without calling the service (a URI over
        // `MAX_URI_BYTES`).
        early: Option<Response>,
        request_id: Option<HeaderValue>,
        span: Span,
        started: Instant,
        // The API docs' policy, for an answer under `/api/docs`.
        docs_csp: Option<HeaderValue>,
        hsts: bool,
        // Where the answer is counted (metrics on).
        observed: Option<Observed>,
    }
}

impl<F, R> Future for EdgeFuture<F>
where
    F: Future<Output = Result<R, Infallible>>,
    R: IntoResponse,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let _entered = this.span.enter();
        if this.request_id.is_none() {
            // Polled again after it answered: a caller bug, not a panic of
            // the handler's. Answer plainly rather than log a fake panic.
            tracing::error!("edge future polled after completion");
            return Poll::Ready(Ok(StatusCode::INTERNAL_SERVER_ERROR.into_response()));
        }
        let polled = match this.inner.as_mut().as_pin_mut() {
            None => this.early.take(),
            Some(inner) => match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
                Ok(Poll::Pending) => return Poll::Pending,
                Ok(Poll::Ready(Ok(res))) => Some(res.into_response()),
                Ok(Poll::Ready(Err(never))) => match never {},
                Err(_) => None,
            },
        };
        // A finished future is never polled again; drop the handler's
        // state now (after a panic it may be inconsistent).
        this.inner.set(None);
        let res = match polled {
            Some(res) => res,
            None => ApiError::Panic.into_response(),
        };
        let request_id = this.request_id.take().unwrap_or_else(new_request_id);
        let (mut res, cause) = finish_error(res, &request_id);
        let status = res.status();
        let latency = this.started.elapsed();
        if let Some(o) = this.observed.take() {
            o.endpoint
                .record(o.method, o.route.as_ref(), status.as_u16(), latency);
        }
        if status.is_server_error() {
            // The one log line of a server error: status, request id and
            // the cause chain together.
            tracing::error!(
                status = status.as_u16(),
                latency_ms = latency_ms(latency),
                request_id = request_id.to_str().unwrap_or(""),
                cause = cause.as_deref().unwrap_or("none given"),
                "response failed"
            );
        } else {
            tracing::debug!(
                status = status.as_u16(),
                latency_ms = latency_ms(latency),
                "response"
            );
        }
        security_headers(res.headers_mut(), this.docs_csp.take(), *this.hsts);
        res.headers_mut().insert(X_REQUEST_ID.clone(), request_id);
        Poll::Ready(Ok(res))
    }
}

fn latency_ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The body of an error response, and the cause of a server error for the
/// log: a [`Problem`] left by an [`ApiError`], or a bare error status from a
/// layer (405, 413, timeout), becomes `application/problem+json` with the
/// request id; a web page's server error ([`cancuoc_web::ServerErrorPage`])
/// is written again naming the request id; other responses pass through.
fn finish_error(res: Response, request_id: &HeaderValue) -> (Response, Option<String>) {
    let status = res.status();
    if status.as_u16() < 400 {
        return (res, None);
    }
    let (mut parts, body) = res.into_parts();
    let id = request_id.to_str().unwrap_or("");
    if let Some(page) = parts.extensions.remove::<cancuoc_web::ServerErrorPage>() {
        let html = cancuoc_web::server_error_page(&page, id);
        parts.headers.remove(header::CONTENT_LENGTH);
        return (
            Response::from_parts(parts, Body::from(html)),
            Some(page.cause),
        );
    }
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
                return (Response::from_parts(parts, body), None);
            }
            let mut p = Problem::of_status(status);
            p.cause = Some(format!("{status} from a layer (no handler error)"));
            p
        }
    };
    let json = serde_json::to_vec(&problem.body(id)).unwrap_or_default();
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    parts.headers.remove(header::CONTENT_LENGTH);
    (Response::from_parts(parts, Body::from(json)), problem.cause)
}

/// Wraps `router` in the edge layer ([`EdgeLayer`]) for `config`, counting
/// answers into `metrics` when given. The handler timeout and the request
/// body limit are not here: [`timeout`] and [`body_limit`] wrap every route
/// but the status lookup, which reads no body and whose inline read a timer
/// could not interrupt (see `routes::router`).
pub fn stack(router: Router, config: &AppConfig, metrics: Option<Arc<Metrics>>) -> Router {
    router.layer(EdgeLayer::new(config).with_metrics(metrics))
}

/// The request body limit (a 413 problem beyond `limit` bytes).
pub fn body_limit(limit: usize) -> RequestBodyLimitLayer {
    RequestBodyLimitLayer::new(limit)
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
                "/api/v1/citizens/%20079090012345",
                "/api/v1/citizens/ 079*******45",
            ),
            ("/tra-cuu?ma=079090012345", "/tra-cuu?ma=079*******45"),
            (
                "/api/v1/status/0790261121482137",
                "/api/v1/status/079***********37",
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
        let (a, b) = (new_request_id(), new_request_id());
        assert_ne!(a, b);
        for v in [a, b] {
            let t = v.to_str().expect("ascii");
            assert_eq!(t.len(), 24);
            assert!(t.bytes().all(|c| c.is_ascii_hexdigit()));
        }
    }

    #[test]
    fn incoming_request_ids_are_kept_only_when_usable() {
        let with = |v: &str| {
            let mut req = Request::new(Body::empty());
            req.headers_mut()
                .insert(&X_REQUEST_ID, HeaderValue::from_str(v).expect("header"));
            request_id_of(&req)
        };
        assert_eq!(with("abc-123"), "abc-123");
        // Empty, spaces, or too long for a log line: replaced by a new id.
        for bad in ["", "a b", &"x".repeat(MAX_INCOMING_ID + 1)] {
            let id = with(bad);
            assert_ne!(id, bad);
            assert_eq!(id.len(), 24, "{bad:?}");
        }
        assert_eq!(request_id_of(&Request::new(Body::empty())).len(), 24);
    }
}
