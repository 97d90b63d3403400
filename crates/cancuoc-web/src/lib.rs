//! `cancuoc-web` holds the web pages of cancuoc (giao diện web): the
//! citizens' portal (cổng thông tin công dân) and the officers' console
//! (bảng điều khiển cán bộ), rendered on the server from askama templates
//! (`templates/`), with no external CDN, font or script. Every page works without JavaScript, is Vietnamese by
//! default and carries a switch to English (see `ui`).
//!
//! | Path | Area |
//! |---|---|
//! | `/`, `/lang/{vi,en}`, `/static/*` | `home`, `ui` (with `redirect`: where a `next` may lead), `assets` |
//! | `/co-quan`, `/thu-tuc`, `/tra-cuu`, `/so-dinh-danh`, `/xac-minh` | `citizen`: offices, procedures and fees, dossier status, ID decoder, the check of a signed QR |
//! | `/dat-lich`, `/to-khai` | `booking`: appointments and the online declaration |
//! | `/tai-khoan/*` | `account`: citizens' electronic identity accounts (register, log in with an SMS code, identification data, wallet, sessions, password, lock) |
//! | `/can-bo/*` | `console`: officers' console |
//!
//! Every answer carries the security headers of [`security`] (a content
//! security policy without inline script or style, `no-store`).
//!
//! Errors on these paths are HTML pages (`error::PageError`), not
//! problem documents; `/api/*` keeps RFC 9457.
//!
//! Every page reaches data through [`cancuoc_service::Service`] only; the
//! pages parse their forms, call one use case and render its answer. The
//! crate's state is [`Web`]: the service and the pages' own per-process
//! state (rate limits, the login throttle's settings, captcha answers for
//! tests). `cancuoc-server` mounts [`router`] beside the REST routes,
//! under its edge layer (request ids, the generic 5xx page).
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub(crate) mod account;
pub(crate) mod assets;
pub(crate) mod booking;
pub(crate) mod citizen;
pub mod client;
pub(crate) mod console;
pub(crate) mod error;
pub(crate) mod home;
pub(crate) mod redirect;
pub mod seal;
pub mod security;
pub(crate) mod summary;
pub(crate) mod ui;

use std::sync::Arc;

use axum::Router;
use cancuoc_service::Service;

pub use error::{ServerErrorPage, server_error_page};
pub use seal::SealKeys;

/// Settings of the web pages.
#[derive(Clone, Debug, Default)]
pub struct WebConfig {
    /// Test hooks (`GET /__test/captcha/{id}` reads a captcha's answer):
    /// off unless a test turns them on (`cancuoc serve --test-hooks` for
    /// the browser tests). Never enable in production.
    pub test_hooks: bool,
    /// Served over HTTPS (directly or by a TLS-terminating proxy): cookies
    /// get `Secure`, answers `Strict-Transport-Security`.
    pub behind_tls: bool,
    /// The portal's address as citizens reach it (`https://host`), printed
    /// on appointment slips and in their QR code; `None`: the scheme and
    /// `Host` the officer's browser used.
    pub public_url: Option<String>,
    /// The signed-QR keys ([`seal::SealKeys`]): what the office signs with
    /// and what the verification page (`/xac-minh`) trusts; `None`: no
    /// seal is made and every seal shows as not verified.
    pub seal: Option<Arc<seal::SealKeys>>,
}

/// The state of the web pages: the service and the portal's per-process
/// state (rate limits, captcha answers for tests). Cheap to clone (one
/// `Arc`).
#[derive(Clone, Debug)]
pub struct Web {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    service: Arc<Service>,
    config: WebConfig,
    citizen: citizen::CitizenState,
    headers: security::Headers,
    csp_reports: security::Reports,
}

impl Web {
    /// The pages over `service`.
    pub fn new(service: Arc<Service>, config: WebConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                citizen: citizen::CitizenState::new(&config),
                headers: security::Headers::new(&config),
                csp_reports: security::Reports::default(),
                service,
                config,
            }),
        }
    }

    /// The use cases.
    pub(crate) fn service(&self) -> &Service {
        &self.inner.service
    }

    /// The settings.
    pub(crate) fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    /// Citizens' portal state (captcha answers for tests, rate limits).
    pub(crate) fn citizen(&self) -> &citizen::CitizenState {
        &self.inner.citizen
    }

    /// The pages' security headers.
    pub(crate) fn headers(&self) -> &security::Headers {
        &self.inner.headers
    }

    /// The policy violations the browser reported (test hooks only).
    pub(crate) fn csp_reports(&self) -> &security::Reports {
        &self.inner.csp_reports
    }
}

/// Every web page route, with `web` as its state, each answer with the
/// pages' security headers ([`security`]); with [`WebConfig::test_hooks`]
/// the test-only routes too.
pub fn router(web: Web) -> Router {
    let mut r = Router::new()
        .merge(home::router())
        .merge(ui::router())
        .merge(assets::router())
        .merge(citizen::router())
        .merge(booking::router())
        .merge(account::router())
        .merge(console::router());
    if web.config().test_hooks {
        r = r.merge(citizen::test_hooks()).merge(security::test_hooks());
    }
    security::layer(r, &web).with_state(web)
}

/// The answer for an unknown path outside `/api`: a 404 page in the
/// language the request asks for (its `?lang=` or `lang` cookie), with the
/// pages' security headers.
pub fn not_found(parts: &axum::http::request::Parts) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut res = error::PageError::not_found(&ui::Ui::of(parts)).into_response();
    security::apply_default(res.headers_mut());
    res
}
