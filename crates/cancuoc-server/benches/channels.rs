//! The channels' webhooks through the whole router, in process (no
//! socket), on an SQLite file store:
//!
//! - `webhook_zalo_ack`, `webhook_messenger_ack`: one signed text message
//!   (a fresh message id each time) verified, kept in the inbox and
//!   acknowledged — what a provider waits for;
//! - `webhook_twilio_menu`: one signed hotline request answered with the
//!   main menu's TwiML (no store write);
//! - `chat_reply_end_to_end`: a message with a dossier code from its
//!   arrival in the inbox to the reply accepted by the provider API (a
//!   real HTTP listener on loopback, `cancuoc_channels::fake`): the inbox
//!   worker's dialogue and status lookup, the outbox transaction, the
//!   dispatcher's claim, the HTTP call and the sent mark.
//!
//! The HTTP figures with the lookups running beside them are in
//! `bench/channels.sh`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use cancuoc_channels::fake::spawn_fake_provider;
use cancuoc_channels::signature;
use cancuoc_core::channel::Channel;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_core::rules::Reason;
use cancuoc_server::channels::{
    ChannelsConfig, Dispatcher, MessengerConfig, TwilioConfig, ZaloConfig,
};
use cancuoc_server::{App, AppConfig, Service, fixed_clock, router};
use cancuoc_service::OpenDossier;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tower::ServiceExt;

const PUBLIC: &str = "https://cancuoc.test";
const APP_ID: &str = "360846524940903967";
const ZALO_SECRET: &str = "oa-secret-BENCH";
const META_SECRET: &str = "app-secret-BENCH";
const TWILIO_TOKEN: &str = "twilio-BENCH";

static NEXT: AtomicU64 = AtomicU64::new(0);

