//! The citizens' channels in the settings (kênh hỏi đáp): which of the
//! hotline (Twilio, Stringee), the Zalo OA and the Messenger Page are on,
//! with their secrets, resolved from the merged [`Layer`].
//!
//! A channel is on only when every secret it needs is set — Twilio: the
//! auth token; Stringee: the signing secret; Zalo: the app id, the webhook
//! secret and both tokens; Messenger: the app secret, the verify token and
//! the Page token. A channel with some of them set and others not is a
//! mistake told at start, naming each missing key and its variable, rather
//! than a channel silently off. Secrets are [`Secret`]s (`Debug` prints
//! `<redacted>`); the provider hosts default to the real ones.

use std::collections::BTreeMap;

use anyhow::bail;

use super::{Layer, Secret};

/// The default voice of Twilio's `<Say>`.
pub const DEFAULT_IVR_VOICE: &str = "Google.vi-VN-Standard-A";
/// The default voice of Stringee's `talk`.
pub const DEFAULT_STRINGEE_VOICE: &str = "hn_male_xuantin_vdts_48k-hsmm";
/// The default Stringee hotline number (the Ministry's 1900.0368).
pub const DEFAULT_STRINGEE_HOTLINE: &str = "19000368";
/// The Zalo OA API.
pub const DEFAULT_ZALO_API_BASE: &str = "https://openapi.zalo.me";
/// The Zalo OAuth host.
pub const DEFAULT_ZALO_OAUTH_BASE: &str = "https://oauth.zaloapp.com";
/// The Zalo ZNS host.
pub const DEFAULT_ZALO_ZNS_BASE: &str = "https://business.openapi.zalo.me";
/// The Graph API host (Messenger's Send API).
pub const DEFAULT_GRAPH_API_BASE: &str = "https://graph.facebook.com";
/// The notices a ZNS template may be set for.
pub const ZNS_NOTICES: [&str; 7] = [
    "received",
    "approved",
    "rejected",
    "refused",
    "ready_for_pickup",
    "posted",
    "overdue",
];

/// The hotline on Twilio.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Twilio {
    /// The auth token (signature key).
    pub auth_token: Secret,
    /// The voice of `<Say>`.
    pub voice: String,
}

/// The hotline on Stringee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stringee {
    /// The signing secret.
    pub signing_secret: Secret,
    /// The number calls come in on.
    pub hotline_number: String,
    /// The voice of `talk`.
    pub voice: String,
}

/// The Zalo Official Account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zalo {
    /// The Zalo app's id (not a secret, but part of the signature).
    pub app_id: String,
    /// The OA secret key of the webhook's signature.
    pub webhook_secret: Secret,
    /// The app secret of the token refresh.
    pub app_secret: Secret,
    /// The first access token.
    pub access_token: Secret,
    /// The first refresh token.
    pub refresh_token: Secret,
    /// The OA API.
    pub api_base: String,
    /// The OAuth host.
    pub oauth_base: String,
    /// The ZNS host.
    pub zns_base: String,
    /// ZNS template ids by notice.
    pub zns_templates: BTreeMap<String, String>,
}

/// The Messenger Page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Messenger {
    /// The app secret (signature key).
    pub app_secret: Secret,
    /// The `hub.verify_token` of the handshake.
    pub verify_token: Secret,
    /// The Page access token.
    pub page_token: Secret,
    /// The Graph API.
    pub graph_base: String,
}

/// The channels that are on (each `None` when off).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Channels {
    /// The hotline on Twilio.
    pub twilio: Option<Twilio>,
    /// The hotline on Stringee.
    pub stringee: Option<Stringee>,
    /// The operator number of the hotline.
    pub operator_number: Option<String>,
    /// The Zalo OA.
    pub zalo: Option<Zalo>,
    /// The Messenger Page.
    pub messenger: Option<Messenger>,
    /// Zalo's domain-verification file: its name and content.
    pub zalo_verifier: Option<(String, String)>,
}

