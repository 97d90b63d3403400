//! The citizen's session on the portal (phiên đăng nhập tài khoản): the
//! [`AccountSession`] extractor, its cookie and the CSRF check of every
//! logged-in form.
//!
//! - The cookie `cancuoc_tai_khoan` holds the session id the service made
//!   at login (random, stored only as a hash): `HttpOnly; SameSite=Lax;
//!   Path=/tai-khoan`. Lax rather than the console's Strict: a citizen
//!   following a link to the portal from an SMS or another site arrives
//!   logged in, while no cross-site form post carries the cookie. `Secure`
//!   follows the console's rule: added to every cookie by the pages'
//!   security layer when the site is served over TLS
//!   (`WebConfig::behind_tls`).
//! - Every login makes a new id and closes the one the browser presented
//!   (no fixation); logout, a password change or reset, a lock, the idle
//!   timeout (15 minutes) and the absolute lifetime (12 hours) end it.
//! - Every POST of a logged-in page carries the session's CSRF token in a
//!   hidden `csrf` field, compared in constant time; a request whose
//!   `Origin` (or `Referer`) names another host is refused too (the
//!   console's rule, [`crate::console::session::same_origin`]).
//! - A request without a live session goes to the login page (303), with
//!   a notice when the cookie it sent has ended, and the cookie removed.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cancuoc_service::model::{LiveAccountSession, SessionKind};
use subtle::ConstantTimeEq;

use crate::Web;
use crate::console::session::{cookie, cross_site, same_origin};
use crate::error::PageError;
use crate::ui::Ui;

/// Name of the session cookie.
pub(crate) const COOKIE: &str = "cancuoc_tai_khoan";

/// The path every account page lives under (and the cookie's `Path`).
pub(crate) const PATH: &str = "/tai-khoan";

/// The login page.
pub(crate) const LOGIN: &str = "/tai-khoan/dang-nhap";

/// A logged-in citizen, from the session cookie.
#[derive(Clone)]
pub(crate) struct AccountSession {
    /// The session as the service knows it (owner, CSRF token, handle).
    pub live: LiveAccountSession,
    /// The page's language context.
    pub ui: Ui,
    /// The session id as the cookie presented it (for logout).
    pub id: String,
    /// Whether the request's `Origin`/`Referer`, when present, is this host.
    same_origin: bool,
}

impl std::fmt::Debug for AccountSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountSession")
            .field("citizen", &self.live.citizen)
            .finish_non_exhaustive()
    }
}

impl AccountSession {
    /// The CSRF token for the hidden `csrf` field of every form.
    pub(crate) fn csrf(&self) -> &str {
        &self.live.csrf
    }

    /// Refuses (403 page) a form whose `csrf` field is not this session's
    /// token, or one sent from another site.
    pub(crate) fn check_csrf(&self, form_csrf: &str) -> Result<(), PageError> {
        if !self.same_origin {
            tracing::warn!(
                citizen = self.live.citizen.0,
                "account POST from another origin refused"
            );
            return Err(cross_site(&self.ui));
        }
        let ok = !form_csrf.is_empty()
            && bool::from(form_csrf.as_bytes().ct_eq(self.live.csrf.as_bytes()));
        if ok {
            Ok(())
        } else {
            tracing::warn!(
                citizen = self.live.citizen.0,
                "account POST with a wrong CSRF token refused"
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

/// `Set-Cookie` for a new session.
pub(crate) fn session_cookie(id: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{COOKIE}={id}; Path={PATH}; HttpOnly; SameSite=Lax"
    ))
    .ok()
}

/// `Set-Cookie` that removes the session cookie.
pub(crate) fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "cancuoc_tai_khoan=; Path=/tai-khoan; HttpOnly; SameSite=Lax; Max-Age=0",
    )
}

/// A 303 to the login page with `notice` (`het_han`: the session ended;
/// `da_thoat`: logged out; `doi_mat_khau`: the password changed), the
/// cookie removed.
pub(crate) fn to_login(notice: Option<&str>, lang_en: bool) -> Response {
    let mut q = Vec::new();
    if let Some(n) = notice {
        q.push(format!("{n}=1"));
    }
    if lang_en {
        q.push("lang=en".to_owned());
    }
    let location = if q.is_empty() {
        LOGIN.to_owned()
    } else {
        format!("{LOGIN}?{}", q.join("&"))
    };
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    if notice.is_some() {
        res.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    }
    res
}

impl FromRequestParts<Web> for AccountSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Web) -> Result<Self, Self::Rejection> {
        let ui = Ui::of(parts);
        let Some(presented) = cookie(&parts.headers, COOKIE) else {
            return Err(to_login(None, ui.is_en()));
        };
        let id = presented.to_owned();
        match app.service().account_session(presented).await {
            // Only a portal session rides a cookie; an API token does not.
            Ok(Some(live)) if live.kind == SessionKind::Web => Ok(AccountSession {
                live,
                same_origin: same_origin(parts),
                ui,
                id,
            }),
            Ok(_) => Err(to_login(Some("het_han"), ui.is_en())),
            Err(e) => Err(PageError::service(&ui, e).into_response()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_lax_and_scoped_to_the_account_pages() {
        let c = session_cookie("abc").expect("ascii");
        assert_eq!(
            c.to_str().expect("ascii"),
            "cancuoc_tai_khoan=abc; Path=/tai-khoan; HttpOnly; SameSite=Lax"
        );
        assert!(
            clear_cookie()
                .to_str()
                .expect("ascii")
                .ends_with("Max-Age=0")
        );
        let r = to_login(Some("het_han"), true);
        assert_eq!(
            r.headers()[header::LOCATION],
            "/tai-khoan/dang-nhap?het_han=1&lang=en"
        );
        assert!(r.headers().contains_key(header::SET_COOKIE));
        let r = to_login(None, false);
        assert_eq!(r.headers()[header::LOCATION], "/tai-khoan/dang-nhap");
        assert!(!r.headers().contains_key(header::SET_COOKIE));
    }
}