fn next() -> u64 {
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn zalo_request() -> Request<Body> {
    let n = next();
    let body = serde_json::json!({
        "app_id": APP_ID, "sender": {"id": format!("user-{n}")},
        "recipient": {"id": "388613280878808645"}, "event_name": "user_send_text",
        "message": {"text": "xin chào", "msg_id": format!("bench-{n}")},
        "timestamp": "1795402800000"
    })
    .to_string();
    let sig = signature::zalo_sign(APP_ID, body.as_bytes(), "1795402800000", ZALO_SECRET);
    Request::post("/channels/zalo/webhook")
        .header("content-type", "application/json")
        .header("x-zevent-signature", sig)
        .body(Body::from(body))
        .expect("request")
}

fn messenger_request() -> Request<Body> {
    let n = next();
    let body = serde_json::json!({"object": "page", "entry": [{"id": "PAGE", "time": 1,
        "messaging": [{"sender": {"id": format!("psid-{n}")}, "recipient": {"id": "PAGE"},
        "timestamp": 1, "message": {"mid": format!("m_bench_{n}"), "text": "xin chào"}}]}]})
    .to_string();
    let sig = signature::messenger_sign(META_SECRET, body.as_bytes());
    Request::post("/channels/messenger/webhook")
        .header("content-type", "application/json")
        .header("x-hub-signature-256", sig)
        .body(Body::from(body))
        .expect("request")
}

fn twilio_request() -> Request<Body> {
    let params = vec![
        (
            "CallSid".to_owned(),
            "CA00000000000000000000000000BENCH".to_owned(),
        ),
        ("From".to_owned(), "+84912000001".to_owned()),
    ];
    let sig = signature::twilio_sign(
        TWILIO_TOKEN,
        &format!("{PUBLIC}/channels/ivr/twilio"),
        &params,
    );
    Request::post("/channels/ivr/twilio")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-twilio-signature", sig)
        .body(Body::from(
            "CallSid=CA00000000000000000000000000BENCH&From=%2B84912000001",
        ))
        .expect("request")
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = std::env::temp_dir().join(format!("cancuoc-bench-channels-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let (app, fake, code) = rt.block_on(async {
        let url = format!("sqlite://{}", dir.join("bench.db").display());
        let store = cancuoc_store::Store::connect(&url).await.expect("store");
        // Monday 2026-11-23 10:00 in Vietnam.
        let at = 1_795_402_800;
        let staff = cancuoc_testkit::world::world(store.clone(), at - 86_400).await;
        let fake = spawn_fake_provider().await.expect("fake provider");
        let service = Service::new(
            store.clone(),
            Allocator::new([9; 16]),
            fixed_clock(jiff::Timestamp::from_second(at).expect("now")),
        )
        .await
        .expect("service")
        .with_channel_settings(cancuoc_service::channels::ChannelSettings {
            public_url: PUBLIC.to_owned(),
            lookups_per_sender: cancuoc_service::guard::Window {
                max: u32::MAX,
                window_secs: 1,
            },
            ..Default::default()
        });
        let citizen = store
            .register_citizen(
                &cancuoc_testkit::world::citizen(
                    "Võ Thị Hoa",
                    "1990-05-17",
                    cancuoc_core::person::Sex::Female,
                    Some("079190012347"),
                ),
                cancuoc_store::IdAssignment::AsGiven,
                None,
                at - 3600,
            )
            .await
            .expect("citizen");
        let d = service
            .open_dossier(
                &staff.receptionist,
                OpenDossier::walk_in(citizen.id, Reason::parse("first-issue").expect("reason")),
            )
            .await
            .expect("dossier");
        let base = fake.base_url();
        let config = AppConfig {
            public_url: Some(PUBLIC.to_owned()),
            channels: ChannelsConfig {
                twilio: Some(TwilioConfig {
                    auth_token: TWILIO_TOKEN.to_owned(),
                    voice: "Google.vi-VN-Standard-A".to_owned(),
                }),
                zalo: Some(ZaloConfig {
                    app_id: APP_ID.to_owned(),
                    webhook_secret: ZALO_SECRET.to_owned(),
                    app_secret: "app".to_owned(),
                    access_token: "access-1".to_owned(),
                    refresh_token: "refresh-1".to_owned(),
                    api_base: base.clone(),
                    oauth_base: base.clone(),
                    zns_base: base.clone(),
                    zns_templates: Default::default(),
                }),
                messenger: Some(MessengerConfig {
                    app_secret: META_SECRET.to_owned(),
                    verify_token: "verify".to_owned(),
                    page_token: "page".to_owned(),
                    graph_base: base,
                }),
                ..ChannelsConfig::default()
            },
            ..AppConfig::default()
        };
        (App::new(service, config), fake, d.code)
    });
    let routes = router(app.clone());
    let mut group = c.benchmark_group("channels");
    group.measurement_time(Duration::from_secs(8));
    for (name, make) in [
        ("webhook_zalo_ack", zalo_request as fn() -> Request<Body>),
        ("webhook_messenger_ack", messenger_request),
        ("webhook_twilio_menu", twilio_request),
    ] {
        group.bench_function(name, |b| {
            b.iter_batched(
                make,
                |req| {
                    let res = rt
                        .block_on(routes.clone().oneshot(req))
                        .expect("infallible");
                    assert!(res.status().is_success(), "{}", res.status());
                },
                BatchSize::SmallInput,
            );
        });
    }
    // The inbox filled by the acknowledgements above is drained first, so
    // the end-to-end figure measures one message at a time.
    rt.block_on(async {
        while app
            .service()
            .channel_handle_next()
            .await
            .expect("inbox")
            .is_some()
        {}
        let d = Dispatcher::new(app.clone());
        while d.run_once().await.expect("dispatch") > 0 {}
    });
    let grouped = code.grouped();
    group.bench_function("chat_reply_end_to_end", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let dispatcher = Dispatcher::new(app.clone());
                let svc = app.service();
                let start = Instant::now();
                for _ in 0..iters {
                    let n = next();
                    svc.channel_receive(
                        Channel::Zalo,
                        &format!("e2e-{n}"),
                        &format!("u-{n}"),
                        &grouped,
                    )
                    .await
                    .expect("receive");
                    svc.channel_handle_next()
                        .await
                        .expect("handle")
                        .expect("a message");
                    assert_eq!(dispatcher.run_once().await.expect("dispatch"), 1);
                }
                start.elapsed()
            })
        });
    });
    group.finish();
    drop(fake);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
