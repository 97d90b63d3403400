//! `GET /metrics` (số liệu giám sát): the operators' metrics in the
//! Prometheus text format, for the clients of `AppConfig::metrics_networks`
//! only; any other client gets a 404 problem, `request.no_route`, as for
//! a path that does not exist (what and why: [`crate::metrics`]).

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cancuoc_web::client::ClientIp;

use super::{OPS, PROBLEM};
use crate::app::App;
use crate::error::{ApiError, ProblemBody};
use crate::metrics::{CONTENT_TYPE, peer_of};

/// The operators' metrics (số liệu giám sát), Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = OPS,
    responses(
        (status = 200, description = "The metrics in the Prometheus text format 0.0.4: requests by route template and status, latency histograms, database pool use, status cache hits and misses, replica lag, outbox, inbox and open dossiers, logins by outcome", body = String, content_type = "text/plain"),
        (status = 404, description = "Not served to this client (outside `metrics_networks`, or through a proxy that is not trusted), or metrics are off (`request.no_route`)", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn metrics(State(app): State<App>, req: Request) -> Response {
    let not_found = || ApiError::Status(StatusCode::NOT_FOUND).into_response();
    let Some(m) = app.metrics() else {
        return not_found();
    };
    let peer = peer_of(req.extensions());
    let client = req.extensions().get::<ClientIp>().map(|c| c.0);
    if !m.allows(peer, client, req.headers()) {
        return not_found();
    }
    let figures = app.service().figures().await;
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], m.render(&figures)).into_response()
}
