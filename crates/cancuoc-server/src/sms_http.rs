//! Text messages through an HTTP provider (nhà cung cấp SMS): [`EsmsGateway`]
//! speaks eSMS.vn's JSON API (`SendMultipleMessage_V4_post_json`, the
//! customer-care/OTP brandname type) and implements the service's
//! [`SmsGateway`], so the service sends one-time codes without knowing
//! HTTP.
//!
//! One message is one `POST` of
//! `{"ApiKey","SecretKey","Phone","Content","Brandname","SmsType":"2","IsUnicode","RequestId"}`
//! (`IsUnicode` is `"0"` for an ASCII text — the one-segment GSM-7 OTP
//! texts — and `"1"` otherwise). The answer's `CodeResult` decides:
//!
//! - `100` accepted (queued by the provider, not yet delivered) → `Ok`;
//! - `124` duplicate `RequestId` → `Ok` too: the `RequestId` is random per
//!   message and the same on each retry of it, so a retry after an answer
//!   that was lost (a timeout) is deduplicated by the provider instead of
//!   sending the code twice;
//! - `99`, `101`, `103`, `104`, `108`, `140`, `146` (and any other code) →
//!   [`SmsError::Rejected`] at once, with a short English reason: retrying
//!   would not change the answer;
//! - an HTTP 5xx or 429, a connection error, a timeout or an unreadable
//!   answer → retried after 200 ms, 400 ms, 800 ms ([`EsmsSettings::backoff`]
//!   doubling, [`EsmsSettings::retries`] times), then
//!   [`SmsError::Unavailable`]; another HTTP status (a wrong URL, 401) is
//!   `Unavailable` at once.
//!
//! The blocking client (`ureq`) runs on tokio's blocking threads; each
//! attempt has [`EsmsSettings::timeout`] end to end, and the waits between
//! attempts are async sleeps. HTTPS is built in (ureq's `rustls` feature,
//! the `ring` provider, Mozilla's roots from `webpki-roots`): it added
//! rustls, rustls-webpki, rustls-pki-types, ring, untrusted, webpki-roots
//! and zeroize to the lock, ~4 s to a clean dev build and ~14 s to a clean
//! release build on the 2-core machine, so `https://rest.esms.vn/…` is
//! reached directly; an egress proxy from `HTTPS_PROXY`/`ALL_PROXY` is
//! used when set.
//!
//! Logs never carry the text (it holds the code) nor the full number (only
//! [`PhoneNumber::masked`](cancuoc_core::phone::PhoneNumber::masked)); the
//! keys are hidden in `Debug`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use cancuoc_service::sms::{SendFuture, SmsError, SmsGateway, SmsMessage};

/// eSMS.vn's endpoint for customer-care and OTP messages.
pub const ESMS_URL: &str =
    "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/";

/// Largest answer read from the provider (its answers are ~100 bytes).
const ANSWER_LIMIT: u64 = 64 * 1024;

/// How to reach the provider. `Debug` hides the keys.
#[derive(Clone, PartialEq, Eq)]
pub struct EsmsSettings {
    /// The send endpoint ([`ESMS_URL`], or a test server's).
    pub url: String,
    /// The account's API key.
    pub api_key: String,
    /// The account's secret key.
    pub secret_key: String,
    /// The registered brandname the message is sent as (≤ 11 characters).
    pub brand: String,
    /// Longest one attempt may take, connection to last byte (default
    /// 10 s).
    pub timeout: Duration,
    /// Further attempts after a failure worth retrying (default 3).
    pub retries: u32,
    /// The first wait before a retry, doubled before each next one
    /// (default 200 ms: 200, 400, 800 ms).
    pub backoff: Duration,
}

impl EsmsSettings {
    /// Settings with the default timeout, retries and back-off.
    pub fn new(
        url: impl Into<String>,
        api_key: impl Into<String>,
        secret_key: impl Into<String>,
        brand: impl Into<String>,
    ) -> Self {
        Self {
            url: url.into(),
            api_key: api_key.into(),
            secret_key: secret_key.into(),
            brand: brand.into(),
            timeout: Duration::from_secs(10),
            retries: 3,
            backoff: Duration::from_millis(200),
        }
    }
}

impl fmt::Debug for EsmsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EsmsSettings")
            .field("url", &self.url)
            .field("api_key", &"<redacted>")
            .field("secret_key", &"<redacted>")
            .field("brand", &self.brand)
            .field("timeout", &self.timeout)
            .field("retries", &self.retries)
            .field("backoff", &self.backoff)
            .finish()
    }
}

/// The eSMS.vn gateway (see the module docs).
#[derive(Clone)]
pub struct EsmsGateway {
    settings: Arc<EsmsSettings>,
    agent: ureq::Agent,
}

