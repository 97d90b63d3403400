//! The web pages (giao diện web): the citizens' portal (cổng thông tin
//! công dân) and the officers' console (bảng điều khiển cán bộ), rendered on
//! the server from askama templates (`templates/`), with no external CDN,
//! font or script. Every page works without JavaScript, is Vietnamese by
//! default and carries a switch to English (see [`ui`]).
//!
//! | Path | Area |
//! |---|---|
//! | `/`, `/lang/{vi,en}`, `/static/*` | [`home`], [`ui`], [`assets`] |
//! | `/co-quan`, `/thu-tuc`, `/tra-cuu`, `/so-dinh-danh` | [`citizen`]: offices, procedures and fees, dossier status, ID decoder |
//! | `/dat-lich`, `/to-khai` | [`booking`]: appointments and the online declaration |
//! | `/can-bo/*` | [`console`]: officers' console |
//!
//! Errors on these paths are HTML pages ([`error::PageError`]), not
//! problem documents; `/api/*` keeps RFC 9457.

pub(crate) mod assets;
pub(crate) mod booking;
pub(crate) mod citizen;
pub(crate) mod console;
pub(crate) mod error;
pub(crate) mod home;
pub(crate) mod ui;

use axum::Router;

use crate::app::{App, AppConfig};

/// The per-process state of the web areas, one part per area so that each
/// evolves on its own.
#[derive(Debug)]
pub(crate) struct WebState {
    /// Citizens' portal (captcha challenges, rate limits).
    pub citizen: citizen::CitizenState,
    /// Officers' console (sessions).
    pub console: console::ConsoleState,
}

impl WebState {
    /// Fresh state for a starting process.
    pub(crate) fn new(config: &AppConfig) -> Self {
        Self {
            citizen: citizen::CitizenState::new(config),
            console: console::ConsoleState::new(config),
        }
    }
}

/// The web areas' test-only routes, merged by the caller only when
/// `AppConfig::test_hooks` is on.
pub(crate) fn test_hooks() -> Router<App> {
    citizen::test_hooks()
}

/// Every web page route.
pub(crate) fn router() -> Router<App> {
    Router::new()
        .merge(home::router())
        .merge(ui::router())
        .merge(assets::router())
        .merge(citizen::router())
        .merge(booking::router())
        .merge(console::router())
}
