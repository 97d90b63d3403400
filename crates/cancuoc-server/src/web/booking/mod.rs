//! Appointments (đặt lịch hẹn, `/dat-lich`) and the online declaration (tờ
//! khai, `/to-khai`).

use axum::Router;

use crate::app::{App, AppConfig};

/// Per-process state of the booking pages.
#[derive(Debug, Default)]
pub(crate) struct BookingState {}

impl BookingState {
    /// Fresh state.
    pub(crate) fn new(_config: &AppConfig) -> Self {
        Self::default()
    }
}

/// The booking and declaration pages.
pub(crate) fn router() -> Router<App> {
    Router::new()
}
