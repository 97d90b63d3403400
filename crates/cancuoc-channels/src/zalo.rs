//! Zalo Official Account API v3 (Zalo OA): the webhook events a citizen's
//! message arrives as, the consultation message (tin tư vấn, `/v3.0/oa/
//! message/cs`) that answers it, the ZNS template message that notifies by
//! phone number, and [`ZaloClient`], which sends both and refreshes the
//! access token.
//!
//! Wire facts (research file §1, with sources): ids are strings (they
//! exceed 2^53); the webhook's `timestamp` is epoch milliseconds as a
//! string and is part of the signature ([`verify`]); `user_send_text` is
//! the only event read as text — images, stickers, `follow`, the OA's own
//! `oa_send_*` echoes and unknown names are [`ZaloEvent::Other`], to be
//! acknowledged and ignored. A consultation text holds at most 2000
//! characters; buttons are `oa.query.show` (a tap posts the payload back as
//! visible user text). At most [`MAX_BUTTONS`] buttons are sent: Zalo
//! publishes no number, the research's examples carry three and the
//! project keeps five — extra choices are dropped, the first five kept.
//! Button titles are cut at 100 characters and payloads at 1000 (limits a
//! public Zalo SDK documents; cancuoc's choices are far shorter).
//!
//! The API answers errors as **HTTP 200 with `{"error": <non-zero>}`**:
//! those are errors here. `-216` (invalid), `-220` (expired) and `-124`
//! (invalid, in ZNS error tables seen in public code) are
//! [`ProviderError::TokenExpired`](crate::ProviderError::TokenExpired): refresh once with [`ZaloClient::refresh`]
//! — the refresh token is single-use and rotates, so save the new pair
//! before using it — and send again. Any other code is
//! [`ProviderError::Rejected`](crate::ProviderError::Rejected) (`-230`: the user has not written in 7
//! days); a connection error, timeout, 5xx or an unreadable answer is
//! [`ProviderError::Unavailable`](crate::ProviderError::Unavailable).
//!
//! The client is blocking (`ureq`): the caller runs it on a blocking
//! thread.

use cancuoc_core::channel::Reply;
use serde_json::{Map, Value, json};

use crate::{ParseError, cut_chars, text_of};

#[cfg(feature = "http")]
pub use client::{Tokens, ZaloClient};

/// The OA API's host (consultation messages).
pub const ZALO_API_BASE: &str = "https://openapi.zalo.me";
/// The OAuth host (token refresh).
pub const ZALO_OAUTH_BASE: &str = "https://oauth.zaloapp.com";
/// The ZNS host (template messages by phone number).
pub const ZALO_ZNS_BASE: &str = "https://business.openapi.zalo.me";

/// Most characters of a consultation message's text.
pub const MAX_TEXT: usize = 2000;
/// Most buttons under a consultation message (see the module docs).
pub const MAX_BUTTONS: usize = 5;

/// Error codes that mean the access token must be refreshed.
pub const TOKEN_ERRORS: [i64; 3] = [-216, -220, -124];

/// A webhook event, as far as the bot cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZaloEvent {
    /// A user wrote text to the OA (`user_send_text`).
    Text {
        /// The Zalo app the event was sent for.
        app_id: String,
        /// The user's id, scoped to the OA (`sender.id`): where to reply.
        sender: String,
        /// The OA's id (`recipient.id`).
        recipient: String,
        /// The message's id (`message.msg_id`): the dedupe key, and the
        /// reply's `quote_message_id`.
        msg_id: String,
        /// What the user wrote (or a button's payload).
        text: String,
        /// When, epoch milliseconds as sent (a string).
        timestamp: String,
    },
    /// Anything else: another kind of message, a follow, an echo of the
    /// OA's own message, a delivery receipt.
    Other {
        /// The event's name (`user_send_image`, `follow`, `oa_send_text`…).
        event_name: String,
    },
}

