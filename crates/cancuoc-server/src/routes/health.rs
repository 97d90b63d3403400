//! Probes (kiểm tra tình trạng): liveness and readiness.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::{OPS, PROBLEM};
use crate::app::App;
use crate::error::{ApiError, ProblemBody};
use crate::extract::Json;

/// A probe's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
}

/// The process is up (tiến trình đang chạy).
#[utoipa::path(get, path = "/healthz", tag = OPS,
    responses((status = 200, description = "The process is up", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The database answers (cơ sở dữ liệu sẵn sàng); 503 when it does not.
#[utoipa::path(get, path = "/readyz", tag = OPS,
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database is unreachable", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn readyz(State(app): State<App>) -> Result<Json<Health>, ApiError> {
    app.service().ready().await.map_err(ApiError::NotReady)?;
    Ok(Json(Health { status: "ok" }))
}
