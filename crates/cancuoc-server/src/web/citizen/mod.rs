//! The citizens' portal pages (trang công dân): office directory
//! (`/co-quan`), procedures, fees and deadlines from the rules engine
//! (`/thu-tuc`), dossier status with a captcha (`/tra-cuu`) and the personal
//! ID decoder (`/so-dinh-danh`).

use axum::Router;

use crate::app::{App, AppConfig};

/// Per-process state of the citizens' pages.
#[derive(Debug, Default)]
pub(crate) struct CitizenState {}

impl CitizenState {
    /// Fresh state.
    pub(crate) fn new(_config: &AppConfig) -> Self {
        Self::default()
    }
}

/// The citizens' pages.
pub(crate) fn router() -> Router<App> {
    Router::new()
}
