//! Officer sessions of the console (phiên làm việc): the [`Session`]
//! extractor, the session cookie and the CSRF checks (chống giả mạo yêu
//! cầu).
//!
//! - The cookie `cancuoc_can_bo` holds a random 256-bit session id,
//!   `HttpOnly; SameSite=Strict; Path=/can-bo`; the store keeps only its
//!   SHA-256 with the officer, a CSRF token and the created / last-seen
//!   instants (epoch seconds from the app's clock). The server speaks
//!   plain HTTP (TLS is the reverse proxy's); a deployment behind HTTPS
//!   sets `behind_tls`, and the pages' security layer then adds `Secure`
//!   to this and every other cookie ([`crate::security`]).
//! - A session ends after [`ConsoleState`](super::ConsoleState)'s idle
//!   timeout or absolute lifetime, at logout, when the officer gets a new
//!   password or is deactivated.
//! - Every POST carries the session's CSRF token in a hidden `csrf` field,
//!   compared in constant time; a request whose `Origin` (or, without it,
//!   `Referer`) names another host is refused too.
//! - An anonymous request to a console page is redirected (303) to
//!   `/can-bo/dang-nhap?next=<path>`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cancuoc_service::model::{Officer, Token};
use subtle::ConstantTimeEq;

use crate::Web;
use crate::error::PageError;
use crate::ui::Ui;

/// Name of the session cookie.
pub(crate) const SESSION_COOKIE: &str = "cancuoc_can_bo";

/// The path every console page lives under (and the cookie's `Path`).
pub(crate) const CONSOLE_PATH: &str = "/can-bo";

/// The login page.
pub(crate) const LOGIN_PATH: &str = "/can-bo/dang-nhap";

/// A logged-in officer, extracted from the session cookie. Handlers of
/// console pages take it as an argument; templates read `session.officer`
/// and put `session.csrf` in every form as the hidden field `csrf`.
#[derive(Clone)]
pub(crate) struct Session {
    /// The officer (active).
    pub officer: Officer,
    /// The session's CSRF token, for the hidden `csrf` field of forms.
    pub csrf: String,
    /// The name of the officer's office (from the cached office tree; the
    /// office number when the tree does not know it), for the console's
    /// header.
    pub office_name: String,
    /// The page's language context.
    pub ui: Ui,
    /// The session id as the cookie presented it (for logout).
    pub(super) id: String,
    /// Whether the request's `Origin`/`Referer`, when present, is this host.
    same_origin: bool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("officer", &self.officer.id)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// What the officer's role may open: the console links only to those
    /// pages (`Service`'s one answer, [`cancuoc_service::ConsoleAreas`]).
    pub(crate) fn areas(&self) -> cancuoc_service::ConsoleAreas {
        cancuoc_service::ConsoleAreas::of(self.officer.role)
    }

    /// Refuses (403 page) a form whose `csrf` field is not this session's
    /// token, or a request sent from another site.
    pub(crate) fn check_csrf(&self, form_csrf: &str) -> Result<(), PageError> {
        if !self.same_origin {
            tracing::warn!(
                officer = self.officer.id.0,
                "console POST from another origin refused"
            );
            return Err(cross_site(&self.ui));
        }
        let ok =
            !form_csrf.is_empty() && bool::from(form_csrf.as_bytes().ct_eq(self.csrf.as_bytes()));
        if ok {
            Ok(())
        } else {
            tracing::warn!(
                officer = self.officer.id.0,
                "console POST with a wrong CSRF token refused"
            );
            Err(PageError::new(
                &self.ui,
                StatusCode::FORBIDDEN,
                "Biểu mẫu không hợp lệ hoặc đã cũ (sai mã chống giả mạo). Hãy tải lại trang rồi gửi lại.",
                "The form is invalid or out of date (wrong anti-forgery token). Reload the page and send it again.",
            ))
        }
    }
}

/// The refusal of a request sent from another site.
pub(crate) fn cross_site(ui: &Ui) -> PageError {
    PageError::new(
        ui,
        StatusCode::FORBIDDEN,
        "Yêu cầu gửi từ trang web khác bị từ chối.",
        "A request sent from another website was refused.",
    )
}

/// The value of cookie `name` in the request, if any.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// `host[:port]` of an absolute URL (`scheme://authority/...`).
fn authority_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Whether a request's `Origin`, or without it its `Referer`, names the
/// host it was sent to. Without either header (or without a host to
/// compare with) there is nothing to contradict the CSRF token, which
/// remains the check.
pub(crate) fn same_origin(parts: &Parts) -> bool {
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| parts.uri.authority().map(|a| a.as_str()));
    origin_is(&parts.headers, host)
}

/// [`same_origin`] for a handler that has only the headers (the `Host`
/// header names the site).
pub(crate) fn same_origin_headers(headers: &HeaderMap) -> bool {
    origin_is(
        headers,
        headers.get(header::HOST).and_then(|h| h.to_str().ok()),
    )
}

