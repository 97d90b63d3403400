//! The language of a page (ngôn ngữ giao diện) and the context every
//! template frame needs ([`Ui`]).
//!
//! Vietnamese is the default. `?lang=en` (or `vi`) on any page wins for that
//! request; `/lang/{vi,en}?next=/path` stores the choice in a `lang` cookie
//! and goes back, which is what the switch on every page links to, so the
//! choice sticks without JavaScript.

use std::convert::Infallible;

use axum::Router;
use axum::extract::{FromRequestParts, Path, RawQuery};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cancuoc_core::i18n::Lang;

use crate::Web;

/// Name of the cookie holding the chosen language.
pub(crate) const LANG_COOKIE: &str = "lang";

/// What every page template needs: the language and where the page is (for
/// the language switch's way back).
#[derive(Clone, Debug)]
pub(crate) struct Ui {
    /// The language of the page.
    pub lang: Lang,
    /// Path and query of this page without any `lang` parameter.
    pub here: String,
}

impl Ui {
    /// A context for `lang` at `here`.
    pub(crate) fn new(lang: Lang, here: impl Into<String>) -> Self {
        Self {
            lang,
            here: here.into(),
        }
    }

    /// The Vietnamese or the English text, by the page's language. Both
    /// texts sit side by side in the templates, so a translator sees the
    /// pair.
    pub(crate) fn t<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::En => en,
            _ => vi,
        }
    }

    /// Whether the page is in English.
    pub(crate) fn is_en(&self) -> bool {
        matches!(self.lang, Lang::En)
    }

    /// The `lang` attribute of the `<html>` element.
    pub(crate) fn code(&self) -> &'static str {
        if self.is_en() { "en" } else { "vi" }
    }

    /// The language code the switch leads to.
    pub(crate) fn other_code(&self) -> &'static str {
        if self.is_en() { "vi" } else { "en" }
    }

    /// The switch's label, in the language it leads to.
    pub(crate) fn other_label(&self) -> &'static str {
        if self.is_en() {
            "Tiếng Việt"
        } else {
            "English"
        }
    }

    /// The switch's link: the other language, back to this page.
    pub(crate) fn switch_href(&self) -> String {
        let next: String = form_urlencoded::byte_serialize(self.here.as_bytes()).collect();
        format!("/lang/{}?next={next}", self.other_code())
    }
}

fn lang_of(code: &str) -> Option<Lang> {
    match code {
        "vi" => Some(Lang::Vi),
        "en" => Some(Lang::En),
        _ => None,
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ui {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Ui::of(parts))
    }
}

impl Ui {
    /// The context of a request: `?lang=`, then the `lang` cookie, then
    /// Vietnamese; `here` is the path and query without `lang`.
    pub(crate) fn of(parts: &Parts) -> Ui {
        let mut lang = None;
        let mut kept = Vec::new();
        if let Some(q) = parts.uri.query() {
            for (k, v) in form_urlencoded::parse(q.as_bytes()) {
                if k == "lang" {
                    lang = lang_of(&v);
                } else {
                    kept.push((k.into_owned(), v.into_owned()));
                }
            }
        }
        if lang.is_none() {
            lang = parts
                .headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|c| c.trim().split_once('='))
                .find(|(k, _)| *k == LANG_COOKIE)
                .and_then(|(_, v)| lang_of(v));
        }
        let mut here = parts.uri.path().to_owned();
        if !kept.is_empty() {
            here.push('?');
            here.push_str(
                &form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(kept)
                    .finish(),
            );
        }
        Ui::new(lang.unwrap_or(Lang::Vi), here)
    }
}

/// `GET /lang/{vi|en}?next=/path`: remembers the language for a year and
/// goes back to `next` when it is a path of this site
/// ([`crate::redirect::same_site_path`]: never an open redirect), else to
/// `/`. The query is read by hand, so that no query (a repeated or
/// malformed `next`) is refused: the first `next` counts.
async fn switch(ui: Ui, Path(code): Path<String>, RawQuery(query): RawQuery) -> Response {
    let Some(lang) = lang_of(&code) else {
        return crate::error::PageError::not_found(&ui).into_response();
    };
    let next = query
        .as_deref()
        .and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "next")
                .map(|(_, v)| v.into_owned())
        })
        .filter(|n| crate::redirect::same_site_path(n).is_some())
        .unwrap_or_else(|| "/".to_owned());
    let code = if matches!(lang, Lang::En) { "en" } else { "vi" };
    let cookie = format!("{LANG_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax");
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, next)]).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// The language switch route.
pub(crate) fn router() -> Router<Web> {
    Router::new().route("/lang/{code}", get(switch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_link_round_trips_the_page_address() {
        let ui = Ui::new(Lang::Vi, "/tra-cuu?ma=1&x=a b");
        assert_eq!(
            ui.switch_href(),
            "/lang/en?next=%2Ftra-cuu%3Fma%3D1%26x%3Da+b"
        );
        assert_eq!(ui.t("Xin chào", "Hello"), "Xin chào");
        let en = Ui::new(Lang::En, "/");
        assert_eq!(en.t("Xin chào", "Hello"), "Hello");
        assert_eq!(en.switch_href(), "/lang/vi?next=%2F");
    }
}
