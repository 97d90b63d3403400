//! The channels' test world: the office tree and officers of the shared
//! test world, a service whose clock the test moves, an SMS gateway that
//! records, every channel on with synthetic secrets and its provider API
//! faked on loopback, and request helpers that sign like the providers.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use cancuoc_channels::fake::{FakeProvider, spawn_fake_provider};
use cancuoc_channels::signature;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_core::rules::Reason;
use cancuoc_server::channels::{
    ChannelsConfig, Dispatcher, MessengerConfig, StringeeConfig, TwilioConfig, ZaloConfig,
};
use cancuoc_server::{App, AppConfig, Service, router};
use cancuoc_service::sms::MemoryGateway;
use cancuoc_service::{NotifyChoice, OpenDossier};
use cancuoc_store::{CitizenId, Dossier, Officer, Store};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The public base URL the providers were given.
pub const PUBLIC: &str = "https://cancuoc.test";
pub const TWILIO_TOKEN: &str = "twilio-token-TEST";
pub const STRINGEE_SECRET: &str = "stringee-secret-TEST";
pub const ZALO_APP: &str = "360846524940903967";
pub const ZALO_SECRET: &str = "oa-secret-TEST";
pub const MESSENGER_SECRET: &str = "app-secret-TEST";
pub const VERIFY_TOKEN: &str = "verify-TEST";
pub const OPERATOR: &str = "02838000000";

/// Monday 2026-11-23 10:00 in Vietnam (UTC+7), inside the hotline's
/// hours (7:30–20:00, Monday to Friday since 2024).
pub const T0: i64 = 1_795_402_800;

/// A test's world.
pub struct W {
    pub store: Store,
    pub app: App,
    pub router: Router,
    pub sms: Arc<MemoryGateway>,
    pub fake: FakeProvider,
    pub receptionist: Officer,
    pub approver: Officer,
    pub processor: Officer,
    pub admin: Officer,
    pub printer: Officer,
    pub dispatcher: Officer,
    pub return_officer: Officer,
    clock: Arc<AtomicI64>,
}

/// Every channel on, its provider API at `fake`.
pub fn channels(fake: &str) -> ChannelsConfig {
    ChannelsConfig {
        twilio: Some(TwilioConfig {
            auth_token: TWILIO_TOKEN.to_owned(),
            voice: "Google.vi-VN-Standard-A".to_owned(),
        }),
        stringee: Some(StringeeConfig {
            signing_secret: STRINGEE_SECRET.to_owned(),
            hotline_number: "19000368".to_owned(),
            voice: "hn_male_xuantin_vdts_48k-hsmm".to_owned(),
        }),
        operator_number: Some(OPERATOR.to_owned()),
        zalo: Some(ZaloConfig {
            app_id: ZALO_APP.to_owned(),
            webhook_secret: ZALO_SECRET.to_owned(),
            app_secret: "zalo-app-secret-TEST".to_owned(),
            access_token: "access-1".to_owned(),
            refresh_token: "refresh-1".to_owned(),
            api_base: fake.to_owned(),
            oauth_base: fake.to_owned(),
            zns_base: fake.to_owned(),
            zns_templates: Default::default(),
        }),
        messenger: Some(MessengerConfig {
            app_secret: MESSENGER_SECRET.to_owned(),
            verify_token: VERIFY_TOKEN.to_owned(),
            page_token: "page-token-TEST".to_owned(),
            graph_base: fake.to_owned(),
        }),
        zalo_verifier: None,
    }
}

/// The world at `at` (epoch seconds) with `config`'s channels (every
/// channel on when `None`).
pub async fn world_at(store: Store, at: i64, config: Option<ChannelsConfig>) -> W {
    world_with(store, at, move |base| {
        config.unwrap_or_else(|| channels(base))
    })
    .await
}

/// The world at `at` with the channels `config` makes of the fake
/// provider's base URL.
pub async fn world_with(store: Store, at: i64, config: impl FnOnce(&str) -> ChannelsConfig) -> W {
    let staff = cancuoc_testkit::world::world(store.clone(), at - 86_400).await;
    let fake = spawn_fake_provider().await.expect("fake provider");
    let clock = Arc::new(AtomicI64::new(at));
    let c = Arc::clone(&clock);
    let sms = Arc::new(MemoryGateway::new());
    let service = Service::new(
        store.clone(),
        Allocator::new([42; 16]),
        Arc::new(move || jiff::Timestamp::from_second(c.load(Ordering::SeqCst)).expect("instant")),
    )
    .await
    .expect("service")
    .with_sms_gateway(sms.clone())
    .with_channel_settings(cancuoc_service::channels::ChannelSettings {
        public_url: PUBLIC.to_owned(),
        ..Default::default()
    });
    let config = AppConfig {
        public_url: Some(PUBLIC.to_owned()),
        channels: config(&fake.base_url()),
        ..AppConfig::default()
    };
    let app = App::new(service, config);
    W {
        router: router(app.clone()),
        app,
        sms,
        fake,
        receptionist: staff.receptionist.officer,
        approver: staff.approver.officer,
        processor: staff.processor.officer,
        admin: staff.admin.officer,
        printer: staff.printer.officer,
        dispatcher: staff.dispatcher.officer,
        return_officer: staff.return_officer.officer,
        store,
        clock,
    }
}

/// The world at [`T0`], every channel on.
pub async fn world(store: Store) -> W {
    world_at(store, T0, None).await
}

impl W {
    /// Moves the clock `secs` on.
    pub fn advance(&self, secs: i64) {
        self.clock.fetch_add(secs, Ordering::SeqCst);
    }

    pub fn service(&self) -> &Service {
        self.app.service()
    }

