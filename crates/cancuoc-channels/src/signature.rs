//! Webhook signatures (chữ ký webhook): each provider's formula over the
//! bytes exactly as sent, checked in constant time, failing closed — a
//! missing, garbled or differently shaped header, or an empty secret, is
//! "not valid", never "skip the check". The `*_sign` halves produce the
//! same headers for the simulators and the tests.
//!
//! | provider | header | formula |
//! |---|---|---|
//! | Twilio | `X-Twilio-Signature` | base64 HMAC-SHA1(auth token, URL + Σ sorted name+value) |
//! | Zalo OA | `X-ZEvent-Signature` | `mac=` + hex SHA-256(app id + body + timestamp + secret), plain SHA-256, not HMAC |
//! | Messenger | `X-Hub-Signature-256` | `sha256=` + hex HMAC-SHA256(app secret, body) |
//! | Stringee | `X-Stringee-Signature` | base64 HMAC-SHA1(signing secret, body) |
//!
//! Sources and the vectors tested below: `../shared/research/channels.md`
//! §1.2, §2, §3.1, §3.2 and §5. Twilio signs the public URL as Twilio
//! requested it, query included (the caller passes the configured public
//! URL, never one rebuilt from the request's `Host`); Twilio's optional
//! HMAC-SHA256 "Webhook Rules" mode is not supported.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use cancuoc_core::account::otp::ct_eq;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// The lowercase hexadecimal form of `bytes`.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// The HMAC-SHA1 state keyed with `key` (HMAC takes keys of any length).
fn hmac_sha1(key: &[u8]) -> Option<Hmac<Sha1>> {
    <Hmac<Sha1> as KeyInit>::new_from_slice(key).ok()
}

/// The HMAC-SHA256 state keyed with `key`.
fn hmac_sha256(key: &[u8]) -> Option<Hmac<Sha256>> {
    <Hmac<Sha256> as KeyInit>::new_from_slice(key).ok()
}

