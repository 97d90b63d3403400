//! Facebook Messenger (a Page's inbox): the webhook's `hub.*` verification
//! handshake, the page events a citizen's message arrives as, the Send API
//! body that answers it, and [`MessengerClient`].
//!
//! Wire facts (research file §2, with sources): a webhook body is
//! `{"object":"page","entry":[{"id":<page>,"messaging":[…]}]}` and may
//! batch several entries and events — both arrays are walked. The Page's
//! own messages come back as echoes (`message.is_echo`): they are
//! [`MessengerEvent::Other`] (answering them would loop), as are
//! attachments, reads and deliveries. A quick reply's tap arrives as text
//! with `quick_reply.payload`; a button's (a postback: "Get Started")
//! as text whose payload is what was said. Replies are
//! `messaging_type: "RESPONSE"` (inside the 24-hour window), text at most
//! 2000 characters, at most 13 quick replies with titles cut at 20
//! characters (on a character boundary) and payloads at 1000.
//!
//! The Graph API answers errors as `{"error":{"code":…,"message":…}}`
//! (usually HTTP 400): code `190` is [`ProviderError::TokenExpired`] — a
//! Page token cannot be refreshed through this API, an admin must set a
//! new one; `4`, `32`, `613` (throttled) and `2` (temporary) are
//! [`ProviderError::Unavailable`]; any other code is
//! [`ProviderError::Rejected`] (outside the 24-hour window, a blocked
//! user…).
//!
//! [`ProviderError::TokenExpired`]: crate::ProviderError::TokenExpired
//! [`ProviderError::Unavailable`]: crate::ProviderError::Unavailable
//! [`ProviderError::Rejected`]: crate::ProviderError::Rejected

use cancuoc_core::account::ct_eq;
use cancuoc_core::channel::Reply;
use serde_json::{Map, Value, json};

use crate::{ParseError, ProviderError, cut_chars, text_of};

/// The Graph API's host.
pub const GRAPH_API_BASE: &str = "https://graph.facebook.com";
/// The Graph API version the Send API is called with.
pub const GRAPH_VERSION: &str = "v25.0";
/// Most characters of a message's text.
pub const MAX_TEXT: usize = 2000;
/// Most quick replies under a message.
pub const MAX_QUICK_REPLIES: usize = 13;
/// Most characters of a quick reply's title.
pub const MAX_TITLE: usize = 20;

/// The answer to the webhook's verification request (`GET` with
/// `hub.mode`, `hub.verify_token`, `hub.challenge`; pass `""` for a missing
/// one): the challenge to send back with 200, or `None` for a 403. The
/// token is compared in constant time; an empty expected token never
/// matches; a challenge other than up to 128 letters, digits, `-` and `_`
/// (Meta sends a number) is refused rather than echoed.
pub fn verify_handshake(
    mode: &str,
    token: &str,
    challenge: &str,
    expected_token: &str,
) -> Option<String> {
    let challenge_ok = !challenge.is_empty()
        && challenge.len() <= 128
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (mode == "subscribe"
        && !expected_token.is_empty()
        && ct_eq(token.as_bytes(), expected_token.as_bytes())
        && challenge_ok)
        .then(|| challenge.to_owned())
}

/// One event of a webhook body, as far as the bot cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MessengerEvent {
    /// A person wrote text to the Page, tapped a quick reply, or tapped a
    /// button (a postback: its payload is the text).
    Text {
        /// The Page's id (the entry's `id`).
        page_id: String,
        /// The person's Page-scoped id (PSID): where to reply.
        sender: String,
        /// The message's id: the dedupe key.
        mid: String,
        /// What was written (a quick reply's title when tapped).
        text: String,
        /// A tapped quick reply's payload.
        quick_reply_payload: Option<String>,
        /// When, epoch milliseconds.
        timestamp: i64,
    },
    /// Anything else, by kind: `echo`, `attachment`, `postback`, `read`,
    /// `delivery`, `reaction`, or the event's first key for a new kind.
    Other {
        /// The kind.
        kind: String,
    },
}