/// Reads a webhook body (the raw bytes the signature covers).
pub fn parse(raw: &[u8]) -> Result<ZaloEvent, ParseError> {
    let v: Value = serde_json::from_slice(raw).map_err(|e| ParseError::json(&e))?;
    if !v.is_object() {
        return Err(ParseError::Field("(the body is not a JSON object)"));
    }
    let event_name = text_of(v.get("event_name")).ok_or(ParseError::Field("event_name"))?;
    if event_name != "user_send_text" {
        return Ok(ZaloEvent::Other { event_name });
    }
    let message = v.get("message");
    Ok(ZaloEvent::Text {
        app_id: text_of(v.get("app_id")).ok_or(ParseError::Field("app_id"))?,
        sender: text_of(v.pointer("/sender/id")).ok_or(ParseError::Field("sender.id"))?,
        recipient: text_of(v.pointer("/recipient/id")).ok_or(ParseError::Field("recipient.id"))?,
        msg_id: text_of(message.and_then(|m| m.get("msg_id")))
            .ok_or(ParseError::Field("message.msg_id"))?,
        text: match message.and_then(|m| m.get("text")) {
            Some(Value::String(s)) => s.clone(),
            _ => return Err(ParseError::Field("message.text")),
        },
        timestamp: text_of(v.get("timestamp")).ok_or(ParseError::Field("timestamp"))?,
    })
}

/// Whether `header` (`X-ZEvent-Signature`) signs `raw` for the app
/// `app_id` (as configured) with the OA's webhook `secret`: the timestamp
/// is read from the body. A body without a timestamp fails (closed).
pub fn verify(app_id: &str, secret: &str, raw: &[u8], header: &str) -> bool {
    let Ok(v) = serde_json::from_slice::<Value>(raw) else {
        return false;
    };
    let Some(timestamp) = text_of(v.get("timestamp")) else {
        return false;
    };
    crate::signature::zalo_valid(app_id, raw, &timestamp, secret, header)
}

/// The body of a consultation message answering `recipient` (the user's
/// `sender.id`) with `reply`, quoting the message it answers when given
/// (so Zalo counts it as a free reply). See the module docs for the
/// limits applied.
pub fn cs_message(recipient: &str, reply: &Reply, quote_msg_id: Option<&str>) -> Value {
    let mut message = Map::new();
    message.insert("text".into(), json!(cut_chars(&reply.text, MAX_TEXT)));
    if let Some(q) = quote_msg_id {
        message.insert("quote_message_id".into(), json!(q));
    }
    if !reply.choices.is_empty() {
        let buttons: Vec<Value> = reply
            .choices
            .iter()
            .take(MAX_BUTTONS)
            .map(|c| {
                json!({
                    "title": cut_chars(&c.title, 100),
                    "type": "oa.query.show",
                    "payload": cut_chars(&c.payload, 1000),
                })
            })
            .collect();
        message.insert(
            "attachment".into(),
            json!({"type": "template", "payload": {"buttons": buttons}}),
        );
    }
    json!({"recipient": {"user_id": recipient}, "message": message})
}

/// The body of a ZNS template message to `phone_84` (`84…`; a `+84…` or
/// `0…` number is rewritten to `84…`, since Zalo refuses `0…` with
/// `-108`), filling the approved template `template_id` with `params`;
/// `tracking_id` comes back in the delivery receipt (the outbox row's
/// dedupe key).
pub fn zns_message(
    phone_84: &str,
    template_id: &str,
    params: &[(&str, String)],
    tracking_id: &str,
) -> Value {
    let digits: String = phone_84.chars().filter(char::is_ascii_digit).collect();
    let phone = match digits.strip_prefix('0') {
        Some(rest) if !digits.starts_with("84") => format!("84{rest}"),
        _ => digits,
    };
    let data: Map<String, Value> = params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::String(v.clone())))
        .collect();
    json!({
        "phone": phone,
        "template_id": template_id,
        "template_data": data,
        "tracking_id": tracking_id,
    })
}