impl fmt::Debug for EsmsGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EsmsGateway")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// The request body, eSMS's field names.
#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct SendBody<'a> {
    api_key: &'a str,
    secret_key: &'a str,
    phone: &'a str,
    content: &'a str,
    brandname: &'a str,
    sms_type: &'a str,
    is_unicode: &'a str,
    request_id: &'a str,
}

/// The answer's fields that matter.
#[derive(serde::Deserialize)]
struct Answer {
    #[serde(rename = "CodeResult")]
    code_result: serde_json::Value,
    #[serde(rename = "ErrorMessage", default)]
    error_message: Option<String>,
    #[serde(rename = "SMSID", default)]
    sms_id: Option<serde_json::Value>,
}

/// What one attempt came to.
enum Attempt {
    /// Accepted (`100`) or already accepted (`124`).
    Accepted { code: String, sms_id: String },
    /// Refused for good.
    Rejected(SmsError),
    /// Worth another attempt.
    Retry(String),
    /// Not worth another attempt, not the message's fault.
    Fail(String),
}

/// The short English reason of an eSMS refusal code (from eSMS's table of
/// error codes).
fn rejection_reason(code: &str) -> Option<&'static str> {
    Some(match code {
        "99" => "the phone number is blocked from receiving messages",
        "101" => "wrong API key or secret key",
        "103" => "the account's balance is too low",
        "104" => "the brandname is not registered for this account",
        "108" => "the phone number is invalid",
        "140" => "this server's IP address is not whitelisted by the provider",
        "146" => "the text does not match a registered customer-care template",
        _ => return None,
    })
}