    /// A citizen with ID `pid`, born `dob` (ISO), and a received dossier
    /// at the district, with the notification consent when `phone` is set.
    pub async fn dossier(&self, name: &str, pid: &str, dob: &str, phone: Option<&str>) -> Dossier {
        let mut c = cancuoc_testkit::world::citizen(
            name,
            dob,
            cancuoc_core::person::Sex::Female,
            Some(pid),
        );
        c.phone = Some("0900000000".to_owned());
        let id: CitizenId = self
            .store
            .register_citizen(&c, cancuoc_store::IdAssignment::AsGiven, None, T0 - 3600)
            .await
            .expect("citizen")
            .id;
        let req = OpenDossier {
            notify: phone.map(|p| NotifyChoice {
                phone: PhoneNumber::parse(p).expect("phone"),
                channel: cancuoc_core::channel::Channel::Sms,
            }),
            capture: Some(cancuoc_testkit::world::complete_capture()),
            ..OpenDossier::walk_in(id, Reason::parse("first-issue").expect("reason"))
        };
        self.service()
            .open_dossier(&self.receptionist, req)
            .await
            .expect("dossier")
    }

    /// Handles every waiting inbound message, then delivers the outbox once.
    pub async fn settle(&self) {
        while self
            .service()
            .channel_handle_next()
            .await
            .expect("inbox")
            .is_some()
        {}
        while Dispatcher::new(self.app.clone())
            .run_once()
            .await
            .expect("dispatch")
            > 0
        {}
    }

    /// One Twilio request at `uri` (path and query) with `digits`.
    pub async fn twilio(
        &self,
        uri: &str,
        digits: Option<&str>,
        from: &str,
    ) -> (StatusCode, String) {
        let mut params = vec![
            (
                "CallSid".to_owned(),
                "CA0000000000000000000000000000TEST".to_owned(),
            ),
            ("From".to_owned(), from.to_owned()),
            ("To".to_owned(), "+8419000368".to_owned()),
        ];
        if let Some(d) = digits {
            params.push(("Digits".to_owned(), d.to_owned()));
        }
        let sig = signature::twilio_sign(TWILIO_TOKEN, &format!("{PUBLIC}{uri}"), &params);
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params.iter())
            .finish();
        self.raw(
            Method::POST,
            uri,
            body.into_bytes(),
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("x-twilio-signature", &sig),
            ],
        )
        .await
    }

    /// Walks the hotline from the start with `entries` (one per prompt);
    /// returns every TwiML document answered, in order.
    pub async fn call(&self, entries: &[&str], from: &str) -> Vec<String> {
        let mut uri = "/channels/ivr/twilio".to_owned();
        let mut docs = Vec::new();
        let (status, doc) = self.twilio(&uri, None, from).await;
        assert_eq!(status, StatusCode::OK, "{doc}");
        docs.push(doc);
        for e in entries {
            uri = action_of(docs.last().expect("doc"));
            let (status, doc) = self.twilio(&uri, Some(e), from).await;
            assert_eq!(status, StatusCode::OK, "{doc}");
            docs.push(doc);
        }
        docs
    }

    /// A signed Zalo `user_send_text`.
    pub async fn zalo(&self, msg_id: &str, sender: &str, text: &str) -> (StatusCode, String) {
        let body = serde_json::json!({
            "app_id": ZALO_APP,
            "sender": {"id": sender},
            "recipient": {"id": "388613280878808645"},
            "event_name": "user_send_text",
            "message": {"text": text, "msg_id": msg_id},
            "timestamp": "1795230000000",
            "user_id_by_app": "552177279717587730"
        })
        .to_string();
        let sig = signature::zalo_sign(ZALO_APP, body.as_bytes(), "1795230000000", ZALO_SECRET);
        self.raw(
            Method::POST,
            "/channels/zalo/webhook",
            body.into_bytes(),
            &[
                ("content-type", "application/json"),
                ("x-zevent-signature", &sig),
            ],
        )
        .await
    }

    /// A signed Messenger page event with `messaging` entries.
    pub async fn messenger(&self, messaging: serde_json::Value) -> (StatusCode, String) {
        let body = serde_json::json!({
            "object": "page",
            "entry": [{"id": "PAGE", "time": 1, "messaging": messaging}]
        })
        .to_string();
        let sig = signature::messenger_sign(MESSENGER_SECRET, body.as_bytes());
        self.raw(
            Method::POST,
            "/channels/messenger/webhook",
            body.into_bytes(),
            &[
                ("content-type", "application/json"),
                ("x-hub-signature-256", &sig),
            ],
        )
        .await
    }

    /// One raw request through the router.
    pub async fn raw(
        &self,
        method: Method,
        uri: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self
            .router
            .clone()
            .oneshot(req.body(Body::from(body)).expect("request"))
            .await
            .expect("infallible");
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The path and query of a TwiML document's `<Gather action>`.
pub fn action_of(doc: &str) -> String {
    let start = doc.find("action=\"").expect("a Gather with an action") + 8;
    let end = start + doc[start..].find('"').expect("closing quote");
    let url = doc[start..end].replace("&amp;", "&");
    url.strip_prefix(PUBLIC)
        .expect("under the public URL")
        .to_owned()
}

/// The text of every `<Say>` of a TwiML document, joined by new lines.
pub fn said(doc: &str) -> String {
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(i) = rest.find("<Say") {
        let open = i + rest[i..].find('>').expect(">") + 1;
        let close = open + rest[open..].find("</Say>").expect("</Say>");
        out.push(
            rest[open..close]
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'"),
        );
        rest = &rest[close..];
    }
    out.join("\n")
}