/// Reads a webhook body (the raw bytes the signature covers). A body whose
/// `object` is not `page` is an error; an entry without `messaging` (other
/// subscriptions) yields nothing.
pub fn parse(raw: &[u8]) -> Result<Vec<MessengerEvent>, ParseError> {
    let v: Value = serde_json::from_slice(raw).map_err(|e| ParseError::json(&e))?;
    if v.get("object").and_then(Value::as_str) != Some("page") {
        return Err(ParseError::Field("object (not \"page\")"));
    }
    let entries = v
        .get("entry")
        .and_then(Value::as_array)
        .ok_or(ParseError::Field("entry"))?;
    let mut events = Vec::new();
    for entry in entries {
        let page_id = text_of(entry.get("id")).ok_or(ParseError::Field("entry.id"))?;
        let Some(messaging) = entry.get("messaging") else {
            continue;
        };
        let messaging = messaging
            .as_array()
            .ok_or(ParseError::Field("entry.messaging"))?;
        for m in messaging {
            events.push(event(&page_id, m)?);
        }
    }
    Ok(events)
}

/// One `messaging` item.
fn event(page_id: &str, m: &Value) -> Result<MessengerEvent, ParseError> {
    let Some(obj) = m.as_object() else {
        return Err(ParseError::Field("entry.messaging[]"));
    };
    // A button tapped (the "Get Started" button of a new conversation, a
    // persistent menu item): its payload is what the person said. Its
    // dedupe key is its `mid` where Messenger gives one, else the sender
    // and the instant.
    if let Some(postback) = obj.get("postback")
        && let Some(payload) = postback.get("payload").and_then(Value::as_str)
    {
        let sender = text_of(m.pointer("/sender/id")).ok_or(ParseError::Field("sender.id"))?;
        let timestamp = m.get("timestamp").and_then(Value::as_i64).unwrap_or(0);
        let mid = text_of(postback.get("mid"))
            .unwrap_or_else(|| format!("postback:{sender}:{timestamp}"));
        return Ok(MessengerEvent::Text {
            page_id: page_id.to_owned(),
            sender,
            mid,
            text: payload.to_owned(),
            quick_reply_payload: Some(payload.to_owned()),
            timestamp,
        });
    }
    let Some(message) = obj.get("message") else {
        let kind = [
            "postback", "read", "delivery", "reaction", "referral", "optin",
        ]
        .into_iter()
        .find(|k| obj.contains_key(*k))
        .map(str::to_owned)
        .or_else(|| {
            obj.keys()
                .find(|k| {
                    !k.is_empty() && !matches!(k.as_str(), "sender" | "recipient" | "timestamp")
                })
                .cloned()
        })
        .unwrap_or_else(|| "unknown".to_owned());
        return Ok(MessengerEvent::Other { kind });
    };
    if message.get("is_echo").and_then(Value::as_bool) == Some(true) {
        return Ok(MessengerEvent::Other {
            kind: "echo".to_owned(),
        });
    }
    let Some(text) = message.get("text").and_then(Value::as_str) else {
        return Ok(MessengerEvent::Other {
            kind: "attachment".to_owned(),
        });
    };
    Ok(MessengerEvent::Text {
        page_id: page_id.to_owned(),
        sender: text_of(m.pointer("/sender/id")).ok_or(ParseError::Field("sender.id"))?,
        mid: text_of(message.get("mid")).ok_or(ParseError::Field("message.mid"))?,
        text: text.to_owned(),
        quick_reply_payload: message
            .pointer("/quick_reply/payload")
            .and_then(Value::as_str)
            .map(str::to_owned),
        timestamp: m
            .get("timestamp")
            .and_then(Value::as_i64)
            .ok_or(ParseError::Field("timestamp"))?,
    })
}

