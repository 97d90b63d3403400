//! The channels' HTTP doors (cổng kênh): the webhooks the telephony and
//! chat providers call, and the two background loops behind them.
//!
//! | Route | Provider |
//! |---|---|
//! | `POST /channels/ivr/twilio` | Twilio (or any TwiML host: SignalWire, Telnyx, somleng…), `X-Twilio-Signature` |
//! | `GET /channels/ivr/stringee/answer`, `POST /channels/ivr/stringee/event` | Stringee SCCO, `X-Stringee-Signature` on the events |
//! | `POST /channels/zalo/webhook` | Zalo Official Account v3, `X-ZEvent-Signature` |
//! | `GET/POST /channels/messenger/webhook` | Facebook Messenger, `hub.*` handshake and `X-Hub-Signature-256` |
//!
//! With `zalo_verifier`, Zalo's domain-verification file is served at the
//! site's root under its own name (`GET /zalo_verifier….html`).
//!
//! A channel whose secrets are not set is off: its routes answer 404. A
//! request whose signature does not hold gets 403 and changes nothing.
//! Signatures are checked over the raw bytes as received (and Twilio's over
//! the public URL as configured plus the form's parameters), before any
//! parsing that could re-encode them.
//!
//! The voice menu answers inline (a call waits for its next prompt). A
//! chat message is kept in the inbox and acknowledged at once — Zalo
//! wants its 200 within 2 s — then handled by [`spawn_workers`]' inbox
//! loop; replies and notifications leave through its dispatcher loop
//! (`dispatch.rs`), with retries, back-off and dead letters.

mod chat;
mod dispatch;
mod ivr;

pub use dispatch::{Dispatcher, Workers, spawn_workers};

use std::collections::BTreeMap;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::app::App;

/// The hotline on Twilio (or any TwiML host).
#[derive(Clone)]
pub struct TwilioConfig {
    /// The account's auth token (`CANCUOC_TWILIO_AUTH_TOKEN`): the key of
    /// `X-Twilio-Signature`.
    pub auth_token: String,
    /// The voice of `<Say>` (default `Google.vi-VN-Standard-A`).
    pub voice: String,
}

/// The hotline on Stringee.
#[derive(Clone)]
pub struct StringeeConfig {
    /// The signing secret of `X-Stringee-Signature`
    /// (`CANCUOC_STRINGEE_SIGNING_SECRET`).
    pub signing_secret: String,
    /// The hotline number calls come in on (the `from` of `connect`).
    pub hotline_number: String,
    /// The voice of `talk` (default `hn_male_xuantin_vdts_48k-hsmm`).
    pub voice: String,
}

/// The Zalo Official Account.
#[derive(Clone)]
pub struct ZaloConfig {
    /// The Zalo app's id (`CANCUOC_ZALO_APP_ID`).
    pub app_id: String,
    /// The OA secret key the webhook is signed with
    /// (`CANCUOC_ZALO_WEBHOOK_SECRET`).
    pub webhook_secret: String,
    /// The app secret, sent when refreshing the access token (defaults to
    /// the webhook secret).
    pub app_secret: String,
    /// The first access token (`CANCUOC_ZALO_ACCESS_TOKEN`); after a
    /// refresh, the stored one wins.
    pub access_token: String,
    /// The first refresh token (`CANCUOC_ZALO_REFRESH_TOKEN`).
    pub refresh_token: String,
    /// The OA API (`CANCUOC_ZALO_API_BASE`, default `https://openapi.zalo.me`).
    pub api_base: String,
    /// The OAuth host (default `https://oauth.zaloapp.com`).
    pub oauth_base: String,
    /// The ZNS host (default `https://business.openapi.zalo.me`).
    pub zns_base: String,
    /// ZNS template ids by notice (`received`, `approved`, `rejected`,
    /// `refused`, `ready_for_pickup`, `posted`, `overdue`); a notice
    /// without a template goes by SMS.
    pub zns_templates: BTreeMap<String, String>,
}