/// Reads the API's answer: `{"error": 0, "data": {id_field: …}}` is the
/// id; a non-zero `error` is an error whatever the HTTP status.
#[cfg_attr(not(feature = "http"), allow(dead_code))]
fn judge(status: u16, body: &str, id_field: &str) -> Result<String, crate::ProviderError> {
    use crate::ProviderError;
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let code = parsed.as_ref().and_then(|v| match v.get("error") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    });
    match (code, parsed) {
        (Some(0), Some(v)) if (200..300).contains(&status) => {
            Ok(text_of(v.pointer(&format!("/data/{id_field}"))).unwrap_or_default())
        }
        (Some(c), _) if TOKEN_ERRORS.contains(&c) => Err(ProviderError::TokenExpired),
        (Some(c), Some(v)) if c != 0 => Err(ProviderError::Rejected {
            code: c,
            message: text_of(v.get("message"))
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| "no message".to_owned()),
        }),
        _ if !(200..300).contains(&status) => {
            Err(ProviderError::Unavailable(format!("HTTP {status}")))
        }
        _ => Err(ProviderError::Unavailable(
            "the answer is not Zalo's JSON".to_owned(),
        )),
    }
}

#[cfg(feature = "http")]
mod client {
    use std::fmt;
    use std::time::Duration;

    use serde_json::Value;

    use super::{judge, text_of};
    use crate::ProviderError;
    use crate::http::{self, DEFAULT_TIMEOUT};

    /// A new access and refresh token pair. `Debug` hides the tokens.
    #[derive(Clone, PartialEq, Eq)]
    pub struct Tokens {
        /// The access token (25 hours).
        pub access: String,
        /// The next refresh token (3 months, single use): save it before
        /// using `access`.
        pub refresh: String,
        /// Seconds the access token lives.
        pub expires_in: u64,
    }