impl Channels {
    /// The channels that are on, by code, in a fixed order.
    pub fn enabled(&self) -> Vec<&'static str> {
        [
            ("twilio", self.twilio.is_some()),
            ("stringee", self.stringee.is_some()),
            ("zalo", self.zalo.is_some()),
            ("messenger", self.messenger.is_some()),
        ]
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(code, _)| code)
        .collect()
    }

    /// The server's form of these settings (the secrets exposed to it).
    pub fn to_server(&self) -> cancuoc_server::channels::ChannelsConfig {
        use cancuoc_server::channels as s;
        s::ChannelsConfig {
            twilio: self.twilio.as_ref().map(|t| s::TwilioConfig {
                auth_token: t.auth_token.expose().to_owned(),
                voice: t.voice.clone(),
            }),
            stringee: self.stringee.as_ref().map(|t| s::StringeeConfig {
                signing_secret: t.signing_secret.expose().to_owned(),
                hotline_number: t.hotline_number.clone(),
                voice: t.voice.clone(),
            }),
            operator_number: self.operator_number.clone(),
            zalo_verifier: self
                .zalo_verifier
                .clone()
                .map(|(file_name, html)| s::ZaloVerifier { file_name, html }),
            zalo: self.zalo.as_ref().map(|z| s::ZaloConfig {
                app_id: z.app_id.clone(),
                webhook_secret: z.webhook_secret.expose().to_owned(),
                app_secret: z.app_secret.expose().to_owned(),
                access_token: z.access_token.expose().to_owned(),
                refresh_token: z.refresh_token.expose().to_owned(),
                api_base: z.api_base.clone(),
                oauth_base: z.oauth_base.clone(),
                zns_base: z.zns_base.clone(),
                zns_templates: z.zns_templates.clone(),
            }),
            messenger: self.messenger.as_ref().map(|m| s::MessengerConfig {
                app_secret: m.app_secret.expose().to_owned(),
                verify_token: m.verify_token.expose().to_owned(),
                page_token: m.page_token.expose().to_owned(),
                graph_base: m.graph_base.clone(),
            }),
        }
    }
}

/// A key's value when set and not blank, trimmed.
fn value(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// A key and its environment variable, as the messages name them.
fn named(key: &str) -> String {
    format!("{key} (CANCUOC_{})", key.to_ascii_uppercase())
}

/// A provider host: `http(s)://host[:port][/path]`, no trailing slash;
/// `default` when unset.
fn base(key: &str, v: &Option<String>, default: &str) -> anyhow::Result<String> {
    let Some(url) = value(v) else {
        return Ok(default.to_owned());
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') && !r.contains(['?', '#', ' ']) => {
            Ok(url.trim_end_matches('/').to_owned())
        }
        _ => bail!("{key} = {url:?} must be http(s)://host[:port], e.g. {default}"),
    }
}

/// A phone number to dial: `+` and digits, or digits (spaces, dots and
/// dashes as people write them are dropped), 3 to 15 digits.
fn dial_number(key: &str, text: &str) -> anyhow::Result<String> {
    let plus = text.starts_with('+');
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .skip(usize::from(plus))
        .collect();
    anyhow::ensure!(
        (3..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()),
        "{key} = {text:?}: expected a number to dial, +84… or digits"
    );
    Ok(if plus { format!("+{digits}") } else { digits })
}