/// A random request id in the shape of a UUID v4 (32 hex digits).
fn request_id() -> String {
    let n = (rand::random::<u128>() & !(0xf << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62);
    let h = format!("{n:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// Reads the provider's answer to one `POST`.
fn judge(status: u16, body: Result<String, ureq::Error>) -> Attempt {
    if status >= 500 || status == 429 {
        return Attempt::Retry(format!("HTTP {status}"));
    }
    if !(200..300).contains(&status) {
        return Attempt::Fail(format!("HTTP {status}"));
    }
    let body = match body {
        Ok(b) => b,
        Err(e) => return Attempt::Retry(format!("answer not read: {e}")),
    };
    let answer: Answer = match serde_json::from_str(&body) {
        Ok(a) => a,
        Err(_) => return Attempt::Retry("answer is not eSMS JSON".to_owned()),
    };
    let code = match answer.code_result {
        serde_json::Value::String(s) => s.trim().to_owned(),
        other => other.to_string(),
    };
    match code.as_str() {
        "100" | "124" => Attempt::Accepted {
            sms_id: match answer.sms_id {
                Some(serde_json::Value::String(s)) => s,
                Some(serde_json::Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            },
            code,
        },
        // The service's own setup (keys, balance, brandname, address,
        // template): no message to any number can pass, and the citizen's
        // number is not to blame — unavailable, not refused.
        "101" | "103" | "104" | "140" | "146" => Attempt::Fail(format!(
            "{code}: {}",
            rejection_reason(&code).unwrap_or("provider setup")
        )),
        _ => {
            let message = rejection_reason(&code).map_or_else(
                || {
                    answer
                        .error_message
                        .filter(|m| !m.trim().is_empty())
                        .unwrap_or_else(|| "unknown result code".to_owned())
                },
                str::to_owned,
            );
            Attempt::Rejected(SmsError::Rejected { code, message })
        }
    }
}

impl EsmsGateway {
    /// A gateway with these settings (no connection is made here).
    pub fn new(settings: EsmsSettings) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .http_status_as_error(false)
            .user_agent("cancuoc")
            .build()
            .new_agent();
        Self {
            settings: Arc::new(settings),
            agent,
        }
    }

    /// The settings it was made with.
    pub fn settings(&self) -> &EsmsSettings {
        &self.settings
    }

    /// One `POST` of `body`, on a blocking thread.
    async fn attempt(&self, body: Arc<[u8]>) -> Attempt {
        let (agent, url) = (self.agent.clone(), self.settings.url.clone());
        let posted = tokio::task::spawn_blocking(move || {
            let mut answer = agent
                .post(&url)
                .content_type("application/json")
                .send(&body[..])?;
            let status = answer.status().as_u16();
            let body = answer
                .body_mut()
                .with_config()
                .limit(ANSWER_LIMIT)
                .read_to_string();
            Ok::<_, ureq::Error>((status, body))
        })
        .await;
        match posted {
            Ok(Ok((status, body))) => judge(status, body),
            // A URL that cannot be requested: retrying will not mend it.
            Ok(Err(
                e @ (ureq::Error::BadUri(_) | ureq::Error::Http(_) | ureq::Error::InvalidProxyUrl),
            )) => Attempt::Fail(e.to_string()),
            Ok(Err(e)) => Attempt::Retry(e.to_string()),
            Err(e) => Attempt::Retry(format!("blocking task: {e}")),
        }
    }
}

impl SmsGateway for EsmsGateway {
    fn send<'a>(&'a self, message: &'a SmsMessage) -> SendFuture<'a> {
        Box::pin(async move {
            let s = &self.settings;
            // The caller's key, when it may send this message again, so
            // that eSMS drops the repeat (124); a fresh one otherwise.
            let request_id = message.key.clone().unwrap_or_else(request_id);
            let body: Arc<[u8]> = serde_json::to_vec(&SendBody {
                api_key: &s.api_key,
                secret_key: &s.secret_key,
                phone: message.to.as_str(),
                content: &message.text,
                brandname: &s.brand,
                sms_type: "2",
                is_unicode: if message.text.is_ascii() { "0" } else { "1" },
                request_id: &request_id,
            })
            .map_err(|e| SmsError::Unavailable(format!("request not written: {e}")))?
            .into();
            let to = message.to.masked();
            let mut last = String::new();
            for attempt in 0..=s.retries {
                if attempt > 0 {
                    let wait = s.backoff.saturating_mul(1 << (attempt - 1).min(16));
                    tokio::time::sleep(wait).await;
                }
                match self.attempt(Arc::clone(&body)).await {
                    Attempt::Accepted { code, sms_id } => {
                        tracing::info!(
                            %to,
                            purpose = message.purpose,
                            %request_id,
                            %sms_id,
                            code = %code,
                            attempts = attempt + 1,
                            "SMS accepted by the provider"
                        );
                        return Ok(());
                    }
                    Attempt::Rejected(e) => {
                        tracing::warn!(
                            %to,
                            purpose = message.purpose,
                            %request_id,
                            error = %e,
                            "SMS refused by the provider"
                        );
                        return Err(e);
                    }
                    Attempt::Fail(why) => {
                        tracing::error!(
                            %to,
                            purpose = message.purpose,
                            %request_id,
                            error = %why,
                            "SMS provider not usable"
                        );
                        return Err(SmsError::Unavailable(why));
                    }
                    Attempt::Retry(why) => {
                        tracing::warn!(
                            %to,
                            purpose = message.purpose,
                            %request_id,
                            attempt = attempt + 1,
                            error = %why,
                            "SMS provider failed; retrying"
                        );
                        last = why;
                    }
                }
            }
            tracing::error!(
                %to,
                purpose = message.purpose,
                %request_id,
                error = %last,
                "SMS provider unavailable after the retries"
            );
            let attempts = s.retries + 1;
            Err(SmsError::Unavailable(format!(
                "{last} (after {attempts} attempt{})",
                if attempts == 1 { "" } else { "s" }
            )))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_look_like_uuids_and_differ() {
        let a = request_id();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4", "{a}");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()), "{a}");
        assert_ne!(a, request_id());
    }

    #[test]
    fn answers_are_judged_by_code_and_status() {
        let ok = |s: &str| judge(200, Ok(s.to_owned()));
        assert!(matches!(
            ok(r#"{"CodeResult":"100","CountRegenerate":0,"SMSID":"a1"}"#),
            Attempt::Accepted { .. }
        ));
        assert!(matches!(
            ok(r#"{"CodeResult":124}"#),
            Attempt::Accepted { .. }
        ));
        for code in ["101", "103", "104", "140", "146"] {
            match ok(&format!(r#"{{"CodeResult":"{code}"}}"#)) {
                Attempt::Fail(why) => assert!(why.starts_with(code), "{why}"),
                _ => panic!("{code}: the service's setup, not the number"),
            }
        }
        for code in ["99", "108"] {
            match ok(&format!(r#"{{"CodeResult":"{code}"}}"#)) {
                Attempt::Rejected(SmsError::Rejected { code: c, message }) => {
                    assert_eq!(c, code);
                    assert_eq!(Some(message.as_str()), rejection_reason(code));
                }
                _ => panic!("{code} not a rejection"),
            }
        }
        match ok(r#"{"CodeResult":"777","ErrorMessage":"New rule"}"#) {
            Attempt::Rejected(SmsError::Rejected { message, .. }) => {
                assert_eq!(message, "New rule");
            }
            _ => panic!("an unknown code is a rejection"),
        }
        assert!(matches!(ok("<html>"), Attempt::Retry(_)));
        assert!(matches!(judge(503, Ok(String::new())), Attempt::Retry(_)));
        assert!(matches!(judge(429, Ok(String::new())), Attempt::Retry(_)));
        assert!(matches!(judge(404, Ok(String::new())), Attempt::Fail(_)));
    }

    #[test]
    fn debug_hides_the_keys() {
        let g = EsmsGateway::new(EsmsSettings::new(
            ESMS_URL,
            "API-KEY-123",
            "SECRET-456",
            "CANCUOC",
        ));
        let d = format!("{g:?}");
        assert!(
            !d.contains("API-KEY-123") && !d.contains("SECRET-456"),
            "{d}"
        );
        assert!(d.contains("CANCUOC"), "{d}");
    }
}