/// The Messenger Page.
#[derive(Clone)]
pub struct MessengerConfig {
    /// The app secret (`CANCUOC_MESSENGER_APP_SECRET`): the key of
    /// `X-Hub-Signature-256`.
    pub app_secret: String,
    /// The token of the `hub.verify_token` handshake
    /// (`CANCUOC_MESSENGER_VERIFY_TOKEN`).
    pub verify_token: String,
    /// The Page access token of the Send API (`CANCUOC_MESSENGER_PAGE_TOKEN`).
    pub page_token: String,
    /// The Graph API (`CANCUOC_GRAPH_API_BASE`, default `https://graph.facebook.com`).
    pub graph_base: String,
}

/// The file Zalo issues to verify the site's domain (without it Zalo
/// refuses the webhook), served at the site's root under its own name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZaloVerifier {
    /// Its name, e.g. `zalo_verifierAbC123.html` (letters, digits, `_`,
    /// `-`, `.`; checked by the settings).
    pub file_name: String,
    /// Its content, served as it is.
    pub html: String,
}

/// Which channels are on, with their secrets. Each is off (`None`) unless
/// its secrets are set.
#[derive(Clone, Default)]
pub struct ChannelsConfig {
    /// The hotline on Twilio.
    pub twilio: Option<TwilioConfig>,
    /// The hotline on Stringee.
    pub stringee: Option<StringeeConfig>,
    /// The operator the hotline hands callers to during opening hours
    /// (`CANCUOC_IVR_OPERATOR_NUMBER`); without it key "operator" gives
    /// the spoken fallback.
    pub operator_number: Option<String>,
    /// The Zalo OA.
    pub zalo: Option<ZaloConfig>,
    /// The Messenger Page.
    pub messenger: Option<MessengerConfig>,
    /// Zalo's domain-verification file, when set.
    pub zalo_verifier: Option<ZaloVerifier>,
}

impl ChannelsConfig {
    /// The channels that are on, by code.
    pub fn enabled(&self) -> Vec<&'static str> {
        let mut on = Vec::new();
        if self.twilio.is_some() {
            on.push("twilio");
        }
        if self.stringee.is_some() {
            on.push("stringee");
        }
        if self.zalo.is_some() {
            on.push("zalo");
        }
        if self.messenger.is_some() {
            on.push("messenger");
        }
        on
    }
}

// Secrets never reach a log: only which channels are on.
impl std::fmt::Debug for ChannelsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChannelsConfig")
            .field("enabled", &self.enabled())
            .finish_non_exhaustive()
    }
}

/// The channels' routes (see the module docs), over `app`.
pub(crate) fn router(app: App) -> Router {
    let mut routes = Router::new();
    if let Some(v) = app.config().channels.zalo_verifier.clone() {
        let html = v.html;
        routes = routes.route(
            &format!("/{}", v.file_name),
            get(move || async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    html,
                )
            }),
        );
    }
    routes
        .route("/channels/ivr/twilio", post(ivr::twilio))
        .route("/channels/ivr/stringee/answer", get(ivr::stringee_answer))
        .route("/channels/ivr/stringee/event", post(ivr::stringee_event))
        .route("/channels/zalo/webhook", post(chat::zalo))
        .route(
            "/channels/messenger/webhook",
            get(chat::messenger_verify).post(chat::messenger),
        )
        .with_state(app)
}

/// The answer of a channel that is off.
fn off() -> Response {
    (StatusCode::NOT_FOUND, "channel not configured\n").into_response()
}

/// The answer to a request whose signature does not hold.
fn forbidden(channel: &str) -> Response {
    tracing::warn!(
        channel,
        "channel request with a bad or missing signature refused"
    );
    (StatusCode::FORBIDDEN, "bad signature\n").into_response()
}

/// The public base URL the providers were given (`public_url`), without
/// a trailing slash; `http://localhost` when unset (a development server).
fn public_base(app: &App) -> String {
    app.config()
        .public_url
        .as_deref()
        .unwrap_or("http://localhost")
        .trim_end_matches('/')
        .to_owned()
}