/// The channels of the merged settings; every half-configured channel and
/// every malformed value is told, all at once.
pub(super) fn resolve(l: &Layer) -> anyhow::Result<Channels> {
    let mut problems: Vec<String> = Vec::new();
    // The values of `keys` when all are set, else `None`; a channel with
    // some but not all of them (or with one of `also` set) is a problem
    // naming the missing ones.
    let mut all_or_none =
        |channel: &str, keys: &[(&str, &Option<String>)], also: &[&Option<String>]| {
            let values: Vec<Option<String>> = keys.iter().map(|(_, v)| value(v)).collect();
            let missing: Vec<String> = keys
                .iter()
                .zip(&values)
                .filter(|(_, v)| v.is_none())
                .map(|((k, _), _)| named(k))
                .collect();
            if missing.is_empty() {
                return Some(values.into_iter().flatten().collect::<Vec<_>>());
            }
            let any = missing.len() < keys.len() || also.iter().any(|v| value(v).is_some());
            if any {
                problems.push(format!(
                    "{channel} is only half configured: {} must be set too",
                    missing.join(", ")
                ));
            }
            None
        };
    let twilio = all_or_none(
        "Twilio",
        &[("twilio_auth_token", &l.twilio_auth_token)],
        &[],
    );
    let stringee = all_or_none(
        "Stringee",
        &[("stringee_signing_secret", &l.stringee_signing_secret)],
        &[],
    );
    let zalo = all_or_none(
        "Zalo",
        &[
            ("zalo_app_id", &l.zalo_app_id),
            ("zalo_webhook_secret", &l.zalo_webhook_secret),
            ("zalo_access_token", &l.zalo_access_token),
            ("zalo_refresh_token", &l.zalo_refresh_token),
        ],
        &[&l.zalo_app_secret],
    );
    let messenger = all_or_none(
        "Messenger",
        &[
            ("messenger_app_secret", &l.messenger_app_secret),
            ("messenger_verify_token", &l.messenger_verify_token),
            ("messenger_page_token", &l.messenger_page_token),
        ],
        &[],
    );
    let mut check = |r: anyhow::Result<String>| match r {
        Ok(v) => v,
        Err(e) => {
            problems.push(e.to_string());
            String::new()
        }
    };
    let operator_number =
        value(&l.ivr_operator_number).map(|n| check(dial_number("ivr_operator_number", &n)));
    let hotline_number = check(dial_number(
        "stringee_hotline_number",
        &value(&l.stringee_hotline_number).unwrap_or_else(|| DEFAULT_STRINGEE_HOTLINE.to_owned()),
    ));
    let zalo_api = check(base(
        "zalo_api_base",
        &l.zalo_api_base,
        DEFAULT_ZALO_API_BASE,
    ));
    let zalo_oauth = check(base(
        "zalo_oauth_base",
        &l.zalo_oauth_base,
        DEFAULT_ZALO_OAUTH_BASE,
    ));
    let zalo_zns = check(base(
        "zalo_zns_base",
        &l.zalo_zns_base,
        DEFAULT_ZALO_ZNS_BASE,
    ));
    let graph = check(base(
        "graph_api_base",
        &l.graph_api_base,
        DEFAULT_GRAPH_API_BASE,
    ));
    let mut templates = BTreeMap::new();
    for (notice, id) in l.zalo_zns_templates.iter().flatten() {
        let id = id.trim();
        if !ZNS_NOTICES.contains(&notice.as_str()) {
            problems.push(format!(
                "zalo_zns_templates: {notice:?} is not a notice (one of {})",
                ZNS_NOTICES.join(", ")
            ));
        } else if id.is_empty() {
            problems.push(format!(
                "zalo_zns_templates.{notice}: the template id is empty"
            ));
        } else {
            templates.insert(notice.clone(), id.to_owned());
        }
    }
    let zalo_verifier = match &l.zalo_verifier_file {
        None => None,
        Some(path) => match verifier(path) {
            Ok(v) => Some(v),
            Err(e) => {
                problems.push(e);
                None
            }
        },
    };
    if !problems.is_empty() {
        bail!("channel settings: {}", problems.join("; "));
    }
    let voice = |v: &Option<String>, default: &str| value(v).unwrap_or_else(|| default.to_owned());
    Ok(Channels {
        twilio: twilio.and_then(|v| {
            Some(Twilio {
                auth_token: Secret(v.first()?.clone()),
                voice: voice(&l.ivr_voice, DEFAULT_IVR_VOICE),
            })
        }),
        stringee: stringee.and_then(|v| {
            Some(Stringee {
                signing_secret: Secret(v.first()?.clone()),
                hotline_number,
                voice: voice(&l.stringee_voice, DEFAULT_STRINGEE_VOICE),
            })
        }),
        operator_number,
        zalo: zalo.and_then(|v| {
            let [app_id, webhook, access, refresh] = <[String; 4]>::try_from(v).ok()?;
            Some(Zalo {
                app_secret: Secret(value(&l.zalo_app_secret).unwrap_or_else(|| webhook.clone())),
                app_id,
                webhook_secret: Secret(webhook),
                access_token: Secret(access),
                refresh_token: Secret(refresh),
                api_base: zalo_api,
                oauth_base: zalo_oauth,
                zns_base: zalo_zns,
                zns_templates: templates,
            })
        }),
        zalo_verifier,
        messenger: messenger.and_then(|v| {
            let [app_secret, verify, page] = <[String; 3]>::try_from(v).ok()?;
            Some(Messenger {
                app_secret: Secret(app_secret),
                verify_token: Secret(verify),
                page_token: Secret(page),
                graph_base: graph,
            })
        }),
    })
}