/// The Send API body answering `psid` with `reply` (`messaging_type:
/// "RESPONSE"`; the limits of the module docs applied).
pub fn send_body(psid: &str, reply: &Reply) -> Value {
    let mut message = Map::new();
    message.insert("text".into(), json!(cut_chars(&reply.text, MAX_TEXT)));
    if !reply.choices.is_empty() {
        let quick: Vec<Value> = reply
            .choices
            .iter()
            .take(MAX_QUICK_REPLIES)
            .map(|c| {
                json!({
                    "content_type": "text",
                    "title": cut_chars(&c.title, MAX_TITLE),
                    "payload": cut_chars(&c.payload, 1000),
                })
            })
            .collect();
        message.insert("quick_replies".into(), Value::Array(quick));
    }
    json!({
        "recipient": {"id": psid},
        "messaging_type": "RESPONSE",
        "message": message,
    })
}

/// Reads the Send API's answer: the message's id, or the Graph error.
#[cfg_attr(not(feature = "http"), allow(dead_code))]
fn judge(status: u16, body: &str) -> Result<String, ProviderError> {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    if let Some(err) = parsed.as_ref().and_then(|v| v.get("error")) {
        let code = err.get("code").and_then(Value::as_i64).unwrap_or(0);
        let message = text_of(err.get("message"))
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| "no message".to_owned());
        return Err(match code {
            190 => ProviderError::TokenExpired,
            2 | 4 | 32 | 613 => {
                ProviderError::Unavailable(format!("Graph error {code}: {message}"))
            }
            _ if status >= 500 => {
                ProviderError::Unavailable(format!("HTTP {status}, Graph error {code}"))
            }
            _ => ProviderError::Rejected { code, message },
        });
    }
    if !(200..300).contains(&status) {
        return Err(ProviderError::Unavailable(format!("HTTP {status}")));
    }
    match parsed.as_ref().and_then(|v| text_of(v.get("message_id"))) {
        Some(id) => Ok(id),
        None => Err(ProviderError::Unavailable(
            "the answer is not the Send API's JSON".to_owned(),
        )),
    }
}

#[cfg(feature = "http")]
pub use client::MessengerClient;

#[cfg(feature = "http")]
mod client {
    use std::fmt;
    use std::time::Duration;

    use serde_json::Value;

    use super::{GRAPH_VERSION, judge};
    use crate::ProviderError;
    use crate::http::{self, DEFAULT_TIMEOUT};

    /// The Send API's client (blocking). `Debug` hides the Page token.
    #[derive(Clone)]
    pub struct MessengerClient {
        /// The Graph API's base URL ([`super::GRAPH_API_BASE`], or the fake's).
        pub graph_base: String,
        /// The Page access token (needs `pages_messaging`).
        pub page_token: String,
        agent: ureq::Agent,
    }

