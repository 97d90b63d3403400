//! Error pages of the web area (trang báo lỗi): an HTML page with the
//! status, a Vietnamese and an English message (the page's language first)
//! and a way back, instead of the API's problem documents.
//!
//! A service error becomes a page by its class
//! ([`cancuoc_service::ErrorClass`]), never by its code. A server error
//! (5xx) page is generic: it says the service failed or is unavailable and
//! gives the request id to quote, never the cause. The cause travels in the
//! response's [`ServerErrorPage`] extension to the server's edge layer,
//! which logs it once with the request id and writes the page again with
//! that id ([`server_error_page`]).
//!
//! An error on a console page (`/can-bo…`) is drawn in the console's frame
//! and words ([`PageError::is_console`]): the officers' brand and style, a
//! heading by status ("not allowed", "request not valid") and the way back
//! to the console home, never the portal's home.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use cancuoc_core::i18n::{Lang, Localized};
use cancuoc_service::{ErrorClass, ServiceError};

use super::ui::Ui;

/// An error shown as a page.
#[derive(Debug, Template)]
#[template(path = "error.html")]
pub(crate) struct PageError {
    /// The frame's context.
    pub ui: Ui,
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, in Vietnamese.
    pub message_vi: String,
    /// What went wrong, in English.
    pub message_en: String,
    /// A server error's cause and request id (boxed: most pages are not
    /// server errors, and a page error travels in every `Result`).
    pub server: Option<Box<ServerDetail>>,
    /// Seconds to wait before trying again (`Retry-After`), for a client
    /// that asked too often.
    pub retry_after: Option<u64>,
}

/// What a server error page carries besides its generic texts.
#[derive(Debug, Default)]
pub(crate) struct ServerDetail {
    /// Why it happened, for the log only (never rendered).
    cause: String,
    /// The request id to quote, once the edge knows it.
    request_id: Option<String>,
}

/// The HTTP status of a service error's class on a page.
pub(crate) fn status_of(class: ErrorClass) -> StatusCode {
    match class {
        ErrorClass::NotFound => StatusCode::NOT_FOUND,
        ErrorClass::Conflict => StatusCode::CONFLICT,
        ErrorClass::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorClass::Forbidden => StatusCode::FORBIDDEN,
        ErrorClass::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorClass::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorClass::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorClass::Limited => StatusCode::TOO_MANY_REQUESTS,
    }
}

/// The generic texts of a server error page, by status.
fn generic(status: StatusCode) -> (&'static str, &'static str) {
    if status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::GATEWAY_TIMEOUT {
        (
            "Dịch vụ tạm thời không sẵn sàng; hãy thử lại sau ít phút.",
            "The service is temporarily unavailable; please try again in a few minutes.",
        )
    } else {
        (
            "Hệ thống gặp lỗi khi xử lý yêu cầu này; hãy thử lại sau.",
            "The system failed while handling this request; please try again later.",
        )
    }
}

impl PageError {
    /// An error page with its messages. A server error status keeps the
    /// messages as its logged cause and shows the generic texts.
    pub(crate) fn new(
        ui: &Ui,
        status: StatusCode,
        message_vi: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        let (vi, en) = (message_vi.into(), message_en.into());
        if status.is_server_error() {
            return Self::server(ui, status, en);
        }
        Self {
            ui: ui.clone(),
            status,
            message_vi: vi,
            message_en: en,
            server: None,
            retry_after: None,
        }
    }

    /// A server error page: generic texts, `cause` kept for the log.
    pub(crate) fn server(ui: &Ui, status: StatusCode, cause: impl Into<String>) -> Self {
        let (vi, en) = generic(status);
        Self {
            ui: ui.clone(),
            status,
            message_vi: vi.to_owned(),
            message_en: en.to_owned(),
            server: Some(Box::new(ServerDetail {
                cause: cause.into(),
                request_id: None,
            })),
            retry_after: None,
        }
    }

    /// "No such page".
    pub(crate) fn not_found(ui: &Ui) -> Self {
        Self::new(
            ui,
            StatusCode::NOT_FOUND,
            "Không tìm thấy trang này.",
            "This page does not exist.",
        )
    }

    /// A localized error with its status.
    pub(crate) fn localized(ui: &Ui, status: StatusCode, e: &(impl Localized + ?Sized)) -> Self {
        Self::new(ui, status, e.message_vi(), e.message_en())
    }

    /// A use case's failure, with the status of its class; a server error
    /// keeps its cause chain for the log only.
    pub(crate) fn service(ui: &Ui, e: impl Into<ServiceError>) -> Self {
        let e = e.into();
        let status = status_of(e.class());
        if status.is_server_error() {
            Self::server(ui, status, e.chain())
        } else {
            Self {
                retry_after: e.retry_after(),
                ..Self::localized(ui, status, &e)
            }
        }
    }

    /// The request id to quote on a server error page.
    pub(crate) fn request_id(&self) -> Option<&str> {
        self.server.as_ref()?.request_id.as_deref()
    }

    /// Whether the page answers a console request (`/can-bo…`): drawn in
    /// the console's frame and words.
    pub(crate) fn is_console(&self) -> bool {
        self.ui.here == "/can-bo"
            || self.ui.here.starts_with("/can-bo/")
            || self.ui.here.starts_with("/can-bo?")
    }

    /// The heading of a console error page, by status.
    pub(crate) fn console_heading(&self) -> &'static str {
        match self.status {
            StatusCode::FORBIDDEN => self.ui.t("Không được phép thực hiện", "Not allowed"),
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => self
                .ui
                .t("Yêu cầu không hợp lệ", "The request is not valid"),
            StatusCode::NOT_FOUND => self.ui.t("Không tìm thấy", "Not found"),
            StatusCode::CONFLICT => self.ui.t("Không thực hiện được", "Could not be done"),
            _ => self.ui.t("Có lỗi", "Something went wrong"),
        }
    }

    /// The status's reason phrase (for the page title).
    pub(crate) fn reason(&self) -> &'static str {
        self.status.canonical_reason().unwrap_or("Error")
    }

    /// The message in the page's language.
    pub(crate) fn message(&self) -> &str {
        if self.ui.is_en() {
            &self.message_en
        } else {
            &self.message_vi
        }
    }

    /// The message in the other language.
    pub(crate) fn message_other(&self) -> &str {
        if self.ui.is_en() {
            &self.message_vi
        } else {
            &self.message_en
        }
    }

    /// The page as HTML, or its two messages as plain text should the
    /// template fail.
    fn html(&self) -> String {
        self.render()
            .unwrap_or_else(|_| format!("{} / {}", self.message_vi, self.message_en))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut res = (self.status, Html(self.html())).into_response();
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status.is_server_error() {
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res.extensions_mut().insert(ServerErrorPage {
                lang: self.ui.lang,
                status: self.status,
                cause: self.server.map(|d| d.cause).unwrap_or_default(),
            });
        }
        res
    }
}

/// What a server error page leaves for the edge layer: the language to
/// write the page in again with the request id, and the cause to log.
#[derive(Clone, Debug)]
pub struct ServerErrorPage {
    /// The page's language.
    pub lang: Lang,
    /// The status.
    pub status: StatusCode,
    /// Why it failed (the error and its sources), for the log only.
    pub cause: String,
}

/// The generic server error page of `page` naming `request_id`.
pub fn server_error_page(page: &ServerErrorPage, request_id: &str) -> String {
    let ui = Ui::new(page.lang, "/");
    let mut e = PageError::server(&ui, page.status, "");
    if let Some(d) = e.server.as_mut() {
        d.request_id = Some(request_id.to_owned());
    }
    e.html()
}