/// Zalo's verification file at `path`: its name (letters, digits, `_`,
/// `-`, `.`, ending in `.html`, served at the site's root under it) and
/// its content (at most 64 KiB).
fn verifier(path: &std::path::Path) -> Result<(String, String), String> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let safe = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if !safe || !name.ends_with(".html") || name.starts_with('.') {
        return Err(format!(
            "zalo_verifier_file {}: the name must be letters, digits, _ - . and end in .html, \
             as Zalo issues it (zalo_verifier….html)",
            path.display()
        ));
    }
    let html = std::fs::read_to_string(path)
        .map_err(|e| format!("zalo_verifier_file {}: {e}", path.display()))?;
    if html.len() > 64 * 1024 {
        return Err(format!(
            "zalo_verifier_file {}: over 64 KiB; Zalo's file is a few hundred bytes",
            path.display()
        ));
    }
    Ok((name, html))
}

#[cfg(test)]
mod tests {
    use super::super::{Settings, tests::env_of};
    use super::*;

    fn resolve_env(pairs: &[(&str, &str)]) -> anyhow::Result<Channels> {
        Settings::resolve(Layer::default(), None, &env_of(pairs)).map(|s| s.channels)
    }

    #[test]
    fn every_channel_is_off_by_default() {
        let c = resolve_env(&[]).expect("defaults");
        assert_eq!(c, Channels::default());
        assert!(c.enabled().is_empty());
        let server = c.to_server();
        assert!(server.twilio.is_none() && server.zalo.is_none());
    }

    #[test]
    fn each_channel_is_on_with_its_secrets_and_defaults() {
        let c = resolve_env(&[
            ("CANCUOC_TWILIO_AUTH_TOKEN", "tw-secret"),
            ("CANCUOC_IVR_OPERATOR_NUMBER", "+84 24 3826 9999"),
            ("CANCUOC_STRINGEE_SIGNING_SECRET", "st-secret"),
            ("CANCUOC_ZALO_APP_ID", "2553928453557884079"),
            ("CANCUOC_ZALO_WEBHOOK_SECRET", "za-webhook"),
            ("CANCUOC_ZALO_ACCESS_TOKEN", "za-access"),
            ("CANCUOC_ZALO_REFRESH_TOKEN", "za-refresh"),
            ("CANCUOC_MESSENGER_APP_SECRET", "me-app"),
            ("CANCUOC_MESSENGER_VERIFY_TOKEN", "me-verify"),
            ("CANCUOC_MESSENGER_PAGE_TOKEN", "me-page"),
        ])
        .expect("all on");
        assert_eq!(c.enabled(), ["twilio", "stringee", "zalo", "messenger"]);
        assert_eq!(c.operator_number.as_deref(), Some("+842438269999"));
        let server = c.to_server();
        let t = server.twilio.expect("twilio");
        assert_eq!(
            (t.auth_token.as_str(), t.voice.as_str()),
            ("tw-secret", DEFAULT_IVR_VOICE)
        );
        let s = server.stringee.expect("stringee");
        assert_eq!(
            (
                s.signing_secret.as_str(),
                s.hotline_number.as_str(),
                s.voice.as_str()
            ),
            ("st-secret", "19000368", DEFAULT_STRINGEE_VOICE)
        );
        let z = server.zalo.expect("zalo");
        assert_eq!(z.app_id, "2553928453557884079");
        assert_eq!(
            z.app_secret, "za-webhook",
            "the app secret defaults to the webhook secret"
        );
        assert_eq!(
            (z.access_token.as_str(), z.refresh_token.as_str()),
            ("za-access", "za-refresh")
        );
        assert_eq!(
            (
                z.api_base.as_str(),
                z.oauth_base.as_str(),
                z.zns_base.as_str()
            ),
            (
                DEFAULT_ZALO_API_BASE,
                DEFAULT_ZALO_OAUTH_BASE,
                DEFAULT_ZALO_ZNS_BASE
            )
        );
        let m = server.messenger.expect("messenger");
        assert_eq!(
            (
                m.app_secret.as_str(),
                m.verify_token.as_str(),
                m.page_token.as_str()
            ),
            ("me-app", "me-verify", "me-page")
        );
        assert_eq!(m.graph_base, DEFAULT_GRAPH_API_BASE);
        // Debug (a log line of the settings) shows no secret.
        let settings = Settings::resolve(
            Layer::default(),
            None,
            &env_of(&[
                ("CANCUOC_TWILIO_AUTH_TOKEN", "tw-secret"),
                ("CANCUOC_MESSENGER_APP_SECRET", "me-app"),
                ("CANCUOC_MESSENGER_VERIFY_TOKEN", "me-verify"),
                ("CANCUOC_MESSENGER_PAGE_TOKEN", "me-page"),
            ]),
        )
        .expect("settings");
        let dbg = format!("{settings:?}");
        for secret in ["tw-secret", "me-app", "me-verify", "me-page"] {
            assert!(!dbg.contains(secret), "{secret} in {dbg}");
        }
        assert!(dbg.contains("<redacted>"), "{dbg}");
    }

