//! The providers' clients against the fake provider API over real HTTP on
//! loopback: a Zalo consultation message, an expired token refused and
//! refreshed (the pair rotating, the old refresh token spent), a ZNS
//! message, a Messenger message, and a provider that answers 503.

use std::time::Duration;

use cancuoc_channels::ProviderError;
use cancuoc_channels::fake::{FakeProvider, spawn_fake_provider};
use cancuoc_channels::messenger::{self, MessengerClient};
use cancuoc_channels::zalo::{self, ZaloClient};
use cancuoc_core::channel::{Choice, Reply};
use serde_json::json;

fn zalo_client(fake: &FakeProvider) -> ZaloClient {
    let base = fake.base_url();
    ZaloClient::new(&base, &base, &base, "360846524940903967", "app-secret-TEST")
        .with_timeout(Duration::from_secs(5))
}

/// Runs a blocking client call off the runtime's worker threads (the fake
/// serves on them).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.expect("blocking task")
}

fn reply() -> Reply {
    Reply {
        text: "Hồ sơ 0001 2601 1500 0012: thẻ đã sẵn sàng để nhận.".into(),
        choices: vec![Choice {
            title: "Gặp cán bộ".into(),
            payload: "gặp cán bộ".into(),
        }],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zalo_cs_message_is_sent_with_the_token_header() {
    let fake = spawn_fake_provider().await.expect("fake");
    let client = zalo_client(&fake);
    let body = zalo::cs_message("6142494823", &reply(), Some("cb31dff1c39642cc1b83"));
    let sent = body.clone();
    let id = blocking(move || client.send_cs("access-1", &sent)).await;
    assert_eq!(id, Ok("zmsg-1".to_owned()));
    let got = fake.captured();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].path, "/v3.0/oa/message/cs");
    assert_eq!(got[0].header("access_token"), Some("access-1"));
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    assert_eq!(got[0].body, body);
    assert_eq!(got[0].status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_token_is_refused_then_refreshed_and_rotated() {
    let fake = spawn_fake_provider().await.expect("fake");
    let client = zalo_client(&fake);
    let body = zalo::cs_message("6142494823", &reply(), None);

    // A wrong token, then the right one after it expired: both -216.
    let (c, b) = (client.clone(), body.clone());
    assert_eq!(
        blocking(move || c.send_cs("access-0", &b)).await,
        Err(ProviderError::TokenExpired)
    );
    fake.expire_token_once();
    let (c, b) = (client.clone(), body.clone());
    assert_eq!(
        blocking(move || c.send_cs("access-1", &b)).await,
        Err(ProviderError::TokenExpired)
    );

    // Refresh: a new pair; the form and the secret header as Zalo wants.
    let c = client.clone();
    let tokens = blocking(move || c.refresh("refresh-1"))
        .await
        .expect("refresh");
    assert_eq!(
        (
            tokens.access.as_str(),
            tokens.refresh.as_str(),
            tokens.expires_in
        ),
        ("access-2", "refresh-2", 90_000)
    );
    let refresh = &fake.captured()[2];
    assert_eq!(refresh.path, "/v4/oa/access_token");
    assert_eq!(refresh.header("secret_key"), Some("app-secret-TEST"));
    assert_eq!(
        refresh.body,
        json!({"app_id": "360846524940903967", "grant_type": "refresh_token", "refresh_token": "refresh-1"})
    );

    // The old refresh token is spent; the new access token works.
    let c = client.clone();
    assert!(matches!(
        blocking(move || c.refresh("refresh-1")).await,
        Err(ProviderError::Rejected { code: -14014, .. })
    ));
    let (c, b) = (client.clone(), body.clone());
    assert_eq!(
        blocking(move || c.send_cs("access-2", &b)).await,
        Ok("zmsg-1".to_owned())
    );
    assert_eq!(fake.access_token(), "access-2");
    assert_eq!(fake.refresh_token(), "refresh-2");
    let c = client.clone();
    let t = blocking(move || c.refresh("refresh-2"))
        .await
        .expect("second refresh");
    assert_eq!(
        (t.access.as_str(), t.refresh.as_str()),
        ("access-3", "refresh-3")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zns_message_is_sent() {
    let fake = spawn_fake_provider().await.expect("fake");
    let client = zalo_client(&fake);
    let body = zalo::zns_message(
        "0912345678",
        "tpl-ready",
        &[("ma_ho_so", "0001260115000012".to_owned())],
        "outbox-7",
    );
    let sent = body.clone();
    assert_eq!(
        blocking(move || client.send_zns("access-1", &sent)).await,
        Ok("zns-1".to_owned())
    );
    let got = fake.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(got[0].path, "/message/template");
    assert_eq!(got[0].body["phone"], "84912345678");
    assert_eq!(got[0].body, body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messenger_message_is_sent() {
    let fake = spawn_fake_provider().await.expect("fake");
    let client = MessengerClient::new(fake.base_url(), "page-token-TEST")
        .with_timeout(Duration::from_secs(5));
    let body = messenger::send_body("PSID-1", &reply());
    let sent = body.clone();
    let c = client.clone();
    assert_eq!(
        blocking(move || c.send(&sent)).await,
        Ok("m_fake_1".to_owned())
    );
    let got = fake.captured();
    assert_eq!(got[0].path, "/v25.0/me/messages");
    assert_eq!(
        got[0].query.as_deref(),
        Some("access_token=page-token-TEST")
    );
    assert_eq!(got[0].body, body);
    assert_eq!(got[0].body["messaging_type"], "RESPONSE");

    // Without a token: Graph's 190.
    let no_token = MessengerClient::new(fake.base_url(), "");
    let b = body.clone();
    assert_eq!(
        blocking(move || no_token.send(&b)).await,
        Err(ProviderError::TokenExpired)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unavailable_provider_is_retryable() {
    let fake = spawn_fake_provider().await.expect("fake");
    fake.fail_next(1);
    let client = zalo_client(&fake);
    let body = zalo::cs_message("1", &reply(), None);
    let (c, b) = (client.clone(), body.clone());
    let first = blocking(move || c.send_cs("access-1", &b)).await;
    assert_eq!(first, Err(ProviderError::Unavailable("HTTP 503".into())));
    assert!(first.is_err_and(|e| e.is_retryable()));
    let (c, b) = (client.clone(), body.clone());
    assert_eq!(
        blocking(move || c.send_cs("access-1", &b)).await,
        Ok("zmsg-1".to_owned())
    );

    // Nobody listening: unavailable, without the URL in the message.
    let base = fake.base_url();
    drop(fake);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let gone = ZaloClient::new(&base, &base, &base, "1", "s").with_timeout(Duration::from_secs(2));
    let b = body.clone();
    match blocking(move || gone.send_cs("access-1", &b)).await {
        Err(ProviderError::Unavailable(m)) => assert!(!m.contains("127.0.0.1"), "{m}"),
        other => panic!("{other:?}"),
    }
}
