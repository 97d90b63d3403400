//! Static files of the web pages (tài nguyên tĩnh), compiled into the
//! binary: one stylesheet for the frame and one per area, and a small
//! script that only enhances pages that already work without it.
//! Everything is served from this origin: no CDN, no web font.

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::Web;

/// `(name, media type, bytes)` of every static file.
const FILES: &[(&str, &str, &str)] = &[
    (
        "site.css",
        "text/css; charset=utf-8",
        include_str!("../static/site.css"),
    ),
    (
        "citizen.css",
        "text/css; charset=utf-8",
        include_str!("../static/citizen.css"),
    ),
    (
        "booking.css",
        "text/css; charset=utf-8",
        include_str!("../static/booking.css"),
    ),
    (
        "console.css",
        "text/css; charset=utf-8",
        include_str!("../static/console.css"),
    ),
    (
        "site.js",
        "text/javascript; charset=utf-8",
        include_str!("../static/site.js"),
    ),
];

async fn file(ui: crate::ui::Ui, Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, mime, body)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *body,
        )
            .into_response(),
        None => crate::error::PageError::not_found(&ui).into_response(),
    }
}

/// The static file route.
pub(crate) fn router() -> Router<Web> {
    Router::new().route("/static/{name}", get(file))
}