/// Feeds Twilio's signed text: the URL, then each parameter's name and
/// value, sorted by name then value.
fn twilio_mac(auth_token: &str, url: &str, params: &[(String, String)]) -> Option<Hmac<Sha1>> {
    let mut mac = hmac_sha1(auth_token.as_bytes())?;
    mac.update(url.as_bytes());
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    for (name, value) in sorted {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    Some(mac)
}

/// Twilio's `X-Twilio-Signature` of a request to `url` (the full public
/// URL Twilio requested, query included) with the form `params`.
pub fn twilio_sign(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    twilio_mac(auth_token, url, params)
        .map(|m| BASE64.encode(m.finalize().into_bytes()))
        .unwrap_or_default()
}

/// Whether `header` is Twilio's signature of a request to `url` with the
/// form `params`, under `auth_token`.
pub fn twilio_valid(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    header: &str,
) -> bool {
    if auth_token.is_empty() {
        return false;
    }
    let Ok(given) = BASE64.decode(header.trim()) else {
        return false;
    };
    twilio_mac(auth_token, url, params).is_some_and(|m| m.verify_slice(&given).is_ok())
}

/// The hex SHA-256 of Zalo's signed text.
fn zalo_hex(app_id: &str, raw_body: &[u8], timestamp: &str, secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(app_id.as_bytes());
    h.update(raw_body);
    h.update(timestamp.as_bytes());
    h.update(secret.as_bytes());
    hex(&h.finalize())
}

/// Zalo's `X-ZEvent-Signature` (`mac=<hex>`) of a webhook body: `app_id`
/// and `timestamp` are the strings inside the body, `secret` the OA's
/// webhook secret key.
pub fn zalo_sign(app_id: &str, raw_body: &[u8], timestamp: &str, secret: &str) -> String {
    format!("mac={}", zalo_hex(app_id, raw_body, timestamp, secret))
}

/// Whether `header` is Zalo's signature of `raw_body` (see [`zalo_sign`]).
/// The hex digits may be in either case.
pub fn zalo_valid(
    app_id: &str,
    raw_body: &[u8],
    timestamp: &str,
    secret: &str,
    header: &str,
) -> bool {
    if secret.is_empty() || app_id.is_empty() {
        return false;
    }
    let Some(given) = header.trim().strip_prefix("mac=") else {
        return false;
    };
    let want = zalo_hex(app_id, raw_body, timestamp, secret);
    ct_eq(given.to_ascii_lowercase().as_bytes(), want.as_bytes())
}

/// Meta's `X-Hub-Signature-256` (`sha256=<hex>`) of a webhook body.
pub fn messenger_sign(app_secret: &str, raw_body: &[u8]) -> String {
    hmac_sha256(app_secret.as_bytes())
        .map(|mut m| {
            m.update(raw_body);
            format!("sha256={}", hex(&m.finalize().into_bytes()))
        })
        .unwrap_or_default()
}

/// Whether `header` is Meta's signature of `raw_body` under `app_secret`.
/// The hex digits may be in either case.
pub fn messenger_valid(app_secret: &str, raw_body: &[u8], header: &str) -> bool {
    if app_secret.is_empty() {
        return false;
    }
    let Some(given) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    ct_eq(
        given.to_ascii_lowercase().as_bytes(),
        messenger_sign(app_secret, raw_body)
            .trim_start_matches("sha256=")
            .as_bytes(),
    )
}

/// Stringee's `X-Stringee-Signature` of a body: base64 HMAC-SHA1 under
/// the project's signing secret.
pub fn stringee_sign(secret: &str, raw_body: &[u8]) -> String {
    hmac_sha1(secret.as_bytes())
        .map(|mut m| {
            m.update(raw_body);
            BASE64.encode(m.finalize().into_bytes())
        })
        .unwrap_or_default()
}

/// Whether `header` is Stringee's signature of `raw_body` under `secret`.
pub fn stringee_valid(secret: &str, raw_body: &[u8], header: &str) -> bool {
    if secret.is_empty() {
        return false;
    }
    let Ok(given) = BASE64.decode(header.trim()) else {
        return false;
    };
    hmac_sha1(secret.as_bytes()).is_some_and(|mut m| {
        m.update(raw_body);
        m.verify_slice(&given).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    const TWILIO_URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";

    /// Twilio's published example (docs "Webhooks security"; re-verified in
    /// the research file §3.1 against gist ryanwinchester/ab49855e…).
    /// Given out of order on purpose: the signature sorts them.
    fn twilio_params() -> Vec<(String, String)> {
        pairs(&[
            ("To", "+18005551212"),
            ("CallSid", "CA1234567890ABCDE"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("Caller", "+12349013030"),
        ])
    }

    #[test]
    fn twilio_published_vector() {
        let p = twilio_params();
        assert_eq!(
            twilio_sign("12345", TWILIO_URL, &p),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        );
        assert!(twilio_valid(
            "12345",
            TWILIO_URL,
            &p,
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        ));
    }

    #[test]
    fn twilio_fails_closed() {
        let p = twilio_params();
        let good = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
        // One byte changed in a value, the URL, the token.
        let mut changed = p.clone();
        changed[2].1 = "1235".into();
        assert!(!twilio_valid("12345", TWILIO_URL, &changed, good));
        assert!(!twilio_valid(
            "12345",
            "https://mycompany.com/myapp.php?foo=1&bar=3",
            &p,
            good
        ));
        assert!(!twilio_valid("12346", TWILIO_URL, &p, good));
        // A parameter added or dropped.
        let mut more = p.clone();
        more.push(("x".into(), String::new()));
        assert!(!twilio_valid("12345", TWILIO_URL, &more, good));
        assert!(!twilio_valid("12345", TWILIO_URL, &p[1..], good));
        // Missing, garbled, truncated headers; an empty token.
        for h in ["", "not base64!", "0/KCTR6DLpKmkAf8muzZqo1nDg", "AAAA"] {
            assert!(!twilio_valid("12345", TWILIO_URL, &p, h), "{h:?}");
        }
        assert!(!twilio_valid(
            "",
            TWILIO_URL,
            &p,
            &twilio_sign("", TWILIO_URL, &p)
        ));
    }

    const ZALO_BODY: &str = r#"{"app_id":"360846524940903967","sender":{"id":"246845883529197922"},"recipient":{"id":"388613280878808645"},"event_name":"user_send_text","message":{"text":"Tra cứu CCCD","msg_id":"96d3cdf3af150460909"},"timestamp":"1543908534742","user_id_by_app":"552177279717587730"}"#;
    const ZALO_MAC: &str = "mac=03c53348e78f36221e38ffec3708b527c41da3399547f9789053afda76ebc5f1";

    /// The research file's self-computed vector (§5).
    #[test]
    fn zalo_computed_vector() {
        assert_eq!(ZALO_BODY.len(), 271);
        let app = "360846524940903967";
        let ts = "1543908534742";
        assert_eq!(
            zalo_sign(app, ZALO_BODY.as_bytes(), ts, "oa-secret-TEST"),
            ZALO_MAC
        );
        assert!(zalo_valid(
            app,
            ZALO_BODY.as_bytes(),
            ts,
            "oa-secret-TEST",
            ZALO_MAC
        ));
        assert!(zalo_valid(
            app,
            ZALO_BODY.as_bytes(),
            ts,
            "oa-secret-TEST",
            &ZALO_MAC.to_ascii_uppercase().replace("MAC=", "mac=")
        ));
    }

    #[test]
    fn zalo_fails_closed() {
        let (app, ts, secret) = ("360846524940903967", "1543908534742", "oa-secret-TEST");
        let mut body = ZALO_BODY.as_bytes().to_vec();
        body[100] ^= 1;
        assert!(!zalo_valid(app, &body, ts, secret, ZALO_MAC));
        assert!(!zalo_valid(
            app,
            ZALO_BODY.as_bytes(),
            "1543908534743",
            secret,
            ZALO_MAC
        ));
        assert!(!zalo_valid(
            "360846524940903968",
            ZALO_BODY.as_bytes(),
            ts,
            secret,
            ZALO_MAC
        ));
        assert!(!zalo_valid(
            app,
            ZALO_BODY.as_bytes(),
            ts,
            "oa-secret-TESt",
            ZALO_MAC
        ));
        let bare = ZALO_MAC.trim_start_matches("mac=");
        for h in [
            "",
            "mac=",
            bare,
            "sha256=03c5",
            &ZALO_MAC[..ZALO_MAC.len() - 1],
        ] {
            assert!(
                !zalo_valid(app, ZALO_BODY.as_bytes(), ts, secret, h),
                "{h:?}"
            );
        }
        assert!(!zalo_valid(app, b"", ts, "", &zalo_sign(app, b"", ts, "")));
    }

    /// The research file's self-computed vector (§5): the body carries the
    /// six ASCII bytes `\u1ee9`, not the UTF-8 of `ứ`.
    const MESSENGER_BODY: &[u8] = br#"{"object":"page","entry":[{"id":"PAGE","time":1,"messaging":[{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1,"message":{"mid":"m_1","text":"Tra c\u1ee9u"}}]}]}"#;
    const MESSENGER_SIG: &str =
        "sha256=f9e509f4dac7a59dbd45ab4dae41eb9a74b4c8d57edb677568a3051b954d03be";

    #[test]
    fn messenger_computed_vector() {
        assert!(MESSENGER_BODY.windows(6).any(|w| w == b"\\u1ee9"));
        assert_eq!(
            messenger_sign("app-secret-TEST", MESSENGER_BODY),
            MESSENGER_SIG
        );
        assert!(messenger_valid(
            "app-secret-TEST",
            MESSENGER_BODY,
            MESSENGER_SIG
        ));
        // The same text re-encoded as UTF-8 is a different body.
        let reencoded = String::from_utf8_lossy(MESSENGER_BODY).replace("\\u1ee9", "ứ");
        assert!(!messenger_valid(
            "app-secret-TEST",
            reencoded.as_bytes(),
            MESSENGER_SIG
        ));
    }

    #[test]
    fn messenger_fails_closed() {
        let mut body = MESSENGER_BODY.to_vec();
        let last = body.len() - 3;
        body[last] ^= 0x20;
        assert!(!messenger_valid("app-secret-TEST", &body, MESSENGER_SIG));
        assert!(!messenger_valid(
            "app-secret-TESt",
            MESSENGER_BODY,
            MESSENGER_SIG
        ));
        let bare = MESSENGER_SIG.trim_start_matches("sha256=");
        for h in [
            "",
            "sha256=",
            bare,
            "sha1=f9e5",
            &MESSENGER_SIG[..MESSENGER_SIG.len() - 2],
        ] {
            assert!(
                !messenger_valid("app-secret-TEST", MESSENGER_BODY, h),
                "{h:?}"
            );
        }
        assert!(!messenger_valid("", b"{}", &messenger_sign("", b"{}")));
    }

    #[test]
    fn stringee_round_trip_and_fails_closed() {
        let body = br#"{"call_status":"answered","call_id":"call-vn-1-TEST"}"#;
        let sig = stringee_sign("stringee-TEST", body);
        // Base64 of a 20-byte SHA-1 MAC.
        assert_eq!(sig.len(), 28);
        assert!(stringee_valid("stringee-TEST", body, &sig));
        let mut changed = body.to_vec();
        changed[5] ^= 1;
        assert!(!stringee_valid("stringee-TEST", &changed, &sig));
        assert!(!stringee_valid("stringee-TESt", body, &sig));
        for h in ["", "%%%", &sig[..20]] {
            assert!(!stringee_valid("stringee-TEST", body, h), "{h:?}");
        }
        assert!(!stringee_valid("", body, &stringee_sign("", body)));
    }

    #[test]
    fn hex_is_lowercase_and_complete() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
    }
}