    #[test]
    fn a_half_configured_channel_names_every_missing_key() {
        let e = resolve_env(&[
            ("CANCUOC_ZALO_APP_ID", "2553928453557884079"),
            ("CANCUOC_ZALO_WEBHOOK_SECRET", "za-webhook"),
        ])
        .expect_err("half Zalo");
        assert_eq!(
            format!("{e:#}"),
            "channel settings: Zalo is only half configured: zalo_access_token \
             (CANCUOC_ZALO_ACCESS_TOKEN), zalo_refresh_token (CANCUOC_ZALO_REFRESH_TOKEN) \
             must be set too"
        );
        let e = resolve_env(&[("CANCUOC_MESSENGER_PAGE_TOKEN", "me-page")])
            .expect_err("half Messenger");
        let m = format!("{e:#}");
        assert!(
            m.contains("messenger_app_secret (CANCUOC_MESSENGER_APP_SECRET), messenger_verify_token (CANCUOC_MESSENGER_VERIFY_TOKEN)"),
            "{m}"
        );
        assert!(!m.contains("me-page"), "{m}");
        // The optional app secret alone also asks for the rest.
        let e = Settings::resolve(
            Layer {
                zalo_app_secret: Some("za-app".into()),
                ..Layer::default()
            },
            None,
            &env_of(&[]),
        )
        .expect_err("app secret alone");
        assert!(
            format!("{e:#}").contains("zalo_app_id (CANCUOC_ZALO_APP_ID)"),
            "{e:#}"
        );
        // Blank is unset.
        let c = resolve_env(&[("CANCUOC_TWILIO_AUTH_TOKEN", "  ")]).expect("blank");
        assert!(c.twilio.is_none());
    }