    impl fmt::Debug for MessengerClient {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("MessengerClient")
                .field("graph_base", &self.graph_base)
                .field("page_token", &"<redacted>")
                .finish_non_exhaustive()
        }
    }

    impl MessengerClient {
        /// A client of this host with this token (no connection is made
        /// here); each request ends within 10 s.
        pub fn new(graph_base: impl Into<String>, page_token: impl Into<String>) -> Self {
            Self {
                graph_base: graph_base.into(),
                page_token: page_token.into(),
                agent: http::agent(DEFAULT_TIMEOUT),
            }
        }

        /// The same client with another limit per request.
        pub fn with_timeout(mut self, timeout: Duration) -> Self {
            self.agent = http::agent(timeout);
            self
        }

        /// Sends a message (a body from [`super::send_body`]) with `POST
        /// {graph_base}/v25.0/me/messages?access_token=…`; the message's id.
        pub fn send(&self, body: &Value) -> Result<String, ProviderError> {
            let url = http::join(&self.graph_base, &format!("/{GRAPH_VERSION}/me/messages"));
            let a = http::post_json(
                &self.agent,
                &url,
                &[],
                &[("access_token", &self.page_token)],
                body,
            )?;
            judge(a.status, &a.body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::channel::Choice;

    #[test]
    fn handshake() {
        assert_eq!(
            verify_handshake("subscribe", "verify-TEST", "1158201444", "verify-TEST"),
            Some("1158201444".into())
        );
        assert_eq!(
            verify_handshake("subscribe", "verify-TESt", "1158201444", "verify-TEST"),
            None
        );
        assert_eq!(
            verify_handshake("unsubscribe", "verify-TEST", "1", "verify-TEST"),
            None
        );
        assert_eq!(verify_handshake("subscribe", "", "1", ""), None);
        assert_eq!(
            verify_handshake("subscribe", "verify-TEST", "", "verify-TEST"),
            None
        );
        assert_eq!(
            verify_handshake("subscribe", "verify-TEST", "<script>", "verify-TEST"),
            None
        );
        assert_eq!(
            verify_handshake("subscribe", "verify-TEST", &"9".repeat(129), "verify-TEST"),
            None
        );
    }

    /// The research file's body (§5): `\u1ee9` in the bytes reads as `ứ`.
    #[test]
    fn reads_the_research_body() {
        let body = br#"{"object":"page","entry":[{"id":"PAGE","time":1,"messaging":[{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1,"message":{"mid":"m_1","text":"Tra c\u1ee9u"}}]}]}"#;
        assert_eq!(
            parse(body),
            Ok(vec![MessengerEvent::Text {
                page_id: "PAGE".into(),
                sender: "PSID".into(),
                mid: "m_1".into(),
                text: "Tra cứu".into(),
                quick_reply_payload: None,
                timestamp: 1,
            }])
        );
    }

    #[test]
    fn batches_quick_replies_echoes_and_others() {
        let body = r#"{"object":"page","entry":[
          {"id":"111","time":1700000000000,"messaging":[
            {"sender":{"id":"222"},"recipient":{"id":"111"},"timestamp":1700000000001,
             "message":{"mid":"m_a","text":"Gặp cán bộ","quick_reply":{"payload":"gặp cán bộ"}}},
            {"sender":{"id":"111"},"recipient":{"id":"222"},"timestamp":1700000000002,
             "message":{"mid":"m_b","text":"Xin chào","is_echo":true,"app_id":1}},
            {"sender":{"id":"222"},"recipient":{"id":"111"},"timestamp":1700000000003,
             "message":{"mid":"m_c","attachments":[{"type":"image","payload":{"url":"https://x"}}]}},
            {"sender":{"id":"222"},"recipient":{"id":"111"},"timestamp":1700000000004,
             "read":{"watermark":1700000000000}}]},
          {"id":"111","time":1700000000005,"changes":[]},
          {"id":"111","time":1700000000006,"messaging":[
            {"sender":{"id":"333"},"recipient":{"id":"111"},"timestamp":1700000000007,
             "postback":{"title":"Bắt đầu","payload":"GET_STARTED","mid":"m_d"}}]}]}"#;
        assert_eq!(
            parse(body.as_bytes()),
            Ok(vec![
                MessengerEvent::Text {
                    page_id: "111".into(),
                    sender: "222".into(),
                    mid: "m_a".into(),
                    text: "Gặp cán bộ".into(),
                    quick_reply_payload: Some("gặp cán bộ".into()),
                    timestamp: 1_700_000_000_001,
                },
                MessengerEvent::Other {
                    kind: "echo".into()
                },
                MessengerEvent::Other {
                    kind: "attachment".into()
                },
                MessengerEvent::Other {
                    kind: "read".into()
                },
                MessengerEvent::Text {
                    page_id: "111".into(),
                    sender: "333".into(),
                    mid: "m_d".into(),
                    text: "GET_STARTED".into(),
                    quick_reply_payload: Some("GET_STARTED".into()),
                    timestamp: 1_700_000_000_007,
                },
            ])
        );
    }

    #[test]
    fn an_event_of_an_unknown_kind_is_named_never_empty() {
        // Found by the fuzz target `channel_webhooks`: an empty key.
        let body = br#"{"object":"page","entry":[{"id":"PAGE","time":1,"messaging":[{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"":1,"messige":{"mid":"m_1"}}]}]}"#;
        assert_eq!(
            parse(body),
            Ok(vec![MessengerEvent::Other {
                kind: "messige".into()
            }])
        );
        let only_empty =
            br#"{"object":"page","entry":[{"id":"P","messaging":[{"sender":{"id":"S"},"":1}]}]}"#;
        assert_eq!(
            parse(only_empty),
            Ok(vec![MessengerEvent::Other {
                kind: "unknown".into()
            }])
        );
    }

    #[test]
    fn broken_bodies_are_typed_errors() {
        assert!(matches!(parse(b"\xff"), Err(ParseError::Json(_))));
        assert_eq!(
            parse(br#"{"object":"instagram","entry":[]}"#),
            Err(ParseError::Field("object (not \"page\")"))
        );
        assert_eq!(
            parse(br#"{"object":"page"}"#),
            Err(ParseError::Field("entry"))
        );
        assert_eq!(
            parse(br#"{"object":"page","entry":[{"messaging":[]}]}"#),
            Err(ParseError::Field("entry.id"))
        );
        assert_eq!(
            parse(br#"{"object":"page","entry":[{"id":"1","messaging":[{"timestamp":1,"message":{"mid":"m","text":"x"}}]}]}"#),
            Err(ParseError::Field("sender.id"))
        );
        assert_eq!(
            parse(br#"{"object":"page","entry":[{"id":"1","messaging":[7]}]}"#),
            Err(ParseError::Field("entry.messaging[]"))
        );
        assert_eq!(parse(br#"{"object":"page","entry":[]}"#), Ok(vec![]));
    }

    #[test]
    fn send_body_snapshot() {
        let reply = Reply {
            text: "Bạn muốn tra cứu bằng gì?".into(),
            choices: vec![
                Choice {
                    title: "Mã hồ sơ".into(),
                    payload: "mã hồ sơ".into(),
                },
                Choice {
                    title: "Số định danh và ngày sinh".into(),
                    payload: "số định danh".into(),
                },
            ],
        };
        assert_eq!(
            send_body("PSID", &reply).to_string(),
            r#"{"message":{"quick_replies":[{"content_type":"text","payload":"mã hồ sơ","title":"Mã hồ sơ"},{"content_type":"text","payload":"số định danh","title":"Số định danh và ngày"}],"text":"Bạn muốn tra cứu bằng gì?"},"messaging_type":"RESPONSE","recipient":{"id":"PSID"}}"#
        );
        let many = Reply {
            text: "x".into(),
            choices: (0..20)
                .map(|i| Choice {
                    title: format!("{i}"),
                    payload: format!("{i}"),
                })
                .collect(),
        };
        let v = send_body("P", &many);
        assert_eq!(
            v["message"]["quick_replies"].as_array().map(Vec::len),
            Some(13)
        );
        let plain = Reply {
            text: "x".into(),
            choices: vec![],
        };
        assert_eq!(
            send_body("P", &plain).to_string(),
            r#"{"message":{"text":"x"},"messaging_type":"RESPONSE","recipient":{"id":"P"}}"#
        );
    }

    #[test]
    fn answers_are_judged() {
        assert_eq!(
            judge(200, r#"{"recipient_id":"PSID","message_id":"m_x"}"#),
            Ok("m_x".into())
        );
        assert_eq!(
            judge(
                400,
                r#"{"error":{"message":"Error validating access token","type":"OAuthException","code":190,"fbtrace_id":"A"}}"#
            ),
            Err(ProviderError::TokenExpired)
        );
        assert_eq!(
            judge(
                400,
                r#"{"error":{"message":"This message is sent outside of allowed window.","code":10,"error_subcode":2018278}}"#
            ),
            Err(ProviderError::Rejected {
                code: 10,
                message: "This message is sent outside of allowed window.".into()
            })
        );
        assert!(matches!(
            judge(400, r#"{"error":{"message":"Calls to this api have exceeded the rate limit.","code":613}}"#),
            Err(ProviderError::Unavailable(m)) if m.starts_with("Graph error 613")
        ));
        assert!(matches!(judge(503, ""), Err(ProviderError::Unavailable(m)) if m == "HTTP 503"));
        assert!(matches!(
            judge(200, "{}"),
            Err(ProviderError::Unavailable(_))
        ));
    }
}
