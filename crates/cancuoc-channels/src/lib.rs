//! `cancuoc-channels` is the wire layer of the citizens' channels (kênh hỏi
//! đáp): what the hotline and chat platforms send and expect, byte for
//! byte, and nothing of what a conversation means. The one dialogue lives
//! in `cancuoc_core::channel`; the use cases (inbox, outbox, lookups) in
//! `cancuoc-service`; the routes in `cancuoc-server`. This crate gives
//! those routes pure functions and blocking clients:
//!
//! - [`signature`]: the webhook signatures, verified over the raw bytes in
//!   constant time and failing closed (Twilio's `X-Twilio-Signature`,
//!   Zalo's `X-ZEvent-Signature: mac=…`, Meta's `X-Hub-Signature-256`,
//!   Stringee's `X-Stringee-Signature`), with the signing halves for the
//!   simulators and tests;
//! - [`zalo`]: Zalo OA v3 webhook events in, consultation (`/message/cs`)
//!   and ZNS template messages out, and [`zalo::ZaloClient`] (send, token
//!   refresh; errors answered as HTTP 200 + `{"error": n}` are errors);
//! - [`messenger`]: the `hub.*` handshake, page webhook events in, Send API
//!   bodies with quick replies out, and [`messenger::MessengerClient`];
//! - [`twiml`]: an `IvrTurn` of the voice menu rendered as TwiML, and
//!   Twilio's form bodies read;
//! - [`scco`]: the same turn as a Stringee SCCO JSON array, and Stringee's
//!   DTMF events read;
//! - [`fake`]: a fake provider API on loopback (Zalo CS, ZNS, token
//!   refresh, Messenger) that records what it is sent, for the tests, the
//!   CLI simulator and the demo.
//!
//! The wire facts and their sources are in
//! `../shared/research/channels.md`. Parsers take untrusted bytes and
//! answer a [`ParseError`], never a panic (fuzzed in `fuzz/`); the clients
//! answer a [`ProviderError`]. The clients and the fake provider are behind
//! the default `http` feature; without it the crate is pure (no network,
//! no async), which is how the fuzz crate builds it.
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

#[cfg(feature = "http")]
pub mod fake;
#[cfg(feature = "http")]
mod http;
pub mod messenger;
pub mod scco;
pub mod signature;
pub mod twiml;
pub mod zalo;

/// Why a webhook body could not be read. The messages name the place, never
/// the content (a citizen's text may carry an ID number).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not JSON at all: the kind of error and where.
    #[error("not JSON: {0}")]
    Json(String),
    /// JSON, but a field the event needs is missing or of the wrong type.
    #[error("missing or invalid field: {0}")]
    Field(&'static str),
}

impl ParseError {
    /// A serde_json error described without quoting the input.
    pub(crate) fn json(e: &serde_json::Error) -> ParseError {
        let kind = match e.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected value",
            serde_json::error::Category::Eof => "unexpected end",
        };
        ParseError::Json(format!("{kind} at line {} column {}", e.line(), e.column()))
    }
}

/// Why a provider's API did not take a message or a token refresh.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The access token is invalid or expired (Zalo `-216`, `-220`,
    /// `-124`; Graph `190`). A Zalo token is refreshed with
    /// [`zalo::ZaloClient::refresh`] and the call made again; a Messenger
    /// Page token cannot be refreshed through the API — an admin must set a
    /// new one, so the message waits or becomes a dead letter.
    #[error("the access token is invalid or expired")]
    TokenExpired,
    /// Refused for good: the same request will be refused again (outside
    /// the 7-day Zalo window `-230`, a wrong template, a blocked user…).
    #[error("refused by the provider ({code}): {message}")]
    Rejected {
        /// The provider's error code.
        code: i64,
        /// The provider's message, or a short English reason.
        message: String,
    },
    /// Not reached or not answering sensibly: a connection error, a
    /// timeout, an HTTP 5xx or 429, an unreadable answer, throttling
    /// (Graph `4`, `32`, `613`), or an HTTP error that is a setup mistake
    /// (a wrong base URL).
    #[error("provider unavailable: {0}")]
    Unavailable(String),
}

impl ProviderError {
    /// Whether the same request may succeed later unchanged (only
    /// [`ProviderError::Unavailable`]; an expired token needs a refresh
    /// first, a rejection never passes).
    pub fn is_retryable(&self) -> bool {
        matches!(self, ProviderError::Unavailable(_))
    }
}

/// The first `max` characters of `s` (cut on a character boundary).
pub(crate) fn cut_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A JSON value read as text: a string as is, a number as its decimal
/// form (ids beyond 2^53 stay exact as long as they fit a u64).
pub(crate) fn text_of(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_chars_keeps_whole_characters() {
        assert_eq!(cut_chars("Tra cứu hồ sơ", 6), "Tra cứ");
        assert_eq!(cut_chars("abc", 5), "abc");
        assert_eq!(cut_chars("", 0), "");
        assert_eq!(cut_chars("đ", 0), "");
    }

    #[test]
    fn only_unavailable_is_retryable() {
        assert!(ProviderError::Unavailable("HTTP 503".into()).is_retryable());
        assert!(!ProviderError::TokenExpired.is_retryable());
        assert!(
            !ProviderError::Rejected {
                code: -230,
                message: "x".into()
            }
            .is_retryable()
        );
    }

    #[test]
    fn json_errors_do_not_quote_the_input() {
        let msg = |raw: &[u8]| match serde_json::from_slice::<serde_json::Value>(raw) {
            Err(e) => ParseError::json(&e).to_string(),
            Ok(v) => panic!("{v}"),
        };
        assert_eq!(
            msg(b"{\"text\": 079123456789}"),
            "not JSON: syntax error at line 1 column 11"
        );
        assert_eq!(
            msg(b"{\"text\": \"079123456789"),
            "not JSON: unexpected end at line 1 column 22"
        );
    }
}
