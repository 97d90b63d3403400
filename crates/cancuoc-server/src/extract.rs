//! Extractors whose rejections are [`ApiError`]s, so a malformed body,
//! query or path is answered with a problem document like every other
//! error, and the bearer-token officer extractor ([`Auth`]).

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use cancuoc_service::ErrorClass;
use cancuoc_service::model::Officer;

use crate::app::App;
use crate::error::{ApiError, AuthFailure};

/// `axum::Json` with problem+json rejections.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query` with problem+json rejections.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path` with problem+json rejections.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// The officer behind the request's bearer token (cán bộ đã xác thực):
/// `Authorization: Bearer <token>`, looked up hashed in the store; missing,
/// malformed, unknown or deactivated → 401.
#[derive(Debug, Clone)]
pub struct Auth(pub Officer);

impl FromRequestParts<App> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or(ApiError::Unauthorized(AuthFailure::Missing))?;
        let text = value
            .to_str()
            .map_err(|_| ApiError::Unauthorized(AuthFailure::Malformed))?;
        let token = text
            .strip_prefix("Bearer ")
            .or_else(|| text.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthorized(AuthFailure::Malformed))?;
        match app.service().authenticate(token).await {
            Ok(officer) => Ok(Auth(officer)),
            Err(e) if e.class() == ErrorClass::NotFound => {
                Err(ApiError::Unauthorized(AuthFailure::Invalid))
            }
            Err(e) => Err(e.into()),
        }
    }
}
