//! The security headers of every web page (tiêu đề bảo mật), set by one
//! layer around all the pages' routes (`layer`):
//!
//! - `Content-Security-Policy` ([`PAGE_CSP`]): scripts, styles, images,
//!   media and fonts from this origin only, nothing inline — the templates
//!   hold no `<script>` element, no `on…=` handler and no `style=`
//!   attribute, only `/static/*` files — plus `data:` images (the captcha
//!   image is a PNG in a `data:` URI); forms post to this origin only;
//!   framing by any site refused (`frame-ancestors 'none'`), `<base>`
//!   refused. With [`crate::WebConfig::test_hooks`] the policy also
//!   names `/__test/csp` as its `report-uri`, where the browser tests
//!   collect every violation (`test_hooks`).
//! - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` (framing
//!   refused for browsers that predate `frame-ancestors`).
//! - `Referrer-Policy: same-origin`: another site never sees a page's
//!   address (a dossier code in a query, a console path), while this
//!   origin's own requests keep theirs. Not `no-referrer`: under it
//!   browsers send `Origin: null` with a form post, which the console's
//!   same-origin check refuses.
//! - `Cache-Control: no-store` on every answer that does not set its own
//!   (only the static files do: they hold nothing personal): no page — a
//!   console page, a booking with a phone number, a declaration — stays in
//!   a shared computer's cache or its back button.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::Web;

/// The pages' content security policy (without the test hooks' report
/// address).
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; media-src 'self'; font-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

/// Where the browser reports a violation of the policy, with the test hooks
/// on.
pub(crate) const REPORT_PATH: &str = "/__test/csp";

/// The referrer policy of every page.
pub const REFERRER_POLICY: &str = "same-origin";

/// The headers' values, made once.
#[derive(Debug)]
pub(crate) struct Headers {
    csp: HeaderValue,
    secure_cookies: bool,
}

impl Headers {
    /// The headers for `config`.
    pub(crate) fn new(config: &crate::WebConfig) -> Self {
        let csp = if config.test_hooks {
            HeaderValue::from_str(&format!("{PAGE_CSP}; report-uri {REPORT_PATH}"))
                .unwrap_or(HeaderValue::from_static(PAGE_CSP))
        } else {
            HeaderValue::from_static(PAGE_CSP)
        };
        Self {
            csp,
            secure_cookies: config.behind_tls,
        }
    }

    /// Sets the headers on `headers` (see the module documentation).
    pub(crate) fn apply(&self, headers: &mut HeaderMap) {
        headers.insert(header::CONTENT_SECURITY_POLICY, self.csp.clone());
        apply_common(headers);
        if self.secure_cookies {
            secure_cookies(headers);
        }
    }
}

/// The headers every page gets whatever the settings: `nosniff`, no
/// framing, the referrer policy, and `no-store` unless the answer chose its
/// own caching.
fn apply_common(headers: &mut HeaderMap) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static(REFERRER_POLICY),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Adds `Secure` to every `Set-Cookie` that lacks it.
fn secure_cookies(headers: &mut HeaderMap) {
    if !headers.contains_key(header::SET_COOKIE) {
        return;
    }
    let cookies: Vec<HeaderValue> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| {
            let has_secure = v.to_str().is_ok_and(|s| {
                s.split(';')
                    .skip(1)
                    .any(|a| a.trim().eq_ignore_ascii_case("secure"))
            });
            if has_secure {
                return v.clone();
            }
            let mut bytes = v.as_bytes().to_vec();
            bytes.extend_from_slice(b"; Secure");
            HeaderValue::from_bytes(&bytes).unwrap_or_else(|_| v.clone())
        })
        .collect();
    headers.remove(header::SET_COOKIE);
    for c in cookies {
        headers.append(header::SET_COOKIE, c);
    }
}

/// The headers of a page answered outside the pages' router (the 404 page
/// the server answers for an unknown path): the policy without the test
/// hooks' report address, and no cookie to secure.
pub(crate) fn apply_default(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    );
    apply_common(headers);
}

/// Wraps every route of `router` in the page headers of `web`.
pub(crate) fn layer(router: Router<Web>, web: &Web) -> Router<Web> {
    router.layer(axum::middleware::map_response_with_state(
        web.clone(),
        |State(web): State<Web>, mut res: Response| async move {
            web.headers().apply(res.headers_mut());
            res
        },
    ))
}

/// Violation reports the browser sent to [`REPORT_PATH`] (test hooks only),
/// until read.
#[derive(Debug, Default, Clone)]
pub(crate) struct Reports(Arc<Mutex<Vec<String>>>);

impl Reports {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `POST /__test/csp`: keeps a violation report (at most 1,000, of 16 KiB
/// each, so a test cannot fill the memory).
async fn report(State(web): State<Web>, body: axum::body::Bytes) -> StatusCode {
    let mut reports = web.csp_reports().lock();
    if reports.len() < 1000 {
        let n = body.len().min(16 * 1024);
        reports.push(String::from_utf8_lossy(&body[..n]).into_owned());
    }
    StatusCode::NO_CONTENT
}

/// `GET /__test/csp`: the reports received since the last read, one per
/// line (empty when the policy held), and forgets them.
async fn reports(State(web): State<Web>) -> Response {
    let taken = std::mem::take(&mut *web.csp_reports().lock());
    let text: String = taken
        .iter()
        .map(|r| format!("{}\n", r.replace('\n', " ")))
        .collect();
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

/// `GET /__test/csp-probe`: a page that breaks the policy on purpose (an
/// inline script and an inline style), so the browser tests can check that
/// a violation does reach [`REPORT_PATH`] before they trust its silence.
async fn probe() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><html lang=\"en\"><title>CSP probe</title>\
         <p style=\"color: red\">probe</p><script>document.title = 'ran';</script></html>",
    )
        .into_response()
}

/// The test hooks of the policy: the report collector and the probe page.
pub(crate) fn test_hooks() -> Router<Web> {
    Router::new()
        .route(REPORT_PATH, get(reports).post(report))
        .route("/__test/csp-probe", get(probe))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_is_added_once_to_every_cookie() {
        let mut h = HeaderMap::new();
        h.append(
            header::SET_COOKIE,
            HeaderValue::from_static("lang=en; Path=/; SameSite=Lax"),
        );
        h.append(
            header::SET_COOKIE,
            HeaderValue::from_static("a=b; Path=/; Secure; HttpOnly"),
        );
        h.append(header::SET_COOKIE, HeaderValue::from_static("securex=1"));
        secure_cookies(&mut h);
        let got: Vec<&str> = h
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().expect("ascii"))
            .collect();
        assert_eq!(
            got,
            [
                "lang=en; Path=/; SameSite=Lax; Secure",
                "a=b; Path=/; Secure; HttpOnly",
                "securex=1; Secure",
            ]
        );
    }

    #[test]
    fn the_policy_allows_nothing_inline() {
        for directive in PAGE_CSP.split(';') {
            assert!(!directive.contains("unsafe"), "{directive}");
        }
        assert!(PAGE_CSP.contains("script-src 'self';"));
        assert!(PAGE_CSP.contains("frame-ancestors 'none'"));
    }
}