/// Whether the `Origin` (else `Referer`) of a request names `host`; a
/// request that names neither, or no host to compare with, passes (a
/// browser always sends `Origin` on a cross-site POST).
fn origin_is(headers: &HeaderMap, host: Option<&str>) -> bool {
    let Some(host) = host else {
        return true;
    };
    let claimed = |name: header::HeaderName| {
        headers
            .get(name)
            .map(|v| v.to_str().ok().and_then(authority_of))
    };
    match claimed(header::ORIGIN).or_else(|| claimed(header::REFERER)) {
        None => true,
        Some(None) => false, // "null" or unreadable: an opaque origin
        Some(Some(a)) => a.eq_ignore_ascii_case(host),
    }
}

/// `Set-Cookie` for a new session.
pub(crate) fn session_cookie(id: &Token) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={}; Path={CONSOLE_PATH}; HttpOnly; SameSite=Strict",
        id.expose()
    ))
    .ok()
}

/// `Set-Cookie` that removes the session cookie.
pub(crate) fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("cancuoc_can_bo=; Path=/can-bo; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// Whether `next` is a console path we may send the officer to after
/// login: a path of this site ([`crate::redirect::same_site_path`]) inside
/// the console.
pub(crate) fn safe_next(next: &str) -> bool {
    crate::redirect::same_site_path(next).is_some()
        && (next == CONSOLE_PATH || next.starts_with("/can-bo/") || next.starts_with("/can-bo?"))
        && !next.contains("//")
        && !next.contains('\\')
        && !next.starts_with(LOGIN_PATH)
}

/// The 303 to the login page, coming back to this page afterwards;
/// `expired` when a session cookie was sent but is no longer valid (the
/// login page says so, and the cookie is removed).
fn to_login(parts: &Parts, expired: bool) -> Response {
    let here = match (parts.method == Method::GET, parts.uri.path_and_query()) {
        (true, Some(pq)) if safe_next(pq.as_str()) => pq.as_str().to_owned(),
        _ => CONSOLE_PATH.to_owned(),
    };
    let next: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
    let mut location = format!("{LOGIN_PATH}?next={next}");
    if expired {
        location.push_str("&het_han=1");
    }
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    if expired {
        res.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    }
    res
}

impl FromRequestParts<Web> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Web) -> Result<Self, Self::Rejection> {
        let ui = match Ui::from_request_parts(parts, app).await {
            Ok(ui) => ui,
            Err(never) => match never {},
        };
        let Some(presented) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login(parts, false));
        };
        let id = presented.to_owned();
        match app.service().console_session(presented).await {
            Ok(Some(s)) => Ok(Session {
                office_name: app.service().offices().name_of(s.officer.office),
                officer: s.officer,
                csrf: s.csrf,
                same_origin: same_origin(parts),
                ui,
                id,
            }),
            Ok(None) => Err(to_login(parts, true)),
            Err(e) => Err(PageError::service(&ui, e).into_response()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut b = Request::builder().method("POST").uri("/can-bo/dang-xuat");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).expect("request").into_parts().0
    }

    #[test]
    fn origin_and_referer_must_name_this_host() {
        let host = ("host", "can-bo.example:8080");
        assert!(same_origin(&parts(&[host])));
        assert!(same_origin(&parts(&[
            host,
            ("origin", "http://can-bo.example:8080")
        ])));
        assert!(same_origin(&parts(&[
            host,
            ("origin", "https://CAN-BO.example:8080")
        ])));
        assert!(!same_origin(&parts(&[
            host,
            ("origin", "http://evil.example")
        ])));
        assert!(!same_origin(&parts(&[host, ("origin", "null")])));
        assert!(same_origin(&parts(&[
            host,
            ("referer", "http://can-bo.example:8080/can-bo/tiep-nhan?x=1")
        ])));
        assert!(!same_origin(&parts(&[
            host,
            ("referer", "http://can-bo.example.evil:8080/")
        ])));
        // Origin wins over Referer.
        assert!(!same_origin(&parts(&[
            host,
            ("origin", "http://evil.example"),
            ("referer", "http://can-bo.example:8080/can-bo"),
        ])));
    }

    #[test]
    fn next_stays_inside_the_console() {
        for ok in ["/can-bo", "/can-bo/tiep-nhan", "/can-bo/ho-so/1?x=2"] {
            assert!(safe_next(ok), "{ok}");
        }
        for bad in [
            "/",
            "//evil.example",
            "/can-bo//evil.example",
            "https://evil.example/can-bo",
            "/can-bo\\x",
            "/can-boX",
            "/can-bo/dang-nhap?next=/can-bo",
            "/can-bo/\t/evil.example",
            "/can-bo/%2F/evil.example",
        ] {
            assert!(!safe_next(bad), "{bad}");
        }
    }

    #[test]
    fn cookies_are_read_by_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("lang=en; xcancuoc_can_bo=no; cancuoc_can_bo=abc"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "missing"), None);
    }
}