    impl fmt::Debug for Tokens {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Tokens")
                .field("access", &"<redacted>")
                .field("refresh", &"<redacted>")
                .field("expires_in", &self.expires_in)
                .finish()
        }
    }

    /// The OA API's client (blocking). `Debug` hides the app secret.
    #[derive(Clone)]
    pub struct ZaloClient {
        /// The OA API's base URL ([`super::ZALO_API_BASE`], or the fake's).
        pub api_base: String,
        /// The OAuth base URL ([`super::ZALO_OAUTH_BASE`]).
        pub oauth_base: String,
        /// The ZNS base URL ([`super::ZALO_ZNS_BASE`]).
        pub zns_base: String,
        /// The Zalo app's id.
        pub app_id: String,
        /// The app's secret key (sent as the `secret_key` header of a
        /// token refresh; not the webhook secret).
        pub secret_key: String,
        agent: ureq::Agent,
    }

    impl fmt::Debug for ZaloClient {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("ZaloClient")
                .field("api_base", &self.api_base)
                .field("oauth_base", &self.oauth_base)
                .field("zns_base", &self.zns_base)
                .field("app_id", &self.app_id)
                .field("secret_key", &"<redacted>")
                .finish_non_exhaustive()
        }
    }

    impl ZaloClient {
        /// A client of these hosts (no connection is made here); each
        /// request ends within 10 s.
        pub fn new(
            api_base: impl Into<String>,
            oauth_base: impl Into<String>,
            zns_base: impl Into<String>,
            app_id: impl Into<String>,
            secret_key: impl Into<String>,
        ) -> Self {
            Self {
                api_base: api_base.into(),
                oauth_base: oauth_base.into(),
                zns_base: zns_base.into(),
                app_id: app_id.into(),
                secret_key: secret_key.into(),
                agent: http::agent(DEFAULT_TIMEOUT),
            }
        }

        /// The same client with another limit per request.
        pub fn with_timeout(mut self, timeout: Duration) -> Self {
            self.agent = http::agent(timeout);
            self
        }

        /// Sends a consultation message (a body from
        /// [`super::cs_message`]); the sent message's id.
        pub fn send_cs(&self, access_token: &str, body: &Value) -> Result<String, ProviderError> {
            let url = http::join(&self.api_base, "/v3.0/oa/message/cs");
            let a = http::post_json(
                &self.agent,
                &url,
                &[("access_token", access_token)],
                &[],
                body,
            )?;
            judge(a.status, &a.body, "message_id")
        }

        /// Sends a ZNS template message (a body from
        /// [`super::zns_message`]); the message's id.
        pub fn send_zns(&self, access_token: &str, body: &Value) -> Result<String, ProviderError> {
            let url = http::join(&self.zns_base, "/message/template");
            let a = http::post_json(
                &self.agent,
                &url,
                &[("access_token", access_token)],
                &[],
                body,
            )?;
            judge(a.status, &a.body, "msg_id")
        }

        /// Trades `refresh_token` for a new pair. The old refresh token is
        /// spent even if the answer is lost: save the new pair first. A
        /// refused refresh token is [`ProviderError::Rejected`] (an admin
        /// must authorise the app again).
        pub fn refresh(&self, refresh_token: &str) -> Result<Tokens, ProviderError> {
            let url = http::join(&self.oauth_base, "/v4/oa/access_token");
            let a = http::post_form(
                &self.agent,
                &url,
                &[("secret_key", &self.secret_key)],
                &[
                    ("app_id", &self.app_id),
                    ("grant_type", "refresh_token"),
                    ("refresh_token", refresh_token),
                ],
            )?;
            tokens(a.status, &a.body)
        }
    }

    /// Reads a token answer: `{"access_token","refresh_token","expires_in"}`
    /// (`expires_in` a string of seconds), or `{"error": n, …}`.
    pub(super) fn tokens(status: u16, body: &str) -> Result<Tokens, ProviderError> {
        let v: Value = match serde_json::from_str(body) {
            Ok(v) => v,
            Err(_) if !(200..300).contains(&status) => {
                return Err(ProviderError::Unavailable(format!("HTTP {status}")));
            }
            Err(_) => {
                return Err(ProviderError::Unavailable(
                    "the answer is not Zalo's JSON".to_owned(),
                ));
            }
        };
        let access = text_of(v.get("access_token")).filter(|s| !s.is_empty());
        let refresh = text_of(v.get("refresh_token")).filter(|s| !s.is_empty());
        if let (Some(access), Some(refresh), true) = (access, refresh, (200..300).contains(&status))
        {
            let expires_in = text_of(v.get("expires_in"))
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(0);
            return Ok(Tokens {
                access,
                refresh,
                expires_in,
            });
        }
        let code = match v.get("error") {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        match code {
            Some(c) if c != 0 => Err(ProviderError::Rejected {
                code: c,
                message: text_of(v.get("error_description"))
                    .or_else(|| text_of(v.get("error_name")))
                    .or_else(|| text_of(v.get("message")))
                    .unwrap_or_else(|| "token refresh refused".to_owned()),
            }),
            _ if status >= 500 || status == 429 => {
                Err(ProviderError::Unavailable(format!("HTTP {status}")))
            }
            _ => Err(ProviderError::Unavailable(
                "the answer carries no token pair".to_owned(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProviderError;
    use cancuoc_core::channel::{Choice, Reply};

    /// The research file's recorded `user_send_text` (§1.2, docs.a4b.vn).
    const RECORDED: &str = r#"{"app_id":"2553928453557884079","sender":{"id":"6142494823xxxxxxxx"},
   "recipient":{"id":"3662729599332560487"},"event_name":"user_send_text",
   "message":{"text":"Chào A4B","msg_id":"cb31dff1c39642cc1b83"},
   "timestamp":"1699003881354","user_id_by_app":"979122185046046317"}"#;

    #[test]
    fn reads_the_recorded_text_event() {
        assert_eq!(
            parse(RECORDED.as_bytes()),
            Ok(ZaloEvent::Text {
                app_id: "2553928453557884079".into(),
                sender: "6142494823xxxxxxxx".into(),
                recipient: "3662729599332560487".into(),
                msg_id: "cb31dff1c39642cc1b83".into(),
                text: "Chào A4B".into(),
                timestamp: "1699003881354".into(),
            })
        );
    }

    #[test]
    fn big_numeric_ids_stay_exact() {
        let body = br#"{"app_id":2553928453557884079,"sender":{"id":6142494823123456789},"recipient":{"id":"1"},"event_name":"user_send_text","message":{"text":"x","msg_id":"m"},"timestamp":1699003881354}"#;
        let Ok(ZaloEvent::Text {
            app_id,
            sender,
            timestamp,
            ..
        }) = parse(body)
        else {
            panic!("not text")
        };
        assert_eq!(
            (app_id.as_str(), sender.as_str(), timestamp.as_str()),
            (
                "2553928453557884079",
                "6142494823123456789",
                "1699003881354"
            )
        );
    }

    #[test]
    fn other_events_are_other() {
        for name in [
            "user_send_image",
            "oa_send_text",
            "follow",
            "user_received_message",
            "new_kind",
        ] {
            let body =
                format!(r#"{{"event_name":"{name}","sender":{{"id":"1"}},"timestamp":"1"}}"#);
            assert_eq!(
                parse(body.as_bytes()),
                Ok(ZaloEvent::Other {
                    event_name: name.into()
                })
            );
        }
    }

    #[test]
    fn broken_bodies_are_typed_errors() {
        assert!(matches!(parse(b""), Err(ParseError::Json(_))));
        assert!(matches!(
            parse(b"{\"event_name\":"),
            Err(ParseError::Json(_))
        ));
        assert_eq!(
            parse(b"[]"),
            Err(ParseError::Field("(the body is not a JSON object)"))
        );
        assert_eq!(parse(b"{}"), Err(ParseError::Field("event_name")));
        let no_text = RECORDED.replace(r#""text":"Chào A4B","#, "");
        assert_eq!(
            parse(no_text.as_bytes()),
            Err(ParseError::Field("message.text"))
        );
        let numeric_text = RECORDED.replace(r#""Chào A4B""#, "12");
        assert_eq!(
            parse(numeric_text.as_bytes()),
            Err(ParseError::Field("message.text"))
        );
        let no_sender = RECORDED.replace(r#""sender":{"id":"6142494823xxxxxxxx"},"#, "");
        assert_eq!(
            parse(no_sender.as_bytes()),
            Err(ParseError::Field("sender.id"))
        );
    }

    #[test]
    fn verify_reads_the_timestamp_from_the_body() {
        let body = r#"{"app_id":"360846524940903967","sender":{"id":"246845883529197922"},"recipient":{"id":"388613280878808645"},"event_name":"user_send_text","message":{"text":"Tra cứu CCCD","msg_id":"96d3cdf3af150460909"},"timestamp":"1543908534742","user_id_by_app":"552177279717587730"}"#.as_bytes();
        let mac = "mac=03c53348e78f36221e38ffec3708b527c41da3399547f9789053afda76ebc5f1";
        assert!(verify("360846524940903967", "oa-secret-TEST", body, mac));
        assert!(!verify("360846524940903967", "other", body, mac));
        assert!(!verify("360846524940903967", "oa-secret-TEST", b"{}", mac));
        assert!(!verify(
            "360846524940903967",
            "oa-secret-TEST",
            b"garbage",
            mac
        ));
    }

    fn choice(t: &str, p: &str) -> Choice {
        Choice {
            title: t.into(),
            payload: p.into(),
        }
    }

    #[test]
    fn cs_message_snapshot() {
        let reply = Reply {
            text: "Hồ sơ của bạn đã có thẻ.".into(),
            choices: vec![
                choice("Tra cứu hồ sơ", "tra cứu"),
                choice("Gặp cán bộ", "gặp cán bộ"),
            ],
        };
        assert_eq!(
            cs_message("6142494823", &reply, Some("cb31dff1c39642cc1b83")).to_string(),
            r#"{"message":{"attachment":{"payload":{"buttons":[{"payload":"tra cứu","title":"Tra cứu hồ sơ","type":"oa.query.show"},{"payload":"gặp cán bộ","title":"Gặp cán bộ","type":"oa.query.show"}]},"type":"template"},"quote_message_id":"cb31dff1c39642cc1b83","text":"Hồ sơ của bạn đã có thẻ."},"recipient":{"user_id":"6142494823"}}"#
        );
        let plain = Reply {
            text: "Xin chào".into(),
            choices: vec![],
        };
        assert_eq!(
            cs_message("1", &plain, None).to_string(),
            r#"{"message":{"text":"Xin chào"},"recipient":{"user_id":"1"}}"#
        );
    }

    #[test]
    fn cs_message_limits() {
        let reply = Reply {
            text: "ứ".repeat(2100),
            choices: (0..8)
                .map(|i| choice(&format!("c{i}"), &format!("p{i}")))
                .collect(),
        };
        let v = cs_message("1", &reply, None);
        assert_eq!(
            v["message"]["text"].as_str().map(|s| s.chars().count()),
            Some(2000)
        );
        let buttons = v["message"]["attachment"]["payload"]["buttons"]
            .as_array()
            .cloned();
        let titles: Vec<String> = buttons
            .unwrap_or_default()
            .iter()
            .map(|b| b["title"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(titles, ["c0", "c1", "c2", "c3", "c4"]);
    }

    #[test]
    fn zns_message_snapshot_and_phone_forms() {
        let params = [
            ("ma_ho_so", "0001260115000012".to_owned()),
            ("ngay_hen", "20/01/2026".to_owned()),
        ];
        assert_eq!(
            zns_message("84912345678", "tpl-1", &params, "outbox-42").to_string(),
            r#"{"phone":"84912345678","template_data":{"ma_ho_so":"0001260115000012","ngay_hen":"20/01/2026"},"template_id":"tpl-1","tracking_id":"outbox-42"}"#
        );
        for p in ["0912345678", "+84912345678", "84 912 345 678"] {
            assert_eq!(zns_message(p, "t", &[], "x")["phone"], "84912345678", "{p}");
        }
    }

    #[test]
    fn answers_are_judged_by_their_error_code() {
        assert_eq!(
            judge(
                200,
                r#"{"error":0,"message":"Success","data":{"message_id":"abc","user_id":"1"}}"#,
                "message_id"
            ),
            Ok("abc".into())
        );
        for c in [-216, -220, -124] {
            assert_eq!(
                judge(
                    200,
                    &format!(r#"{{"error":{c},"message":"Access token is invalid"}}"#),
                    "message_id"
                ),
                Err(ProviderError::TokenExpired)
            );
        }
        assert_eq!(
            judge(
                200,
                r#"{"error":-230,"message":"User has not interacted with the OA in the past 7 days"}"#,
                "message_id"
            ),
            Err(ProviderError::Rejected {
                code: -230,
                message: "User has not interacted with the OA in the past 7 days".into()
            })
        );
        assert_eq!(
            judge(200, r#"{"error":"-108"}"#, "msg_id"),
            Err(ProviderError::Rejected {
                code: -108,
                message: "no message".into()
            })
        );
        assert!(
            matches!(judge(502, "<html>", "x"), Err(ProviderError::Unavailable(m)) if m == "HTTP 502")
        );
        assert!(matches!(
            judge(200, "<html>", "x"),
            Err(ProviderError::Unavailable(_))
        ));
        assert!(matches!(
            judge(200, "{}", "x"),
            Err(ProviderError::Unavailable(_))
        ));
    }

    #[cfg(feature = "http")]
    #[test]
    fn token_answers() {
        use super::client::tokens;
        let t = tokens(
            200,
            r#"{"access_token":"a2","refresh_token":"r2","expires_in":"90000"}"#,
        );
        assert!(
            matches!(&t, Ok(t) if t.access == "a2" && t.refresh == "r2" && t.expires_in == 90000)
        );
        assert!(!format!("{:?}", t).contains("a2"));
        assert_eq!(
            tokens(
                200,
                r#"{"error":-14014,"error_name":"Invalid refresh token"}"#
            ),
            Err(ProviderError::Rejected {
                code: -14014,
                message: "Invalid refresh token".into()
            })
        );
        assert!(matches!(
            tokens(503, ""),
            Err(ProviderError::Unavailable(_))
        ));
        assert!(matches!(
            tokens(200, "{}"),
            Err(ProviderError::Unavailable(_))
        ));
    }
}
