//! The officers' console (bảng điều khiển cán bộ, `/can-bo`): login and
//! sessions, reception desk, capture checklist, print views, work queues
//! and the overdue dashboard.

use axum::Router;

use crate::app::{App, AppConfig};

/// Per-process state of the console.
#[derive(Debug, Default)]
pub(crate) struct ConsoleState {}

impl ConsoleState {
    /// Fresh state.
    pub(crate) fn new(_config: &AppConfig) -> Self {
        Self::default()
    }
}

/// The console pages.
pub(crate) fn router() -> Router<App> {
    Router::new()
}