    #[test]
    fn zalos_verification_file_is_read_and_its_name_checked() {
        let d = std::env::temp_dir().join(format!("cancuoc-zalo-verifier-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("mkdir");
        let good = d.join("zalo_verifierAbC-12_x.html");
        std::fs::write(&good, "<html>zalo-platform-site-verification</html>").expect("write");
        let c = resolve_env(&[("CANCUOC_ZALO_VERIFIER_FILE", good.to_str().expect("utf-8"))])
            .expect("a verifier");
        let served = c.to_server().zalo_verifier.expect("served");
        assert_eq!(served.file_name, "zalo_verifierAbC-12_x.html");
        assert_eq!(served.html, "<html>zalo-platform-site-verification</html>");
        // A name that is not a plain .html file name is refused, and so is
        // a file that cannot be read.
        let bad = d.join("verify.txt");
        std::fs::write(&bad, "x").expect("write");
        let e = resolve_env(&[("CANCUOC_ZALO_VERIFIER_FILE", bad.to_str().expect("utf-8"))])
            .expect_err("not .html");
        assert!(format!("{e:#}").contains("must be letters"), "{e:#}");
        let missing = d.join("zalo_verifierNONE.html");
        let e = resolve_env(&[(
            "CANCUOC_ZALO_VERIFIER_FILE",
            missing.to_str().expect("utf-8"),
        )])
        .expect_err("missing");
        assert!(format!("{e:#}").contains("zalo_verifierNONE.html"), "{e:#}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn file_keys_templates_and_bases_layer_under_the_environment() {
        let d =
            std::env::temp_dir().join(format!("cancuoc-config-channels-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("mkdir");
        let file = d.join("c.toml");
        std::fs::write(
            &file,
            "zalo_app_id = \"111\"\nzalo_webhook_secret = \"file-webhook\"\n\
             zalo_app_secret = \"file-app\"\nzalo_access_token = \"file-access\"\n\
             zalo_refresh_token = \"file-refresh\"\nzalo_api_base = \"http://127.0.0.1:9/\"\n\
             zalo_oauth_base = \"http://127.0.0.1:9/oauth\"\nivr_voice = \"Google.vi-VN-Wavenet-A\"\n\
             twilio_auth_token = \"file-twilio\"\nstringee_hotline_number = \"1900 0368\"\n\
             [zalo_zns_templates]\nreceived = \"300001\"\nready_for_pickup = \"300002\"\n",
        )
        .expect("write");
        let env = env_of(&[
            ("CANCUOC_ZALO_ACCESS_TOKEN", "env-access"),
            ("CANCUOC_ZALO_API_BASE", "https://zalo.example.vn"),
        ]);
        let s = Settings::resolve(Layer::default(), Some(&file), &env).expect("file and env");
        let z = s.channels.zalo.clone().expect("zalo");
        assert_eq!(z.access_token.expose(), "env-access", "env beats file");
        assert_eq!(z.refresh_token.expose(), "file-refresh");
        assert_eq!(z.app_secret.expose(), "file-app");
        assert_eq!(z.api_base, "https://zalo.example.vn");
        assert_eq!(z.oauth_base, "http://127.0.0.1:9/oauth");
        assert_eq!(z.zns_base, DEFAULT_ZALO_ZNS_BASE);
        assert_eq!(
            z.zns_templates
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>(),
            ["ready_for_pickup=300002", "received=300001"]
        );
        let t = s.channels.twilio.clone().expect("twilio");
        assert_eq!(t.voice, "Google.vi-VN-Wavenet-A");
        assert!(s.channels.stringee.is_none(), "no signing secret: off");
        assert!(!format!("{s:?}").contains("file-"), "{s:?}");

        std::fs::write(&file, "[zalo_zns_templates]\nready = \"1\"\n").expect("write");
        let e = Settings::resolve(Layer::default(), Some(&file), &env_of(&[]))
            .expect_err("unknown notice");
        assert!(
            format!("{e:#}").contains("\"ready\" is not a notice"),
            "{e:#}"
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn malformed_bases_and_numbers_are_refused() {
        let e = resolve_env(&[("CANCUOC_GRAPH_API_BASE", "graph.facebook.com")])
            .expect_err("no scheme");
        assert!(
            format!("{e:#}")
                .contains("graph_api_base = \"graph.facebook.com\" must be http(s)://host[:port]"),
            "{e:#}"
        );
        let e = resolve_env(&[("CANCUOC_IVR_OPERATOR_NUMBER", "call me")]).expect_err("letters");
        assert!(
            format!("{e:#}").contains("ivr_operator_number = \"call me\""),
            "{e:#}"
        );
        // Two problems at once are both told.
        let e = resolve_env(&[
            ("CANCUOC_ZALO_API_BASE", "ftp://x"),
            ("CANCUOC_MESSENGER_APP_SECRET", "s"),
        ])
        .expect_err("two problems");
        let m = format!("{e:#}");
        assert!(
            m.contains("zalo_api_base") && m.contains("Messenger is only half"),
            "{m}"
        );
    }
}
