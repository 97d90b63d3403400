//! Error pages of the web area (trang báo lỗi): an HTML page with the
//! status, a Vietnamese and an English message (the page's language first)
//! and a way back, instead of the API's problem documents.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use cancuoc_core::i18n::Localized;

use super::ui::Ui;
use crate::error::ApiError;

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
}

impl PageError {
    /// An error page with its messages.
    pub(crate) fn new(
        ui: &Ui,
        status: StatusCode,
        message_vi: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        Self {
            ui: ui.clone(),
            status,
            message_vi: message_vi.into(),
            message_en: message_en.into(),
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

    /// Any error the API layer knows (service, store, parse errors), with
    /// the status the API would answer.
    pub(crate) fn api(ui: &Ui, e: impl Into<ApiError>) -> Self {
        let e = e.into();
        if e.status().is_server_error() {
            tracing::error!(code = e.code(), "web page failed");
        }
        Self::localized(ui, e.status(), &e)
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
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (
                self.status,
                format!("{} / {}", self.message_vi, self.message_en),
            )
                .into_response(),
        }
    }
}

/// The fallback of every unknown path outside `/api`: a 404 page.
pub(crate) async fn not_found(ui: Ui) -> PageError {
    PageError::not_found(&ui)
}
